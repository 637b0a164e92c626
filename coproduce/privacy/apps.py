from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """People's rights over their data: download everything the platform holds about them
    (issue 16; docs/privacy.md)."""

    name = "coproduce.privacy"
    label = "privacy"
    verbose_name = "Data rights"

    def ready(self) -> None:
        from coproduce.privacy import catalogue

        catalogue.load()
