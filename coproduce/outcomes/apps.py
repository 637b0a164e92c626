from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """A service's long-term outcomes in people's own words, measured by triple-bottom-line
    indicators over time (issue 11; docs/outcomes.md)."""

    name = "coproduce.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        """Show the framework's summary on the service page and a link on the staff page, and
        list outcomes and indicators in "What has no Welsh yet"."""
        from coproduce.outcomes import queries
        from coproduce.services import pages

        pages.SERVICE_MAIN.register("outcomes/_service_summary.html", queries.service_summary)
        pages.STAFF_SERVICE_MAIN.register("outcomes/_staff_service.html", queries.staff_summary)
        # After activities (10) and survey questions (20), before decisions and answers.
        pages.register_missing_welsh(
            25, queries.outcomes_without_welsh, queries.untranslated_outcome
        )
        pages.register_missing_welsh(
            26, queries.indicators_without_welsh, queries.untranslated_indicator
        )
