from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "coproduce.organisations"
    label = "organisations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        """Staff of an organisation set up two-factor authentication before staff pages."""
        from coproduce.common.permissions import register_staff_setup_check
        from coproduce.organisations.rules import must_set_up_mfa

        register_staff_setup_check(must_set_up_mfa)
