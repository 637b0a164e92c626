from django.apps import AppConfig


class EqualityConfig(AppConfig):
    """Consented equality monitoring, kept apart and encrypted, shown only as suppressed totals
    beside the area's population: who is taking part and who is missing (issue 16;
    docs/equality.md)."""

    name = "coproduce.equality"
    label = "equality"
    verbose_name = "Equality monitoring"

    def ready(self) -> None:
        """Link "Who has taken part so far" from the service page, and show the groups missing so
        far on the staff service page, where the next activities are planned."""
        from coproduce.equality import queries
        from coproduce.services import pages

        pages.SERVICE_ASIDE.register("equality/_service_aside.html", queries.public_link)
        pages.STAFF_SERVICE_MAIN.register("equality/_staff_service.html", queries.staff_summary)
