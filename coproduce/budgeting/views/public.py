"""The public pages of a participatory budget: the budget, proposals, the ballot (online or with
a voting code), the results and the receipt check.

Every page works without JavaScript. A ballot is chosen on one page, checked on a review page
and cast there; what was chosen waits in the session between the two, so "Change" loses
nothing. The receipt code is shown once, on the page after casting, and never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.core import ratelimit
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.budgeting import actions, counting, rules
from coproduce.budgeting.ballots import money, spent
from coproduce.budgeting.forms_public import (
    AreaForm,
    BallotForm,
    ProposalForm,
    ReceiptForm,
    VotingCodeForm,
    ballot_initial,
)
from coproduce.budgeting.ledger import RESULT
from coproduce.budgeting.models import (
    PHASE_ORDER,
    Area,
    Ballot,
    BallotType,
    Budget,
    CountStatus,
    Phase,
    Proposal,
    VotingCode,
)
from coproduce.common import ratelimit as busy_ratelimit
from coproduce.common.forms import add_action_errors, handle_form
from coproduce.common.pagination import paginate
from coproduce.common.permissions import anyone, rule_required
from coproduce.contributions import queries as spine_queries
from coproduce.contributions import rules as spine_rules
from coproduce.contributions.models import Visibility
from coproduce.services.rules import can_manage_activity
from coproduce.transparency import queries as ledger_queries

CODE_ATTEMPTS = "budget_code_attempt"  # settings.ACCOUNT_RATE_LIMITS: voting codes typed in
CASTS = "budget_ballot_cast"  # settings.ACCOUNT_RATE_LIMITS: ballots cast per voter

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


def _page(budget: Budget, **extra: Any) -> dict[str, Any]:
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
        _page(
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
    return done or render(request, "budgeting/proposal_form.html", _page(budget, form=form))


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
        _page(
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


# --- Voting ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Voter:
    """Who is voting: a signed-in person, or the holder of a voting code."""

    user: Visitor | None = None
    code: VotingCode | None = None

    @property
    def key(self) -> str:
        if self.code is not None:
            return f"code:{self.code.pk}"
        assert self.user is not None
        return f"user:{self.user.pk}"


def _session_key(name: str, budget: Budget) -> str:
    return f"budgeting:{name}:{budget.pk}"


def _who_votes(request: HttpRequest, budget: Budget) -> tuple[Voter | None, str]:
    """The voter of this request, or why there is none ("closed", "sign_in", "not_allowed")."""
    if not rules.voting_open(budget):
        return None, "closed"
    code_pk = request.session.get(_session_key("code", budget))
    if code_pk and rules.can_vote_with_code(budget):
        code = VotingCode.objects.filter(pk=code_pk, budget=budget).first()
        if code is not None:
            return Voter(code=code), ""
    if rules.can_vote_online(request.user, budget):
        return Voter(user=request.user), ""
    if not request.user.is_authenticated:
        return None, "sign_in"
    return None, "not_allowed"


def _cannot_vote(request: HttpRequest, budget: Budget, reason: str) -> HttpResponse:
    """A clear page for someone who cannot vote now, saying why and what they can do."""
    if reason == "sign_in" and not rules.can_vote_with_code(budget):
        return redirect_to_login(request.get_full_path())
    before = PHASE_ORDER.index(budget.phase) < PHASE_ORDER.index(Phase.VOTING)
    return render(
        request,
        "budgeting/ballot_closed.html",
        _page(
            budget,
            reason=reason,
            not_yet=before,
            can_vote_with_code=rules.can_vote_with_code(budget),
            can_view_results=rules.can_view_results(request.user, budget),
        ),
        status=200 if reason == "sign_in" else 403,
    )


def _draft(request: HttpRequest, budget: Budget, voter: Voter) -> dict[str, Any] | None:
    """The ballot being chosen (between the ballot page and the review), if it is this voter's."""
    draft = request.session.get(_session_key("draft", budget))
    if not isinstance(draft, dict) or draft.get("voter") != voter.key:
        return None
    return draft


def _draft_choices(draft: dict[str, Any]) -> dict[int, int]:
    return {int(pk): int(value) for pk, value in draft.get("choices", {}).items()}


def _area_of(budget: Budget, value: Any) -> Area | None:
    text = str(value or "")
    if not (text.isdigit() and len(text) < 19):
        return None
    return budget.areas.filter(pk=int(text)).first()


def _ballot_form(
    budget: Budget, area: Area, voter: Voter, data: Any = None, initial: Any = None
) -> BallotForm:
    return BallotForm(
        data,
        initial=initial,
        budget=budget,
        area=area,
        proposals=list(area.proposals.on_ballot()),
        ask_postcode=bool(budget.prefixes()) and voter.code is None,
    )


def _ballot_page(
    request: HttpRequest, budget: Budget, area: Area, form: BallotForm, voter: Voter
) -> HttpResponse:
    several = budget.areas.count() > 1
    return render(
        request,
        "budgeting/ballot.html",
        _page(
            budget,
            area=area,
            form=form,
            rows=form.rows(),
            several_areas=several,
            by_code=voter.code is not None,
            kind=budget.ballot_type,
            has_ballot=actions.ballot_for(budget, voter=voter.user, code=voter.code) is not None,
            rules_text=_rules_text(budget, area),
        ),
    )


def _rules_text(budget: Budget, area: Area) -> str:
    """What this kind of ballot asks for, in one or two sentences."""
    kind = budget.ballot_type
    if kind == BallotType.APPROVAL:
        if budget.max_choices == budget.min_choices:
            return ngettext(
                "Choose %(count)d project.", "Choose %(count)d projects.", budget.min_choices
            ) % {"count": budget.min_choices}
        if budget.max_choices:
            return _("Choose between %(low)d and %(high)d projects.") % {
                "low": budget.min_choices,
                "high": budget.max_choices,
            }
        return ngettext(
            "Choose at least %(low)d project, and as many as you like.",
            "Choose at least %(low)d projects, and as many as you like.",
            budget.min_choices,
        ) % {"low": budget.min_choices}
    if kind == BallotType.KNAPSACK:
        return _(
            "Choose the projects you want, up to %(amount)s in all: the total cost of your "
            "projects cannot be more than the budget."
        ) % {"amount": money(area.amount, budget.currency)}
    if kind == BallotType.CUMULATIVE:
        return _(
            "You have %(points)d points. Share them out between the projects you want: more "
            "points for the ones you want most. You do not have to use them all."
        ) % {"points": budget.points}
    top = budget.max_choices
    if top:
        return _(
            "Rank up to %(top)d projects: 1 for your favourite, 2 for the next, and so on. "
            "Leave the rest “Not ranked”."
        ) % {"top": top}
    return _(
        "Rank the projects you want: 1 for your favourite, 2 for the next, and so on. Leave the "
        "rest “Not ranked”."
    )


@rule_required(rules.can_view_budget, load=visible_budget, hide=True)
@require_http_methods(["GET", "POST"])
def ballot(request: HttpRequest, budget: Budget) -> HttpResponse:
    """The ballot: the area first when the budget has several, then the projects; a POST goes
    to the review page (nothing is cast here)."""
    voter, reason = _who_votes(request, budget)
    if voter is None:
        return _cannot_vote(request, budget, reason)
    if request.method == "POST":
        area = _area_of(budget, request.POST.get("area"))
        if area is None:
            return redirect(reverse("budgeting:ballot", args=[budget.pk]) + "?step=area")
        form = _ballot_form(budget, area, voter, data=request.POST)
        if form.is_valid():
            postcode = str(form.cleaned_data.get("postcode") or "")
            age = bool(form.cleaned_data.get("age_confirmed"))
            errors = actions.eligibility_errors(
                budget, postcode=postcode, age_confirmed=age, by_code=voter.code is not None
            )
            if errors:
                add_action_errors(form, ValidationError(errors))
            else:
                request.session[_session_key("draft", budget)] = {
                    "voter": voter.key,
                    "area": area.pk,
                    "choices": {str(pk): value for pk, value in form.choices().items()},
                    "postcode": postcode,
                    "age_confirmed": age,
                }
                return redirect("budgeting:ballot_review", budget.pk)
        return _ballot_page(request, budget, area, form, voter)

    areas = list(budget.areas.all())
    draft = _draft(request, budget, voter)
    existing = actions.ballot_for(budget, voter=voter.user, code=voter.code)
    wanted = request.GET.get("area")
    area = _area_of(budget, wanted)
    if request.GET.get("step") == "area" or (wanted is not None and area is None):
        area = None
    elif area is None:
        if draft is not None:
            area = _area_of(budget, draft.get("area"))
        elif existing is not None:
            area = existing.area
        elif len(areas) == 1:
            area = areas[0]
    if area is None:
        area_form = AreaForm(
            request.GET if wanted is not None else None,
            budget=budget,
            initial={
                "area": draft.get("area") if draft else (existing.area_id if existing else None)
            },
        )
        if wanted is not None:
            area_form.is_valid()  # shows "Choose the area you live in."
        return render(request, "budgeting/ballot_area.html", _page(budget, form=area_form))
    if draft is not None and draft.get("area") == area.pk:
        initial = ballot_initial(
            budget,
            area,
            _draft_choices(draft),
            postcode=draft.get("postcode", ""),
            age=bool(draft.get("age_confirmed")),
        )
    elif existing is not None and existing.area_id == area.pk:
        initial = ballot_initial(
            budget,
            area,
            dict(existing.choices.values_list("proposal_id", "value")),
            postcode=existing.postcode_district,
        )
    else:
        initial = {"area": area.pk}
    form = _ballot_form(budget, area, voter, initial=initial)
    return _ballot_page(request, budget, area, form, voter)


def _review_context(
    budget: Budget, area: Area, choices: dict[int, int], problems: list[str]
) -> dict[str, Any]:
    proposals = {p.pk: p for p in area.proposals.on_ballot()}
    chosen: list[dict[str, Any]] = [
        {"proposal": proposals[pk], "value": value}
        for pk, value in choices.items()
        if pk in proposals
    ]
    kind = budget.ballot_type
    if kind == BallotType.RANKING:
        chosen.sort(key=lambda row: row["value"])
    else:
        chosen.sort(key=lambda row: (-row["value"], row["proposal"].reference))
    options = actions.ballot_options(area)
    total = spent(options, choices)
    return _page(
        budget,
        area=area,
        chosen=chosen,
        kind=kind,
        problems=problems,
        total=total,
        left=area.amount - total,
        points_given=sum(choices.values()) if kind == BallotType.CUMULATIVE else 0,
        points_left=budget.points - sum(choices.values()) if kind == BallotType.CUMULATIVE else 0,
        show_total=kind in (BallotType.KNAPSACK, BallotType.APPROVAL),
    )


@rule_required(rules.can_view_budget, load=visible_budget, hide=True)
@require_http_methods(["GET", "POST"])
def ballot_review(request: HttpRequest, budget: Budget) -> HttpResponse:
    """What was chosen, the total, any problem with how to fix it, and "Cast my vote"."""
    voter, reason = _who_votes(request, budget)
    if voter is None:
        return _cannot_vote(request, budget, reason)
    draft = _draft(request, budget, voter)
    area = _area_of(budget, draft.get("area")) if draft else None
    if draft is None or area is None:
        if request.method == "POST" and request.session.get(_session_key("receipt", budget)):
            return redirect("budgeting:ballot_done", budget.pk)  # sent twice: cast already
        return redirect("budgeting:ballot", budget.pk)
    choices = _draft_choices(draft)
    problems = actions.ballot_check(budget, area, choices)
    status = 200
    if request.method == "POST" and not problems:
        if not busy_ratelimit.consume(request, action=CASTS, key=voter.key):
            problems = [
                _(
                    "You have cast or changed your vote many times in the last few minutes. "
                    "Nothing has changed. Wait a few minutes, then try again."
                )
            ]
            status = 429
        else:
            try:
                cast = actions.ballot_cast(
                    budget=budget,
                    area=area,
                    choices=choices,
                    voter=voter.user,
                    code=voter.code,
                    postcode=str(draft.get("postcode", "")),
                    age_confirmed=bool(draft.get("age_confirmed")),
                )
            except PermissionDenied:
                return _cannot_vote(request, budget, "closed")
            except ValidationError as error:
                problems = error.messages
            else:
                request.session.pop(_session_key("draft", budget), None)
                request.session[_session_key("receipt", budget)] = {
                    "receipt": cast.receipt,
                    "changed": cast.changed,
                }
                return redirect("budgeting:ballot_done", budget.pk)
    context = _review_context(budget, area, choices, problems)
    context["has_ballot"] = (
        actions.ballot_for(budget, voter=voter.user, code=voter.code) is not None
    )
    return render(request, "budgeting/ballot_review.html", context, status=status)


@rule_required(rules.can_view_budget, load=visible_budget, hide=True)
def ballot_done(request: HttpRequest, budget: Budget) -> HttpResponse:
    """The receipt code, shown this once, and how to check it later."""
    shown = request.session.pop(_session_key("receipt", budget), None)
    voter, _reason = _who_votes(request, budget)
    has_ballot = voter is not None and (
        actions.ballot_for(budget, voter=voter.user, code=voter.code) is not None
    )
    if shown is None and not has_ballot:
        return redirect("budgeting:ballot", budget.pk)
    return render(
        request,
        "budgeting/ballot_done.html",
        _page(
            budget,
            receipt=shown.get("receipt") if isinstance(shown, dict) else None,
            changed=bool(shown.get("changed")) if isinstance(shown, dict) else False,
        ),
    )


@rule_required(rules.can_view_budget, load=visible_budget, hide=True)
@require_http_methods(["GET", "POST"])
def ballot_code(request: HttpRequest, budget: Budget) -> HttpResponse:
    """Vote without an account: type the voting code from a letter or card."""
    if not rules.can_vote_with_code(budget):
        reason = "closed" if not rules.voting_open(budget) else "no_codes"
        return _cannot_vote(request, budget, reason)
    form = VotingCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action=CODE_ATTEMPTS):
            form.add_error(
                "code",
                _(
                    "There have been too many tries from your connection. Wait a few minutes, "
                    "then type your code again. If it still does not work, ask the people who "
                    "sent it."
                ),
            )
            status = 429
        else:
            try:
                code = actions.code_find(budget, form.cleaned_data["code"])
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                request.session.cycle_key()
                request.session[_session_key("code", budget)] = code.pk
                request.session.pop(_session_key("draft", budget), None)
                return redirect("budgeting:ballot", budget.pk)
    return render(request, "budgeting/ballot_code.html", _page(budget, form=form), status=status)


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
        _page(
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
        public_id = actions.public_id_for(form.cleaned_data["receipt"])
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
        _page(
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
