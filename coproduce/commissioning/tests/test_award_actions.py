"""The award: working days for the standstill period, what the award needs (agreed scores, the
reasons, why a bid that did not score highest won, feedback), and what it records (the award,
every bidder's feedback, the public ledger entry)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coproduce.commissioning import actions_award, ledger, queries_evaluation
from coproduce.commissioning.models import Award, Bid, BidAccess
from coproduce.commissioning.tests.factories_evaluation import (
    TOTALS,
    Evaluated,
    agree,
    agree_example,
    award,
    evaluated_round,
)
from coproduce.common.dates import add_working_days
from coproduce.transparency.models import LedgerEntry

pytestmark = pytest.mark.django_db

# --- The standstill -----------------------------------------------------------------------------


def test_the_standstill_counts_working_days() -> None:
    round_ = evaluated_round().round
    assert round_.standstill_days == 8
    # Decided on Wednesday 1 April 2026: Good Friday (3rd) and Easter Monday (6th) do not count.
    assert actions_award.standstill_ends_on(round_, dt.date(2026, 4, 1)) == dt.date(2026, 4, 15)
    # Over Christmas 2026 (Friday 25, Boxing Day moved to Monday 28) and New Year's Day.
    assert actions_award.standstill_ends_on(round_, dt.date(2026, 12, 23)) == dt.date(2027, 1, 7)


# --- The award ----------------------------------------------------------------------------------


@pytest.fixture
def data() -> Evaluated:
    return evaluated_round()


def test_the_award_needs_every_agreed_score(data: Evaluated) -> None:
    agree(data.bids[0], data.keeper, (4, 4, 5))
    with pytest.raises(ValidationError, match="Ash Co-operative – Seen within four weeks"):
        award(data)
    assert not Award.objects.exists()


def test_the_top_ranked_bid_wins_with_reasons_and_feedback(data: Evaluated) -> None:
    agree_example(data)
    made = award(data, contract_starts_on=timezone.localdate() + dt.timedelta(days=60))
    assert made.bid == data.bids[0]
    assert made.decided_by == data.keeper
    assert made.reasons == "The highest score: local staff and quick appointments."
    assert made.standstill_ends_on == add_working_days(
        timezone.localdate(made.decided_at), data.round.standstill_days
    )
    feedback = dict(Bid.objects.values_list("organisation__name", "feedback"))
    assert feedback == {
        "Oak Trust": "Feedback for Oak Trust.",
        "Ash Co-operative": "Feedback for Ash Co-operative.",
        "Elm Care Ltd": "Feedback for Elm Care Ltd.",
    }


def test_the_award_is_recorded_in_the_public_ledger(data: Evaluated) -> None:
    agree_example(data)
    award(data)
    entry = LedgerEntry.objects.get(type=ledger.AWARD, key=str(data.round.pk))
    content = json.loads(entry.content)
    assert content["bid"] == data.bids[0].pk
    assert [b["total"] for b in content["bids"]] == [str(total) for total in TOTALS]


def test_a_bid_that_did_not_score_highest_wins_only_with_a_reason(data: Evaluated) -> None:
    agree_example(data)
    ash = data.bids[1]
    with pytest.raises(ValidationError) as error:
        award(data, ash)
    assert set(error.value.message_dict) == {"why_not_top"}
    made = award(data, ash, why_not_top="Oak cannot start until next year.")
    assert made.reasons.startswith(
        "Why not the highest-scoring bid: Oak cannot start until next year.\n\n"
    )
    assert made.reasons.endswith("quick appointments.")


def test_the_award_needs_reasons_and_feedback_for_every_bidder(data: Evaluated) -> None:
    agree_example(data)
    oak, ash, elm = data.bids
    with pytest.raises(ValidationError) as error:
        award(data, reasons="  ", feedback={oak.pk: "Well done.", ash.pk: " "})
    assert set(error.value.message_dict) == {"reasons", f"feedback_{ash.pk}", f"feedback_{elm.pk}"}
    assert not Award.objects.exists()
    assert not Bid.objects.exclude(feedback="").exists()  # nothing written


def test_the_contract_starts_after_the_standstill_period(data: Evaluated) -> None:
    agree_example(data)
    ends = actions_award.standstill_ends_on(data.round, timezone.localdate())
    with pytest.raises(ValidationError) as error:
        award(data, contract_starts_on=ends)
    assert set(error.value.message_dict) == {"contract_starts_on"}
    assert award(data, contract_starts_on=ends + dt.timedelta(days=1)).contract_starts_on


def test_only_a_keeper_awards_once_after_the_deadline() -> None:
    data = evaluated_round(closed=False)
    with pytest.raises(PermissionDenied):
        award(data)
    from coproduce.commissioning.tests.factories_evaluation import close

    close(data)
    agree_example(data)
    with pytest.raises(PermissionDenied):
        actions_award.award_make(
            round_=data.round,
            by=data.bidders[0],
            bid=data.bids[0],
            reasons="Mine.",
            feedback={b.pk: "x" for b in data.bids},
        )
    award(data)
    with pytest.raises(PermissionDenied):
        award(data, data.bids[2], why_not_top="Changed our minds.")
    assert Award.objects.get().bid == data.bids[0]


def test_prices_are_read_through_the_sealed_opening(data: Evaluated) -> None:
    agree_example(data)
    before = BidAccess.objects.filter(person=data.keeper).count()
    award(data)
    assert BidAccess.objects.filter(person=data.keeper).count() == before + 3


def test_the_results_are_the_worked_example(data: Evaluated) -> None:
    agree_example(data)
    results = queries_evaluation.results(
        data.round, queries_evaluation.opened_prices(data.round, data.keeper)
    )
    assert [line.bid.organisation.name for line in results.lines] == [
        "Oak Trust",
        "Ash Co-operative",
        "Elm Care Ltd",
    ]
    assert [line.total for line in results.lines] == list(TOTALS)
    assert [line.price_points for line in results.lines] == [
        Decimal("36.00"),
        Decimal("32.73"),
        Decimal("40.00"),
    ]
    assert [h.most for h in results.headings] == [
        Decimal("18.00"),
        Decimal("18.00"),
        Decimal("24.00"),
    ]
    assert [p.points for p in results.lines[0].criteria] == [
        Decimal("14.40"),
        Decimal("14.40"),
        Decimal("24.00"),
    ]
    assert results.complete
