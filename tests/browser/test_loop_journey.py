"""The co-production loop, end to end: what a resident says gets an answer they can see.

A new resident signs up (with the code emailed to them), answers the youth mental health needs
survey, records a community asset, tells their story, posts an idea and supports someone else's.
The NHS trust's administrator makes a community organiser a facilitator of the trust, who then
approves the resident's story and written answers from the moderation queue. A professional of
the trust answers the idea, moves it to "adopted" and records a decision that it informed. The
resident finds the answer, the status and the decision on "Your contributions" and on "You said,
we did", and the email about the answer has reached them. Then they do it again in a browser
with JavaScript turned off, and support one more idea there (a plain form instead of htmx).

Everyone gets there through the site's links and forms, as a person would, and signs in through
the sign-in form (staff with a real TOTP code). Every page any of them lands on with JavaScript
is checked with axe, and none may have a violation; axe cannot run with JavaScript off, so the
test makes sure the pages seen that way were checked with JavaScript on.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Locator, Page, Response, expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from coproduce.accounts.tests.factories import DEFAULT_PASSWORD, totp_code
from tests.browser.audit import Auditor, DemoSite, fill_date

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-loop-journey")]

# The demo's youth mental health service (run by the NHS trust) has a needs survey, a story
# collection and an idea challenge open now.
SERVICE = "Youth mental health support"
SURVEY = "What would help young people's mental health?"
STORIES = "Your story of getting help"
CHALLENGE = "Your ideas for young people's mental health"
OTHER_IDEA = "Someone to text at night"
THIRD_IDEA = "Trained peer supporters in every secondary school"
TRUST = "Northfield and Eastvale NHS Foundation Trust"
TRUST_ADMIN = "grace.obi@nhs-northfield.example"
FACILITATOR = "mo.ahmed@nca.example"  # a community organiser, with TOTP set up
PROFESSIONAL = "sam.reid@nhs-northfield.example"

RESIDENT = "alex.rowe@example.org"
RESIDENT_NAME = "Alex Rowe"
RESIDENT_PASSWORD = "tangerine bicycle lighthouse"

NEED = "A counsellor at the youth club on Friday evenings, when things are at their worst."
ASSET = "Saturday football at Eastvale Rec"
STORY = "Nobody asked how I was"
IDEA = "A calm room at Northfield library after school"
ANSWER = (
    "Thank you, Alex. The library has agreed: from next term its back room is a calm room on "
    "weekday afternoons, with a youth worker there on Tuesdays and Thursdays."
)
DECISION = "A calm room at Northfield library, with youth workers twice a week"


def follow(a: Auditor, control: Locator, *, heading: str | None = None) -> Response:
    """Click a link (or a button) that opens another page; the Auditor checks that page."""
    return a.submit(control, heading=heading)


def menu(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True)


def breadcrumb(page: Page, name: str) -> Locator:
    return (
        page.get_by_role("navigation", name="Breadcrumb")
        .get_by_role("link", name=name, exact=True)
        .first
    )


def take_part(page: Page, activity: str) -> Locator:
    """An activity's link in the service page's "Take part now" list."""
    return page.locator(".app-card-list").first.get_by_role("link", name=activity, exact=True)


def card(page: Page, text: str) -> Locator:
    """The card of a list (moderation queue, "You said, we did", …) that mentions ``text``."""
    return page.locator(".app-card-list__item").filter(has_text=text)


def banner(page: Page) -> Locator:
    return page.locator(".govuk-notification-banner")


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def emails_to(address: str) -> list[Any]:
    """What the site has sent to an address (the live server shares this process's outbox)."""
    return [message for message in mail.outbox if address in message.to]


def sign_in(a: Auditor, email: str, password: str = DEFAULT_PASSWORD) -> None:
    follow(a, menu(a.page, "Sign in"))
    a.field("Email").fill(email)
    a.field("Password").fill(password)
    a.submit(a.button("Sign in"))


def enter_authenticator_code(a: Auditor) -> None:
    """Type the code an authenticator app shows now; again if the 30-second window just closed."""
    expect(heading(a.page)).to_have_text("Two-factor authentication")
    for _attempt in range(2):
        a.field("Code").fill(totp_code())
        a.submit(a.button("Sign in"))
        if heading(a.page).inner_text() == "Your account":
            return
        a.errors_shown()
    expect(heading(a.page)).to_have_text("Your account")


def staff_sign_in(a: Auditor, email: str) -> None:
    a.goto("/")
    sign_in(a, email)
    enter_authenticator_code(a)


def resident_signs_up(a: Auditor) -> None:
    page = a.page
    a.goto("/")
    follow(a, menu(page, "Sign in"))
    follow(a, page.get_by_role("link", name="sign up"))
    a.field("Email").fill(RESIDENT)
    a.field("Your name").fill(RESIDENT_NAME)
    a.field("Password").fill(RESIDENT_PASSWORD)
    a.field("Password (again)").fill(RESIDENT_PASSWORD)
    a.submit(a.button("Sign up"))
    assert a.site.url_name(page.url) == "account_email_verification_sent", page.url
    (sent,) = emails_to(RESIDENT)
    (code,) = re.findall(r"in your open browser window\.\s+(\S+)", sent.body)
    a.field("Code").fill(code)
    a.submit(a.button("Confirm"), heading="About you: equality questions")
    # Asked once, straight after signing up (issue 16): she gives her age band and agrees.
    page.get_by_role("group", name="What is your age?").get_by_label("35 to 49").check()
    page.get_by_label("I agree", exact=False).check()
    a.submit(a.button("Save my answers"), heading="About you: equality questions")
    page.get_by_text("You have given these answers").wait_for()


def resident_finds_the_service(a: Auditor) -> None:
    page = a.page
    follow(a, menu(page, "Find a service"))
    a.field("Service name or keyword").fill("mental health")
    a.submit(a.button("Search"))
    follow(a, page.get_by_role("link", name=SERVICE, exact=True), heading=SERVICE)


def resident_answers_the_survey(a: Auditor) -> None:
    page = a.page
    follow(a, take_part(page, SURVEY), heading=SURVEY)
    follow(a, page.get_by_role("link", name="Answer the survey"), heading=SURVEY)
    group = page.get_by_role("group", name="Where would you feel comfortable getting support?")
    group.get_by_label("At a youth club").check()
    group.get_by_label("Online or by text").check()
    page.get_by_role("group", name="How would you like to first get in touch?").get_by_label(
        "Face to face"
    ).check()
    page.get_by_role("group", name="How easy is it to get mental health support now?").get_by_label(
        "2", exact=True
    ).check()
    page.get_by_label("What would have helped you, or someone you know?").fill(NEED)
    page.get_by_role("group", name="If your written answers are shown").get_by_label(
        "My first name only"
    ).check()
    a.submit(a.button("Send my answers"))
    expect(banner(page)).to_contain_text("A moderator will read your written answers")
    expect(page.get_by_text(NEED)).to_be_visible()


def resident_records_an_asset(a: Auditor) -> None:
    page = a.page
    follow(a, breadcrumb(page, SURVEY), heading=SURVEY)
    follow(a, page.get_by_role("link", name="Tell us about a community asset"))
    page.get_by_label("People and skills").check()
    a.field("Name").fill(ASSET)
    a.field("Describe it").fill(
        "Volunteer coaches run a free kickabout every Saturday morning. Lots of us go there to "
        "talk as much as to play."
    )
    a.field("Area (optional)").fill("Eastvale")
    a.submit(a.button("Add the asset"), heading=ASSET)
    expect(banner(page)).to_contain_text("Thank you")


def resident_tells_a_story(a: Auditor) -> None:
    page = a.page
    follow(a, breadcrumb(page, SERVICE), heading=SERVICE)
    follow(a, take_part(page, STORIES), heading=STORIES)
    follow(a, page.get_by_role("link", name="Tell your story"), heading="Tell your story")
    a.field("Give your story a title").fill(STORY)
    a.field("Your story").fill(
        "I saw three different people in two months and every one of them asked me to start "
        "from the beginning. Not one of them asked how I was that day."
    )
    page.get_by_role("group", name="How should we show your name with the story?").get_by_label(
        "My first name only"
    ).check()
    page.get_by_label("I agree that this story can be published on this website").check()
    a.submit(a.button("Send my story"), heading=STORY)
    expect(banner(page)).to_contain_text("A facilitator will read it before it appears")


def resident_posts_and_supports_ideas(a: Auditor) -> None:
    page = a.page
    follow(a, breadcrumb(page, SERVICE), heading=SERVICE)
    follow(a, take_part(page, CHALLENGE), heading=CHALLENGE)
    follow(a, page.get_by_role("link", name="Post an idea"))
    a.field("Give your idea a short title").fill(IDEA)
    a.field("Describe your idea").fill(
        "A quiet room with soft chairs where you can go after school when home is too much, "
        "and talk to someone if you want to."
    )
    page.get_by_label("Category (optional)").select_option(label="In the community")
    page.get_by_role("group", name="How should your name be shown?").get_by_label(
        "My full name"
    ).check()
    a.submit(a.button("Post your idea"), heading=IDEA)
    expect(banner(page)).to_contain_text("Your idea has been posted")

    follow(a, breadcrumb(page, "Ideas"))
    follow(a, page.get_by_role("link", name=OTHER_IDEA, exact=True), heading=OTHER_IDEA)
    # With JavaScript the button and the count are swapped in place (htmx).
    a.click(
        page.get_by_role("button", name=re.compile("^Support this idea")),
        then=page.get_by_text("You support this"),
    )
    expect(page.get_by_role("button", name=re.compile("^Withdraw my support"))).to_be_visible()


def admin_makes_a_facilitator(a: Auditor) -> None:
    """The trust's administrator gives a community organiser the facilitator role."""
    page = a.page
    staff_sign_in(a, TRUST_ADMIN)
    follow(a, menu(page, "Organisations"))
    follow(a, page.get_by_role("link", name=TRUST, exact=True), heading=TRUST)
    follow(a, page.get_by_role("link", name="Manage people"), heading="People")
    a.field("Email address").fill(FACILITATOR)
    page.get_by_role("group", name="Role").get_by_label("Facilitator").check()
    a.field("Job title").fill("Youth participation facilitator")
    a.submit(a.button("Save member"), heading="People")
    expect(banner(page)).to_contain_text("Member saved")
    expect(page.get_by_role("row").filter(has_text=FACILITATOR)).to_contain_text("Facilitator")


def facilitator_moderates(a: Auditor) -> None:
    page = a.page
    staff_sign_in(a, FACILITATOR)
    follow(a, menu(page, "Staff"), heading="Your services")
    follow(a, page.get_by_role("link", name=SERVICE, exact=True), heading=SERVICE)
    follow(a, page.get_by_role("link", name="Moderation queue"), heading="Moderation")
    story = card(page, STORY)
    follow(a, story.get_by_role("button", name=re.compile("^Approve")), heading="Moderation")
    expect(banner(page)).to_contain_text(f"“{STORY}” is published")
    answers = card(page, NEED)
    follow(a, answers.get_by_role("button", name=re.compile("^Approve")), heading="Moderation")
    expect(banner(page)).to_contain_text("is published")
    expect(card(page, STORY)).to_have_count(0)
    expect(card(page, NEED)).to_have_count(0)


def professional_answers_and_decides(a: Auditor) -> None:
    page = a.page
    staff_sign_in(a, PROFESSIONAL)
    follow(a, menu(page, "Staff"), heading="Your services")
    follow(a, page.get_by_role("link", name=SERVICE, exact=True), heading=SERVICE)
    follow(a, page.get_by_role("link", name="View the public page"), heading=SERVICE)
    follow(a, take_part(page, CHALLENGE), heading=CHALLENGE)
    follow(a, page.get_by_role("link", name="See the ideas, support them and comment"))
    follow(a, page.get_by_role("link", name=IDEA, exact=True), heading=IDEA)

    follow(a, page.get_by_role("link", name="Answer this idea"), heading="Answer this idea")
    a.field("Your answer").fill(ANSWER)
    a.submit(a.button("Publish the answer"), heading=IDEA)
    expect(banner(page)).to_contain_text("Your answer is published")

    follow(a, page.get_by_role("link", name="Change its status"))
    page.get_by_label("Adopted", exact=True).check()
    a.submit(a.button("Change status"), heading=IDEA)
    expect(banner(page)).to_contain_text("The idea is now “Adopted”")

    follow(a, breadcrumb(page, SERVICE), heading=SERVICE)
    follow(a, page.get_by_role("link", name="You said, we did", exact=True))
    item = card(page, IDEA)
    follow(a, item.get_by_role("link", name=re.compile("^Record a decision about this")))
    expect(page.get_by_label(f"Idea: {IDEA}")).to_be_checked()
    a.field("What was decided").fill(DECISION)
    a.field("Details and reasons").fill(
        "Young people asked for somewhere calm to go after school. Northfield library lends its "
        "back room and the trust funds two youth worker sessions a week."
    )
    a.field("Decided by").fill("Youth mental health programme board")
    fill_date(a.page, "Date of the decision", timezone.localdate())
    a.submit(a.button("Record decision"), heading=DECISION)
    expect(page.get_by_role("link", name=IDEA, exact=True)).to_be_visible()


def resident_sees_what_happened(a: Auditor) -> None:
    """From the account page: the answer, the status and the decision, in both places."""
    page = a.page
    follow(a, menu(page, "Your account"), heading="Your account")
    follow(
        a,
        page.get_by_role("link", name="Your contributions and the answers they got"),
        heading="Your contributions",
    )
    mine = card(page, IDEA)
    expect(mine).to_contain_text(ANSWER)
    expect(mine.locator("strong.govuk-tag", has_text="Adopted")).to_be_visible()
    expect(mine.locator("strong.govuk-tag", has_text="Answered")).to_be_visible()
    expect(mine).to_contain_text(f"Informed a decision: {DECISION}")
    # Moderated, so published: the story and the written answers no longer wait for anyone.
    for moderated in (STORY, f"Answers to “{SURVEY}”"):
        expect(card(page, moderated)).to_be_visible()
        expect(card(page, moderated)).not_to_contain_text("Waiting for a moderator")
    expect(card(page, ASSET)).to_be_visible()

    follow(a, mine.get_by_role("link", name=IDEA, exact=True), heading=IDEA)
    follow(a, breadcrumb(page, SERVICE), heading=SERVICE)
    follow(a, page.get_by_role("link", name="You said, we did", exact=True))
    said = card(page, IDEA)
    expect(said).to_contain_text(ANSWER)
    expect(said.locator("strong.govuk-tag", has_text="Adopted")).to_be_visible()
    expect(said).to_contain_text(f"We decided: {DECISION}")
    follow(a, said.get_by_role("link", name=DECISION), heading=DECISION)
    expect(page.get_by_role("link", name=IDEA, exact=True)).to_be_visible()


class NoScriptAuditor(Auditor):
    """Goes through pages in a browser with JavaScript turned off, where axe cannot run:
    ``axe.run`` waits on timers, and timers never fire there (it would wait for ever). It records
    the pages; the test checks that axe checked the same kinds of page in a browser with
    JavaScript on."""

    def check(self) -> None:
        self.checked.append(self.page.url)


def resident_supports_without_javascript(a: Auditor) -> None:
    """Without htmx the support button is a plain form: the page comes back with a message."""
    page = a.page
    follow(a, breadcrumb(page, SERVICE), heading=SERVICE)
    follow(a, take_part(page, CHALLENGE), heading=CHALLENGE)
    follow(a, page.get_by_role("link", name="See the ideas, support them and comment"))
    follow(a, page.get_by_role("link", name=THIRD_IDEA, exact=True), heading=THIRD_IDEA)
    a.submit(page.get_by_role("button", name=re.compile("^Support this idea")), heading=THIRD_IDEA)
    expect(banner(page)).to_contain_text(f"You support “{THIRD_IDEA}”")
    expect(page.get_by_text("You support this")).to_be_visible()
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))


def test_a_resident_is_answered_and_sees_what_became_of_it(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    auditors = []

    def person() -> Auditor:
        auditors.append(Auditor(demo_site, new_context().new_page()))
        return auditors[-1]

    resident = person()
    resident_signs_up(resident)
    resident_finds_the_service(resident)
    resident_answers_the_survey(resident)
    resident_records_an_asset(resident)
    resident_tells_a_story(resident)
    resident_posts_and_supports_ideas(resident)

    admin_makes_a_facilitator(person())
    facilitator_moderates(person())
    professional_answers_and_decides(person())

    resident_sees_what_happened(resident)
    # Every page works without JavaScript: the resident comes back in such a browser.
    later = NoScriptAuditor(demo_site, new_context(java_script_enabled=False).new_page())
    later.goto("/")
    expect(later.page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
    sign_in(later, RESIDENT, RESIDENT_PASSWORD)
    expect(heading(later.page)).to_have_text("Your account")
    resident_sees_what_happened(later)
    resident_supports_without_javascript(later)
    checked_with_axe = {demo_site.url_name(url) for a in auditors for url in a.checked}
    not_checked = {demo_site.url_name(url) for url in later.checked} - checked_with_axe
    assert not not_checked, f"pages seen only without JavaScript, never checked: {not_checked}"

    about_the_answer = [m for m in emails_to(RESIDENT) if ANSWER[:60] in m.body]
    assert about_the_answer, [m.subject for m in emails_to(RESIDENT)]
    assert SERVICE in about_the_answer[0].subject

    problems = [problem for auditor in auditors for problem in auditor.problems]
    assert not problems, f"{len(problems)} pages with axe violations:\n" + "\n".join(problems)
    errors = [error for auditor in auditors for error in auditor.script_errors]
    assert not errors, f"JavaScript errors: {errors}"
