"""The demo story gives every insight activity living content, and seeding twice changes nothing."""

from __future__ import annotations

import pytest

from coproduce.contributions.models import Contribution, Visibility
from coproduce.demo.story import seed
from coproduce.insight import queries
from coproduce.insight.models import Asset, Story, SurveySubmission
from coproduce.services.models import Activity, ActivityKind, ActivityState

pytestmark = [pytest.mark.slow, pytest.mark.demo_content]


def test_every_demo_insight_activity_has_answered_unanswered_and_pending_contributions(
    demo_story: None,
) -> None:
    counts = (
        Contribution.objects.count(),
        SurveySubmission.objects.count(),
        Asset.objects.count(),
        Story.objects.count(),
    )
    seed()
    assert (
        Contribution.objects.count(),
        SurveySubmission.objects.count(),
        Asset.objects.count(),
        Story.objects.count(),
    ) == counts
    insight = Activity.objects.filter(
        kind__in=[ActivityKind.NEEDS_SURVEY, ActivityKind.STORY_COLLECTION],
        service_stage__service__status="published",
    ).exclude(state=ActivityState.DRAFT)
    assert insight.count() >= 6
    for activity in insight:
        contributions = Contribution.objects.filter(activity=activity)
        published = contributions.filter(visibility=Visibility.PUBLISHED)
        assert published.filter(first_response_at__isnull=False).exists(), activity.title
        assert published.filter(first_response_at__isnull=True).exists(), activity.title
        if activity.kind == ActivityKind.NEEDS_SURVEY:
            results = queries.survey_results(activity)
            assert results.respondents >= 5, activity.title
            assert Asset.objects.filter(contribution__activity=activity).exists()
    pending = Contribution.objects.filter(visibility=Visibility.PENDING)
    assert pending.filter(kind="need").exists()  # written answers waiting for a moderator
    assert pending.filter(kind="story").exists()
    assert SurveySubmission.objects.filter(respondent__isnull=True).count() == 2  # by email
    assert not SurveySubmission.objects.exclude(confirmation_email="").exists()
    assert Contribution.objects.filter(decisions__isnull=False).exists()
