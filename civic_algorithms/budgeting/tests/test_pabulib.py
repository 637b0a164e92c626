"""Reading and writing Pabulib files: real files, round trips, and every kind of damage."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic_algorithms.budgeting.model import Election
from civic_algorithms.budgeting.pabulib import (
    PabulibError,
    format_number,
    format_pabulib,
    parse_number,
    parse_pabulib,
    read_pabulib,
)
from civic_algorithms.budgeting.tests.conftest import FILES
from civic_algorithms.budgeting.tests.strategies import elections
from civic_algorithms.errors import InputError

SMALL = """META
key;value
description;test
budget;100
vote_type;approval
PROJECTS
project_id;cost;name
1;40;Trees
2;70;Bench
VOTES
voter_id;vote
a;1,2
b;2
"""


def test_the_shared_files_are_found(shared_data: Path) -> None:
    found = sorted(path.stem for path in (shared_data / "pabulib").glob("*.pb"))
    assert found == sorted(FILES)


@pytest.mark.parametrize("name", FILES)
def test_every_shared_file_round_trips(pabulib: Callable[[str], Election], name: str) -> None:
    election = pabulib(name)
    assert parse_pabulib(format_pabulib(election)) == election


def test_reader_keeps_what_the_file_says(pabulib: Callable[[str], Election]) -> None:
    election = pabulib("Poland_Katowice_2023")
    assert election.vote_type == "cumulative"
    assert election.budget == 3004498
    assert election.rule == "greedy-threshold"
    assert len(election.projects) == 25
    assert len(election.ballots) == 39828
    first = election.ballots[0]
    assert first.voter_id == "1400043133"
    assert first.projects == ("M/01/X", "M/38/X")
    assert first.points == (Fraction(2), Fraction(1))
    assert first.fields == {"age": "43", "sex": "F", "neighborhood": "ZAŁĘŻE"}
    assert election.projects[0].fields["selected"] == "1"


@given(
    elections(
        vote_types=("approval", "choose-1", "cumulative", "scoring", "ordinal"),
        decimals=True,
        extras=True,
    )
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_elections_round_trip(election: Election) -> None:
    assert parse_pabulib(format_pabulib(election)) == election


@pytest.mark.parametrize(
    ("text", "value"),
    [("4000", 4000), ("4000.0", 4000), ("0.25", Fraction(1, 4)), ("1e3", 1000), ("-2", -2)],
)
def test_numbers_are_exact(text: str, value: Fraction) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["1,5", "1 000", "", "abc", "nan", "inf", "1.2.3"])
def test_ambiguous_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a number"):
        parse_number(text)


@given(st.integers(), st.integers(0, 12), st.integers(0, 12))
def test_numbers_write_and_read_back(numerator: int, twos: int, fives: int) -> None:
    value = Fraction(numerator, 2**twos * 5**fives)
    assert parse_number(format_number(value)) == value


def test_numbers_without_a_decimal_form_are_not_written() -> None:
    with pytest.raises(ValueError, match="no exact decimal"):
        format_number(Fraction(1, 3))


def _replace(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


BROKEN = [
    ("", 1, "no META"),
    ("PROJECTS\nproject_id;cost\n", 1, "should start"),
    (_replace(SMALL, "key;value", "name;value"), 2, "key;value"),
    (_replace(SMALL, "budget;100\n", ""), 5, "no 'budget'"),
    (_replace(SMALL, "budget;100", "budget;1,000"), 4, "budget: '1,000' is not a number"),
    (_replace(SMALL, "budget;100", "budget;-5"), 4, "negative"),
    (_replace(SMALL, "vote_type;approval", "vote_type;ranked"), 5, "vote_type 'ranked'"),
    (
        _replace(SMALL, "description;test", "description;test\ndescription;again"),
        4,
        "appears twice",
    ),
    (_replace(SMALL, "1;40;Trees", "1;forty;Trees"), 8, "cost of project '1'"),
    (_replace(SMALL, "1;40;Trees", "1;-40;Trees"), 8, "negative cost"),
    (_replace(SMALL, "1;40;Trees", "1;40"), 8, "2 columns but the header has 3"),
    (_replace(SMALL, "2;70;Bench", "1;70;Bench"), 9, "appears twice"),
    (_replace(SMALL, "2;70;Bench", ";70;Bench"), 9, "empty project_id"),
    (_replace(SMALL, "project_id;cost;name", "id;cost;name"), 7, "must start with 'project_id'"),
    (_replace(SMALL, "project_id;cost;name", "project_id;price;name"), 7, "no 'cost' column"),
    (_replace(SMALL, "a;1,2", "a;1,3"), 12, "unknown project '3'"),
    (_replace(SMALL, "a;1,2", "a;1,1"), 12, "names a project twice"),
    (_replace(SMALL, "a;1,2", "a;1,,2"), 12, "empty entry"),
    (_replace(SMALL, "b;2", "a;2"), 13, "appears twice (first on line 12)"),
    (_replace(SMALL, "voter_id;vote", "voter;vote"), 11, "must start with 'voter_id'"),
    (_replace(SMALL, "VOTES\n", "PROJECTS\n"), 10, "appears twice"),
    (SMALL.split("VOTES")[0], 9, "no VOTES"),
    (_replace(SMALL, "META\n", "META\nMETA\n"), 2, "appears twice"),
    (_replace(SMALL, "a;1,2", 'a;"1,2'), 13, "cannot split"),
    (
        _replace(_replace(SMALL, "approval", "cumulative"), "voter_id;vote", "voter_id;vote;points")
        .replace("a;1,2", "a;1,2;1")
        .replace("b;2", "b;2;1"),
        12,
        "2 projects but 1 points",
    ),
    (
        _replace(_replace(SMALL, "approval", "cumulative"), "voter_id;vote", "voter_id;vote;points")
        .replace("a;1,2", "a;1,2;1,x")
        .replace("b;2", "b;2;1"),
        12,
        "points of 'a'",
    ),
    (
        _replace(_replace(SMALL, "approval", "cumulative"), "voter_id;vote", "voter_id;vote;points")
        .replace("a;1,2", "a;1,2;1,-1")
        .replace("b;2", "b;2;1"),
        12,
        "negative points",
    ),
    (_replace(SMALL, "approval", "cumulative"), 11, "need a 'points' column"),
    (_replace(SMALL, "approval", "choose-1"), 12, "names 2 projects"),
]


@pytest.mark.parametrize(("text", "line", "message"), BROKEN)
def test_broken_files_say_where_and_what(text: str, line: int, message: str) -> None:
    with pytest.raises(PabulibError) as caught:
        parse_pabulib(text, source="upload.pb")
    assert caught.value.line == line
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"upload.pb, line {line}: ")


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_pabulib(tmp_path / "nothing.pb")


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.pb"
    path.write_bytes(
        SMALL.replace("Trees", "Drzewa ł").encode("utf-8").replace("ł".encode(), b"\xb3")
    )
    with pytest.raises(PabulibError, match="not UTF-8") as caught:
        read_pabulib(path)
    assert caught.value.line == 8


def test_a_byte_order_mark_is_accepted() -> None:
    assert parse_pabulib("\ufeff" + SMALL) == parse_pabulib(SMALL)


def test_blank_lines_and_trailing_semicolons_are_tolerated() -> None:
    loose = SMALL.replace("VOTES\n", "\nVOTES\n").replace("b;2\n", "b;2;\n\n")
    assert parse_pabulib(loose) == parse_pabulib(SMALL)


LINES = SMALL.splitlines()


@st.composite
def corruptions(draw: st.DrawFn) -> str:
    """The small file damaged in one of many ways: a cell, a line, or the structure."""
    lines = list(LINES)
    kind = draw(st.sampled_from(["cell", "delete", "duplicate", "swap", "insert", "truncate"]))
    index = draw(st.integers(0, len(lines) - 1))
    if kind == "cell":
        cells = lines[index].split(";")
        position = draw(st.integers(0, len(cells) - 1))
        cells[position] = draw(st.text(alphabet='ab12,;.-" x', max_size=6))
        lines[index] = ";".join(cells)
    elif kind == "delete":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(index, lines[index])
    elif kind == "swap":
        other = draw(st.integers(0, len(lines) - 1))
        lines[index], lines[other] = lines[other], lines[index]
    elif kind == "insert":
        lines.insert(index, draw(st.text(alphabet='ab12,;." xMETAVOS', max_size=12)))
    else:
        lines = lines[:index]
    return "\n".join(lines) + "\n"


@given(corruptions())
@settings(max_examples=300, deadline=None)
def test_any_damage_is_read_or_reported_with_a_line(text: str) -> None:
    failure: PabulibError | None = None
    try:
        election = parse_pabulib(text, source="damaged.pb")
    except PabulibError as error:
        failure = error
    if failure is None:
        assert parse_pabulib(format_pabulib(election)) == election
        return
    assert failure.line is not None
    assert failure.line >= 1
    message = str(failure)
    assert message.startswith(f"damaged.pb, line {failure.line}: ")
    assert len(message) > len(f"damaged.pb, line {failure.line}: ") + 5
