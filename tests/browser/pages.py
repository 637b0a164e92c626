"""Every page of the demo, as walks through the site: what residents see, and what staff see.

Each walk declares the URL patterns it reaches (``covers``); the walk fails if it does not reach
them, and ``test_page_coverage.py`` fails if a URL pattern of the project is in no walk. Walks
fill in forms wrongly on purpose, so that pages are checked with their error messages too.
Crawls follow every link: the visitor's crawl opens every service, activity and organisation
page of the demo, and a staff walk opens the staff pages of every service and activity.

Each area's walks live in ``pages_<area>.py`` (``pages_codesign.py``, ``pages_governance.py``, ...),
imported at the end of this module so that they join its registries.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Route, expect

from coproduce.accounts.tests.factories import DEFAULT_PASSWORD
from coproduce.organisations.models import Organisation
from coproduce.services.models import Activity, ActivityState, Service
from tests.browser.audit import Auditor, fill_date, scenario_registry

RESIDENT = "resident@example.org"
COUNCIL_ADMIN = "amira.khan@northfield.example"  # runs the council's services, with TOTP set up
SUPERUSER = "admin@coproduce.example"

RECOVERY = "drug-and-alcohol-recovery-service"
DRAFT_SERVICE = "home-care-for-older-people"
COUNCIL = "northfield-borough-council"

PUBLIC, public = scenario_registry()
STAFF, staff = scenario_registry()
CRAWLS, crawl = scenario_registry()


# --- What everyone can see --------------------------------------------------------------------


@public(user=None, covers={"services:home"})
def home_and_search(a: Auditor) -> None:
    a.goto(a.url("services:home"), heading="Shape the services you use")
    # The site's own styles are applied (contrast is checked against them, not the defaults).
    font = a.page.locator("h1").evaluate("h1 => getComputedStyle(h1).fontFamily")
    assert "arial" in font.lower(), font
    # The first Tab reaches the skip link, which moves focus to the main content.
    a.page.keyboard.press("Tab")
    expect(a.page.get_by_role("link", name="Skip to main content")).to_be_focused()
    a.page.keyboard.press("Enter")
    expect(a.page.locator("main")).to_be_focused()
    a.goto(a.url("services:home", query="q=recovery&area=Northfield&policy_area=health"))
    a.page.get_by_role("link", name="Drug and alcohol recovery service").wait_for()
    a.goto(a.url("services:home", query="q=submarine+repairs"))
    a.page.get_by_text("No services match your search.").wait_for()
    # A policy area that does not exist and a keyword that is too long: field-level errors.
    a.goto(a.url("services:home", query="q=" + "x" * 101 + "&policy_area=spaceflight"))
    a.errors_shown()
    a.goto(a.url("services:home", query="page=999"))


@public(
    user=SUPERUSER, covers={"services:home", "organisations:detail", "services:staff_dashboard"}
)
def narrow_screen_and_long_lists(a: Auditor) -> None:
    """At 320 pixels wide (WCAG reflow), with lists long enough to need pages."""
    from coproduce.organisations.tests.factories import OrganisationFactory
    from coproduce.services.tests.factories import ServiceFactory

    libraries = OrganisationFactory(name="Eastvale Libraries")
    for number in range(1, 22):
        ServiceFactory(organisation=libraries, name=f"Mobile library route {number}")
    a.page.set_viewport_size({"width": 320, "height": 640})
    a.goto(a.url("services:home"))
    a.submit(a.page.get_by_role("link", name="Next"))
    a.goto(a.url("organisations:detail", libraries.slug))
    a.goto(a.url("services:detail", RECOVERY))
    a.goto(a.url("services:staff_dashboard"))
    a.goto(a.url("services:staff_service", RECOVERY))


@public(user=None, covers={"common:accessibility", "common:privacy", "set_language"})
def statements_and_welsh(a: Auditor) -> None:
    a.goto(a.url("common:privacy"))
    a.goto(a.url("common:accessibility"))
    # The language switch (a GET form: decision 0804) goes to set_language and comes back to the same page, in Welsh.
    a.submit(a.button("Cymraeg"))
    assert a.page.locator("html").get_attribute("lang") == "cy"
    a.goto(a.url("services:home"))
    a.submit(a.button("English"))
    assert a.page.locator("html").get_attribute("lang") == "en"


@public(user=None, covers={"transparency:ledger", "transparency:entry"})
def public_ledger(a: Auditor) -> None:
    """The ledger's list (and its next page), an entry, a correction, an entry that is not there."""
    from coproduce.transparency.models import LedgerEntry

    a.goto(a.url("transparency:ledger"), heading="Public ledger")
    if a.page.get_by_role("link", name="Next").count():
        a.submit(a.page.get_by_role("link", name="Next").first, heading="Public ledger")
    a.goto(a.url("transparency:ledger", query="page=nonsense"), heading="Public ledger")
    first = LedgerEntry.objects.order_by("seq").first()
    assert first is not None, "the demo records its decisions in the ledger"
    a.goto(a.url("transparency:entry", first.seq), heading=f"Entry {first.seq}")
    correction = LedgerEntry.objects.filter(corrects__isnull=False).first()
    if correction is not None:
        a.goto(a.url("transparency:entry", correction.seq), heading=f"Entry {correction.seq}")
        a.submit(a.page.get_by_role("link", name=f"entry {correction.corrects}").first)
    a.goto(a.url("transparency:entry", 10**17), status=404)


@public(user=None, covers={"transparency:catalogue"})
def open_data(a: Auditor) -> None:
    """The open-data catalogue, reached from the footer (its downloads are files: NOT_PAGES)."""
    a.goto(a.url("services:home"))
    a.submit(a.page.get_by_role("link", name="Open data", exact=True), heading="Open data")


@public(user=None, covers=set())
def not_found(a: Auditor) -> None:
    a.goto("/no-such-page/", status=404)
    a.goto(a.url("services:detail", "no-such-service"), status=404)


@public(user=RESIDENT, covers={"services:staff_dashboard"})
def forbidden(a: Auditor) -> None:
    a.goto(a.url("services:staff_dashboard"), status=403)
    # A draft service does not exist for the public: 404, not a hint that it exists.
    a.goto(a.url("services:detail", DRAFT_SERVICE), status=404)


@public(user=None, covers=set())
def server_error_pages(a: Auditor) -> None:
    """The 400 and 500 pages cannot be reached on purpose: serve exactly what the app sends."""
    from django.test import Client, RequestFactory

    from coproduce.common.views import server_error

    bad_request = Client().get("/", headers={"host": "not-an-allowed-host.example"})
    assert bad_request.status_code == 400
    pages = {
        400: bad_request.content,
        500: server_error(RequestFactory().get("/")).content,
    }
    for status, body in pages.items():
        address = f"{a.site.url}/error-page-{status}/"
        a.page.route(address, _serve(status, body))
        a.goto(address, status=status)


def _serve(status: int, body: bytes) -> Callable[[Route], None]:
    def fulfil(route: Route) -> None:
        route.fulfill(status=status, body=body, content_type="text/html; charset=utf-8")

    return fulfil


# --- Signing in, signing up and resetting a password (django-allauth) ------------------------


def wrong_code(secret: str | None = None) -> str:
    """Six digits that are not the code an authenticator app shows now."""
    from coproduce.accounts.tests.factories import TOTP_SECRET, totp_code

    return "000000" if totp_code(secret or TOTP_SECRET) != "000000" else "111111"


def enter_totp_code(a: Auditor) -> None:
    """Type the code an authenticator app shows now; once more if the 30-second window closed."""
    from coproduce.accounts.tests.factories import totp_code

    for attempt in range(2):
        a.field("Code").fill(totp_code())
        a.submit(a.button("Sign in"))
        if a.site.url_name(a.page.url) != "mfa_authenticate" or attempt:
            return


@public(user=None, covers={"account_login", "mfa_authenticate", "accounts:dashboard"})
def sign_in_with_two_factor(a: Auditor) -> None:
    a.goto(a.url("account_login"), heading="Sign in")
    a.field("Email").fill(COUNCIL_ADMIN)
    a.field("Password").fill("not my password")
    a.submit(a.button("Sign in"))
    a.errors_shown()
    a.field("Password").fill(DEFAULT_PASSWORD)
    a.submit(a.button("Sign in"), heading="Two-factor authentication")
    a.field("Code").fill(wrong_code())
    a.submit(a.button("Sign in"))
    a.errors_shown()
    enter_totp_code(a)
    assert a.site.url_name(a.page.url) == "accounts:dashboard", a.page.url


@public(user=None, covers={"account_login", "account_inactive"})
def sign_in_to_a_closed_account(a: Auditor) -> None:
    from coproduce.accounts.tests.factories import UserFactory

    UserFactory(email="moved.away@example.org", is_active=False)
    a.goto(a.url("account_login"))
    a.field("Email").fill("moved.away@example.org")
    a.field("Password").fill(DEFAULT_PASSWORD)
    a.submit(a.button("Sign in"))
    assert a.site.url_name(a.page.url) == "account_inactive", a.page.url


@public(user=None, covers={"account_signup", "account_email_verification_sent"})
def sign_up(a: Auditor) -> None:
    a.goto(a.url("account_signup"))
    a.field("Email").fill("not an email")
    a.field("Password").fill("short")
    a.field("Password (again)").fill("different")
    a.submit(a.button("Sign up"))
    a.errors_shown()
    a.field("Email").fill("new.resident@example.org")
    a.field("Password").fill("a long and unusual passphrase")
    a.field("Password (again)").fill("a long and unusual passphrase")
    a.submit(a.button("Sign up"))
    assert a.site.url_name(a.page.url) == "account_email_verification_sent", a.page.url
    a.field("Code").fill("WRONG1")
    a.submit(a.button("Confirm"))


@public(
    user=None,
    covers={"account_signup", "account_email_verification_sent", "common:demo_emails"},
)
def a_newcomer_reads_the_demo_emails(a: Auditor) -> None:
    """In the demo (DEBUG on, its email backend), a newcomer finds their sign-up code on the
    demo's email page, linked from the sign-up pages, and finishes signing up (issue 18)."""
    import tempfile

    from django.test import override_settings

    from coproduce.common.mail import BACKEND

    with (
        tempfile.TemporaryDirectory() as var,
        override_settings(DEBUG=True, EMAIL_BACKEND=BACKEND, VAR_DIR=var),
    ):
        a.goto(a.url("account_signup"))
        a.field("Email").fill("newcomer@example.org")
        a.field("Password").fill("a long and unusual passphrase")
        a.field("Password (again)").fill("a long and unusual passphrase")
        a.submit(a.button("Sign up"))
        assert a.site.url_name(a.page.url) == "account_email_verification_sent", a.page.url
        confirm = a.page.url
        a.submit(a.page.get_by_role("link", name="Read the emails sent by this demo"))
        assert a.site.url_name(a.page.url) == "common:demo_emails", a.page.url
        email = a.page.locator(".govuk-summary-card").first
        expect(email).to_contain_text("newcomer@example.org")
        # allauth's code (e.g. BJMG-WJNV) stands on a line of its own in the email.
        code = re.search(
            r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})?)\s*$", email.locator("pre").inner_text(), re.M
        )
        assert code, email.inner_text()
        a.goto(confirm)
        a.field("Code").fill(code.group(1))
        a.submit(a.button("Confirm"))
        # Asked the optional equality questions once, with a way past them (issue 16).
        expect(a.page.get_by_role("heading", level=1)).to_have_text("About you: equality questions")
        a.submit(a.page.get_by_role("link", name="Skip these questions"), heading="Your account")


@public(
    user=None,
    covers={
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
    },
)
def reset_password(a: Auditor) -> None:
    from django.core import mail

    a.goto(a.url("account_reset_password"))
    a.field("Email").fill("not an email")
    a.submit(a.button("Reset my password"))
    a.errors_shown()
    mail.outbox.clear()
    a.field("Email").fill("priya.s@example.org")
    a.submit(a.button("Reset my password"))
    assert a.site.url_name(a.page.url) == "account_reset_password_done", a.page.url
    (link,) = re.findall(r"http://\S+/password/reset/key/\S+/", str(mail.outbox[-1].body))
    a.goto(link)
    a.field("New password").fill("a long and unusual passphrase")
    a.field("New password (again)").fill("another long passphrase")
    a.submit(a.button("Change password"))
    a.errors_shown()
    a.field("New password").fill("a long and unusual passphrase")
    a.field("New password (again)").fill("a long and unusual passphrase")
    a.submit(a.button("Change password"))
    assert a.site.url_name(a.page.url) == "account_reset_password_from_key_done", a.page.url
    # A link that was used, or never was, explains itself.
    a.goto(link)


@public(
    user=RESIDENT,
    covers={
        "accounts:dashboard",
        "accounts:profile",
        "accounts:api_tokens",
        "accounts:api_token_revoke",
        "account_email",
        "account_change_password",
        "account_set_password",
        "account_logout",
    },
)
def your_account(a: Auditor) -> None:
    a.goto(a.url("accounts:dashboard"))
    a.goto(a.url("accounts:profile"))  # one optional field: it cannot be filled in wrongly
    a.goto(a.url("accounts:api_tokens"))
    a.submit(a.button("Create token"))
    a.errors_shown()
    a.field("Token name").fill("reporting script")
    a.submit(a.button("Create token"))
    a.page.locator("#new-token").wait_for()
    a.submit(a.button("Revoke reporting script"))
    a.goto(a.url("account_email"))
    # "Set password" is for accounts without one; everyone here has one, so it sends you on.
    a.goto(a.url("account_set_password"))
    assert a.site.url_name(a.page.url) == "account_change_password", a.page.url
    a.field("Current password").fill("not my password")
    a.submit(a.button("Change password"))
    a.errors_shown()
    a.goto(a.url("account_logout"))
    a.submit(a.button("Sign out"))
    assert a.site.url_name(a.page.url) == "services:home", a.page.url


@public(user=RESIDENT, covers={"notifications:settings", "notifications:unsubscribe"})
def email_settings_and_unsubscribe_link(a: Auditor) -> None:
    """The settings page (from the account page), and an email's unsubscribe link: its question,
    and what a broken link says (the journey in test_notification_settings.py unsubscribes)."""
    from coproduce.accounts.models import User
    from coproduce.notifications.emails import unsubscribe_path

    a.goto(a.url("accounts:dashboard"))
    a.submit(a.page.get_by_role("link", name="Change email settings"), heading="Email settings")
    a.submit(a.button("Save settings"), heading="Email settings")
    path = unsubscribe_path(User.objects.get(email=RESIDENT), ["response", "decision"])
    a.goto(path, heading="Stop these emails")
    a.goto(path[:-4], status=404, heading="This link does not work")


# --- Staff pages ------------------------------------------------------------------------------


@staff(
    user=COUNCIL_ADMIN,
    covers={"accounts:dashboard", "services:staff_dashboard", "services:service_create"},
)
def staff_dashboards_and_new_service(a: Auditor) -> None:
    a.goto(a.url("accounts:dashboard"))
    a.goto(a.url("services:staff_dashboard"))
    a.goto(a.url("services:service_create"))
    a.submit(a.button("Create service"))
    a.errors_shown()


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "services:staff_service",
        "services:service_publish",
        "services:detail",
        "services:service_edit",
        "services:involvement_edit",
        "services:service_advance",
    },
)
def manage_a_draft_service(a: Auditor) -> None:
    a.goto(a.url("services:staff_service", DRAFT_SERVICE))
    a.submit(a.button("Publish"))
    a.submit(a.button("Make draft"))
    a.goto(a.url("services:detail", DRAFT_SERVICE))  # staff see the draft, with a warning
    a.goto(a.url("services:service_edit", DRAFT_SERVICE))
    a.field("Service name").fill("")
    a.submit(a.button("Save"))
    a.errors_shown()
    a.goto(a.url("services:involvement_edit", DRAFT_SERVICE))
    a.goto(a.url("services:service_advance", DRAFT_SERVICE))
    a.submit(a.button("End this stage"))
    a.errors_shown()


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "services:activity_create",
        "services:staff_activity",
        "services:activity_edit",
        "services:activity_transition",
    },
)
def manage_activities(a: Auditor) -> None:
    a.goto(a.url("services:activity_create", RECOVERY))
    a.submit(a.button("Add activity"))
    a.errors_shown()
    closed = Activity.objects.get(title="Stories of recovery")
    a.goto(a.url("services:staff_activity", closed.pk))
    a.page.get_by_label("Reported", exact=True).check()
    a.submit(a.button("Change state"), status=400)
    a.errors_shown()
    opened = Activity.objects.get(title="Open evening at the recovery hub")
    a.goto(a.url("services:activity_edit", opened.pk))
    a.field("Title").fill("")
    fill_date(a.page, "Closes on", ("1", "1", "2000"))  # before it opens
    a.submit(a.button("Save"))
    a.errors_shown()


@staff(
    user=SUPERUSER,
    covers={
        "services:staff_service",
        "services:staff_activity",
        "services:detail",
        "services:activity_detail",
    },
)
def every_service_and_activity_as_staff(a: Auditor) -> None:
    a.goto(a.url("services:staff_dashboard"))
    for service in Service.objects.order_by("name"):
        a.goto(a.url("services:staff_service", service.slug), heading=service.name)
        for activity in Activity.objects.filter(service_stage__service=service):
            a.goto(a.url("services:staff_activity", activity.pk), heading=activity.title)
    # Drafts have public addresses that only staff can open (and when the demo has no draft
    # activity, an activity's public page is still walked as staff).
    a.goto(a.url("services:detail", DRAFT_SERVICE))
    drafts = list(Activity.objects.filter(state=ActivityState.DRAFT)) or list(
        Activity.objects.order_by("pk")[:1]
    )
    for draft in drafts:
        a.goto(draft.get_absolute_url(), heading=draft.title)


@staff(
    user=COUNCIL_ADMIN,
    covers={"organisations:detail", "organisations:members", "organisations:member_remove"},
)
def organisation_members(a: Auditor) -> None:
    a.goto(a.url("organisations:detail", COUNCIL))
    a.goto(a.url("organisations:members", COUNCIL))
    a.field("Email address").fill("nobody@example.org")
    a.submit(a.button("Save member"))
    a.errors_shown()
    a.field("Email address").fill(RESIDENT)
    a.page.get_by_label("Facilitator", exact=True).check()
    a.submit(a.button("Save member"))
    a.submit(a.button(f"Remove {RESIDENT}"))


# --- Two-factor authentication ----------------------------------------------------------------


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "mfa_index",
        "mfa_deactivate_totp",
        "account_reauthenticate",
        "mfa_generate_recovery_codes",
        "mfa_view_recovery_codes",
        "mfa_reauthenticate",
    },
)
def two_factor_settings(a: Auditor) -> None:
    a.goto(a.url("mfa_index"))
    # Confirming who you are with the authenticator app instead of the password.
    a.goto(a.url("mfa_reauthenticate", query="next=/accounts/2fa/"))
    a.field("Code").fill(wrong_code())
    a.submit(a.button("Confirm"))
    a.errors_shown()
    # Changing two-factor settings asks for the password again first.
    a.goto(a.url("mfa_deactivate_totp"), heading="Confirm access")
    a.field("Password").fill("not my password")
    a.submit(a.button("Confirm"))
    a.errors_shown()
    a.field("Password").fill(DEFAULT_PASSWORD)
    a.submit(a.button("Confirm"), heading="Deactivate authenticator app")
    a.goto(a.url("mfa_generate_recovery_codes"))
    a.submit(a.button("Generate"))
    assert a.site.url_name(a.page.url) == "mfa_view_recovery_codes", a.page.url


@staff(
    user=None,
    covers={
        "account_login",
        "services:staff_dashboard",
        "account_reauthenticate",
        "mfa_activate_totp",
    },
)
def set_up_two_factor(a: Auditor) -> None:
    from coproduce.accounts.tests.factories import UserFactory, totp_code
    from coproduce.organisations.models import Role
    from coproduce.organisations.tests.factories import MembershipFactory

    newcomer = UserFactory(email="new.starter@northfield.example", name="Nia Evans")
    council = Organisation.objects.get(slug=COUNCIL)
    MembershipFactory(user=newcomer, organisation=council, role=Role.PROFESSIONAL)
    a.goto(a.url("account_login"))
    a.field("Email").fill(newcomer.email)
    a.field("Password").fill(DEFAULT_PASSWORD)
    a.submit(a.button("Sign in"))
    # Staff without two-factor authentication are sent to set it up, after confirming who they are.
    a.goto(a.url("services:staff_dashboard"), heading="Confirm access")
    a.field("Password").fill(DEFAULT_PASSWORD)
    a.submit(a.button("Confirm"), heading="Activate authenticator app")
    # What an authenticator app does with the secret on the page.
    secret = a.page.locator("#authenticator_secret").input_value()
    a.field("Authenticator code").fill(wrong_code(secret))
    a.submit(a.button("Activate"))
    a.errors_shown()
    a.field("Authenticator code").fill(totp_code(secret))
    a.submit(a.button("Activate"))
    a.goto(a.url("services:staff_dashboard"), heading="Your services")


# --- Crawls: every page the site links to, as each kind of person --------------------------
# A crawl follows every link of the site and checks each page it reaches; ``covers`` lists the
# pages it must reach (it reaches more: whatever the demo links to).


# Pages of which a visitor crawl opens every one; of the others it opens a few of each kind.
EVERY = frozenset(
    {
        "services:detail",
        "services:activity_list",
        "services:activity_detail",
        "organisations:detail",
    }
)


@crawl(
    user=None,
    covers={
        "services:home",
        "services:detail",
        "services:activity_list",
        "services:activity_detail",
        "organisations:list",
        "organisations:detail",
        "common:accessibility",
        "common:privacy",
        "account_login",
        "account_signup",
        "account_reset_password",
        "search:results",  # the menu's link; tests/browser/test_search.py searches
    },
)
def crawl_as_visitor(a: Auditor) -> None:
    """What a visitor can reach: every service, activity and organisation; 4 of other kinds."""
    a.crawl("/", per_pattern=4, every=EVERY)
    assert a.checked.count(a.url("services:home")) == 1


@crawl(
    user=RESIDENT,
    covers={
        "services:home",
        "services:detail",
        "services:activity_detail",
        "accounts:dashboard",
        "accounts:profile",
        "accounts:api_tokens",
        "account_logout",
    },
)
def crawl_as_resident(a: Auditor) -> None:
    """One page of each kind, as a signed-in resident sees it."""
    a.crawl("/", "/account/", per_pattern=1)


@crawl(
    user=COUNCIL_ADMIN,
    covers={
        "services:staff_dashboard",
        "services:staff_service",
        "services:staff_activity",
        "services:service_create",
        "services:service_edit",
        "services:involvement_edit",
        "services:service_advance",
        "services:activity_create",
        "services:activity_edit",
        "organisations:members",
        "accounts:dashboard",
    },
)
def crawl_as_council_staff(a: Auditor) -> None:
    """One page of each kind, as staff of the council see it."""
    a.crawl("/staff/", "/account/", "/", per_pattern=1)


from tests.browser import (  # noqa: E402,F401
    pages_assessment,
    pages_budgeting,
    pages_codesign,
    pages_commissioning,
    pages_commissioning_bids,
    pages_conversations,
    pages_equality,
    pages_governance,
    pages_outcomes,
    pages_panels,
    pages_privacy,
)
