"""The MES soundness checks are explicit errors, so they still run under ``python -O``."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from civic_algorithms.budgeting.add1 import check_same_purchases
from civic_algorithms.budgeting.mes import (
    Candidates,
    ExactClasses,
    MesInvariantError,
    MesRun,
    certified_price,
)
from civic_algorithms.budgeting.model import Ballot, Election, Project
from civic_algorithms.budgeting.profile import compile_ballots, compile_satisfaction

REPO = Path(__file__).resolve().parents[3]


def _candidates() -> Candidates:
    """Project 0 costs 10 and both voters support it; project 1 costs 4, one supporter."""
    election = Election(
        meta={"budget": "10", "vote_type": "approval"},
        projects=(Project("a", Fraction(10)), Project("b", Fraction(4))),
        ballots=(Ballot("v1", ("a",)), Ballot("v2", ("a", "b"))),
    )
    return Candidates.build(compile_satisfaction(compile_ballots(election), "cost"))


def test_certified_price_is_the_exact_price_when_the_purchase_is_affordable() -> None:
    shadow = ExactClasses(_candidates(), Fraction(5))
    assert certified_price(shadow, 0) == Fraction(1, 2)  # each pays 1/2 x 10 = 5, all they have


def test_certified_price_refuses_a_purchase_its_supporters_cannot_afford() -> None:
    shadow = ExactClasses(_candidates(), Fraction(4))  # 2 x 4 = 8 < 10
    with pytest.raises(MesInvariantError, match="project 0 was bought as certainly affordable"):
        certified_price(shadow, 0)


def test_same_purchases_in_another_order_pass() -> None:
    check_same_purchases(MesRun(bought=[3, 1, 2], replayed=True), MesRun(bought=[1, 2, 3]))


def test_different_purchases_break_the_extension_check() -> None:
    with pytest.raises(MesInvariantError, match=r"did not buy the certified projects \[3\]"):
        check_same_purchases(MesRun(bought=[1, 3], replayed=True), MesRun(bought=[1, 2]))


def test_the_checks_still_run_under_python_dash_o() -> None:
    script = (
        "import sys\n"
        "from civic_algorithms.budgeting.add1 import check_same_purchases\n"
        "from civic_algorithms.budgeting.mes import MesInvariantError, MesRun\n"
        "assert False, 'asserts are on'\n"  # stripped by -O; fails loudly otherwise
        "try:\n"
        "    check_same_purchases(MesRun(bought=[1]), MesRun(bought=[2]))\n"
        "except MesInvariantError:\n"
        "    print('raised', sys.flags.optimize)\n"
    )
    done = subprocess.run(
        [sys.executable, "-O", "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "raised 1"
