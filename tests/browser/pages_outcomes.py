"""Walks through the outcome pages (issue 11), for axe and the page coverage test.

Imported at the end of ``pages.py``, so the walks join its PUBLIC and STAFF registries. Each walk
makes its own outcomes framework with the real actions, in the recovery service that the
council's administrator keeps.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.browser.audit import Auditor, fill_date
from tests.browser.pages import COUNCIL_ADMIN, RECOVERY, RESIDENT, public, staff


def framework(title: str) -> Any:
    """An outcome of the recovery service with a staff-measured indicator (two values) and a
    resident-reported one (one month with an answer: too few to show)."""
    from django.utils import timezone

    from coproduce.accounts.models import User
    from coproduce.outcomes import actions
    from coproduce.outcomes.tests.factories import (
        make_check_indicator,
        make_indicator,
        make_outcome,
    )
    from coproduce.services.models import Service

    keeper = User.objects.get(email=COUNCIL_ADMIN)
    outcome = make_outcome(Service.objects.get(slug=RECOVERY), keeper, title=title)
    measured = make_indicator(outcome, keeper)
    today = timezone.localdate()
    for days, value in ((200, "44"), (20, "51.5")):
        actions.measurement_record(
            indicator=measured,
            by=keeper,
            measured_on=today - dt.timedelta(days=days),
            value=Decimal(value),
        )
    checked = make_check_indicator(outcome, keeper)
    neighbour = User.objects.get(email="priya.s@example.org")
    actions.check_answer(indicator=checked, respondent=neighbour, rating=4)
    actions.check_aggregate(indicator=checked, period_end=checked.check_answers.get().period_end)
    return outcome, measured, checked


@public(
    user=None,
    covers={"outcomes:service_outcomes", "outcomes:indicator"},
)
def outcomes_as_a_visitor(a: Auditor) -> None:
    """The service page's summary, the framework, a chart, and a check's sign-in prompt."""
    _outcome, measured, checked = framework("People in recovery stay well: visitor's view")
    a.goto(a.url("services:detail", RECOVERY))
    a.submit(
        a.page.get_by_role("link", name="See every outcome and how it is measured"),
        heading=f"Outcomes: {measured.outcome.service.name}",
    )
    a.submit(a.page.get_by_role("link", name=measured.name).first, heading=measured.name)
    a.goto(a.url("outcomes:indicator", checked.pk), heading=checked.name)
    a.goto(a.url("outcomes:indicator", 10**12), status=404)


@public(user=RESIDENT, covers={"outcomes:indicator", "outcomes:check_answer"})
def answering_an_outcome_check(a: Auditor) -> None:
    """A resident sends the check without choosing (errors), then answers, then changes it."""
    _outcome, _measured, checked = framework("People in recovery stay well: resident's view")
    a.goto(a.url("outcomes:indicator", checked.pk), heading=checked.name)
    a.submit(a.button("Send my answer"))
    a.errors_shown()
    a.page.get_by_label("4", exact=True).check()
    a.submit(a.button("Send my answer"), heading=checked.name)
    a.page.get_by_label("5 (best)", exact=True).check()
    a.submit(a.button("Change my answer"), heading=checked.name)


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "outcomes:manage",
        "outcomes:outcome_create",
        "outcomes:outcome_edit",
        "outcomes:indicator_create",
        "outcomes:indicator_edit",
        "outcomes:measurement_add",
        "outcomes:measurements_import",
    },
)
def keep_an_outcomes_framework(a: Auditor) -> None:
    """Every staff page of the framework, each form first sent wrongly."""
    outcome, measured, checked = framework("People in recovery stay well: staff view")
    service = outcome.service
    a.goto(a.url("services:staff_service", RECOVERY))
    a.submit(
        a.page.get_by_role("link", name="Keep the outcomes framework"),
        heading=f"Outcomes framework: {service.name}",
    )
    a.goto(a.url("outcomes:outcome_create", RECOVERY))
    a.submit(a.button("Save"))
    a.errors_shown()
    a.field("Outcome").fill("Families get support too")
    a.submit(a.button("Save"), heading=f"Outcomes framework: {service.name}")
    a.goto(a.url("outcomes:outcome_edit", outcome.pk))
    a.goto(a.url("outcomes:indicator_create", outcome.pk))
    a.field("Indicator").fill("Families who say they were helped")
    fill_date(a.page, "Date of the baseline", ("31", "2", "2026"))
    a.submit(a.button("Save"))
    a.errors_shown()
    a.goto(a.url("outcomes:indicator_edit", measured.pk))
    a.goto(a.url("outcomes:measurement_add", measured.pk))
    a.field("Value").fill("lots")
    a.submit(a.button("Save"))
    a.errors_shown()
    a.goto(a.url("outcomes:measurement_add", checked.pk), heading="Residents report this indicator")
    a.goto(a.url("outcomes:measurements_import", RECOVERY))
    a.field("Paste the table").fill(f"indicator,date,value\n{measured.pk},31/03/2026,4\n")
    a.submit(a.button("Import the values"))
    a.errors_shown()
    a.field("Paste the table").fill(f"indicator,date,value\n{measured.pk},2026-01-31,46\n")
    a.submit(a.button("Import the values"), heading=f"Outcomes framework: {service.name}")
