from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "coproduce.services"
    label = "services"
    verbose_name = "Services"

    def ready(self) -> None:
        """An organisation's page lists the services it runs and supports; "What has no Welsh
        yet" lists the service and its activities first."""
        from coproduce.organisations.pages import ORGANISATION_PAGE
        from coproduce.services import queries
        from coproduce.services.pages import register_missing_welsh

        ORGANISATION_PAGE.register(
            "services/_organisation_services.html", queries.organisation_services
        )
        register_missing_welsh(0, queries.service_without_welsh, queries.untranslated_service)
        register_missing_welsh(10, queries.activities_without_welsh, queries.untranslated_activity)
        # The site search finds published services and the activities that have opened.
        from coproduce.services import search

        search.register()
