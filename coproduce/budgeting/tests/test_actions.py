"""The writes of a participatory budget around its vote: proposals and their answers, phases,
delivery and bringing ideas forward (the vote itself: test_actions_voting.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory
from coproduce.budgeting import actions, actions_voting
from coproduce.budgeting.models import DeliveryStatus, Feasibility, Phase, Proposal
from coproduce.budgeting.tests.factories import (
    agreed_on_the_map,
    close_and_count,
    make_budget,
    make_proposal,
    make_voting,
    vote,
)
from coproduce.contributions.models import Contribution, Response, Visibility
from coproduce.services import actions as service_actions
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory
from coproduce.transparency.models import LedgerEntry
from coproduce.transparency.queries import Checked, check_ledger

pytestmark = pytest.mark.django_db


def _statements(setup: Any, *texts: str) -> list[Contribution]:
    """Seed statements of an opinion map of the budget's service, written through the
    conversation's own staff pages (budgeting does not import conversations)."""
    activity = ActivityFactory(
        service=setup.budget.activity.service,
        kind=ActivityKind.OPINION_MAP,
        state=ActivityState.OPEN,
    )
    client = Client()
    client.force_login(setup.staff)
    url = reverse("conversations:manage", args=[activity.pk])
    settings = {"audience": "anyone", "moderation": "pre", "participants_may_add": "on"}
    assert client.post(url, settings).status_code == 302
    for text in texts:
        assert client.post(url, {"form": "statement", "text": text}).status_code == 302
    return list(Contribution.objects.filter(activity=activity).order_by("pk"))


# --- Proposals and their answers ---------------------------------------------------------------


def test_a_proposal_is_a_spine_contribution_with_the_next_reference() -> None:
    setup = make_budget()
    first = make_proposal(setup, feasibility=None)
    second = make_proposal(setup, feasibility=None)
    assert (first.reference, second.reference) == ("P1", "P2")
    assert first.contribution.kind == "budget_proposal"
    assert first.contribution.needs_answer
    assert first.feasibility == Feasibility.PENDING


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": " "}, "title"),
        ({"description": ""}, "description"),
        ({"estimated_cost": 0}, "estimated_cost"),
        ({"estimated_cost": 100_001}, "estimated_cost"),
        ({"latitude": 52.5}, "latitude"),
    ],
)
def test_a_proposal_with_a_mistake_says_which_field(fields: dict[str, Any], field: str) -> None:
    setup = make_budget()
    data: dict[str, Any] = {
        "title": "Benches",
        "description": "Benches by the pond.",
        "estimated_cost": 5_000,
        **fields,
    }
    with pytest.raises(ValidationError) as caught:
        actions.proposal_create(budget=setup.budget, author=UserFactory(), area=setup.area, **data)
    assert field in caught.value.message_dict
    assert not setup.budget.proposals.exists()


def test_proposals_are_taken_only_in_the_proposals_phase() -> None:
    setup = make_voting()
    with pytest.raises(PermissionDenied):
        make_proposal(setup, feasibility=None)


def test_the_feasibility_review_answers_through_the_spine() -> None:
    setup = make_budget()
    proposal = make_proposal(setup, feasibility=None, cost=8_000)
    with pytest.raises(ValidationError) as caught:
        actions.proposal_review(
            proposal=proposal, by=setup.staff, feasibility=Feasibility.COST_CHANGED
        )
    assert set(caught.value.message_dict) == {"reason", "cost"}
    actions.proposal_review(
        proposal=proposal,
        by=setup.staff,
        feasibility=Feasibility.COST_CHANGED,
        cost=9_500,
        reason="The paths need lighting too.",
    )
    proposal.refresh_from_db()
    assert (proposal.ballot_cost, proposal.feasibility) == (9_500, Feasibility.COST_CHANGED)
    answer = Response.objects.get(contribution=proposal.contribution)
    assert "£9,500" in answer.body
    assert "lighting" in answer.body
    proposal.contribution.refresh_from_db()
    assert proposal.contribution.first_response_at is not None


def test_a_merged_proposal_names_one_on_the_ballot() -> None:
    setup = make_budget()
    kept = make_proposal(setup, feasibility=None)
    other = make_proposal(setup, feasibility=None)
    with pytest.raises(ValidationError) as caught:
        actions.proposal_review(
            proposal=other,
            by=setup.staff,
            feasibility=Feasibility.MERGED,
            merged_into=kept,
            reason="Same park.",
        )
    assert "merged_into" in caught.value.message_dict  # kept is not on the ballot yet
    actions.proposal_review(proposal=kept, by=setup.staff, feasibility=Feasibility.FEASIBLE)
    actions.proposal_review(
        proposal=other,
        by=setup.staff,
        feasibility=Feasibility.MERGED,
        merged_into=kept,
        reason="Same park.",
    )
    assert list(setup.budget.proposals.on_ballot()) == [kept]


def test_residents_cannot_review() -> None:
    setup = make_budget()
    proposal = make_proposal(setup, feasibility=None)
    with pytest.raises(PermissionDenied):
        actions.proposal_review(
            proposal=proposal, by=UserFactory(), feasibility=Feasibility.FEASIBLE
        )


# --- Phases ------------------------------------------------------------------------------------


def test_voting_opens_only_when_every_proposal_is_reviewed() -> None:
    setup = make_budget()
    make_proposal(setup, feasibility=None)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.REVIEW)
    with pytest.raises(ValidationError, match="1 still wait"):
        actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.VOTING)
    with pytest.raises(ValidationError):  # one step at a time
        actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.RESULTS)


def test_what_is_on_the_ballot_is_fixed_once_voting_opens() -> None:
    """Areas, reviews and proposals brought forward (decision 0121), like the ballot settings."""
    setup = make_voting()
    idea = Contribution.objects.create(
        activity=ActivityFactory(
            service=setup.budget.activity.service,
            kind=ActivityKind.IDEA_CHALLENGE,
            state=ActivityState.OPEN,
        ),
        kind="idea",
        author=UserFactory(),
        visibility=Visibility.PUBLISHED,
    )
    fixed = "Voting has opened, so the ballot can no longer change."
    with pytest.raises(ValidationError, match=fixed):
        actions.area_add(budget=setup.budget, by=setup.staff, name="East", amount=5_000)
    with pytest.raises(ValidationError, match=fixed):
        actions.proposal_bring_forward(
            budget=setup.budget, by=setup.staff, idea=idea, area=setup.area, estimated_cost=500
        )
    with pytest.raises(ValidationError, match=fixed):
        actions.proposal_review(
            proposal=setup.proposals[0],
            by=setup.staff,
            feasibility=Feasibility.NOT_FEASIBLE,
            reason="Changed our minds.",
        )
    for name, value in (("max_choices", 1), ("currency", "EUR")):
        with pytest.raises(ValidationError) as refused:
            actions.budget_update(budget=setup.budget, by=setup.staff, **{name: value})
        assert name in refused.value.message_dict
    assert list(setup.budget.areas.values_list("name", flat=True)) == ["Whole borough"]
    assert not setup.budget.proposals.filter(from_contribution=idea).exists()
    setup.proposals[0].refresh_from_db()
    assert setup.proposals[0].feasibility == Feasibility.FEASIBLE


def test_voting_goes_back_to_the_review_only_until_a_ballot_is_in() -> None:
    setup = make_voting()
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.REVIEW)
    actions.area_add(budget=setup.budget, by=setup.staff, name="East", amount=5_000)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.VOTING)
    vote(setup, [setup.proposals[0]])
    with pytest.raises(ValidationError, match="Ballots have been cast"):
        actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.REVIEW)
    on_paper = make_voting()
    actions_voting.paper_entry_add(  # typed once: not a ballot yet, but cast on this ballot
        budget=on_paper.budget,
        by=on_paper.staff,
        paper_reference="Y-0001",
        area=on_paper.area,
        choices={on_paper.proposals[0].pk: 1},
    )
    with pytest.raises(ValidationError, match="Ballots have been cast"):
        actions.phase_set(budget=on_paper.budget, by=on_paper.staff, phase=Phase.REVIEW)
    for budget in (setup.budget, on_paper.budget):
        budget.refresh_from_db()
        assert budget.phase == Phase.VOTING


def test_results_need_a_count_then_answer_every_proposal_and_go_on_the_ledger() -> None:
    setup = make_voting(costs=(60_000, 50_000))
    first, second = setup.proposals
    for _ in range(3):
        vote(setup, [first])
    vote(setup, [second])
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.COUNTING)
    with pytest.raises(ValidationError, match="Count the ballots"):
        actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.RESULTS)
    from coproduce.budgeting.tasks import run_count

    run_count(actions_voting.count_start(budget=setup.budget, by=setup.staff).pk)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.RESULTS)
    assert (
        Response.objects.filter(contribution=first.contribution)
        .latest("pk")
        .body.startswith("Funded")
    )
    assert (
        Response.objects.filter(contribution=second.contribution)
        .latest("pk")
        .body.startswith("Not funded")
    )
    entry = LedgerEntry.objects.get(type="budget_result")
    assert entry.key == str(setup.budget.pk)
    with pytest.raises(ValidationError, match="cannot be taken back"):
        actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.COUNTING)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.DELIVERY)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.delivery_status, second.delivery_status) == (DeliveryStatus.PLANNED, "")


def test_renaming_a_counted_budget_records_the_new_title_on_the_ledger() -> None:
    """The result names the activity's title: a rename made check_ledger fail."""
    setup = make_voting(costs=(60_000,))
    vote(setup, [setup.proposals[0]])
    close_and_count(setup)
    activity = setup.budget.activity
    service_actions.activity_update(activity=activity, title="Before the results")
    assert not LedgerEntry.objects.filter(type="budget_result").exists()
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.RESULTS)
    service_actions.activity_update(activity=activity, title="Northfield Decides 2027")
    first, correction = LedgerEntry.objects.filter(type="budget_result").order_by("seq")
    assert correction.corrects == first.seq
    assert json.loads(correction.content)["title"] == "Northfield Decides 2027"
    service_actions.activity_update(activity=activity, summary="Only the summary changed.")
    assert LedgerEntry.objects.filter(type="budget_result").count() == 2
    assert isinstance(check_ledger(), Checked)


def test_delivery_news_is_an_answer_to_the_proposer() -> None:
    setup = make_voting(costs=(60_000,))
    (project,) = setup.proposals
    vote(setup, [project])
    close_and_count(setup)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.RESULTS)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.DELIVERY)
    project.refresh_from_db()
    import datetime as dt

    actions.delivery_update_add(
        proposal=project,
        by=setup.staff,
        status=DeliveryStatus.DELIVERED,
        note="The room opened on Monday.",
        on=dt.date(2026, 11, 30),
    )
    project.refresh_from_db()
    assert project.delivery_status == DeliveryStatus.DELIVERED
    page = Client().get(reverse("services:detail", args=[setup.budget.activity.service.slug]))
    assert "Projects residents chose to fund" in page.content.decode()
    assert project.title in page.content.decode()
    assert "The room opened" in project.contribution.responses.latest("pk").body
    with pytest.raises(ValidationError) as caught:
        actions.delivery_update_add(
            proposal=project, by=setup.staff, status="finished", note="", on=dt.date.today()
        )
    assert set(caught.value.message_dict) == {"status", "note"}


# --- Bringing forward ideas and statements ----------------------------------------------------


def test_a_statement_of_an_opinion_map_is_brought_forward_as_a_proposal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    setup = make_budget()
    text = "Secure bike hangars on every estate would cut e-bike theft"
    (statement,) = _statements(setup, text)
    assert statement.kind == "opinion_statement"
    agreed_on_the_map(monkeypatch, statement)
    proposal = actions.proposal_bring_forward(
        budget=setup.budget, by=setup.staff, idea=statement, area=setup.area, estimated_cost=9000
    )
    assert proposal.description == text
    assert proposal.title == text
    assert proposal.from_contribution == statement
    assert proposal.contribution.author == statement.author
    answer = Response.objects.get(contribution=statement)
    assert proposal.reference in answer.body
    with pytest.raises(ValidationError, match="already a proposal"):
        actions.proposal_bring_forward(
            budget=setup.budget, by=setup.staff, idea=statement, area=setup.area, estimated_cost=1
        )


def test_a_statement_not_all_groups_agreed_with_is_not_brought_forward(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    setup = make_budget()
    agreed, divisive = _statements(setup, "Light the canal path", "Close the park at dusk")
    agreed_on_the_map(monkeypatch, agreed)
    with pytest.raises(ValidationError) as refused:
        actions.proposal_bring_forward(
            budget=setup.budget, by=setup.staff, idea=divisive, area=setup.area, estimated_cost=500
        )
    assert "all groups agreed with" in refused.value.message_dict["idea"][0]
    assert not Proposal.objects.filter(from_contribution=divisive).exists()
    assert not Response.objects.filter(contribution=divisive).exists()


def test_hidden_statements_other_kinds_and_other_services_are_not_brought_forward() -> None:
    setup = make_budget()
    hidden, _kept = _statements(setup, "Close the park at dusk", "Light the canal path")
    Contribution.objects.filter(pk=hidden.pk).update(visibility=Visibility.HIDDEN)
    hidden.refresh_from_db()
    proposal = make_proposal(setup, feasibility=None).contribution  # a kind that is not taken
    elsewhere = _statements(make_budget(), "Another service's statement")[0]
    for contribution, message in (
        (hidden, "Only published"),
        (proposal, "Only published"),
        (elsewhere, "own activities"),
    ):
        with pytest.raises(ValidationError, match=message):
            actions.proposal_bring_forward(
                budget=setup.budget,
                by=setup.staff,
                idea=contribution,
                area=setup.area,
                estimated_cost=500,
            )
