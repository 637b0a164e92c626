"""A budget's writes at once on PostgreSQL (decision 0140): two first typings of one paper ballot
make the ballot, a ballot sent as voting closes is refused rather than stored uncounted, and an
idea brought forward twice at once is one proposal. SQLite writes one transaction at a time, so
these run on PostgreSQL only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.budgeting import actions, actions_voting
from coproduce.budgeting.models import Ballot, Budget, Phase, Proposal
from coproduce.budgeting.tests.factories import BudgetSetup, make_budget, make_voting, vote
from coproduce.budgeting.tests.staff_pages import signed_in
from coproduce.common.tests.concurrency import Behind, in_progress, only_on_postgresql
from coproduce.contributions.models import Contribution
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of


def _idea(setup: BudgetSetup) -> Contribution:
    """An idea posted through the idea challenge's own pages, in the budget's service (budgeting
    does not import codesign)."""
    challenge = ActivityFactory(
        kind=ActivityKind.IDEA_CHALLENGE,
        state=ActivityState.OPEN,
        service=setup.budget.activity.service,
    )
    posted = signed_in(UserFactory()).post(
        reverse("codesign:idea_create", args=[challenge.pk]),
        {
            "title": "A youth club",
            "description": "Open on Fridays.",
            "author_display": "first_name",
        },
    )
    assert posted.status_code == 302
    return Contribution.objects.get(kind="idea", activity=challenge)


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_first_typings_of_one_paper_ballot_at_once_make_the_ballot() -> None:
    """Decision 0140: the second typing waits for the first, finds it and makes the ballot."""
    setup = make_voting()
    first, second = setup.proposals[:2]
    colleague = staff_of(setup.budget.activity)

    def typing(by: User) -> actions_voting.PaperResult:
        return actions_voting.paper_entry_add(
            budget=setup.budget,
            by=by,
            paper_reference="P-7",
            area=setup.area,
            choices={first.pk: 1, second.pk: 1},
        )

    with in_progress(lambda: typing(setup.staff)):
        behind = Behind(lambda: typing(colleague))
    result = behind.result()
    assert isinstance(result, actions_voting.PaperResult)
    assert result.ballot is not None
    assert not result.mismatch
    assert Ballot.objects.filter(budget=setup.budget, paper_reference="P-7").count() == 1


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_ballot_sent_as_voting_closes_waits_then_is_refused() -> None:
    """Decision 0140: the ballot waits for the close, then is refused, not stored uncounted."""
    setup = make_voting()
    voter = UserFactory()
    closing = Budget.objects.get(pk=setup.budget.pk)  # the staff's request reads its own copy
    with in_progress(
        lambda: actions.phase_set(budget=closing, by=setup.staff, phase=Phase.COUNTING)
    ):
        late = Behind(lambda: vote(setup, setup.proposals[:1], voter=voter))
    with pytest.raises(PermissionDenied):
        late.result()
    with pytest.raises(PermissionDenied):
        vote(setup, setup.proposals[:1], voter=voter)
    assert not Ballot.objects.filter(budget=setup.budget, voter=voter).exists()


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_same_idea_brought_forward_twice_at_once_is_one_proposal() -> None:
    """Decision 0140: the second waits for the first, then is refused as already a proposal."""
    setup = make_budget()
    idea = _idea(setup)

    def bring_forward() -> Proposal:
        return actions.proposal_bring_forward(
            budget=setup.budget, by=setup.staff, idea=idea, area=setup.area, estimated_cost=8000
        )

    with in_progress(bring_forward):
        second = Behind(bring_forward)
    with pytest.raises(ValidationError, match="already a proposal"):
        second.result()
    assert Proposal.objects.filter(from_contribution=idea).count() == 1
