"""Walks through the commissioning-round pages (issue 11), for axe and the page coverage test.

Imported at the end of ``pages.py``, so the walks join its PUBLIC and STAFF registries. Each walk
makes its own round with the real actions, in the recovery service that the council's
administrator runs.
"""

from __future__ import annotations

from typing import Any

from tests.browser.audit import Auditor
from tests.browser.pages import COUNCIL_ADMIN, RECOVERY, RESIDENT, public, staff


def a_round(title: str, *, criteria: bool = True) -> Any:
    """A commissioning round of the recovery service on an open activity (with three criteria
    unless told otherwise); without ``criteria`` it has no round yet, only its activity."""
    from coproduce.accounts.models import User
    from coproduce.commissioning.tests.factories import make_criteria, make_round
    from coproduce.services.models import ActivityKind, ActivityState, Service
    from coproduce.services.tests.factories import ActivityFactory

    activity = ActivityFactory(
        service=Service.objects.get(slug=RECOVERY),
        kind=ActivityKind.COMMISSIONING_ROUND,
        state=ActivityState.OPEN,
        title=title,
    )
    if not criteria:
        return activity
    keeper = User.objects.get(email=COUNCIL_ADMIN)
    round_ = make_round(activity=activity, staff=keeper)
    make_criteria(round_, keeper)
    return round_


@public(user=None, covers={"commissioning:round", "commissioning:how_weighting_works"})
def a_commissioning_round_as_a_visitor(a: Auditor) -> None:
    """The activity page, the round, how weighting is used."""
    round_ = a_round("Recovery support 2027–2030: visitor's view")
    a.goto(round_.activity.get_absolute_url())
    a.goto(a.url("commissioning:round", round_.pk), heading=round_.activity.title)
    a.submit(
        a.page.get_by_role("link", name="How your weighting is used").first,
        heading="How your weighting is used",
    )
    a.goto(a.url("commissioning:round", 10**12), status=404)


@public(user=RESIDENT, covers={"commissioning:weigh", "commissioning:round"})
def weighing_the_criteria(a: Auditor) -> None:
    """A resident's points not adding up to 100 (errors), then 100, then the round page."""
    round_ = a_round("Recovery support 2027–2030: resident's view")
    criteria = list(round_.criteria.all())
    a.goto(a.url("commissioning:weigh", round_.pk), heading="Weigh the criteria")
    a.field(criteria[0].name).fill("50")
    a.submit(a.button("Save my weighting"))
    a.errors_shown()
    a.field(criteria[1].name).fill("30")
    a.field(criteria[2].name).fill("20")
    a.submit(a.button("Save my weighting"), heading=round_.activity.title)


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "commissioning:manage",
        "commissioning:round_edit",
        "commissioning:criterion_add",
        "commissioning:criterion_edit",
        "commissioning:criterion_delete",
        "commissioning:weights_publish",
    },
)
def run_a_commissioning_round(a: Auditor) -> None:
    """Every staff page of a round, forms first sent wrongly."""
    bare = a_round("Recovery support 2027–2030: not set up", criteria=False)
    a.goto(a.url("commissioning:manage", bare.pk), heading="Run the commissioning round")
    a.submit(
        a.page.get_by_role("button", name="Set up the round").first, heading="Set up the round"
    )
    a.submit(a.button("Set up the round"))
    a.errors_shown()
    round_ = a_round("Recovery support 2027–2030: staff view")
    criterion = round_.criteria.first()
    a.goto(a.url("commissioning:manage", round_.pk), heading="Run the commissioning round")
    a.goto(a.url("commissioning:round_edit", round_.pk))
    a.goto(a.url("commissioning:criterion_add", round_.pk), heading="Add a criterion")
    a.submit(a.button("Add the criterion"))
    a.errors_shown()
    a.goto(a.url("commissioning:criterion_edit", criterion.pk), heading="Change the criterion")
    a.goto(a.url("commissioning:criterion_delete", criterion.pk))
    a.goto(a.url("commissioning:weights_publish", round_.pk), heading="Publish the weights")
    a.field(criterion.name).fill("101")
    a.submit(a.button("Publish the weights"))
    a.errors_shown()
