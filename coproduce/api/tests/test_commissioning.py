"""The commissioning API: rounds seen as their activities are, one round with its criteria (and
their weights once published), and your weighting of the criteria, saved through the website's
action, changed, answered, and refused as a rule when it cannot be taken."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from coproduce.accounts.actions import api_token_create
from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.api import commissioning as api_commissioning
from coproduce.api.tests.client import Api, fields
from coproduce.commissioning import actions, weights
from coproduce.commissioning.models import Criterion, CriterionKind, PriceMethod, Round, Weighting
from coproduce.commissioning.tests.factories import (
    make_criteria,
    make_round,
    make_weighting,
)
from coproduce.contributions.models import Response
from coproduce.services import actions as service_actions
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db


def _api(user: User) -> Api:
    return Api(api_token_create(user=user, name="test")[1])


def _round(state: str = ActivityState.OPEN) -> tuple[Round, list[Criterion], User]:
    activity = ActivityFactory(kind=ActivityKind.COMMISSIONING_ROUND, state=state)
    staff = staff_of(activity)
    round_ = make_round(activity, staff)
    return round_, make_criteria(round_, staff), staff


def _body(criteria: list[Criterion], *values: int) -> dict[str, Any]:
    return {
        "points": [{"criterion": c.pk, "points": v} for c, v in zip(criteria, values, strict=True)]
    }


def _weighting_url(round_: Round) -> str:
    return f"/commissioning/rounds/{round_.pk}/weighting"


def test_the_enums_are_the_models_choices() -> None:
    assert {k.value for k in api_commissioning.AwardCriterionKind} == set(CriterionKind.values)
    assert {m.value for m in api_commissioning.PriceMethodName} == set(PriceMethod.values)


# --- Rounds -------------------------------------------------------------------------------------


def test_the_list_shows_open_rounds_to_all_and_drafts_to_their_staff_only() -> None:
    public, _, _ = _round()
    draft, _, staff = _round(ActivityState.DRAFT)
    anyone = Api().get("/commissioning/rounds").json()
    assert [item["id"] for item in anyone["items"]] == [public.pk]
    assert anyone["count"] == 1
    assert anyone["items"][0]["weighting_open"] is True
    ours = _api(staff).get("/commissioning/rounds").json()
    assert {item["id"] for item in ours["items"]} == {public.pk, draft.pk}
    assert Api().get(f"/commissioning/rounds/{draft.pk}").status_code == 404
    assert _api(staff).get(f"/commissioning/rounds/{draft.pk}").status_code == 200


def test_a_round_shows_its_set_up_and_criteria_without_weights_before_publishing() -> None:
    round_, criteria, _staff = _round()
    body = Api().get(f"/commissioning/rounds/{round_.pk}").json()
    assert body["specification"] == round_.specification
    assert body["contract_value"] == float(round_.contract_value)
    assert body["contract_months"] == round_.contract_months
    assert body["price_weight"] == round_.price_weight
    assert body["criteria_share"] == 100 - round_.price_weight
    assert body["timetable"]["award_on"] == round_.award_on.isoformat()
    bids_close_at = dt.datetime.fromisoformat(body["timetable"]["bids_close_at"])
    assert abs(bids_close_at - round_.bids_close_at) < dt.timedelta(milliseconds=1)
    assert [c["id"] for c in body["criteria"]] == [c.pk for c in round_.criteria.all()]
    assert {c["id"] for c in body["criteria"]} == {c.pk for c in criteria}
    assert all(c["weight"] is None and c["award_share"] is None for c in body["criteria"])
    assert body["weights"] is None
    assert body["weights_published"] is False
    assert body["page"] == round_.get_absolute_url()


def test_published_weights_come_with_the_method_the_reason_and_the_award_shares() -> None:
    round_, criteria, staff = _round()
    given = [{criteria[0].pk: 60, criteria[1].pk: 40}, {criteria[2].pk: 100}]
    for points in given:
        make_weighting(round_, points)
    computed = weights.combine([c.pk for c in round_.criteria.all()], given)
    changed = dict(computed)
    changed[criteria[0].pk] += 1
    changed[criteria[2].pk] -= 1
    actions.weights_publish(round_=round_, by=staff, changed=changed, reason="A legal minimum.")
    body = Api().get(f"/commissioning/rounds/{round_.pk}").json()
    share = (100 - round_.price_weight) / 100
    for item in body["criteria"]:
        assert item["weight"] == changed[item["id"]]
        assert item["residents_weight"] == computed[item["id"]]
        assert item["award_share"] == pytest.approx(changed[item["id"]] * share, abs=0.05)
    assert body["weights"]["participants"] == len(given)
    assert body["weights"]["method"] == weights.METHOD
    assert body["weights"]["reason"] == "A legal minimum."
    assert body["weightings"] == len(given)
    assert body["weighting_open"] is False


# --- Your weighting -----------------------------------------------------------------------------


def test_your_weighting_needs_a_token_and_is_empty_until_you_weigh() -> None:
    round_, _criteria, _staff = _round()
    assert Api().get(_weighting_url(round_)).status_code == 401
    body = _api(UserFactory()).get(_weighting_url(round_)).json()
    assert body["weighed"] is False
    assert body["points"] == []
    assert body["contribution"] is None
    assert body["may_weigh"] is True


def test_a_weighting_is_saved_changed_and_answered_when_the_weights_are_published() -> None:
    round_, criteria, staff = _round()
    person = UserFactory()
    api = _api(person)
    first = api.put(_weighting_url(round_), _body(criteria, 50, 30, 20))
    assert first.status_code == 200, first.content
    weighting = Weighting.objects.get(round=round_, person=person)
    assert actions.weighting_points(weighting) == {
        criteria[0].pk: 50,
        criteria[1].pk: 30,
        criteria[2].pk: 20,
    }
    # Left out: 0 points. Saving again changes the one weighting.
    again = api.put(
        _weighting_url(round_), {"points": [{"criterion": criteria[1].pk, "points": 100}]}
    )
    assert again.status_code == 200
    assert Weighting.objects.filter(round=round_, person=person).count() == 1
    body = api.get(_weighting_url(round_)).json()
    assert {p["criterion"]: p["points"] for p in body["points"]} == {
        criteria[0].pk: 0,
        criteria[1].pk: 100,
        criteria[2].pk: 0,
    }
    assert body["contribution"] == weighting.contribution_id
    actions.weights_publish(round_=round_, by=staff)
    assert Response.objects.filter(contribution_id=body["contribution"]).count() == 1
    after = api.get(_weighting_url(round_)).json()
    assert after["may_weigh"] is False


@pytest.mark.parametrize(
    ("values", "hint"), [((50, 30, 10), "add 10"), ((50, 40, 20), "take away 10")]
)
def test_points_must_add_up_to_100_and_the_message_says_how(
    values: tuple[int, ...], hint: str
) -> None:
    round_, criteria, _staff = _round()
    response = _api(UserFactory()).put(_weighting_url(round_), _body(criteria, *values))
    assert fields(response) == {("body", "points"): "rule"}
    assert hint in response.json()["detail"][0]["msg"]
    assert not Weighting.objects.exists()


def test_a_criterion_of_another_round_or_given_twice_is_a_rule() -> None:
    round_, criteria, _staff = _round()
    _other, others, _ = _round()
    api = _api(UserFactory())
    foreign = {"points": [{"criterion": others[0].pk, "points": 100}]}
    assert fields(api.put(_weighting_url(round_), foreign)) == {("body", "points"): "rule"}
    twice = {
        "points": [
            {"criterion": criteria[0].pk, "points": 0},
            {"criterion": criteria[0].pk, "points": 100},
        ]
    }
    assert fields(api.put(_weighting_url(round_), twice)) == {("body", "points"): "rule"}
    assert not Weighting.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"points": [{"criterion": 1, "points": 101}]},
        {"points": [{"criterion": 1, "points": "40"}]},
        {"points": [{"criterion": 1, "points": 40, "extra": 1}]},
        {"points": {"1": 100}},
    ],
)
def test_a_body_outside_the_schema_is_refused_before_any_rule(body: dict[str, Any]) -> None:
    round_, _criteria, _staff = _round()
    response = _api(UserFactory()).put(_weighting_url(round_), body)
    assert response.status_code == 422
    assert all(issue["type"] != "rule" for issue in response.json()["detail"])


def _closing_date_passed(round_: Round) -> None:
    Round.objects.filter(pk=round_.pk).update(
        weighting_closes_on=timezone.localdate() - dt.timedelta(days=1)
    )


def _published(round_: Round) -> None:
    actions.weights_publish(round_=round_, by=staff_of(round_.activity))


def _activity_closed(round_: Round) -> None:
    service_actions.activity_transition(activity=round_.activity, to_state=ActivityState.CLOSED)


@pytest.mark.parametrize("close", [_closing_date_passed, _published, _activity_closed])
def test_weighing_after_the_weighting_closed_is_a_rule(close: Any) -> None:
    round_, criteria, _staff = _round()
    close(round_)
    response = _api(UserFactory()).put(_weighting_url(round_), _body(criteria, 50, 30, 20))
    assert fields(response) == {("body",): "rule"}
    assert not Weighting.objects.exists()


def test_a_round_without_criteria_is_a_rule_and_an_unseen_round_is_404() -> None:
    activity = ActivityFactory(kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.OPEN)
    round_ = make_round(activity, staff_of(activity))
    api = _api(UserFactory())
    assert fields(api.put(_weighting_url(round_), {"points": []})) == {("body",): "rule"}
    draft, criteria, _staff = _round(ActivityState.DRAFT)
    assert api.put(_weighting_url(draft), _body(criteria, 50, 30, 20)).status_code == 404
    assert api.get(_weighting_url(draft)).status_code == 404
