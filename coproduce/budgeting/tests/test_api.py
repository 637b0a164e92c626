"""The budgets API: budgets, projects, your ballot (cast, change) and the published result, for
each kind of caller, and bad input refused field by field (coproduce/api/budgets.py).

The API sits above budgeting in the layers, so these tests speak to it over HTTP only.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from coproduce.accounts.actions import api_token_create
from coproduce.budgeting import actions, actions_voting, counting, rules
from coproduce.budgeting.models import Ballot, BallotType, Feasibility, Phase
from coproduce.budgeting.tests.factories import (
    BudgetSetup,
    close_and_count,
    make_budget,
    make_proposal,
    make_voting,
    vote,
)
from coproduce.budgeting.views import public
from coproduce.contributions.tests.world import World, build_world
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


class Api:
    """Calls /api/ as one person (a token) or nobody: JSON in, the test response out."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.headers = {} if token is None else {"Authorization": f"Bearer {token}"}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(f"/api{path}", params or {}, headers=self.headers)

    def put(self, path: str, body: Any, *, raw: bool = False) -> Any:
        data = body if raw else json.dumps(body)
        return self.client.put(
            f"/api{path}", data, content_type="application/json", headers=self.headers
        )


def fields(response: Any) -> dict[tuple[Any, ...], str]:
    """A 422 body as {loc: type}."""
    assert response.status_code == 422, response.content
    return {tuple(issue["loc"]): issue["type"] for issue in response.json()["detail"]}


CALLERS = ["anonymous", "resident", "professional", "other_professional", "superuser"]


@pytest.fixture
def world() -> World:
    cache.clear()  # ballots cast are counted in the cache
    return build_world()


@pytest.fixture
def api(world: World) -> Any:
    """``api("resident")``: an Api client with that person's token (none for "anonymous")."""
    clients: dict[str, Api] = {}

    def make(role: str) -> Api:
        if role not in clients:
            person = world.people[role]
            clients[role] = Api(
                None if person is None else api_token_create(user=person, name=role)[1]
            )
        return clients[role]

    return make


def _activity(world: World, *, state: str = ActivityState.OPEN, draft_service: bool = False) -> Any:
    service = world.draft_service if draft_service else world.service
    return ActivityFactory(service=service, kind=ActivityKind.PARTICIPATORY_BUDGET, state=state)


def _voting(world: World, **fields: Any) -> BudgetSetup:
    """A budget of the world's published service in its voting phase, four projects on the ballot
    (£40,000, £30,000, £30,000, £20,000 of £100,000)."""
    return make_voting(activity=_activity(world), **fields)


def _ballot(setup: BudgetSetup, *references: str, **extra: Any) -> dict[str, Any]:
    return {
        "area": setup.area.pk,
        "choices": [{"project": reference} for reference in references],
        **extra,
    }


# --- Budgets ------------------------------------------------------------------------------------


def test_the_list_shows_what_the_rule_allows(world: World, api: Any) -> None:
    """Open budgets to everyone; a draft activity's or a draft service's to its staff only."""
    budgets = [
        make_budget(activity=_activity(world)).budget,
        make_budget(activity=_activity(world, state=ActivityState.DRAFT)).budget,
        make_budget(activity=_activity(world, draft_service=True)).budget,
    ]
    for role in CALLERS:
        listed = api(role).get("/budgets").json()
        person = world.people[role] or _anonymous()
        expected = {b.pk for b in budgets if rules.can_view_budget(person, b)}
        assert {item["id"] for item in listed["items"]} == expected, role
        assert listed["count"] == len(expected)
    assert len({item["id"] for item in api("professional").get("/budgets").json()["items"]}) == 3
    assert len(api("resident").get("/budgets").json()["items"]) == 1


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_one_budget_with_its_areas_dates_and_ballot_rules(world: World, api: Any) -> None:
    setup = make_budget(
        activity=_activity(world),
        areas=[("North", 60_000), ("South", 40_000)],
        ballot_type=BallotType.KNAPSACK,
        max_choices=3,
        postcode_prefixes="NF1 NF2",
        min_age=11,
    )
    body = api("anonymous").get(f"/budgets/{setup.budget.pk}").json()
    assert body["activity"] == setup.budget.activity_id
    assert body["phase"] == "proposals"
    assert body["total"] == 100_000
    assert [(a["name"], a["amount"]) for a in body["areas"]] == [
        ("North", 60_000),
        ("South", 40_000),
    ]
    assert body["ballot"] == {
        "ballot_type": "knapsack",
        "min_choices": 1,
        "max_choices": 3,
        "points": 10,
        "accounts_may_vote": True,
        "codes_may_vote": False,
        "postcode_prefixes": ["NF1", "NF2"],
        "min_age": 11,
    }
    assert body["voting_open"] is False
    assert body["results_published"] is False


def test_a_draft_budget_is_not_there_to_outsiders(world: World, api: Any) -> None:
    budget = make_budget(activity=_activity(world, state=ActivityState.DRAFT)).budget
    statuses = {role: api(role).get(f"/budgets/{budget.pk}").status_code for role in CALLERS}
    assert statuses == {
        "anonymous": 404,
        "resident": 404,
        "professional": 200,
        "other_professional": 404,
        "superuser": 200,
    }
    assert api("other_professional").get(f"/budgets/{budget.pk}/projects").status_code == 404


def test_projects_with_their_feasibility_or_only_those_on_the_ballot(
    world: World, api: Any
) -> None:
    setup = make_budget(activity=_activity(world), areas=[("North", 60_000), ("South", 40_000)])
    feasible = make_proposal(setup, cost=20_000)
    make_proposal(setup, feasibility=Feasibility.NOT_FEASIBLE)
    make_proposal(setup, feasibility=None)
    south = make_proposal(setup, area=setup.areas[1], cost=5_000)
    path = f"/budgets/{setup.budget.pk}/projects"
    every = api("anonymous").get(path).json()
    assert every["count"] == 4
    by_reference = {item["reference"]: item for item in every["items"]}
    assert {ref: item["feasibility"] for ref, item in by_reference.items()} == {
        "P1": "feasible",
        "P2": "not_feasible",
        "P3": "pending",
        "P4": "feasible",
    }
    assert by_reference["P2"]["feasibility_reason"] == "The land is not the council's."
    assert by_reference["P1"]["cost"] == 20_000
    assert by_reference["P3"]["cost"] is None
    assert by_reference["P1"]["id"] == feasible.pk
    ballot = api("anonymous").get(path, {"on_ballot": "true"}).json()
    assert [item["reference"] for item in ballot["items"]] == ["P1", "P4"]
    assert all(item["on_ballot"] for item in ballot["items"])
    assert fields(api("anonymous").get(path, {"on_ballot": "yes"})) == {
        ("query", "on_ballot"): "value_error"
    }
    south_only = api("anonymous").get(path, {"area": setup.areas[1].pk}).json()
    assert [item["id"] for item in south_only["items"]] == [south.pk]


# --- Ballots ------------------------------------------------------------------------------------


def test_cast_then_change_keeps_one_ballot(world: World, api: Any) -> None:
    setup = _voting(world)
    resident = api("resident")
    path = f"/budgets/{setup.budget.pk}/ballot"
    assert resident.get(path).json() == {"may_vote": True, "ballot": None}

    first = resident.put(path, _ballot(setup, "P1", "P2"))
    assert first.status_code == 200, first.content
    cast = first.json()
    assert cast["changed"] is False
    assert cast["ballot"]["voter_id"] == actions_voting.public_id_for(cast["receipt"])
    assert cast["ballot"]["choices"] == [
        {"project": "P1", "value": 1},
        {"project": "P2", "value": 1},
    ]

    second = resident.put(path, _ballot(setup, "P4")).json()
    assert second["changed"] is True
    assert second["receipt"] != cast["receipt"]
    assert second["ballot"]["voter_id"] == actions_voting.public_id_for(second["receipt"])
    assert Ballot.objects.filter(budget=setup.budget, voter=world.people["resident"]).count() == 1
    assert Ballot.objects.filter(budget=setup.budget).count() == 1

    shown = resident.get(path).json()
    assert shown["ballot"]["choices"] == [{"project": "P4", "value": 1}]
    assert shown["ballot"]["voter_id"] == second["ballot"]["voter_id"]
    assert "receipt" not in shown["ballot"]  # shown once, when cast


def test_who_may_vote(world: World, api: Any) -> None:
    """A token is needed; anyone with one votes in an open budget (staff are residents too)."""
    setup = _voting(world)
    path = f"/budgets/{setup.budget.pk}/ballot"
    statuses = {role: api(role).put(path, _ballot(setup, "P1")).status_code for role in CALLERS}
    assert statuses == {
        "anonymous": 401,
        "resident": 200,
        "professional": 200,
        "other_professional": 200,
        "superuser": 200,
    }
    assert api("anonymous").get(path).status_code == 401
    assert Ballot.objects.filter(budget=setup.budget).count() == 4


def test_a_budget_for_voting_codes_only_is_403(world: World, api: Any) -> None:
    setup = _voting(world, accounts_may_vote=False, codes_may_vote=True)
    path = f"/budgets/{setup.budget.pk}/ballot"
    response = api("resident").put(path, _ballot(setup, "P1"))
    assert response.status_code == 403
    assert api("resident").get(path).json()["may_vote"] is False


def test_a_draft_budget_takes_no_ballot_from_outsiders(world: World, api: Any) -> None:
    setup = make_budget(activity=_activity(world, state=ActivityState.DRAFT))
    path = f"/budgets/{setup.budget.pk}/ballot"
    assert (
        api("other_professional").put(path, {"area": setup.area.pk, "choices": []}).status_code
        == 404
    )
    assert api("resident").get(path).status_code == 404


@pytest.mark.parametrize("phase", ["before", "after"])
def test_voting_that_is_not_open_is_a_rule(world: World, api: Any, phase: str) -> None:
    """Not open yet, or closed: a 422 of type rule (decision 0402), nothing stored."""
    if phase == "before":
        setup = make_budget(activity=_activity(world))
        make_proposal(setup)
    else:
        setup = _voting(world)
        actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.COUNTING)
    response = api("resident").put(f"/budgets/{setup.budget.pk}/ballot", _ballot(setup, "P1"))
    assert fields(response) == {("body",): "rule"}
    expected = "has not opened yet" if phase == "before" else "has closed"
    assert expected in response.json()["detail"][0]["msg"]
    assert not Ballot.objects.exists()


def test_an_unknown_or_repeated_project_is_refused_where_it_is(world: World, api: Any) -> None:
    setup = _voting(world)
    response = api("resident").put(
        f"/budgets/{setup.budget.pk}/ballot", _ballot(setup, "P1", "P99", "P1")
    )
    assert fields(response) == {
        ("body", "choices", 1, "project"): "rule",
        ("body", "choices", 2, "project"): "rule",
    }
    messages = [issue["msg"] for issue in response.json()["detail"]]
    assert "There is no project P99 in this budget" in messages[0]
    assert "twice" in messages[1]
    assert not Ballot.objects.exists()


def test_a_project_of_another_area_is_not_on_this_ballot(world: World, api: Any) -> None:
    setup = make_budget(activity=_activity(world), areas=[("North", 60_000), ("South", 40_000)])
    make_proposal(setup)
    make_proposal(setup, area=setup.areas[1])
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.REVIEW)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.VOTING)
    response = api("resident").put(f"/budgets/{setup.budget.pk}/ballot", _ballot(setup, "P2"))
    assert fields(response) == {("body", "choices"): "rule"}


def test_too_many_projects_is_refused_with_how_to_fix_it(world: World, api: Any) -> None:
    setup = _voting(world, max_choices=2)
    response = api("resident").put(
        f"/budgets/{setup.budget.pk}/ballot", _ballot(setup, "P1", "P2", "P3")
    )
    assert fields(response) == {("body", "choices"): "rule"}
    assert "Choose no more than 2 projects: take 1 off." in response.json()["detail"][0]["msg"]


def test_a_knapsack_ballot_over_the_budget_is_refused(world: World, api: Any) -> None:
    setup = _voting(world, ballot_type=BallotType.KNAPSACK)
    path = f"/budgets/{setup.budget.pk}/ballot"
    # £40,000 + £30,000 + £30,000 + £20,000 = £120,000 of £100,000.
    response = api("resident").put(path, _ballot(setup, "P1", "P2", "P3", "P4"))
    assert fields(response) == {("body", "choices"): "rule"}
    assert "take off projects worth at least £20,000" in response.json()["detail"][0]["msg"]
    assert api("resident").put(path, _ballot(setup, "P1", "P2", "P3")).status_code == 200


def test_an_area_of_another_budget_is_refused(world: World, api: Any) -> None:
    setup = _voting(world)
    other = make_budget(activity=_activity(world))
    path = f"/budgets/{setup.budget.pk}/ballot"
    response = api("resident").put(path, {"area": other.area.pk, "choices": [{"project": "P1"}]})
    assert fields(response) == {("body", "area"): "rule"}
    response = api("resident").put(path, {"area": 2_000_000_000, "choices": [{"project": "P1"}]})
    assert fields(response) == {("body", "area"): "rule"}


def test_eligibility_is_checked_field_by_field(world: World, api: Any) -> None:
    setup = _voting(world, postcode_prefixes="NF1", min_age=11)
    path = f"/budgets/{setup.budget.pk}/ballot"
    response = api("resident").put(path, _ballot(setup, "P1", postcode="SW1A 1AA"))
    assert fields(response) == {("body", "postcode"): "rule", ("body", "age_confirmed"): "rule"}
    ok = api("resident").put(path, _ballot(setup, "P1", postcode="nf1 2ab", age_confirmed=True))
    assert ok.status_code == 200, ok.content


def test_points_and_ranks(world: World, api: Any) -> None:
    points = _voting(world, ballot_type=BallotType.CUMULATIVE, points=10)
    path = f"/budgets/{points.budget.pk}/ballot"
    over = {
        "area": points.area.pk,
        "choices": [{"project": "P1", "value": 8}, {"project": "P2", "value": 3}],
    }
    assert fields(api("resident").put(path, over)) == {("body", "choices"): "rule"}
    given = {
        "area": points.area.pk,
        "choices": [{"project": "P1", "value": 7}, {"project": "P2", "value": 3}],
    }
    cast = api("resident").put(path, given).json()
    assert cast["ballot"]["choices"] == [
        {"project": "P2", "value": 3},
        {"project": "P1", "value": 7},
    ]
    # The cast's answer is built from what was written: the same as reading the ballot back.
    assert api("resident").get(path).json()["ballot"] == cast["ballot"]

    ranks = _voting(world, ballot_type=BallotType.RANKING, max_choices=3)
    path = f"/budgets/{ranks.budget.pk}/ballot"
    gap = {
        "area": ranks.area.pk,
        "choices": [{"project": "P3", "value": 1}, {"project": "P1", "value": 3}],
    }
    assert fields(api("resident").put(path, gap)) == {("body", "choices"): "rule"}
    ranked = {
        "area": ranks.area.pk,
        "choices": [{"project": "P3", "value": 1}, {"project": "P1", "value": 2}],
    }
    assert api("resident").put(path, ranked).status_code == 200


def test_malformed_ballots_are_refused_by_the_schema(world: World, api: Any) -> None:
    setup = _voting(world)
    path = f"/budgets/{setup.budget.pk}/ballot"
    resident = api("resident")
    zero = {"area": setup.area.pk, "choices": [{"project": "P1", "value": 0}]}
    assert fields(resident.put(path, zero)) == {
        ("body", "choices", 0, "value"): "greater_than_equal"
    }
    extra = {**_ballot(setup, "P1"), "voter": 1}
    assert fields(resident.put(path, extra)) == {("body", "voter"): "extra_forbidden"}
    blank = {"area": setup.area.pk, "choices": [{"project": " "}]}
    assert fields(resident.put(path, blank)) == {("body", "choices", 0, "project"): "value_error"}
    stringy = {**_ballot(setup, "P1"), "age_confirmed": "yes"}
    assert fields(resident.put(path, stringy)) == {("body", "age_confirmed"): "bool_type"}
    assert resident.put(path, "{", raw=True).status_code == 400
    assert not Ballot.objects.exists()


@override_settings(
    ACCOUNT_RATE_LIMITS={"budget_ballot_cast": "2/10m/ip", "login_failed": "10/m/ip"}
)
def test_casting_is_rate_limited_like_the_website(world: World, api: Any) -> None:
    setup = _voting(world)
    path = f"/budgets/{setup.budget.pk}/ballot"
    for references in (["P1"], ["P2"]):
        assert api("resident").put(path, _ballot(setup, *references)).status_code == 200
    refused = api("resident").put(path, _ballot(setup, "P3"))
    assert fields(refused) == {("body",): "rule"}
    assert "Wait a few minutes" in refused.json()["detail"][0]["msg"]
    assert api("resident").get(path).json()["ballot"]["choices"] == [{"project": "P2", "value": 1}]


# --- Results ------------------------------------------------------------------------------------


def test_results_only_once_published(world: World, api: Any) -> None:
    setup = _voting(world)
    p1, p2, _p3, p4 = setup.proposals
    for _ in range(3):
        vote(setup, [p1, p2])
    vote(setup, [p4])
    path = f"/budgets/{setup.budget.pk}/results"
    assert {role: api(role).get(path).status_code for role in CALLERS} == dict.fromkeys(
        CALLERS, 404
    )

    close_and_count(setup)
    counted = {role: api(role).get(path).status_code for role in CALLERS}
    assert counted == {
        "anonymous": 404,
        "resident": 404,
        "professional": 200,
        "other_professional": 404,
        "superuser": 200,
    }
    assert api("professional").get(path).json()["published"] is False

    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.RESULTS)
    assert {role: api(role).get(path).status_code for role in CALLERS} == dict.fromkeys(
        CALLERS, 200
    )
    result = api("anonymous").get(path).json()
    assert result["published"] is True
    assert result["method"] == "mes+add1+greedy"
    assert result["version"].startswith("civic_algorithms ")
    assert result["parameters"]["rule"] == "mes"
    assert result["ballot_count"] == 4
    assert result["counted_at"] is not None
    (area,) = result["areas"]
    assert area["ballots"] == 4
    projects = {p["reference"]: p for p in area["projects"]}
    assert projects["P1"]["votes"] == 3
    assert projects["P4"]["votes"] == 1
    assert set(area["funded"]) == {p["reference"] for p in area["projects"] if p["funded"]}
    assert area["left"] == area["amount"] - area["cost"]
    assert projects["P3"]["reason"] == counting.NO_VOTES
    assert projects["P3"]["reason_text"] == "Nobody voted for it."
    for project in area["projects"]:
        if project["reason"]:
            assert project["reason_text"] == str(public.REASONS[project["reason"]])
    for project in area["projects"]:
        assert (project["reason"] is None) == project["funded"]
    assert area["simple_vote"]["same"] == (
        set(area["simple_vote"]["funded"]) == set(area["funded"])
    )
    assert area["ejr"]["checked"] is True
    assert area["ejr"]["passed"] is True
    assert api("anonymous").get(f"/budgets/{setup.budget.pk}").json()["results_published"] is True


def test_a_ballot_cast_through_the_website_shows_in_the_api(world: World, api: Any) -> None:
    """One ballot per person whichever way it was cast: the API changes the same ballot."""
    setup = _voting(world)
    vote(setup, [setup.proposals[0]], voter=world.people["resident"])
    path = f"/budgets/{setup.budget.pk}/ballot"
    assert api("resident").get(path).json()["ballot"]["choices"] == [{"project": "P1", "value": 1}]
    assert api("resident").put(path, _ballot(setup, "P2")).json()["changed"] is True
    assert Ballot.objects.filter(budget=setup.budget).count() == 1
