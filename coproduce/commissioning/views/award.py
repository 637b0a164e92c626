"""The award, bidders' own scores, and the round's open data (decision 0079).

Making the award is a staff page (``rules.can_award``): it needs an agreed score for every bid
on every criterion, shows the weighted totals and ranking (prices read through ``open_bid``) and
starts with the top-ranked bid chosen. The award's page is public once it is made; a bidder
reads its own agreed scores, the moderation's reasons and its feedback on its own page.

The open-data views (ocds, scores_csv, interests_csv) are placeholders here: they move to
views/open_data.py.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.accounts.types import SignedInRequest
from coproduce.commissioning import actions_award, queries, rules
from coproduce.commissioning import queries_evaluation as evaluation
from coproduce.commissioning.forms_evaluation import AwardForm
from coproduce.commissioning.models import SCORE_MAX, AgreedScore, Award, Bid, Round
from coproduce.common.forms import handle_form
from coproduce.common.permissions import rule_required


def _page(round_: Round, **extra: Any) -> dict[str, Any]:
    activity = round_.activity
    return {"round": round_, "activity": activity, "service": activity.service, **extra}


# --- Making the award ------------------------------------------------------------------------------


@rule_required(rules.can_award, load=queries.visible_round, staff=True)
@require_http_methods(["GET", "POST"])
def award_make(request: SignedInRequest, round_: Round) -> HttpResponse:
    """The totals and ranking, the winning bid (the top-ranked to start with), the reasons,
    feedback to every bidder; the standstill period's end is worked out from today."""
    missing = evaluation.missing_agreed(round_)
    if missing or not evaluation.bidders(round_):
        return render(
            request,
            "commissioning/award/award_make.html",
            _page(round_, missing=missing, no_bids=not evaluation.bidders(round_)),
            status=400 if request.method == "POST" else 200,
        )
    results = evaluation.results(round_, evaluation.opened_prices(round_, request.user))
    form = AwardForm(request.POST if request.method == "POST" else None, lines=results.lines)
    bids = {line.bid.pk: line.bid for line in results.lines}

    def make(data: dict[str, Any]) -> Award:
        return actions_award.award_make(
            round_=round_,
            by=request.user,
            bid=bids[data["bid"]],
            reasons=data["reasons"],
            why_not_top=data["why_not_top"],
            reasons_cy=data["reasons_cy"],
            contract_starts_on=data["contract_starts_on"],
            feedback=form.feedback(),
        )

    done = handle_form(
        request,
        form,
        make,
        success=lambda award: reverse("commissioning:award", args=[round_.pk]),
        message=_("The award is made and published."),
    )
    return done or render(
        request,
        "commissioning/award/award_make.html",
        _page(
            round_,
            missing=[],
            no_bids=False,
            results=results,
            show_prices=True,
            form=form,
            scale_max=SCORE_MAX,
            standstill_ends_on=actions_award.standstill_ends_on(round_, timezone.localdate()),
        ),
    )


# --- The published award ---------------------------------------------------------------------------


@rule_required(rules.can_view_round, load=queries.visible_round, hide=True)
@require_http_methods(["GET"])
def award_detail(request: HttpRequest, round_: Round) -> HttpResponse:
    """The winner, the reasons, the full scores table with totals and ranks, how price was
    scored, the standstill period, and links to the register of interests and the open data.
    Before the award: when it is planned."""
    award = Award.objects.filter(round=round_).select_related("bid__organisation").first()
    if award is None:
        return render(request, "commissioning/award/award_detail.html", _page(round_, award=None))
    results = evaluation.results(round_, evaluation.published_prices(round_))
    return render(
        request,
        "commissioning/award/award_detail.html",
        _page(
            round_,
            award=award,
            results=results,
            show_prices=False,
            scale_max=SCORE_MAX,
            winner=next(line for line in results.lines if line.bid.pk == award.bid_id),
            in_standstill=timezone.localdate() <= award.standstill_ends_on,
            own_bids=[
                line.bid
                for line in results.lines
                if rules.can_see_own_scores(request.user, line.bid)
            ],
        ),
    )


def _own_bid(request: HttpRequest, pk: int) -> Bid:
    return evaluation.visible_bid(request, pk)


@rule_required(rules.can_see_own_scores, load=_own_bid, hide=True)
@require_http_methods(["GET"])
def own_scores(request: SignedInRequest, bid: Bid) -> HttpResponse:
    """After the award, the bidder's own agreed scores, the moderation's reasons, its points,
    total and rank, and the feedback written to it. Nobody else's."""
    round_ = bid.round
    award = Award.objects.select_related("bid__organisation").get(round=round_)
    results = evaluation.results(round_, evaluation.published_prices(round_))
    line = next((line for line in results.lines if line.bid.pk == bid.pk), None)
    if line is None:  # a bid that was not submitted has no scores
        raise Http404
    reasons = dict(AgreedScore.objects.filter(bid=bid).values_list("criterion_id", "reason"))
    return render(
        request,
        "commissioning/award/own_scores.html",
        _page(
            round_,
            bid=bid,
            award=award,
            line=line,
            rows=[
                {
                    "points": points,
                    "heading": heading,
                    "label": evaluation.scale_label(points.agreed),
                    "reason": reasons.get(points.criterion.pk, ""),
                }
                for points, heading in zip(line.criteria, results.headings, strict=True)
            ],
            count=len(results.lines),
            won=award.bid_id == bid.pk,
            scale_max=SCORE_MAX,
            results=results,
        ),
    )


# --- Open data: placeholders (views/open_data.py) ----------------------------------------------
