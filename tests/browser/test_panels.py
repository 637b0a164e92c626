"""Citizen panels (issue 13): the coordinator sets up quotas and prints the letters; a resident
registers with the code from a letter; the coordinator checks feasibility, commits the seed and
draws the panel; a member reads the evidence, drafts a recommendation and votes on it; the
coordinator closes the vote; staff answer the recommendation; a visitor reads the selection report
and the answer. The same again with JavaScript off. Every page seen with JavaScript is checked
with axe.

The draw is a background task: here the test runs it in-process (``tasks.run_selection``) after the
coordinator's button has queued it, as the worker would. The volunteers beside the resident come
from the factories (registering twelve people through the browser adds nothing).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from tests.browser.audit import DemoSite
from tests.browser.pages_panels import ADDRESSES
from tests.browser.test_budgeting import _auditor, _done

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-panels")]

RESIDENT = "resident@example.org"
COUNCIL_ADMIN = "amira.khan@northfield.example"
RECOVERY = "drug-and-alcohol-recovery-service"


def journey(site: DemoSite, new_context: CreateContextCallback, *, script: bool) -> None:
    from coproduce.accounts.models import User
    from coproduce.panels import actions, actions_deliberation
    from coproduce.panels.models import Phase, RegistrationData, Selection
    from coproduce.panels.tasks import run_selection
    from coproduce.panels.tests.factories import PanelSetup, register
    from coproduce.services.models import ActivityKind, ActivityState, Service
    from coproduce.services.tests.factories import ActivityFactory

    mark = "with JavaScript" if script else "without JavaScript"
    title = f"Recovery commissioning panel ({mark})"
    activity = ActivityFactory(
        service=Service.objects.get(slug=RECOVERY),
        kind=ActivityKind.CITIZEN_PANEL,
        state=ActivityState.OPEN,
        title=title,
    )

    # The coordinator sets up the panel and its quotas.
    staff = _auditor(site, new_context, COUNCIL_ADMIN, script=script)
    staff.goto(staff.url("panels:manage", activity.pk), heading="Set up the citizen panel")
    staff.field("The question the panel answers").fill("What should the recovery hub offer?")
    staff.field("Number of members").fill("4")
    staff.page.get_by_label("Anyone may register through an open link").check()
    staff.submit(staff.button("Set up the panel"), heading="Run the panel")
    panel = activity.panel
    staff.goto(staff.url("panels:quotas", panel.pk), heading="Quotas")
    for name, lines in (("Age", "16-39\n40+"), ("Area", "North\nSouth")):
        staff.field("Name of the category").fill(name)
        staff.field("Answers").fill(lines)
        staff.submit(staff.button("Add the category"), heading="Quotas")
    for category, quotas in (("Age", (1, 3, 1, 3)), ("Area", (2, 2, 2, 2))):
        form = staff.page.locator("form", has=staff.button(f"Save the quotas of “{category}”"))
        fields = form.locator("input[type=text], input[type=number], input[inputmode=numeric]")
        for index, value in enumerate(quotas):
            fields.nth(index).fill(str(value))
        staff.submit(staff.button(f"Save the quotas of “{category}”"), heading="Quotas")
    assert panel.categories.count() == 2

    # ... imports addresses, draws them and prints the letters.
    staff.goto(staff.url("panels:manage", panel.pk), heading="Run the panel")
    staff.submit(staff.page.get_by_role("button", name="Move to the next phase").first)
    staff.goto(staff.url("panels:invitations", panel.pk), heading="Addresses and invitations")
    staff.field("Paste the table").fill(ADDRESSES)
    staff.submit(staff.button("Add the addresses"), heading="Addresses and invitations")
    staff.field("How many addresses to draw").fill("4")
    staff.submit(staff.button("Draw the addresses"), heading="Addresses and invitations")
    letters = staff.page.request.get(staff.url("panels:letters_pdf", panel.pk))
    assert letters.status == 200
    assert letters.headers["content-type"] == "application/pdf"
    assert letters.body().startswith(b"%PDF")
    staff.goto(staff.url("panels:manage", panel.pk), heading="Run the panel")
    staff.submit(staff.page.get_by_role("button", name="Move to the next phase").first)
    panel.refresh_from_db()
    assert panel.phase == Phase.REGISTRATION

    # A resident registers with the code from a letter.
    invitation = panel.invitations.exclude(registration_code=None).first()
    assert invitation is not None
    code = str(invitation.registration_code)
    visitor = _auditor(site, new_context, None, script=script)
    visitor.goto(activity.get_absolute_url())
    visitor.submit(
        visitor.page.get_by_role("link", name="Register for the panel"),
        heading="Register with the code",
    )
    visitor.field("Your registration code").fill(code.lower())
    visitor.submit(visitor.button("Continue"), heading="Register for the citizen panel")
    visitor.field("Your full name").fill(f"Sam Lee ({mark})")
    visitor.field("Email address").fill("sam.lee@example.org")
    visitor.page.get_by_role("group", name="Age").get_by_label("40+").check()
    visitor.page.get_by_role("group", name="Area").get_by_label("North").check()
    visitor.submit(visitor.button("Register"), heading="Register for the citizen panel")
    visitor.errors_shown()  # no consent yet: nothing typed is lost
    expect(visitor.field("Your full name")).to_have_value(f"Sam Lee ({mark})")
    visitor.page.locator("input[name=consent]").check()
    visitor.submit(visitor.button("Register"), heading="You have registered")
    assert RegistrationData.objects.filter(name=f"Sam Lee ({mark})").exists()
    for answers in (
        {"Age": "16-39", "Area": "North"},
        {"Age": "16-39", "Area": "South"},
        {"Age": "40+", "Area": "South"},
        {"Age": "16-39", "Area": "North"},
        {"Age": "40+", "Area": "South"},
    ):
        register(PanelSetup(panel=panel, staff=User.objects.get(email=COUNCIL_ADMIN)), answers)

    # The coordinator checks feasibility and draws the panel.
    staff.goto(staff.url("panels:manage", panel.pk), heading="Run the panel")
    staff.submit(staff.page.get_by_role("button", name="Move to the next phase").first)
    staff.goto(staff.url("panels:feasibility", panel.pk), heading="Can the quotas be met?")
    staff.goto(staff.url("panels:selection", panel.pk), heading="Selection")
    staff.submit(staff.button("Commit the seed"), heading="Selection")
    staff.submit(staff.button("Start the draw"), heading="Draw of the panel")
    selection = Selection.objects.filter(panel=panel).latest("pk")
    run_selection(selection.pk)
    staff.goto(staff.url("panels:selection_status", selection.pk), heading="Draw of the panel")
    expect(staff.page.locator("main")).to_contain_text("Done")

    # The demo resident is a member; they read the evidence, draft and vote.
    coordinator = User.objects.get(email=COUNCIL_ADMIN)
    panel.refresh_from_db()
    panel = actions.phase_set(panel=panel, by=coordinator, phase=Phase.DELIBERATION)
    actions_deliberation.member_add(panel=panel, by=coordinator, email=RESIDENT)
    staff.goto(staff.url("panels:session_add", panel.pk))
    staff.field("Title").fill("What the hub offers now")
    staff.field("Place (in person)").fill("Recovery hub, 14 Station Road")
    staff.page.get_by_role("group", name="Date").get_by_label("Day").fill("12")
    staff.page.get_by_role("group", name="Date").get_by_label("Month").fill("1")
    staff.page.get_by_role("group", name="Date").get_by_label("Year").fill("2027")
    staff.field("Starts at").fill("18:30")
    staff.submit(staff.button("Save the session"))
    member = _auditor(site, new_context, RESIDENT, script=script)
    member.goto(member.url("panels:workspace", panel.pk), heading="Panel workspace")
    expect(member.page.locator("main")).to_contain_text("What the hub offers now")
    member.goto(member.url("panels:recommendation_add", panel.pk), heading="Draft a recommendation")
    recommendation_title = f"Open the hub on Saturdays ({mark})"
    member.field("Title").fill(recommendation_title)
    member.field("The recommendation").fill("From 10am to 2pm, with a peer mentor.")
    member.submit(member.button("Save the draft"))
    staff.goto(staff.url("panels:voting", panel.pk), heading="The members’ vote")
    staff.submit(staff.button("Open the vote"), heading="The members’ vote")
    recommendation = panel.recommendations.get(title=recommendation_title)
    member.goto(member.url("panels:recommendation_vote", recommendation.pk))
    member.page.get_by_label("I support it", exact=True).check()
    member.submit(member.button("Save my vote"))
    staff.goto(staff.url("panels:voting", panel.pk), heading="The members’ vote")
    staff.submit(staff.button("Close the vote and publish the results"))
    recommendation.refresh_from_db()
    assert recommendation.contribution is not None

    # Staff answer it through the spine.
    staff.goto(staff.url("contributions:respond", recommendation.contribution.pk))
    staff.field("Your answer").fill("Accepted: Saturdays from March, with a peer mentor.")
    staff.submit(staff.button("Publish the answer"))

    # A visitor reads the selection report and the answer.
    visitor.goto(visitor.url("panels:selection_report", panel.pk), heading="How the members")
    expect(visitor.page.locator("main")).to_contain_text("python -m civic_algorithms sortition")
    visitor.goto(visitor.url("panels:recommendations", panel.pk), heading="What the citizen panel")
    expect(visitor.page.locator("main")).to_contain_text(recommendation_title)
    visitor.goto(visitor.url("panels:recommendation_detail", recommendation.pk))
    expect(visitor.page.locator("main")).to_contain_text("Saturdays from March")

    _done(staff)
    _done(visitor)
    _done(member)


def test_a_citizen_panel_with_javascript(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    journey(demo_site, new_context, script=True)


def test_a_citizen_panel_without_javascript(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    journey(demo_site, new_context, script=False)
