"""The public pages of a participatory budget: the budget, proposals, the results and the
receipt check. The ballot, online or with a voting code, is in ``voting.py``.

Every page works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from coproduce.accounts.types import SignedInRequest
from coproduce.budgeting import actions, actions_voting, counting, rules
from coproduce.budgeting.ballots import money
from coproduce.budgeting.forms_public import ProposalForm, ReceiptForm
from coproduce.budgeting.ledger import RESULT
from coproduce.budgeting.models import (
    PHASE_ORDER,
    Ballot,
    BallotType,
    Budget,
    CountStatus,
    Phase,
    Proposal,
)
from coproduce.common.forms import handle_form
from coproduce.common.pagination import paginate
from coproduce.common.permissions import anyone, rule_required
from coproduce.contributions import queries as spine_queries
from coproduce.contributions import rules as spine_rules
from coproduce.contributions.models import Visibility
from coproduce.services.rules import can_manage_activity
from coproduce.transparency import queries as ledger_queries

REASONS = counting.REASONS  # why a project was not funded, in words
EJR_NOT_CHECKED = {
    "ballot_type": gettext_lazy(
        "Not checked: the check works on ballots where people choose projects, not on points "
        "or rankings."
    ),
    "too_many_projects": gettext_lazy(
        "Not checked: there were too many projects to look at every group of them."
    ),
}
# When each phase starts and ends, from the budget's dates.
PHASE_DATES = {
    Phase.PROPOSALS: (None, "proposals_close_on"),
    Phase.VOTING: ("voting_opens_on", "voting_closes_on"),
    Phase.RESULTS: ("results_on", None),
}


# --- Loading -----------------------------------------------------------------------------------


def visible_budget(request: HttpRequest, pk: int) -> Budget:
    """The budget, when its activity can be seen (404 otherwise)."""
    budget = get_object_or_404(
        Budget.objects.select_related("activity__service_stage__service__organisation"), pk=pk
    )
    if not rules.can_view_budget(request.user, budget):
        raise Http404
    return budget


def visible_proposal(request: HttpRequest, pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related(
            "contribution",
            "area",
            "budget__activity__service_stage__service__organisation",
            "merged_into",
            "from_contribution__activity__service_stage__service",
        ),
        pk=pk,
    )


def budget_page(budget: Budget, **extra: Any) -> dict[str, Any]:
    """What every public page of a budget has: the budget, its activity and service."""
    activity = budget.activity
    return {"budget": budget, "activity": activity, "service": activity.service, **extra}


def _phases(budget: Budget) -> list[dict[str, Any]]:
    """Each phase, whether it is done, now or to come, and its dates."""
    here = PHASE_ORDER.index(budget.phase)
    phases = []
    for index, (value, label) in enumerate(Phase.choices):
        starts, ends = PHASE_DATES.get(Phase(value), (None, None))
        phases.append(
            {
                "value": value,
                "label": label,
                "state": "done" if index < here else ("now" if index == here else "coming"),
                "starts": getattr(budget, starts) if starts else None,
                "ends": getattr(budget, ends) if ends else None,
            }
        )
    return phases


def _results_published(budget: Budget) -> bool:
    return budget.phase in (Phase.RESULTS, Phase.DELIVERY)


def _map_items(proposals: Any) -> list[dict[str, Any]]:
    return [
        {
            "title": p.title,
            "url": p.get_absolute_url(),
            "lat": float(p.latitude),
            "lng": float(p.longitude),
            "reference": p.reference,
        }
        for p in proposals
        if p.latitude is not None and p.longitude is not None
    ]


# --- The budget and its proposals --------------------------------------------------------------


@rule_required(rules.can_view_budget, load=visible_budget, hide=True)
def budget_detail(request: HttpRequest, budget: Budget) -> HttpResponse:
    """The budget: its money, phases, how to take part now, the proposals and a map of them."""
    user = request.user
    voting = budget.phase == Phase.VOTING
    if voting:
        listed = budget.proposals.on_ballot().select_related("area")
    else:
        listed = (
            budget.proposals.filter(contribution__visibility=Visibility.PUBLISHED)
            .select_related("area")
            .order_by("area__name", "pk")
        )
    page = paginate(request, listed)
    delivery = (
        list(budget.proposals.exclude(delivery_status="").select_related("area").order_by("pk"))
        if budget.phase == Phase.DELIVERY
        else []
    )
    places = _map_items(listed.exclude(latitude=None))
    return render(
        request,
        "budgeting/budget_detail.html",
        budget_page(
            budget,
            areas=list(budget.areas.all()),
            phases=_phases(budget),
            page=page,
            proposals=page.object_list,
            voting=voting,
            delivery=delivery,
            places=places,
            map_tile_url=settings.MAP_TILE_URL,
            map_attribution=settings.MAP_TILE_ATTRIBUTION,
            can_propose=rules.can_propose(user, budget),
            voting_open=rules.voting_open(budget),
            can_vote_online=rules.can_vote_online(user, budget),
            can_vote_with_code=rules.can_vote_with_code(budget),
            results_published=_results_published(budget),
            can_view_results=rules.can_view_results(user, budget),
            can_manage=rules.can_manage_budget(user, budget),
            receipts_open=_receipts_open(budget),
        ),
    )


@rule_required(rules.can_propose, load=visible_budget)
@require_http_methods(["GET", "POST"])
def proposal_create(request: SignedInRequest, budget: Budget) -> HttpResponse:
    """Propose a project while the budget takes proposals."""
    form = ProposalForm(request.POST or None, request.FILES or None, budget=budget)

    def create(data: dict[str, Any]) -> Proposal:
        latitude, longitude = data.get("latitude"), data.get("longitude")
        return actions.proposal_create(
            budget=budget,
            author=request.user,
            area=data["area"],
            title=data["title"],
            description=data["description"],
            estimated_cost=data["estimated_cost"],
            latitude=None if latitude is None else float(latitude),
            longitude=None if longitude is None else float(longitude),
            image=data.get("image"),
            image_alt=data.get("image_alt") or "",
        )

    done = handle_form(
        request,
        form,
        create,
        success=lambda proposal: proposal.get_absolute_url(),
        message=lambda proposal: (
            _(
                "Your proposal has been sent. Staff will check whether it can be done and what it costs."
            )
            if proposal.contribution.visibility == Visibility.PUBLISHED
            else _(
                "Thank you. A moderator will check your proposal before other people can see it. "
                "We will tell you what happens to it."
            )
        ),
    )
    return done or render(request, "budgeting/proposal_form.html", budget_page(budget, form=form))


@rule_required(rules.can_view_proposal, load=visible_proposal, hide=True)
def proposal_detail(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    """One proposal: what it is, its cost, its answers, where it came from and its delivery."""
    user = request.user
    budget = proposal.budget
    origin = proposal.from_contribution
    if origin is not None and not spine_rules.can_view_contribution(user, origin):
        origin = None
    return render(
        request,
        "budgeting/proposal_detail.html",
        budget_page(
            budget,
            proposal=proposal,
            contribution=proposal.contribution,
            origin=origin,
            updates=list(proposal.updates.all()),
            is_author=user.is_authenticated and proposal.contribution.author_id == user.pk,
            can_answer=spine_rules.can_answer(user, proposal.contribution),
            **spine_queries.answers_of(proposal.contribution),
        ),
    )


# --- Results and receipts ----------------------------------------------------------------------


def _score(project: dict[str, Any]) -> int:
    """Points on cumulative ballots, else votes."""
    points = project.get("points")
    return int(points) if points is not None else int(project.get("votes", 0))


def _area_results(budget: Budget, areas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each area's result as the page shows it: reasons in words, the chart's bars, the simple
    vote's differences and the proportionality check."""
    shown = []
    currency = budget.currency
    for area in areas:
        projects = area.get("projects", [])
        scores = [_score(p) for p in projects]
        top = max(scores, default=0)
        rows = []
        titles = {p["reference"]: p for p in projects}
        for project in projects:
            score = _score(project)
            rows.append(
                {
                    **project,
                    "score": score,
                    "cost_text": money(project["cost"], currency),
                    "percent": round(100 * score / top) if top else 0,
                    "reason_text": REASONS.get(project.get("reason", ""), ""),
                }
            )
        selected, simple = set(area.get("selected", [])), set(area.get("simple_vote", []))
        ejr = area.get("ejr", {})
        if ejr.get("checked"):
            ejr_text = (
                _("Passed: no group of voters who agree got less than their fair share.")
                if ejr.get("passed")
                else _(
                    "Failed: some groups of voters who agree got less than their fair share "
                    "(this can happen with the rules that count votes only)."
                )
            )
        else:
            ejr_text = str(EJR_NOT_CHECKED.get(ejr.get("why", ""), _("Not checked.")))
        shown.append(
            {
                **area,
                "rows": rows,
                "funded": [r for r in rows if r["funded"]],
                "unfunded": [r for r in rows if not r["funded"]],
                "amount_text": money(area["amount"], currency),
                "cost_text": money(area["cost"], currency),
                "left_text": money(area["left"], currency),
                "simple_same": selected == simple,
                "simple_funded": [titles[r] for r in sorted(simple) if r in titles],
                "simple_also": [titles[r] for r in sorted(simple - selected) if r in titles],
                "simple_not": [titles[r] for r in sorted(selected - simple) if r in titles],
                "ejr_state": ("passed" if ejr.get("passed") else "failed")
                if ejr.get("checked")
                else "not_checked",
                "ejr_text": ejr_text,
            }
        )
    return shown


@rule_required(rules.can_view_results, load=visible_budget)
def results(request: HttpRequest, budget: Budget) -> HttpResponse:
    """The result of the latest count: what was funded, why the rest was not, the chart and its
    table, what a simple vote would have funded, the proportionality check and the method."""
    count = budget.counts.filter(status=CountStatus.DONE).first()
    entry = ledger_queries.latest_entry(RESULT, budget.pk) if count is not None else None
    return render(
        request,
        "budgeting/results.html",
        budget_page(
            budget,
            count=count,
            areas=_area_results(budget, count.result.get("areas", [])) if count else [],
            published=_results_published(budget),
            ledger_entry=entry,
            rule_label=budget.get_rule_display(),
            receipts_open=_receipts_open(budget),
        ),
    )


def _receipts_open(budget: Budget) -> bool:
    """Receipts can be checked once voting has closed: the ballot that counts is then fixed."""
    return PHASE_ORDER.index(budget.phase) >= PHASE_ORDER.index(Phase.COUNTING)


@rule_required(rules.can_view_budget, load=visible_budget, hide=True)
@require_http_methods(["GET", "POST"])
def receipt_check(request: HttpRequest, budget: Budget) -> HttpResponse:
    """Type a receipt code to see that ballot, anonymised, among the budget's ballots."""
    form = ReceiptForm(request.POST or None)
    found: Ballot | None = None
    checked = False
    if request.method == "POST" and _receipts_open(budget) and form.is_valid():
        checked = True
        public_id = actions_voting.public_id_for(form.cleaned_data["receipt"])
        found = (
            Ballot.objects.filter(budget=budget, public_id=public_id).select_related("area").first()
        )
    choices = []
    if found is not None:
        rows = found.choices.select_related("proposal").order_by("value", "proposal__reference")
        choices = list(rows)
        if budget.ballot_type != BallotType.RANKING:
            choices.sort(key=lambda c: (-c.value, c.proposal.reference))
    return render(
        request,
        "budgeting/receipt_check.html",
        budget_page(
            budget,
            form=form,
            open=_receipts_open(budget),
            checked=checked,
            found=found,
            choices=choices,
            kind=budget.ballot_type,
            published=_results_published(budget),
            can_manage=can_manage_activity(request.user, budget.activity),
        ),
    )


@rule_required(anyone)
def how_counting_works(request: HttpRequest) -> HttpResponse:
    """A page for residents on how the votes are counted."""
    return render(request, "budgeting/how_counting_works.html", {})
