"""The demo story gives every idea challenge a living loop, and seeding twice changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.codesign.models import Comment, Idea, IdeaStatus, Support
from coproduce.contributions.models import Contribution, Decision, Report, ReportStatus, Visibility
from coproduce.demo.story import seed
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service

pytestmark = [pytest.mark.slow, pytest.mark.demo_content]


def test_every_demo_idea_challenge_has_a_living_loop(demo_story: None) -> None:
    counts = [m.objects.count() for m in (Contribution, Idea, Comment, Support, Decision, Report)]
    seed()
    assert [
        m.objects.count() for m in (Contribution, Idea, Comment, Support, Decision, Report)
    ] == counts

    challenges = Activity.objects.filter(
        kind=ActivityKind.IDEA_CHALLENGE, service_stage__service__status="published"
    ).exclude(state=ActivityState.DRAFT)
    assert challenges.count() >= 4
    assert challenges.filter(state=ActivityState.OPEN).exists()
    client = Client()
    for activity in challenges:
        ideas = Idea.objects.filter(contribution__activity=activity)
        published = ideas.filter(contribution__visibility=Visibility.PUBLISHED)
        assert published.count() >= 4, activity.title
        assert published.filter(support_count__gt=0).exists(), activity.title
        assert published.filter(contribution__first_response_at__isnull=False).exists()
        assert published.filter(contribution__first_response_at__isnull=True).exists()
        assert Comment.objects.filter(idea__in=ideas).exists(), activity.title
        # Pages of the challenge render, and supports match the stored counters.
        assert client.get(reverse("codesign:idea_list", args=[activity.pk])).status_code == 200
        for idea in published:
            assert idea.support_count == idea.supports.count()
            assert client.get(idea.get_absolute_url()).status_code == 200
        # Ideas and comments are dated to when the challenge was open.
        for created in Contribution.objects.filter(activity=activity).values_list(
            "created_at", flat=True
        ):
            assert activity.opens_on is not None
            assert activity.closes_on is not None
            assert activity.opens_on <= timezone.localdate(created) <= activity.closes_on

    statuses = set(Contribution.objects.filter(kind="idea").values_list("status", flat=True))
    assert {IdeaStatus.ADOPTED, IdeaStatus.NOT_TAKEN_FORWARD, IdeaStatus.DELIVERED} <= statuses
    assert Contribution.objects.filter(status=IdeaStatus.NOT_TAKEN_FORWARD).exclude(
        status_reason=""
    )
    held = Contribution.objects.filter(kind="idea", visibility=Visibility.PENDING)
    assert held.exclude(held_reason="").exists()
    assert Report.objects.filter(status=ReportStatus.OPEN, contribution__kind="idea").exists()
    assert Comment.objects.filter(contribution__visibility=Visibility.HIDDEN).exists()
    assert Comment.objects.filter(is_question=True, contribution__first_response_at__isnull=False)
    assert Decision.objects.filter(contributions__kind="idea").exists()


def test_every_demo_service_shows_answer_coverage_and_a_living_you_said_we_did(
    demo_story: None,
) -> None:
    """Issue 6: coverage and "You said, we did" are visible, with something in them, everywhere."""
    client = Client()
    services = Service.objects.published()
    assert services.count() >= 4
    for service in services:
        page = client.get(service.get_absolute_url()).content.decode()
        assert "Are people getting answers?" in page, service.name
        assert "% of contributions have had an official answer" in page, service.name
        said = reverse("contributions:you_said_we_did", args=[service.slug])
        assert said in page, service.name
        answered = client.get(said).content.decode()
        assert "No contribution has had an answer yet." not in answered, service.name
        assert 'class="app-card-list"' in answered, service.name
        waiting = client.get(said, {"show": "waiting"}).content.decode()
        assert 'class="app-card-list"' in waiting, service.name
        assert Decision.objects.filter(service=service).exists(), service.name
