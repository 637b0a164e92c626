from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    """Opinion maps: Polis-style conversations over civic_algorithms.opinion (issue 14)."""

    name = "coproduce.conversations"
    label = "conversations"
    verbose_name = "Opinion maps"

    def ready(self) -> None:
        """Tell the services pages and the spine about conversations and their statements."""
        from allauth.account.signals import user_logged_in
        from django.utils.translation import gettext_lazy as _

        from coproduce.contributions.kinds import Kind, register_kind
        from coproduce.conversations.models import STATEMENT
        from coproduce.conversations.participants import claim_on_sign_in
        from coproduce.conversations.queries import agreed_statements, voters
        from coproduce.equality import participation
        from coproduce.services.methods import register_method
        from coproduce.services.models import ActivityKind
        from coproduce.services.rules import can_manage_activity

        register_method(
            ActivityKind.OPINION_MAP,
            take_part_template="conversations/_take_part.html",
            staff_links=[
                (_("Run the conversation"), "conversations:manage", can_manage_activity),
            ],
        )
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
                # What all groups agree with on the latest map can be taken forward as an idea or
                # a budget proposal (decision 0111).
                agreed=agreed_statements,
            )
        )
        # A visitor who signs in keeps the votes of their cookies (decision 0044).
        user_logged_in.connect(claim_on_sign_in, dispatch_uid="conversations-claim-on-sign-in")

        participation.register(voters)  # taking part, for "who is missing"
