"""What a commissioning round records in the public ledger: the published weights and the award,
each verifiable (ledger_verify's check recomputes them from the live rows) and each changed row
caught."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory
from coproduce.commissioning import actions, ledger
from coproduce.commissioning.models import AgreedScore, Award, Criterion, Round
from coproduce.commissioning.tests.test_export_data import (
    PRICES,
    TOTALS,
    awarded_round,
    published_round,
)
from coproduce.services.models import Activity, ActivityState
from coproduce.transparency.models import LedgerEntry
from coproduce.transparency.queries import Checked, Problem, check_ledger
from coproduce.transparency.registry import get_type, registered, unregister_type

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _types() -> Iterator[None]:
    """The two types, registered here until apps.ready() registers them (then left alone)."""
    ours = not registered(ledger.WEIGHTS)
    if ours:
        ledger.register()
    yield
    if ours:
        unregister_type(ledger.WEIGHTS)
        unregister_type(ledger.AWARD)


def _entries(type: str) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(type=type).order_by("seq"))


def _problem() -> str:
    result = check_ledger()
    assert isinstance(result, Problem)
    return str(result.reason)


# --- The published weights ----------------------------------------------------------------------


def test_the_published_weights_are_recorded_once_and_verify() -> None:
    scenario = published_round()
    round_ = scenario.round
    ledger.record_weights(round_)  # actions.weights_publish recorded them: nothing changed since
    (entry,) = _entries(ledger.WEIGHTS)
    assert entry.key == str(round_.pk)
    content = json.loads(entry.content)
    assert content["round"] == round_.pk
    assert content["price_weight"] == 40
    assert content["participants"] == 1
    assert content["method"] == round_.weights_method
    assert content["reason"] == ""
    assert [
        (c["name"], c["kind"], c["weight"], c["residents_weight"]) for c in content["criteria"]
    ] == [
        ("Seen within four weeks", "quality", 30, 30),
        ("Staff young people trust", "quality", 30, 30),
        ("Local jobs", "social_value", 40, 40),
    ]
    assert isinstance(check_ledger(), Checked)


def test_a_weight_changed_behind_the_ledger_is_caught() -> None:
    scenario = published_round()
    ledger.record_weights(scenario.round)
    Criterion.objects.filter(pk=scenario.criteria[0].pk).update(weight=35)
    assert "content was changed" in _problem()


def test_a_corrected_criterion_name_is_recorded_as_a_correction() -> None:
    scenario = published_round()
    criterion = scenario.criteria[0]
    actions.criterion_update(criterion=criterion, by=scenario.staff, name="Seen within 4 weeks")
    first, correction = _entries(ledger.WEIGHTS)
    assert correction.corrects == first.seq
    assert isinstance(check_ledger(), Checked)


def test_the_weights_need_publishing_before_they_are_recorded() -> None:
    scenario = published_round()
    Round.objects.filter(pk=scenario.round.pk).update(weights_published_at=None)
    scenario.round.refresh_from_db()
    with pytest.raises(AssertionError):
        ledger.record_weights(scenario.round)
    assert get_type(ledger.WEIGHTS).content(str(scenario.round.pk)) is None


# --- The award ----------------------------------------------------------------------------------


def test_the_award_is_recorded_with_every_bids_total_and_rank_and_verifies() -> None:
    scenario = awarded_round()
    award = scenario.award
    assert award is not None
    ledger.record_award(award)  # what the award action does
    ledger.record_award(award)
    (entry,) = _entries(ledger.AWARD)
    assert entry.key == str(scenario.round.pk)
    content = json.loads(entry.content)
    assert content["bid"] == scenario.bids[0].pk
    assert content["winner"] == scenario.bids[0].organisation_id
    assert content["price"] == f"{PRICES[0]:f}.00"
    assert content["currency"] == "GBP"
    assert content["reasons"] == award.reasons
    assert content["standstill_ends_on"] == award.standstill_ends_on.isoformat()
    assert content["bids"] == [
        {"bid": bid.pk, "bidder": bid.organisation_id, "total": total, "rank": rank}
        for rank, (bid, total) in enumerate(zip(scenario.bids, TOTALS, strict=True), 1)
    ]
    assert isinstance(check_ledger(), Checked)
    # No names: an organisation renamed later does not make the award seem changed.
    winner = scenario.bids[0].organisation
    winner.name = "Northfield Youth Wellbeing (NHS)"
    winner.save()
    assert isinstance(check_ledger(), Checked)


def test_an_agreed_score_changed_after_the_award_is_caught() -> None:
    scenario = awarded_round()
    assert scenario.award is not None
    ledger.record_award(scenario.award)
    AgreedScore.objects.filter(bid=scenario.bids[2], criterion=scenario.criteria[0]).update(score=5)
    assert "content was changed" in _problem()


def test_welsh_reasons_written_later_are_a_correction() -> None:
    scenario = awarded_round()
    award = scenario.award
    assert award is not None
    ledger.record_award(award)
    Award.objects.filter(pk=award.pk).update(reasons_cy="Y cyfanswm gorau.")
    award.refresh_from_db()
    ledger.record_award(award)
    first, correction = _entries(ledger.AWARD)
    assert correction.corrects == first.seq
    assert json.loads(correction.content)["reasons_cy"] == "Y cyfanswm gorau."
    assert isinstance(check_ledger(), Checked)


def test_a_deleted_award_is_caught() -> None:
    scenario = awarded_round()
    assert scenario.award is not None
    ledger.record_award(scenario.award)
    Award.objects.filter(pk=scenario.award.pk).delete()
    assert "deleted" in _problem()


# --- Who sees the entries' links ----------------------------------------------------------------


def test_entries_link_to_the_round_and_the_award_for_those_who_may_see_them() -> None:
    public = awarded_round()
    keys = [str(public.round.pk), "not-a-key", "99999999"]
    anyone = AnonymousUser()
    assert get_type(ledger.WEIGHTS).links(anyone, keys) == {
        str(public.round.pk): public.round.get_absolute_url() + "#weights"
    }
    assert get_type(ledger.AWARD).links(anyone, keys) == {
        str(public.round.pk): reverse("commissioning:award", args=[public.round.pk])
    }
    closed = published_round(state=ActivityState.CLOSED)  # a closed round is still public
    assert str(closed.round.pk) in get_type(ledger.WEIGHTS).links(anyone, [str(closed.round.pk)])


def test_a_draft_rounds_entries_have_no_link_for_the_public() -> None:
    scenario = published_round()
    Activity.objects.filter(pk=scenario.round.pk).update(state=ActivityState.DRAFT)
    key = str(scenario.round.pk)
    assert get_type(ledger.WEIGHTS).links(AnonymousUser(), [key]) == {}
    assert get_type(ledger.WEIGHTS).links(UserFactory(), [key]) == {}
    assert get_type(ledger.WEIGHTS).links(scenario.staff, [key]) == {
        key: scenario.round.get_absolute_url() + "#weights"
    }
