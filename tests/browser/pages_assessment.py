"""Walks through the assessment pages (issue 12), for axe and the page coverage test.

Imported at the end of ``pages.py``, so the walks join its PUBLIC and STAFF registries. Each walk
makes its own service of the council with its own framework of standards, through the real
actions (a service has one framework, so walks do not share one).
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import FilePayload

from tests.browser.audit import Auditor
from tests.browser.pages import COUNCIL, COUNCIL_ADMIN, public, staff
from tests.browser.pages_commissioning_bids import without_script


def a_framework(name: str) -> tuple[Any, Any, Any, Any]:
    """A council service whose standards have an agreed version 1 (four standards) and a draft
    version 2 started from it: (service, version 1, version 2, the keeper)."""
    from coproduce.accounts.models import User
    from coproduce.assessment.tests.factories import make_framework, next_draft
    from coproduce.organisations.models import Organisation
    from coproduce.services.tests.factories import ServiceFactory

    keeper = User.objects.get(email=COUNCIL_ADMIN)
    service = ServiceFactory(organisation=Organisation.objects.get(slug=COUNCIL), name=name)
    first = make_framework(service, keeper, count=4)
    return service, first, next_draft(first, keeper), keeper


@public(user=None, covers={"assessment:framework", "assessment:version"})
def standards_as_a_visitor(a: Auditor) -> None:
    """The agreed standards, an earlier version, and a version that does not exist."""
    from coproduce.assessment import actions_framework

    service, first, second, keeper = a_framework("Community buses: visitor's view")
    actions_framework.version_agree(
        version=second, by=keeper, change_note="Checked again with passengers."
    )
    a.goto(a.url("assessment:framework", service.slug), heading=f"Standards: {service.name}")
    a.goto(a.url("assessment:version", first.pk), heading="Standards, version 1")
    a.goto(a.url("assessment:version", 10**12), status=404)


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "assessment:manage_framework",
        "assessment:version_start",
        "assessment:version_edit",
        "assessment:standard_add",
        "assessment:standard_edit",
        "assessment:standard_delete",
        "assessment:version_agree",
        "assessment:version",
    },
)
def keep_the_standards(a: Auditor) -> None:
    """Add a standard (errors first), move one, change and remove one, agree the version."""
    service, _first, draft, _keeper = a_framework("Community buses: staff view")
    heading = "Version 2 of the standards"
    a.goto(a.url("assessment:manage_framework", service.slug), heading=f"Standards: {service.name}")
    a.goto(a.url("assessment:version_start", service.slug), heading=heading)  # goes to the draft
    a.goto(a.url("assessment:standard_add", draft.pk))
    a.submit(a.button("Add the standard"))
    a.errors_shown()
    a.field("Theme").fill("On the journey")
    a.field("Standard").fill("The bus is clean")
    a.submit(a.button("Add the standard"), heading=heading)
    a.submit(a.page.get_by_role("button", name="Move up").first, heading=heading)
    standard = draft.standards.order_by("position").first()
    a.goto(a.url("assessment:standard_edit", standard.pk))
    a.goto(a.url("assessment:standard_delete", standard.pk))
    a.submit(a.button("Remove the standard"), heading=heading)
    a.goto(a.url("assessment:version", draft.pk), heading="Standards, version 2")
    a.goto(a.url("assessment:version_agree", draft.pk))
    a.submit(a.button("Agree and publish"))
    a.errors_shown()
    a.field("What changed, and why").fill("Passengers added one.")
    a.submit(a.button("Agree and publish"), heading=f"Standards: {service.name}")


def an_assessment(name: str, *, set_up: bool = True) -> Any:
    """An open user-assessment activity of a new council service with an agreed version of its
    standards; pinned to it unless ``set_up`` is false (then the activity is returned)."""
    from coproduce.assessment.actions_assessments import assessment_set_up
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    service, first, _draft, keeper = a_framework(name)
    activity = ActivityFactory(
        service=service,
        kind=ActivityKind.ASSESSMENT,
        state=ActivityState.OPEN,
        title=f"{name}: assessment",
    )
    if not set_up:
        return activity
    return assessment_set_up(activity=activity, by=keeper, version=first)


@public(
    user="priya.s@example.org",
    covers={"assessment:assessment", "assessment:rate", "assessment:results"},
)
def rating_the_service(a: Auditor) -> None:
    """A resident sends no answers (errors), then rates every standard; then the results."""
    assessment = an_assessment("Community buses: passenger's view")
    title = assessment.activity.title
    a.goto(a.url("assessment:assessment", assessment.pk), heading=title)
    a.submit(
        a.page.get_by_role("button", name="Rate the service").first, heading="Rate the service"
    )
    a.submit(a.button("Send my answers"))
    a.errors_shown()
    for radio in a.page.locator("input[type=radio][value='4']").all():
        radio.check()
    a.submit(a.button("Send my answers"), heading=title)
    a.goto(a.url("assessment:results", assessment.pk), heading="Results")


@staff(user=COUNCIL_ADMIN, covers={"assessment:manage", "assessment:paper_entry"})
def run_an_assessment(a: Auditor) -> None:
    """Pin the agreed version, then a paper form sent empty (errors)."""
    activity = an_assessment("Community buses: staff assessment", set_up=False)
    a.goto(a.url("assessment:manage", activity.pk), heading="Run the assessment")
    a.submit(a.button("Set up the assessment"), heading="Run the assessment")
    a.goto(a.url("assessment:paper_entry", activity.pk), heading="Enter a paper form")
    a.submit(a.button("Add this paper form"))
    a.errors_shown()


def a_closed_assessment(name: str) -> tuple[Any, Any]:
    """A closed user assessment of a new council service: (assessment, the keeper)."""
    from coproduce.assessment.models import Assessment
    from coproduce.services.actions import activity_transition
    from coproduce.services.models import ActivityState

    assessment = an_assessment(name)
    activity_transition(activity=assessment.activity, to_state=ActivityState.CLOSED)
    keeper = assessment.created_by
    return Assessment.objects.get(pk=assessment.pk), keeper


@public(user=None, covers={"assessment:finding", "assessment:actions"})
def findings_as_a_visitor(a: Auditor) -> None:
    """A concern with two improvement actions (one overdue), its page, the service's list of
    actions, the service page's "Improving the service", and "You said, we did"."""
    import datetime as dt

    from django.utils import timezone

    from coproduce.assessment import actions_findings
    from coproduce.assessment.models import ImprovementAction

    assessment, keeper = a_closed_assessment("Community buses: findings")
    finding = actions_findings.finding_add(
        assessment=assessment,
        by=keeper,
        kind="concern",
        title="Getting through on the phone is hard",
        evidence="Fewer than a third said they always or mostly get through.",
    )
    soon = timezone.localdate() + dt.timedelta(days=20)
    for what in ("Open a second line", "Ring back within a day"):
        actions_findings.action_add(
            finding=finding, by=keeper, description=what, owner="Scheme manager", due_on=soon
        )
    ImprovementAction.objects.filter(description="Ring back within a day").update(
        due_on=timezone.localdate() - dt.timedelta(days=3)
    )
    service = assessment.activity.service
    a.goto(a.url("assessment:finding", finding.pk), heading=finding.title)
    a.goto(a.url("assessment:actions", service.slug), heading="Improvement actions")
    a.goto(service.get_absolute_url(), heading=service.name)
    a.page.locator("#overdue-actions").wait_for()
    # And in "You said, we did", among what waits for an answer, with what is being done.
    waiting = a.url("contributions:you_said_we_did", service.slug) + "?show=waiting"
    a.goto(waiting, heading="You said, we did")
    a.page.get_by_text("Getting through on the phone is hard").first.wait_for()
    a.page.get_by_text("We are acting on it:").first.wait_for()


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "assessment:finding_add",
        "assessment:finding_edit",
        "assessment:action_add",
        "assessment:action_edit",
    },
)
def turn_a_finding_into_an_action(a: Auditor) -> None:
    """Write a concern (errors first), correct it, add an improvement action (errors first) and
    close it with its evidence (errors first); then the same without JavaScript."""
    act_on_a_finding(a, "Community buses: acting on findings")
    with without_script(a, COUNCIL_ADMIN) as later:
        act_on_a_finding(later, "Community buses: acting on findings (no JavaScript)")


def act_on_a_finding(a: Auditor, name: str) -> None:
    import datetime as dt

    from django.utils import timezone

    from tests.browser.audit import fill_date

    assessment, _keeper = a_closed_assessment(name)
    title = "Pick-ups are often late"
    a.goto(a.url("assessment:manage", assessment.pk), heading="Run the assessment")
    a.goto(a.url("assessment:finding_add", assessment.pk), heading="Add a finding")
    a.submit(a.button("Publish the finding"))
    a.errors_shown()
    a.page.get_by_label("Concern", exact=True).check()
    a.field("The finding, in a sentence").fill(title)
    a.field("Evidence").fill("Only half said they are picked up on time.")
    a.submit(a.button("Publish the finding"), heading=title)
    a.submit(a.page.get_by_role("link", name="Correct this finding"), heading="Correct a finding")
    a.submit(a.button("Save the finding"), heading=title)
    a.submit(
        a.page.get_by_role("button", name="Add an improvement action"),
        heading="Add an improvement action",
    )
    a.submit(a.button("Add the action"))
    a.errors_shown()
    a.field("What will be done").fill("Text passengers when the bus is late")
    a.field("Who will do it").fill("Transport coordinator")
    fill_date(a.page, "By when", timezone.localdate() + dt.timedelta(days=30))
    a.submit(a.button("Add the action"), heading=title)
    a.submit(
        a.page.get_by_role("link", name="Update – Text passengers when the bus is late"),
        heading="Text passengers when the bus is late",
    )
    a.page.get_by_label("Done", exact=True).check()
    a.submit(a.button("Save"))
    a.errors_shown()
    a.field("What shows it is done, or why it is not going ahead").fill(
        "Texts started in May; complaints about waiting fell by half."
    )
    a.submit(a.button("Save"), heading=title)
    service = assessment.activity.service
    # Not answered yet, so among what still waits for an answer, with its action.
    waiting = a.url("contributions:you_said_we_did", service.slug) + "?show=waiting"
    a.goto(waiting, heading="You said, we did")
    a.page.get_by_text("We are acting on it:").first.wait_for()


def a_team_method(name: str, kind: str) -> Any:
    """An open peer review or self-reflection of a new council service, pinned to its agreed
    standards."""
    from coproduce.assessment.actions_assessments import assessment_set_up
    from coproduce.services.models import ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    service, first, _draft, keeper = a_framework(name)
    activity = ActivityFactory(
        service=service, kind=kind, state=ActivityState.OPEN, title=f"{name}: {kind}"
    )
    return assessment_set_up(activity=activity, by=keeper, version=first)


@staff(
    user=COUNCIL_ADMIN,
    covers={"assessment:team", "assessment:assessor_remove", "assessment:team_ratings"},
)
def choose_a_peer_team(a: Auditor) -> None:
    """The visit and the team (errors first), taking someone off, the ratings side by side."""
    import datetime as dt

    from django.utils import timezone

    from coproduce.accounts.tests.factories import UserFactory
    from tests.browser.audit import fill_date

    review = a_team_method("Community buses: peer team", "peer_review")
    peer = UserFactory(name="Morgan Peer")
    a.goto(a.url("assessment:manage", review.pk), heading="Run the peer review")
    a.goto(a.url("assessment:team", review.pk), heading="The peer review team")
    a.submit(a.button("Add to the team"))
    a.errors_shown()
    a.field("Email address of their account").fill(peer.email)
    a.field("Where they come from").fill("Eastvale Dial-a-Ride user group")
    a.submit(a.button("Add to the team"), heading="The peer review team")
    fill_date(a.page, "Date of the visit", timezone.localdate() + dt.timedelta(days=14))
    a.submit(a.button("Save the visit"), heading="The peer review team")
    assessor = review.assessors.get()
    a.goto(a.url("assessment:assessor_remove", assessor.pk))
    a.submit(a.button("Remove from the team"), heading="The peer review team")
    a.goto(a.url("assessment:team_ratings", review.pk), heading="The team’s ratings")


@public(
    user="priya.s@example.org",
    covers={
        "assessment:assessor_rate",
        "assessment:report_edit",
        "assessment:report_publish",
        "assessment:report",
    },
)
def lead_a_peer_review(a: Auditor) -> None:
    """The lead assessor hands in their ratings (errors first), sees the team's, writes the agreed
    report and publishes it; then another review, led by another resident, without JavaScript."""
    lead_the_review(a, "Community buses: peer visit", "priya.s@example.org")
    with without_script(a, "dave.m@example.org") as later:
        lead_the_review(later, "Community buses: peer visit (no JavaScript)", "dave.m@example.org")


def lead_the_review(a: Auditor, name: str, lead: str) -> None:
    from coproduce.accounts.models import User
    from coproduce.assessment.tests.factories_peer import add_assessor, hand_in

    review = a_team_method(name, "peer_review")
    keeper = review.created_by
    add_assessor(review, keeper, User.objects.get(email=lead), lead=True)
    hand_in(add_assessor(review, keeper), 4)
    a.goto(a.url("assessment:assessor_rate", review.pk), heading="Your ratings")
    a.submit(a.button("Hand in my ratings"))
    a.errors_shown()
    for radio in a.page.locator("input[type=radio][value='4']").all():
        radio.check()
    a.submit(a.button("Hand in my ratings"), heading="The team’s ratings")
    a.goto(a.url("assessment:report_edit", review.pk), heading="Write the report")
    for radio in a.page.locator("input[type=radio][value='4']").all():
        radio.check()
    a.field("Summary of the report").fill("A friendly, reliable service; booking by phone is hard.")
    a.submit(a.button("Save the report"), heading="Peer review report")
    a.goto(a.url("assessment:report_publish", review.pk), heading="Publish the report")
    a.submit(a.button("Publish the report"), heading="Peer review report")


@staff(
    user=COUNCIL_ADMIN,
    covers={"assessment:report_edit", "assessment:report", "assessment:report_publish"},
)
def reflect_as_a_team(a: Auditor) -> None:
    """A team's self-reflection: a note without a rating (errors), then the ratings; the report
    beside how people rate the service; published. Then the same without JavaScript."""
    reflect(a, "Community buses: our reflection")
    with without_script(a, COUNCIL_ADMIN) as later:
        reflect(later, "Community buses: our reflection (no JavaScript)")


def reflect(a: Auditor, name: str) -> None:
    reflection = a_team_method(name, "self_reflection")
    a.goto(a.url("assessment:report_edit", reflection.pk), heading="Write the report")
    a.page.get_by_label("Why, and what shows it (optional)").first.fill("Calls wait too long.")
    a.submit(a.button("Save the report"))
    a.errors_shown()
    for radio in a.page.locator("input[type=radio][value='3']").all():
        radio.check()
    a.field("Summary of the report").fill("We are proud of the drivers; booking needs work.")
    a.submit(a.button("Save the report"), heading="Self-reflection report")
    a.goto(a.url("assessment:report_publish", reflection.pk), heading="Publish the report")
    a.submit(a.button("Publish the report"), heading="Self-reflection report")


@public(user=None, covers={"assessment:report"})
def read_a_published_self_reflection(a: Auditor) -> None:
    """A published self-reflection, as a visitor."""
    from coproduce.assessment import actions_report
    from coproduce.assessment.tests.factories_report import every

    reflection = a_team_method("Community buses: published reflection", "self_reflection")
    keeper = reflection.created_by
    actions_report.report_save(
        assessment=reflection, by=keeper, ratings=every(reflection, 4), summary="Proud, mostly."
    )
    actions_report.report_publish(assessment=reflection, by=keeper)
    a.goto(a.url("assessment:report", reflection.pk), heading="Self-reflection report")


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "assessment:coaching_add",
        "assessment:coaching",
        "assessment:coaching_edit",
        "assessment:my_coaching",
    },
)
def coach_a_resident(a: Auditor) -> None:
    """Record a coaching session (errors first), change it, and see it among one's sessions."""
    from django.utils import timezone

    from coproduce.services.tests.factories import ActivityFactory
    from tests.browser.audit import fill_date
    from tests.browser.pages import RESIDENT

    service, _first, _draft, _keeper = a_framework("Community buses: coaching")
    ActivityFactory(service=service)
    a.goto(a.url("assessment:coaching_add", service.slug), heading="Record a coaching session")
    a.submit(a.button("Save the session"))
    a.errors_shown()
    a.page.get_by_label("I am the coach", exact=True).check()
    a.field("Email addresses of the people being coached").fill(RESIDENT)
    fill_date(a.page, "Date of the session", timezone.localdate())
    a.field("Goals").fill("Write evidence notes the rest of the team can follow.")
    a.submit(a.button("Save the session"))
    a.page.locator("h1", has_text="Coaching session on").wait_for()
    a.submit(
        a.page.get_by_role("button", name="Change the session"),
        heading="Change the coaching session",
    )
    a.submit(a.button("Save the changes"))
    a.page.locator("h1", has_text="Coaching session on").wait_for()
    a.goto(a.url("assessment:my_coaching"), heading="Your coaching sessions")


@public(
    user="priya.s@example.org",
    covers={"assessment:coaching", "assessment:coaching_leave", "assessment:my_coaching"},
)
def leave_a_coaching_session(a: Auditor) -> None:
    """A resident's sessions, one of them, and leaving it."""
    from coproduce.accounts.models import User
    from coproduce.assessment.tests.factories_coaching import make_session

    service, _first, _draft, keeper = a_framework("Community buses: being coached")
    session = make_session(service, keeper, [User.objects.get(email="priya.s@example.org")])
    a.goto(a.url("assessment:my_coaching"), heading="Your coaching sessions")
    a.goto(a.url("assessment:coaching", session.pk))
    a.goto(a.url("assessment:coaching_leave", session.pk))
    a.submit(a.button("Leave the session"), heading="Your coaching sessions")


@public(
    user="priya.s@example.org",
    covers={
        "assessment:propose",
        "assessment:proposal",
        "assessment:proposals",
        "assessment:rate",
    },
)
def propose_a_standard(a: Auditor) -> None:
    """A resident proposes a standard (errors first), sees it and the list of proposals, and later
    rates the service; then another resident does the same without JavaScript."""
    propose_then_rate(a, "Community buses: proposals")
    with without_script(a, "dave.m@example.org") as later:
        propose_then_rate(later, "Community buses: proposals (no JavaScript)")


def propose_then_rate(a: Auditor, name: str) -> None:
    assessment = an_assessment(name)
    service = assessment.activity.service
    title = assessment.activity.title
    a.goto(a.url("assessment:assessment", assessment.pk), heading=title)
    a.goto(
        a.url("assessment:propose", assessment.pk), heading="Propose a standard, or comment on one"
    )
    a.submit(a.button("Send your proposal"))
    a.errors_shown()
    a.page.get_by_label("Propose a new standard", exact=True).check()
    a.field("Your proposal").fill("I can book a journey by text message")
    a.submit(a.button("Send your proposal"), heading="A new standard, proposed")
    a.goto(a.url("assessment:proposals", service.slug), heading="Proposals for the standards")
    a.goto(a.url("assessment:framework", service.slug), heading=f"Standards: {service.name}")
    a.goto(a.url("assessment:rate", assessment.pk), heading="Rate the service")
    for radio in a.page.locator("input[type=radio][value='4']").all():
        radio.check()
    a.submit(a.button("Send my answers"), heading=title)


@staff(user=COUNCIL_ADMIN, covers={"assessment:proposal_take_in", "assessment:proposal"})
def take_in_a_proposal(a: Auditor) -> None:
    """Take a resident's proposal into the draft standards (errors first)."""
    from coproduce.accounts.models import User
    from coproduce.assessment.actions_proposals import proposal_add

    assessment = an_assessment("Community buses: taking in")
    proposal = proposal_add(
        assessment=assessment,
        author=User.objects.get(email="priya.s@example.org"),
        text="I can book a journey by text message",
    )
    a.goto(a.url("assessment:proposal", proposal.pk), heading="A new standard, proposed")
    a.goto(
        a.url("assessment:proposal_take_in", proposal.pk),
        heading="Take a proposal into the draft standards",
    )
    a.field("Standard").fill("")
    a.submit(a.button("Add it to the draft"))
    a.errors_shown()
    a.field("Theme").fill("Booking")
    a.field("Standard").fill("I can book a journey by text message")
    a.submit(a.button("Add it to the draft"), heading="A new standard, proposed")


def a_mystery_shop(name: str) -> tuple[Any, Any]:
    """An open mystery shop of a new council service, with a coordinator: (assessment, the
    coordinator)."""
    from coproduce.accounts.tests.factories import UserFactory
    from coproduce.assessment import actions_shopping

    shop = a_team_method(name, "mystery_shop")
    coordinator = UserFactory(name="Casey Coordinator")
    shop = actions_shopping.coordinator_choose(
        assessment=shop, by=shop.created_by, email=coordinator.email
    )
    return shop, coordinator


@public(
    user="priya.s@example.org",
    covers={"assessment:shop", "assessment:evidence_add", "assessment:my_assignments"},
)
def mystery_shop_the_service(a: Auditor) -> None:
    """A shopper's assignments, their report sent empty (errors), a file refused, then the report
    sent; then another shopper without JavaScript. Their names never reach the staff's pages (the
    tests in test_shopping_views.py check every page)."""
    shop_and_report(a, "Community buses: mystery shop", "priya.s@example.org")
    with without_script(a, "dave.m@example.org") as later:
        shop_and_report(
            later, "Community buses: mystery shop (no JavaScript)", "dave.m@example.org"
        )


def shop_and_report(a: Auditor, name: str, shopper: str) -> None:
    import datetime as dt

    from django.utils import timezone

    from coproduce.accounts.models import User
    from coproduce.assessment.tests.factories_shopping import assign
    from tests.browser.audit import fill_date

    shop, _coordinator = a_mystery_shop(name)
    assignment = assign(shop, User.objects.get(email=shopper))
    a.goto(a.url("assessment:my_assignments"), heading="Your mystery-shopping assignments")
    a.goto(a.url("assessment:shop", assignment.pk), heading="Your mystery-shopping assignment")
    a.submit(a.button("Send my report"))
    a.errors_shown()
    a.goto(
        a.url("assessment:evidence_add", assignment.pk),
        heading="Add a photo or a file to your report",
    )
    not_a_photo: FilePayload = {
        "name": "notes.jpg",
        "mimeType": "image/jpeg",
        "buffer": b"not a photo",
    }
    a.page.get_by_label("Choose a file").set_input_files(files=[not_a_photo])
    a.submit(a.button("Add the file"))
    a.errors_shown()
    a.goto(a.url("assessment:shop", assignment.pk), heading="Your mystery-shopping assignment")
    fill_date(a.page, "Date", timezone.localdate() - dt.timedelta(days=1))
    a.field("Time").fill("10:30")
    a.field("What happened?").fill(
        "I rang at half past ten; the line was answered in two minutes and my trip was booked."
    )
    for radio in a.page.locator("input[type=radio][value='4']").all():
        radio.check()
    a.submit(a.button("Send my report"), heading="Your mystery-shopping assignment")


@staff(
    user=COUNCIL_ADMIN,
    covers={"assessment:coordinator", "assessment:shop_reports"},
)
def read_the_shoppers_reports(a: Auditor) -> None:
    """Choose the coordinator (errors first) and read the reports, shoppers unnamed."""
    from coproduce.assessment.tests.factories_shopping import assign, send_report

    shop, _coordinator = a_mystery_shop("Community buses: shoppers' reports")
    send_report(assign(shop))
    a.goto(a.url("assessment:manage", shop.pk), heading="Run the mystery shop")
    a.goto(a.url("assessment:coordinator", shop.pk), heading="The coordinator")
    a.field("Email address of the coordinator’s account").fill("nobody@example.org")
    a.submit(a.button("Change the coordinator"))
    a.errors_shown()
    a.goto(a.url("assessment:shop_reports", shop.pk), heading="Mystery shoppers’ reports")


@public(
    user=None,
    covers={
        "assessment:assignments",
        "assessment:assignment_remove",
        "assessment:shop_publish",
        "assessment:evidence_remove",
        "assessment:shop_reports",
    },
)
def coordinate_a_mystery_shop(a: Auditor) -> None:
    """The coordinator gives an assignment (errors first), takes one back, and publishes; a
    shopper's file's removal page; the published reports as a visitor."""
    from coproduce.assessment import actions_shopping
    from coproduce.assessment.tests.factories_shopping import assign, jpeg_with_gps, send_report

    shop, coordinator = a_mystery_shop("Community buses: coordinating")
    send_report(assign(shop))
    spare = assign(shop)
    extra = assign(shop)
    evidence = actions_shopping.evidence_add(
        assignment=extra, by=extra.shopper, upload=jpeg_with_gps(), description="The timetable"
    )
    a.site.sign_in(a.page.context, coordinator.email)
    a.goto(
        a.url("assessment:assignments", shop.pk), heading="Mystery shoppers and their assignments"
    )
    a.submit(a.button("Give the assignment"))
    a.errors_shown()
    a.goto(a.url("assessment:assignment_remove", spare.pk))
    a.submit(a.button("Take back the assignment"), heading="Mystery shoppers and their assignments")
    a.goto(a.url("assessment:shop_publish", shop.pk), heading="Publish the reports?")
    a.submit(a.button("Publish the reports"), heading="Mystery shoppers’ reports")
    a.site.sign_in(a.page.context, extra.shopper.email)
    a.goto(a.url("assessment:evidence_remove", evidence.pk))
    a.page.context.clear_cookies()
    a.goto(a.url("assessment:shop_reports", shop.pk), heading="Mystery shoppers’ reports")


@staff(
    user=COUNCIL_ADMIN,
    covers={"assessment:indicator_links", "assessment:record_indicators", "assessment:link_remove"},
)
def feed_an_outcome_indicator(a: Auditor) -> None:
    """Link a standard to an indicator (errors first), record a closed assessment's results in it,
    then remove the link."""
    import datetime as dt

    from django.utils import timezone

    from coproduce.outcomes.tests.factories import make_indicator, make_outcome
    from coproduce.services.models import Activity

    assessment, keeper = a_closed_assessment("Community buses: indicators")
    service = assessment.activity.service
    make_indicator(make_outcome(service, keeper), keeper)
    today = timezone.localdate()
    Activity.objects.filter(pk=assessment.pk).update(
        opens_on=today - dt.timedelta(days=30), closes_on=today - dt.timedelta(days=1)
    )
    heading = "Standards that feed outcome indicators"
    a.goto(a.url("assessment:indicator_links", service.slug), heading=heading)
    a.submit(a.button("Link them"))
    a.errors_shown()
    a.field("Standard").select_option(index=1)
    a.field("Outcome indicator it feeds").select_option(index=1)
    a.submit(a.button("Link them"), heading=heading)
    a.goto(
        a.url("assessment:record_indicators", assessment.pk),
        heading="Record the results in the outcome indicators",
    )
    a.submit(a.button("Record the results"))
    a.goto(a.url("assessment:indicator_links", service.slug), heading=heading)
    a.submit(a.page.get_by_role("link", name="Remove").first)
    a.submit(a.button("Remove the link"), heading=heading)
