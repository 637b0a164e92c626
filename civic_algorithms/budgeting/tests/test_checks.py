"""Warnings for files that disagree with themselves, and the greedy rules on small examples."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

import pytest

from civic_algorithms.budgeting.checks import election_warnings
from civic_algorithms.budgeting.model import Ballot, Election, Project
from civic_algorithms.budgeting.pabulib import parse_pabulib
from civic_algorithms.budgeting.profile import Ballots, compile_ballots
from civic_algorithms.budgeting.rules import count
from civic_algorithms.budgeting.tests.conftest import FILES

TALLIED = """META
key;value
budget;100
vote_type;approval
num_votes;3
max_length;1
PROJECTS
project_id;cost;votes
1;40;2
2;70;5
VOTES
voter_id;vote
a;1,2
b;2
"""


def test_inconsistencies_become_warnings() -> None:
    election = parse_pabulib(TALLIED)
    warnings = election_warnings(election, compile_ballots(election))
    assert warnings == [
        "META says num_votes = 3 but the file has 2",
        "project 1: the votes column says 2 but the ballots give 1",
        "project 2: the votes column says 5 but the ballots give 2",
        "1 ballots list more projects than max_length = 1",
    ]


@pytest.mark.parametrize("name", FILES)
def test_shared_files_agree_with_themselves(
    pabulib: Callable[[str], Election], compiled: Callable[[str], Ballots], name: str
) -> None:
    assert election_warnings(pabulib(name), compiled(name)) == []


def _election(costs: dict[str, int], votes: Sequence[tuple[str, ...]], budget: int) -> Election:
    projects = tuple(Project(pid, Fraction(cost)) for pid, cost in costs.items())
    ballots = tuple(Ballot(f"v{i}", vote) for i, vote in enumerate(votes))
    return Election({"budget": str(budget), "vote_type": "approval"}, projects, ballots)


def test_greedy_skips_what_does_not_fit_and_no_skip_stops() -> None:
    # scores: a 3, b 2, c 1; b does not fit after a
    election = _election({"a": 60, "b": 50, "c": 30}, [("a", "b", "c"), ("a", "b"), ("a",)], 100)
    assert count(election, "greedy-threshold", threshold=Fraction(0)).selected == ("a", "c")
    assert count(election, "greedy-no-skip").selected == ("a",)
    assert count(election, "greedy-threshold", threshold=Fraction(2)).selected == ("a",)


def test_equal_scores_go_to_the_tie_break_and_are_reported() -> None:
    election = _election({"b": 60, "a": 60}, [("a", "b"), ("a", "b")], 100)
    by_id = count(election, "greedy-threshold", threshold=Fraction(0))
    assert by_id.selected == ("a",)
    assert [(t.candidates, t.chosen) for t in by_id.ties] == [(("a", "b"), "a")]
    by_file = count(election, "greedy-threshold", threshold=Fraction(0), tie_break="file-order")
    assert by_file.selected == ("b",)


def test_utilitarian_greedy_ranks_by_satisfaction_per_cost() -> None:
    # cardinality: a 3 votes / 90 vs b 2 votes / 20 -> b first, then a does not fit
    election = _election({"a": 90, "b": 20}, [("a", "b"), ("a", "b"), ("a",)], 100)
    assert count(election, "greedy", sat="cardinality").selected == ("b",)
    assert count(election, "greedy", sat="cost").selected == ("a",)


def test_equal_shares_comparison_can_choose_greedy() -> None:
    """Two camps; greedy by votes pleases the bigger camp twice, MES splits the budget."""
    votes = [("a1", "a2")] * 6 + [("b1",)] * 4
    election = _election({"a1": 40, "a2": 40, "b1": 40}, votes, 100)
    plain = count(election, "equalshares")
    compared = count(election, "equalshares-comparison")
    assert sorted(plain.selected) == ["a1", "b1"]
    assert compared.details["voters_preferring_greedy"] == 6
    assert compared.details["voters_preferring_mes"] == 4
    assert sorted(compared.selected) == ["a1", "a2"]
