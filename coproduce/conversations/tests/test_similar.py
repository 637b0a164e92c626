"""The duplicate check: rewordings are caught, different statements are not, and it is fast."""

from __future__ import annotations

import time

import pytest

from coproduce.conversations import similar

REWORDINGS = [
    ("We need more bike racks in the town centre", "The town centre needs more bike racks"),
    (
        "E-bike batteries should be registered with the police",
        "The police should register e-bike batteries",
    ),
    ("Street lights should stay on all night", "Street lighting should stay on through the night"),
    ("Council should fund bike lockers", "Bike lockers should be funded by the council"),
    ("More CCTV cameras near the station", "More CCTV at the station"),
]
DIFFERENT = [
    ("We need more bike racks in the town centre", "More secure cycle parking at the station"),
    (
        "E-bike batteries should be registered with the police",
        "Police patrols should be increased at night",
    ),
    (
        "Street lights should stay on all night",
        "Street lights should be switched off to save money",
    ),
    ("Youth clubs should open in the evening", "Libraries should open later in the evening"),
]


def _score(first: str, second: str) -> float:
    return similar.similarity(similar.fingerprint(first), similar.fingerprint(second))


@pytest.mark.parametrize(("first", "second"), REWORDINGS)
def test_rewordings_reach_the_threshold(first: str, second: str) -> None:
    assert _score(first, second) >= similar.THRESHOLD
    assert _score(second, first) == _score(first, second)


@pytest.mark.parametrize(("first", "second"), DIFFERENT)
def test_different_statements_on_the_same_topic_stay_below_it(first: str, second: str) -> None:
    assert _score(first, second) < similar.THRESHOLD


def test_case_punctuation_and_common_words_do_not_count() -> None:
    assert _score("Fix the potholes!", "fix potholes") == 1.0
    assert _score("the and of", "the and of") == 0.0  # nothing left to compare


def test_similar_to_gives_the_closest_first_and_at_most_the_limit() -> None:
    candidates = [
        (1, "Bike racks in the town centre"),
        (2, "Libraries should open later"),
        (3, "We need more bike racks in the town centre"),
        (4, "More bike racks in the centre of town"),
        (5, "More bike racks in the town"),
    ]
    found = similar.similar_to("We need more bike racks in the town centre", candidates)
    assert found[0] == 3
    assert 2 not in found
    assert len(found) == similar.LIMIT
    assert similar.similar_to("", candidates) == []
    assert similar.similar_to("Anything", [], limit=3) == []


def test_two_thousand_statements_are_checked_quickly() -> None:
    candidates = [
        (pk, f"Statement {pk}: the council should spend more on road number {pk * 7} repairs")
        for pk in range(2000)
    ]
    started = time.perf_counter()
    similar.similar_to("Bike theft in the town centre is getting worse", candidates)
    assert time.perf_counter() - started < 0.5
