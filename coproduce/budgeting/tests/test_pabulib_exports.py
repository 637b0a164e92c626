"""The open data of a budget: the .pb export, the ballots and projects as CSV, and the
participatory-budgets dataset of the catalogue."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.test import Client

from civic_algorithms.budgeting import count, parse_pabulib
from coproduce.budgeting import actions
from coproduce.budgeting.models import Phase
from coproduce.budgeting.pabulib_io import import_pb
from coproduce.budgeting.tests.factories import (
    BudgetSetup,
    close_and_count,
    make_budget,
    make_proposal,
    make_voting,
    vote,
)
from coproduce.services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

TINY = (
    "META\nkey;value\ndescription;Tiny\nunit;Northfield\nbudget;100\nvote_type;approval\n"
    "rule;greedy\nPROJECTS\nproject_id;cost;name\nX1;60;=HYPERLINK(1)\nX2;50;Bins\n"
    "VOTES\nvoter_id;vote\na;X1\nb;X1,X2\nc;\n"
)


def _body(response: object) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    return content.decode()


def _counted() -> BudgetSetup:
    setup = make_voting(costs=(40_000, 30_000, 30_000, 20_000))
    first, second, third, _fourth = setup.proposals
    for _ in range(3):
        vote(setup, [first, second])
    vote(setup, [third])
    close_and_count(setup)
    return setup


def _urls(pk: int) -> list[str]:
    return [f"/budgets/{pk}/export.pb", f"/budgets/{pk}/ballots.csv", f"/budgets/{pk}/projects.csv"]


def test_the_exports_wait_for_the_published_results_but_staff_see_them_at_once(
    client: Client,
) -> None:
    setup = _counted()
    for url in _urls(setup.budget.pk):
        assert client.get(url).status_code == 404
    client.force_login(setup.staff)
    for url in _urls(setup.budget.pk):
        assert client.get(url).status_code == 200
    client.logout()
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.RESULTS)
    for url in _urls(setup.budget.pk):
        assert client.get(url).status_code == 200
    assert client.get("/budgets/999999/export.pb").status_code == 404


def test_the_pb_export_is_a_pabulib_file_that_counts_to_the_same_result(client: Client) -> None:
    setup = _counted()
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.RESULTS)
    response = client.get(f"/budgets/{setup.budget.pk}/export.pb")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="budget-{setup.budget.pk}.pb"'
    election = parse_pabulib(response.content.decode(), source="export.pb")
    assert election.meta["budget"] == "100000"
    assert election.meta["vote_type"] == "approval"
    assert {p.id for p in election.projects} == {p.reference for p in setup.proposals}
    assert {b.voter_id for b in election.ballots} == set(
        setup.budget.ballots.values_list("public_id", flat=True)
    )
    funded = setup.budget.counts.get().result["areas"][0]["selected"]
    outcome = count(election, "mes", completion="add1-greedy")
    assert sorted(outcome.selected) == sorted(funded)


def test_the_area_is_chosen_with_a_query_parameter(client: Client) -> None:
    setup = make_budget(areas=(("North", 50_000), ("South", 60_000)))
    _north, south = setup.areas
    make_proposal(setup, area=south, cost=1000)
    for phase in (Phase.REVIEW, Phase.VOTING, Phase.COUNTING):  # staff see it while counting
        actions.phase_set(budget=setup.budget, by=setup.staff, phase=phase)
    client.force_login(setup.staff)
    url = f"/budgets/{setup.budget.pk}/export.pb"
    assert "budget;50000" in client.get(url).content.decode()
    response = client.get(f"{url}?area={south.pk}")
    assert "budget;60000" in response.content.decode()
    assert f"area-{south.pk}.pb" in response["Content-Disposition"]
    other = make_budget()
    for bad in (str(other.area.pk), "x", "-1", "99999999"):
        assert client.get(f"{url}?area={bad}").status_code == 404


def test_an_imported_budget_is_open_data_at_once(client: Client) -> None:
    budget = import_pb(text=TINY, service=ServiceFactory(), by=None, source="tiny.pb")
    assert budget.phase == Phase.COUNTING
    text = client.get(f"/budgets/{budget.pk}/export.pb").content.decode()
    assert "X1;60;" in text
    ballots = list(csv.reader(io.StringIO(_body(client.get(f"/budgets/{budget.pk}/ballots.csv")))))
    assert ballots[0] == ["public_id", "area", "reference", "value"]
    ids = dict(budget.ballots.order_by("pk").values_list("pk", "public_id"))
    a, b, c = ids.values()
    assert ballots[1:] == [
        [a, "Northfield", "X1", "1"],
        [b, "Northfield", "X1", "1"],
        [b, "Northfield", "X2", "1"],
        [c, "Northfield", "", ""],
    ]
    projects = list(
        csv.reader(io.StringIO(_body(client.get(f"/budgets/{budget.pk}/projects.csv"))))
    )
    assert projects == [
        ["reference", "title", "area", "cost", "votes", "funded"],
        ["X1", "'=HYPERLINK(1)", "Northfield", "60", "2", ""],  # no formula; not counted yet
        ["X2", "Bins", "Northfield", "50", "1", ""],
    ]


def test_an_imported_budget_of_a_draft_service_stays_hidden(client: Client) -> None:
    service = ServiceFactory(status="draft")
    budget = import_pb(text=TINY, service=service, by=None, source="tiny.pb")
    for url in _urls(budget.pk):
        assert client.get(url).status_code == 404


def test_the_projects_csv_says_what_the_count_funded(client: Client) -> None:
    setup = _counted()
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.RESULTS)
    rows = list(
        csv.DictReader(io.StringIO(_body(client.get(f"/budgets/{setup.budget.pk}/projects.csv"))))
    )
    funded = set(setup.budget.counts.get().result["areas"][0]["selected"])
    assert {row["reference"] for row in rows if row["funded"] == "yes"} == funded
    assert {row["reference"] for row in rows if row["funded"] == "no"} == {
        p.reference for p in setup.proposals
    } - funded
    votes = {row["reference"]: int(row["votes"]) for row in rows}
    first, second, third, fourth = setup.proposals
    assert [votes[p.reference] for p in (first, second, third, fourth)] == [3, 3, 1, 0]


def test_published_results_are_in_the_open_data_catalogue(client: Client) -> None:
    setup = _counted()
    hidden = _counted()  # counted, not published
    assert "Participatory budgets" in client.get("/data/").content.decode()
    assert json.loads(_body(client.get("/data/participatory-budgets.json"))) == []
    before = client.get("/data/participatory-budgets.json")["ETag"]
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.RESULTS)
    response = client.get("/data/participatory-budgets.json")
    assert response["ETag"] != before
    items = json.loads(_body(response))
    assert [item["id"] for item in items] == [setup.budget.pk]
    area = items[0]["areas"][0]
    funded = setup.budget.counts.get().result["areas"][0]["selected"]
    assert sorted(p["reference"] for p in area["funded"]) == sorted(funded)
    assert area["pabulib"].endswith(f"/budgets/{setup.budget.pk}/export.pb")
    rows = list(csv.DictReader(io.StringIO(_body(client.get("/data/participatory-budgets.csv")))))
    assert [row["budget_id"] for row in rows] == [str(setup.budget.pk)]
    assert sorted(rows[0]["funded"].split()) == sorted(funded)
    assert str(hidden.budget.pk) not in {row["budget_id"] for row in rows}


def test_the_export_of_a_big_shared_file_is_read_back_whole(tmp_path: Path) -> None:
    """An export is the file again: same projects, costs and ballots (voter ids anonymised)."""
    from coproduce.budgeting.tests.test_pabulib_reference import FOLDER

    source = FOLDER / "Poland_Wieliczka_2023_Green_Budget.pb"
    if not source.exists():
        pytest.skip(f"no {source}")
    original = parse_pabulib(source.read_text(encoding="utf-8"), source=source.name)
    budget = import_pb(text=source.read_text(), service=ServiceFactory(), by=None, source="w.pb")
    from coproduce.budgeting.pabulib_io import export_pb

    again = parse_pabulib(export_pb(budget), source="export.pb")
    assert {(p.id, p.cost) for p in again.projects} == {(p.id, p.cost) for p in original.projects}
    assert sorted(sorted(b.projects) for b in again.ballots) == sorted(
        sorted(b.projects) for b in original.ballots
    )
    assert not {b.voter_id for b in again.ballots} & {b.voter_id for b in original.ballots}
    assert again.meta["rule"] == "equalshares/add1-comparison"
