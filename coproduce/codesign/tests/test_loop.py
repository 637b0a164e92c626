"""Closing the loop: coverage, 'You said, we did', decisions pages, exports, my contributions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.codesign.tests.factories import CommentFactory, IdeaChallengeFactory, IdeaFactory
from coproduce.contributions import actions as spine_actions
from coproduce.contributions import queries as spine_queries
from coproduce.contributions.exports import safe_cell
from coproduce.contributions.models import Contribution, Decision, Follow
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def staff_for(service: Any) -> User:
    user = UserFactory(mfa=True)
    MembershipFactory(user=user, organisation=service.organisation, role=Role.PROFESSIONAL)
    return user


def test_coverage_counts_answerable_contributions_and_median_days() -> None:
    activity = IdeaChallengeFactory()
    service = activity.service
    staff = staff_for(service)
    ideas = [IdeaFactory(activity=activity) for _ in range(3)]
    CommentFactory(idea=ideas[0])  # a plain comment does not need an answer
    CommentFactory(idea=ideas[0], is_question=True)
    old = timezone.now() - dt.timedelta(days=40)
    Contribution.objects.filter(pk=ideas[0].pk).update(created_at=old)
    Contribution.objects.filter(pk=ideas[1].pk).update(created_at=old)
    spine_actions.response_create(contribution=ideas[1].contribution, author=staff, body="Yes.")
    coverage = spine_queries.answer_coverage(service)
    [row] = coverage.rows
    assert row.total == 4  # three ideas and the question
    assert row.answered == 1
    assert row.percent == 25
    assert row.median_days == 40.0
    assert row.overdue == 1  # ideas[0]: unanswered for 40 days
    assert [c.pk for c in spine_queries.overdue_contributions(service)] == [ideas[0].pk]


def test_service_page_shows_coverage_without_extra_queries_per_activity(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    activity = IdeaChallengeFactory()
    for _ in range(5):
        IdeaFactory(activity=activity)
    with django_assert_max_num_queries(16):
        page = client.get(activity.service.get_absolute_url()).content.decode()
    assert "Are people getting answers?" in page
    assert "0% of contributions have had an official answer (0 of 5)" in page


def test_you_said_we_did_pairs_answers_and_lists_the_waiting(client: Client) -> None:
    activity = IdeaChallengeFactory()
    staff = staff_for(activity.service)
    answered = IdeaFactory(activity=activity, title="Saturday opening")
    IdeaFactory(activity=activity, title="Free parking")
    spine_actions.response_create(
        contribution=answered.contribution, author=staff, body="Starting in May."
    )
    spine_actions.decision_create(
        service=activity.service,
        stage=activity.service.current_stage,
        title="Open on Saturdays",
        description="Because you asked.",
        decided_by="Service manager",
        decided_on=dt.date.today(),
        recorded_by=staff,
        contributions=[answered.contribution],
    )
    url = reverse("contributions:you_said_we_did", kwargs={"slug": activity.service.slug})
    page = client.get(url).content.decode()
    assert "Saturday opening" in page
    assert "Starting in May." in page
    assert "Open on Saturdays" in page
    assert "Free parking" not in page
    waiting = client.get(url, {"show": "waiting", "page": "nonsense"}).content.decode()
    assert "Free parking" in waiting
    assert "Saturday opening" not in waiting


def test_you_said_we_did_list_does_not_grow_queries_with_contributions(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    activity = IdeaChallengeFactory()
    staff = staff_for(activity.service)
    for n in range(12):
        idea = IdeaFactory(activity=activity, title=f"Idea {n}")
        spine_actions.response_create(contribution=idea.contribution, author=staff, body="Thanks")
    with django_assert_max_num_queries(18):
        response = client.get(
            reverse("contributions:you_said_we_did", kwargs={"slug": activity.service.slug})
        )
    assert response.status_code == 200


def test_staff_record_a_decision_linking_a_contribution(client: Client) -> None:
    idea = IdeaFactory()
    service = idea.contribution.service
    client.force_login(staff_for(service))
    url = reverse("contributions:decision_create", kwargs={"slug": service.slug})
    form = client.get(url, {"contribution": idea.pk}).content.decode()
    assert idea.title in form
    bad = client.post(
        url,
        {
            "stage": "design",
            "title": "",
            "decided_on_day": "1",
            "decided_on_month": "1",
            "decided_on_year": "2999",
        },
    )
    assert "The date of the decision must be today or in the past." in bad.content.decode()
    response = client.post(
        url,
        {
            "stage": service.current_stage,
            "title": "Saturday opening",
            "description": "From May.",
            "decided_by": "Board",
            "decided_on_day": str(dt.date.today().day),
            "decided_on_month": str(dt.date.today().month),
            "decided_on_year": str(dt.date.today().year),
            "contributions": [idea.pk],
        },
    )
    decision = Decision.objects.get()
    assert response["Location"] == decision.get_absolute_url()
    assert list(decision.contributions.all()) == [idea.contribution]


def test_linking_rejects_contributions_of_other_services(client: Client) -> None:
    idea = IdeaFactory()
    elsewhere = IdeaFactory()
    service = idea.contribution.service
    staff = staff_for(service)
    decision = spine_actions.decision_create(
        service=service,
        stage=service.current_stage,
        title="T",
        description="D",
        decided_by="B",
        decided_on=dt.date.today(),
        recorded_by=staff,
    )
    client.force_login(staff)
    response = client.post(
        reverse("contributions:decision_link", kwargs={"pk": decision.pk}),
        {"contributions": [elsewhere.pk]},
    )
    assert response.status_code == 200
    assert decision.contributions.count() == 0
    client.post(
        reverse("contributions:decision_link", kwargs={"pk": decision.pk}),
        {"contributions": [idea.pk]},
    )
    assert decision.contributions.count() == 1


@pytest.mark.parametrize("value", ["=SUM(A1)", "+1", "-2", "@cmd", "\tx"])
def test_csv_cells_that_look_like_formulas_are_neutralised(value: str) -> None:
    assert safe_cell(value) == "'" + value
    assert safe_cell("plain") == "plain"


def test_exports_anonymise_unless_named_and_skip_unpublished(client: Client) -> None:
    activity = IdeaChallengeFactory()
    named = IdeaFactory(
        activity=activity,
        title="=HYPERLINK(evil)",
        author=UserFactory(name="Jo Bennett"),
        author_display="named",
    )
    IdeaFactory(
        activity=activity,
        title="Shy idea",
        author=UserFactory(name="Sam Shy"),
        author_display="first_name",
    )
    held = IdeaFactory(activity=activity, title="Held idea")
    Contribution.objects.filter(pk=held.pk).update(visibility="pending")
    spine_actions.response_create(
        contribution=named.contribution, author=staff_for(activity.service), body="Thanks"
    )
    body = client.get(
        reverse("contributions:export_csv", kwargs={"pk": activity.pk})
    ).content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["title"] for r in rows] == ["'=HYPERLINK(evil)", "Shy idea"]
    assert [r["author"] for r in rows] == ["Jo Bennett", "Anonymous"]
    assert "Thanks" in rows[0]["responses"]
    data = json.loads(
        client.get(reverse("contributions:export_json", kwargs={"pk": activity.pk})).content
    )
    assert [c["title"] for c in data["contributions"]] == ["=HYPERLINK(evil)", "Shy idea"]
    assert data["contributions"][0]["responses"][0]["body"] == "Thanks"
    assert "Sam Shy" not in json.dumps(data)


def test_my_contributions_shows_answers_and_only_mine(client: Client) -> None:
    mine = IdeaFactory(title="My idea")
    IdeaFactory(title="Their idea")
    spine_actions.response_create(
        contribution=mine.contribution,
        author=staff_for(mine.contribution.service),
        body="We like it.",
    )
    assert mine.contribution.author is not None
    client.force_login(mine.contribution.author)
    page = client.get(reverse("contributions:my_contributions")).content.decode()
    assert "My idea" in page
    assert "We like it." in page
    assert "Their idea" not in page


def test_follow_and_unfollow_without_javascript(client: Client) -> None:
    idea = IdeaFactory()
    service = idea.contribution.service
    user = UserFactory()
    client.force_login(user)
    url = reverse("contributions:follow")
    response = client.post(
        url,
        {"target": "service", "id": service.pk, "follow": "1", "next": service.get_absolute_url()},
    )
    assert response["Location"] == service.get_absolute_url()
    assert Follow.objects.filter(user=user, service=service).exists()
    assert "Stop following" in client.get(service.get_absolute_url()).content.decode()
    client.post(
        url, {"target": "service", "id": service.pk, "follow": "0", "next": "https://evil.example/"}
    )
    assert not Follow.objects.filter(user=user).exists()
    assert client.post(url, {"target": "bogus", "id": "1"}).status_code == 404
    assert client.post(url, {"target": "service", "id": "99999999"}).status_code == 404
