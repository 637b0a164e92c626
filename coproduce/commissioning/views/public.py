"""The public pages of a commissioning round: the round (what is bought, the timetable and how
bids will be judged), weighing its criteria, and "How your weighting is used".

Every page works without JavaScript: the weighing page's running total of points is a help, and
the server checks the points add up to 100 (decision 0075). The round's page also says where
the bidding stands: open (sealed until the deadline), under evaluation, or awarded.
"""

from __future__ import annotations

import statistics
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.commissioning import actions, queries, queries_bids, rules, weights
from coproduce.commissioning.forms_public import WeighForm
from coproduce.commissioning.models import POINTS, CriterionKind, Round, Weighting
from coproduce.commissioning.templatetags.commissioning import money as money  # staff pages use it
from coproduce.common.forms import handle_form
from coproduce.common.permissions import anyone, rule_required, signed_in
from coproduce.contributions.models import AuthorDisplay
from coproduce.services.models import ActivityState

# Why someone cannot weigh the criteria now (the closed page says which).
PUBLISHED, PAST, NOT_OPEN, NO_CRITERIA = "published", "past", "not_open", "no_criteria"


def _page(round_: Round, **extra: Any) -> dict[str, Any]:
    activity = round_.activity
    return {"round": round_, "activity": activity, "service": activity.service, **extra}


def _closes_on(round_: Round) -> str:
    return date_format(round_.weighting_closes_on, "j F Y")


# --- The round ---------------------------------------------------------------------------------


@rule_required(rules.can_view_round, load=queries.visible_round, hide=True)
def round_detail(request: HttpRequest, round_: Round) -> HttpResponse:
    """The round: the specification and what it answers, the contract, the timetable, and how
    bids will be judged, with the published weights or the invitation to weigh them."""
    criteria = list(queries.criteria_of(round_))
    published = round_.weights_published_at is not None
    return render(
        request,
        "commissioning/round.html",
        _page(
            round_,
            decisions=round_.decisions.all(),
            indicators=round_.indicators.select_related("outcome"),
            groups=[
                {
                    "kind": kind,
                    "label": kind.label,
                    "criteria": [c for c in criteria if c.kind == kind],
                }
                for kind in CriterionKind
                if any(c.kind == kind for c in criteria)
            ],
            published=published,
            rows=queries.weight_rows(round_) if published else [],
            weighting_open=rules.weighting_open(round_),
            can_weigh=rules.can_weigh(request.user, round_),
            weighting_count=queries.weighting_count(round_),
            has_weighed=queries.weighting_of(round_, request.user) is not None,
            can_keep=rules.can_keep_round(request.user, round_),
            bids_closed=rules.bids_closed(round_),
            can_bid=rules.can_bid(request.user, round_),
            award=queries.award_of(round_),
            is_evaluator=rules.evaluator_of(request.user, round_) is not None,
            own_bids=queries_bids.own_bids(round_, request.user),
        ),
    )


# --- Weighing the criteria ---------------------------------------------------------------------


def _why_closed(round_: Round) -> str:
    if round_.weights_published_at is not None:
        return PUBLISHED
    if round_.activity.state != ActivityState.OPEN:
        return NOT_OPEN
    if not round_.criteria.exists():
        return NO_CRITERIA
    return PAST


def _comparison(round_: Round, weighting: Weighting | None) -> list[dict[str, Any]]:
    """Once the weights are published, the person's points beside each published weight."""
    if weighting is None or round_.weights_published_at is None:
        return []
    given = actions.weighting_points(weighting)
    return [
        {"criterion": row.criterion, "yours": given.get(row.criterion.pk, 0), "weight": row.weight}
        for row in queries.weight_rows(round_)
    ]


@rule_required(signed_in, load=queries.visible_round)
@require_http_methods(["GET", "POST"])
def weigh(request: HttpRequest, round_: Round) -> HttpResponse:
    """Share out 100 points across the quality and social-value criteria (or change how you
    did, until the weighting closes). Afterwards: your points beside the published weights."""
    weighting = queries.weighting_of(round_, request.user)
    if not rules.can_weigh(request.user, round_):
        # A form sent after the weighting closed is refused: nothing is saved.
        return render(
            request,
            "commissioning/weigh_closed.html",
            _page(
                round_,
                reason=_why_closed(round_),
                refused=request.method == "POST",
                comparison=_comparison(round_, weighting),
            ),
            status=403 if request.method == "POST" else 200,
        )
    criteria = list(queries.criteria_of(round_))
    form = WeighForm(
        request.POST if request.method == "POST" else None,
        criteria=criteria,
        points=actions.weighting_points(weighting) if weighting is not None else None,
        initial={
            "author_display": weighting.contribution.author_display
            if weighting is not None
            else AuthorDisplay.FIRST_NAME
        },
    )

    def save(data: dict[str, Any]) -> Weighting:
        # The action's "points" error (their total) is about every field at once: the form has
        # no such field, so handle_form shows it above the fieldsets and in the error summary.
        return actions.weighting_save(
            round_=round_,
            person=request.user,
            points=form.points(),
            author_display=data["author_display"],
        )

    done = handle_form(
        request,
        form,
        save,
        success=reverse("commissioning:round", args=[round_.pk]),
        message=_("Your weighting is saved. You can change it until %(day)s.")
        % {"day": _closes_on(round_)},
    )
    return done or render(
        request,
        "commissioning/weigh.html",
        _page(
            round_,
            form=form,
            has_weighed=weighting is not None,
            points=POINTS,
            first_field=form[f"points_{criteria[0].pk}"].auto_id if criteria else "",
        ),
    )


# --- How your weighting is used ----------------------------------------------------------------

# The worked example: five people share 100 points across three criteria.
EXAMPLE_PEOPLE = [(50, 25, 25), (40, 40, 20), (30, 30, 40), (20, 60, 20), (0, 0, 100)]
EXAMPLE_PRICE = 40


def _example() -> dict[str, Any]:
    """The worked example's numbers, worked out by the same method the platform uses."""
    names = [_("Seen quickly"), _("The same worker"), _("Local jobs")]
    keys = list(range(len(names)))
    people = [dict(zip(keys, points, strict=True)) for points in EXAMPLE_PEOPLE]
    published = weights.combine(keys, people)
    medians = [statistics.median(person[key] for person in people) for key in keys]
    award = weights.award_weights(EXAMPLE_PRICE, published)
    return {
        "people": [
            {"number": number, "points": points} for number, points in enumerate(EXAMPLE_PEOPLE, 1)
        ],
        "names": names,
        "criteria": [
            {
                "name": names[key],
                "sorted": ", ".join(str(value) for value in sorted(p[key] for p in EXAMPLE_PEOPLE)),
                "median": medians[key],
                "mean": statistics.mean(person[key] for person in people),
                "weight": published[key],
                "award": float(award[key]),
            }
            for key in keys
        ],
        "medians_total": sum(medians),
        "price": EXAMPLE_PRICE,
        "share": POINTS - EXAMPLE_PRICE,
    }


@rule_required(anyone)
def how_weighting_works(request: HttpRequest) -> HttpResponse:
    """A page for residents: why we ask them to weigh the criteria and how their points are used."""
    return render(request, "commissioning/how_weighting_works.html", {"example": _example()})
