"""The demo's open youth challenge shows comments people agree with and a supports threshold that
two ideas reached: one answered in time, one still due (decision 0026)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from coproduce.codesign.models import Agreement, Comment, Idea, SupportsThreshold
from coproduce.common.dates import add_working_days
from coproduce.demo.story import seed

pytestmark = [pytest.mark.slow, pytest.mark.demo_content]

CHALLENGE = "Your ideas for young people's mental health"


def test_the_youth_challenge_has_agreements_and_a_threshold(demo_story: None) -> None:
    threshold = SupportsThreshold.objects.get(activity__title=CHALLENGE)
    assert (threshold.supports, threshold.answer_days) == (10, 15)
    comments = Comment.objects.filter(contribution__activity=threshold.activity)
    assert sorted(c.agreement_count for c in comments if c.agreement_count) == [3, 4, 5, 6]
    for comment in comments:
        assert comment.agreement_count == comment.agreements.count()
        assert comment.contribution.author_id not in {
            a.user_id for a in Agreement.objects.filter(comment=comment)
        }
    assert not Agreement.objects.filter(user__email="resident@example.org").exists()

    reached = Idea.objects.filter(
        contribution__activity=threshold.activity, threshold_reached_at__isnull=False
    ).select_related("contribution")
    assert {idea.title for idea in reached} == {
        "A drop-in at the youth club after school",
        "Someone to text at night",
    }
    for idea in reached:
        assert idea.support_count >= 10
        assert idea.threshold_reached_at is not None
        assert idea.threshold_reached_at < timezone.now()
        assert idea.answer_due_on == add_working_days(
            timezone.localdate(idea.threshold_reached_at), 15
        )
    answered = {idea.title: idea.contribution.first_response_at is not None for idea in reached}
    assert answered == {
        "A drop-in at the youth club after school": True,
        "Someone to text at night": False,
    }
    agreements = Agreement.objects.count()
    seed()
    assert Agreement.objects.count() == agreements
