"""The command line: one JSON object on stdout, clear errors and exit code 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import civic_algorithms.__main__ as dispatcher
from civic_algorithms.opinion.tests import shared


@pytest.fixture
def only_opinion(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the real dispatcher with just this command (the others are built separately)."""
    monkeypatch.setattr(dispatcher, "COMMANDS", {"opinion": "civic_algorithms.opinion.cli"})


@pytest.mark.usefixtures("only_opinion")
@pytest.mark.parametrize("name", shared.CONVERSATIONS)
def test_cli_prints_one_complete_json_object(
    shared_data: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = shared_data / "polis" / name
    assert dispatcher.main(["opinion", str(folder), "--seed", "7", "--json"]) == 0
    out = capsys.readouterr().out
    payload = json.loads(out)
    assert out.count("\n") == 1
    expected = shared.result(folder)
    assert payload["seed"] == 7
    assert payload["groups"] == {str(p): g for p, g in expected.group_of().items()}
    assert set(payload["coordinates"]) == {str(p) for p in expected.participant_ids.tolist()}
    assert set(payload["repness"]) == {str(g) for g in range(expected.k)}
    assert all(payload["repness"][str(g)] for g in range(expected.k))
    ranked = [item["statement_id"] for item in payload["consensus"]]
    assert ranked == [sid for sid, _ in expected.consensus_ranking()]
    assert isinstance(payload["seconds"], float)
    assert payload["seconds"] >= 0.0


@pytest.mark.usefixtures("only_opinion")
def test_bad_input_exits_2_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "votes.csv").write_text("comment-id,voter-id,vote\n1,2,yes\n")
    assert dispatcher.main(["opinion", str(tmp_path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "votes.csv, line 2: vote 'yes' is not a number" in captured.err


@pytest.mark.usefixtures("only_opinion")
def test_missing_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert dispatcher.main(["opinion", str(tmp_path / "absent")]) == 2
    assert "is not a directory" in capsys.readouterr().err
