"""A stale form keeps the text (issue 18, defect 4).

A resident opens "Post an idea" and writes it. Meanwhile, in another tab, they sign out and sign
in again, which gives the browser a new CSRF token. When they send the idea the form's token no
longer matches: instead of Django's developer page ("CSRF verification failed") they get the
site's page, which says what happened and what to do, and shows what they wrote (escaped, never
run) so that they can copy it. They follow its advice: back to the form, paste, send. The pages
are checked with axe.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Dialog, Page, expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from coproduce.accounts.tests.factories import DEFAULT_PASSWORD
from tests.browser.audit import Auditor, DemoSite

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-stale-form")]

RESIDENT = "resident@example.org"  # Jo Bennett in the demo
CHALLENGE = "Your ideas for young people's mental health"
TITLE = "Drop-in <script>alert('boo')</script> art room"
DESCRIPTION = (
    "An art room at the youth centre on Wednesday evenings.\n\n"
    "Somewhere to draw and talk, with no need to book."
)


def sign_out_and_in_again(page: Page, site: DemoSite) -> None:
    """In another tab: sign out, then sign in again through the sign-in form."""
    page.goto(site.url + "/accounts/logout/")
    page.get_by_role("button", name=re.compile("^sign out$", re.I)).click()
    expect(page.get_by_role("link", name=re.compile("^sign in$", re.I))).to_be_visible()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sign in").click()
    page.get_by_label("Email", exact=True).fill(RESIDENT)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name=re.compile("^sign in$", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")


def test_a_stale_idea_form_shows_the_text_to_copy(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    from coproduce.codesign.models import Idea
    from coproduce.services.models import Activity

    context = new_context()
    demo_site.sign_in(context, RESIDENT)
    a = Auditor(demo_site, context.new_page())
    page = a.page
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)

    challenge = Activity.objects.get(title=CHALLENGE)
    a.goto(a.url("codesign:idea_create", challenge.pk), heading="Post an idea")
    a.field("Give your idea a short title").fill(TITLE)
    a.field("Describe your idea").fill(DESCRIPTION)

    sign_out_and_in_again(context.new_page(), demo_site)

    a.submit(a.button("Post your idea"), status=403, heading="Your form was not sent")
    main = page.locator("main")
    expect(main).to_contain_text("signed in or out in another tab")
    expect(main).to_contain_text("paste your text in and send it again")
    # What they wrote, in boxes they can copy from, shown as text and never run.
    expect(a.field("Title")).to_have_value(TITLE)
    expect(a.field("Description")).to_have_value(DESCRIPTION)
    labels = main.locator("label").all_inner_texts()
    assert not [label for label in labels if re.search("token|csrf", label, re.I)], labels
    assert TITLE in a.field("Title").input_value()
    assert not dialogs, f"the page ran a script from the form: {dialogs}"
    # Still the site's page: its header, signed in, and its footer.
    expect(page.get_by_role("link", name=re.compile("^sign out$", re.I))).to_be_visible()
    expect(page.locator("footer.govuk-footer")).to_be_visible()
    assert not Idea.objects.filter(title=TITLE).exists()

    # What the page says to do works: back to the form (a fresh page), paste, send.
    a.submit(page.get_by_role("button", name="Go back to the form"), heading="Post an idea")
    a.field("Give your idea a short title").fill(TITLE)
    a.field("Describe your idea").fill(DESCRIPTION)
    page.get_by_role("group", name="How should your name be shown?").get_by_label(
        "My first name only"
    ).check()
    a.submit(a.button("Post your idea"), heading=TITLE)
    assert Idea.objects.filter(title=TITLE).count() == 1

    assert not dialogs, dialogs
    assert not a.problems, f"{len(a.problems)} pages with axe violations:\n" + "\n".join(a.problems)
    assert not a.script_errors, f"JavaScript errors: {a.script_errors}"
