"""``python -m civic_algorithms budget``: one JSON object out, clear errors with exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from civic_algorithms.__main__ import main
from civic_algorithms.budgeting.tests.conftest import FILES
from civic_algorithms.budgeting.tests.test_pabulib import SMALL

REPO = Path(__file__).resolve().parents[3]


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, object]:
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    payload: dict[str, object] = json.loads(out)
    return payload


@pytest.mark.parametrize("name", FILES)
def test_official_rule_on_every_shared_file(
    shared_data: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path = shared_data / "pabulib" / f"{name}.pb"
    payload = _json(capsys, ["budget", str(path), "--rule", "official", "--json"])
    for field in ("selected", "cost", "rule", "seconds", "budget", "ties", "warnings"):
        assert field in payload
    assert payload["matches_file"] in (True, None)
    selected = payload["selected"]
    assert isinstance(selected, list)
    assert selected == sorted(selected)
    assert isinstance(payload["cost"], int)
    assert isinstance(payload["budget"], int)
    assert payload["cost"] <= payload["budget"]


def test_mes_with_add1_from_the_command_line(
    shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = shared_data / "pabulib" / "Netherlands_Assen_2024.pb"
    argv = ["budget", str(path), "--rule", "mes", "--sat", "cost", "--completion", "add1", "--json"]
    payload = _json(capsys, argv)
    assert payload["selected"] == ["11", "12", "13", "14", "2", "3", "5", "6", "9"]
    assert payload["cost"] == 76700
    assert payload["rule"] == "mes"
    details = payload["details"]
    assert isinstance(details, dict)
    assert details["completion"] == "add1"
    assert details["voter_share"] == "42703/21"


def test_exact_engine_and_tie_break_options(
    shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(shared_data / "pabulib" / "Netherlands_Assen_2024.pb")
    lexicographic = _json(capsys, ["budget", path, "--rule", "mes", "--exact", "--json"])
    cheap = _json(capsys, ["budget", path, "--rule", "mes", "--tie-break", "min-cost", "--json"])
    assert lexicographic["selected"] == cheap["selected"]
    assert lexicographic["ties"] == []
    details = lexicographic["details"]
    assert isinstance(details, dict)
    assert details["engine"] == "exact"


def test_text_output(shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = shared_data / "pabulib" / "Poland_Wroclaw_2023.pb"
    assert main(["budget", str(path), "--rule", "official"]) == 0
    out = capsys.readouterr().out
    assert "greedy-no-skip" in out
    assert "the same as the 'selected' column" in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--rule", "greedy", "--completion", "add1"], "--completion applies to --rule mes only"),
        (["--rule", "mes", "--sat", "borda"], "Borda satisfaction needs ordinal ballots"),
        (["--rule", "mes", "--tie-break", "coin"], "unknown tie-break 'coin'"),
        (["--rule", "greedy-threshold"], "needs --threshold"),
        (
            ["--rule", "greedy-threshold", "--threshold", "1,5"],
            "--threshold: '1,5' is not a number",
        ),
        (["--rule", "official"], "has no 'rule' META field"),
    ],
)
def test_unusable_options_exit_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    path = tmp_path / "small.pb"
    path.write_text(SMALL, encoding="utf-8")
    assert main(["budget", str(path), *extra, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_a_broken_file_exits_2_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.pb"
    path.write_text(SMALL.replace("a;1,2", "a;1,9"), encoding="utf-8")
    assert main(["budget", str(path), "--rule", "greedy", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"error: {path}, line 12: the vote of 'a' names unknown project '9'" in captured.err


def test_the_module_runs_as_a_program(shared_data: Path) -> None:
    path = shared_data / "pabulib" / "Netherlands_Assen_2024.pb"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "civic_algorithms",
            "budget",
            str(path),
            "--rule",
            "greedy",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["selected"] == ["11", "13", "14", "2", "3", "8", "9"]


def test_the_budget_command_loads_only_what_it_needs(shared_data: Path) -> None:
    """A whole `python -m civic_algorithms budget` process is what a user times: it must not load
    the sortition engine or scipy (issue 17; each method's package imports on first use), nor
    numpy.ma, which numpy's plain ``np.unique`` imports (30 ms of every process)."""
    path = shared_data / "pabulib" / "Netherlands_Assen_2024.pb"
    script = (
        "import sys, runpy\n"
        f"sys.argv = ['civic_algorithms', 'budget', {str(path)!r}, '--rule', 'mes',"
        " '--completion', 'add1', '--json']\n"
        "try:\n"
        "    runpy.run_module('civic_algorithms', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('scipy', 'civic_algorithms.sortition.engine', 'civic_algorithms.opinion.engine',"
        " 'numpy.ma.')\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(heavy))\n"
        "import os\n"
        "print(loaded, os.environ.get('OPENBLAS_NUM_THREADS'), file=sys.stderr)\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env=env,
    )
    assert json.loads(done.stdout)["selected"]
    assert done.stderr.strip() == "[] 1"  # and numpy got one BLAS thread (decision 0105)
