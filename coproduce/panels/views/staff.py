"""The coordinators' page of a citizen panel: setting it up, its overview, its settings and moving
it from phase to phase (docs/panels-coordinators-guide.md).

The other coordinators' pages have their own modules: ``quotas`` (categories, quotas, the census
shares and the feasibility check), ``recruitment`` (addresses, letters and the people who
registered) and ``selection`` (the committed seed, the draw and replacements). What every one of
them shows and sends is here (``panel_context``, ``no_store``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.accounts.types import SignedInRequest
from coproduce.common.forms import handle_form
from coproduce.common.permissions import rule_required
from coproduce.panels import actions, queries, rules
from coproduce.panels import forms_staff as forms
from coproduce.panels.models import ON_PANEL, PHASE_ORDER, Panel, Phase
from coproduce.services.models import Activity, ActivityKind
from coproduce.services.rules import can_manage_activity, can_view_activity

PANEL_PATH = queries.PANEL_PATH


# --- What every coordinator's page has -----------------------------------------------------------


def panel_context(panel: Panel, **extra: Any) -> dict[str, Any]:
    """What every coordinator's page of a panel has: the panel, its activity and service."""
    return {"panel": panel, "activity": panel.activity, "service": panel.activity.service, **extra}


def no_store(response: HttpResponse) -> HttpResponse:
    """Registration codes and personal data must not stay in caches."""
    response["Cache-Control"] = "no-store"
    return response


def _panel_activity(request: HttpRequest, pk: int) -> Activity:
    """A citizen-panel activity (with or without its panel yet)."""
    activity = get_object_or_404(
        Activity.objects.select_related("service_stage__service__organisation"),
        pk=pk,
        kind=ActivityKind.CITIZEN_PANEL,
    )
    if not can_view_activity(request.user, activity):
        raise Http404
    return activity


def _manage_url(panel: Panel) -> str:
    return reverse("panels:manage", args=[panel.pk])


# --- The panel's page: set-up, then the overview -------------------------------------------------


@transaction.atomic
@rule_required(can_manage_activity, load=_panel_activity, staff=True)
@require_http_methods(["GET", "POST"])
def manage(request: SignedInRequest, activity: Activity) -> HttpResponse:
    """Set up the panel of a citizen-panel activity; once it has one, its overview."""
    panel = Panel.objects.filter(activity=activity).select_related(PANEL_PATH).first()
    if panel is not None:
        if request.method == "POST":
            return redirect(_manage_url(panel))
        return _overview(request, panel)
    form = forms.PanelSettingsForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.panel_create(activity=activity, by=request.user, **form.settings()),
        success=reverse("panels:manage", args=[activity.pk]),
        message=_("The panel is set up. Add its quotas next."),
    )
    return done or render(
        request,
        "panels/staff/setup.html",
        {"form": form, "activity": activity, "service": activity.service},
    )


def _overview(
    request: HttpRequest, panel: Panel, phase_errors: list[str] | None = None
) -> HttpResponse:
    position = PHASE_ORDER.index(panel.phase)
    following = PHASE_ORDER[position + 1] if position + 1 < len(PHASE_ORDER) else None
    invitations = panel.invitations
    registrants = panel.registrants
    return render(
        request,
        "panels/staff/manage.html",
        panel_context(
            panel,
            phases=Phase.choices,
            next_phase=following,
            next_label=dict(Phase.choices).get(following or ""),
            phase_errors=phase_errors or [],
            # Why the panel cannot move on now (the button is hidden): a members' vote is open.
            phase_blocked=actions.VOTE_OPEN
            if following == Phase.CLOSED and not rules.may_end(panel)
            else "",
            categories=panel.categories.count(),
            addresses=invitations.count(),
            drawn=invitations.filter(drawn=True).count(),
            registered=registrants.count(),
            on_panel=registrants.filter(status__in=ON_PANEL).count(),
            latest=panel.selections.first(),
        ),
    )


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_http_methods(["GET", "POST"])
def panel_edit(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """Change the panel's question, size, dates, open registration and how long data are kept."""
    initial = {name: getattr(panel, name) for name in forms.setting_names()}
    form = forms.PanelSettingsForm(request.POST or None, initial=initial, panel=panel)
    done = handle_form(
        request,
        form,
        lambda data: actions.panel_update(panel=panel, by=request.user, **form.settings()),
        success=_manage_url(panel),
        message=_("Settings saved."),
    )
    return done or render(
        request,
        "panels/staff/form.html",
        panel_context(panel, form=form, title=_("Panel settings"), submit=_("Save")),
    )


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_POST
def phase_set(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """Move the panel one phase on; what stops it is shown on the panel's page."""
    form = forms.PhaseForm(request.POST)
    if not form.is_valid():
        return _overview(request, panel, [_("Choose the phase to move the panel to.")])
    try:
        panel = actions.phase_set(panel=panel, by=request.user, phase=form.cleaned_data["phase"])
    except ValidationError as error:
        panel.refresh_from_db()
        return _overview(request, panel, error.messages)
    messages.success(
        request,
        _("The panel is now in its “%(phase)s” phase.") % {"phase": panel.get_phase_display()},
    )
    return redirect(_manage_url(panel))
