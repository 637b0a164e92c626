"""Requests at once on a commissioning round (decision 0140): the weights published once however
often the publish is sent, weightings waiting for a publish in progress, a round's first save sent
twice, and the agreed scores waiting for an evaluator's scores being saved.

SQLite writes one transaction at a time, so the tests with two transactions at once run on
PostgreSQL only; the publish sent twice runs on both."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.commissioning import actions
from coproduce.commissioning import actions_evaluation as evaluation
from coproduce.commissioning.models import AgreedScore, Criterion, Round, Weighting
from coproduce.commissioning.tests.factories import (
    keeper_of,
    make_criteria,
    make_round,
    make_weighting,
    round_fields,
)
from coproduce.commissioning.tests.factories_evaluation import (
    declare,
    evaluated_round,
    make_evaluator,
    score,
)
from coproduce.common.tests.concurrency import Behind, in_progress, only_on_postgresql, waits
from coproduce.contributions.models import Response
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db


def _weighed() -> tuple[Round, list[Criterion], User, Weighting]:
    """An open round with its three criteria, two residents' weightings (the first given) and a
    keeper."""
    round_ = make_round()
    keeper = keeper_of(round_.activity.service)
    criteria = make_criteria(round_, keeper)
    first = make_weighting(round_, {criteria[0].pk: 50, criteria[1].pk: 30, criteria[2].pk: 20})
    make_weighting(round_, {criteria[0].pk: 20, criteria[1].pk: 40, criteria[2].pk: 40})
    return round_, criteria, keeper, first


def test_the_weights_published_twice_answer_every_weighting_once() -> None:
    """Decision 0140: a second publish of a round read before the first is refused."""
    round_, _criteria, keeper, _weighting = _weighed()
    first, second = Round.objects.get(pk=round_.pk), Round.objects.get(pk=round_.pk)
    actions.weights_publish(round_=first, by=keeper)
    assert second.weights_published_at is None  # read before the first publish
    with pytest.raises(ValidationError, match="already published"):
        actions.weights_publish(round_=second, by=keeper)
    weightings = Weighting.objects.filter(round=round_)
    assert weightings.count() == 2
    for weighting in weightings:
        assert Response.objects.filter(contribution=weighting.contribution).count() == 1


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_weightings_wait_for_the_weights_being_published_and_are_then_refused() -> None:
    """Decision 0140: a weighting sent as the weights are published waits, then is refused."""
    round_, criteria, keeper, weighting = _weighed()
    weigher, newcomer = weighting.person, UserFactory()
    given = actions.weighting_points(weighting)
    points = {criteria[0].pk: 100}
    # Each request reads the round for itself.
    with in_progress(
        lambda: actions.weights_publish(round_=Round.objects.get(pk=round_.pk), by=keeper)
    ):
        waits(lambda: actions.weighting_save(round_=round_, person=weigher, points=points))
        waits(lambda: actions.weighting_save(round_=round_, person=newcomer, points=points))
    for person in (weigher, newcomer):
        with pytest.raises(PermissionDenied):
            actions.weighting_save(round_=round_, person=person, points=points)
    assert Weighting.objects.filter(round=round_).count() == 2
    assert actions.weighting_points(weighting) == given
    assert Round.objects.get(pk=round_.pk).weights_participants == 2


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_rounds_first_save_sent_twice_changes_the_round_the_first_made() -> None:
    """Decision 0140: the second first save waits for the first and then changes its round."""
    activity = ActivityFactory(kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.OPEN)
    staff = staff_of(activity)
    with in_progress(
        lambda: actions.round_save(
            activity=activity, by=staff, fields=round_fields(specification="First.")
        )
    ):
        second = Behind(
            lambda: actions.round_save(
                activity=activity, by=staff, fields=round_fields(specification="Second.")
            )
        )
    saved = second.result()
    assert isinstance(saved, Round)
    assert Round.objects.get(activity=activity).pk == saved.pk
    assert Round.objects.get(pk=saved.pk).specification == "Second."


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_agreed_scores_wait_for_an_evaluators_scores_being_saved() -> None:
    """Decision 0140: the agreed scores are checked against the evaluators' scores as saved."""
    data = evaluated_round()
    evaluator = make_evaluator(data.round, data.keeper)
    declare(data.round, evaluator)
    oak = data.bids[0]
    score(oak, evaluator, (3, 3, 3))
    # The moderation agrees what the evaluator is changing their scores to: no reason needed.
    agreed = {c.pk: evaluation.Given(score=4, comment="") for c in data.criteria}
    with in_progress(lambda: score(oak, evaluator, (4, 4, 4), comment="Read again.")):
        waits(lambda: evaluation.agreed_scores_save(bid=oak, by=data.keeper, agreed=agreed))
    evaluation.agreed_scores_save(bid=oak, by=data.keeper, agreed=agreed)
    assert sorted(AgreedScore.objects.filter(bid=oak).values_list("score", "reason")) == [
        (4, ""),
        (4, ""),
        (4, ""),
    ]
