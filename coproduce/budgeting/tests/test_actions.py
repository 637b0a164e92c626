"""The writes of a participatory budget: proposals and their answers, phases, ballots of each
kind, codes, paper ballots typed twice, and delivery."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory
from coproduce.budgeting import actions
from coproduce.budgeting.models import (
    Ballot,
    BallotSource,
    BallotType,
    DeliveryStatus,
    Feasibility,
    Phase,
    Proposal,
)
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
    actions.paper_entry_add(  # typed once: not a ballot yet, but cast on this ballot
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

    run_count(actions.count_start(budget=setup.budget, by=setup.staff).pk)
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


# --- Ballots -----------------------------------------------------------------------------------


def test_changing_a_ballot_replaces_it_with_a_new_receipt() -> None:
    setup = make_voting()
    a, b, c, _d = setup.proposals
    voter = UserFactory()
    first = vote(setup, [a, b], voter=voter)
    second = vote(setup, [c], voter=voter)
    assert second.changed
    assert not first.changed
    assert second.receipt != first.receipt
    ballot = Ballot.objects.get(budget=setup.budget, voter=voter)
    assert ballot.public_id == actions.public_id_for(second.receipt)
    assert list(ballot.choices.values_list("proposal", flat=True)) == [c.pk]
    assert not Ballot.objects.filter(public_id=actions.public_id_for(first.receipt)).exists()


def test_the_database_allows_one_ballot_per_voter() -> None:
    setup = make_voting()
    cast = vote(setup, setup.proposals[:1])
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(
            budget=setup.budget,
            area=setup.area,
            voter=cast.ballot.voter,
            source=BallotSource.ONLINE,
            public_id="another",
        )


@pytest.mark.parametrize(
    ("fields", "values", "message"),
    [
        ({"max_choices": 2}, (1, 1, 1), "no more than 2 projects: take 1 off"),
        ({"min_choices": 2}, (1,), "at least 2 projects"),
        ({"ballot_type": BallotType.KNAPSACK}, (1, 1, 1, 1), "take off projects worth"),
        ({"ballot_type": BallotType.CUMULATIVE, "points": 5}, (3, 3), "take 1 off"),
        ({"ballot_type": BallotType.RANKING, "max_choices": 3}, (1, 3), "each number once"),
        ({"ballot_type": BallotType.RANKING, "max_choices": 3}, (1, 1), "each number once"),
    ],
)
def test_a_ballot_that_breaks_the_rules_says_how_to_fix_it(
    fields: dict[str, Any], values: tuple[int, ...], message: str
) -> None:
    setup = make_voting(**fields)
    choices = dict(zip(setup.proposals, values, strict=False))
    with pytest.raises(ValidationError) as caught:
        vote(setup, choices)
    assert message in " ".join(caught.value.message_dict["choices"])
    assert not Ballot.objects.exists()


def test_a_ballot_within_the_rules_of_each_kind_is_cast() -> None:
    cases: list[tuple[dict[str, Any], tuple[int, ...]]] = [
        ({"ballot_type": BallotType.KNAPSACK}, (1, 1, 1)),  # 100,000 of 100,000
        ({"ballot_type": BallotType.CUMULATIVE, "points": 5}, (3, 2)),
        ({"ballot_type": BallotType.RANKING, "max_choices": 3}, (2, 1, 3)),
    ]
    for fields, values in cases:
        setup = make_voting(**fields)
        cast = vote(setup, dict(zip(setup.proposals, values, strict=False)))
        stored = dict(cast.ballot.choices.values_list("proposal", "value"))
        assert stored == {p.pk: v for p, v in zip(setup.proposals, values, strict=False)}


def test_a_project_of_another_area_is_not_on_the_ballot() -> None:
    setup = make_budget(areas=(("North", 50_000), ("South", 50_000)))
    north = make_proposal(setup, area=setup.areas[0])
    south = make_proposal(setup, area=setup.areas[1])
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.REVIEW)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.VOTING)
    with pytest.raises(ValidationError, match="not on this ballot"):
        actions.ballot_cast(
            budget=setup.budget,
            area=setup.areas[0],
            choices={north.pk: 1, south.pk: 1},
            voter=UserFactory(),
        )


def test_eligibility_postcode_and_age() -> None:
    setup = make_voting(postcode_prefixes="NF1 NF2", min_age=11)
    with pytest.raises(ValidationError) as caught:
        actions.ballot_cast(
            budget=setup.budget,
            area=setup.area,
            choices={setup.proposals[0].pk: 1},
            voter=UserFactory(),
            postcode="EV3 1AA",
        )
    assert set(caught.value.message_dict) == {"postcode", "age_confirmed"}
    cast = actions.ballot_cast(
        budget=setup.budget,
        area=setup.area,
        choices={setup.proposals[0].pk: 1},
        voter=UserFactory(),
        postcode="nf2 4ab",
        age_confirmed=True,
    )
    assert cast.ballot.postcode_district == "NF2"


def test_nobody_votes_when_voting_is_not_open() -> None:
    setup = make_budget()
    proposal = make_proposal(setup)
    with pytest.raises(PermissionDenied):
        vote(setup, [proposal])
    voting = make_voting(state=ActivityState.OPEN)
    actions.phase_set(budget=voting.budget, by=voting.staff, phase=Phase.COUNTING)
    with pytest.raises(PermissionDenied):
        vote(voting, voting.proposals[:1])


def test_a_voting_code_casts_one_ballot_and_only_in_its_budget() -> None:
    setup = make_voting(codes_may_vote=True)
    raw = actions.codes_generate(budget=setup.budget, by=setup.staff, count=3)
    assert len(set(raw)) == 3
    assert setup.budget.codes.count() == 3
    assert all(
        raw_code not in code.code_hash for raw_code in raw for code in setup.budget.codes.all()
    )
    code = actions.code_find(setup.budget, raw[0].lower())
    for proposal in setup.proposals[:2]:
        actions.ballot_cast(
            budget=setup.budget, area=setup.area, choices={proposal.pk: 1}, code=code
        )
    assert Ballot.objects.filter(code=code).count() == 1
    other = make_voting(codes_may_vote=True)
    with pytest.raises(ValidationError):
        actions.code_find(other.budget, raw[1])
    with pytest.raises(ValidationError):
        actions.codes_generate(budget=setup.budget, by=setup.staff, count=0)


# --- Paper ballots, typed twice ----------------------------------------------------------------


def test_a_paper_ballot_counts_once_when_two_people_type_it_the_same() -> None:
    setup = make_voting()
    a, b, *_ = setup.proposals
    second_typist = actions_staff(setup)
    first = actions.paper_entry_add(
        budget=setup.budget,
        by=setup.staff,
        paper_reference="y-0042",
        area=setup.area,
        choices={a.pk: 1, b.pk: 1},
    )
    assert first.ballot is None
    assert not first.mismatch
    with pytest.raises(ValidationError, match="different person"):
        actions.paper_entry_add(
            budget=setup.budget,
            by=setup.staff,
            paper_reference="Y-0042",
            area=setup.area,
            choices={a.pk: 1, b.pk: 1},
        )
    second = actions.paper_entry_add(
        budget=setup.budget,
        by=second_typist,
        paper_reference="Y-0042",
        area=setup.area,
        choices={b.pk: 1, a.pk: 1},
    )
    assert second.ballot is not None
    assert second.ballot.source == BallotSource.PAPER
    with pytest.raises(ValidationError, match="counted already"):
        actions.paper_entry_add(
            budget=setup.budget,
            by=actions_staff(setup),
            paper_reference="Y-0042",
            area=setup.area,
            choices={a.pk: 1},
        )
    assert setup.budget.ballots.count() == 1


def test_paper_typings_that_differ_are_a_mismatch_and_not_counted() -> None:
    setup = make_voting()
    a, b, *_ = setup.proposals
    actions.paper_entry_add(
        budget=setup.budget, by=setup.staff, paper_reference="7", area=setup.area, choices={a.pk: 1}
    )
    result = actions.paper_entry_add(
        budget=setup.budget,
        by=actions_staff(setup),
        paper_reference="7",
        area=setup.area,
        choices={b.pk: 1},
    )
    assert result.mismatch
    assert result.ballot is None
    assert not setup.budget.ballots.exists()
    actions.paper_entry_delete(entry=result.entry, by=setup.staff)
    assert setup.budget.paper_entries.count() == 1


def actions_staff(setup: Any) -> Any:
    """Another member of staff of the organisation that runs the budget."""
    from coproduce.services.tests.factories import staff_of

    return staff_of(setup.budget.activity)


# --- Counting ----------------------------------------------------------------------------------


def test_a_count_runs_once_at_a_time_and_a_rerun_gives_the_same_result() -> None:
    from coproduce.budgeting.tasks import run_count

    setup = make_voting()
    vote(setup, setup.proposals[:2])
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.COUNTING)
    count = actions.count_start(budget=setup.budget, by=setup.staff)
    assert actions.count_start(budget=setup.budget, by=setup.staff) == count
    done = run_count(count.pk)
    assert done is not None
    assert done.status == "done"
    first = done.result
    from coproduce.budgeting.models import Count

    Count.objects.filter(pk=count.pk).update(status="running")  # as if its worker was killed
    again = run_count(count.pk)
    assert again is not None
    assert again.result == first
    assert again.ballot_count == 1


def test_counting_needs_voting_closed() -> None:
    setup = make_voting()
    with pytest.raises(ValidationError, match="Close voting"):
        actions.count_start(budget=setup.budget, by=setup.staff)


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
