from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "coproduce.organisations"
    label = "organisations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        """Staff of an organisation set up two-factor authentication before staff pages; the
        account page shows a person's roles."""
        from coproduce.accounts.pages import ACCOUNT_PAGE
        from coproduce.common.permissions import register_staff_setup_check
        from coproduce.organisations.queries import memberships_of
        from coproduce.organisations.rules import must_set_up_mfa

        register_staff_setup_check(must_set_up_mfa)
        ACCOUNT_PAGE.register(
            "organisations/_your_roles.html",
            lambda user: {"memberships": list(memberships_of(user))},
        )
