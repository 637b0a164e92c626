"""A decision's date: in range, entered as day, month and year, and never before what informed it.

Issue 18, defect 6; docs/decisions/0019-dates-gov-uk-pattern.md. Ideas stand in for every kind
of contribution: the rule is the spine's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.codesign.tests.factories import IdeaChallengeFactory, IdeaFactory
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import Contribution, Decision
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def staff_for(service: Any) -> User:
    user = UserFactory(mfa=True)
    MembershipFactory(user=user, organisation=service.organisation, role=Role.PROFESSIONAL)
    return user


def _made_on(idea: Any, day: dt.date) -> Contribution:
    """Date an idea to noon of a day, as the demo dates its history."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    Contribution.objects.filter(pk=idea.pk).update(created_at=moment)
    return Contribution.objects.with_details().get(pk=idea.pk)


def _decide(service: Any, staff: Any, decided_on: dt.date, contributions: Any = ()) -> Decision:
    return spine_actions.decision_create(
        service=service,
        stage=service.current_stage,
        title="Saturday opening",
        description="From May.",
        decided_by="Board",
        decided_on=decided_on,
        recorded_by=staff,
        contributions=contributions,
    )


def test_a_decision_is_not_informed_by_what_came_after_it() -> None:
    today = timezone.localdate()
    challenge = IdeaChallengeFactory()
    service = challenge.service
    staff = staff_for(service)
    before = _made_on(IdeaFactory(activity=challenge, title="Before"), today - dt.timedelta(9))
    same_day = _made_on(IdeaFactory(activity=challenge, title="Same day"), today - dt.timedelta(5))
    after = _made_on(IdeaFactory(activity=challenge, title="After"), today - dt.timedelta(4))
    decided_on = today - dt.timedelta(5)
    with pytest.raises(ValidationError) as error:
        _decide(service, staff, decided_on, [before, after])
    (message,) = error.value.message_dict["contributions"]
    assert message == (
        "A decision cannot be informed by contributions made after it. These were made after "
        f"{decided_on.day} {decided_on.strftime('%B')} {decided_on.year}: “After”."
    )
    assert not Decision.objects.exists()
    decision = _decide(service, staff, decided_on, [before, same_day])
    assert set(decision.contributions.all()) == {before, same_day}
    # Linking later, the same rule.
    with pytest.raises(ValidationError) as error:
        spine_actions.decision_link(decision=decision, contributions=[after], linked_by=staff)
    assert list(error.value.message_dict) == ["contributions"]
    assert decision.contributions.count() == 2


def test_the_action_keeps_a_decisions_date_in_range() -> None:
    """From 1 January 2000 to today: the API calls this action too."""
    today = timezone.localdate()
    service = IdeaChallengeFactory().service
    staff = staff_for(service)
    for day, message in (
        (today + dt.timedelta(days=1), "The date of the decision must be today or in the past."),
        (dt.date(9999, 12, 31), "The date of the decision must be today or in the past."),
        (dt.date(1999, 12, 31), "The date of the decision must be between 1 January 2000 and "),
        (dt.date(1, 1, 1), "The date of the decision must be between 1 January 2000 and "),
    ):
        with pytest.raises(ValidationError) as error:
            _decide(service, staff, day)
        assert error.value.message_dict["decided_on"][0].startswith(message), day
    assert _decide(service, staff, dt.date(2000, 1, 1)).decided_on == dt.date(2000, 1, 1)


def _date(day: dt.date) -> dict[str, str]:
    return {
        "decided_on_day": str(day.day),
        "decided_on_month": str(day.month),
        "decided_on_year": str(day.year),
    }


def test_the_decision_form_takes_three_inputs_and_shows_the_rule_on_contributions(
    client: Client,
) -> None:
    today = timezone.localdate()
    challenge = IdeaChallengeFactory()
    service = challenge.service
    idea = IdeaFactory(activity=challenge, title="A late idea")
    client.force_login(staff_for(service))
    url = reverse("contributions:decision_create", kwargs={"slug": service.slug})
    form = {
        "stage": service.current_stage,
        "title": "Saturday opening",
        "description": "From May.",
        "decided_by": "Board",
        "contributions": [idea.pk],
    }
    # 2 December as day and month: the one reading there is.
    page = client.post(url, {**form, **_date(dt.date(2025, 12, 2))}).content.decode()
    assert "govuk-form-group--error" in page
    assert "A decision cannot be informed by contributions made after it." in page
    assert "made after 2 December 2025: “A late idea”." in page
    assert 'href="#id_contributions_0"' in page  # the error is on the contributions
    assert not Decision.objects.exists()
    done = client.post(url, {**form, **_date(today)})
    decision = Decision.objects.get()
    assert done["Location"] == decision.get_absolute_url()
    assert decision.decided_on == today


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2026", "The date of the decision must be a real date."),
        ("1", "1", "9999", "The date of the decision must be today or in the past."),
        ("", "", "", "Enter the date of the decision."),
        ("2", "", "2026", "The date of the decision must include a month."),
    ],
)
def test_the_decision_form_says_what_is_wrong_with_the_date(
    client: Client, day: str, month: str, year: str, message: str
) -> None:
    service = IdeaChallengeFactory().service
    client.force_login(staff_for(service))
    url = reverse("contributions:decision_create", kwargs={"slug": service.slug})
    page = client.post(
        url,
        {
            "stage": service.current_stage,
            "title": "T",
            "description": "D",
            "decided_by": "B",
            "decided_on_day": day,
            "decided_on_month": month,
            "decided_on_year": year,
        },
    ).content.decode()
    assert message in page
    assert not Decision.objects.exists()
