from django.apps import AppConfig


class BudgetingConfig(AppConfig):
    """Participatory budgets: proposals, feasibility answers, ballots, counting with the Method of
    Equal Shares, results and delivery (docs/budgeting-guide.md, decision 0030)."""

    name = "coproduce.budgeting"
    label = "budgeting"
    verbose_name = "Participatory budgets"

    def ready(self) -> None:
        """Tell the services pages how to take part in a budget, the spine about proposals, the
        ledger about results and the search about proposals."""
        from django.utils.translation import gettext_lazy as _

        from coproduce.budgeting import datasets, ledger
        from coproduce.budgeting.models import PROPOSAL, funded_projects
        from coproduce.budgeting.queries import voters
        from coproduce.contributions.kinds import Kind, get_kind, register_kind
        from coproduce.contributions.search import contribution_source
        from coproduce.equality import participation
        from coproduce.search.registry import register_source
        from coproduce.services import hooks, pages
        from coproduce.services.methods import register_method
        from coproduce.services.models import ActivityKind
        from coproduce.services.rules import can_manage_activity

        hooks.ACTIVITY_UPDATED.register(ledger.activity_updated)
        register_method(
            ActivityKind.PARTICIPATORY_BUDGET,
            take_part_template="budgeting/_take_part.html",
            staff_links=[(_("Run the budget"), "budgeting:manage", can_manage_activity)],
        )
        register_kind(
            Kind(
                code=PROPOSAL,
                label=_("Budget proposal"),
                detail="budget_proposal",
                methods={ActivityKind.PARTICIPATORY_BUDGET},
                text=lambda contribution: contribution.budget_proposal.description,
                select_related=("budget_proposal__area",),
                search=("title", "description"),
                summary_template="budgeting/_proposal_summary.html",
            )
        )
        register_source(contribution_source(get_kind(PROPOSAL), plural=_("Budget proposals")))
        ledger.register()
        datasets.register()  # the open-data catalogue: published budget results
        pages.SERVICE_MAIN.register(
            "budgeting/_service_delivery.html",
            lambda service: {"projects": list(funded_projects(service))},
        )

        participation.register(voters)  # taking part, for "who is missing"
