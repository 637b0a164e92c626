"""Voting in a participatory budget: the ballot, online or with a voting code, its review page
and the receipt shown after casting.

Every page works without JavaScript. A ballot is chosen on one page, checked on a review page
and cast there; what was chosen waits in the session between the two, so "Change" loses
nothing. The receipt code is shown once, on the page after casting, and never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.core import ratelimit
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from coproduce.accounts.types import Visitor
from coproduce.budgeting import actions_voting, rules
from coproduce.budgeting.ballots import money, spent
from coproduce.budgeting.forms_public import AreaForm, BallotForm, VotingCodeForm, ballot_initial
from coproduce.budgeting.models import PHASE_ORDER, Area, BallotType, Budget, Phase, VotingCode
from coproduce.budgeting.views.public import budget_page, visible_budget
from coproduce.common import ratelimit as busy_ratelimit
from coproduce.common.forms import add_action_errors
from coproduce.common.permissions import rule_required

CODE_ATTEMPTS = "budget_code_attempt"  # settings.ACCOUNT_RATE_LIMITS: voting codes typed in
CASTS = "budget_ballot_cast"  # settings.ACCOUNT_RATE_LIMITS: ballots cast per voter


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
        budget_page(
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
        budget_page(
            budget,
            area=area,
            form=form,
            rows=form.rows(),
            several_areas=several,
            by_code=voter.code is not None,
            kind=budget.ballot_type,
            has_ballot=(
                actions_voting.ballot_for(budget, voter=voter.user, code=voter.code) is not None
            ),
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
            errors = actions_voting.eligibility_errors(
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
    existing = actions_voting.ballot_for(budget, voter=voter.user, code=voter.code)
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
        return render(request, "budgeting/ballot_area.html", budget_page(budget, form=area_form))
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
    options = actions_voting.ballot_options(area)
    total = spent(options, choices)
    return budget_page(
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
    problems = actions_voting.ballot_check(budget, area, choices)
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
                cast = actions_voting.ballot_cast(
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
        actions_voting.ballot_for(budget, voter=voter.user, code=voter.code) is not None
    )
    return render(request, "budgeting/ballot_review.html", context, status=status)


@rule_required(rules.can_view_budget, load=visible_budget, hide=True)
def ballot_done(request: HttpRequest, budget: Budget) -> HttpResponse:
    """The receipt code, shown this once, and how to check it later."""
    shown = request.session.pop(_session_key("receipt", budget), None)
    voter, _reason = _who_votes(request, budget)
    has_ballot = voter is not None and (
        actions_voting.ballot_for(budget, voter=voter.user, code=voter.code) is not None
    )
    if shown is None and not has_ballot:
        return redirect("budgeting:ballot", budget.pk)
    return render(
        request,
        "budgeting/ballot_done.html",
        budget_page(
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
                code = actions_voting.code_find(budget, form.cleaned_data["code"])
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                request.session.cycle_key()
                request.session[_session_key("code", budget)] = code.pk
                request.session.pop(_session_key("draft", budget), None)
                return redirect("budgeting:ballot", budget.pk)
    return render(
        request, "budgeting/ballot_code.html", budget_page(budget, form=form), status=status
    )
