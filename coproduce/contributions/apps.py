from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    """The answer spine: contributions of every kind, answers, statuses, moderation, decisions,
    follows and "You said, we did" (docs/contributions.md)."""

    name = "coproduce.contributions"
    label = "contributions"
    verbose_name = "Contributions and answers"

    def ready(self) -> None:
        """Show answer coverage, "You said, we did", follow buttons, the moderation queue and the
        open data on the service and activity pages."""
        from coproduce.services.pages import Slot, register_part

        register_part(Slot.SERVICE_MAIN, "contributions/_service_main.html")
        register_part(Slot.SERVICE_ASIDE, "contributions/_service_aside.html")
        register_part(Slot.STAFF_SERVICE_ROWS, "contributions/_staff_service_rows.html")
        register_part(Slot.STAFF_SERVICE_MAIN, "contributions/_staff_service_main.html")
        register_part(Slot.ACTIVITY_MAIN, "contributions/_activity_main.html")
