"""The youth mental health service's commissioning rounds in the demo: one whose weighting closed
last month, with young people's weights published (one changed, with its reason) and every
weighting answered; one open for a visitor to weigh; and seeding twice changes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.commissioning import actions, rules, weights
from coproduce.commissioning.models import CriterionKind, Round, Weighting
from coproduce.contributions.models import Response
from coproduce.demo.commissioning import OPEN_TITLE, SAFEGUARDING, TITLE
from coproduce.demo.outcomes import YOUTH
from coproduce.demo.story import seed

pytestmark = [pytest.mark.slow, pytest.mark.demo_content]


def test_young_people_weighed_the_criteria_and_the_weights_are_published(demo_story: None) -> None:
    round_ = Round.objects.get(activity__title=TITLE)
    service = round_.activity.service
    assert service.slug == YOUTH
    assert round_.contract_months == 36
    assert round_.price_weight == 30
    assert round_.decisions.count() == 2
    assert all(d.service_id == service.pk for d in round_.decisions.all())
    assert round_.indicators.count() == 3
    assert all(i.outcome.service_id == service.pk for i in round_.indicators.all())
    kinds = list(round_.criteria.values_list("kind", flat=True))
    assert sorted(kinds) == sorted([CriterionKind.QUALITY] * 3 + [CriterionKind.SOCIAL_VALUE] * 3)

    # Closed last month, published after, by the service's staff.
    assert round_.weighting_closes_on < timezone.localdate()
    assert round_.weights_published_at is not None
    assert not rules.weighting_open(round_)

    weightings = list(Weighting.objects.filter(round=round_))
    assert 40 <= len(weightings) <= 60
    assert round_.weights_participants == len(weightings)
    given = [actions.weighting_points(w) for w in weightings]
    assert len({tuple(sorted(g.items())) for g in given}) > len(given) // 2  # varied points
    criteria = list(round_.criteria.all())
    combined = weights.combine([c.pk for c in criteria], given)
    assert {c.pk: c.residents_weight for c in criteria} == combined
    changed = [c for c in criteria if c.weight != c.residents_weight]
    assert {c.name for c in changed} >= {SAFEGUARDING}
    assert sum(c.weight or 0 for c in criteria) == 100
    safeguarding = next(c for c in criteria if c.name == SAFEGUARDING)
    assert safeguarding.weight is not None
    assert safeguarding.residents_weight is not None
    assert safeguarding.weight > safeguarding.residents_weight
    assert f"from {safeguarding.residents_weight} to {safeguarding.weight}" in round_.weights_reason

    # Every weighting answered, once, after the weighting closed.
    for weighting in weightings:
        answers = Response.objects.filter(contribution_id=weighting.pk)
        assert answers.count() == 1
        answer = answers.get()
        assert round_.weights_reason in answer.body
        assert weighting.contribution.created_at < answer.created_at


def test_a_visitor_can_weigh_the_open_round_and_seeding_twice_changes_nothing(
    demo_story: None,
) -> None:
    open_round = Round.objects.get(activity__title=OPEN_TITLE)
    assert rules.weighting_open(open_round)
    assert open_round.weights_published_at is None
    jo = User.objects.get(email="resident@example.org")
    assert rules.can_weigh(jo, open_round)
    assert not open_round.weightings.filter(person=jo).exists()
    assert open_round.weightings.exists()

    counts = (Round.objects.count(), Weighting.objects.count(), Response.objects.count())
    seed()
    assert (Round.objects.count(), Weighting.objects.count(), Response.objects.count()) == counts
