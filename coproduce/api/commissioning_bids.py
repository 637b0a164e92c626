"""Commissioning rounds after the weights: bidders' questions and their answers, bids — sealed
until the deadline —, the register of interests, the award with its scores table, and the round as
OCDS open data (decision 0413). Thin adapters over commissioning's actions, rules and queries, as
the website; the rounds and residents' weightings are in commissioning.py.

A bid's content is read only through ``actions_bids.open_bid`` (route "api"), which applies the
sealing rule and logs every opening by someone other than the bidder; a bid that may not be
opened is a 404, as if it were not there.
"""

# No `from __future__ import annotations` here: ninja reads the annotations of a @paginate-d
# operation through the wrapper, in another module, so they must be real objects (decision 0407).

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.api.auth import OPTIONAL
from coproduce.api.commissioning_bids_schemas import (
    AwardOut,
    BidIn,
    BidItemOut,
    BidOut,
    BidStartIn,
    BidSubmitIn,
    BidWithdrawIn,
    CommitmentIn,
    CommitmentOut,
    InterestsOut,
    QuestionIn,
    QuestionOut,
)
from coproduce.api.common import (
    BODILESS_WRITE_ERRORS,
    READ,
    READ_ERRORS,
    WRITE,
    WRITE_ERRORS,
)
from coproduce.api.schemas import IdPath, LimitOffset, Shaped
from coproduce.commissioning import (
    actions_bids,
    export,
    queries,
    queries_bids,
    queries_evaluation,
    rules,
)
from coproduce.commissioning.models import (
    SCORE_SCALE,
    AccessRoute,
    Award,
    Bid,
    BidStatus,
    Clarification,
    Commitment,
    Criterion,
    Round,
)
from coproduce.organisations.models import Organisation
from coproduce.outcomes.models import Indicator
from coproduce.services.models import ActivityState

router = Router(tags=["commissioning"])


# --- Adapters (bids) ----------------------------------------------------------------------------


def _question_out(clarification: Clarification) -> dict[str, Any]:
    return {
        "id": clarification.pk,
        "question": clarification.question,
        "answer": clarification.answer,
        "answer_cy": clarification.answer_cy,
        "asked_at": clarification.asked_at,
        "answered_at": clarification.answered_at,
    }


def _bid_item_out(bid: Bid) -> dict[str, Any]:
    return {
        "id": bid.pk,
        "organisation": bid.organisation.slug,
        "status": bid.status,
        "submitted_at": bid.submitted_at,
    }


def _bids_seen(user: Visitor, round_: Round) -> QuerySet[Bid]:
    """Before the deadline, your organisations' bids; after it, those you may open."""
    if not rules.bids_closed(round_):
        return queries_bids.own_bids(round_, user)
    bids = round_.bids.select_related("organisation", queries_bids.BID_PATH)
    keys = [bid.pk for bid in bids if rules.can_open_bid(user, bid)]
    return bids.filter(pk__in=keys)


def _interests_out(round_: Round) -> dict[str, Any]:
    """The register page's rows (queries_evaluation.register): every evaluator × every
    submitted bid; nothing until bids close, since who bid is sealed until then."""
    if not rules.bids_closed(round_):
        return {"round": round_.pk, "published": False, "evaluators": []}
    evaluators = []
    for row in queries_evaluation.register(round_):
        entries = [
            {
                "bid": bid.pk,
                "organisation": bid.organisation.slug,
                "organisation_name": bid.organisation.name,
                "declared": declaration is not None,
                "conflict": None if declaration is None else declaration.conflict,
                "details": "" if declaration is None else declaration.details,
                "declared_at": None if declaration is None else declaration.declared_at,
            }
            for bid, declaration in row.entries
        ]
        evaluators.append(
            {
                "name": row.name,
                "role": row.evaluator.role,
                "declared_all": all(entry["declared"] for entry in entries),
                "declarations": entries,
            }
        )
    return {"round": round_.pk, "published": True, "evaluators": evaluators}


def _score_lines(round_: Round, award: Award) -> list[dict[str, Any]]:
    """The award page's scores table (queries_evaluation.results with the prices published with
    the award), best first."""
    results = queries_evaluation.results(round_, queries_evaluation.published_prices(round_))
    weights = {heading.criterion.pk: heading.weight for heading in results.headings}
    return [
        {
            "bid": line.bid.pk,
            "organisation": line.bid.organisation.slug,
            "organisation_name": line.bid.organisation.name,
            "price_points": float(line.price_points),
            "criteria": [
                {
                    "criterion": row.criterion.pk,
                    "weight": weights[row.criterion.pk],
                    "score": row.agreed,
                    "points": float(row.points),
                }
                for row in line.criteria
            ],
            "total": float(line.total),
            "rank": line.rank,
            "tied_with": [bid.pk for bid in line.tied_with],
            "awarded": line.bid.pk == award.bid_id,
        }
        for line in results.lines
    ]


def _award_out(round_: Round, award: Award) -> dict[str, Any]:
    return {
        "round": round_.pk,
        "bid": award.bid_id,
        "organisation": award.bid.organisation.slug,
        "organisation_name": award.bid.organisation.name,
        "value": float(award.bid.price or 0),
        "currency": round_.currency,
        "reasons": award.reasons,
        "reasons_cy": award.reasons_cy,
        "decided_at": award.decided_at,
        "standstill_ends_on": award.standstill_ends_on,
        "contract_starts_on": award.contract_starts_on,
        "price_weight": round_.price_weight,
        "price_method": round_.price_method,
        "scale": [{"score": score, "meaning": str(meaning)} for score, meaning in SCORE_SCALE],
        "scores": _score_lines(round_, award),
        "page": award.get_absolute_url(),
    }


def _bid_out(bid: Bid, user: Visitor) -> dict[str, Any]:
    """An opened bid (``actions_bids.open_bid``), whole."""
    return {
        "id": bid.pk,
        "round": bid.round_id,
        "organisation": bid.organisation.slug,
        "organisation_name": bid.organisation.name,
        "status": bid.status,
        "price": None if bid.price is None else float(bid.price),
        "summary": bid.summary,
        "statements": [
            {"criterion": s.criterion_id, "text": s.text} for s in bid.method_statements.all()
        ],
        "commitments": list(map(_commitment_out, bid.commitments.all())),
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "kind": a.kind,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_at": a.uploaded_at,
                "page": reverse("commissioning:attachment", args=[a.pk]),
            }
            for a in bid.attachments.all()
        ],
        "created_at": bid.created_at,
        "updated_at": bid.updated_at,
        "submitted_at": bid.submitted_at,
        "may_edit": rules.can_edit_bid(user, bid),
        "feedback": bid.feedback if rules.can_see_own_scores(user, bid) else None,
        "page": bid.get_absolute_url(),
    }


def _commitment_out(commitment: Commitment) -> dict[str, Any]:
    return {
        "id": commitment.pk,
        "criterion": commitment.criterion_id,
        "indicator": commitment.indicator_id,
        "quantity": float(commitment.quantity),
        "description": commitment.description,
    }


def _opened(request: SignedInRequest, bid: Bid) -> dict[str, Any]:
    """The bid's content, opened through ``actions_bids.open_bid`` on the API's route (logged
    for anyone but the bidder); 404 for everyone the sealing rule refuses."""
    try:
        opened = actions_bids.open_bid(bid, request.user, AccessRoute.API)
    except PermissionDenied:
        raise Http404 from None
    return _bid_out(opened, request.user)


def _when(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def _bid_to_change(request: SignedInRequest, bid: Bid) -> None:
    """Only the bidder changes its bid, and only until bids close. 404 for whoever may not read
    the bid; 403 for those who may read it but do not bid (the round's staff after the deadline);
    a rule (422) once the bid cannot change."""
    user = request.user
    if not rules.can_open_bid(user, bid):
        raise Http404
    if not rules.is_bidder(user, bid):
        raise HttpError(
            403,
            _("Only the bidding organisation's administrators and professionals change its bid."),
        )
    if rules.bids_closed(bid.round):
        raise ValidationError(
            _("Bids closed on %(when)s: your bid can no longer change.")
            % {"when": _when(bid.round.bids_close_at)}
        )
    if bid.status == BidStatus.WITHDRAWN:
        raise ValidationError(
            _("Your bid is withdrawn. Start it again to change it: it comes back as a draft.")
        )


def _bidding_closed(round_: Round) -> ValidationError | None:
    """Why nobody may start a bid now, if so: a rule of the round's timetable."""
    if round_.activity.state != ActivityState.OPEN:
        return ValidationError(_("This round is not open for bids."))
    if round_.weights_published_at is None:
        return ValidationError(_("Bids open once the criteria's weights are published."))
    if rules.bids_closed(round_):
        return ValidationError(
            _("Bids closed on %(when)s.") % {"when": _when(round_.bids_close_at)}
        )
    return None


CENTS = Decimal("0.01")


def _amount(value: float) -> Decimal:
    """A JSON number as money: two decimals."""
    return Decimal(str(value)).quantize(CENTS)


NOT_A_BIDDER = gettext_lazy(
    "Only administrators and professionals of an organisation on the platform may ask bidders' "
    "questions. Ask your organisation's administrator to add you."
)
NOT_YOUR_ORGANISATION = gettext_lazy(
    "You may bid only for an organisation where you are an administrator or a professional."
)


# --- Operations (bids) --------------------------------------------------------------------------


@router.get(
    "/commissioning/rounds/{round_id}/questions",
    response={200: list[QuestionOut], **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="Bidders' questions about a round, with their answers, oldest first",
    description=(
        "Answered questions only, published to everyone; who asked is never shown. Questions "
        "waiting for an answer are not listed."
    ),
)
@paginate(LimitOffset)
def question_list(request: HttpRequest, round_id: IdPath) -> Shaped[dict[str, Any]]:
    round_ = queries.visible_round(request, round_id)
    answered = queries_bids.answered_questions(round_).order_by("asked_at", "pk")
    return Shaped(answered, lambda rows: list(map(_question_out, rows)))


@router.get(
    "/commissioning/rounds/{round_id}/bids",
    response={200: list[BidItemOut], **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="The bids you may see in a round, with your token; no content, only their status",
    description=(
        "Without a token, none. Before bids close: your organisations' bids only (everyone "
        "else's are sealed, even from "
        "the round's staff and superusers). After: the bids you may open — yours, and, for the "
        "round's staff and the evaluators who have declared their interests, the submitted bids "
        "(an evaluator's conflicted bid is left out). Read a bid's content with "
        "`GET /api/commissioning/bids/{id}`."
    ),
)
@paginate(LimitOffset)
def bid_list(request: HttpRequest, round_id: IdPath) -> Shaped[dict[str, Any]]:
    round_ = queries.visible_round(request, round_id)
    bids = _bids_seen(request.user, round_).order_by("organisation__name", "pk")
    return Shaped(bids, lambda rows: list(map(_bid_item_out, rows)))


@router.get(
    "/commissioning/rounds/{round_id}/interests",
    response={200: InterestsOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="The round's public register of interests",
    description=(
        "Every evaluator of the round (staff and residents), by name, with what they declared "
        "about each bidder: an interest (`conflict`, with `details`) removes them from scoring "
        "that bid. Published once bids close: before then `published` is false and "
        "`evaluators` is empty."
    ),
)
def interests_detail(request: HttpRequest, round_id: IdPath) -> dict[str, Any]:
    return _interests_out(queries.visible_round(request, round_id))


@router.get(
    "/commissioning/rounds/{round_id}/award",
    response={200: AwardOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="The award decision with its reasons and the scores table (404 until made)",
    description=(
        "The winning bid, the reasons, the standstill period and, for every submitted bid, the "
        "points for price and for each criterion from the moderated (agreed) scores and the "
        "published weights, the total out of 100 and the rank; bids with equal totals share a "
        "rank and name each other in `tied_with`. Bidders read their own scores' comments and "
        "feedback on the website."
    ),
)
def award_detail(request: HttpRequest, round_id: IdPath) -> dict[str, Any]:
    round_ = queries.visible_round(request, round_id)
    award = queries.award_of(round_)
    if award is None:
        raise Http404
    return _award_out(round_, award)


@router.get(
    "/commissioning/rounds/{round_id}/ocds",
    response={200: dict[str, Any], **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="The round as open contracting data: an OCDS 1.1 release package",
    description=(
        "The same package as the round's `ocds.json` on the website: a release per stage reached "
        "(planning and tender; bids closed, with the tenderers; the award, with the contract), "
        "valid against the OCDS 1.1 release-package schema "
        "(https://standard.open-contracting.org/1.1/en/schema/release_package/). Nothing sealed "
        "is in it: who bid appears once bids close, the winner's price and every bid's scores "
        "once the award is made."
    ),
)
def ocds_detail(request: HttpRequest, round_id: IdPath) -> dict[str, Any]:
    return export.ocds_package(queries.visible_round(request, round_id))


@router.post(
    "/commissioning/rounds/{round_id}/questions",
    response={201: QuestionOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Ask a question about a round, as a bidder, until questions close",
    description=(
        "Administrators and professionals of any organisation on the platform (anyone else with "
        "a token gets `403`). Once staff answer it, it is published to everyone with its answer; "
        "who asked is never shown. After the questions' closing date, or when the round is not "
        "open, a `422` of type `rule`."
    ),
)
def question_ask(request: SignedInRequest, round_id: IdPath, payload: QuestionIn) -> Status[Any]:
    round_ = queries.visible_round(request, round_id)
    if round_.activity.state != ActivityState.OPEN:
        raise ValidationError(_("This round is not open for questions."))
    if timezone.localdate() > round_.questions_close_on:
        raise ValidationError(
            _("Questions closed on %(day)s.") % {"day": date_format(round_.questions_close_on)}
        )
    if not rules.can_ask_question(request.user, round_):
        raise HttpError(403, str(NOT_A_BIDDER))
    clarification = actions_bids.clarification_ask(
        round_=round_, by=request.user, question=payload.question
    )
    return Status(201, _question_out(clarification))


@router.post(
    "/commissioning/rounds/{round_id}/bids",
    response={201: BidOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Start your organisation's bid for a round (a draft)",
    description=(
        '`{"organisation": slug}`: one where you are an administrator or a professional (else '
        "`403`). One bid per organisation and round: a second is a `422` of type `rule` on "
        "`organisation`, except that a withdrawn bid comes back as a draft, as it was. A round "
        "that is not open, whose weights are not published yet, or whose bids have closed is a "
        "`422` of type `rule`."
    ),
)
def bid_start(request: SignedInRequest, round_id: IdPath, payload: BidStartIn) -> Status[Any]:
    round_ = queries.visible_round(request, round_id)
    closed = _bidding_closed(round_)
    if closed is not None:
        raise closed
    organisation = Organisation.objects.filter(slug=payload.organisation).first()
    if organisation is None:
        raise ValidationError({"organisation": _("There is no organisation with this slug.")})
    if not rules.bidding_organisations(request.user).filter(pk=organisation.pk).exists():
        raise HttpError(403, str(NOT_YOUR_ORGANISATION))
    bid = actions_bids.bid_start(round_=round_, organisation=organisation, by=request.user)
    return Status(201, _opened(request, bid))


@router.get(
    "/commissioning/bids/{bid_id}",
    response={200: BidOut, **READ_ERRORS},
    auth=WRITE,
    summary="A bid's content (a token is needed): sealed until bids close",
    description=(
        "Price, summary, method statements, social-value commitments and the files' details. "
        "Before bids close, only the bidding organisation's administrators and professionals "
        "may read it: to everyone else — the round's staff and superusers included — it is a "
        "`404`, as if it were not there. After, the round's staff and the evaluators who have "
        "declared their interests in every bidder (and have none in this one) may read the "
        "submitted bids, and every such reading is logged (route `api`)."
    ),
)
def bid_detail(request: SignedInRequest, bid_id: IdPath) -> dict[str, Any]:
    return _opened(request, queries_bids.bid_of(request, bid_id))


@router.put(
    "/commissioning/bids/{bid_id}",
    response={200: BidOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Change your bid's price, summary and method statements, until bids close",
    description=(
        "The bidder only (`403` for the round's staff, who may read but not change it; `404` "
        "for anyone who may not read it). `statements` lists quality criteria with their text: "
        "an empty text removes a statement, a criterion left out keeps its own. A submitted bid "
        "stays submitted, so it must stay complete. After bids close, or once withdrawn, a "
        "`422` of type `rule`."
    ),
)
def bid_put(request: SignedInRequest, bid_id: IdPath, payload: BidIn) -> dict[str, Any]:
    bid = queries_bids.bid_of(request, bid_id)
    _bid_to_change(request, bid)
    statements = {item.criterion: item.text for item in payload.statements}
    if len(statements) != len(payload.statements):
        raise ValidationError({"statements": _("Give each criterion's statement once.")})
    actions_bids.bid_save(
        bid=bid,
        by=request.user,
        price=None if payload.price is None else _amount(payload.price),
        summary=payload.summary,
        statements=statements,
    )
    return _opened(request, bid)


@router.post(
    "/commissioning/bids/{bid_id}/commitments",
    response={201: CommitmentOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Add a social-value commitment to your bid, until bids close",
    description=(
        "A quantity of an outcome indicator under one of the round's social-value criteria "
        '(`12` of "local young people employed"). The indicator must be one the criterion serves '
        "(or the round's, when it serves none), and the quantity more than 0: else a `422` of "
        "type `rule` on that field. Who may, and when: as for changing the bid."
    ),
)
def commitment_add(request: SignedInRequest, bid_id: IdPath, payload: CommitmentIn) -> Status[Any]:
    bid = queries_bids.bid_of(request, bid_id)
    _bid_to_change(request, bid)
    criterion = Criterion.objects.filter(pk=payload.criterion, round=bid.round_id).first()
    if criterion is None:
        raise ValidationError({"criterion": _("Choose one of this round's social-value criteria.")})
    indicator = Indicator.objects.filter(pk=payload.indicator).first()
    if indicator is None:
        raise ValidationError({"indicator": _("There is no outcome indicator with this id.")})
    commitment = actions_bids.commitment_add(
        bid=bid,
        by=request.user,
        criterion=criterion,
        indicator=indicator,
        quantity=_amount(payload.quantity),
        description=payload.description,
    )
    return Status(201, _commitment_out(commitment))


@router.delete(
    "/commissioning/commitments/{commitment_id}",
    response={200: BidOut, **BODILESS_WRITE_ERRORS},
    auth=WRITE,
    summary="Take a social-value commitment out of your bid, until bids close",
    description="Who may, and when: as for changing the bid. The answer is the bid.",
)
def commitment_delete(request: SignedInRequest, commitment_id: IdPath) -> dict[str, Any]:
    commitment = queries_bids.commitment_of(request, commitment_id)
    bid = commitment.bid
    _bid_to_change(request, bid)
    actions_bids.commitment_delete(commitment=commitment, by=request.user)
    return _opened(request, bid)


@router.post(
    "/commissioning/bids/{bid_id}/submit",
    response={200: BidOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Submit your bid, until bids close (send {})",
    description=(
        "It needs a price and a method statement for every quality criterion: a `422` of type "
        "`rule` lists what is missing. A submitted bid can still change, or be withdrawn, until "
        "bids close; then it is evaluated. Who may, and when: as for changing the bid."
    ),
)
def bid_submit(request: SignedInRequest, bid_id: IdPath, payload: BidSubmitIn) -> dict[str, Any]:
    bid = queries_bids.bid_of(request, bid_id)
    _bid_to_change(request, bid)
    actions_bids.bid_submit(bid=bid, by=request.user)
    return _opened(request, bid)


@router.post(
    "/commissioning/bids/{bid_id}/withdraw",
    response={200: BidOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Withdraw your bid, until bids close (send {})",
    description=(
        "A withdrawn bid is not evaluated. Starting a bid again for the same organisation "
        "brings it back as a draft. Who may, and when: as for changing the bid."
    ),
)
def bid_withdraw(
    request: SignedInRequest, bid_id: IdPath, payload: BidWithdrawIn
) -> dict[str, Any]:
    bid = queries_bids.bid_of(request, bid_id)
    _bid_to_change(request, bid)
    actions_bids.bid_withdraw(bid=bid, by=request.user)
    return _opened(request, bid)
