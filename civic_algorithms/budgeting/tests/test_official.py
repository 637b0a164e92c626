"""The file's own rule, applied to its ballots, gives the projects the organisers announced."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import pytest

from civic_algorithms.budgeting.model import Election
from civic_algorithms.budgeting.profile import Ballots
from civic_algorithms.budgeting.rules import count

ANNOUNCED = {
    "Netherlands_Assen_2024": "equalshares/add1",
    "Poland_Katowice_2023": "greedy-threshold",
    "Poland_Krakow_2022": "greedy",
    "Poland_Lodz_2022": "greedy-threshold",
    "Poland_Warszawa_2023_Mokotow": "greedy",
    "Poland_Warszawa_2026": "greedy-threshold",
    "Poland_Wieliczka_2023_Green_Budget": "equalshares/add1-comparison",
    "Poland_Wroclaw_2023": "greedy-no-skip",
}


@pytest.mark.parametrize("name", sorted(ANNOUNCED))
def test_official_rule_gives_the_announced_projects(
    pabulib: Callable[[str], Election], compiled: Callable[[str], Ballots], name: str
) -> None:
    election = pabulib(name)
    assert election.rule == ANNOUNCED[name]
    outcome = count(election, "official", ballots=compiled(name))
    announced = election.selected_in_file()
    assert announced is not None
    assert sorted(outcome.selected) == sorted(announced)
    assert outcome.cost <= election.budget


@pytest.mark.parametrize("name", ["France_Toulouse_2022", "Netherlands_Amsterdam_309"])
def test_files_without_a_selected_column_still_count(
    pabulib: Callable[[str], Election], compiled: Callable[[str], Ballots], name: str
) -> None:
    election = pabulib(name)
    assert election.selected_in_file() is None
    outcome = count(election, "official", ballots=compiled(name))
    assert outcome.rule == "greedy"
    assert (
        outcome.selected == count(election, "greedy", sat="cost", ballots=compiled(name)).selected
    )


def test_wieliczka_keeps_equal_shares_after_the_comparison(
    pabulib: Callable[[str], Election], compiled: Callable[[str], Ballots]
) -> None:
    name = "Poland_Wieliczka_2023_Green_Budget"
    outcome = count(pabulib(name), "official", ballots=compiled(name))
    # equalshares.net reports these figures for Zielony Milion 2023
    assert outcome.details["voters_preferring_mes"] == 1615
    assert outcome.details["voters_preferring_greedy"] == 873
    assert len(outcome.selected) == 30
    assert outcome.cost == 995079


def test_threshold_decides_in_warsaw_2026(
    pabulib: Callable[[str], Election], compiled: Callable[[str], Ballots]
) -> None:
    """Without the 3,000-vote threshold the greedy rule funds something else."""
    name = "Poland_Warszawa_2026"
    election, ballots = pabulib(name), compiled(name)
    with_threshold = count(election, "greedy-threshold", ballots=ballots)
    without = count(election, "greedy-threshold", threshold=Fraction(0), ballots=ballots)
    assert with_threshold.selected != without.selected
    assert sorted(with_threshold.selected) == sorted(election.selected_in_file() or ())
