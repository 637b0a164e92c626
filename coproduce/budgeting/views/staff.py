"""The pages of the people who run a participatory budget: set-up and settings, phases, the
feasibility review, ideas brought forward, voting codes, paper ballots typed twice, counting,
delivery news and importing a .pb file."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.accounts.types import SignedInRequest
from coproduce.budgeting import actions, actions_voting, queries, rules
from coproduce.budgeting import forms_staff as forms
from coproduce.budgeting.models import (
    Budget,
    Count,
    CountStatus,
    Feasibility,
    PaperEntry,
    Phase,
    Proposal,
)
from coproduce.budgeting.pabulib_io import import_pb
from coproduce.common.forms import add_action_errors, handle_form
from coproduce.common.pagination import paginate
from coproduce.common.permissions import rule_required
from coproduce.contributions.kinds import OPINION_STATEMENT, agreed, get_kind
from coproduce.contributions.models import Contribution, Visibility
from coproduce.contributions.rules import can_answer_for
from coproduce.services.models import Activity
from coproduce.services.rules import can_manage_activity


def _manage_url(budget: Budget) -> str:
    return reverse("budgeting:manage", args=[budget.activity_id])


def _context(budget: Budget, **extra: Any) -> dict[str, Any]:
    """What every staff page of a budget has: the budget, its activity and service."""
    return {
        "budget": budget,
        "activity": budget.activity,
        "service": budget.activity.service,
        **extra,
    }


def _ballot_fixed(
    request: HttpRequest, budget: Budget, back: str | None = None
) -> HttpResponse | None:
    """Back to the dashboard (or ``back``), saying why, from a page that changes what is on the
    ballot once voting has opened (decision 0121); a page loaded before then changes nothing."""
    if rules.ballot_may_change(budget):
        return None
    messages.error(request, actions.BALLOT_FIXED)
    return redirect(back or _manage_url(budget))


def _form_page(
    request: HttpRequest, budget: Budget, form: Any, title: str, **extra: Any
) -> HttpResponse:
    return render(
        request, "budgeting/staff/form.html", _context(budget, form=form, title=title, **extra)
    )


# --- The budget's page: set-up, then the dashboard -------------------------------------------------


@rule_required(can_manage_activity, load=queries.visible_budget_activity, staff=True)
@require_http_methods(["GET", "POST"])
def manage(request: SignedInRequest, activity: Activity) -> HttpResponse:
    """Set up the budget of a participatory-budget activity; once it has one, its dashboard."""
    budget = queries.budget_of(activity)
    if budget is not None:
        if request.method == "POST":
            return redirect(_manage_url(budget))
        return _dashboard(request, budget)
    form = forms.BudgetCreateForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.budget_create(
            activity=activity, by=request.user, areas=form.areas(), **form.settings()
        ),
        success=reverse("budgeting:manage", args=[activity.pk]),
        message=_("The budget is set up. It takes proposals now."),
    )
    return done or render(
        request,
        "budgeting/staff/setup.html",
        {"form": form, "activity": activity, "service": activity.service},
    )


def _dashboard(
    request: HttpRequest, budget: Budget, phase_errors: list[str] | None = None
) -> HttpResponse:
    figures = queries.dashboard(budget)
    phases = dict(Phase.choices)
    return render(
        request,
        "budgeting/staff/manage.html",
        _context(
            budget,
            figures=figures,
            areas=budget.areas.all(),
            next_label=phases.get(figures.next_phase or ""),
            previous_label=phases.get(figures.previous_phase or ""),
            phase_errors=phase_errors or [],
            ballot_may_change=rules.ballot_may_change(budget),
            phases=Phase.choices,
            can_review=can_answer_for(request.user, budget.activity.service),
            codes=queries.code_counts(budget),
            delivering=budget.proposals.exclude(delivery_status="").order_by("reference"),
        ),
    )


@rule_required(rules.can_manage_budget, load=queries.visible_budget, staff=True)
@require_http_methods(["GET", "POST"])
def budget_edit(request: SignedInRequest, budget: Budget) -> HttpResponse:
    """Change the budget's settings (the ballot and the rule are fixed once voting opens)."""
    initial = {name: getattr(budget, name) for name in forms.setting_names()}
    form = forms.BudgetSettingsForm(request.POST or None, initial=initial, budget=budget)
    done = handle_form(
        request,
        form,
        lambda data: actions.budget_update(budget=budget, by=request.user, **form.settings()),
        success=_manage_url(budget),
        message=_("Settings saved."),
    )
    return done or _form_page(request, budget, form, _("Budget settings"))


@rule_required(rules.can_manage_budget, load=queries.visible_budget, staff=True)
@require_http_methods(["GET", "POST"])
def area_add(request: SignedInRequest, budget: Budget) -> HttpResponse:
    if fixed := _ballot_fixed(request, budget):
        return fixed
    form = forms.AreaForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.area_add(budget=budget, by=request.user, **data),
        success=_manage_url(budget),
        message=lambda area: _("Area “%(name)s” added.") % {"name": area.name},
    )
    return done or _form_page(
        request,
        budget,
        form,
        _("Add an area"),
        hint=_("An area has its own money: its projects are voted on and counted apart."),
    )


@rule_required(rules.can_manage_budget, load=queries.visible_budget, staff=True)
@require_POST
def phase_set(request: SignedInRequest, budget: Budget) -> HttpResponse:
    """Move the budget one phase on (or back); what stops it is shown on the dashboard."""
    form = forms.PhaseForm(request.POST)
    if not form.is_valid():
        return _dashboard(request, budget, [_("Choose the phase to move the budget to.")])
    try:
        actions.phase_set(budget=budget, by=request.user, phase=form.cleaned_data["phase"])
    except ValidationError as error:
        budget.refresh_from_db()
        return _dashboard(request, budget, error.messages)
    messages.success(
        request,
        _("The budget is now in its “%(phase)s” phase.") % {"phase": budget.get_phase_display()},
    )
    return redirect(_manage_url(budget))


# --- Feasibility review ----------------------------------------------------------------------------


@rule_required(rules.can_manage_budget, load=queries.visible_budget, staff=True)
def review_list(request: SignedInRequest, budget: Budget) -> HttpResponse:
    """The budget's proposals, to review for feasibility."""
    filters = forms.ReviewFilterForm(request.GET)
    show = filters.cleaned_data["show"] if filters.is_valid() else ""
    page = paginate(request, queries.proposals_to_review(budget, show))
    return render(
        request,
        "budgeting/staff/review_list.html",
        _context(
            budget,
            page=page,
            show=show,
            filters=forms.ReviewFilterForm.base_fields["show"].choices,  # type: ignore[attr-defined]
            figures=queries.dashboard(budget),
        ),
    )


@rule_required(rules.can_review, load=queries.visible_proposal, staff=True)
@require_http_methods(["GET", "POST"])
def proposal_review(request: SignedInRequest, proposal: Proposal) -> HttpResponse:
    """Publish the feasibility answer of a proposal; once voting opens, the page is its record."""
    budget = proposal.budget
    if request.method == "POST" and (fixed := _ballot_fixed(request, budget, request.path)):
        return fixed
    initial: dict[str, Any] = {}
    if proposal.feasibility != Feasibility.PENDING:
        initial = {
            "feasibility": proposal.feasibility,
            "reason": proposal.feasibility_reason,
            "cost": proposal.cost if proposal.feasibility == Feasibility.COST_CHANGED else "",
            "merged_into": proposal.merged_into_id,
        }
    form = forms.ReviewForm(
        request.POST or None, initial=initial, targets=queries.merge_targets(proposal)
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.proposal_review(proposal=proposal, by=request.user, **data),
        success=reverse("budgeting:review_list", args=[budget.pk]),
        message=lambda p: (
            _("Answer published for %(ref)s, “%(title)s”.") % {"ref": p.reference, "title": p.title}
        ),
    )
    return done or render(
        request,
        "budgeting/staff/proposal_review.html",
        _context(
            budget, form=form, proposal=proposal, ballot_may_change=rules.ballot_may_change(budget)
        ),
    )


# --- Ideas brought forward -------------------------------------------------------------------------


def _statements_to_bring_forward(budget: Budget, limit: int = 200) -> list[queries.IdeaRow]:
    """The published statements of the service's opinion maps that all groups agreed with on
    their latest map, oldest first, read through the spine (budgeting does not import
    conversations; decision 0111)."""
    kind = get_kind(OPINION_STATEMENT)
    published = Contribution.objects.filter(
        kind=OPINION_STATEMENT,
        activity__service_stage__service=budget.activity.service_stage.service_id,
        visibility=Visibility.PUBLISHED,
    )
    taken = {
        p.from_contribution_id: p for p in budget.proposals.filter(from_contribution__isnull=False)
    }
    # Those brought forward already stay listed as such, whatever a later map says.
    chosen = agreed(OPINION_STATEMENT, list(published.values_list("pk", flat=True)))
    chosen |= {pk for pk in taken if pk is not None}
    statements = published.filter(pk__in=chosen).select_related(
        kind.detail, "activity", *kind.select_related
    )
    return [
        queries.IdeaRow(
            contribution=statement,
            title=statement.title,
            supports=0,
            challenge=statement.activity.title,
            proposal=taken.get(statement.pk),
        )
        for statement in statements.order_by("created_at", "pk")[:limit]
    ]


@rule_required(rules.can_manage_budget, load=queries.visible_budget, staff=True)
@require_http_methods(["GET", "POST"])
def bring_forward(request: SignedInRequest, budget: Budget) -> HttpResponse:
    """Bring a published idea of the service's idea challenges, or a statement of its opinion
    maps that all groups agreed with, onto the budget as a proposal."""
    if fixed := _ballot_fixed(request, budget):
        return fixed
    ideas = [*queries.ideas_to_bring_forward(budget), *_statements_to_bring_forward(budget)]
    by_pk = {str(row.contribution.pk): row.contribution for row in ideas}
    form = forms.BringForwardForm(request.POST or None, budget=budget, ideas=ideas)
    done = handle_form(
        request,
        form,
        lambda data: actions.proposal_bring_forward(
            budget=budget,
            by=request.user,
            idea=by_pk[data["idea"]],
            area=data["area"],
            estimated_cost=data["estimated_cost"],
        ),
        success=lambda p: reverse("budgeting:proposal_review", args=[p.pk]),
        message=lambda p: (
            _("It is proposal %(ref)s now, and its author has been told. Review it next.")
            % {"ref": p.reference}
        ),
    )
    return done or render(
        request,
        "budgeting/staff/bring_forward.html",
        _context(budget, form=form, taken=[row for row in ideas if row.proposal is not None]),
    )


# --- Voting codes ----------------------------------------------------------------------------------


@rule_required(rules.can_manage_budget, load=queries.visible_budget, staff=True)
@require_http_methods(["GET", "POST"])
def codes(request: SignedInRequest, budget: Budget) -> HttpResponse:
    """Make voting codes; the answer to the form is the codes themselves, shown this once."""
    form = forms.CodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            raw = actions_voting.codes_generate(
                budget=budget, by=request.user, count=form.cleaned_data["count"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            if form.cleaned_data["format"] == forms.CSV:
                return _codes_csv(budget, raw)
            response = render(
                request,
                "budgeting/staff/codes_print.html",
                _context(
                    budget,
                    codes=raw,
                    # Printed sheets outlive the request: the site's address, not the one used.
                    vote_url=settings.SITE_URL + reverse("budgeting:ballot_code", args=[budget.pk]),
                ),
            )
            response["Cache-Control"] = "no-store"
            return response
    total, used = queries.code_counts(budget)
    return render(
        request,
        "budgeting/staff/codes.html",
        _context(budget, form=form, total=total, used=used),
    )


def _codes_csv(budget: Budget, raw: list[str]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["code"])
    writer.writerows([code] for code in raw)
    name = f"{slugify(budget.activity.title) or 'budget'}-codes-{timezone.localdate():%Y%m%d}.csv"
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


# --- Paper ballots ---------------------------------------------------------------------------------


@rule_required(rules.can_manage_budget, load=queries.visible_budget, staff=True)
@require_http_methods(["GET", "POST"])
def paper_entry(request: SignedInRequest, budget: Budget) -> HttpResponse:
    """Type a paper ballot (a second person types it again), and put mismatches right."""
    proposals = list(budget.proposals.on_ballot().select_related("area"))
    if request.method == "POST" and request.POST.get("action") == "delete":
        return _paper_delete(request, budget)
    form = forms.PaperEntryForm(request.POST or None, budget=budget, proposals=proposals)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = actions_voting.paper_entry_add(
                budget=budget,
                by=request.user,
                paper_reference=data["paper_reference"],
                area=data["area"],
                choices=form.ballot(),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            ref = result.entry.paper_reference
            if result.ballot is not None:
                messages.success(
                    request,
                    _("Paper ballot %(ref)s matches its first typing: counted.") % {"ref": ref},
                )
            elif result.mismatch:
                messages.warning(
                    request,
                    _(
                        "Paper ballot %(ref)s does not match its first typing, so it is not "
                        "counted. Check the paper and delete the wrong typing below."
                    )
                    % {"ref": ref},
                )
            else:
                messages.success(
                    request,
                    _("Paper ballot %(ref)s typed. A different person now types it again.")
                    % {"ref": ref},
                )
            return redirect("budgeting:paper_entry", budget.pk)
    return _paper_page(request, budget, form)


def _paper_delete(request: SignedInRequest, budget: Budget) -> HttpResponse:
    action = forms.PaperActionForm(request.POST)
    entry = None
    if action.is_valid():
        entry = PaperEntry.objects.filter(budget=budget, pk=action.cleaned_data["entry"]).first()
    if entry is None:
        messages.error(request, _("That typing is not there any more."))
        return redirect("budgeting:paper_entry", budget.pk)
    try:
        actions_voting.paper_entry_delete(entry=entry, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A typing of paper ballot %(ref)s is deleted.") % {"ref": entry.paper_reference},
        )
    return redirect("budgeting:paper_entry", budget.pk)


def _paper_page(request: HttpRequest, budget: Budget, form: forms.PaperEntryForm) -> HttpResponse:
    state = queries.paper_state(budget)
    typings = [entry for paper in state.mismatches for entry in paper.entries]
    shown = queries.choices_shown(budget, typings)
    for entry in typings:
        entry.shown = shown[entry.pk]  # type: ignore[attr-defined]
    return render(
        request,
        "budgeting/staff/paper_entry.html",
        _context(
            budget, form=form, state=state, open=budget.phase in (Phase.VOTING, Phase.COUNTING)
        ),
    )


# --- Counting --------------------------------------------------------------------------------------


@rule_required(rules.can_manage_budget, load=queries.visible_budget, staff=True)
@require_POST
def count_start(request: SignedInRequest, budget: Budget) -> HttpResponse:
    """Start counting the ballots (in the background) and show its progress."""
    try:
        count = actions_voting.count_start(budget=budget, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_manage_url(budget))
    return redirect("budgeting:count_status", count.pk)


def _can_manage_count(user: Any, count: Count) -> bool:
    return rules.can_manage_budget(user, count.budget)


@rule_required(_can_manage_count, load=queries.visible_count, staff=True)
def count_status(request: SignedInRequest, count: Count) -> HttpResponse:
    """How the count is going; with htmx the progress part asks again every 2 seconds."""
    budget = count.budget
    context = _context(
        budget,
        count=count,
        running=count.status in (CountStatus.QUEUED, CountStatus.RUNNING),
        funded=[
            project
            for area in count.result.get("areas", [])
            for project in area.get("projects", [])
            if project.get("funded")
        ],
        latest=budget.counts.first() == count,
    )
    if getattr(request, "htmx", False):
        return render(request, "budgeting/staff/_count_progress.html", context)
    return render(request, "budgeting/staff/count_status.html", context)


# --- Delivery --------------------------------------------------------------------------------------


@rule_required(rules.can_review, load=queries.visible_proposal, staff=True)
@require_http_methods(["GET", "POST"])
def delivery_update(request: SignedInRequest, proposal: Proposal) -> HttpResponse:
    """Say how a funded project is going; its proposer and followers are told."""
    budget = proposal.budget
    form = forms.DeliveryForm(
        request.POST or None,
        request.FILES or None,
        initial={"status": proposal.delivery_status or None, "on": timezone.localdate()},
    )
    done = handle_form(
        request,
        form,
        lambda data: actions.delivery_update_add(proposal=proposal, by=request.user, **data),
        success=_manage_url(budget),
        message=_("Delivery news published for %(ref)s, “%(title)s”.")
        % {"ref": proposal.reference, "title": proposal.title},
    )
    return done or render(
        request,
        "budgeting/staff/delivery_update.html",
        _context(budget, form=form, proposal=proposal, updates=proposal.updates.all()),
    )


# --- Importing a .pb file --------------------------------------------------------------------------


@rule_required(rules.can_manage_budget, load=queries.visible_budget, staff=True)
@require_http_methods(["GET", "POST"])
def pb_import(request: SignedInRequest, budget: Budget) -> HttpResponse:
    """Import a Pabulib file into this budget's service, as a new budget that is closed."""
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    notes: list[str] = []  # what the import changed or left out, in plain English

    def run(data: dict[str, Any]) -> Budget:
        name, text = data["file"]
        try:
            return import_pb(
                text=text,
                service=budget.activity.service,
                by=request.user,
                source=name,
                notes=notes,
            )
        except ValidationError as error:  # the file's name and line are in the message
            raise ValidationError({"file": error.messages}) from error

    done = handle_form(
        request,
        form,
        run,
        success=_manage_url,
        message=lambda new: (
            _("Imported “%(title)s”, with %(count)d ballots.")
            % {"title": new.activity.title, "count": new.ballots.count()}
        ),
    )
    if done is not None:
        for note in notes:
            messages.info(request, note)
        return done
    return _form_page(
        request,
        budget,
        form,
        _("Import a Pabulib file"),
        hint=_(
            "For a vote counted elsewhere or on paper: the file’s projects, ballots and rule "
            "become a new, closed budget of this service, which you can count here."
        ),
        submit=_("Import"),
    )
