"""Both folder formats, and a clear error (file, line, what to fix) for every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from civic_algorithms.errors import InputError
from civic_algorithms.sortition import SortitionInputError, read_problem
from civic_algorithms.sortition.tests import shared

FEATURES = "feature,value,min,max\ncolour,red,1,2\ncolour,blue,1,2\n"
CANDIDATES = "id,name,colour,home\na,A,red,x\nb,B,blue,x\nc,C,red,y\nd,D,blue,z\n"


def write(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def test_features_format_takes_ids_from_the_first_column(shared_data: Path) -> None:
    problem = shared.problem(shared_data / "sortition" / "sf_scotland_22")
    assert len(problem.people) == 150
    assert problem.people[0].id == "p0"
    assert problem.features == ("Gender", "age_bracket", "edu_level", "geo_bucket")
    assert problem.quotas[0].min_flex == 0
    assert problem.quotas[0].max_flex == 12
    assert dict(problem.people[0].features)["Gender"] == "Male"


def test_categories_format_uses_the_id_column_when_there_is_one(shared_data: Path) -> None:
    problem = shared.problem(shared_data / "sortition" / "geneva_30")
    assert problem.people[0].id == "A2224"
    assert len(problem.quotas) == 25
    assert all(q.min == q.max for q in problem.quotas)


def test_categories_format_numbers_rows_when_there_is_no_id(shared_data: Path) -> None:
    problem = shared.problem(shared_data / "sortition" / "example_large_200")
    assert problem.ids[:3] == ("0", "1", "2")
    assert problem.ids[-1] == "1999"
    assert problem.panel_size == 200


def test_household_column_is_read(tmp_path: Path) -> None:
    folder = write(tmp_path, features=FEATURES, candidates=CANDIDATES)
    problem = read_problem(folder, 2, household_column="home")
    assert problem.household_constraint
    assert [p.household for p in problem.people] == ["x", "x", "y", "z"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "found neither features.csv"),
        (
            {"features": FEATURES, "candidates": CANDIDATES.replace("b,B,blue", "b,B,green")},
            "candidates.csv, line 3: person 'b' has the unknown value 'green' for 'colour'",
        ),
        (
            {"features": FEATURES, "candidates": CANDIDATES.replace("c,C", "a,C")},
            "candidates.csv, line 4: the id 'a' was already used on line 2",
        ),
        (
            {"features": FEATURES.replace("red,1,2", "red,x,2"), "candidates": CANDIDATES},
            "features.csv, line 2: min 'x' is not a whole number",
        ),
        (
            {"features": FEATURES.replace("red,1,2", "red,3,2"), "candidates": CANDIDATES},
            "features.csv, line 2: colour=red has min 3 above max 2",
        ),
        (
            {"features": FEATURES + "colour,red,0,1\n", "candidates": CANDIDATES},
            "features.csv, line 4: colour=red was already given on line 2",
        ),
        (
            {"features": FEATURES, "candidates": CANDIDATES.replace("colour", "color")},
            "candidates.csv, line 1: no column for the feature(s) colour",
        ),
        (
            {"features": "feature,value,min\n", "candidates": CANDIDATES},
            "features.csv, line 1: missing column(s) max",
        ),
        (
            {"features": FEATURES, "candidates": CANDIDATES + "e,E,red\n"},
            "candidates.csv, line 6: the row has 3 fields, the header 4",
        ),
    ],
)
def test_bad_files_get_a_clear_error(tmp_path: Path, files: dict[str, str], message: str) -> None:
    folder = write(tmp_path / "pool", **files)
    with pytest.raises(SortitionInputError) as caught:
        read_problem(folder, 2)
    assert message in str(caught.value)
    assert isinstance(caught.value, InputError)


def test_pool_smaller_than_the_panel(tmp_path: Path) -> None:
    folder = write(tmp_path, features=FEATURES, candidates=CANDIDATES)
    with pytest.raises(SortitionInputError, match="the pool has 4 people, fewer than the panel"):
        read_problem(folder, 5)


def test_missing_household_column(tmp_path: Path) -> None:
    folder = write(tmp_path, features=FEATURES, candidates=CANDIDATES)
    with pytest.raises(SortitionInputError, match="no column 'address' for the household"):
        read_problem(folder, 2, household_column="address")


def test_respondents_without_ids_report_the_line(tmp_path: Path) -> None:
    categories = "category,feature,min,max\nsize,big,1,1\nsize,small,1,1\n"
    folder = write(tmp_path, categories=categories, respondents="size\nbig\nsmall\nhuge\n")
    with pytest.raises(SortitionInputError, match=r"line 4: person '2' has the unknown value"):
        read_problem(folder, 2)
