"""The weighted totals and ranking of bids (scoring.totals): a hand-worked example, the refusals,
and properties — totals stay within 0 to 100, the ranking does not depend on the currency unit or
on the length of the scale, and equal bids share a rank with the tie stated on both."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.commissioning.scoring import BidScores, Line, price_points, shown, totals

# --- A hand-worked example ------------------------------------------------------------------------
#
# Price counts for 40 % of the award; the criteria share the other 60 %: "Seen quickly" 50 points,
# "Same worker" 30, "Local jobs" 20, scored 0 to 5. The lowest price is £80,000.
#
#            price                      Seen quickly      Same worker        Local jobs       total
#   11 Oak   40 × 80/100  = 32          50×0.6×4/5 = 24   30×0.6×3/5 = 10.8  20×0.6×5/5 = 12  78.8
#   12 Ash   40 × 80/80   = 40          50×0.6×3/5 = 18   30×0.6×4/5 = 14.4  20×0.6×2/5 = 4.8 77.2
#   13 Elm   40 × 80/125  = 25.6        50×0.6×5/5 = 30   30×0.6×5/5 = 18    20×0.6×5/5 = 12  85.6

SEEN, SAME, LOCAL = 1, 2, 3
WEIGHTS = {SEEN: 50, SAME: 30, LOCAL: 20}
EXAMPLE = [
    BidScores(11, Decimal("100000"), {SEEN: 4, SAME: 3, LOCAL: 5}),
    BidScores(12, Decimal("80000"), {SEEN: 3, SAME: 4, LOCAL: 2}),
    BidScores(13, Decimal("125000"), {SEEN: 5, SAME: 5, LOCAL: 5}),
]


def _by_key(lines: list[Line]) -> dict[int, Line]:
    return {line.key: line for line in lines}


def test_the_hand_worked_example() -> None:
    lines = totals(EXAMPLE, price_weight=40, weights=WEIGHTS, scale_max=5)
    assert [line.key for line in lines] == [13, 11, 12]
    oak, ash, elm = (_by_key(lines)[key] for key in (11, 12, 13))
    assert oak.price_points == 32
    assert oak.criterion_points == {
        SEEN: 24,
        SAME: Fraction(54, 5),
        LOCAL: 12,
    }
    assert oak.total == Fraction(394, 5)  # 78.8
    assert ash.price_points == 40
    assert ash.criterion_points == {SEEN: 18, SAME: Fraction(72, 5), LOCAL: Fraction(24, 5)}
    assert ash.total == Fraction(386, 5)  # 77.2
    assert elm.price_points == Fraction(128, 5)  # 25.6
    assert elm.criterion_points == {SEEN: 30, SAME: 18, LOCAL: 12}
    assert elm.total == Fraction(428, 5)  # 85.6
    assert [(line.rank, line.tied_with) for line in lines] == [(1, ()), (2, ()), (3, ())]
    assert [line.total_shown for line in lines] == [
        Decimal("85.60"),
        Decimal("78.80"),
        Decimal("77.20"),
    ]


def test_a_tie_is_stated_on_both_bids_and_the_next_rank_is_skipped() -> None:
    bids = [
        BidScores(5, Decimal("90000"), {SEEN: 2, SAME: 2, LOCAL: 2}),
        BidScores(3, Decimal("90000"), {SEEN: 2, SAME: 2, LOCAL: 2}),
        BidScores(4, Decimal("90000"), {SEEN: 1, SAME: 1, LOCAL: 1}),
    ]
    lines = totals(bids, price_weight=40, weights=WEIGHTS, scale_max=5)
    assert [(line.key, line.rank, line.tied_with) for line in lines] == [
        (3, 1, (5,)),  # ties listed in key order
        (5, 1, (3,)),
        (4, 3, ()),  # two bids share first place, so the next is third
    ]


def test_a_missing_agreed_score_counts_as_zero() -> None:
    lines = totals(
        [BidScores(1, Decimal("10"), {SEEN: 5})], price_weight=40, weights=WEIGHTS, scale_max=5
    )
    assert lines[0].criterion_points == {SEEN: 30, SAME: 0, LOCAL: 0}
    assert lines[0].total == 70


def test_thirds_are_kept_exact_and_rounded_only_for_showing() -> None:
    # 40 × 80,000 / 120,000 = 26.666…: exact in the arithmetic, 26.67 on the page.
    assert price_points(Decimal("120000"), Decimal("80000"), 40) == Fraction(80, 3)
    assert shown(Fraction(80, 3)) == Decimal("26.67")


def test_a_price_of_nothing_gets_the_whole_price_weight() -> None:
    assert price_points(Decimal(0), Decimal(0), 40) == 40
    lines = totals(
        [BidScores(1, Decimal(0), {}), BidScores(2, Decimal("5"), {})],
        price_weight=40,
        weights=WEIGHTS,
        scale_max=5,
    )
    assert [(line.key, line.price_points) for line in lines] == [(1, 40), (2, 0)]


def test_no_bids_give_no_lines() -> None:
    assert totals([], price_weight=40, weights=WEIGHTS, scale_max=5) == []


def test_shown_rounds_half_up_as_documented() -> None:
    # Decimal.quantize would round half to even (0.125 → 0.12) unless told otherwise.
    assert shown(Fraction(1, 8)) == Decimal("0.13")
    assert shown(Fraction(625, 8)) == Decimal("78.13")  # 78.125


# --- Refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price_weight", "weights", "scale_max", "message"),
    [
        (-1, WEIGHTS, 5, "price weight"),
        (101, WEIGHTS, 5, "price weight"),
        (40, {SEEN: 50, SAME: 30, LOCAL: 19}, 5, "add up to 100"),
        (40, {SEEN: 50, SAME: 30, LOCAL: 21}, 5, "add up to 100"),
        (40, WEIGHTS, 0, "scale"),
        (40, WEIGHTS, -5, "scale"),
    ],
)
def test_wrong_settings_are_refused(
    price_weight: int, weights: dict[int, int], scale_max: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        totals(EXAMPLE, price_weight=price_weight, weights=weights, scale_max=scale_max)


def test_no_criteria_leaves_price_alone() -> None:
    lines = totals(EXAMPLE, price_weight=100, weights={}, scale_max=5)
    assert [(line.key, line.total) for line in lines] == [
        (12, 100),
        (11, 80),
        (13, 64),
    ]


# --- Properties -----------------------------------------------------------------------------------

SCALE = 5


@st.composite
def shared_weights(draw: st.DrawFn) -> dict[int, int]:
    """One to six criteria whose whole-point weights add up to exactly 100."""
    count = draw(st.integers(min_value=1, max_value=6))
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=count - 1, max_size=count - 1)))
    edges = [0, *cuts, 100]
    return {key: edges[key] - edges[key - 1] for key in range(1, count + 1)}


prices = st.decimals(
    min_value=Decimal(0), max_value=Decimal("999999999.99"), places=2, allow_nan=False
)


@st.composite
def rounds(draw: st.DrawFn) -> tuple[int, dict[int, int], list[BidScores]]:
    """A price weight, criteria weights adding up to 100, and one to eight bids with whole
    scores on the scale (some criteria left without a score)."""
    price_weight = draw(st.integers(min_value=0, max_value=100))
    weights = draw(shared_weights())
    count = draw(st.integers(min_value=1, max_value=8))
    keys = draw(st.lists(st.integers(1, 10_000), min_size=count, max_size=count, unique=True))
    bids = [
        BidScores(
            key,
            draw(prices),
            draw(
                st.dictionaries(
                    st.sampled_from(sorted(weights)), st.integers(0, SCALE), max_size=len(weights)
                )
            ),
        )
        for key in keys
    ]
    return price_weight, weights, bids


def _ranking(lines: list[Line]) -> list[tuple[int, int, tuple[int, ...]]]:
    return [(line.key, line.rank, line.tied_with) for line in lines]


@given(rounds())
def test_every_total_is_between_0_and_100(
    drawn: tuple[int, dict[int, int], list[BidScores]],
) -> None:
    price_weight, weights, bids = drawn
    for line in totals(bids, price_weight=price_weight, weights=weights, scale_max=SCALE):
        assert 0 <= line.price_points <= price_weight
        assert all(points >= 0 for points in line.criterion_points.values())
        assert line.total == line.price_points + sum(line.criterion_points.values())
        assert 0 <= line.total <= 100
        assert Decimal(0) <= line.total_shown <= Decimal(100)


@given(rounds())
def test_full_marks_at_the_lowest_price_score_100(
    drawn: tuple[int, dict[int, int], list[BidScores]],
) -> None:
    price_weight, weights, bids = drawn
    best = BidScores(0, min(bid.price for bid in bids), dict.fromkeys(weights, SCALE))
    lines = totals([*bids, best], price_weight=price_weight, weights=weights, scale_max=SCALE)
    assert lines[0].total == 100
    assert lines[0].rank == 1
    assert 0 in {line.key for line in lines if line.rank == 1}


@given(
    rounds(),
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal(1000), places=3, allow_nan=False),
)
def test_the_ranking_does_not_change_when_every_price_is_multiplied_by_the_same_number(
    drawn: tuple[int, dict[int, int], list[BidScores]], k: Decimal
) -> None:
    price_weight, weights, bids = drawn
    scaled = [BidScores(bid.key, bid.price * k, bid.scores) for bid in bids]
    before = totals(bids, price_weight=price_weight, weights=weights, scale_max=SCALE)
    after = totals(scaled, price_weight=price_weight, weights=weights, scale_max=SCALE)
    assert _ranking(after) == _ranking(before)
    assert [line.total for line in after] == [line.total for line in before]


@given(rounds(), st.integers(min_value=2, max_value=20))
def test_the_ranking_does_not_change_with_a_proportionally_longer_scale(
    drawn: tuple[int, dict[int, int], list[BidScores]], k: int
) -> None:
    price_weight, weights, bids = drawn
    stretched = [
        BidScores(bid.key, bid.price, {c: s * k for c, s in bid.scores.items()}) for bid in bids
    ]
    before = totals(bids, price_weight=price_weight, weights=weights, scale_max=SCALE)
    after = totals(stretched, price_weight=price_weight, weights=weights, scale_max=SCALE * k)
    assert _ranking(after) == _ranking(before)
    assert [line.total for line in after] == [line.total for line in before]


@given(rounds(), st.integers(min_value=10_001, max_value=20_000))
def test_a_copy_of_a_bid_ties_with_it_and_the_tie_is_stated_on_both(
    drawn: tuple[int, dict[int, int], list[BidScores]], copy_key: int
) -> None:
    price_weight, weights, bids = drawn
    original = bids[0]
    copy = BidScores(copy_key, original.price, dict(original.scores))
    lines = _by_key(
        totals([*bids, copy], price_weight=price_weight, weights=weights, scale_max=SCALE)
    )
    first, second = lines[original.key], lines[copy_key]
    assert first.total == second.total
    assert first.rank == second.rank
    assert copy_key in first.tied_with
    assert original.key in second.tied_with


@given(rounds())
def test_ranks_and_ties_follow_the_exact_totals(
    drawn: tuple[int, dict[int, int], list[BidScores]],
) -> None:
    price_weight, weights, bids = drawn
    lines = totals(bids, price_weight=price_weight, weights=weights, scale_max=SCALE)
    assert sorted(line.key for line in lines) == sorted(bid.key for bid in bids)
    # Best first; equal totals in key order.
    assert [(-line.total, line.key) for line in lines] == sorted(
        (-line.total, line.key) for line in lines
    )
    for line in lines:
        others = [other for other in lines if other.key != line.key]
        assert line.rank == 1 + sum(1 for other in others if other.total > line.total)
        assert line.tied_with == tuple(
            sorted(other.key for other in others if other.total == line.total)
        )
        for key in line.tied_with:  # stated both ways
            assert line.key in _by_key(lines)[key].tied_with


@given(rounds(), st.data())
def test_a_better_score_never_lowers_a_bid(
    drawn: tuple[int, dict[int, int], list[BidScores]], data: st.DataObject
) -> None:
    price_weight, weights, bids = drawn
    bid = bids[0]
    criterion = data.draw(st.sampled_from(sorted(weights)))
    old = bid.scores.get(criterion, 0)
    better = data.draw(st.integers(old, SCALE))
    improved = BidScores(bid.key, bid.price, {**bid.scores, criterion: better})
    before = _by_key(totals(bids, price_weight=price_weight, weights=weights, scale_max=SCALE))
    after = _by_key(
        totals([improved, *bids[1:]], price_weight=price_weight, weights=weights, scale_max=SCALE)
    )
    assert after[bid.key].total >= before[bid.key].total
    assert after[bid.key].rank <= before[bid.key].rank
