"""The permission matrix's vocabulary and set-up: the answer each role expects for each kind of
write (rows such as MANAGE_SERVICE or TAKE_PART), the Write record, and the builders of what the
writes of test_auth.WRITES need in the world (commissioning rounds, bids and weightings, outcome
indicators, a passed panel recommendation, conversations, budget ballots)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from coproduce.api.tests.client import Api
from coproduce.contributions.tests.world import ROLES, World

# --- Who may: the answer each role expects --------------------------------------------------------
OK, UNAUTHENTICATED, DENIED, HIDDEN = 200, 401, 403, 404


def row(**statuses: int) -> dict[str, int]:
    assert set(statuses) == set(ROLES)
    return statuses


MANAGE_SERVICE = row(
    anonymous=UNAUTHENTICATED,
    resident=DENIED,
    facilitator=DENIED,
    professional=OK,
    other_professional=DENIED,
    org_admin=OK,
    superuser=OK,
)
MANAGE_DRAFT = {**MANAGE_SERVICE, "resident": HIDDEN, "other_professional": HIDDEN}
RUN_ACTIVITIES = {**MANAGE_SERVICE, "facilitator": OK}
RUN_DRAFT_ACTIVITY = {**RUN_ACTIVITIES, "resident": HIDDEN, "other_professional": HIDDEN}
CREATE_SERVICE = MANAGE_SERVICE  # in the owning organisation
# Taking part: anyone with a token, while the activity is open and the contribution published.
TAKE_PART = row(
    anonymous=UNAUTHENTICATED,
    resident=OK,
    facilitator=OK,
    professional=OK,
    other_professional=OK,
    org_admin=OK,
    superuser=OK,
)
CLOSED = {**TAKE_PART, **{role: DENIED for role in ROLES if role != "anonymous"}}
# A held contribution or a draft activity: the owner's staff see it, but nobody takes part in
# it; to everyone else it is not there.
UNSEEN_BY_OUTSIDERS = {**CLOSED, "resident": HIDDEN, "other_professional": HIDDEN}
# Official answers, idea statuses and decisions: administrators and professionals of the owner.
ANSWER = MANAGE_SERVICE
ANSWER_HELD = {**ANSWER, "resident": HIDDEN, "other_professional": HIDDEN}
# Bids (decision 0413): asking and bidding need an administrator's or a professional's
# membership of an organisation; a bid is the bidding organisation's alone until bids close.
BIDDERS_ASK = {**MANAGE_SERVICE, "other_professional": OK, "superuser": DENIED}
THE_BIDDER = {**CLOSED, "other_professional": OK}
SEALED_BID = {
    **dict.fromkeys(ROLES, HIDDEN),
    "anonymous": UNAUTHENTICATED,
    "other_professional": OK,
}
BID_AFTER_DEADLINE = {
    **SEALED_BID,
    **dict.fromkeys(["professional", "org_admin", "superuser"], DENIED),
    "other_professional": 422,
}
# Taking part in a draft activity's conversation: a rule (422) to those who see it.
DRAFT_RULE = {
    **UNSEEN_BY_OUTSIDERS,
    **dict.fromkeys(["facilitator", "professional", "org_admin", "superuser"], 422),
}


@dataclass
class Write:
    """One write request, built from the world, and who may make it."""

    name: str
    send: Callable[[Api, World], Any]
    expected: dict[str, int]
    success: int = OK


# --- What the writes need, made in the world ------------------------------------------------------
def setup_bid(w: World, which: str = "bidding") -> dict[str, Any]:
    """Ids of a round of the world's published service open for bids ("fresh": no bid yet;
    "bidding": the other organisation's complete draft with a commitment) or whose bids have
    closed ("closed": that bid submitted), made once per world; and a commitment's body."""
    from coproduce.commissioning import actions_bids
    from coproduce.commissioning.models import CriterionKind
    from coproduce.commissioning.tests.factories import make_round
    from coproduce.commissioning.tests.factories_bids import close_bids, make_bid, ready_round
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    made: dict[str, Any] = w.people.setdefault("_bids", {})
    if which not in made:
        activity = ActivityFactory(
            service=w.service, kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.OPEN
        )
        round_ = ready_round(make_round(activity, w.people["professional"]))
        ids: dict[str, Any] = {"round": round_.pk}
        if which != "fresh":
            bidder = w.people["other_professional"]
            bid = make_bid(round_, bidder, w.other, submit=which == "closed")
            social = round_.criteria.get(kind=CriterionKind.SOCIAL_VALUE)
            indicator = social.indicators.get()
            commitment = actions_bids.commitment_add(
                bid=bid,
                by=bidder,
                criterion=social,
                indicator=indicator,
                quantity=Decimal(12),
                description="12 local young people employed",
            )
            ids |= {
                "bid": bid.pk,
                "commitment": commitment.pk,
                "commitment_body": {
                    "criterion": social.pk,
                    "indicator": indicator.pk,
                    "quantity": 3,
                    "description": "3 apprenticeships",
                },
            }
            if which == "closed":
                close_bids(round_)
        made[which] = ids
    return made[which]


def setup_weighting(w: World, state: str) -> tuple[str, dict[str, Any]]:
    """The weighting address of a round of the world's published service ("open" or "draft"),
    with criteria, and a weighting of them that adds up to 100."""
    from coproduce.commissioning.tests.factories import make_criteria, make_round
    from coproduce.services.models import ActivityKind
    from coproduce.services.tests.factories import ActivityFactory, staff_of

    activity = ActivityFactory(
        service=w.service, kind=ActivityKind.COMMISSIONING_ROUND, state=state
    )
    staff = staff_of(activity)
    round_ = make_round(activity, staff)
    criteria = make_criteria(round_, staff)
    points = [{"criterion": c.pk, "points": 0} for c in criteria]
    points[0]["points"] = 100
    return f"/commissioning/rounds/{round_.pk}/weighting", {"points": points}


def setup_indicator(w: World, service: Any, *, check: bool) -> Any:
    """An indicator of one of the world's services, made by its professional."""
    from coproduce.outcomes.tests.factories import (
        make_check_indicator,
        make_indicator,
        make_outcome,
    )

    keeper = w.people["professional"]
    make = make_check_indicator if check else make_indicator
    return make(make_outcome(service, keeper), keeper)


def setup_measurement(w: World, service: Any) -> tuple[str, dict[str, Any]]:
    indicator = setup_indicator(w, service, check=False)
    body = {"measured_on": timezone.localdate().isoformat(), "value": 55}
    return f"/indicators/{indicator.pk}/measurements", body


def setup_check(w: World, service: Any) -> str:
    return f"/indicators/{setup_indicator(w, service, check=True).pk}/check"


def setup_recommendation_status(w: World) -> str:
    """The status address of a recommendation a panel of the world's published service passed."""
    from coproduce.accounts.tests.factories import UserFactory
    from coproduce.panels import actions_deliberation
    from coproduce.panels.models import Phase
    from coproduce.panels.tests.factories import make_panel
    from coproduce.services.models import ActivityKind
    from coproduce.services.tests.factories import ActivityFactory

    activity = ActivityFactory(service=w.service, kind=ActivityKind.CITIZEN_PANEL, state="open")
    setup = make_panel(activity=activity, phase=Phase.DELIBERATION)
    member = UserFactory()
    actions_deliberation.member_add(panel=setup.panel, by=setup.staff, email=member.email)
    passed = actions_deliberation.recommendation_draft(
        panel=setup.panel, by=member, title="Open later", text="Until 10pm."
    )
    actions_deliberation.voting_open(panel=setup.panel, by=setup.staff)
    actions_deliberation.vote_cast(recommendation=passed, by=member, supports=True)
    actions_deliberation.voting_close(panel=setup.panel, by=setup.staff)
    return f"/panel-recommendations/{passed.pk}/status"


def setup_conversation(w: World, state: str) -> tuple[str, str]:
    """The statements address of a conversation of the world's published service ("open" or
    "draft") and the vote address of its seed statement."""
    from coproduce.conversations import actions as conversing
    from coproduce.services.models import ActivityKind
    from coproduce.services.tests.factories import ActivityFactory, staff_of

    activity = ActivityFactory(service=w.service, kind=ActivityKind.OPINION_MAP, state=state)
    staff = staff_of(activity)
    conversation = conversing.conversation_create(activity=activity, by=staff)
    seed = conversing.statement_add(conversation=conversation, by=staff, text="A seed")
    statements = f"/conversations/{conversation.pk}/statements"
    return statements, f"{statements}/{seed.pk}/vote"


def setup_ballot(w: World, which: str) -> tuple[str, dict[str, Any]]:
    """The ballot address of a budget of the world's published service and a ballot for it:
    in its voting phase ("voting", "codes": votes with codes only) or a draft ("draft")."""
    from coproduce.budgeting.tests.factories import make_budget, make_voting
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    state = ActivityState.DRAFT if which == "draft" else ActivityState.OPEN
    activity = ActivityFactory(
        service=w.service, kind=ActivityKind.PARTICIPATORY_BUDGET, state=state
    )
    if which == "draft":
        setup = make_budget(activity=activity)
    else:
        setup = make_voting(
            activity=activity, accounts_may_vote=which != "codes", codes_may_vote=which == "codes"
        )
    choices = [{"project": p.reference} for p in setup.proposals[:1]]
    return f"/budgets/{setup.budget.pk}/ballot", {"area": setup.area.pk, "choices": choices}
