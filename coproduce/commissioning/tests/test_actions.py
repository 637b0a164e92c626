"""The writes of a commissioning round: its set-up and timetable, the criteria (fixed once someone
weighs), residents' weightings (100 points, one each, while open), and publishing the weights,
which answers every weighting through the spine."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory
from coproduce.commissioning import actions, rules, weights
from coproduce.commissioning.models import (
    WEIGHTING,
    Criterion,
    CriterionKind,
    Round,
    Weighting,
)
from coproduce.commissioning.tests.factories import (
    keeper_of,
    make_criteria,
    make_round,
    make_social_value_criterion,
    make_weighting,
    round_fields,
)
from coproduce.commissioning.tests.test_export_data import (
    awarded_round,
    close_bids,
    published_round,
)
from coproduce.contributions.actions import decision_create
from coproduce.contributions.models import Contribution, Decision, Response
from coproduce.organisations.models import Role
from coproduce.outcomes.models import Indicator
from coproduce.outcomes.tests.factories import make_indicator, make_outcome
from coproduce.services import actions as service_actions
from coproduce.services.models import (
    Activity,
    ActivityKind,
    ActivityState,
    Service,
    Stage,
)
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory, staff_of

pytestmark = pytest.mark.django_db


def _activity(service: Service | None = None) -> Activity:
    extra: dict[str, Any] = {"service": service} if service else {}
    return ActivityFactory(kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.OPEN, **extra)


def _ready() -> tuple[Round, list[Criterion], Any]:
    """An open round with its criteria (two quality, two social value) and its keeper."""
    activity = _activity()
    staff = staff_of(activity)
    round_ = make_round(activity, staff)
    criteria = make_criteria(round_, staff)
    criteria.append(make_social_value_criterion(round_, staff))
    return round_, criteria, staff


def _points(criteria: list[Criterion], *values: int) -> dict[int, int]:
    return {c.pk: v for c, v in zip(criteria, values, strict=True)}


def _decision(service: Service) -> Decision:
    return decision_create(
        service=service,
        stage=Stage.COMMISSIONING,
        title="Keep the drop-in open on Saturdays",
        description="Young people asked for weekend help.",
        decided_by="Health and Wellbeing Board",
        decided_on=timezone.localdate(),
        recorded_by=keeper_of(service, Role.ADMIN),
    )


def _indicator(service: Service) -> Indicator:
    keeper = keeper_of(service)
    return make_indicator(make_outcome(service, keeper), keeper)


# --- The round ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "field"),
    [
        ({"questions_close_on": 60}, "questions_close_on"),  # after bids close
        ({"evaluation_on": 1}, "evaluation_on"),  # before bids close
        ({"award_on": 45}, "award_on"),  # before the evaluation
        ({"weighting_closes_on": 60}, "weighting_closes_on"),  # after bids close
    ],
)
def test_the_timetable_must_run_in_order(days: dict[str, int], field: str) -> None:
    activity = _activity()
    today = timezone.localdate()
    dates = {name: today + dt.timedelta(days=n) for name, n in days.items()}
    with pytest.raises(ValidationError) as error:
        make_round(activity, staff_of(activity), **dates)
    assert field in error.value.message_dict
    assert not Round.objects.filter(activity=activity).exists()


@pytest.mark.parametrize("price_weight", [-1, 101])
def test_price_weighs_from_0_to_100(price_weight: int) -> None:
    activity = _activity()
    with pytest.raises(ValidationError) as error:
        make_round(activity, staff_of(activity), price_weight=price_weight)
    assert "price_weight" in error.value.message_dict


def test_saving_again_changes_the_round_and_prices_weight_is_fixed_once_published() -> None:
    round_, _criteria, staff = _ready()
    changed = actions.round_save(
        activity=round_.activity, by=staff, fields=round_fields(price_weight=0)
    )
    assert changed.pk == round_.pk
    assert changed.price_weight == 0
    assert Round.objects.filter(activity=round_.activity).count() == 1
    actions.weights_publish(round_=changed, by=staff)
    with pytest.raises(ValidationError) as error:
        actions.round_save(activity=round_.activity, by=staff, fields=round_fields(price_weight=20))
    assert "price_weight" in error.value.message_dict
    kept = actions.round_save(
        activity=round_.activity,
        by=staff,
        fields=round_fields(price_weight=0, specification="Changed wording."),
    )
    assert kept.specification == "Changed wording."


def _as_saved(round_: Round, **changes: Any) -> actions.RoundFields:
    """The round's set-up as it is, with ``changes``."""
    names = actions.RoundFields.__dataclass_fields__
    return actions.RoundFields(**{**{name: getattr(round_, name) for name in names}, **changes})


def test_once_bidding_opens_bids_close_later_than_announced_but_never_earlier() -> None:
    scenario = published_round()
    round_, staff = scenario.round, scenario.staff
    announced = round_.bids_close_at
    for earlier in (announced - dt.timedelta(minutes=1), timezone.now() - dt.timedelta(hours=1)):
        with pytest.raises(ValidationError) as error:
            actions.round_save(
                activity=round_.activity, by=staff, fields=_as_saved(round_, bids_close_at=earlier)
            )
        assert "bids_close_at" in error.value.message_dict
    later = announced + dt.timedelta(days=7)
    saved = actions.round_save(
        activity=round_.activity,
        by=staff,
        fields=_as_saved(round_, bids_close_at=later, evaluation_on=round_.evaluation_on),
        indicators=[scenario.indicator],
    )
    assert saved.bids_close_at == later


def test_once_bids_close_what_they_answered_is_fixed_and_the_award_fixes_the_rest() -> None:
    """Decision 0122: moving the deadline after it passed reopened bidding, even after the award
    (the published award then failed the ledger check and its page a 500)."""
    scenario = close_bids(published_round())
    round_, staff = scenario.round, scenario.staff
    answers: dict[str, Any] = {"indicators": [scenario.indicator]}
    for changes in (
        {"bids_close_at": timezone.now() + dt.timedelta(days=7)},
        {"specification": "Something else."},
        {"contract_value": round_.contract_value + 1},
        {"questions_close_on": round_.questions_close_on - dt.timedelta(days=1)},
        {"price_weight": 50},
    ):
        with pytest.raises(ValidationError) as error:
            actions.round_save(
                activity=round_.activity, by=staff, fields=_as_saved(round_, **changes), **answers
            )
        assert set(error.value.message_dict) == set(changes)
    with pytest.raises(ValidationError) as error:
        actions.round_save(activity=round_.activity, by=staff, fields=_as_saved(round_))
    assert "indicators" in error.value.message_dict
    later = round_.award_on + dt.timedelta(days=14)
    saved = actions.round_save(
        activity=round_.activity, by=staff, fields=_as_saved(round_, award_on=later), **answers
    )
    assert saved.award_on == later
    assert rules.bids_closed(saved)

    awarded = awarded_round()
    with pytest.raises(ValidationError, match="The award is made"):
        actions.round_save(
            activity=awarded.round.activity,
            by=awarded.staff,
            fields=_as_saved(awarded.round, award_on=awarded.round.award_on),
            indicators=[awarded.indicator],
        )


def test_only_the_services_staff_set_up_a_round_and_only_on_a_commissioning_activity() -> None:
    activity = _activity()
    for outsider in (UserFactory(), staff_of(_activity()), staff_of(activity, Role.FACILITATOR)):
        with pytest.raises(PermissionDenied):
            make_round(activity, outsider)
    challenge = ActivityFactory(service=activity.service, state=ActivityState.OPEN)
    with pytest.raises(PermissionDenied):
        make_round(challenge, staff_of(challenge))
    assert make_round(activity, staff_of(activity, Role.ADMIN)).activity == activity


def test_a_round_answers_decisions_and_indicators_of_its_own_service_only() -> None:
    activity = _activity()
    staff = staff_of(activity)
    own_decision, own_indicator = _decision(activity.service), _indicator(activity.service)
    other = ServiceFactory()
    for decisions, indicators, field in (
        ([_decision(other)], [], "decisions"),
        ([], [_indicator(other)], "indicators"),
    ):
        with pytest.raises(ValidationError) as error:
            actions.round_save(
                activity=activity,
                by=staff,
                fields=round_fields(),
                decisions=[own_decision, *decisions],
                indicators=[own_indicator, *indicators],
            )
        assert field in error.value.message_dict
    assert not Round.objects.filter(activity=activity).exists()
    round_ = actions.round_save(
        activity=activity,
        by=staff,
        fields=round_fields(),
        decisions=[own_decision],
        indicators=[own_indicator],
    )
    assert list(round_.decisions.all()) == [own_decision]
    assert list(round_.indicators.all()) == [own_indicator]


# --- Criteria ----------------------------------------------------------------------------------


def test_criteria_are_fixed_once_someone_weighs_but_their_wording_can_change() -> None:
    round_, criteria, staff = _ready()
    extra = actions.criterion_add(
        round_=round_, by=staff, kind=CriterionKind.QUALITY, name="Evening appointments"
    )
    actions.criterion_delete(criterion=extra, by=staff)
    make_weighting(round_, _points(criteria, 25, 25, 25, 25))
    with pytest.raises(ValidationError):
        actions.criterion_add(
            round_=round_, by=staff, kind=CriterionKind.QUALITY, name="Evening appointments"
        )
    with pytest.raises(ValidationError):
        actions.criterion_delete(criterion=criteria[0], by=staff)
    actions.criterion_update(
        criterion=criteria[0], by=staff, name="Seen within a month", name_cy="Gweld o fewn mis"
    )
    assert [c.name for c in round_.criteria.all()] == [
        "Seen within a month",
        *[c.name for c in criteria[1:]],
    ]


def test_a_criterion_needs_a_kind_and_a_name_of_its_own_and_its_services_indicators() -> None:
    round_, criteria, staff = _ready()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"kind": "price", "name": "Cheapest"}, "kind"),
        ({"kind": CriterionKind.QUALITY, "name": criteria[0].name.upper()}, "name"),
        (
            {
                "kind": CriterionKind.SOCIAL_VALUE,
                "name": "Green travel",
                "indicators": [_indicator(ServiceFactory())],
            },
            "indicators",
        ),
    ]
    for fields, field in cases:
        with pytest.raises(ValidationError) as error:
            actions.criterion_add(round_=round_, by=staff, **fields)
        assert field in error.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.criterion_add(round_=round_, by=UserFactory(), kind="quality", name="Any")
    assert round_.criteria.count() == len(criteria)


# --- Residents' weightings ---------------------------------------------------------------------


@pytest.mark.parametrize("values", [(30, 30, 20, 10), (40, 40, 20, 10), (0, 0, 0, 0)])
def test_a_weighting_shares_exactly_100_points_and_says_how_many_to_change(
    values: tuple[int, ...],
) -> None:
    round_, criteria, _staff = _ready()
    with pytest.raises(ValidationError) as error:
        make_weighting(round_, _points(criteria, *values))
    message = " ".join(error.value.message_dict["points"])
    total = sum(values)
    assert str(total) in message
    assert (f"add {100 - total}" if total < 100 else f"take away {total - 100}") in message
    assert not Weighting.objects.exists()


def test_a_weighting_gives_points_only_to_this_rounds_criteria() -> None:
    round_, criteria, _staff = _ready()
    _other, others, _ = _ready()
    with pytest.raises(ValidationError) as error:
        make_weighting(round_, {criteria[0].pk: 50, others[0].pk: 50})
    assert "points" in error.value.message_dict
    with pytest.raises(ValidationError):
        make_weighting(round_, {criteria[0].pk: 101, criteria[1].pk: -1})  # adds to 100
    assert not Weighting.objects.exists()


def test_one_weighting_per_person_saving_again_changes_it() -> None:
    round_, criteria, _staff = _ready()
    person = UserFactory()
    first = make_weighting(round_, _points(criteria, 40, 30, 20, 10), person)
    again = make_weighting(round_, {criteria[3].pk: 100}, person)
    assert again.pk == first.pk
    assert Weighting.objects.filter(round=round_, person=person).count() == 1
    assert Contribution.objects.filter(kind=WEIGHTING, author=person).count() == 1
    assert actions.weighting_points(again) == _points(criteria, 0, 0, 0, 100)


def test_criteria_a_weighting_leaves_out_get_no_points() -> None:
    round_, criteria, _staff = _ready()
    weighting = make_weighting(round_, {criteria[1].pk: 100})
    assert actions.weighting_points(weighting) == _points(criteria, 0, 100, 0, 0)


def _close_activity(round_: Round) -> None:
    service_actions.activity_transition(activity=round_.activity, to_state=ActivityState.CLOSED)


def _after_closing_date(round_: Round) -> None:
    Round.objects.filter(pk=round_.pk).update(
        weighting_closes_on=timezone.localdate() - dt.timedelta(days=1)
    )


def _published(round_: Round) -> None:
    actions.weights_publish(round_=round_, by=keeper_of(round_.activity.service))


@pytest.mark.parametrize("close", [_after_closing_date, _published, _close_activity])
def test_nobody_weighs_once_the_weighting_is_closed(close: Any) -> None:
    round_, criteria, _staff = _ready()
    person = UserFactory()
    make_weighting(round_, _points(criteria, 25, 25, 25, 25), person)
    close(round_)
    round_ = Round.objects.select_related("activity").get(pk=round_.pk)
    for who in (person, UserFactory()):
        with pytest.raises(PermissionDenied):
            make_weighting(round_, _points(criteria, 100, 0, 0, 0), who)
    assert Weighting.objects.filter(round=round_).count() == 1


def test_people_must_sign_in_and_the_round_must_have_criteria_to_weigh() -> None:
    activity = _activity()
    round_ = make_round(activity, staff_of(activity))
    with pytest.raises(PermissionDenied):
        make_weighting(round_, {})
    round_, criteria, _staff = _ready()
    with pytest.raises(PermissionDenied):
        actions.weighting_save(
            round_=round_, person=AnonymousUser(), points=_points(criteria, 25, 25, 25, 25)
        )


# --- Publishing the weights --------------------------------------------------------------------


def _weigh_all(round_: Round, criteria: list[Criterion]) -> list[dict[int, int]]:
    given = [
        _points(criteria, 40, 30, 20, 10),
        _points(criteria, 10, 50, 30, 10),
        _points(criteria, 25, 25, 25, 25),
        {criteria[0].pk: 100},  # all on one: the median barely notices
    ]
    for points in given:
        make_weighting(round_, points)
    return given


def test_published_weights_are_residents_combined_and_every_weighting_is_answered() -> None:
    round_, criteria, staff = _ready()
    given = _weigh_all(round_, criteria)
    expected = weights.combine([c.pk for c in criteria], given)
    actions.weights_publish(round_=round_, by=staff)
    round_.refresh_from_db()
    assert round_.weights_published_at is not None
    assert round_.weights_participants == len(given)
    assert round_.weights_method == weights.METHOD
    assert round_.weights_reason == ""
    published = {c.pk: (c.weight, c.residents_weight) for c in round_.criteria.all()}
    assert published == {key: (value, value) for key, value in expected.items()}
    assert sum(expected.values()) == 100
    for weighting in Weighting.objects.filter(round=round_):
        answers = list(Response.objects.filter(contribution=weighting.contribution))
        assert len(answers) == 1
        assert answers[0].author == staff
        assert answers[0].body_cy.strip()
        yours = actions.weighting_points(weighting)
        for criterion in criteria:
            assert (
                f"{criterion.name}: you gave {yours[criterion.pk]}, "
                f"published {expected[criterion.pk]}"
            ) in answers[0].body


def test_staff_may_change_the_weights_only_with_a_reason_and_adding_to_100() -> None:
    round_, criteria, staff = _ready()
    _weigh_all(round_, criteria)
    computed = actions.residents_weights(round_)
    changed = dict(computed)
    first, last = criteria[0].pk, criteria[-1].pk
    moved = min(3, changed[first])
    changed[first] -= moved
    changed[last] += moved
    assert changed != computed
    with pytest.raises(ValidationError) as error:
        actions.weights_publish(round_=round_, by=staff, changed=changed)
    assert "reason" in error.value.message_dict
    for wrong in ({**changed, last: changed[last] + 1}, {first: 100}):
        with pytest.raises(ValidationError) as error:
            actions.weights_publish(round_=round_, by=staff, changed=wrong, reason="Because.")
        assert "weights" in error.value.message_dict
    round_.refresh_from_db()
    assert round_.weights_published_at is None
    reason = "Safeguarding is a legal minimum; we raised it."
    actions.weights_publish(round_=round_, by=staff, changed=changed, reason=reason)
    round_.refresh_from_db()
    assert round_.weights_reason == reason
    assert {c.pk: c.weight for c in round_.criteria.all()} == changed
    assert {c.pk: c.residents_weight for c in round_.criteria.all()} == computed
    answer = Response.objects.filter(contribution__kind=WEIGHTING).first()
    assert answer is not None
    assert reason in answer.body


def test_publishing_unchanged_weights_keeps_no_reason() -> None:
    round_, criteria, staff = _ready()
    _weigh_all(round_, criteria)
    computed = actions.residents_weights(round_)
    actions.weights_publish(round_=round_, by=staff, changed=computed, reason="Not needed.")
    round_.refresh_from_db()
    assert round_.weights_reason == ""


def test_weights_are_published_once_by_the_services_staff() -> None:
    round_, criteria, staff = _ready()
    given = _weigh_all(round_, criteria)
    with pytest.raises(PermissionDenied):
        actions.weights_publish(round_=round_, by=UserFactory())
    actions.weights_publish(round_=round_, by=staff)
    with pytest.raises(ValidationError):
        actions.weights_publish(round_=round_, by=staff)
    assert Response.objects.filter(contribution__kind=WEIGHTING).count() == len(given)


def test_a_round_without_criteria_cannot_publish() -> None:
    activity = _activity()
    staff = staff_of(activity)
    round_ = make_round(activity, staff)
    with pytest.raises(ValidationError):
        actions.weights_publish(round_=round_, by=staff)


def test_a_resident_who_did_not_weigh_gets_no_answer() -> None:
    round_, criteria, staff = _ready()
    make_weighting(round_, _points(criteria, 25, 25, 25, 25))
    bystander = UserFactory()
    said = Contribution.objects.create(activity=round_.activity, kind="need", author=bystander)
    actions.weights_publish(round_=round_, by=staff)
    assert not Response.objects.filter(contribution=said).exists()
    assert not Response.objects.filter(contribution__author=bystander).exists()
    assert Response.objects.filter(contribution__activity=round_.activity).count() == 1
