"""Bids, sealed until the round's deadline, and bidders' clarification questions (decision 0077).

The bidder's pages: starting a bid, its working page, the price and method statements, the
social-value commitments, the files, submitting and withdrawing. After the deadline the bid's page
is read-only, for the bidder and for those ``rules.can_open_bid`` allows (each opening logged).
Every page that shows a bid's content gets it from ``actions_bids.open_bid``; to anyone who may
not open it, a bid's pages answer 404, as if it did not exist.

Public: the round's questions and answers (and a form to ask). Staff: answering a question, and
the bids received — "sealed until …" before the deadline, the bids and who opened them after it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.models import User
from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.commissioning import actions_bids as actions
from coproduce.commissioning import forms_bids as forms
from coproduce.commissioning import queries, queries_bids, rules
from coproduce.commissioning.models import (
    AccessRoute,
    Attachment,
    Bid,
    BidStatus,
    Clarification,
    Commitment,
    CriterionKind,
    Round,
)
from coproduce.common import documents
from coproduce.common.forms import handle_form
from coproduce.common.permissions import rule_required

# --- Rules of the pages whose object is part of a bid, or a question ----------------------------


def _is_bidder_of_commitment(user: Visitor, commitment: Commitment) -> bool:
    return rules.is_bidder(user, commitment.bid)


def _is_bidder_of_attachment(user: Visitor, attachment: Attachment) -> bool:
    return rules.is_bidder(user, attachment.bid)


def _can_open_attachment(user: Visitor, attachment: Attachment) -> bool:
    return rules.can_open_bid(user, attachment.bid)


def _can_answer(user: Visitor, clarification: Clarification) -> bool:
    return rules.can_answer_questions(user, clarification.round)


# --- What the pages share ------------------------------------------------------------------------


def _page(round_: Round, **extra: Any) -> dict[str, Any]:
    activity = round_.activity
    return {"round": round_, "activity": activity, "service": activity.service, **extra}


def _deadline(round_: Round) -> str:
    return date_format(timezone.localtime(round_.bids_close_at), "j F Y, H:i")


def _posted(request: HttpRequest) -> Any:
    """The form's data when it was sent, even empty (an empty form is checked, not ignored)."""
    return request.POST if request.method == "POST" else None


def _bid_url(bid: Bid, fragment: str = "") -> str:
    return bid.get_absolute_url() + (f"#{fragment}" if fragment else "")


def _closed(request: HttpRequest, bid: Bid) -> HttpResponse:
    """The bid can no longer change (bids closed, or it was withdrawn): say so. A form sent
    anyway is refused (403) and nothing is saved."""
    return render(
        request,
        "commissioning/bids/closed.html",
        _page(
            bid.round,
            bid=bid,
            bids_closed=rules.bids_closed(bid.round),
            can_bid=rules.can_bid(request.user, bid.round),
            refused=request.method == "POST",
        ),
        status=403 if request.method == "POST" else 200,
    )


# --- Starting a bid ------------------------------------------------------------------------------


@rule_required(rules.can_bid, load=queries.visible_round, staff=True)
@require_http_methods(["GET", "POST"])
def bid_start(request: SignedInRequest, round_: Round) -> HttpResponse:
    """Start a bid for one of your organisations (choose which, if you have several), after
    reading when bids close and what sealing means. An organisation's bid already started is
    continued instead."""
    free = queries_bids.organisations_free_to_bid(round_, request.user)
    started = [
        bid
        for bid in queries_bids.own_bids(round_, request.user)
        if bid.status != BidStatus.WITHDRAWN
    ]
    if request.method == "GET" and not free.exists() and len(started) == 1:
        return redirect(started[0].get_absolute_url())
    form = forms.StartForm(_posted(request), organisations=free)
    done = handle_form(
        request,
        form,
        lambda data: actions.bid_start(
            round_=round_, organisation=data["organisation"], by=request.user
        ),
        success=lambda bid: bid.get_absolute_url(),
        message=lambda bid: (
            _(
                "The bid of %(organisation)s is started. Nobody outside your organisation can open "
                "it before the deadline."
            )
            % {"organisation": bid.organisation.name}
        ),
    )
    return done or render(
        request,
        "commissioning/bids/start.html",
        _page(round_, form=form, started=started, can_start=free.exists()),
    )


# --- The bid's page ------------------------------------------------------------------------------


def _statements(bid: Bid) -> list[dict[str, Any]]:
    """Each quality criterion with the bid's method statement for it ("" when none)."""
    written = {s.criterion_id: s.text for s in bid.method_statements.all()}
    return [
        {"criterion": criterion, "text": written.get(criterion.pk, "")}
        for criterion in actions.quality_criteria(bid.round)
    ]


@rule_required(rules.can_open_bid, load=queries_bids.bid_of, hide=True, staff=True)
@require_GET
def bid_detail(request: SignedInRequest, bid: Bid) -> HttpResponse:
    """The bidder's working page until the deadline (each part with its change link, submitting,
    withdrawing); afterwards the bid read-only, for the bidder and for those who may open it,
    each opening logged."""
    opened = actions.open_bid(bid, request.user, AccessRoute.PAGE)
    round_ = opened.round
    is_bidder = rules.is_bidder(request.user, opened)
    editable = rules.can_edit_bid(request.user, opened)
    attachments = list(opened.attachments.all())
    return render(
        request,
        "commissioning/bids/detail.html",
        _page(
            round_,
            bid=opened,
            is_bidder=is_bidder,
            editable=editable,
            bids_closed=rules.bids_closed(round_),
            can_bid=rules.can_bid(request.user, round_),
            can_keep=rules.can_keep_round(request.user, round_),
            statements=_statements(opened),
            commitments=list(opened.commitments.all()),
            has_social_value=round_.criteria.filter(kind=CriterionKind.SOCIAL_VALUE).exists(),
            attachments=attachments,
            room_for_files=len(attachments) < actions.MAX_ATTACHMENTS,
            max_files=actions.MAX_ATTACHMENTS,
            missing=actions.missing_parts(opened) if opened.status == BidStatus.DRAFT else [],
        ),
    )


# --- Price, summary and method statements --------------------------------------------------------


@rule_required(rules.is_bidder, load=queries_bids.bid_of, hide=True, staff=True)
@require_http_methods(["GET", "POST"])
def bid_edit(request: SignedInRequest, bid: Bid) -> HttpResponse:
    """Your price, a summary and a method statement for each quality criterion."""
    if not rules.can_edit_bid(request.user, bid):
        return _closed(request, bid)
    opened = actions.open_bid(bid, request.user, AccessRoute.PAGE)
    form = forms.BidForm(_posted(request), bid=opened)
    done = handle_form(
        request,
        form,
        lambda data: actions.bid_save(
            bid=opened,
            by=request.user,
            price=data["price"],
            summary=data["summary"],
            statements=form.statements(),
        ),
        success=_bid_url(opened),
        message=_("Your bid is saved."),
    )
    return done or render(
        request, "commissioning/bids/edit.html", _page(opened.round, bid=opened, form=form)
    )


# --- Social-value commitments --------------------------------------------------------------------


@rule_required(rules.is_bidder, load=queries_bids.bid_of, hide=True, staff=True)
@require_http_methods(["GET", "POST"])
def commitment_add(request: SignedInRequest, bid: Bid) -> HttpResponse:
    """Promise a quantity of an outcome indicator under a social-value criterion."""
    if not rules.can_edit_bid(request.user, bid):
        return _closed(request, bid)
    form = forms.CommitmentForm(_posted(request), criteria=queries.criteria_of(bid.round))

    def save(data: dict[str, Any]) -> Commitment:
        criterion, indicator = form.chosen()
        try:
            return actions.commitment_add(
                bid=bid,
                by=request.user,
                criterion=criterion,
                indicator=indicator,
                quantity=data["quantity"],
                description=data["description"],
            )
        except ValidationError as error:  # the criterion and indicator are one field here
            if hasattr(error, "error_dict"):
                for name in ("criterion", "indicator"):
                    if name in error.error_dict:
                        error.error_dict["measure"] = error.error_dict.pop(name)
            raise

    done = handle_form(
        request,
        form,
        save,
        success=_bid_url(bid, "commitments"),
        message=_("Commitment added."),
    )
    return done or render(
        request,
        "commissioning/bids/commitment_form.html",
        _page(bid.round, bid=bid, form=form, has_measures=bool(form.options)),
    )


@rule_required(_is_bidder_of_commitment, load=queries_bids.commitment_of, hide=True, staff=True)
@require_http_methods(["GET", "POST"])
def commitment_delete(request: SignedInRequest, commitment: Commitment) -> HttpResponse:
    """Ask, then take a commitment out of the bid."""
    bid = commitment.bid
    if not rules.can_edit_bid(request.user, bid):
        return _closed(request, bid)
    actions.check_opening(bid, request.user, AccessRoute.PAGE)
    if request.method == "POST":
        actions.commitment_delete(commitment=commitment, by=request.user)
        messages.success(request, _("Commitment removed."))
        return redirect(_bid_url(bid, "commitments"))
    return render(
        request,
        "commissioning/bids/commitment_delete.html",
        _page(bid.round, bid=bid, commitment=commitment),
    )


# --- Files ---------------------------------------------------------------------------------------


@rule_required(rules.is_bidder, load=queries_bids.bid_of, hide=True, staff=True)
@require_http_methods(["GET", "POST"])
def attachment_add(request: SignedInRequest, bid: Bid) -> HttpResponse:
    """Upload a PDF, Word (.docx) or OpenDocument text (.odt) file to the bid."""
    if not rules.can_edit_bid(request.user, bid):
        return _closed(request, bid)
    form = (
        forms.AttachmentForm(request.POST, request.FILES)
        if request.method == "POST"
        else forms.AttachmentForm()
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.attachment_add(bid=bid, by=request.user, upload=data["upload"]),
        success=_bid_url(bid, "files"),
        message=lambda attachment: _("“%(name)s” added.") % {"name": attachment.name},
    )
    return done or render(
        request,
        "commissioning/bids/attachment_form.html",
        _page(
            bid.round,
            bid=bid,
            form=form,
            full=bid.attachments.count() >= actions.MAX_ATTACHMENTS,
            max_files=actions.MAX_ATTACHMENTS,
        ),
    )


@rule_required(_can_open_attachment, load=queries_bids.attachment_of, hide=True, staff=True)
@require_GET
def attachment_download(request: SignedInRequest, attachment: Attachment) -> FileResponse:
    """The file, from the sealed storage, as a download (each opening but the bidder's logged)."""
    file = actions.attachment_open(attachment, request.user)
    response = FileResponse(
        file,
        as_attachment=True,
        filename=attachment.name,
        content_type=documents.CONTENT_TYPES[attachment.kind],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@rule_required(_is_bidder_of_attachment, load=queries_bids.attachment_of, hide=True, staff=True)
@require_http_methods(["GET", "POST"])
def attachment_delete(request: SignedInRequest, attachment: Attachment) -> HttpResponse:
    """Ask, then take a file out of the bid."""
    bid = attachment.bid
    if not rules.can_edit_bid(request.user, bid):
        return _closed(request, bid)
    actions.check_opening(bid, request.user, AccessRoute.PAGE)
    if request.method == "POST":
        name = attachment.name
        actions.attachment_delete(attachment=attachment, by=request.user)
        messages.success(request, _("“%(name)s” removed.") % {"name": name})
        return redirect(_bid_url(bid, "files"))
    return render(
        request,
        "commissioning/bids/attachment_delete.html",
        _page(bid.round, bid=bid, attachment=attachment),
    )


# --- Submitting and withdrawing ------------------------------------------------------------------


@rule_required(rules.is_bidder, load=queries_bids.bid_of, hide=True, staff=True)
@require_http_methods(["GET", "POST"])
def bid_submit(request: SignedInRequest, bid: Bid) -> HttpResponse:
    """Check, then submit the bid; what is still missing is listed, with where to add it."""
    if not rules.can_edit_bid(request.user, bid):
        return _closed(request, bid)
    opened = actions.open_bid(bid, request.user, AccessRoute.PAGE)
    if opened.status == BidStatus.SUBMITTED:
        messages.info(request, _("Your bid is already submitted."))
        return redirect(_bid_url(opened))
    errors: list[str] = []
    if request.method == "POST":
        try:
            actions.bid_submit(bid=opened, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("Your bid is submitted. You can still change it, or withdraw it, until %(time)s.")
                % {"time": _deadline(opened.round)},
            )
            return redirect(_bid_url(opened))
    return render(
        request,
        "commissioning/bids/submit.html",
        _page(opened.round, bid=opened, errors=errors, missing=actions.missing_parts(opened)),
    )


@rule_required(rules.is_bidder, load=queries_bids.bid_of, hide=True, staff=True)
@require_http_methods(["GET", "POST"])
def bid_withdraw(request: SignedInRequest, bid: Bid) -> HttpResponse:
    """Ask, then withdraw the bid: it will not be evaluated."""
    if not rules.can_edit_bid(request.user, bid):
        return _closed(request, bid)
    if request.method == "POST":
        actions.bid_withdraw(bid=bid, by=request.user)
        messages.success(request, _("Your bid is withdrawn. It will not be evaluated."))
        return redirect(_bid_url(bid))
    return render(request, "commissioning/bids/withdraw.html", _page(bid.round, bid=bid))


# --- Bidders' questions --------------------------------------------------------------------------


@rule_required(rules.can_view_round, load=queries.visible_round, hide=True)
@require_http_methods(["GET", "POST"])
def clarifications(request: HttpRequest, round_: Round) -> HttpResponse:
    """The questions bidders asked and our answers, for everyone (without who asked); a form to
    ask one for members of organisations, until questions close."""
    can_ask = rules.can_ask_question(request.user, round_)
    if request.method == "POST" and not can_ask:
        raise PermissionDenied
    form = forms.QuestionForm(_posted(request)) if can_ask else None
    done = None
    if form is not None:
        asker = request.user
        assert isinstance(asker, User)  # rules.can_ask_question: signed in
        done = handle_form(
            request,
            form,
            lambda data: actions.clarification_ask(
                round_=round_, by=asker, question=data["question"]
            ),
            success=reverse("commissioning:clarifications", args=[round_.pk]) + "#waiting",
            message=_(
                "Your question is sent. We publish it on this page with our answer, without your "
                "name."
            ),
        )
    can_answer = rules.can_answer_questions(request.user, round_)
    return done or render(
        request,
        "commissioning/bids/clarifications.html",
        _page(
            round_,
            form=form,
            answered=queries_bids.answered_questions(round_),
            own_waiting=queries_bids.own_waiting_questions(round_, request.user),
            waiting=queries_bids.waiting_questions(round_) if can_answer else [],
            can_answer=can_answer,
            questions_closed=timezone.localdate() > round_.questions_close_on,
        ),
    )


@rule_required(_can_answer, load=queries_bids.clarification_of, staff=True)
@require_http_methods(["GET", "POST"])
def clarification_answer(request: SignedInRequest, clarification: Clarification) -> HttpResponse:
    """Answer a bidder's question (or correct the answer): it is then public."""
    round_ = clarification.round
    form = forms.AnswerForm(
        _posted(request),
        initial={"answer": clarification.answer, "answer_cy": clarification.answer_cy},
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.clarification_answer(
            clarification=clarification,
            by=request.user,
            answer=data["answer"],
            answer_cy=data["answer_cy"],
        ),
        success=reverse("commissioning:clarifications", args=[round_.pk])
        + f"#question-{clarification.pk}",
        message=_("The answer is published."),
    )
    return done or render(
        request,
        "commissioning/bids/clarification_answer.html",
        _page(round_, form=form, clarification=clarification),
    )


# --- The bids received, for the round's keepers ---------------------------------------------------


@rule_required(rules.can_keep_round, load=queries.visible_round, staff=True)
@require_GET
def bids_received(request: SignedInRequest, round_: Round) -> HttpResponse:
    """Before the deadline: sealed, nothing more (not even how many). After it: the submitted
    bids, and who opened which, how and when."""
    closed = rules.bids_closed(round_)
    return render(
        request,
        "commissioning/bids/received.html",
        _page(
            round_,
            bids_closed=closed,
            bids=queries_bids.received_bids(round_),
            log=queries_bids.access_log(round_),
            waiting_count=queries_bids.waiting_questions(round_).count(),
        ),
    )
