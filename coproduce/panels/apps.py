from django.apps import AppConfig


class PanelsConfig(AppConfig):
    """Citizen panels: pools, quotas and fair selection over civic_algorithms.sortition, then
    deliberation to recommendations the organisation answers (issue 13)."""

    name = "coproduce.panels"
    label = "panels"
    verbose_name = "Citizen panels"

    def ready(self) -> None:
        """Tell the ledger about seed commitments and selection results, the spine about
        members' questions and recommendations, and the service page about overdue answers."""
        from django.utils.translation import gettext_lazy as _

        from coproduce.contributions.kinds import Kind, Workflow, register_kind
        from coproduce.panels import ledger, queries
        from coproduce.panels.models import QUESTION, RECOMMENDATION, AnswerStatus
        from coproduce.services import pages
        from coproduce.services.methods import register_method
        from coproduce.services.models import ActivityKind
        from coproduce.services.rules import can_manage_activity

        register_method(
            ActivityKind.CITIZEN_PANEL,
            take_part_template="panels/_take_part.html",
            staff_links=[(_("Run the panel"), "panels:manage", can_manage_activity)],
        )
        ledger.register()
        register_kind(
            Kind(
                code=QUESTION,
                label=_("Question from a citizen panel"),
                detail="panel_question",
                methods={ActivityKind.CITIZEN_PANEL},
                text=lambda contribution: contribution.panel_question.text,
                search=("text",),
                summary_template="panels/deliberation/_question_summary.html",
            )
        )
        # The organisation's answer (decision 0064): accepted, in part or not (with the reason),
        # then the delivery of what it accepted.
        register_kind(
            Kind(
                code=RECOMMENDATION,
                label=_("Citizen panel recommendation"),
                detail="panel_recommendation",
                methods={ActivityKind.CITIZEN_PANEL},
                text=lambda contribution: contribution.panel_recommendation.text,
                search=("title", "text"),
                summary_template="panels/deliberation/_recommendation_summary.html",
                answer_due_field="answer_due",
                workflow=Workflow(
                    choices=AnswerStatus.choices,
                    initial=AnswerStatus.WAITING,
                    transitions={
                        AnswerStatus.WAITING: [
                            AnswerStatus.ACCEPTED,
                            AnswerStatus.ACCEPTED_IN_PART,
                            AnswerStatus.NOT_ACCEPTED,
                        ],
                        AnswerStatus.ACCEPTED: [AnswerStatus.IN_PROGRESS, AnswerStatus.DONE],
                        AnswerStatus.ACCEPTED_IN_PART: [
                            AnswerStatus.IN_PROGRESS,
                            AnswerStatus.DONE,
                        ],
                        AnswerStatus.IN_PROGRESS: [AnswerStatus.DONE],
                    },
                    needs_reason={AnswerStatus.ACCEPTED_IN_PART, AnswerStatus.NOT_ACCEPTED},
                    colours={
                        AnswerStatus.WAITING: "govuk-tag--grey",
                        AnswerStatus.ACCEPTED: "govuk-tag--green",
                        AnswerStatus.ACCEPTED_IN_PART: "govuk-tag--turquoise",
                        AnswerStatus.NOT_ACCEPTED: "govuk-tag--orange",
                        AnswerStatus.IN_PROGRESS: "govuk-tag--purple",
                        AnswerStatus.DONE: "govuk-tag--green",
                    },
                ),
            )
        )
        pages.SERVICE_MAIN.register(
            "panels/deliberation/_service_overdue.html",
            lambda service: {"overdue": list(queries.overdue_recommendations(service))},
        )
