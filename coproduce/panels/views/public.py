"""The public pages of a citizen panel: the panel, registration (with a letter's code, or an open
link when staff allow volunteers), a registrant's own page, the selection report with its pool
files, and "How were you chosen?".

Every page works without JavaScript. Registration data are only written here, never shown: a
registrant's own page shows their status and chance, not their answers (decisions 0060, 0061).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from allauth.core import ratelimit
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from civic_algorithms.sortition import SortitionInputError
from coproduce.common.forms import add_action_errors, handle_form
from coproduce.common.permissions import anyone, rule_required
from coproduce.panels import actions_selection, queries, rules
from coproduce.panels.forms_public import (
    CodeForm,
    RegistrationForm,
    RespondForm,
    action_error_for_form,
)
from coproduce.panels.ledger import COMMITMENT, RESULT
from coproduce.panels.models import (
    PHASE_ORDER,
    Panel,
    Phase,
    Registrant,
    RegistrantStatus,
    SelectionStatus,
)
from coproduce.panels.pool import export_pool
from coproduce.panels.tasks import send_registration_email
from coproduce.panels.tokens import my_place_path, registrant_for
from coproduce.transparency import queries as ledger_queries

CODE_ATTEMPTS = "panel_code_attempt"  # settings.ACCOUNT_RATE_LIMITS: wrong codes, per address
# The planned date shown beside each phase.
PHASE_DATES = {
    Phase.INVITATIONS: "invitations_sent_on",
    Phase.REGISTRATION: "registration_closes_on",
    Phase.SELECTION: "selection_on",
    Phase.DELIBERATION: "deliberation_starts_on",
    Phase.CLOSED: "closes_on",
}


# --- Loading -----------------------------------------------------------------------------------


def visible_panel(request: HttpRequest, pk: int) -> Panel:
    """The panel, when its activity can be seen (404 otherwise)."""
    panel = get_object_or_404(
        Panel.objects.select_related("activity__service_stage__service__organisation"), pk=pk
    )
    if not rules.can_view_panel(request.user, panel):
        raise Http404
    return panel


def _page(panel: Panel, **extra: Any) -> dict[str, Any]:
    activity = panel.activity
    return {"panel": panel, "activity": activity, "service": activity.service, **extra}


def _phases(panel: Panel) -> list[dict[str, Any]]:
    """Each phase residents see (not staff's set-up), whether it is done, now or to come."""
    here = PHASE_ORDER.index(panel.phase)
    phases = []
    for index, (value, label) in enumerate(Phase.choices):
        if value == Phase.SET_UP:
            continue
        field = PHASE_DATES.get(Phase(value))
        phases.append(
            {
                "value": value,
                "label": label,
                "state": "done" if index < here else ("now" if index == here else "coming"),
                "date": getattr(panel, field) if field else None,
            }
        )
    return phases


# --- The panel ---------------------------------------------------------------------------------


@rule_required(rules.can_view_panel, load=visible_panel, hide=True)
def panel_detail(request: HttpRequest, panel: Panel) -> HttpResponse:
    """The panel: its question, size, phases and dates, how members are chosen, what to do now."""
    selection = queries.first_selection(panel)
    return render(
        request,
        "panels/panel_detail.html",
        _page(
            panel,
            phases=_phases(panel),
            registration_open=rules.registration_open(panel),
            selection=selection,
            selected=selection is not None and selection.revealed_at is not None,
            recommendations_open=PHASE_ORDER.index(panel.phase)
            >= PHASE_ORDER.index(Phase.DELIBERATION),
            can_coordinate=rules.can_coordinate(request.user, panel),
        ),
    )


# --- Registration ------------------------------------------------------------------------------


def _session_key(panel: Panel) -> str:
    return f"panels:register:{panel.pk}"


def _registered_key(panel: Panel) -> str:
    return f"panels:registered:{panel.pk}"


def _code_problem(panel: Panel, code: str) -> tuple[str, bool]:
    """Why a code cannot be used here ("" when it can), and whether it is a wrong code."""
    if not panel.invitations.filter(registration_code=code, drawn=True).exists():
        return _("This code is not right. Check the code on your letter and type it again."), True
    if Registrant.objects.filter(registration_code=code).exists():
        return (
            _(
                "Someone has already registered with this code. Each letter can be used once. "
                "If it was not you, contact the people running the panel."
            ),
            False,
        )
    return "", False


def _code_step(request: HttpRequest, panel: Panel) -> HttpResponse:
    """Type the code from the letter; a right code moves on to the form."""
    sent = request.method == "POST" and request.POST.get("step") == "code"
    # The letters' QR code links here with the code filled in (staff.letters_pdf).
    form = CodeForm(
        request.POST if sent else None, initial={"code": request.GET.get("code", "")[:40]}
    )
    status = 200
    if sent and form.is_valid():
        if not ratelimit.consume(request, action=CODE_ATTEMPTS, dry_run=True):
            form.add_error(
                "code",
                _(
                    "There have been too many wrong codes from your connection. Wait 10 "
                    "minutes, then type your code again. If it still does not work, contact the "
                    "people running the panel."
                ),
            )
            status = 429
        else:
            code = form.cleaned_data["code"]
            problem, wrong = _code_problem(panel, code)
            if wrong:
                ratelimit.consume(request, action=CODE_ATTEMPTS)
            if problem:
                form.add_error("code", problem)
            else:
                request.session[_session_key(panel)] = code
                return redirect("panels:register", panel.pk)
    return render(
        request,
        "panels/register_code.html",
        _page(panel, form=form),
        status=status,
    )


@rule_required(rules.can_view_panel, load=visible_panel, hide=True)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, panel: Panel) -> HttpResponse:
    """Register for the panel: the code from the letter (or none, where volunteers may register),
    then contact details, the quota questions, availability, access needs and consent."""
    if not rules.registration_open(panel):
        return render(request, "panels/register_closed.html", _page(panel, phases=_phases(panel)))
    key = _session_key(panel)
    if request.GET.get("step") == "code":
        request.session.pop(key, None)
    code = request.session.get(key)
    without_code = panel.allow_volunteers and request.GET.get("without_code") == "1"
    if request.method == "POST" and request.POST.get("step") == "code":
        return _code_step(request, panel)
    if not code and not without_code:
        if request.method == "POST" and request.session.get(_registered_key(panel)) is not None:
            # A second click, or a second tab, after this browser registered with its code
            # (which the first registration used up): show what the first one did.
            return redirect("panels:registered", panel.pk)
        return _code_step(request, panel)
    form = RegistrationForm(request.POST if request.method == "POST" else None, panel=panel)

    def create(data: dict[str, Any]) -> Registrant:
        try:
            registrant = actions_selection.registrant_register(
                panel=panel,
                answers=form.answers(),
                name=data["name"],
                email=data["email"],
                code=code or "",
                phone=data["phone"],
                availability=data["availability"],
                access_needs=data["access_needs"],
                access_notes=data["access_notes"],
                consent=data["consent"],
            )
        except ValidationError as error:
            raise action_error_for_form(form, error) from None
        request.session.pop(key, None)
        request.session[_registered_key(panel)] = registrant.pk
        email = data["email"]
        if email:
            transaction.on_commit(lambda: send_registration_email.enqueue(registrant.pk))
        return registrant

    done = handle_form(request, form, create, success=reverse("panels:registered", args=[panel.pk]))
    return done or render(
        request,
        "panels/register.html",
        _page(panel, form=form, code=code, without_code=without_code),
    )


@rule_required(rules.can_view_panel, load=visible_panel, hide=True)
def registered(request: HttpRequest, panel: Panel) -> HttpResponse:
    """Thank you, what happens next and when, and the link to the person's own page."""
    pk = request.session.get(_registered_key(panel))
    registrant = panel.registrants.filter(pk=pk).first() if isinstance(pk, int) else None
    return render(
        request,
        "panels/registered.html",
        _page(
            panel,
            my_place=my_place_path(registrant) if registrant is not None else "",
        ),
    )


# --- A registrant's own page -------------------------------------------------------------------


def _chance(probability: float | None) -> dict[str, Any] | None:
    """A chance as a percentage and as "about 1 in N", for people rather than statisticians."""
    if probability is None:
        return None
    return {
        "percent": f"{probability * 100:.1f}",
        "one_in": round(1 / probability) if probability > 0 else None,
    }


@rule_required(anyone)
@require_http_methods(["GET", "POST"])
def my_place(request: HttpRequest, token: str) -> HttpResponse:
    """A registrant's own page, opened by the link they were sent: their status, their own
    chance of selection, and, when selected, whether they will take part."""
    registrant = registrant_for(token)
    if registrant is None:
        raise Http404
    panel = registrant.panel
    can_respond = registrant.status in (
        RegistrantStatus.SELECTED,
        RegistrantStatus.REPLACEMENT,
        RegistrantStatus.CONFIRMED,
    ) and panel.phase not in (Phase.CLOSED,)
    form = RespondForm(request.POST if request.method == "POST" and can_respond else None)
    if request.method == "POST" and can_respond and form.is_valid():
        confirm = form.cleaned_data["response"] == "confirm"
        try:
            # The signed link is the person's key: they answer for themselves (decision 0060).
            actions_selection.registrant_respond(registrant=registrant, by=None, confirm=confirm)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect(request.path)
    selection = queries.first_selection(panel)
    drawn = selection is not None and selection.revealed_at is not None
    return render(
        request,
        "panels/my_place.html",
        _page(
            panel,
            registrant=registrant,
            status=registrant.status,
            not_selected=drawn and registrant.status == RegistrantStatus.REGISTERED,
            drawn=drawn,
            chance=_chance(queries.probability_of(registrant)),
            can_respond=can_respond,
            form=form,
        ),
    )


# --- The selection report ----------------------------------------------------------------------


def _replacement_draws(panel: Panel) -> list[dict[str, Any]]:
    """The draws of replacements, each with its commitment and, once drawn, its seed and size."""
    draws = panel.selections.exclude(replaces=None).exclude(status=SelectionStatus.FAILED)
    return [
        {
            "selection": draw,
            "drawn": draw.revealed_at is not None,
            "count": len(draw.members),
            "quotas": draw.parameters.get("quotas", []),
        }
        for draw in draws.order_by("committed_at", "pk")
    ]


@rule_required(rules.can_view_panel, load=visible_panel, hide=True)
def selection_report(request: HttpRequest, panel: Panel) -> HttpResponse:
    """How the panel was drawn: the seed's commitment, then (after the draw) the seed, method,
    quotas and how the panel meets them, the chances, replacements and how to re-run it."""
    selection = queries.first_selection(panel)
    context = _page(
        panel,
        selection=selection,
        revealed=False,
        pool_kept=rules.pool_files_kept(panel),
    )
    if selection is not None:
        revealed = selection.revealed_at is not None
        context.update(
            revealed=revealed,
            algorithm_label=selection.get_algorithm_display(),
            commitment_entry=ledger_queries.latest_entry(COMMITMENT, selection.pk),
        )
        if revealed:
            context.update(
                rows=queries.report_rows(selection),
                statistics=selection.statistics,
                result_entry=ledger_queries.latest_entry(RESULT, selection.pk),
                command=queries.rerun_command(selection),
                replacement_draws=_replacement_draws(panel),
            )
    return render(request, "panels/selection_report.html", context)


README = """The anonymised pool of a citizen panel's draw: {title}

respondents.csv  one row per person in the pool: a pool id and their answers (no names, no contact
                 details)
categories.csv   the quotas: the fewest (min) and most (max) members with each answer

Re-run the draw with the revealed seed (the same panel comes out):

  Unzip this file (it makes a folder called pool). In a copy of the coproduce source code,
  which holds the civic_algorithms package, run:

  {command}
"""


@rule_required(rules.can_view_panel, load=visible_panel, hide=True)
def pool_export(request: HttpRequest, panel: Panel) -> HttpResponse:
    """The anonymised pool files of the draw, as a zip, once the draw is done and its seed is
    public (before, the files would let someone steer or predict it), until the registration
    data they are made from are deleted: then a page saying so, 410 Gone (decision 0124)."""
    selection = queries.first_selection(panel)
    if selection is None or selection.revealed_at is None:
        raise Http404
    files = None
    if rules.pool_files_kept(panel):
        try:
            files = export_pool(panel)
        except SortitionInputError:
            # Someone in the draw has no answers left: their registration data were deleted
            # before the panel recorded the day (a purge older than decision 0124).
            files = None
    if files is None:
        return render(request, "panels/pool_deleted.html", _page(panel), status=410)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(f"pool/{name}", text)
        archive.writestr(
            "pool/README.txt",
            README.format(title=panel.activity.title, command=queries.rerun_command(selection)),
        )
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="panel-{panel.pk}-pool.zip"'
    return response


@rule_required(anyone)
def how_chosen(request: HttpRequest) -> HttpResponse:
    """A page for residents: how the members of a citizen panel are chosen, and how to check."""
    return render(request, "panels/how_chosen.html", {})
