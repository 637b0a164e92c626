"""Walks through the participatory-budget pages (issue 10), for axe and the page coverage test.

Imported at the end of ``pages.py``, so the walks join its PUBLIC and STAFF registries. Each walk
makes its own budgets with the factories, in the recovery service that the council's
administrator runs, so that the demo's staff can run them too.
"""

from __future__ import annotations

from typing import Any

from tests.browser.audit import Auditor
from tests.browser.pages import COUNCIL_ADMIN, RECOVERY, RESIDENT, public, staff


def _budget(phase: str = "proposals", **fields: Any) -> Any:
    """A budget of the recovery service with three proposals on its ballot, in ``phase``."""
    from coproduce.budgeting import actions, actions_voting
    from coproduce.budgeting.models import PHASE_ORDER, Phase
    from coproduce.budgeting.tests.factories import make_budget, make_proposal, vote
    from coproduce.services.models import ActivityKind, ActivityState, Service
    from coproduce.services.tests.factories import ActivityFactory

    activity = ActivityFactory(
        service=Service.objects.get(slug=RECOVERY),
        kind=ActivityKind.PARTICIPATORY_BUDGET,
        state=ActivityState.OPEN,
        title="Young people decide: the recovery hub's garden",
    )
    setup = make_budget(activity=activity, **fields)
    for number, cost in enumerate((40_000, 30_000, 20_000), 1):
        make_proposal(setup, cost=cost, title=f"Garden project {number}")
    for step in PHASE_ORDER[1 : PHASE_ORDER.index(phase) + 1]:
        if step == Phase.COUNTING:
            vote(setup, setup.proposals[:2])
        if step == Phase.RESULTS:
            from coproduce.budgeting.tasks import run_count

            count = actions_voting.count_start(budget=setup.budget, by=setup.staff)
            run_count(count.pk)
        actions.phase_set(budget=setup.budget, by=setup.staff, phase=step)
    return setup


@public(
    user=RESIDENT,
    covers={
        "budgeting:budget_detail",
        "budgeting:proposal_create",
        "budgeting:proposal_detail",
        "budgeting:ballot",
        "budgeting:ballot_review",
        "budgeting:ballot_done",
        "budgeting:ballot_code",
        "budgeting:results",
        "budgeting:receipt_check",
        "budgeting:how_counting_works",
    },
)
def a_participatory_budget_as_resident(a: Auditor) -> None:
    proposing = _budget()
    a.goto(proposing.budget.activity.get_absolute_url())
    a.goto(proposing.budget.get_absolute_url(), heading=proposing.budget.activity.title)
    a.goto(a.url("budgeting:proposal_create", proposing.budget.pk), heading="Propose a project")
    a.submit(a.button("Send your proposal"))
    a.errors_shown()
    a.goto(proposing.proposals[0].get_absolute_url(), heading="Garden project 1")

    voting = _budget("voting", codes_may_vote=True, max_choices=2, min_age=16)
    a.goto(a.url("budgeting:ballot", voting.budget.pk), heading="Vote")
    a.submit(a.button("Continue to check your vote"))  # no age confirmed
    a.errors_shown()
    for number in (1, 2, 3):
        a.page.get_by_label(f"Garden project {number}").check()
    a.page.get_by_label("I am 16 or older").check()
    a.submit(a.button("Continue to check your vote"), heading="Check your vote")
    a.errors_shown()  # three projects of two
    a.goto(a.url("budgeting:ballot", voting.budget.pk), heading="Vote")
    a.page.get_by_label("Garden project 3").uncheck()
    a.submit(a.button("Continue to check your vote"), heading="Check your vote")
    a.submit(a.button("Cast my vote"), heading="Your vote is cast")
    a.goto(a.url("budgeting:ballot_code", voting.budget.pk), heading="Vote with a voting code")
    a.field("Your voting code").fill("NOT-A-CODE")
    a.submit(a.button("Continue"))
    a.errors_shown()

    published = _budget("results")
    a.goto(a.url("budgeting:results", published.budget.pk), heading="Results")
    a.goto(a.url("budgeting:receipt_check", published.budget.pk), heading="Check your vote")
    a.submit(a.button("Check"))
    a.errors_shown()
    a.goto(a.url("budgeting:how_counting_works"), heading="How the votes")


@public(user=None, covers={"budgeting:ballot", "budgeting:ballot_code"})
def voting_closed_and_codes_without_an_account(a: Auditor) -> None:
    closed = _budget("counting")
    a.goto(a.url("budgeting:ballot", closed.budget.pk), status=403, heading="Voting has closed")
    codes = _budget("voting", codes_may_vote=True)
    a.goto(a.url("budgeting:ballot", codes.budget.pk), heading="How to vote")
    a.goto(a.url("budgeting:ballot_code", codes.budget.pk), heading="Vote with a voting code")


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "budgeting:manage",
        "budgeting:budget_edit",
        "budgeting:area_add",
        "budgeting:phase_set",
        "budgeting:review_list",
        "budgeting:proposal_review",
        "budgeting:bring_forward",
        "budgeting:codes",
        "budgeting:pb_import",
    },
)
def a_participatory_budget_as_staff(a: Auditor) -> None:
    from coproduce.budgeting.tests.factories import make_proposal

    setup = _budget()
    budget = setup.budget
    waiting = make_proposal(setup, title="Garden project 4", feasibility=None)
    a.goto(a.url("budgeting:manage", budget.activity.pk), heading="Run the budget")
    a.goto(a.url("budgeting:budget_edit", budget.pk), heading="Budget settings")
    a.goto(a.url("budgeting:area_add", budget.pk), heading="Add an area")
    a.submit(a.button("Save"))
    a.errors_shown()
    a.goto(a.url("budgeting:review_list", budget.pk), heading="Review proposals")
    a.goto(a.url("budgeting:proposal_review", waiting.pk), heading="Garden project 4")
    a.submit(a.button("Publish the answer"))
    a.errors_shown()
    a.goto(a.url("budgeting:bring_forward", budget.pk), heading="Bring forward an idea")
    a.goto(a.url("budgeting:codes", budget.pk), heading="Voting codes")
    a.goto(a.url("budgeting:pb_import", budget.pk))
    a.goto(a.url("budgeting:manage", budget.activity.pk), heading="Run the budget")
    a.submit(a.button("Move to the next phase: Feasibility review"), heading="Run the budget")
    # One proposal still waits for its review: voting cannot open, and the page says why.
    a.submit(a.button("Move to the next phase: Voting"), heading="Run the budget")
    a.errors_shown()


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "budgeting:paper_entry",
        "budgeting:count_start",
        "budgeting:count_status",
        "budgeting:delivery_update",
    },
)
def count_and_deliver_a_participatory_budget(a: Auditor) -> None:
    from coproduce.budgeting import actions
    from coproduce.budgeting.models import Phase
    from coproduce.budgeting.tests.factories import vote

    setup = _budget("voting")
    vote(setup, setup.proposals[:2])
    a.goto(a.url("budgeting:paper_entry", setup.budget.pk), heading="Paper ballots")
    a.submit(a.button("Save this typing"))
    a.errors_shown()
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.COUNTING)
    a.goto(a.url("budgeting:manage", setup.budget.activity.pk), heading="Run the budget")
    a.submit(a.button("Count the votes"), heading="Counting the votes")
    delivered = _budget("delivery")
    funded = delivered.budget.proposals.exclude(delivery_status="").first()
    assert funded is not None
    a.goto(a.url("budgeting:delivery_update", funded.pk), heading=funded.title)
