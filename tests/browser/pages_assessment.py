"""Walks through the assessment pages (issue 12), for axe and the page coverage test.

Imported at the end of ``pages.py``, so the walks join its PUBLIC and STAFF registries. Each walk
makes its own service of the council with its own framework of standards, through the real
actions (a service has one framework, so walks do not share one).
"""

from __future__ import annotations

from typing import Any

from tests.browser.audit import Auditor
from tests.browser.pages import COUNCIL, COUNCIL_ADMIN, public, staff


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
