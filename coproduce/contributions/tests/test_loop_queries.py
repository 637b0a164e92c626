"""Pages of the loop that list many activities or answers read what each line shows with the
list: the same number of queries for one line as for five."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.contributions.models import Contribution
from coproduce.contributions.tests.said import answered, said
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory, staff_of

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_answer_coverage_reads_its_activities_links_with_them() -> None:
    """ "Are people getting answers?" links each activity, whose page names the service."""
    service = ServiceFactory()
    ideas = ActivityFactory(
        service=service, kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN
    )
    professional = staff_of(ideas)
    url = reverse("contributions:you_said_we_did", kwargs={"slug": service.slug})
    answered(said(ideas, "One"), professional)
    counts = [_queries(Client(), url)]
    for number in range(4):
        activity = ActivityFactory(service=service, state=ActivityState.OPEN)
        answered(said(activity, f"Idea {number}"), professional)
    counts.append(_queries(Client(), url))
    assert counts[0] == counts[1]


def test_my_contributions_reads_who_answered_with_them() -> None:
    """Each answer names the organisation that gave it."""
    ideas = ActivityFactory(kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN)
    professional = staff_of(ideas)
    person = UserFactory()
    client = client_for(person)
    url = reverse("contributions:my_contributions")
    counts = []
    for more in (1, 4):
        for number in range(more):
            contribution = said(ideas, f"Idea {more}.{number}")
            Contribution.objects.filter(pk=contribution.pk).update(author=person)
            answered(contribution, professional)
        counts.append(_queries(client, url))
    assert counts[0] == counts[1]
