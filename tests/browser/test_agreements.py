"""Agreeing with comments and a challenge's supports threshold (issue 18; decision 0026).

Jo Bennett, a resident, opens an idea of the youth service's open challenge, reads the promise
its threshold makes, agrees with a comment (htmx swaps the button and the count in place), sorts
the conversations by most agreed, and withdraws her agreement; then again in a browser with
JavaScript turned off, where each press goes back to the comment with a message.

Sam Reid, a professional of the NHS trust that runs the service, sends the threshold form with
mistakes (a message by each field), then sets a threshold one idea has just reached: the
threshold page lists it with its due date, and so does the inbox, filtered to the ideas with a
date. Without JavaScript he lowers it again and filters the inbox with its form.

Every page seen with JavaScript is checked with axe (see the README on pages without it).
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from coproduce.common.dates import add_working_days
from tests.browser.audit import Auditor, DemoSite

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-agreements")]

RESIDENT = "resident@example.org"  # Jo Bennett: she agrees with nothing in the demo
PROFESSIONAL = "sam.reid@nhs-northfield.example"
SLUG = "youth-mental-health-support"
CHALLENGE = "Your ideas for young people's mental health"
IDEA = "A drop-in at the youth club after school"
MILLBROOK = "Could it be at the Millbrook club too?"  # 4 agree in the demo
MILLBROOK_SAID = MILLBROOK + " Eastgate is two buses away."
UNTIL_SEVEN = "Please make it open until 7."  # 6 agree
QUESTION = "Would you need to give your name?"  # 3 agree


class NoScriptAuditor(Auditor):
    """Records pages in a browser with JavaScript off, where axe cannot run (see the README)."""

    def check(self) -> None:
        self.checked.append(self.page.url)


def challenge_pk() -> int:
    from coproduce.services.models import Activity

    return Activity.objects.get(title=CHALLENGE).pk


def idea_url() -> str:
    from coproduce.codesign.models import Idea

    return Idea.objects.get(title=IDEA).get_absolute_url()


def comment_box(page: Page, text: str) -> Locator:
    return page.locator("li.app-card-list__item[id^=comment-]").filter(has_text=text)


def agreement(page: Page, text: str) -> Locator:
    return comment_box(page, text).locator(".app-agreement")


def conversations(page: Page) -> list[str]:
    """The first line said in each conversation on the page, in order."""
    return [
        body.strip()
        for body in page.locator(
            "ul.app-card-list > li[id^=comment-] > p.govuk-body.govuk-\\!-margin-bottom-1"
        ).all_inner_texts()
    ]


def banner(page: Page) -> Locator:
    return page.locator(".govuk-notification-banner")


def sort_comments(a: Auditor, order: str) -> None:
    a.field("Sort comments by").select_option(label=order)
    a.submit(a.button("Sort comments"))


def resident_agrees_and_sorts(a: Auditor, *, script: bool) -> None:
    page = a.page
    a.goto(a.url("codesign:idea_list", challenge_pk()), heading="Ideas")
    expect(page.locator("#supports-threshold")).to_contain_text(
        "get a written answer from the team within"
    )
    a.goto(idea_url(), heading=IDEA)
    expect(page.locator("#answer-promise")).to_contain_text(
        "this idea had enough supports for a written answer from the team"
    )
    assert conversations(page) == [QUESTION, UNTIL_SEVEN, MILLBROOK_SAID]  # oldest first
    target = MILLBROOK if script else UNTIL_SEVEN
    before = 4 if script else 6
    box = agreement(page, target)
    expect(box).to_contain_text(f"{before} people agree")
    agree = box.get_by_role("button", name=re.compile(r"^Agree with the comment by \w+: “"))
    withdraw = box.get_by_role(
        "button", name=re.compile("^Withdraw my agreement with the comment by")
    )
    if script:  # swapped in place: the page does not change
        url = page.url
        a.click(agree, then=withdraw)
        assert page.url == url
    else:  # back to the comment, with a message
        a.submit(agree)
        expect(banner(page)).to_contain_text("You agree with the comment by Mia.")
        anchor = comment_box(page, target).get_attribute("id")
        assert anchor, "the comment has no id to come back to"
        assert page.url.endswith(f"#{anchor}")
    box = agreement(page, target)
    expect(box).to_contain_text(f"{before + 1} people agree")
    expect(box).to_contain_text("You agree")

    sort_comments(a, "Most agreed")
    assert "comments=agreed" in page.url
    # 6 or 7 agree with the first, 5 or 4 with the second, 3 with the question.
    assert conversations(page) == [UNTIL_SEVEN, MILLBROOK_SAID, QUESTION]
    expect(page.get_by_label("Sort comments by")).to_have_value("agreed")
    sort_comments(a, "Newest first")
    assert conversations(page)[0].startswith(MILLBROOK)

    sort_comments(a, "Most agreed")
    withdraw = agreement(page, target).get_by_role(
        "button", name=re.compile("^Withdraw my agreement")
    )
    if script:
        a.click(
            withdraw, then=agreement(page, target).get_by_role("button", name=re.compile("^Agree"))
        )
    else:
        a.submit(withdraw)
        expect(banner(page)).to_contain_text("You no longer agree with the comment by Mia.")
        assert "comments=agreed" in page.url  # the order the page showed is kept
    expect(agreement(page, target)).to_contain_text(f"{before} people agree")


def test_a_resident_agrees_with_a_comment_and_sorts_by_most_agreed(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    from coproduce.codesign.models import Agreement

    with_script = new_context()
    demo_site.sign_in(with_script, RESIDENT)
    a = Auditor(demo_site, with_script.new_page())
    resident_agrees_and_sorts(a, script=True)

    without_script = new_context(java_script_enabled=False)
    demo_site.sign_in(without_script, RESIDENT)
    later = NoScriptAuditor(demo_site, without_script.new_page())
    resident_agrees_and_sorts(later, script=False)
    expect(later.page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))

    assert not Agreement.objects.filter(user__email=RESIDENT).exists()  # both withdrawn
    assert {"codesign:agree", "codesign:idea_detail"} <= a.reached & later.reached
    assert not a.problems, f"{len(a.problems)} pages with axe violations:\n" + "\n".join(a.problems)
    assert not a.script_errors, f"JavaScript errors: {a.script_errors}"


def staff_set_a_threshold(a: Auditor, supports: int, idea: str) -> None:
    page = a.page
    a.goto(a.url("codesign:idea_list", challenge_pk()), heading="Ideas")
    a.submit(page.get_by_role("link", name="Supports threshold"), heading="Supports threshold")
    a.field("Number of supports (optional)").fill("lots")
    a.field("Working days to answer (optional)").fill("0")
    a.submit(a.button("Save the threshold"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the number of supports as a whole number, like 50.")
    expect(summary).to_contain_text("The working days must be between 1 and 120.")
    expect(page.locator("#id_supports-error")).to_contain_text("whole number")
    expect(page.locator("#id_answer_days-error")).to_contain_text("between 1 and 120")

    a.field("Number of supports (optional)").fill(str(supports))
    a.field("Working days to answer (optional)").fill("15")
    a.submit(a.button("Save the threshold"), heading="Supports threshold")
    expect(banner(page)).to_contain_text(
        f"Threshold saved: Ideas with {supports} supports get a written answer from the team "
        "within 15 working days."
    )
    due = f"{add_working_days(timezone.localdate(), 15):%-d %B %Y}"
    row = page.get_by_role("row").filter(has_text=idea)
    expect(row).to_contain_text(due)
    expect(row).to_contain_text("Not yet")

    a.submit(
        page.get_by_role("link", name="Answer them in the inbox"), heading="Waiting for an answer"
    )
    item = page.locator(".app-card-list__item").filter(has_text=idea)
    expect(item).to_contain_text(f"Answer due by {due}")
    expect(
        page.locator(".app-card-list__item").filter(has_text="Someone to text at night")
    ).to_contain_text("Answer due by")


def test_staff_set_a_threshold_and_see_an_idea_due_in_the_inbox(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    with_script = new_context()
    demo_site.sign_in(with_script, PROFESSIONAL)
    a = Auditor(demo_site, with_script.new_page())
    staff_set_a_threshold(a, 9, "Trained peer supporters in every secondary school")

    without_script = new_context(java_script_enabled=False)
    demo_site.sign_in(without_script, PROFESSIONAL)
    later = NoScriptAuditor(demo_site, without_script.new_page())
    staff_set_a_threshold(later, 4, "Mental health first aid for parents")
    page = later.page
    # The inbox's own filter form: only those past their date (none yet), then all with a date.
    later.goto(later.url("contributions:service_inbox", SLUG), heading="Waiting for an answer")
    later.field("Date an answer was promised by").select_option(label="Only those past their date")
    later.submit(later.button("Apply filters"))
    expect(page.get_by_text("Nothing waiting for an answer matches these filters.")).to_be_visible()
    later.field("Date an answer was promised by").select_option(label="Only those with a date")
    later.submit(later.button("Apply filters"))
    titles = page.locator(".app-card-list__item").all_inner_texts()
    assert len(titles) == 3, titles  # text at night; peer supporters; first aid for parents

    assert {"codesign:threshold", "contributions:service_inbox"} <= a.reached
    assert not a.problems, f"{len(a.problems)} pages with axe violations:\n" + "\n".join(a.problems)
    assert not a.script_errors, f"JavaScript errors: {a.script_errors}"
