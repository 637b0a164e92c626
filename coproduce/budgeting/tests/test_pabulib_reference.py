"""Every shared Pabulib file, imported with ``pb_import`` and counted with ``pb_count``, funds the
projects of its reference answer; exported and imported again, a budget counts the same.

The reference for a file with a ``selected`` column is what the city funded (its own rule); for a
file without one (Toulouse, Amsterdam: greedy) it is pabutools' greedy outcome. Where pabutools
finished the Method of Equal Shares with Add1 and greedy completion, the budget recounted with
``Rule.MES`` must fund the same projects. The big files carry the ``reference_files`` marker: CI
runs them in its SQLite pass only (.ci/run).
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coproduce.budgeting import actions
from coproduce.budgeting.models import (
    Ballot,
    BallotChoice,
    BallotSource,
    BallotType,
    Budget,
    Phase,
    Proposal,
    Rule,
)
from coproduce.budgeting.pabulib_io import export_pb
from coproduce.budgeting.tests.factories import make_budget, make_voting, vote
from coproduce.services.models import Activity, Service
from coproduce.services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[3]
FOLDER = Path(os.environ.get("COPRODUCE_SHARED_DATA", REPO.parent / "shared" / "data")) / "pabulib"
NAMES = sorted(path.stem for path in FOLDER.glob("*.pb")) if FOLDER.is_dir() else []
SMALL = 200_000  # bytes: files up to this size run on both databases
needs_files = pytest.mark.skipif(not NAMES, reason=f"no Pabulib files in {FOLDER}")


def _param(name: str) -> Any:
    big = (FOLDER / f"{name}.pb").stat().st_size > SMALL
    return pytest.param(name, marks=[pytest.mark.reference_files] if big else [])


def _import(path: Path | str, service: Service) -> tuple[int, str]:
    out = io.StringIO()
    call_command("pb_import", str(path), "--service", service.slug, stdout=out)
    found = re.search(r"activity (\d+), budget (\d+)", out.getvalue())
    assert found is not None, out.getvalue()
    return int(found.group(1)), out.getvalue()


def _count(activity_id: int) -> list[str]:
    out = io.StringIO()
    call_command("pb_count", str(activity_id), stdout=out)
    funded: list[str] = json.loads(out.getvalue())
    return funded


def _reference(name: str) -> tuple[list[str], list[str] | None]:
    """The file's reference answer for its own rule, and pabutools' MES+Add1+greedy (or None)."""
    expected = json.loads((FOLDER / f"{name}.expected.json").read_text())
    outcomes = expected["outcomes"]
    if expected["official_selected"] is not None:
        official = sorted(expected["official_selected"])
    else:  # no `selected` column: these files' rule is greedy (test_official.py)
        official = sorted(outcomes["greedy"]["selected"])
    mes = outcomes.get("mes_add1_greedy", {}).get("selected")
    return official, None if mes is None else sorted(mes)


@needs_files
@pytest.mark.parametrize("name", [_param(name) for name in NAMES])
def test_pb_import_then_pb_count_funds_the_reference_answer(name: str) -> None:
    official, mes = _reference(name)
    activity_id, said = _import(FOLDER / f"{name}.pb", ServiceFactory())
    budget = Budget.objects.get(activity_id=activity_id)
    assert budget.imported
    assert budget.phase == Phase.COUNTING
    assert budget.activity.state == "closed"
    if budget.imported_meta.get("rule") not in Rule.values:
        assert "Method of Equal Shares" in said
    assert _count(activity_id) == official
    if mes is not None:
        Budget.objects.filter(pk=budget.pk).update(rule=Rule.MES)
        assert _count(activity_id) == mes


def test_an_imported_file_keeps_its_meta_projects_and_ballots(tmp_path: Path) -> None:
    text = (
        "META\nkey;value\ndescription;Test PB\nunit;Northfield\ndistrict;East\nbudget;1000\n"
        "vote_type;cumulative\nrule;greedy-threshold\nmin_project_score_threshold;2\n"
        "currency;EUR\nmax_sum_points;5\n"
        "PROJECTS\nproject_id;cost;name;latitude;longitude\n"
        "A1;600;Park benches;52.1;-1.5\nB-2;500;;;\nC3;400;Library hours;;\n"
        "VOTES\nvoter_id;vote;points\nv-1;A1,B-2;3,2\nV1;C3;1\nv 3;;\n"
    )
    service = ServiceFactory()
    path = tmp_path / "tiny.pb"
    path.write_text(text, encoding="utf-8")
    activity_id, _said = _import(path, service)
    budget = Budget.objects.select_related("activity").get(activity_id=activity_id)
    assert budget.activity.service_stage.service == service
    assert budget.imported_meta["description"] == "Test PB"
    assert budget.imported_meta["max_sum_points"] == "5"
    assert (budget.rule, budget.threshold, budget.currency) == ("greedy-threshold", 2, "EUR")
    assert budget.ballot_type == BallotType.CUMULATIVE
    assert budget.points == 5
    assert [(a.name, a.amount) for a in budget.areas.all()] == [("Northfield, East", 1000)]
    proposals = {p.reference: p for p in budget.proposals.all()}
    assert sorted(proposals) == ["A1", "B-2", "C3"]
    assert proposals["A1"].title == "Park benches"
    assert proposals["B-2"].title == "B-2"  # no name: the id
    assert float(proposals["A1"].latitude or 0) == pytest.approx(52.1)
    assert proposals["B-2"].latitude is None
    assert all(p.contribution.author is None for p in proposals.values())
    assert all(p.contribution.kind == "budget_proposal" for p in proposals.values())
    assert Proposal.objects.filter(budget=budget).on_ballot().count() == 3
    ballots = list(budget.ballots.order_by("pk"))
    assert len(ballots) == 3  # the empty ballot too
    assert {b.source for b in ballots} == {BallotSource.IMPORTED}
    assert len({b.public_id for b in ballots}) == 3  # "v-1", "V1" and "v 3" stay apart
    assert "v-1" not in {b.public_id for b in ballots}
    choices = sorted(
        BallotChoice.objects.filter(ballot__budget=budget).values_list(
            "proposal__reference", "value"
        )
    )
    assert choices == [("A1", 3), ("B-2", 2), ("C3", 1)]
    # A1 has 3 points, B-2 2, C3 1; the threshold of 2 leaves C3 out; A1 then B-2 do not fit.
    assert _count(activity_id) == ["A1"]
    # The same file again makes a second budget, with ballots of its own.
    second, _ = _import(path, service)
    assert second != activity_id
    assert Ballot.objects.count() == 6


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("META\nkey;value\nbudget;100\nPROJECTS\n", 4, "vote_type"),
        (
            "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n"
            "1;50\nVOTES\nvoter_id;vote\na;1\nb;2\n",
            11,
            "unknown project '2'",
        ),
        (
            "META\nkey;value\nbudget;100.5\nvote_type;approval\nPROJECTS\nproject_id;cost\n"
            "1;50\nVOTES\nvoter_id;vote\na;1\n",
            3,
            "whole number",
        ),
        (
            "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n"
            "1;50\n2;20.5\nVOTES\nvoter_id;vote\na;1\n",
            8,
            "cost of project 2",
        ),
        (
            "META\nkey;value\nbudget;100\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n"
            "1;50\n2;20\nVOTES\nvoter_id;vote;points\na;1,2;2,1\nb;1,2;1.5,1\n",
            12,
            "points must be whole",
        ),
        (
            "META\nkey;value\nbudget;100\nvote_type;scoring\nPROJECTS\nproject_id;cost\n"
            "1;50\nVOTES\nvoter_id;vote;points\na;1;0\n",
            10,
            "points must be whole",
        ),
        (
            "META\nkey;value\nbudget;100\nvote_type;approval\n"
            "min_project_score_threshold;x\nPROJECTS\nproject_id;cost\n1;50\n"
            "VOTES\nvoter_id;vote\na;1\n",
            5,
            "min_project_score_threshold",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_its_line_and_nothing_is_created(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    service = ServiceFactory()
    activities = Activity.objects.count()
    path = tmp_path / "bad.pb"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        _import(path, service)
    message = str(refused.value)
    assert f"bad.pb, line {line}: " in message
    assert words in message
    assert "\n" not in message
    assert Activity.objects.count() == activities
    assert not Budget.objects.exists()
    assert not Proposal.objects.exists()
    assert not Ballot.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.pb"
    path.write_bytes(b"META\nkey;value\ndescription;Z\xf3\xb3ty\n")
    with pytest.raises(CommandError, match=r"latin\.pb, line 3: the file is not UTF-8"):
        _import(path, ServiceFactory())


def test_pb_import_needs_a_real_service_and_pb_count_a_budget() -> None:
    with pytest.raises(CommandError, match="No service has the slug 'nowhere'"):
        call_command("pb_import", "x.pb", "--service", "nowhere", stdout=io.StringIO())
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command(
            "pb_import",
            "/nonexistent/x.pb",
            "--service",
            ServiceFactory().slug,
            stdout=io.StringIO(),
        )
    with pytest.raises(CommandError, match="has no participatory budget"):
        _count(999_999)


def test_pb_count_refuses_a_budget_still_voting_and_says_why_a_count_failed(
    tmp_path: Path,
) -> None:
    setup = make_voting(costs=(40_000,))
    with pytest.raises(CommandError, match="Close voting"):
        _count(setup.budget.activity_id)
    text = (
        "META\nkey;value\nbudget;100\nvote_type;approval\nrule;greedy-threshold\n"
        "PROJECTS\nproject_id;cost\n1;50\nVOTES\nvoter_id;vote\na;1\n"
    )
    path = tmp_path / "nothreshold.pb"
    path.write_text(text, encoding="utf-8")
    activity_id, _ = _import(path, ServiceFactory())
    with pytest.raises(CommandError, match=r"failed: .*min_project_score_threshold"):
        _count(activity_id)


def _round_trip(budget: Budget, service: Service, before: list[str], folder: Path) -> None:
    """Export, import the file into ``service``, count: the same funded projects."""
    path = folder / "export.pb"
    path.write_text(export_pb(budget), encoding="utf-8")
    activity_id, _ = _import(path, service)
    again = Budget.objects.get(activity_id=activity_id)
    assert again.rule == budget.rule
    assert again.ballots.count() == budget.ballots.count()
    assert _count(activity_id) == before
    # and once more: the export of the import is the same file, but for the voter ids
    second = export_pb(again)
    assert _without_voters(second) == _without_voters(path.read_text())


def _without_voters(text: str) -> tuple[set[str], list[str], list[str]]:
    """The META lines (in any order: PostgreSQL keeps JSON keys in an order of its own), the
    PROJECTS lines and the votes without their voter ids."""
    meta, rest = text.split("\nPROJECTS\n")
    projects, votes = rest.split("\nVOTES\n")
    # The new activity's title and id make another description and instance.
    ignored = ("description;", "instance;")
    kept = {line for line in meta.splitlines() if not line.startswith(ignored)}
    return (
        kept,
        projects.splitlines(),
        sorted(line.split(";", 1)[1] for line in votes.splitlines()[1:]),
    )


@needs_files
@pytest.mark.parametrize(
    "name",
    [
        "Netherlands_Assen_2024",  # approval, equalshares/add1
        pytest.param("Poland_Katowice_2023", marks=pytest.mark.reference_files),  # cumulative
        pytest.param("Poland_Krakow_2022", marks=pytest.mark.reference_files),  # ordinal
    ],
)
def test_export_then_import_then_count_is_stable(tmp_path: Path, name: str) -> None:
    service = ServiceFactory()
    activity_id, _ = _import(FOLDER / f"{name}.pb", service)
    before = _count(activity_id)
    _round_trip(Budget.objects.get(activity_id=activity_id), service, before, tmp_path)


@pytest.mark.parametrize(
    ("ballot_type", "values"),
    [
        (BallotType.APPROVAL, [(0, 1), (1, 1)]),
        (BallotType.CUMULATIVE, [(0, 6), (2, 4)]),
        (BallotType.RANKING, [(3, 1), (0, 2)]),
    ],
)
def test_a_budget_made_here_exports_imports_and_counts_the_same(
    tmp_path: Path, ballot_type: str, values: list[tuple[int, int]]
) -> None:
    fields: dict[str, Any] = {"ballot_type": ballot_type, "min_choices": 1, "max_choices": 2}
    if ballot_type == BallotType.CUMULATIVE:
        fields = {"ballot_type": ballot_type, "points": 10}
    setup = make_voting(costs=(40_000, 30_000, 30_000, 20_000), **fields)
    proposals = setup.proposals
    for shift in range(7):
        choices = {proposals[(i + shift) % 4]: v for i, v in values}
        vote(setup, choices)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.COUNTING)
    before = _count(setup.budget.activity_id)
    assert before
    assert set(before) <= {p.reference for p in proposals}
    text = export_pb(setup.budget)
    assert "\nVOTES\n" in text
    public_ids = set(setup.budget.ballots.values_list("public_id", flat=True))
    assert {line.split(";")[0] for line in text.split("\nVOTES\n")[1].splitlines()[1:]} == (
        public_ids
    )
    _round_trip(setup.budget, ServiceFactory(), before, tmp_path)


def test_a_budget_with_two_areas_exports_one_area_at_a_time() -> None:
    setup = make_budget(areas=(("North", 50_000), ("South", 60_000)))
    north, south = setup.areas
    assert "budget;50000" in export_pb(setup.budget)
    assert "budget;60000" in export_pb(setup.budget, south)
    assert "unit;North" in export_pb(setup.budget, north)
    other = make_budget()
    with pytest.raises(ValueError, match="not one of"):
        export_pb(setup.budget, other.area)
