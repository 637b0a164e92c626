from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    """Opinion maps: Polis-style conversations over civic_algorithms.opinion (issue 14)."""

    name = "coproduce.conversations"
    label = "conversations"
    verbose_name = "Opinion maps"

    def ready(self) -> None:
        """Tell the spine about statements (the method's pages come with its views)."""
        from django.utils.translation import gettext_lazy as _

        from coproduce.contributions.kinds import Kind, register_kind
        from coproduce.conversations.models import STATEMENT
        from coproduce.services.models import ActivityKind

        register_kind(
            Kind(
                code=STATEMENT,
                label=_("Opinion-map statement"),
                detail="opinion_statement",
                methods={ActivityKind.OPINION_MAP},
                text=lambda contribution: contribution.opinion_statement.text,
                # The conversation is answered as a whole, by its summary (decision 0040).
                answerable=False,
                search=("text",),
            )
        )
