from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """Boards with resident members, their meetings, agendas, minutes, decisions and action logs
    (docs/governance.md)."""

    name = "coproduce.governance"
    label = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        """Tell the spine about public questions, the services pages about meetings and overdue
        minutes, and the ledger about minutes and votes."""
        from django.utils.translation import gettext_lazy as _

        from coproduce.contributions.kinds import Kind, register_kind
        from coproduce.governance import ledger, queries, rules
        from coproduce.governance.models import QUESTION
        from coproduce.services import pages
        from coproduce.services.methods import register_method
        from coproduce.services.models import ActivityKind

        register_method(
            ActivityKind.MEETING,
            take_part_template="governance/_take_part.html",
            open_refused=rules.open_refused,
        )
        register_kind(
            Kind(
                code=QUESTION,
                label=_("Question to a meeting"),
                detail="meeting_question",
                methods={ActivityKind.MEETING},
                text=lambda contribution: contribution.meeting_question.text,
                select_related=("meeting_question__meeting",),
                search=("text",),
                summary_template="governance/_question_summary.html",
            )
        )
        pages.SERVICE_ASIDE.register(
            "governance/_service_aside.html",
            lambda service: {
                "boards": service.boards.all(),
                "overdue": list(queries.overdue_minutes(service)),
            },
        )
        pages.STAFF_SERVICE_MAIN.register(
            "governance/_staff_service_main.html",
            lambda service: {
                "boards": service.boards.all(),
                "overdue": list(queries.overdue_minutes_all(service)),
            },
        )
        ledger.register()
