"""Evaluation pages (decision 0078): staff choose the evaluators; each evaluator declares their
interests in every bidder, then scores on their own every bid they have no interest in (their
list of what to do is the evaluate page); the round's keepers moderate; the register of
interests is public once bids close.

Independence: an evaluator's pages show only their own scores. Only the round's keepers see
everyone's, on the moderation pages, and a keeper who also evaluates sees them only once their
own scores are done. A bid's content is read through ``actions_bids.open_bid`` (logged).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.commissioning import actions_evaluation as actions
from coproduce.commissioning import queries, rules
from coproduce.commissioning import queries_evaluation as evaluation
from coproduce.commissioning.actions_bids import open_bid
from coproduce.commissioning.forms_evaluation import (
    INTEREST,
    DeclareForm,
    EvaluatorForm,
    ModerateForm,
    ScoreForm,
)
from coproduce.commissioning.models import (
    SCORE_MAX,
    SCORE_SCALE,
    AccessRoute,
    Bid,
    BidStatus,
    Evaluator,
    Round,
)
from coproduce.common.forms import handle_form
from coproduce.common.permissions import rule_required

# Why an evaluator cannot declare or score now (the page says which).
BEFORE, AWARDED, UNDECLARED, CONFLICT = "before", "awarded", "undeclared", "conflict"


def _page(round_: Round, **extra: Any) -> dict[str, Any]:
    activity = round_.activity
    return {"round": round_, "activity": activity, "service": activity.service, **extra}


def _evaluate_url(round_: Round) -> str:
    return reverse("commissioning:evaluate", args=[round_.pk])


# --- Rules of these pages (rules.py holds the shared ones) ---------------------------------------


def _evaluates(user: Visitor, round_: Round) -> bool:
    """An evaluator of the round."""
    return rules.evaluator_of(user, round_) is not None


def _evaluates_bid(user: Visitor, bid: Bid) -> bool:
    """An evaluator of the bid's round, for a submitted bid (everyone else: 404)."""
    return bid.status == BidStatus.SUBMITTED and _evaluates(user, bid.round)


def _can_remove(user: Visitor, evaluator: Evaluator) -> bool:
    return rules.can_choose_evaluators(user, evaluator.round)


def _can_moderate_bid(user: Visitor, bid: Bid) -> bool:
    return bid.status == BidStatus.SUBMITTED and rules.can_moderate(user, bid.round)


# --- The public register of interests ------------------------------------------------------------


@rule_required(rules.can_view_round, load=queries.visible_round, hide=True)
@require_http_methods(["GET"])
def interests(request: HttpRequest, round_: Round) -> HttpResponse:
    """Each evaluator, their role, and what they declared about each bidder: published once bids
    close (before then, nobody knows who bid)."""
    closed = rules.bids_closed(round_)
    return render(
        request,
        "commissioning/evaluation/interests.html",
        _page(
            round_,
            closed=closed,
            rows=evaluation.register(round_) if closed else [],
            bids=evaluation.bidders(round_) if closed else [],
            award_made=rules.award_made(round_),
        ),
    )


# --- Choosing evaluators ---------------------------------------------------------------------------


@rule_required(rules.can_keep_round, load=queries.visible_round, staff=True)
@require_http_methods(["GET", "POST"])
def evaluators(request: SignedInRequest, round_: Round) -> HttpResponse:
    """The round's evaluators with how far each has got, and the form to choose another."""
    progress = rules.progress(round_)
    people = [
        {
            "evaluator": e,
            "name": evaluation.public_name(e.person),
            "declared": progress[e.pk].declared,
            "done": progress[e.pk].done,
            "removable": progress[e.pk].removable,
        }
        for e in evaluation.evaluators(round_)
    ]
    may_choose = rules.can_choose_evaluators(request.user, round_)
    closed = rules.bids_closed(round_)
    form = EvaluatorForm(request.POST if request.method == "POST" else None)
    done = None
    if may_choose:
        done = handle_form(
            request,
            form,
            lambda data: actions.evaluator_add(
                round_=round_, by=request.user, email=data["email"], role=data["role"]
            ),
            success=reverse("commissioning:evaluators", args=[round_.pk]),
            message=lambda evaluator: (
                _("%(name)s is an evaluator of the round. We have emailed them.")
                % {"name": evaluation.public_name(evaluator.person)}
            ),
        )
    elif request.method == "POST":
        return render(
            request,
            "commissioning/evaluation/evaluators.html",
            _page(round_, people=people, may_choose=False, refused=True, bids_closed=closed),
            status=403,
        )
    return done or render(
        request,
        "commissioning/evaluation/evaluators.html",
        _page(
            round_,
            form=form,
            people=people,
            may_choose=may_choose,
            bids_closed=closed,
        ),
    )


@rule_required(_can_remove, load=evaluation.evaluator_of_pk, staff=True)
@require_http_methods(["GET", "POST"])
def evaluator_remove(request: SignedInRequest, evaluator: Evaluator) -> HttpResponse:
    """Ask, then take an evaluator off the round (refused once they have declared)."""
    round_ = evaluator.round
    errors: list[str] = []
    name = evaluation.public_name(evaluator.person)
    if request.method == "POST":
        try:
            actions.evaluator_remove(evaluator=evaluator, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("%(name)s is no longer an evaluator.") % {"name": name})
            return redirect("commissioning:evaluators", round_.pk)
    return render(
        request,
        "commissioning/evaluation/evaluator_remove.html",
        _page(round_, evaluator=evaluator, name=name, errors=errors),
    )


# --- The evaluator's list of what to do ----------------------------------------------------------


@rule_required(_evaluates, load=queries.visible_round)
@require_http_methods(["GET"])
def evaluate(request: SignedInRequest, round_: Round) -> HttpResponse:
    """What the evaluator has to do, in order: declare their interests in every bidder once bids
    close, then score each bid they have no interest in."""
    evaluator = rules.evaluator_of(request.user, round_)
    assert evaluator is not None
    closed = rules.bids_closed(round_)
    tasks = evaluation.evaluator_tasks(evaluator, request.user) if closed else []
    return render(
        request,
        "commissioning/evaluation/evaluate.html",
        _page(
            round_,
            evaluator=evaluator,
            closed=closed,
            awarded=rules.award_made(round_),
            declared_all=closed and rules.declared_all(evaluator),
            can_declare=rules.can_declare(request.user, round_),
            tasks=tasks,
            to_score=[t for t in tasks if t.may_score and not t.done],
            criteria_count=round_.criteria.count(),
        ),
    )


# --- Declaring interests ---------------------------------------------------------------------------


def _declarations(evaluator: Evaluator) -> list[Any]:
    return list(evaluator.declarations.select_related("bid__organisation"))


@rule_required(_evaluates, load=queries.visible_round)
@require_http_methods(["GET", "POST"])
def declare(request: SignedInRequest, round_: Round) -> HttpResponse:
    """One form with every bidder: no interest, or an interest described. Final once sent."""
    evaluator = rules.evaluator_of(request.user, round_)
    assert evaluator is not None
    if not rules.can_declare(request.user, round_):
        return render(
            request,
            "commissioning/evaluation/declare.html",
            _page(
                round_,
                closed_reason=AWARDED if rules.award_made(round_) else BEFORE,
                refused=request.method == "POST",
                declarations=_declarations(evaluator),
            ),
            status=403 if request.method == "POST" else 200,
        )
    declared = {d.bid_id for d in evaluator.declarations.all()}
    waiting = [bid for bid in evaluation.bidders(round_) if bid.pk not in declared]
    form = DeclareForm(request.POST if request.method == "POST" else None, bids=waiting)
    done = None
    if waiting:
        done = handle_form(
            request,
            form,
            lambda data: actions.declarations_save(
                round_=round_, person=request.user, answers=form.answers()
            ),
            success=_evaluate_url(round_),
            message=_(
                "Your declarations are recorded. They are published in the round's register "
                "of interests."
            ),
        )
    elif request.method == "POST":
        messages.info(request, _("You have already declared your interests in every bidder."))
        return redirect(_evaluate_url(round_))
    return done or render(
        request,
        "commissioning/evaluation/declare.html",
        _page(
            round_,
            form=form,
            rows=form.rows(),
            interest=INTEREST,
            declarations=_declarations(evaluator),
        ),
    )


# --- Scoring a bid ---------------------------------------------------------------------------------


def _why_not_score(user: Visitor, bid: Bid) -> str:
    evaluator = rules.evaluator_of(user, bid.round)
    if not rules.bids_closed(bid.round):
        return BEFORE
    if rules.award_made(bid.round):
        return AWARDED
    if evaluator is None or not rules.declared_all(evaluator):
        return UNDECLARED
    return CONFLICT


@rule_required(_evaluates_bid, load=evaluation.visible_bid, hide=True)
@require_http_methods(["GET", "POST"])
def score(request: SignedInRequest, bid: Bid) -> HttpResponse:
    """The bid (opened through ``open_bid``, so the opening is logged) and the evaluator's own
    score and comment on every criterion. Nobody else's scores are shown."""
    round_ = bid.round
    if not rules.can_score(request.user, bid):
        # Nothing of the bid is shown, and a form sent is refused: nothing is saved.
        return render(
            request,
            "commissioning/evaluation/score_closed.html",
            _page(
                round_,
                bid=bid,
                reason=_why_not_score(request.user, bid),
                refused=request.method == "POST",
            ),
            status=403 if request.method == "POST" else 200,
        )
    evaluator = rules.evaluator_of(request.user, round_)
    assert evaluator is not None
    criteria = actions.scored_criteria(round_)
    form = ScoreForm(
        request.POST if request.method == "POST" else None,
        criteria=criteria,
        given=evaluation.own_scores(evaluator, bid),
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.scores_save(bid=bid, person=request.user, scores=form.scores()),
        success=_evaluate_url(round_),
        message=_("Your scores for %(bidder)s are saved.") % {"bidder": bid.organisation.name},
    )
    if done:
        return done
    opened = open_bid(bid, request.user, AccessRoute.PAGE)
    statements = {s.criterion_id: s for s in opened.method_statements.all()}
    commitments = list(opened.commitments.all())
    return render(
        request,
        "commissioning/evaluation/score.html",
        _page(
            round_,
            bid=opened,
            form=form,
            rows=[
                {
                    **row,
                    "statement": statements.get(row["criterion"].pk),
                    "commitments": [
                        c for c in commitments if c.criterion_id == row["criterion"].pk
                    ],
                }
                for row in form.rows()
            ],
            locked=bid.agreed_scores.exists(),
            scale=SCORE_SCALE,
            scale_max=SCORE_MAX,
            attachments=list(opened.attachments.all()),
        ),
    )


# --- Moderation ------------------------------------------------------------------------------------


def _own_scoring_unfinished(user: Visitor, round_: Round) -> bool:
    """A keeper who also evaluates and has not finished their own scores (they would see the
    others' first)."""
    evaluator = rules.evaluator_of(user, round_)
    return evaluator is not None and not actions.scoring_done(evaluator)


@rule_required(rules.can_see_moderation, load=queries.visible_round, staff=True)
@require_http_methods(["GET"])
def moderation(request: SignedInRequest, round_: Round) -> HttpResponse:
    """Every evaluator's score and comment per bid and criterion, the agreed scores, and the
    weighted totals and ranking they give (prices read through ``open_bid``); after the award,
    the record without the buttons that change it."""
    awarded = rules.award_made(round_)
    if not awarded and _own_scoring_unfinished(request.user, round_):
        return render(
            request,
            "commissioning/evaluation/moderation.html",
            _page(round_, unfinished=True, conflicted=False),
        )
    evaluator = rules.evaluator_of(request.user, round_)
    conflicts = (
        set(evaluator.declarations.filter(conflict=True).values_list("bid_id", flat=True))
        if evaluator is not None
        else set()
    )
    tables = evaluation.moderation(round_)
    results = evaluation.results(round_, evaluation.opened_prices(round_, request.user))
    return render(
        request,
        "commissioning/evaluation/moderation.html",
        _page(
            round_,
            unfinished=False,
            conflicted=False,
            conflicts=conflicts,
            tables=tables,
            results=results,
            show_prices=True,
            scale_max=SCORE_MAX,
            evaluator_count=len(evaluation.evaluators(round_)),
            awarded=awarded,
        ),
    )


@rule_required(_can_moderate_bid, load=evaluation.visible_bid, staff=True)
@require_http_methods(["GET", "POST"])
def moderate_bid(request: SignedInRequest, bid: Bid) -> HttpResponse:
    """One bid: each criterion's scores and comments, and the agreed score with its reason."""
    round_ = bid.round
    if not actions.may_moderate_bid(request.user, bid):
        # A keeper who evaluates: they declared an interest in this bidder, or their own
        # scores are not finished.
        evaluator = rules.evaluator_of(request.user, round_)
        conflicted = evaluator is not None and rules.has_conflict(evaluator, bid)
        return render(
            request,
            "commissioning/evaluation/moderation.html",
            _page(round_, unfinished=not conflicted, conflicted=conflicted, bid=bid),
            status=403 if request.method == "POST" else 200,
        )
    table = evaluation.moderation(round_, [bid])[0]
    form = ModerateForm(
        request.POST if request.method == "POST" else None,
        criteria=[row.criterion for row in table.criteria],
        agreed={
            row.criterion.pk: (row.agreed.score, row.agreed.reason)
            for row in table.criteria
            if row.agreed is not None
        },
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.agreed_scores_save(bid=bid, by=request.user, agreed=form.agreed()),
        success=reverse("commissioning:moderation", args=[round_.pk]) + f"#bid-{bid.pk}",
        message=_("The agreed scores for %(bidder)s are saved.")
        % {"bidder": bid.organisation.name},
    )
    return done or render(
        request,
        "commissioning/evaluation/moderate_bid.html",
        _page(
            round_,
            bid=bid,
            rows=[{"row": row, **form.fields_of(row.criterion)} for row in table.criteria],
            form=form,
            scale_max=SCORE_MAX,
        ),
    )
