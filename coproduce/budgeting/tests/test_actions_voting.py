"""The writes of a participatory budget's vote: ballots of each kind, eligibility, voting codes,
paper ballots typed twice, and counting."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from coproduce.accounts.tests.factories import UserFactory
from coproduce.budgeting import actions, actions_voting
from coproduce.budgeting.models import Ballot, BallotSource, BallotType, Phase
from coproduce.budgeting.tests.factories import make_budget, make_proposal, make_voting, vote
from coproduce.services.models import ActivityState

pytestmark = pytest.mark.django_db


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
    assert ballot.public_id == actions_voting.public_id_for(second.receipt)
    assert list(ballot.choices.values_list("proposal", flat=True)) == [c.pk]
    assert not Ballot.objects.filter(public_id=actions_voting.public_id_for(first.receipt)).exists()


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
        actions_voting.ballot_cast(
            budget=setup.budget,
            area=setup.areas[0],
            choices={north.pk: 1, south.pk: 1},
            voter=UserFactory(),
        )


def test_eligibility_postcode_and_age() -> None:
    setup = make_voting(postcode_prefixes="NF1 NF2", min_age=11)
    with pytest.raises(ValidationError) as caught:
        actions_voting.ballot_cast(
            budget=setup.budget,
            area=setup.area,
            choices={setup.proposals[0].pk: 1},
            voter=UserFactory(),
            postcode="EV3 1AA",
        )
    assert set(caught.value.message_dict) == {"postcode", "age_confirmed"}
    cast = actions_voting.ballot_cast(
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
    raw = actions_voting.codes_generate(budget=setup.budget, by=setup.staff, count=3)
    assert len(set(raw)) == 3
    assert setup.budget.codes.count() == 3
    assert all(
        raw_code not in code.code_hash for raw_code in raw for code in setup.budget.codes.all()
    )
    code = actions_voting.code_find(setup.budget, raw[0].lower())
    for proposal in setup.proposals[:2]:
        actions_voting.ballot_cast(
            budget=setup.budget, area=setup.area, choices={proposal.pk: 1}, code=code
        )
    assert Ballot.objects.filter(code=code).count() == 1
    other = make_voting(codes_may_vote=True)
    with pytest.raises(ValidationError):
        actions_voting.code_find(other.budget, raw[1])
    with pytest.raises(ValidationError):
        actions_voting.codes_generate(budget=setup.budget, by=setup.staff, count=0)


# --- Paper ballots, typed twice ----------------------------------------------------------------


def test_a_paper_ballot_counts_once_when_two_people_type_it_the_same() -> None:
    setup = make_voting()
    a, b, *_ = setup.proposals
    second_typist = actions_staff(setup)
    first = actions_voting.paper_entry_add(
        budget=setup.budget,
        by=setup.staff,
        paper_reference="y-0042",
        area=setup.area,
        choices={a.pk: 1, b.pk: 1},
    )
    assert first.ballot is None
    assert not first.mismatch
    with pytest.raises(ValidationError, match="different person"):
        actions_voting.paper_entry_add(
            budget=setup.budget,
            by=setup.staff,
            paper_reference="Y-0042",
            area=setup.area,
            choices={a.pk: 1, b.pk: 1},
        )
    second = actions_voting.paper_entry_add(
        budget=setup.budget,
        by=second_typist,
        paper_reference="Y-0042",
        area=setup.area,
        choices={b.pk: 1, a.pk: 1},
    )
    assert second.ballot is not None
    assert second.ballot.source == BallotSource.PAPER
    with pytest.raises(ValidationError, match="counted already"):
        actions_voting.paper_entry_add(
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
    actions_voting.paper_entry_add(
        budget=setup.budget, by=setup.staff, paper_reference="7", area=setup.area, choices={a.pk: 1}
    )
    result = actions_voting.paper_entry_add(
        budget=setup.budget,
        by=actions_staff(setup),
        paper_reference="7",
        area=setup.area,
        choices={b.pk: 1},
    )
    assert result.mismatch
    assert result.ballot is None
    assert not setup.budget.ballots.exists()
    actions_voting.paper_entry_delete(entry=result.entry, by=setup.staff)
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
    count = actions_voting.count_start(budget=setup.budget, by=setup.staff)
    assert actions_voting.count_start(budget=setup.budget, by=setup.staff) == count
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
        actions_voting.count_start(budget=setup.budget, by=setup.staff)
