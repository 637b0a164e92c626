"""Commissioning: rounds, bids, evaluation and award (the commissioning API is in
tests/security/test_api_matrix_commissioning.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coproduce.contributions.tests.world import World
from tests.security.permission_matrix.common import (
    DENIED,
    DRAFT_ACTIVITY_STAFF,
    HIDDEN,
    LOGIN,
    MANAGE_DRAFT,
    MANAGE_SERVICE,
    OK,
    PUBLIC,
    SIGNED_IN,
    Case,
    nothing,
    row,
)


# --- Commissioning rounds (issue 11): public as their activity is; residents weigh the criteria
# signed in while the weighting is open; the round is kept by the service's admins and
# professionals.
def _commissioning(w: World, which: str) -> Any:
    """A round with criteria on an open activity of the published service ("open"), on a draft
    activity ("draft"), or a commissioning-round activity without a round ("bare")."""
    made = w.people.setdefault("_commissioning", {})
    if which not in made:
        from coproduce.commissioning.tests.factories import make_criteria, make_round
        from coproduce.services.models import ActivityKind, ActivityState
        from coproduce.services.tests.factories import ActivityFactory

        state = ActivityState.DRAFT if which == "draft" else ActivityState.OPEN
        activity = ActivityFactory(
            service=w.service, kind=ActivityKind.COMMISSIONING_ROUND, state=state
        )
        if which == "bare":
            made[which] = {"activity": activity}
        else:
            round_ = make_round(activity=activity, staff=w.people["professional"])
            criteria = make_criteria(round_, w.people["professional"])
            made[which] = {"activity": activity, "round": round_, "criterion": criteria[0]}
    return made[which]


def commissioning(which: str, thing: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _commissioning(w, which)[thing].pk}


COMMISSIONING_CASES = [
    Case("commissioning:round", commissioning("open", "round"), PUBLIC),
    Case(
        "commissioning:round", commissioning("draft", "round"), DRAFT_ACTIVITY_STAFF, label="draft"
    ),
    Case("commissioning:how_weighting_works", nothing, PUBLIC),
    Case("commissioning:weigh", commissioning("open", "round"), SIGNED_IN),
    Case(
        "commissioning:weigh",
        commissioning("draft", "round"),
        row(HIDDEN, HIDDEN, OK, OK, HIDDEN, OK, OK),
        label="draft",
    ),
    Case("commissioning:manage", commissioning("open", "activity"), MANAGE_SERVICE),
    Case("commissioning:manage", commissioning("bare", "activity"), MANAGE_SERVICE, label="bare"),
    Case("commissioning:manage", commissioning("draft", "activity"), MANAGE_DRAFT, label="draft"),
    Case("commissioning:round_edit", commissioning("bare", "activity"), MANAGE_SERVICE),
    Case("commissioning:criterion_add", commissioning("open", "round"), MANAGE_SERVICE),
    Case("commissioning:criterion_edit", commissioning("open", "criterion"), MANAGE_SERVICE),
    Case("commissioning:criterion_delete", commissioning("open", "criterion"), MANAGE_SERVICE),
    Case("commissioning:weights_publish", commissioning("open", "round"), MANAGE_SERVICE),
]


# --- Bids (decision 0077): the round is the owner's, the bid the other organisation's
# ("other_professional" bids). Sealed: before the deadline nobody but the bidder knows the bid
# exists; after it the round's keepers (and superusers) open it too, logged.
BIDDERS = row(LOGIN, DENIED, DENIED, OK, OK, OK, DENIED)  # superusers belong to no organisation
THE_BIDDER = row(HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, HIDDEN)
BIDDER_AND_KEEPERS = row(HIDDEN, HIDDEN, HIDDEN, OK, OK, OK, OK)


def _bids(w: World, when: str) -> dict[str, Any]:
    """A round of the owner's published service with published weights, the other
    organisation's submitted bid with a commitment and a file, and an unanswered question;
    bids still open ("open") or closed ("closed")."""
    made = w.people.setdefault("_bids", {})
    if when not in made:
        from decimal import Decimal

        from django.core.files.uploadedfile import SimpleUploadedFile

        from coproduce.commissioning import actions_bids
        from coproduce.commissioning.models import CriterionKind
        from coproduce.commissioning.tests.factories import make_round
        from coproduce.commissioning.tests.factories_bids import close_bids, make_bid, ready_round
        from coproduce.services.models import ActivityKind, ActivityState
        from coproduce.services.tests.factories import ActivityFactory

        activity = ActivityFactory(
            service=w.service, kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.OPEN
        )
        round_ = ready_round(make_round(activity=activity, staff=w.people["org_admin"]))
        bidder = w.people["other_professional"]
        bid = make_bid(round_, bidder)
        social = round_.criteria.get(kind=CriterionKind.SOCIAL_VALUE)
        things: dict[str, Any] = {
            "bid": bid,
            "commitment": actions_bids.commitment_add(
                bid=bid,
                by=bidder,
                criterion=social,
                indicator=social.indicators.get(),
                quantity=Decimal("12"),
                description="12 local young people employed",
            ),
            "attachment": actions_bids.attachment_add(
                bid=bid,
                by=bidder,
                upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"),
            ),
            "clarification": actions_bids.clarification_ask(
                round_=round_, by=bidder, question="When does the contract start?"
            ),
        }
        things["round"] = close_bids(round_) if when == "closed" else round_
        made[when] = things
    return made[when]


def bids(when: str, thing: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _bids(w, when)[thing].pk}


EVALUATORS_ONLY = row(LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED)
ALL_HIDDEN = row(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)


def _evaluation(w: World) -> dict[str, Any]:
    """A round of the owner's published service, weighted, with one submitted bid of a new
    bidder and one resident evaluator; bids closed."""
    made = w.people.setdefault("_evaluation", {})
    if not made:
        from coproduce.commissioning.models import Evaluator
        from coproduce.commissioning.tests.factories import make_round
        from coproduce.commissioning.tests.factories_bids import close_bids, make_bid, ready_round
        from coproduce.commissioning.tests.factories_evaluation import make_evaluator
        from coproduce.services.models import ActivityKind, ActivityState
        from coproduce.services.tests.factories import ActivityFactory

        activity = ActivityFactory(
            service=w.service, kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.OPEN
        )
        keeper = w.people["professional"]
        round_ = ready_round(make_round(activity=activity, staff=keeper))
        bid = make_bid(round_)
        person = make_evaluator(round_, keeper)
        made.update(
            round=close_bids(round_),
            bid=bid,
            evaluator=Evaluator.objects.get(round=round_, person=person),
        )
    return made


def evaluation(thing: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": _evaluation(w)[thing].pk}


COMMISSIONING_CASES += [
    Case("commissioning:bid_start", bids("open", "round"), BIDDERS),
    Case("commissioning:bid", bids("open", "bid"), THE_BIDDER),
    Case("commissioning:bid", bids("closed", "bid"), BIDDER_AND_KEEPERS, label="closed"),
    Case("commissioning:bid_edit", bids("open", "bid"), THE_BIDDER),
    # After the deadline the bidder is told it can no longer change the bid.
    Case("commissioning:bid_edit", bids("closed", "bid"), THE_BIDDER, label="closed"),
    Case("commissioning:commitment_add", bids("open", "bid"), THE_BIDDER),
    Case("commissioning:commitment_delete", bids("open", "commitment"), THE_BIDDER),
    Case("commissioning:attachment_add", bids("open", "bid"), THE_BIDDER),
    Case("commissioning:attachment", bids("open", "attachment"), THE_BIDDER),
    Case(
        "commissioning:attachment",
        bids("closed", "attachment"),
        BIDDER_AND_KEEPERS,
        label="closed",
    ),
    Case("commissioning:attachment_delete", bids("open", "attachment"), THE_BIDDER),
    Case("commissioning:bid_submit", bids("open", "bid"), THE_BIDDER),
    Case("commissioning:bid_withdraw", bids("open", "bid"), THE_BIDDER),
    Case("commissioning:clarifications", bids("open", "round"), PUBLIC),
    Case(
        "commissioning:clarifications",
        commissioning("draft", "round"),
        DRAFT_ACTIVITY_STAFF,
        label="draft",
    ),
    Case("commissioning:clarification_answer", bids("open", "clarification"), MANAGE_SERVICE),
    Case("commissioning:bids_received", bids("open", "round"), MANAGE_SERVICE),
    Case("commissioning:bids_received", bids("closed", "round"), MANAGE_SERVICE, label="closed"),
    # Evaluation and award (decisions 0078, 0079): a resident evaluator is chosen; no world role
    # evaluates or bids, so the evaluator's and bidder's own pages are hidden from every role.
    Case("commissioning:interests", evaluation("round"), PUBLIC),
    Case("commissioning:award", evaluation("round"), PUBLIC),  # "not made yet"
    Case("commissioning:evaluators", evaluation("round"), MANAGE_SERVICE),
    Case("commissioning:evaluator_remove", evaluation("evaluator"), MANAGE_SERVICE),
    Case("commissioning:moderation", evaluation("round"), MANAGE_SERVICE),
    Case("commissioning:moderate_bid", evaluation("bid"), MANAGE_SERVICE),
    Case("commissioning:award_make", evaluation("round"), MANAGE_SERVICE),
    Case("commissioning:evaluate", evaluation("round"), EVALUATORS_ONLY),
    Case("commissioning:declare", evaluation("round"), EVALUATORS_ONLY),
    Case("commissioning:score", evaluation("bid"), ALL_HIDDEN),
    Case("commissioning:own_scores", evaluation("bid"), ALL_HIDDEN),
    # Open data: public as the round is (sealed content is never in it before the deadline).
    *[
        Case(f"commissioning:{name}", commissioning("open", "round"), PUBLIC)
        for name in ("ocds", "scores_csv", "interests_csv")
    ],
    *[
        Case(
            f"commissioning:{name}",
            commissioning("draft", "round"),
            DRAFT_ACTIVITY_STAFF,
            label="draft",
        )
        for name in ("ocds", "scores_csv", "interests_csv")
    ],
]
