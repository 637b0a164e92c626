"""The published weights: medians scaled to 100 in whole points, by example and by property."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from coproduce.commissioning.weights import POINTS, award_weights, combine


def test_the_median_resists_a_few_putting_everything_on_one_criterion() -> None:
    criteria = [1, 2, 3]
    most = [{1: 50, 2: 30, 3: 20}] * 5
    loud = [{3: 100}] * 2
    assert combine(criteria, most + loud) == {1: 50, 2: 30, 3: 20}


def test_medians_are_scaled_to_100_by_largest_remainders() -> None:
    # Medians 40, 40, 40: a third each, 33.33 → 34 for the first listed, 33, 33.
    criteria = [7, 8, 9]
    weightings = [{7: 40, 8: 40, 9: 20}, {7: 40, 8: 20, 9: 40}, {7: 20, 8: 40, 9: 40}]
    assert combine(criteria, weightings) == {7: 34, 8: 33, 9: 33}


def test_an_even_number_of_weightings_takes_the_middle_two() -> None:
    assert combine([1, 2], [{1: 60, 2: 40}, {1: 80, 2: 20}]) == {1: 70, 2: 30}


def test_no_weightings_or_all_zero_medians_share_equally() -> None:
    assert combine([1, 2, 3, 4], []) == {1: 25, 2: 25, 3: 25, 4: 25}
    assert combine([1, 2, 3], [{1: 100}, {2: 100}, {3: 100}]) == {1: 34, 2: 33, 3: 33}
    assert combine([], [{1: 100}]) == {}


def test_the_award_share_leaves_room_for_price() -> None:
    assert award_weights(30, {1: 50, 2: 50}) == {1: Fraction(35), 2: Fraction(35)}
    assert sum(award_weights(40, {1: 34, 2: 33, 3: 33}).values()) == 60


@st.composite
def weightings(draw: st.DrawFn) -> tuple[list[int], list[dict[int, int]]]:
    count = draw(st.integers(min_value=1, max_value=8))
    criteria = list(range(1, count + 1))
    people = []
    for _ in range(draw(st.integers(min_value=0, max_value=30))):
        cuts = sorted(
            draw(st.lists(st.integers(0, POINTS), min_size=count - 1, max_size=count - 1))
        )
        edges = [0, *cuts, POINTS]
        people.append({key: edges[i + 1] - edges[i] for i, key in enumerate(criteria)})
    return criteria, people


@given(weightings())
def test_weights_are_whole_points_adding_up_to_100(
    drawn: tuple[list[int], list[dict[int, int]]],
) -> None:
    criteria, people = drawn
    weights = combine(criteria, people)
    assert set(weights) == set(criteria)
    assert sum(weights.values()) == POINTS
    assert all(0 <= weight <= POINTS for weight in weights.values())


@given(weightings(), st.randoms())
def test_the_order_of_residents_does_not_matter(
    drawn: tuple[list[int], list[dict[int, int]]], random: object
) -> None:
    criteria, people = drawn
    shuffled = list(people)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert combine(criteria, shuffled) == combine(criteria, people)


@given(weightings())
def test_everyone_agreeing_gives_their_weighting(
    drawn: tuple[list[int], list[dict[int, int]]],
) -> None:
    criteria, people = drawn
    if not people:
        return
    assert combine(criteria, [people[0]] * 5) == people[0] | {
        key: 0 for key in criteria if key not in people[0]
    }


@given(weightings())
def test_a_criterion_nobody_gave_points_gets_none_unless_all_are_empty(
    drawn: tuple[list[int], list[dict[int, int]]],
) -> None:
    criteria, people = drawn
    weights = combine(criteria, people)
    for key in criteria:
        if people and all(person.get(key, 0) == 0 for person in people):
            medians_all_zero = all(
                sorted(person.get(k, 0) for person in people)[len(people) // 2] == 0
                and sorted(person.get(k, 0) for person in people)[(len(people) - 1) // 2] == 0
                for k in criteria
            )
            if not medians_all_zero:
                assert weights[key] == 0
