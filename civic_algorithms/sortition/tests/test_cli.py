"""The command line: one JSON object on stdout, clear errors and exit code 2 on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import civic_algorithms.__main__ as dispatcher
from civic_algorithms.sortition.tests import shared


@pytest.fixture(autouse=True)
def only_sortition(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the real dispatcher with just this command (the others are built separately)."""
    monkeypatch.setattr(dispatcher, "COMMANDS", {"sortition": "civic_algorithms.sortition.cli"})


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert dispatcher.main(["sortition", *argv]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    payload: dict[str, object] = json.loads(out)
    return payload


@pytest.mark.parametrize(
    ("name", "algorithm"),
    [
        ("example_small_20", "leximin"),
        ("example_large_200", "leximin"),
        ("sf_scotland_22", "maximin"),
        ("example_small_20", "legacy"),
    ],
)
def test_cli_prints_the_selection(
    shared_data: Path, name: str, algorithm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = shared_data / "sortition" / name
    k = shared.panel_size(name)
    payload = run(
        capsys,
        str(folder),
        "--panel-size",
        str(k),
        "--algorithm",
        algorithm,
        "--seed",
        "99",
        "--legacy-runs",
        "300",
        "--json",
    )
    problem = shared.problem(folder)
    probabilities = payload["probabilities"]
    assert isinstance(probabilities, dict)
    assert set(probabilities) == set(problem.ids)
    assert sum(probabilities.values()) == pytest.approx(k, abs=1e-6)
    panel = payload["panel"]
    assert isinstance(panel, list)
    assert shared.satisfies(problem, panel)
    assert payload["seed"] == 99
    assert isinstance(payload["committees"], int)
    assert payload["committees"] >= 1
    assert isinstance(payload["seconds"], float)
    statistics = payload["statistics"]
    assert isinstance(statistics, dict)
    assert statistics["minimum_probability"] == pytest.approx(min(probabilities.values()), abs=1e-8)
    for key in ("gini", "geometric_mean", "legacy_below_leximin_minimum"):
        assert statistics[key] is not None
    assert ("lottery" in payload) == (algorithm != "legacy")


def test_cli_same_seed_same_panel_and_lottery_file(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(shared_data / "sortition" / "sf_scotland_22")
    out = tmp_path / "lottery.json"
    args = (folder, "--panel-size", "22", "--seed", "31337", "--legacy-runs", "0")
    first = run(capsys, *args, "--lottery-out", str(out))
    second = run(capsys, *args)
    assert first["panel"] == second["panel"]
    tickets = json.loads(out.read_text())
    lottery = first["lottery"]
    assert isinstance(lottery, dict)
    assert tickets["tickets"] == lottery["tickets"] == 1000
    assert tickets["panels"][str(lottery["winning_ticket"])] == first["panel"]
    assert first["statistics"]["legacy_below_leximin_minimum"] is None  # type: ignore[index]


def test_cli_household_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "features.csv").write_text("feature,value,min,max\nage,young,1,1\nage,old,1,1\n")
    (tmp_path / "candidates.csv").write_text(
        "id,age,flat\na,young,1\nb,old,1\nc,young,2\nd,old,2\ne,old,3\n"
    )
    payload = run(
        capsys,
        str(tmp_path),
        "--panel-size",
        "2",
        "--household-column",
        "flat",
        "--seed",
        "4",
        "--legacy-runs",
        "50",
    )
    flats = {"a": "1", "b": "1", "c": "2", "d": "2", "e": "3"}
    panel = payload["panel"]
    assert isinstance(panel, list)
    assert len({flats[p] for p in panel}) == 2


def test_cli_infeasible_quotas_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "features.csv").write_text("feature,value,min,max\nage,young,3,3\nage,old,0,2\n")
    (tmp_path / "candidates.csv").write_text("id,age\na,young\nb,old\nc,young\nd,old\n")
    assert dispatcher.main(["sortition", str(tmp_path), "--panel-size", "3"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "age=young at least 3 (2 in the pool)" in captured.err
    assert "lower the minimum of age=young from 3 to 2" in captured.err


def test_cli_bad_seed_exit_2(shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(shared_data / "sortition" / "example_small_20")
    assert dispatcher.main(["sortition", folder, "--panel-size", "20", "--seed", "-1"]) == 2
    assert "the seed must be a whole number >= 0" in capsys.readouterr().err


def test_cli_in_a_fresh_process_prints_only_json(shared_data: Path) -> None:
    folder = str(shared_data / "sortition" / "example_small_20")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "civic_algorithms",
            "sortition",
            folder,
            "--panel-size",
            "20",
            "--seed",
            "1",
            "--legacy-runs",
            "10",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout)["seed"] == 1
    assert "HiGHS" not in done.stderr
