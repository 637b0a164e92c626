from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    """The answer spine: contributions of every kind, answers, statuses, moderation, decisions,
    follows and "You said, we did" (docs/contributions.md)."""

    name = "coproduce.contributions"
    label = "contributions"
    verbose_name = "Contributions and answers"

    def ready(self) -> None:
        """Show answer coverage, "You said, we did", follow buttons, the moderation queue, the
        inbox and the open data on the service, activity and staff pages; tell followers when an
        activity opens."""
        from coproduce.contributions.actions import activity_opened_notify
        from coproduce.services import hooks, pages

        hooks.ACTIVITY_OPENED.register(activity_opened_notify)  # followers hear of new activities

        pages.SERVICE_MAIN.register("contributions/_service_main.html")
        pages.SERVICE_ASIDE.register("contributions/_service_aside.html")
        pages.STAFF_SERVICE_ROWS.register("contributions/_staff_service_rows.html")
        pages.STAFF_SERVICE_MAIN.register("contributions/_staff_service_inbox.html")
        pages.STAFF_SERVICE_MAIN.register("contributions/_staff_service_main.html")
        pages.STAFF_DASHBOARD.register("contributions/_staff_dashboard.html")
        pages.ACTIVITY_MAIN.register("contributions/_activity_main.html")
        # "What has no Welsh yet" on the staff service page: decisions, then answers.
        from coproduce.contributions import queries

        pages.register_missing_welsh(
            30, queries.decisions_without_welsh, queries.untranslated_decision
        )
        pages.register_missing_welsh(40, queries.answers_without_welsh, queries.untranslated_answer)
        # The site search finds decisions and official answers (method apps add their kinds).
        from coproduce.contributions import search

        search.register()
        # The public ledger records decisions and what informed them.
        from coproduce.contributions import ledger

        ledger.register()
        # The open-data catalogue (/data/) lists decisions and "You said, we did".
        from coproduce.contributions import opendata

        opendata.register()
