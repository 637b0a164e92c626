"""Email settings and the one-click unsubscribe link (issue 18, "Basics people expect").

A resident opens their email settings from the account page, chooses a weekly summary for answers
and never for decisions, and sees the choice saved. Then an email reaches them (a status change,
which they get at once): in a browser where nobody is signed in they open its unsubscribe link,
which asks first, confirm, and are told those emails have stopped; back in their account, status
changes are set to "Never". All of it again in a browser with JavaScript turned off. Every page
seen with JavaScript is checked with axe. See docs/decisions/0024-notification-settings.md.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import Locator, Page, expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from tests.browser.audit import Auditor, DemoSite

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-notification-settings")]

RESIDENT = "resident@example.org"  # Jo Bennett in the demo
SAVED = "Your email settings have been saved."


class NoScriptAuditor(Auditor):
    """Records pages in a browser with JavaScript off, where axe cannot run (see the README)."""

    def check(self) -> None:
        self.checked.append(self.page.url)


def choice(page: Page, topic: str, label: str) -> Locator:
    return page.get_by_role("group", name=topic, exact=True).get_by_label(label, exact=True)


def chooses_weekly_answers_and_no_decisions(a: Auditor) -> None:
    page = a.page
    a.goto("/account/", heading="Your account")
    a.submit(page.get_by_role("link", name="Change email settings"), heading="Email settings")
    # The defaults: what happened to what you said at once, new activities once a day.
    expect(choice(page, "Answers", "At once")).to_be_checked()
    expect(choice(page, "New activities", "In a daily summary")).to_be_checked()
    choice(page, "Answers", "In a weekly summary").check()
    choice(page, "Decisions", "Never").check()
    a.submit(a.button("Save settings"), heading="Email settings")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(SAVED)
    expect(choice(page, "Answers", "In a weekly summary")).to_be_checked()
    expect(choice(page, "Decisions", "Never")).to_be_checked()
    expect(choice(page, "Status changes", "At once")).to_be_checked()


def an_email_arrives(site: DemoSite) -> str:
    """A status change for the resident (at once for them): its unsubscribe link, on this server."""
    from coproduce.accounts.models import User
    from coproduce.notifications.actions import notify

    resident = User.objects.get(email=RESIDENT)
    mail.outbox.clear()
    notify(
        users=[resident],
        event="status",
        message="“A calm room at the library” is now: adopted.",
        url="/",
        service=None,
    )
    (email,) = [m for m in mail.outbox if m.to == [RESIDENT]]
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in email.body.split()
    assert link.startswith(settings.SITE_URL)
    return site.url + link.removeprefix(settings.SITE_URL)


def unsubscribes_without_signing_in(a: Auditor, link: str) -> None:
    page = a.page
    a.goto("/")
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Sign in", exact=True)).to_have_count(1)  # signed out
    a.goto(link, heading="Stop these emails")
    expect(page.locator("main")).to_contain_text("Status changes")
    a.submit(a.button("Stop these emails"), heading="You will not get these emails")
    expect(page.locator("main")).to_contain_text("Status changes")
    # The link still says so later; it asks nothing more.
    a.goto(link, heading="You will not get these emails")
    expect(a.button("Stop these emails")).to_have_count(0)


def sees_status_changes_off(a: Auditor) -> None:
    a.goto("/account/notifications/", heading="Email settings")
    expect(choice(a.page, "Status changes", "Never")).to_be_checked()
    expect(choice(a.page, "Answers", "In a weekly summary")).to_be_checked()


def start_from_the_defaults() -> None:
    from coproduce.notifications.models import NotificationSettings

    NotificationSettings.objects.filter(user__email=RESIDENT).delete()


def test_choose_email_settings_and_unsubscribe_from_an_email(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    auditors: list[Auditor] = []
    for script in (True, False):
        start_from_the_defaults()
        make = Auditor if script else NoScriptAuditor
        signed_in = new_context(java_script_enabled=script)
        demo_site.sign_in(signed_in, RESIDENT)
        resident = make(demo_site, signed_in.new_page())
        anyone = make(demo_site, new_context(java_script_enabled=script).new_page())
        auditors += [resident, anyone]

        chooses_weekly_answers_and_no_decisions(resident)
        link = an_email_arrives(demo_site)
        unsubscribes_without_signing_in(anyone, link)
        if not script:
            expect(anyone.page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
        sees_status_changes_off(resident)

    checked_with_axe = {demo_site.url_name(url) for a in auditors[:2] for url in a.checked}
    without = {demo_site.url_name(url) for a in auditors[2:] for url in a.checked}
    assert not without - checked_with_axe, f"pages seen only without JavaScript: {without}"
    problems = [problem for a in auditors for problem in a.problems]
    assert not problems, f"{len(problems)} pages with axe violations:\n" + "\n".join(problems)
    errors = [error for a in auditors for error in a.script_errors]
    assert not errors, f"JavaScript errors: {errors}"
