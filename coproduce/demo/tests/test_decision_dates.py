"""No demo decision is informed by a contribution made after it (issue 18, defect 6)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from coproduce.contributions.models import Decision

pytestmark = [pytest.mark.slow, pytest.mark.demo_content]


def test_no_demo_decision_is_informed_by_a_later_contribution(demo_story: None) -> None:
    decisions = Decision.objects.prefetch_related("contributions")
    assert decisions.count() >= 3
    later = [
        (decision.title, contribution.pk)
        for decision in decisions
        for contribution in decision.contributions.all()
        if timezone.localdate(contribution.created_at) > decision.decided_on
    ]
    assert later == []
    assert all(decision.contributions.exists() for decision in decisions)
