"""Reads around bids that hold none of their content, and the loaders of the bid pages.

A bid's content (price, summary, statements, commitments, files) is read only through
``actions_bids.open_bid``. What is here is what may be known without opening a bid: whose bids a
person may work on, the list of submitted bids and who opened them — after the deadline only —
and the round's clarification questions.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from coproduce.accounts.types import Visitor
from coproduce.commissioning import rules
from coproduce.commissioning.models import (
    Attachment,
    Bid,
    BidAccess,
    BidStatus,
    Clarification,
    Commitment,
    Round,
)
from coproduce.commissioning.queries import PATH
from coproduce.organisations.models import Organisation

BID_PATH = "round__" + PATH


# --- Loaders: what a page is about (its rule decides who may see it) ----------------------------


def bid_of(request: HttpRequest, pk: int) -> Bid:
    """The bid with this key, or 404. Its rule (``rules.can_open_bid`` or ``rules.is_bidder``,
    with ``hide``) answers 404 to everyone else too, so nobody learns that it exists."""
    return get_object_or_404(Bid.objects.select_related("organisation", BID_PATH), pk=pk)


def commitment_of(request: HttpRequest, pk: int) -> Commitment:
    return get_object_or_404(
        Commitment.objects.select_related("bid__organisation", "bid__" + BID_PATH), pk=pk
    )


def attachment_of(request: HttpRequest, pk: int) -> Attachment:
    return get_object_or_404(
        Attachment.objects.select_related("bid__organisation", "bid__" + BID_PATH), pk=pk
    )


def clarification_of(request: HttpRequest, pk: int) -> Clarification:
    """A clarification question of a round the visitor may see, or 404."""
    clarification = get_object_or_404(Clarification.objects.select_related("round__" + PATH), pk=pk)
    if not rules.can_view_round(request.user, clarification.round):
        raise Http404
    return clarification


# --- A bidder's own bids -----------------------------------------------------------------------


def own_bids(round_: Round, user: Visitor) -> QuerySet[Bid]:
    """The bids for this round of the organisations the person may bid for (any status)."""
    return Bid.objects.filter(
        round=round_, organisation__in=rules.bidding_organisations(user)
    ).select_related("organisation")


def organisations_free_to_bid(round_: Round, user: Visitor) -> QuerySet[Organisation]:
    """The person's organisations that may start a bid for the round: none yet, or withdrawn."""
    active = Bid.objects.filter(round=round_).exclude(status=BidStatus.WITHDRAWN)
    return (
        rules.bidding_organisations(user)
        .exclude(pk__in=active.values("organisation_id"))
        .order_by("name")
    )


# --- Bids received, for the round's keepers: nothing before the deadline ------------------------


def received_bids(round_: Round) -> list[Bid]:
    """The submitted bids, by bidder — after the deadline; before it, none (not even how many)."""
    if not rules.bids_closed(round_):
        return []
    return list(
        rules.submitted_bids(round_).select_related("organisation").order_by("organisation__name")
    )


def access_log(round_: Round) -> list[BidAccess]:
    """Who opened which bid, how and when, newest first (openings happen after the deadline)."""
    if not rules.bids_closed(round_):
        return []
    return list(
        BidAccess.objects.filter(bid__round=round_).select_related("person", "bid__organisation")
    )


# --- Clarification questions -------------------------------------------------------------------


def answered_questions(round_: Round) -> QuerySet[Clarification]:
    """The answered questions: public, without who asked."""
    return round_.clarifications.filter(answered_at__isnull=False)


def waiting_questions(round_: Round) -> QuerySet[Clarification]:
    """Questions not answered yet, for the round's keepers."""
    return round_.clarifications.filter(answered_at__isnull=True)


def own_waiting_questions(round_: Round, user: Visitor) -> QuerySet[Clarification]:
    """The person's own questions that are not answered yet."""
    if not user.is_authenticated:
        return Clarification.objects.none()
    return waiting_questions(round_).filter(asked_by=user)
