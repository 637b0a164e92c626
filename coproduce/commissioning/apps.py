from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    """Commissioning rounds for long-term outcomes: the specification, the contract and its
    timetable, award criteria whose weights residents set (issue 11; docs/commissioning.md)."""

    name = "coproduce.commissioning"
    label = "commissioning"
    verbose_name = "Commissioning"

    def ready(self) -> None:
        """Tell the services app about the method and the promised-vs-delivered table, the spine
        about residents' weightings, and the ledger about published weights and awards."""
        from django.utils.translation import gettext_lazy as _

        from coproduce.commissioning import ledger, promised, rules
        from coproduce.commissioning.models import WEIGHTING
        from coproduce.contributions.kinds import Kind, register_kind
        from coproduce.services import pages
        from coproduce.services.methods import register_method
        from coproduce.services.models import ActivityKind

        ledger.register()
        pages.SERVICE_MAIN.register("commissioning/_promised.html", promised.service_section)

        register_method(
            ActivityKind.COMMISSIONING_ROUND,
            take_part_template="commissioning/_take_part.html",
            staff_links=[
                (_("Run the commissioning round"), "commissioning:manage", rules.can_set_up_round)
            ],
        )
        register_kind(
            Kind(
                code=WEIGHTING,
                label=_("Weighting of award criteria"),
                detail="weighting",
                methods={ActivityKind.COMMISSIONING_ROUND},
                text=lambda contribution: contribution.weighting.summary(),
                select_related=("weighting__round__activity",),  # its title names the round
                prefetch=("weighting__points__criterion",),
                summary_template="commissioning/_weighting_summary.html",
            )
        )
