"""Staff pages of a commissioning round: the round at a glance (or the invitation to set it up),
its set-up and what it answers, the award criteria, and publishing the weights residents gave,
which answers every weighting (decision 0076).

Each page is for the administrators and professionals of the service's organisation. The actions
check the rules again, and their refusals are shown on the form they came from.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.commissioning import actions, queries, rules, weights
from coproduce.commissioning import forms_staff as forms
from coproduce.commissioning.models import POINTS, Criterion, CriterionKind, Round
from coproduce.commissioning.views.public import money
from coproduce.common.forms import handle_form
from coproduce.common.permissions import rule_required
from coproduce.services.models import Activity, ActivityKind
from coproduce.services.queries import visible_activity

# --- Loading what a page is about -----------------------------------------------------------------


def _round_activity(request: HttpRequest, pk: int) -> Activity:
    """A commissioning-round activity the visitor may see (with or without its round yet)."""
    activity = visible_activity(request, pk)
    if activity.kind != ActivityKind.COMMISSIONING_ROUND:
        raise Http404
    return activity


def _can_keep_criterion(user: Visitor, criterion: Criterion) -> bool:
    return rules.can_keep_round(user, criterion.round)


def _manage_url(pk: int) -> str:
    return reverse("commissioning:manage", args=[pk])


def _page(activity: Activity, round_: Round | None, **extra: Any) -> dict[str, Any]:
    """What every staff page of a round has: the round, its activity and its service."""
    return {"round": round_, "activity": activity, "service": activity.service, **extra}


def _criteria_fixed(round_: Round) -> bool:
    """Residents have started weighing (or the weights are out): criteria can only be reworded."""
    return round_.weights_published_at is not None or queries.weighting_count(round_) > 0


def _groups(criteria: list[Criterion]) -> list[dict[str, Any]]:
    """The criteria by kind: quality, then social value (kinds without criteria left out)."""
    return [
        {"kind": kind, "label": kind.label, "criteria": [c for c in criteria if c.kind == kind]}
        for kind in CriterionKind
        if any(c.kind == kind for c in criteria)
    ]


def _residents_rows(round_: Round, criteria: list[Criterion]) -> list[dict[str, Any]]:
    """Each criterion with what residents' points give now, and its share of the whole award."""
    given = actions.residents_weights(round_)
    award = weights.award_weights(round_.price_weight, given)
    return [
        {
            "criterion": criterion,
            "points": given.get(criterion.pk, 0),
            "award": round(float(award.get(criterion.pk, 0)), 1),
        }
        for criterion in criteria
    ]


# --- The round at a glance ------------------------------------------------------------------------


@rule_required(rules.can_set_up_round, load=_round_activity, staff=True)
@require_GET
def manage(request: SignedInRequest, activity: Activity) -> HttpResponse:
    """The round's set-up, what it answers, its criteria, residents' weighting so far and the
    published weights; without a round yet, the invitation to set it up."""
    round_ = Round.objects.filter(activity=activity).first()
    if round_ is None:
        return render(request, "commissioning/staff/manage.html", _page(activity, None))
    criteria = list(queries.criteria_of(round_))
    published = round_.weights_published_at is not None
    return render(
        request,
        "commissioning/staff/manage.html",
        _page(
            activity,
            round_,
            contract_value=money(round_.contract_value, round_.currency),
            decisions=round_.decisions.all(),
            indicators=round_.indicators.select_related("outcome"),
            groups=_groups(criteria),
            criteria_fixed=_criteria_fixed(round_),
            weighting_count=queries.weighting_count(round_),
            weighting_open=rules.weighting_open(round_),
            residents_rows=[] if published else _residents_rows(round_, criteria),
            published=published,
            rows=queries.weight_rows(round_) if published else [],
            points=POINTS,
            bids_closed=rules.bids_closed(round_),
            set_up_fixed=rules.fixed_set_up(round_),
            award=queries.award_of(round_),
            unanswered=round_.clarifications.filter(answered_at__isnull=True).count(),
        ),
    )


# --- The set-up -----------------------------------------------------------------------------------


@rule_required(rules.can_set_up_round, load=_round_activity, staff=True)
@require_http_methods(["GET", "POST"])
def round_edit(request: SignedInRequest, activity: Activity) -> HttpResponse:
    """Set up the round (its first save creates it), or change what may still change
    (decision 0122); once the award is made, back to the round's page saying why."""
    round_ = Round.objects.filter(activity=activity).first()
    if round_ is not None and rules.award_made(round_):
        messages.error(request, actions.AWARD_MADE)
        return redirect(_manage_url(activity.pk))
    form = forms.RoundForm(request.POST or None, service=activity.service, round_=round_)

    def save(data: dict[str, Any]) -> Round:
        try:
            return actions.round_save(
                activity=activity,
                by=request.user,
                fields=form.round_fields(),
                decisions=data["decisions"],
                indicators=data.get("indicators") or (),
            )
        except ValidationError as error:  # the closing time is two fields on the form
            if hasattr(error, "error_dict") and "bids_close_at" in error.error_dict:
                error.error_dict["bids_close_on"] = error.error_dict.pop("bids_close_at")
            raise

    done = handle_form(
        request,
        form,
        save,
        success=_manage_url(activity.pk),
        message=_("Round saved.")
        if round_ is not None
        else _("The round is set up. Add its award criteria next."),
    )
    return done or render(
        request,
        "commissioning/staff/round_form.html",
        _page(
            activity,
            round_,
            form=form,
            bids_closed=round_ is not None and rules.bids_closed(round_),
            title=_("Change the round") if round_ is not None else _("Set up the round"),
        ),
    )


# --- Criteria -------------------------------------------------------------------------------------


@rule_required(rules.can_keep_round, load=queries.visible_round, staff=True)
@require_http_methods(["GET", "POST"])
def criterion_add(request: SignedInRequest, round_: Round) -> HttpResponse:
    """Add a quality or social-value criterion, before residents start weighing."""
    activity = round_.activity
    form = forms.NewCriterionForm(request.POST or None, service=activity.service)
    done = handle_form(
        request,
        form,
        lambda data: actions.criterion_add(
            round_=round_,
            by=request.user,
            kind=data["kind"],
            name=data["name"],
            description=data["description"],
            name_cy=data["name_cy"],
            description_cy=data["description_cy"],
            indicators=data.get("indicators") or (),
        ),
        success=_manage_url(round_.pk),
        message=lambda criterion: _("Criterion “%(name)s” added.") % {"name": criterion.name},
    )
    return done or render(
        request,
        "commissioning/staff/criterion_form.html",
        _page(
            activity,
            round_,
            form=form,
            title=_("Add a criterion"),
            criteria_fixed=_criteria_fixed(round_),
        ),
    )


@rule_required(_can_keep_criterion, load=queries.visible_criterion, staff=True)
@require_http_methods(["GET", "POST"])
def criterion_edit(request: SignedInRequest, criterion: Criterion) -> HttpResponse:
    """Correct a criterion's words, their Welsh, or the indicators it serves (its kind stays)."""
    round_ = criterion.round
    form = forms.EditCriterionForm(
        request.POST or None, service=round_.activity.service, criterion=criterion
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.criterion_update(
            criterion=criterion,
            by=request.user,
            name=data["name"],
            description=data["description"],
            name_cy=data["name_cy"],
            description_cy=data["description_cy"],
            indicators=data.get("indicators") or (),
        ),
        success=_manage_url(round_.pk),
        message=_("Criterion saved."),
    )
    return done or render(
        request,
        "commissioning/staff/criterion_form.html",
        _page(
            round_.activity,
            round_,
            form=form,
            criterion=criterion,
            title=_("Change the criterion"),
            criteria_fixed=False,  # wording can always be corrected
        ),
    )


@rule_required(_can_keep_criterion, load=queries.visible_criterion, staff=True)
@require_http_methods(["GET", "POST"])
def criterion_delete(request: SignedInRequest, criterion: Criterion) -> HttpResponse:
    """Ask, then remove a criterion (refused once residents have started weighing)."""
    round_ = criterion.round
    errors: list[str] = []
    if request.method == "POST":
        name = criterion.name
        try:
            actions.criterion_delete(criterion=criterion, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Criterion “%(name)s” removed.") % {"name": name})
            return redirect(_manage_url(round_.pk))
    return render(
        request,
        "commissioning/staff/criterion_delete.html",
        _page(
            round_.activity,
            round_,
            criterion=criterion,
            errors=errors,
            criteria_fixed=_criteria_fixed(round_),
        ),
    )


# --- Publishing the weights -----------------------------------------------------------------------


@rule_required(rules.can_keep_round, load=queries.visible_round, staff=True)
@require_http_methods(["GET", "POST"])
def weights_publish(request: SignedInRequest, round_: Round) -> HttpResponse:
    """What residents' points give, the weights to publish (changed only with a reason), and
    the warning that publishing answers every weighting for good."""
    if round_.weights_published_at is not None:
        messages.info(request, _("The weights are already published."))
        return redirect(_manage_url(round_.pk))
    criteria = list(queries.criteria_of(round_))
    residents = actions.residents_weights(round_)
    form = forms.PublishForm(request.POST or None, criteria=criteria, residents=residents)

    def publish(data: dict[str, Any]) -> Round:
        if data["residents_seen"] != forms.residents_snapshot(residents):
            raise ValidationError(
                _(
                    "Residents' points changed while you had this page open. Check the new "
                    "weights their points give, then publish again."
                )
            )
        return actions.weights_publish(
            round_=round_,
            by=request.user,
            changed=form.weights(),
            reason=data["reason"],
            reason_cy=data["reason_cy"],
        )

    done = None
    if criteria:
        done = handle_form(
            request,
            form,
            publish,
            success=_manage_url(round_.pk),
            message=lambda published: (
                ngettext(
                    "Weights published; %(count)d weighting answered.",
                    "Weights published; %(count)d weightings answered.",
                    published.weights_participants or 0,
                )
                % {"count": published.weights_participants or 0}
            ),
        )
    return done or render(
        request,
        "commissioning/staff/weights_publish.html",
        _page(
            round_.activity,
            round_,
            form=form,
            criteria=criteria,
            residents_rows=_residents_rows(round_, criteria),
            weighting_count=queries.weighting_count(round_),
            weighting_open=rules.weighting_open(round_),
            points=POINTS,
        ),
    )
