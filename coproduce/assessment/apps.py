from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """Assessment and improvement: standards written with users, and assessments against them
    (issue 12; docs/assessment.md)."""

    name = "coproduce.assessment"
    label = "assessment"
    verbose_name = "Assessment"

    def ready(self) -> None:
        """Tell the services app about the methods (user assessment, peer review,
        self-reflection), the standards and the improvement actions on the service's pages, and the
        draft standards that have no Welsh yet; and the spine about findings."""
        from django.utils.translation import gettext_lazy as _

        from coproduce.accounts.pages import ACCOUNT_PAGE
        from coproduce.assessment import (
            queries_coaching,
            queries_findings,
            queries_framework,
            rules,
        )
        from coproduce.assessment.actions_assessments import reopen_refused
        from coproduce.assessment.actions_proposals import PROPOSAL_WORKFLOW
        from coproduce.assessment.models import FINDING, METHODS, STANDARD_PROPOSAL
        from coproduce.assessment.queries_assessments import raters
        from coproduce.contributions.kinds import Kind, register_kind
        from coproduce.equality import participation
        from coproduce.services import pages
        from coproduce.services.methods import register_method
        from coproduce.services.models import ActivityKind, InvolvementLevel

        # A user assessment or peer review counts as "collaborate" once its results are out;
        # until then as "consult" (decision 0086). A closed user assessment does not re-open once
        # findings or indicator values are written from its results (decision 0125).
        register_method(
            ActivityKind.ASSESSMENT,
            take_part_template="assessment/_take_part.html",
            staff_links=[
                (_("Run the assessment"), "assessment:manage", rules.can_set_up_assessment)
            ],
            delivered=queries_findings.delivered,
            until_delivered=InvolvementLevel.CONSULT,
            open_refused=reopen_refused,
        )
        register_method(
            ActivityKind.PEER_REVIEW,
            take_part_template="assessment/_take_part_peer.html",
            staff_links=[
                (_("Run the peer review"), "assessment:manage", rules.can_set_up_assessment),
                (_("The team and the visit"), "assessment:team", rules.can_manage_team_of),
            ],
            delivered=queries_findings.delivered,
            until_delivered=InvolvementLevel.CONSULT,
        )
        register_method(
            ActivityKind.MYSTERY_SHOP,
            take_part_template="assessment/_take_part_shop.html",
            staff_links=[
                (_("Run the mystery shop"), "assessment:manage", rules.can_set_up_assessment),
                (
                    _("Choose the coordinator"),
                    "assessment:coordinator",
                    rules.can_set_up_assessment,
                ),
            ],
        )
        register_method(
            ActivityKind.SELF_REFLECTION,
            take_part_template="assessment/_take_part_self.html",
            staff_links=[
                (_("Run the self-reflection"), "assessment:manage", rules.can_set_up_assessment)
            ],
        )
        register_kind(
            Kind(
                code=FINDING,
                label=_("Assessment finding"),
                detail="finding",
                methods=set(METHODS),
                text=lambda contribution: (
                    f"{contribution.finding.title}\n{contribution.finding.evidence}"
                ),
                search=("title", "evidence"),
                summary_template="assessment/findings/_summary.html",
                loop_template="assessment/findings/_loop.html",
                loop_prefetch=("finding__actions",),
            )
        )
        register_kind(
            Kind(
                code=STANDARD_PROPOSAL,
                label=_("Proposal for the standards"),
                detail="standard_proposal",
                methods={ActivityKind.ASSESSMENT},
                text=lambda contribution: contribution.standard_proposal.text,
                search=("text", "why"),
                workflow=PROPOSAL_WORKFLOW,
                summary_template="assessment/proposals/_summary.html",
            )
        )
        pages.SERVICE_MAIN.register(
            "assessment/framework/_service_summary.html", queries_framework.service_summary
        )
        pages.SERVICE_MAIN.register(
            "assessment/findings/_service_actions.html", queries_findings.service_summary
        )
        ACCOUNT_PAGE.register("assessment/_account.html", queries_coaching.account_summary)
        pages.STAFF_SERVICE_MAIN.register(
            "assessment/framework/_staff_service.html", queries_framework.staff_summary
        )
        pages.register_missing_welsh(
            27, queries_framework.standards_without_welsh, queries_framework.untranslated_standard
        )
        participation.register(raters)  # taking part, for "who is missing"
