"""The coordinators' pages of a citizen panel: set-up and settings, phases, quotas (by hand or from
census shares), the address list and the draw of invitations, letters and the mail-house file,
registrants, the live feasibility check, and the selection with its committed seed, progress,
result and replacements (docs/panels-coordinators-guide.md)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coproduce.accounts.models import User
from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.common.forms import handle_form
from coproduce.common.pagination import paginate
from coproduce.common.permissions import rule_required
from coproduce.equality.queries import representation
from coproduce.panels import actions, actions_selection, queries, rules
from coproduce.panels import forms_staff as forms
from coproduce.panels.letters import invitation_letters, registration_link, registration_url
from coproduce.panels.models import (
    ON_PANEL,
    PHASE_ORDER,
    Panel,
    Phase,
    Registrant,
    RegistrantStatus,
    RegistrationData,
    Selection,
    SelectionStatus,
)
from coproduce.services.models import Activity, ActivityKind
from coproduce.services.rules import can_manage_activity, can_view_activity

PANEL_PATH = queries.PANEL_PATH
RUNNING = (SelectionStatus.QUEUED, SelectionStatus.RUNNING)
LETTERS_PER_FILE = 1000  # about 10 seconds to make, 3 MB
PENDING = (SelectionStatus.COMMITTED, SelectionStatus.QUEUED, SelectionStatus.RUNNING)


# --- Loading what a page is about ----------------------------------------------------------------


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


def _visible_selection(request: HttpRequest, pk: int) -> Selection:
    selection = get_object_or_404(Selection.objects.select_related(f"panel__{PANEL_PATH}"), pk=pk)
    if not rules.can_view_panel(request.user, selection.panel):
        raise Http404
    return selection


def _can_coordinate_selection(user: Visitor, selection: Selection) -> bool:
    return rules.can_coordinate(user, selection.panel)


def _manage_url(panel: Panel) -> str:
    return reverse("panels:manage", args=[panel.pk])


def _context(panel: Panel, **extra: Any) -> dict[str, Any]:
    """What every coordinator's page of a panel has: the panel, its activity and service."""
    return {"panel": panel, "activity": panel.activity, "service": panel.activity.service, **extra}


def _no_store(response: HttpResponse) -> HttpResponse:
    """Registration codes and personal data must not stay in caches."""
    response["Cache-Control"] = "no-store"
    return response


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
        _context(
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
        _context(panel, form=form, title=_("Panel settings"), submit=_("Save")),
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


# --- Quotas --------------------------------------------------------------------------------------


def _quotas_set(panel: Panel, by: User, form: forms.QuotaForm) -> Panel:
    """Every quota of one category, all or none."""
    with transaction.atomic():
        for feature, minimum, maximum in form.quotas():
            actions.quota_set(feature=feature, by=by, minimum=minimum, maximum=maximum)
    return panel


def _pending_selection(panel: Panel) -> Selection | None:
    return panel.selections.filter(status__in=PENDING).first()


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_http_methods(["GET", "POST"])
def quotas(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """The categories, their answers and the fewest and most members of each."""
    posted = request.POST.get("category") if request.method == "POST" else None
    categories = list(panel.categories.prefetch_related("features"))
    quota_forms = [
        forms.QuotaForm(request.POST if posted == str(c.pk) else None, category=c, size=panel.size)
        for c in categories
    ]
    add_form = forms.CategoryForm(
        request.POST if request.method == "POST" and posted is None else None, prefix="new"
    )
    url = reverse("panels:quotas", args=[panel.pk])
    may_add, may_set = rules.categories_may_change(panel), rules.quotas_may_change(panel)
    if request.method == "POST" and not (may_set if posted is not None else may_add):
        # A page loaded before the panel moved on: say why nothing changed.
        messages.error(
            request, actions.QUOTAS_FIXED if posted is not None else actions.CATEGORIES_FIXED
        )
        return redirect(url)
    if posted is None:
        done = handle_form(
            request,
            add_form,
            lambda data: actions.category_add(panel=panel, by=request.user, **data),
            success=url,
            message=lambda c: _("Category “%(name)s” added.") % {"name": c.name},
        )
    else:
        form = next((f for f in quota_forms if str(f.category.pk) == posted), None)
        if form is None:  # a category deleted since the page was loaded, or a made-up number
            return redirect(url)
        done = handle_form(
            request,
            form,
            lambda data: _quotas_set(panel, request.user, form),
            success=url,
            message=_("Quotas of “%(name)s” saved.") % {"name": form.category.name},
        )
    return done or render(
        request,
        "panels/staff/quotas.html",
        _context(
            panel,
            add_form=add_form,
            quota_forms=quota_forms,
            pending=_pending_selection(panel),
            may_add=may_add,
            may_set=may_set,
            # Who the service's activities have missed so far: quotas can make sure the panel
            # does not (issue 16; equality monitoring, totals only).
            gaps=representation(panel.activity.service).under,
        ),
    )


def _census_import(panel: Panel, by: User, form: forms.CensusForm) -> int:
    """Quotas of every category in the table from its shares, all or none."""
    with transaction.atomic():
        for category, shares in form.cleaned_data["shares"]:
            actions.quotas_from_population(category=category, by=by, shares=shares)
    return len(form.cleaned_data["shares"])


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_http_methods(["GET", "POST"])
def census_import(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """Quotas from the census: each answer's share of the area's population."""
    form = forms.CensusForm(request.POST or None, request.FILES or None, panel=panel)
    done = handle_form(
        request,
        form,
        lambda data: _census_import(panel, request.user, form),
        success=reverse("panels:quotas", args=[panel.pk]),
        message=lambda count: (
            ngettext(
                "Quotas of %(count)d category set from the population shares.",
                "Quotas of %(count)d categories set from the population shares.",
                count,
            )
            % {"count": count}
        ),
    )
    example = 0.3 * panel.size
    return done or render(
        request,
        "panels/staff/census_import.html",
        _context(
            panel,
            form=form,
            example_seats=f"{example:g}",
            example_low=int(example),
            example_high=int(example) + (0 if example.is_integer() else 1),
        ),
    )


# --- Invitations ---------------------------------------------------------------------------------


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_http_methods(["GET", "POST"])
def invitations(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """Upload the address list, then draw the addresses that get a letter."""
    step = request.POST.get("step") if request.method == "POST" else None
    import_form = forms.AddressesForm(
        request.POST if step == "import" else None,
        request.FILES if step == "import" else None,
        prefix="import",
    )
    draw_form = forms.DrawForm(request.POST if step == "draw" else None, prefix="draw")
    url = reverse("panels:invitations", args=[panel.pk])
    done = None
    if step == "import":

        def run_import(data: dict[str, Any]) -> int:
            text, source, _field = import_form.table()
            try:
                return actions_selection.invitations_import(
                    panel=panel, by=request.user, text=text, source=source
                )
            except ValidationError as error:  # each message names its line
                raise ValidationError({"text": error.messages}) from error

        done = handle_form(
            request,
            import_form,
            run_import,
            success=url,
            message=lambda count: (
                ngettext("%(count)d address added.", "%(count)d addresses added.", count)
                % {"count": count}
            ),
        )
    elif step == "draw":
        done = handle_form(
            request,
            draw_form,
            lambda data: actions_selection.invitations_draw(panel=panel, by=request.user, **data),
            success=url,
            message=lambda drawn: (
                ngettext(
                    "%(count)d address drawn. Its letter is ready.",
                    "%(count)d addresses drawn. Their letters are ready.",
                    len(drawn),
                )
                % {"count": len(drawn)}
            ),
        )
    addresses = panel.invitations
    page = paginate(request, addresses.filter(drawn=True).order_by("property_reference"))
    response = done or render(
        request,
        "panels/staff/invitations.html",
        _context(
            panel,
            import_form=import_form,
            draw_form=draw_form,
            page=page,
            addresses=addresses.count(),
            undrawn=addresses.filter(drawn=False).count(),
            drawn=page.paginator.count,
            parts=letter_parts(page.paginator.count),
            open=PHASE_ORDER.index(panel.phase) <= PHASE_ORDER.index(Phase.REGISTRATION),
        ),
    )
    return _no_store(response)


def _drawn(panel: Panel) -> Any:
    return panel.invitations.filter(drawn=True).order_by("property_reference")


def _file_name(panel: Panel, what: str, extension: str) -> str:
    title = slugify(panel.activity.title) or "panel"
    return f"{title}-{what}-{timezone.localdate():%Y%m%d}.{extension}"


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_GET
def mail_house_csv(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """The drawn addresses for a mail house: address, code and the registration link."""
    drawn = list(_drawn(panel))
    lines = max((len(invitation.address_lines) for invitation in drawn), default=1)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "reference",
            *(f"address_line_{n}" for n in range(1, lines + 1)),
            "postcode",
            "registration_code",
            "registration_url",
            "link_with_code",
        ]
    )
    url = registration_url(panel)
    for invitation in drawn:
        address = [*invitation.address_lines, *[""] * (lines - len(invitation.address_lines))]
        code = invitation.registration_code or ""
        writer.writerow(
            [
                invitation.property_reference,
                *address,
                invitation.postcode,
                code,
                url,
                registration_link(panel, code),
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_file_name(panel, "invitations", "csv")}"'
    )
    return _no_store(response)


def letter_parts(drawn: int) -> list[tuple[int, int, int]]:
    """(part, first, last) of the letter files: LETTERS_PER_FILE letters in each."""
    return [
        (number, start + 1, min(start + LETTERS_PER_FILE, drawn))
        for number, start in enumerate(range(0, drawn, LETTERS_PER_FILE), 1)
    ]


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_GET
def letters_pdf(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """The invitation letters, one A4 page per drawn address, to print; ``?part=N`` for the
    Nth file of LETTERS_PER_FILE letters (a file is made while the browser waits)."""
    drawn = _drawn(panel)
    part = request.GET.get("part", "1")
    number = int(part) if part.isdigit() and len(part) < 6 else 0
    start = (number - 1) * LETTERS_PER_FILE
    chosen = list(drawn[start : start + LETTERS_PER_FILE]) if number > 0 else []
    if not chosen:
        messages.info(request, _("Draw the addresses first: letters go to drawn addresses only."))
        return redirect("panels:invitations", panel.pk)
    what = "letters" if number == 1 and len(chosen) < LETTERS_PER_FILE else f"letters-{number}"
    response = HttpResponse(invitation_letters(panel, chosen), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(panel, what, "pdf")}"'
    return _no_store(response)


# --- Registrants ---------------------------------------------------------------------------------


def _told(person: Registrant, data: RegistrationData | None, allowed: bool) -> str:
    """Whether someone drawn was told by email: "told", "no_email" (when the viewer may see the
    contact details), "waiting", or "" for people not drawn (decision 0069)."""
    if person.told_selected_at is not None:
        return "told"
    if person.status not in ON_PANEL:
        return ""
    if allowed and (data is None or not data.email):
        return "no_email"
    return "waiting"


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_GET
def registrants(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """Everyone who registered, with their status and whether the drawn were told by email;
    their answers only for those allowed."""
    allowed = rules.can_view_registration_data(request.user, panel)
    people = panel.registrants.order_by("id")
    if allowed:
        people = people.select_related("data")
    page = paginate(request, people)
    categories = list(panel.categories.values_list("name", flat=True))
    rows = []
    for person in page.object_list:
        # Registration data are deleted on a schedule: the registrant may have none left.
        data = getattr(person, "data", None) if allowed else None
        answers = data.answers if data is not None else {}
        told = _told(person, data, allowed)
        rows.append((person, data, [answers.get(name, "") for name in categories], told))
    counts = dict(
        panel.registrants.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return _no_store(
        render(
            request,
            "panels/staff/registrants.html",
            _context(
                panel,
                page=page,
                rows=rows,
                allowed=allowed,
                categories=categories,
                counts=[(label, counts.get(value, 0)) for value, label in RegistrantStatus.choices],
            ),
        )
    )


# --- Feasibility ---------------------------------------------------------------------------------


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_GET
def feasibility(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """Whether the pool as it is now can give a panel meeting every quota, and if not, why."""
    return render(
        request,
        "panels/staff/feasibility.html",
        _context(panel, found=queries.feasibility(panel), checked_at=timezone.now()),
    )


# --- Selection -----------------------------------------------------------------------------------


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
    pending = _pending_selection(panel)
    form = forms.CommitForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions_selection.seed_commit(panel=panel, by=request.user, **data),
        success=reverse("panels:selection", args=[panel.pk]),
        message=_("The seed is committed and its hash is published. Start the draw when ready."),
    )
    first = panel.selections.filter(replaces=None, status=SelectionStatus.DONE).first()
    return done or _no_store(
        render(
            request,
            "panels/staff/selection.html",
            _context(
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
    context = _context(
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
    return _no_store(render(request, "panels/staff/selection_status.html", context))
