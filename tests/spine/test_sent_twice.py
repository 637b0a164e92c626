"""The answer spine's forms sent twice (Back, then submit) make one answer, report or decision."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.codesign.tests.factories import IdeaFactory
from coproduce.common.tests.one_time import send_twice
from coproduce.contributions.models import Decision, Report, Response
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db


def test_an_answer_sent_twice_is_published_once() -> None:
    idea = IdeaFactory()
    staff = client_for(staff_of(idea.contribution.activity))
    url = reverse("contributions:respond", kwargs={"pk": idea.pk})
    assert send_twice(staff, url, {"body": "Thank you. We will try it."}) == (
        idea.get_absolute_url()
    )
    assert Response.objects.count() == 1


def test_a_report_sent_twice_is_made_once() -> None:
    idea = IdeaFactory()
    url = reverse("contributions:report", kwargs={"pk": idea.pk})
    send_twice(client_for(UserFactory()), url, {"reason": "It shares a phone number."})
    assert Report.objects.count() == 1


def test_a_decision_sent_twice_is_recorded_once() -> None:
    idea = IdeaFactory()
    service = idea.contribution.service
    staff = client_for(staff_of(idea.contribution.activity))
    today = timezone.localdate()
    where = send_twice(
        staff,
        reverse("contributions:decision_create", kwargs={"slug": service.slug}),
        {
            "stage": service.current_stage,
            "title": "Saturday opening",
            "description": "From May.",
            "decided_by": "Board",
            # The date as one field and as the GOV.UK day, month and year fields.
            "decided_on": today.isoformat(),
            "decided_on_day": str(today.day),
            "decided_on_month": str(today.month),
            "decided_on_year": str(today.year),
            "contributions": [idea.pk],
        },
    )
    assert where == Decision.objects.get().get_absolute_url()
