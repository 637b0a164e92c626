"""Who may see a commissioning round, keep it, and weigh its criteria (decision 0074);
who may bid, open a sealed bid (decision 0077), declare, score and moderate (decision 0078).

A round is public as its activity is (open activities of published services; drafts for the
organisation's staff). Its set-up, criteria and published weights are kept by the service's
administrators and professionals. Signed-in people weigh the criteria while the activity is
open, until the weighting's closing date and before the weights are published.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from coproduce.accounts.types import Visitor
from coproduce.commissioning.models import (
    Award,
    Bid,
    BidStatus,
    Declaration,
    Evaluator,
    Round,
    Score,
)
from coproduce.organisations.models import Membership, Organisation, Role
from coproduce.services.models import Activity, ActivityKind, ActivityState
from coproduce.services.rules import can_manage_service, can_view_activity


def can_view_round(user: Visitor, round_: Round) -> bool:
    return can_view_activity(user, round_.activity)


def can_keep_round(user: Visitor, round_: Round) -> bool:
    """Change the round's set-up and criteria, publish the weights."""
    return can_manage_service(user, round_.activity.service)


def can_set_up_round(user: Visitor, activity: Activity) -> bool:
    """Give a commissioning-round activity its round."""
    return activity.kind == ActivityKind.COMMISSIONING_ROUND and can_manage_service(
        user, activity.service
    )


def weighting_open(round_: Round, today: dt.date | None = None) -> bool:
    return (
        round_.activity.state == ActivityState.OPEN
        and round_.weights_published_at is None
        and (today or timezone.localdate()) <= round_.weighting_closes_on
    )


def can_weigh(user: Visitor, round_: Round) -> bool:
    """Share out the 100 points: signed in, while the weighting is open."""
    return bool(
        user.is_authenticated
        and weighting_open(round_)
        and round_.criteria.exists()
        and can_view_round(user, round_)
    )


# --- Bids: sealed until the deadline (decision 0077) --------------------------------------------

BIDDING_ROLES = (Role.ADMIN, Role.PROFESSIONAL)


def bids_closed(round_: Round, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) >= round_.bids_close_at


# What bids answer (decision 0122): fixed from the bids' deadline, with what it answers.
TERMS = frozenset(
    {
        "specification",
        "specification_cy",
        "contract_value",
        "contract_months",
        "weighting_closes_on",
        "questions_close_on",
        "bids_close_at",
        "price_weight",
        "decisions",
        "indicators",
    }
)
# Every field of the set-up: all fixed once the award is made.
SET_UP = TERMS | {"evaluation_on", "award_on", "standstill_days"}


def fixed_set_up(round_: Round | None) -> frozenset[str]:
    """The fields of a round's set-up that can no longer change: price's weight once the weights
    are published (the criteria's weights are shares of what it leaves), what bids answer once
    bids have closed, everything once the award is made (decision 0122)."""
    if round_ is None:  # not set up yet
        return frozenset()
    if award_made(round_):
        return SET_UP
    if bids_closed(round_):
        return TERMS
    return frozenset({"price_weight"}) if round_.weights_published_at else frozenset()


def bidding_organisations(user: Visitor) -> QuerySet[Organisation]:
    """The organisations this person may bid for: those where they are an administrator or a
    professional."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.with_role(user, list(BIDDING_ROLES))


def is_bidder(user: Visitor, bid: Bid) -> bool:
    """A member of the bidding organisation (administrator or professional)."""
    return bool(
        user.is_authenticated
        and Membership.objects.filter(
            user=user, organisation_id=bid.organisation_id, role__in=BIDDING_ROLES
        ).exists()
    )


def can_bid(user: Visitor, round_: Round) -> bool:
    """Start or change a bid: for an organisation one belongs to, once the weights are published,
    while the round is open and before bids close."""
    return bool(
        round_.activity.state == ActivityState.OPEN
        and round_.weights_published_at is not None
        and not bids_closed(round_)
        and bidding_organisations(user).exists()
        and can_view_round(user, round_)
    )


def can_edit_bid(user: Visitor, bid: Bid) -> bool:
    return bid.status != BidStatus.WITHDRAWN and not bids_closed(bid.round) and is_bidder(user, bid)


def can_open_bid(user: Visitor, bid: Bid) -> bool:
    """Read a bid's content (price, statements, commitments, files). The bidder always may;
    before the deadline nobody else may — administrators and superusers included; after it, the
    round's keepers and the evaluators who have declared their interests in every bidder and
    have no conflict with this one. Openings by anyone but the bidder are logged."""
    return is_bidder(user, bid) or can_open_others_bid(user, bid)


def can_open_others_bid(user: Visitor, bid: Bid) -> bool:
    """``can_open_bid`` for someone who is not the bidder: these openings are logged."""
    if not bids_closed(bid.round) or bid.status != BidStatus.SUBMITTED:
        return False
    if can_keep_round(user, bid.round):
        # Keepers run the round: they open every bid (logged), even one they declared an
        # interest in; that interest keeps them from scoring or moderating it (decision 0078).
        return True
    evaluator = evaluator_of(user, bid.round)
    return evaluator is not None and declared_all(evaluator) and not has_conflict(evaluator, bid)


def can_ask_question(user: Visitor, round_: Round) -> bool:
    """Bidders' clarification questions: from organisations' members, until questions close."""
    return bool(
        round_.activity.state == ActivityState.OPEN
        and timezone.localdate() <= round_.questions_close_on
        and bidding_organisations(user).exists()
        and can_view_round(user, round_)
    )


def can_see_own_scores(user: Visitor, bid: Bid) -> bool:
    """After the award, a bidder reads its own scores, comments and feedback."""
    return award_made(bid.round) and is_bidder(user, bid)


# --- Evaluation (decision 0078) -----------------------------------------------------------------


def evaluator_of(user: Visitor, round_: Round) -> Evaluator | None:
    if not user.is_authenticated:
        return None
    return Evaluator.objects.filter(round=round_, person=user).first()


def submitted_bids(round_: Round) -> QuerySet[Bid]:
    return round_.bids.filter(status=BidStatus.SUBMITTED)


def declared_all(evaluator: Evaluator) -> bool:
    """The evaluator has declared an interest or none in every submitted bid."""
    return not submitted_bids(evaluator.round).exclude(declarations__evaluator=evaluator).exists()


@dataclass(frozen=True)
class Progress:
    """How far an evaluator has got."""

    declared: bool  # an interest or none declared in every submitted bid (= declared_all)
    done: bool  # declared, and scored every criterion of every bid without a conflict
    removable: bool  # nothing declared or scored yet


def progress(round_: Round, evaluator: Evaluator | None = None) -> dict[int, Progress]:
    """``Progress`` of each of the round's evaluators (or of ``evaluator`` alone), by evaluator
    pk, from one read of the declarations and one of the scores."""
    evaluators = round_.evaluators.all() if evaluator is None else [evaluator]
    mine = {"evaluator__round": round_} if evaluator is None else {"evaluator": evaluator}
    submitted = set(submitted_bids(round_).values_list("pk", flat=True))
    criteria = round_.criteria.count()
    declared: dict[int, set[int]] = defaultdict(set)
    conflicts: dict[int, set[int]] = defaultdict(set)
    for evaluator_id, bid_id, conflict in Declaration.objects.filter(**mine).values_list(
        "evaluator_id", "bid_id", "conflict"
    ):
        declared[evaluator_id].add(bid_id)
        if conflict:
            conflicts[evaluator_id].add(bid_id)
    scored = Counter(Score.objects.filter(**mine).values_list("evaluator_id", "bid_id"))
    scorers = {evaluator_id for evaluator_id, _bid_id in scored}
    result = {}
    for pk in (e.pk for e in evaluators):
        declared_all = submitted <= declared[pk]
        to_score = submitted - conflicts[pk]
        result[pk] = Progress(
            declared=declared_all,
            done=declared_all and all(scored[pk, bid] >= criteria for bid in to_score),
            removable=not declared[pk] and pk not in scorers,
        )
    return result


def has_conflict(evaluator: Evaluator, bid: Bid) -> bool:
    return evaluator.declarations.filter(bid=bid, conflict=True).exists()


def award_made(round_: Round) -> bool:
    return Award.objects.filter(round=round_).exists()


def can_declare(user: Visitor, round_: Round) -> bool:
    """Evaluators declare once bids have closed (they then know who bid), before the award."""
    return bids_closed(round_) and not award_made(round_) and evaluator_of(user, round_) is not None


def can_score(user: Visitor, bid: Bid) -> bool:
    """Score a bid: an evaluator of its round who has declared in every bidder and has no
    conflict with this one, after the deadline and before the award."""
    evaluator = evaluator_of(user, bid.round)
    return bool(
        evaluator is not None
        and bid.status == BidStatus.SUBMITTED
        and bids_closed(bid.round)
        and not award_made(bid.round)
        and declared_all(evaluator)
        and not has_conflict(evaluator, bid)
    )


def can_choose_evaluators(user: Visitor, round_: Round) -> bool:
    return not award_made(round_) and can_keep_round(user, round_)


def can_see_moderation(user: Visitor, round_: Round) -> bool:
    """The moderation's record (every evaluator's scores and comments, the agreed scores, the
    totals): the round's keepers, from the deadline on; after the award it can only be read."""
    return bids_closed(round_) and can_keep_round(user, round_)


def can_moderate(user: Visitor, round_: Round) -> bool:
    """Record the moderation meeting's agreed scores: the round's keepers, after the deadline,
    before the award."""
    return not award_made(round_) and can_see_moderation(user, round_)


def can_award(user: Visitor, round_: Round) -> bool:
    return can_moderate(user, round_)


def can_answer_questions(user: Visitor, round_: Round) -> bool:
    return can_keep_round(user, round_)
