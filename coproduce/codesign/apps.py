from django.apps import AppConfig


class CodesignConfig(AppConfig):
    name = "coproduce.codesign"
    label = "codesign"
    verbose_name = "Co-design"

    def ready(self) -> None:
        """Tell the service pages how to take part in an idea challenge, and the answer spine
        about ideas and comments (docs/contributions.md)."""
        from django.utils.translation import gettext_lazy as _

        from coproduce.codesign import rules
        from coproduce.codesign.actions import pages_changed
        from coproduce.codesign.models import IDEA_WORKFLOW, CodesignKind
        from coproduce.codesign.queries import supporters
        from coproduce.contributions.kinds import Kind, register_kind
        from coproduce.equality import participation
        from coproduce.services.methods import register_method
        from coproduce.services.models import ActivityKind
        from coproduce.services.rules import can_manage_activity

        register_method(
            ActivityKind.IDEA_CHALLENGE,
            take_part_template="codesign/_take_part.html",
            staff_links=[
                (_("Idea categories"), "codesign:category_list", can_manage_activity),
                (_("Supports threshold"), "codesign:threshold", rules.can_set_threshold),
                (
                    _("Take forward agreed opinion-map statements"),
                    "codesign:take_forward",
                    rules.can_take_forward,
                ),
            ],
        )
        register_kind(
            Kind(
                code=CodesignKind.IDEA,
                label=CodesignKind.IDEA.label,
                detail="idea",
                methods={ActivityKind.IDEA_CHALLENGE},
                text=lambda contribution: contribution.idea.description,
                search=("title", "description"),
                workflow=IDEA_WORKFLOW,
                supports=lambda contribution: contribution.idea.support_count,
                # Set when the idea reaches its challenge's supports threshold (decision 0026).
                answer_due_field="answer_due_on",
                summary_template="codesign/_idea_summary.html",
                on_change=pages_changed,
            )
        )
        register_kind(
            Kind(
                code=CodesignKind.COMMENT,
                label=CodesignKind.COMMENT.label,
                detail="comment",
                methods={ActivityKind.IDEA_CHALLENGE},
                # A comment needs an answer only when its author asks the team a question.
                answerable=False,
                text=lambda contribution: contribution.comment.body,
                select_related=("comment__idea",),
                search=("body",),
                summary_template="codesign/_comment_summary.html",
                on_change=pages_changed,
            )
        )
        # The site search finds published ideas, and the published comments on them while the idea
        # is published (docs/decisions/0023-search.md).
        from django.db.models import Q

        from coproduce.codesign.queries import comments_on
        from coproduce.contributions.kinds import get_kind
        from coproduce.contributions.models import Visibility
        from coproduce.contributions.search import contribution_source
        from coproduce.search.registry import register_source

        register_source(
            contribution_source(
                get_kind(CodesignKind.IDEA), plural=_("Ideas"), dependents=comments_on
            )
        )
        register_source(
            contribution_source(
                get_kind(CodesignKind.COMMENT),
                plural=_("Comments"),
                public=Q(comment__idea__contribution__visibility=Visibility.PUBLISHED),
            )
        )

        participation.register(supporters)  # taking part, for "who is missing"
