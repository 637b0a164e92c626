from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "coproduce.insight"
    label = "insight"
    verbose_name = "Insight"

    def ready(self) -> None:
        """Tell the service pages how to take part in surveys and story collections, and the
        answer spine about survey answers, assets and stories (docs/contributions.md)."""
        from django.utils.translation import gettext_lazy as _

        from coproduce.contributions.kinds import Kind, register_kind
        from coproduce.insight import rules
        from coproduce.insight.models import InsightKind
        from coproduce.insight.queries import answers_text, asset_text
        from coproduce.services.methods import register_method
        from coproduce.services.models import ActivityKind

        register_method(
            ActivityKind.NEEDS_SURVEY,
            take_part_template="insight/_take_part.html",
            staff_links=[(_("Survey questions"), "insight:survey_manage", rules.can_manage_survey)],
        )
        register_method(ActivityKind.STORY_COLLECTION, take_part_template="insight/_take_part.html")
        # "What has no Welsh yet" on the staff service page: survey questions after activities.
        from coproduce.insight import queries
        from coproduce.services.pages import register_missing_welsh

        register_missing_welsh(20, queries.questions_without_welsh, queries.untranslated_question)
        register_kind(
            Kind(
                code=InsightKind.NEED,
                label=InsightKind.NEED.label,
                detail="submission",
                methods={ActivityKind.NEEDS_SURVEY},
                text=answers_text,
                select_related=("submission__survey__activity",),
                prefetch=("submission__answers__question",),
                summary_template="insight/_answers_summary.html",
                # An anonymous answer waits for its emailed link (decision 0601): nobody
                # publishes it before (decision 0127).
                confirmed_field="confirmed_at",
            )
        )
        register_kind(
            Kind(
                code=InsightKind.ASSET,
                label=InsightKind.ASSET.label,
                detail="asset",
                methods={ActivityKind.NEEDS_SURVEY},
                text=asset_text,
                search=("name", "description"),
                summary_template="insight/_asset_summary.html",
            )
        )
        register_kind(
            Kind(
                code=InsightKind.STORY,
                label=InsightKind.STORY.label,
                detail="story",
                methods={ActivityKind.STORY_COLLECTION},
                text=lambda contribution: contribution.story.body,
                search=("title", "body"),
                summary_template="insight/_story_summary.html",
            )
        )
        # The site search finds published stories and community assets (docs/decisions/0023);
        # survey answers are read together, on each survey's results page.
        from coproduce.contributions.kinds import get_kind
        from coproduce.contributions.search import contribution_source
        from coproduce.search.registry import register_source

        register_source(contribution_source(get_kind(InsightKind.STORY), plural=_("Stories")))
        register_source(
            contribution_source(get_kind(InsightKind.ASSET), plural=_("Community assets"))
        )
        # Who took part: confirmed anonymous answers count beside the equality answers given
        # with them (decision 0110); signed-in answers count through their contributions.
        from coproduce.equality import participation

        participation.register_anonymous(queries.confirmed_anonymous_answers)
