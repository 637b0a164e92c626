"""Who may see, propose, vote in, review and count a participatory budget, in which phase.

A budget is seen with its activity. Residents propose while the budget is in its proposals phase
and the activity is open; they vote in the voting phase if the budget lets them (account,
postcode area, code). Setting up, feasibility review, phases, codes, paper ballots, counting and
delivery updates are for the people who run the service's activities; answering a proposal is
for those who may answer (administrators and professionals), as everywhere on the spine.
"""

from __future__ import annotations

from coproduce.accounts.types import Visitor
from coproduce.budgeting.models import PHASE_ORDER, PROPOSAL, Budget, Phase, Proposal
from coproduce.contributions.rules import can_answer, can_contribute, can_view_contribution
from coproduce.services.models import ActivityState
from coproduce.services.rules import can_manage_activity, can_view_activity


def can_view_budget(user: Visitor, budget: Budget) -> bool:
    return can_view_activity(user, budget.activity)


def can_manage_budget(user: Visitor, budget: Budget) -> bool:
    """Set up, review, open and close phases, codes, paper ballots, counting, delivery."""
    return can_manage_activity(user, budget.activity)


# The settings ballots are cast on (the money's currency with them): fixed once voting opens.
BALLOT_SETTINGS = ("currency", "ballot_type", "min_choices", "max_choices", "points", "rule")


def ballot_may_change(budget: Budget) -> bool:
    """What is on offer — the areas and their money, the proposals on the ballot, the kind of
    ballot and the rule — changes only until voting opens: ballots are cast on it (decision
    0121). Voting cannot go back to review once a ballot is in, so this holds from then on."""
    return PHASE_ORDER.index(budget.phase) < PHASE_ORDER.index(Phase.VOTING)


def can_review(user: Visitor, proposal: Proposal) -> bool:
    """Publish a feasibility answer: those who may answer contributions of the service."""
    return can_answer(user, proposal.contribution)


def can_propose(user: Visitor, budget: Budget) -> bool:
    return budget.phase == Phase.PROPOSALS and can_contribute(user, budget.activity, PROPOSAL)


def can_view_proposal(user: Visitor, proposal: Proposal) -> bool:
    return can_view_contribution(user, proposal.contribution)


def voting_open(budget: Budget) -> bool:
    activity = budget.activity
    return (
        budget.phase == Phase.VOTING
        and activity.state == ActivityState.OPEN
        and activity.service.is_published
    )


def can_vote_online(user: Visitor, budget: Budget) -> bool:
    """Signed-in people may vote (their postcode is checked on the ballot)."""
    return bool(user.is_authenticated and budget.accounts_may_vote and voting_open(budget))


def can_vote_with_code(budget: Budget) -> bool:
    return budget.codes_may_vote and voting_open(budget)


def can_view_results(user: Visitor, budget: Budget) -> bool:
    """Published once staff move the budget to its results phase; staff see a count at once."""
    if budget.phase in (Phase.RESULTS, Phase.DELIVERY):
        return can_view_budget(user, budget)
    return can_manage_budget(user, budget)


def can_export(user: Visitor, budget: Budget) -> bool:
    """The open data (.pb, ballots and projects as CSV): with the results; an imported budget's
    always, as long as its activity can be seen (its file was public already)."""
    if budget.imported:
        return can_view_budget(user, budget)
    if budget.phase in (Phase.RESULTS, Phase.DELIVERY):
        return can_view_budget(user, budget)
    # Staff check the count before publishing it; never while voting (no running tallies).
    return budget.phase == Phase.COUNTING and can_manage_budget(user, budget)
