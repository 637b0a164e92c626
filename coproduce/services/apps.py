from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "coproduce.services"
    label = "services"
    verbose_name = "Services"

    def ready(self) -> None:
        """An organisation's page lists the services it runs and supports."""
        from coproduce.organisations.pages import ORGANISATION_PAGE
        from coproduce.services.queries import organisation_services

        ORGANISATION_PAGE.register("services/_organisation_services.html", organisation_services)
