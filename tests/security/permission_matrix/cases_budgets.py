"""Participatory budgets: the pages, and the cases of the budgets API (test_budget_api_matrix)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coproduce.contributions.tests.world import World
from tests.security.permission_matrix.common import (
    API_NOTHING,
    API_OWNER_MEMBERS,
    API_PUBLIC,
    API_STAFF_RESULTS,
    API_VOTE_CLOSED,
    API_WITH_TOKEN,
    CLOSED_TO_ALL,
    DENIED,
    DRAFT_ACTIVITY_STAFF,
    DRAFT_TAKE_PART,
    HIDDEN,
    MANAGE_SERVICE,
    OK,
    OWNER_MEMBERS,
    PUBLIC,
    RUN_ACTIVITIES,
    SIGNED_IN,
    STAFF_ONLY_HIDDEN,
    ApiCase,
    Case,
    api_row,
    nothing,
    posted,
    row,
)


# --- Participatory budgets (issue 10): every page of coproduce/budgeting/urls.py by phase, from
# budgeting/rules.py. Budgets of the published service are public once their activity opens; a
# draft activity's budget is not there to outsiders (404). Residents propose in the proposals
# phase and vote in the voting phase (with an account, or with a code where codes vote); voting
# not open is refused to everyone (403, no sign-in: it would not help). Results are public in the
# results phase, and for the budget's staff as soon as a count is done. Staff pages: those who run
# the service's activities; feasibility answers and delivery news: those who answer.
def budget_made(w: World, which: str) -> Any:
    """A budget of the world's published service in one state, made once per world:
    "proposals" (a proposal waits for review), "draft" (a draft activity), "voting" (accounts
    vote), "codes" (only voting codes vote), "counting" (voting closed, nothing counted),
    "counted" (counted, not published), "results" (published) and "delivery"."""
    made = w.people.setdefault("_budgeting", {})
    if which not in made:
        from coproduce.budgeting import actions as budgeting
        from coproduce.budgeting.models import Phase
        from coproduce.budgeting.tests.factories import (
            close_and_count,
            make_budget,
            make_proposal,
            make_voting,
            vote,
        )
        from coproduce.services.models import ActivityKind, ActivityState
        from coproduce.services.tests.factories import ActivityFactory

        state = ActivityState.DRAFT if which == "draft" else ActivityState.OPEN
        activity = ActivityFactory(
            service=w.service, kind=ActivityKind.PARTICIPATORY_BUDGET, state=state
        )
        if which in ("proposals", "draft"):
            setup = make_budget(activity=activity)
            if which == "proposals":
                make_proposal(setup, feasibility=None)
        else:
            codes = which == "codes"
            setup = make_voting(
                activity=activity, accounts_may_vote=not codes, codes_may_vote=codes
            )
        if which in ("counting", "counted", "results", "delivery"):
            vote(setup, setup.proposals[:2])
            if which == "counting":
                budgeting.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.COUNTING)
            else:
                close_and_count(setup)
        for phase in {"results": [Phase.RESULTS], "delivery": [Phase.RESULTS, Phase.DELIVERY]}.get(
            which, []
        ):
            budgeting.phase_set(budget=setup.budget, by=setup.staff, phase=phase)
        made[which] = setup
    return made[which]


def budget(which: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": budget_made(w, which).budget.pk}


def budget_activity(which: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": budget_made(w, which).budget.activity_id}


def budget_proposal(which: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": budget_made(w, which).budget.proposals.order_by("pk")[0].pk}


def hidden_budget_proposal(w: World) -> dict[str, Any]:
    from coproduce.contributions.actions import moderation_hide

    setup = budget_made(w, "voting")
    proposal = setup.proposals[-1]
    moderation_hide(contribution=proposal.contribution, moderator=setup.staff)
    return {"pk": proposal.pk}


def latest_count(w: World) -> dict[str, Any]:
    return {"pk": budget_made(w, "counted").budget.counts.get().pk}


def an_activity_without_budget(w: World) -> dict[str, Any]:
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    activity = ActivityFactory(
        service=w.service, kind=ActivityKind.PARTICIPATORY_BUDGET, state=ActivityState.OPEN
    )
    return {"pk": activity.pk}


def ballot_choice(w: World) -> dict[str, Any]:
    setup = budget_made(w, "voting")
    return {"area": setup.area.pk, "projects": [setup.proposals[0].pk]}


def a_receipt(w: World) -> dict[str, Any]:
    return {"receipt": "ABCD-EFGH-JKLM"}


VOTING_CLOSED = row(DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED)
CODES_ONLY = row(OK, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED)
# The activity's staff (and its budget's results before they are published).
RUN_BUDGET = RUN_ACTIVITIES
ANSWER_PROPOSALS = MANAGE_SERVICE
BUDGET_CASES = [
    # Public pages
    Case("budgeting:budget_detail", budget("proposals"), PUBLIC),
    Case("budgeting:budget_detail", budget("results"), PUBLIC, label="results"),
    Case("budgeting:budget_detail", budget("draft"), OWNER_MEMBERS, label="draft"),
    Case("budgeting:how_counting_works", nothing, PUBLIC),
    Case("budgeting:proposal_create", budget("proposals"), SIGNED_IN),
    Case("budgeting:proposal_create", budget("voting"), CLOSED_TO_ALL, label="voting"),
    Case("budgeting:proposal_create", budget("draft"), DRAFT_TAKE_PART, label="draft"),
    Case("budgeting:proposal_detail", budget_proposal("proposals"), PUBLIC),
    Case(
        "budgeting:proposal_detail",
        hidden_budget_proposal,
        row(HIDDEN, HIDDEN, OK, OK, HIDDEN, OK, OK),
        label="hidden",
    ),
    Case("budgeting:ballot", budget("voting"), SIGNED_IN),
    Case(
        "budgeting:ballot",
        budget("voting"),
        SIGNED_IN,
        method="post",
        data=ballot_choice,
        label="post",
    ),
    Case("budgeting:ballot", budget("codes"), CODES_ONLY, label="codes only"),
    Case("budgeting:ballot", budget("proposals"), VOTING_CLOSED, label="not open yet"),
    Case("budgeting:ballot", budget("results"), VOTING_CLOSED, label="closed"),
    Case("budgeting:ballot", budget("draft"), DRAFT_TAKE_PART, label="draft"),
    Case("budgeting:ballot_review", budget("voting"), SIGNED_IN),
    Case("budgeting:ballot_review", budget("results"), VOTING_CLOSED, label="closed"),
    Case("budgeting:ballot_done", budget("voting"), PUBLIC),
    Case("budgeting:ballot_code", budget("codes"), PUBLIC),
    Case(
        "budgeting:ballot_code",
        budget("codes"),
        PUBLIC,
        method="post",
        data=posted(code="ABCD-EFGH-JKLM"),
        label="post",
    ),
    Case("budgeting:ballot_code", budget("voting"), VOTING_CLOSED, label="accounts only"),
    Case("budgeting:ballot_code", budget("draft"), DRAFT_TAKE_PART, label="draft"),
    Case("budgeting:results", budget("results"), PUBLIC),
    Case("budgeting:results", budget("delivery"), PUBLIC, label="delivery"),
    Case("budgeting:results", budget("counted"), RUN_BUDGET, label="counted"),
    Case("budgeting:results", budget("voting"), RUN_BUDGET, label="voting"),
    Case("budgeting:receipt_check", budget("results"), PUBLIC),
    Case(
        "budgeting:receipt_check",
        budget("results"),
        PUBLIC,
        method="post",
        data=a_receipt,
        label="post",
    ),
    Case("budgeting:receipt_check", budget("draft"), OWNER_MEMBERS, label="draft"),
    # Open data: the anonymised ballots and the projects, once the result is published
    # (rules.can_export); before, only for those who see the result, and not there to others.
    Case("budgeting:export_pb", budget("results"), PUBLIC),
    Case("budgeting:export_pb", budget("counted"), STAFF_ONLY_HIDDEN, label="counted"),
    # Never while voting, not even for staff: no running tallies.
    Case("budgeting:export_pb", budget("voting"), row(*[HIDDEN] * 7), label="voting"),
    Case("budgeting:ballots_csv", budget("voting"), row(*[HIDDEN] * 7), label="voting"),
    Case("budgeting:ballots_csv", budget("results"), PUBLIC),
    Case("budgeting:ballots_csv", budget("counted"), STAFF_ONLY_HIDDEN, label="counted"),
    Case("budgeting:projects_csv", budget("results"), PUBLIC),
    Case("budgeting:projects_csv", budget("counted"), STAFF_ONLY_HIDDEN, label="counted"),
    # Staff pages ("manage" takes the activity, with or without its budget yet)
    Case("budgeting:manage", budget_activity("proposals"), RUN_BUDGET),
    Case("budgeting:manage", an_activity_without_budget, RUN_BUDGET, label="no budget yet"),
    Case("budgeting:manage", budget_activity("draft"), DRAFT_ACTIVITY_STAFF, label="draft"),
    Case("budgeting:budget_edit", budget("proposals"), RUN_BUDGET),
    Case("budgeting:budget_edit", budget("draft"), DRAFT_ACTIVITY_STAFF, label="draft"),
    Case("budgeting:area_add", budget("proposals"), RUN_BUDGET),
    Case(
        "budgeting:phase_set",
        budget("proposals"),
        RUN_BUDGET,
        method="post",
        data=posted(phase="review"),
    ),
    Case("budgeting:review_list", budget("proposals"), RUN_BUDGET),
    Case("budgeting:review_list", budget("draft"), DRAFT_ACTIVITY_STAFF, label="draft"),
    Case("budgeting:proposal_review", budget_proposal("proposals"), ANSWER_PROPOSALS),
    Case("budgeting:bring_forward", budget("proposals"), RUN_BUDGET),
    Case("budgeting:codes", budget("codes"), RUN_BUDGET),
    Case("budgeting:paper_entry", budget("voting"), RUN_BUDGET),
    Case("budgeting:count_start", budget("counting"), RUN_BUDGET, method="post"),
    Case("budgeting:count_status", latest_count, RUN_BUDGET),
    Case("budgeting:delivery_update", budget_proposal("delivery"), ANSWER_PROPOSALS),
    Case("budgeting:pb_import", budget("proposals"), RUN_BUDGET),
]


# The budgets API (coproduce/api/budgets.py), with each role's token: 401 without one on what
# needs it, 404 for what the caller may not see, 403 where the budget takes no votes from
# accounts, 422 (a rule) where voting is not open. `which` is the budget, as budget_made names it.
BUDGET_API_CASES = [
    ApiCase("get", "/api/budgets", "proposals", API_PUBLIC),
    ApiCase("get", "/api/budgets/{budget_id}", "proposals", API_PUBLIC),
    ApiCase("get", "/api/budgets/{budget_id}", "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("get", "/api/budgets/{budget_id}/projects", "proposals", API_PUBLIC),
    ApiCase("get", "/api/budgets/{budget_id}/projects", "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("get", "/api/budgets/{budget_id}/results", "results", API_PUBLIC),
    ApiCase("get", "/api/budgets/{budget_id}/results", "counted", API_STAFF_RESULTS, "counted"),
    ApiCase("get", "/api/budgets/{budget_id}/results", "voting", API_NOTHING, "voting"),
    ApiCase("get", "/api/budgets/{budget_id}/ballot", "voting", API_WITH_TOKEN),
    ApiCase(
        "get",
        "/api/budgets/{budget_id}/ballot",
        "draft",
        api_row(401, 404, 200, 200, 404, 200, 200),
        "draft",
    ),
    ApiCase("put", "/api/budgets/{budget_id}/ballot", "voting", API_WITH_TOKEN),
    ApiCase(
        "put",
        "/api/budgets/{budget_id}/ballot",
        "codes",
        api_row(401, 403, 403, 403, 403, 403, 403),
        "codes only",
    ),
    ApiCase("put", "/api/budgets/{budget_id}/ballot", "proposals", API_VOTE_CLOSED, "not open"),
    ApiCase("put", "/api/budgets/{budget_id}/ballot", "results", API_VOTE_CLOSED, "closed"),
    ApiCase(
        "put",
        "/api/budgets/{budget_id}/ballot",
        "draft",
        api_row(401, 404, 422, 422, 404, 422, 422),
        "draft",
    ),
]
