"""The coordinators' pages of a panel's draw: committing a seed (its hash is published at once),
starting the draw in the background, its progress and result, and the draw of replacements
(docs/panels-coordinators-guide.md; decisions 0047, 0048 and 0063)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.common.forms import handle_form
from coproduce.common.permissions import rule_required
from coproduce.panels import actions_selection, queries, rules
from coproduce.panels import forms_staff as forms
from coproduce.panels.models import ON_PANEL, Panel, Phase, Selection, SelectionStatus
from coproduce.panels.views.staff import PANEL_PATH, no_store, panel_context

RUNNING = (SelectionStatus.QUEUED, SelectionStatus.RUNNING)


def _visible_selection(request: HttpRequest, pk: int) -> Selection:
    selection = get_object_or_404(Selection.objects.select_related(f"panel__{PANEL_PATH}"), pk=pk)
    if not rules.can_view_panel(request.user, selection.panel):
        raise Http404
    return selection


def _can_coordinate_selection(user: Visitor, selection: Selection) -> bool:
    return rules.can_coordinate(user, selection.panel)


def _start(request: SignedInRequest, panel: Panel) -> HttpResponse:
    form = forms.StartForm(request.POST)
    selection = (
        panel.selections.filter(pk=form.cleaned_data["selection"]).first()
        if form.is_valid()
        else None
    )
    if selection is None:
        messages.error(request, _("That draw was not found. Choose it again below."))
        return redirect("panels:selection", panel.pk)
    actions_selection.selection_start(selection=selection, by=request.user)
    return redirect("panels:selection_status", selection.pk)


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_http_methods(["GET", "POST"])
def selection(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """Commit a seed (its hash is published now), then start the draw in the background."""
    if request.method == "POST" and "start" in request.POST:
        return _start(request, panel)
    pending = queries.pending_selection(panel)
    form = forms.CommitForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions_selection.seed_commit(panel=panel, by=request.user, **data),
        success=reverse("panels:selection", args=[panel.pk]),
        message=_("The seed is committed and its hash is published. Start the draw when ready."),
    )
    first = panel.selections.filter(replaces=None, status=SelectionStatus.DONE).first()
    return done or no_store(
        render(
            request,
            "panels/staff/selection.html",
            panel_context(
                panel,
                form=form,
                pending=pending,
                first=first,
                selections=panel.selections.all(),
                open=panel.phase == Phase.SELECTION,
            ),
        )
    )


def _percent(chance: float) -> str:
    return f"{chance:.1%}"


def _result_summary(selection: Selection) -> list[tuple[str, str]]:
    """What a finished draw found, in words: method, pool and the spread of chances."""
    stats = selection.statistics
    return [
        (_("Method"), f"{selection.method} ({_('version')} {selection.version})"),
        (_("Finished"), date_format(timezone.localtime(selection.finished_at), "j F Y, H:i")),
        (_("People in the pool"), str(stats.get("pool_size", ""))),
        (_("Seats drawn"), str(stats.get("panel_size", ""))),
        (_("Lowest chance of being drawn"), _percent(stats.get("minimum_probability", 0))),
        (_("Highest chance of being drawn"), _percent(stats.get("maximum_probability", 0))),
        (_("Difference between them"), _percent(stats.get("spread", 0))),
    ]


def _members(selection: Selection) -> list[tuple[Any, str]]:
    """The people drawn, in the engine's order, with their chance of being drawn."""
    drawn = selection.panel.registrants.filter(pk__in=selection.members).select_related("data")
    by_pk = {person.pk: person for person in drawn}
    return [
        (by_pk[pk], _percent(selection.probabilities.get(str(pk), 0)))
        for pk in selection.members
        if pk in by_pk
    ]


@rule_required(_can_coordinate_selection, load=_visible_selection, staff=True)
@require_http_methods(["GET", "POST"])
def selection_status(request: SignedInRequest, selection: Selection) -> HttpResponse:
    """A draw's progress; once done its panel and chances, and the draw of replacements."""
    panel = selection.panel
    form = forms.SeedForm(request.POST or None, prefix="replace")
    done = handle_form(
        request,
        form,
        lambda data: actions_selection.replacements_commit(
            selection=selection, by=request.user, seed=data["seed"]
        ),
        success=lambda new: reverse("panels:selection_status", args=[new.pk]),
        message=_("The seed of the replacements is committed and its hash is published."),
    )
    if done is not None:
        return done
    finished = selection.status == SelectionStatus.DONE
    context = panel_context(
        panel,
        selection=selection,
        running=selection.status in RUNNING,
        form=form,
        summary=_result_summary(selection) if finished else [],
        members=_members(selection) if finished else [],
        allowed=rules.can_view_registration_data(request.user, panel),
        rows=queries.report_rows(selection) if finished else [],
        empty_seats=panel.size - panel.registrants.filter(status__in=ON_PANEL).count(),
        replacements=selection.replacements.all(),
    )
    if getattr(request, "htmx", False):
        return render(request, "panels/staff/_selection_progress.html", context)
    return no_store(render(request, "panels/staff/selection_status.html", context))
