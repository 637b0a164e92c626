"""Test data for participatory budgets, made through the real actions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.budgeting import actions, actions_voting
from coproduce.budgeting.models import Area, Budget, Feasibility, Phase, Proposal
from coproduce.contributions import kinds
from coproduce.contributions.models import Contribution
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of


@dataclass
class BudgetSetup:
    """A budget with its staff member, its areas and the proposals on its ballot."""

    budget: Budget
    staff: User
    areas: list[Area]
    proposals: list[Proposal] = field(default_factory=list)

    @property
    def area(self) -> Area:
        return self.areas[0]


def make_budget(
    *,
    areas: Sequence[tuple[str, int]] = (("Whole borough", 100_000),),
    state: str = ActivityState.OPEN,
    activity: Any = None,
    **fields: Any,
) -> BudgetSetup:
    """A budget in its proposals phase, with an open activity and a professional who runs it."""
    if activity is None:
        activity = ActivityFactory(kind=ActivityKind.PARTICIPATORY_BUDGET, state=state)
    staff = staff_of(activity)
    budget = actions.budget_create(activity=activity, by=staff, areas=areas, **fields)
    return BudgetSetup(budget=budget, staff=staff, areas=list(budget.areas.order_by("pk")))


def make_proposal(
    setup: BudgetSetup,
    *,
    cost: int = 10_000,
    title: str = "",
    area: Area | None = None,
    author: User | None = None,
    feasibility: str | None = Feasibility.FEASIBLE,
) -> Proposal:
    """A proposal by a new resident, reviewed as ``feasibility`` (None: left waiting)."""
    budget = setup.budget
    number = budget.proposals.count() + 1
    proposal = actions.proposal_create(
        budget=budget,
        author=author or UserFactory(),
        area=area or setup.area,
        title=title or f"Project {number}",
        description=f"What project {number} would do.",
        estimated_cost=cost,
    )
    if feasibility is not None:
        extra: dict[str, Any] = {}
        if feasibility == Feasibility.NOT_FEASIBLE:
            extra["reason"] = "The land is not the council's."
        proposal = actions.proposal_review(
            proposal=proposal, by=setup.staff, feasibility=feasibility, **extra
        )
    setup.proposals.append(proposal)
    return proposal


def make_voting(
    costs: Sequence[int] = (40_000, 30_000, 30_000, 20_000), **fields: Any
) -> BudgetSetup:
    """A budget in its voting phase with one feasible proposal per cost."""
    setup = make_budget(**fields)
    for cost in costs:
        make_proposal(setup, cost=cost)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.REVIEW)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.VOTING)
    return setup


def vote(
    setup: BudgetSetup,
    choices: Mapping[Proposal, int] | Sequence[Proposal],
    voter: User | None = None,
) -> actions_voting.Cast:
    """Cast a ballot for a new (or the given) resident: {proposal: value} or a list (value 1)."""
    values = choices if isinstance(choices, Mapping) else dict.fromkeys(choices, 1)
    return actions_voting.ballot_cast(
        budget=setup.budget,
        area=next(iter(values)).area if values else setup.area,
        choices={proposal.pk: value for proposal, value in values.items()},
        voter=voter or UserFactory(),
        age_confirmed=True,
    )


def close_and_count(setup: BudgetSetup) -> Any:
    """Close voting and count at once (the task's code, without the queue)."""
    from coproduce.budgeting.tasks import run_count

    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.COUNTING)
    count = actions_voting.count_start(budget=setup.budget, by=setup.staff)
    return run_count(count.pk)


def agreed_on_the_map(monkeypatch: pytest.MonkeyPatch, *statements: Contribution) -> None:
    """As if the latest map of their opinion map had these statements in its consensus: the
    statement kind's ``agreed`` stands in for the map, for this test only (budgeting does not
    import conversations; tests/spine/test_budget_bring_forward.py uses a real map)."""
    pks = {statement.pk for statement in statements}
    spec = kinds.get_kind(kinds.OPINION_STATEMENT)
    monkeypatch.setitem(
        kinds._KINDS, kinds.OPINION_STATEMENT, replace(spec, agreed=lambda asked: pks & set(asked))
    )
