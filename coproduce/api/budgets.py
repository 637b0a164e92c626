"""Participatory budgets: budgets, their projects, your ballot (cast or change it with a token) and
the published result. Thin adapters over budgeting's actions, rules and queries, as the website.
"""

# No `from __future__ import annotations` here: ninja reads the annotations of a @paginate-d
# operation through the wrapper, in another module, so they must be real objects (decision 0407).

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as SchemaValidationError
from ninja.pagination import paginate
from pydantic import BeforeValidator, StrictBool, WithJsonSchema

from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.api.auth import OPTIONAL
from coproduce.api.common import LIST_ERRORS, READ, READ_ERRORS, WRITE, WRITE_ERRORS
from coproduce.api.schemas import IdPath, Input, LimitOffset, Shaped, Text
from coproduce.budgeting import actions_voting, counting, queries, rules
from coproduce.budgeting.models import (
    ON_BALLOT,
    PHASE_ORDER,
    Area,
    Ballot,
    BallotType,
    Budget,
    Count,
    CountStatus,
    Feasibility,
    Phase,
    Proposal,
    Rule,
)
from coproduce.common import ratelimit
from coproduce.common.permissions import require
from coproduce.contributions.models import Visibility
from coproduce.contributions.queries import contributions_seen_by
from coproduce.services.queries import activity_seen_by

router = Router(tags=["budgets"])

SERVICE = "activity__service_stage__service"
# The ballot's own limits: a reference as stored (Proposal.reference), values up to the most points
# a budget can give (Budget.points is a PositiveSmallIntegerField); a ballot lists each project once.
MAX_CHOICES = 500
MAX_VALUE = 32_767
# Ballots cast or changed, counted per voter and per address together with the website's ballot page
# (settings.ACCOUNT_RATE_LIMITS, allauth's limiter).
CASTS = "budget_ballot_cast"
REASONS = counting.REASONS  # why a project was not funded, in the results page's words


# --- Shapes -------------------------------------------------------------------------------------


class AreaOut(Schema):
    id: int
    name: str
    name_cy: str = Field(description="In Welsh; empty until written.")
    amount: int = Field(description="The area's own money, in whole units of the currency.")


class BallotRulesOut(Schema):
    ballot_type: BallotType = Field(
        description=(
            "`approval`: choose between `min_choices` and `max_choices` projects; `knapsack`: "
            "choose projects whose costs add up to no more than the area's amount; `cumulative`: "
            "share out `points` points; `ranking`: rank up to `max_choices` projects, 1 first."
        )
    )
    min_choices: int = Field(description="Approval, knapsack and ranking: the fewest projects.")
    max_choices: int | None = Field(description="The most projects; null when there is no limit.")
    points: int = Field(description="Cumulative ballots: the points each voter shares out.")
    accounts_may_vote: bool = Field(description="People with an account may vote (the API).")
    codes_may_vote: bool = Field(
        description="People with a voting code may vote (on the website only)."
    )
    postcode_prefixes: list[str] = Field(
        description="When not empty, only people whose postcode starts with one of these vote."
    )
    min_age: int | None = Field(description="Voters confirm they are this old or older.")


class BudgetOut(Schema):
    id: int
    activity: int = Field(description="The id of its activity (/api/activities/{id}).")
    service: str = Field(description="Slug of the service.")
    title: str
    title_cy: str = Field(description="In Welsh; empty until written.")
    summary: str
    currency: str
    total: int = Field(description="The money of all its areas together.")
    phase: Phase = Field(description="proposals → review → voting → counting → results → delivery.")
    voting_open: bool = Field(description="Whether ballots can be cast and changed now.")
    voting_opens_on: dt.date | None
    voting_closes_on: dt.date | None


class BudgetDetailOut(BudgetOut):
    summary_cy: str = Field(description="In Welsh; empty until written.")
    areas: list[AreaOut] = Field(description="Each with its own money; a ballot is for one area.")
    rule: Rule = Field(description="The counting rule.")
    threshold: int | None = Field(
        description="The fewest votes a project needs (rule `greedy-threshold` only)."
    )
    proposals_close_on: dt.date | None
    results_on: dt.date | None
    ballot: BallotRulesOut
    results_published: bool = Field(
        description="Whether the result is public (/api/budgets/{id}/results)."
    )


class ProjectOut(Schema):
    id: int = Field(description="Its contribution's id: /api/contributions/{id} has its answers.")
    reference: str = Field(description="The project's id on ballots and in the open data (P1 …).")
    title: str
    description: str
    area: int = Field(description="The id of its area.")
    author: str = Field(description="The proposer's name if they chose to be named.")
    created_at: dt.datetime
    estimated_cost: int = Field(description="What the proposer estimated.")
    cost: int | None = Field(description="The cost after the feasibility review; null before.")
    feasibility: Feasibility
    feasibility_reason: str
    merged_into: str | None = Field(description="The reference of the project it was merged into.")
    on_ballot: bool
    latitude: float | None
    longitude: float | None
    image: str | None = Field(description="The address of its picture, if it has one.")
    image_alt: str
    delivery_status: str | None = Field(
        description="Funded projects: planned, in_progress or delivered; null otherwise."
    )


def _true_or_false(value: Any) -> Any:
    """A query's boolean as OpenAPI writes it: exactly `true` or `false` (pydantic alone would
    also take yes, on, 1 …, which the schema does not promise)."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise ValueError("Use true or false.")


QueryBool = Annotated[bool, BeforeValidator(_true_or_false), WithJsonSchema({"type": "boolean"})]


class ProjectFilters(Schema):
    on_ballot: QueryBool = Field(
        False, description="Only the projects on the ballot (found feasible)."
    )
    area: int | None = Field(None, ge=1, le=2_147_483_647, description="Only this area's.")


class ProjectResultOut(Schema):
    reference: str
    title: str
    cost: int
    votes: int = Field(description="How many ballots chose it.")
    points: int | None = Field(description="Cumulative ballots: the points it was given.")
    funded: bool
    reason: str | None = Field(
        description=(
            "Why it was not funded, as a code: `ran_out_of_share`, `cost_more_than_left`, "
            "`below_threshold`, `stopped_earlier` or `no_votes`; null when funded."
        )
    )
    reason_text: str | None = Field(description="The same reason in plain English.")


class SimpleVoteOut(Schema):
    funded: list[str] = Field(
        description="What counting votes alone would have funded (most votes first, skipping "
        "what does not fit)."
    )
    same: bool = Field(description="Whether that is what the budget's rule funded.")


class EjrViolationOut(Schema):
    projects: list[str]
    voters: int


class EjrOut(Schema):
    checked: bool = Field(
        description="Checked for approval ballots with at most 16 projects in the area."
    )
    passed: bool | None = Field(description="Whether the result is proportional (EJR up to one).")
    why: str = Field(description="Why it was not checked: `ballot_type` or `too_many_projects`.")
    violations: list[EjrViolationOut]


class AreaResultOut(Schema):
    area: int
    name: str
    amount: int
    ballots: int
    cost: int = Field(description="What the funded projects cost together.")
    left: int = Field(description="The money left.")
    funded: list[str] = Field(description="References of the funded projects.")
    projects: list[ProjectResultOut] = Field(description="Most votes first.")
    simple_vote: SimpleVoteOut
    ejr: EjrOut = Field(description="The proportionality check of the result.")


class ResultOut(Schema):
    budget: int
    count: int = Field(description="The id of the count this result comes from.")
    published: bool = Field(
        description="False while only the budget's staff see it (before the results phase)."
    )
    method: str
    version: str
    parameters: dict[str, Any] = Field(description="Everything the count depends on but ballots.")
    ballot_count: int
    counted_at: dt.datetime | None
    areas: list[AreaResultOut]


Reference = Annotated[str, Text(40, required=True)]


class ChoiceIn(Input):
    project: Reference = Field(description="The project's reference (P1 …).")
    value: int = Field(
        1,
        ge=1,
        le=MAX_VALUE,
        description="1 to choose it; the points given (cumulative); its rank, 1 first (ranking).",
    )


class BallotIn(Input):
    area: int = Field(ge=1, le=2_147_483_647, description="The id of the area you vote in.")
    choices: list[ChoiceIn] = Field(
        max_length=MAX_CHOICES, description="Each project once; the ballot's rules apply."
    )
    postcode: Annotated[str, Text(10)] = Field(
        "", description="Needed when the budget is for some postcode areas only."
    )
    age_confirmed: StrictBool = Field(
        False, description="True to confirm you are old enough, when the budget has a minimum age."
    )


class ChoiceOut(Schema):
    project: str = Field(description="The project's reference.")
    value: int


class BallotOut(Schema):
    budget: int
    area: int
    choices: list[ChoiceOut]
    voter_id: str = Field(
        description="The anonymised voter id your ballot has in the published ballots."
    )
    cast_at: dt.datetime
    changed_at: dt.datetime


class YourBallotOut(Schema):
    may_vote: bool = Field(description="Whether you may cast or change a ballot now.")
    ballot: BallotOut | None = Field(description="Your ballot, or null if you have not voted.")


class CastOut(Schema):
    receipt: str = Field(
        description=(
            "Your receipt code, shown this once and never stored: with it you can check on the "
            "budget's results page that your ballot was counted. A new one each time you change "
            "your ballot."
        )
    )
    changed: bool = Field(description="True when this replaced your earlier ballot.")
    ballot: BallotOut


# --- Adapters -----------------------------------------------------------------------------------


def _budgets_seen_by(user: Visitor) -> QuerySet[Budget]:
    """rules.can_view_budget as a filter: open (not draft) activities of published services, and
    everything of the organisations the person works for."""
    return Budget.objects.filter(activity_seen_by(user))


def _budget_out(budget: Budget) -> dict[str, Any]:
    activity = budget.activity
    return {
        "id": budget.pk,
        "activity": activity.pk,
        "service": activity.service_stage.service.slug,
        "title": activity.title,
        "title_cy": activity.title_cy,
        "summary": activity.summary,
        "currency": budget.currency,
        "total": budget.total,
        "phase": budget.phase,
        "voting_open": rules.voting_open(budget),
        "voting_opens_on": budget.voting_opens_on,
        "voting_closes_on": budget.voting_closes_on,
    }


def _budget_detail(budget: Budget) -> dict[str, Any]:
    return {
        **_budget_out(budget),
        "summary_cy": budget.activity.summary_cy,
        "areas": [
            {"id": a.pk, "name": a.name, "name_cy": a.name_cy, "amount": a.amount}
            for a in budget.areas.all()
        ],
        "rule": budget.rule,
        "threshold": budget.threshold,
        "proposals_close_on": budget.proposals_close_on,
        "results_on": budget.results_on,
        "ballot": {
            "ballot_type": budget.ballot_type,
            "min_choices": budget.min_choices,
            "max_choices": budget.max_choices,
            "points": budget.points,
            "accounts_may_vote": budget.accounts_may_vote,
            "codes_may_vote": budget.codes_may_vote,
            "postcode_prefixes": budget.prefixes(),
            "min_age": budget.min_age,
        },
        "results_published": budget.phase in (Phase.RESULTS, Phase.DELIVERY)
        and budget.counts.filter(status=CountStatus.DONE).exists(),
    }


def _project_out(proposal: Proposal) -> dict[str, Any]:
    contribution = proposal.contribution
    return {
        "id": proposal.pk,
        "reference": proposal.reference,
        "title": proposal.title,
        "description": proposal.description,
        "area": proposal.area_id,
        "author": contribution.open_data_author,
        "created_at": contribution.created_at,
        "estimated_cost": proposal.estimated_cost,
        "cost": proposal.cost,
        "feasibility": proposal.feasibility,
        "feasibility_reason": proposal.feasibility_reason,
        "merged_into": proposal.merged_into.reference if proposal.merged_into else None,
        "on_ballot": proposal.feasibility in ON_BALLOT
        and contribution.visibility == Visibility.PUBLISHED,
        "latitude": None if proposal.latitude is None else float(proposal.latitude),
        "longitude": None if proposal.longitude is None else float(proposal.longitude),
        "image": proposal.image.url if proposal.image else None,
        "image_alt": proposal.image_alt,
        "delivery_status": proposal.delivery_status or None,
    }


def _result_out(budget: Budget, count: Count) -> dict[str, Any]:
    """A finished count as the results page shows it: per area, what was funded and why not."""
    areas = []
    for area in count.result.get("areas", []):
        funded = sorted(area["selected"])
        projects = [
            {
                "reference": project["reference"],
                "title": project["title"],
                "cost": project["cost"],
                "votes": project["votes"],
                "points": project["points"],
                "funded": project["funded"],
                "reason": project["reason"] or None,
                "reason_text": str(REASONS[project["reason"]]) if project["reason"] else None,
            }
            for project in area["projects"]
        ]
        ejr = area["ejr"]
        areas.append(
            {
                "area": area["area"],
                "name": area["name"],
                "amount": area["amount"],
                "ballots": area["ballots"],
                "cost": area["cost"],
                "left": area["left"],
                "funded": funded,
                "projects": projects,
                "simple_vote": {
                    "funded": sorted(area["simple_vote"]),
                    "same": set(area["simple_vote"]) == set(funded),
                },
                "ejr": {
                    "checked": ejr["checked"],
                    "passed": ejr["passed"],
                    "why": ejr["why"],
                    "violations": ejr.get("violations", []),
                },
            }
        )
    return {
        "budget": budget.pk,
        "count": count.pk,
        "published": budget.phase in (Phase.RESULTS, Phase.DELIVERY),
        "method": count.method,
        "version": count.version,
        "parameters": count.parameters,
        "ballot_count": count.ballot_count,
        "counted_at": count.finished_at,
        "areas": areas,
    }


def _choices_out(ballot: Ballot) -> list[dict[str, Any]]:
    return [
        {"project": choice.proposal.reference, "value": choice.value}
        for choice in ballot.choices.select_related("proposal").order_by(
            "value", "proposal__reference"
        )
    ]


def _ballot_out(ballot: Ballot, choices: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The ballot as read back; ``choices`` when the caller just wrote them (no query)."""
    return {
        "budget": ballot.budget_id,
        "area": ballot.area_id,
        "choices": _choices_out(ballot) if choices is None else choices,
        "voter_id": ballot.public_id,
        "cast_at": ballot.created_at,
        "changed_at": ballot.updated_at,
    }


def _voting_closed(budget: Budget) -> ValidationError:
    """Why no ballot can be cast now: a rule of the budget's phases (decision 0402)."""
    here, voting = PHASE_ORDER.index(budget.phase), PHASE_ORDER.index(Phase.VOTING)
    if here < voting:
        message = _("Voting has not opened yet.")
        if budget.voting_opens_on:
            message = _("Voting has not opened yet: it opens on %(date)s.") % {
                "date": budget.voting_opens_on.isoformat()
            }
    elif here > voting:
        message = _("Voting has closed: ballots can no longer be cast or changed.")
    else:
        message = _("Voting is not open at the moment.")
    return ValidationError(message)


def _choices(budget: Budget, payload: BallotIn) -> dict[int, int]:
    """The ballot's references as the budget's proposals; a reference that names no project of
    this budget, or one listed twice, is refused where it is (["body", "choices", i, "project"])."""
    references = [choice.project.strip() for choice in payload.choices]
    known = dict(budget.proposals.filter(reference__in=references).values_list("reference", "pk"))
    issues = []
    choices: dict[int, int] = {}
    for index, (reference, choice) in enumerate(zip(references, payload.choices, strict=True)):
        pk = known.get(reference)
        if pk is None:
            message = _(
                "There is no project %(reference)s in this budget. Use the references listed "
                "by /api/budgets/%(budget)d/projects."
            ) % {"reference": reference, "budget": budget.pk}
        elif pk in choices:
            message = _("You listed %(reference)s twice: list each project once.") % {
                "reference": reference
            }
        else:
            choices[pk] = choice.value
            continue
        issues.append(
            {"loc": ["body", "choices", index, "project"], "msg": message, "type": "rule"}
        )
    if issues:
        raise SchemaValidationError(issues)
    return choices


# --- Operations ---------------------------------------------------------------------------------


@router.get(
    "/budgets",
    response={200: list[BudgetOut], **LIST_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="Participatory budgets, newest first",
    description="Those whose activity has opened; with a token, also your organisations' drafts.",
)
@paginate(LimitOffset)
def budget_list(request: HttpRequest) -> Shaped[dict[str, Any]]:
    budgets = (
        _budgets_seen_by(request.user)
        .select_related(SERVICE)
        .prefetch_related("areas")
        .order_by("-pk")
    )
    return Shaped(budgets, lambda rows: [_budget_out(budget) for budget in rows])


@router.get(
    "/budgets/{budget_id}",
    response={200: BudgetDetailOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="One budget: its areas and their money, phase, dates, ballot and counting rules",
)
def budget_detail(request: HttpRequest, budget_id: IdPath) -> dict[str, Any]:
    return _budget_detail(queries.visible_budget(request, budget_id))


@router.get(
    "/budgets/{budget_id}/projects",
    response={200: list[ProjectOut], **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="A budget's projects (proposals) with their feasibility, by area",
    description=(
        "Every published proposal with its feasibility answer, or with `on_ballot=true` only the "
        "projects people vote on. With a token, also your own proposals that wait for a "
        "moderator, and every proposal for the activity's moderators."
    ),
)
@paginate(LimitOffset)
def project_list(
    request: HttpRequest, budget_id: IdPath, filters: Query[ProjectFilters]
) -> Shaped[dict[str, Any]]:
    budget = queries.visible_budget(request, budget_id)
    seen = contributions_seen_by(request.user, budget.activity).values("pk")
    proposals = Proposal.objects.filter(budget=budget, contribution__in=seen)
    if filters.on_ballot:
        proposals = proposals.on_ballot()
    if filters.area is not None:
        proposals = proposals.filter(area_id=filters.area)
    proposals = proposals.select_related("contribution__author", "merged_into")
    return Shaped(
        proposals.order_by("area__name", "pk"), lambda rows: list(map(_project_out, rows))
    )


@router.get(
    "/budgets/{budget_id}/results",
    response={200: ResultOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="A budget's result: what each area funded, the votes, and why the others were not",
    description=(
        "The latest finished count, once the budget is in its results (or delivery) phase; "
        "`404` before. The budget's staff see a finished count before it is published "
        "(`published: false`). With the method, its version and parameters and the number of "
        "ballots, anyone can count the open data again and compare."
    ),
)
def result_detail(request: HttpRequest, budget_id: IdPath) -> dict[str, Any]:
    budget = queries.visible_budget(request, budget_id)
    if not rules.can_view_results(request.user, budget):
        raise Http404
    count = budget.counts.filter(status=CountStatus.DONE).first()
    if count is None:
        raise Http404
    return _result_out(budget, count)


@router.get(
    "/budgets/{budget_id}/ballot",
    response={200: YourBallotOut, **READ_ERRORS},
    auth=WRITE,
    summary="Your ballot in a budget (a token is needed)",
    description="Whether you may vote now, and the ballot you cast, if you did.",
)
def ballot_detail(request: SignedInRequest, budget_id: IdPath) -> dict[str, Any]:
    budget = queries.visible_budget(request, budget_id)
    ballot = actions_voting.ballot_for(budget, voter=request.user)
    return {
        "may_vote": rules.can_vote_online(request.user, budget),
        "ballot": None if ballot is None else _ballot_out(ballot),
    }


@router.put(
    "/budgets/{budget_id}/ballot",
    response={200: CastOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Cast your ballot, or change it, while voting is open",
    description=(
        "One ballot per person: a second PUT replaces the first (`changed: true`). The answer "
        "holds your receipt code, shown this once. The ballot's rules (how many projects, the "
        "area's money, points, ranks) and who may vote (postcode areas, minimum age) are checked "
        "as on the website: a `422` of type `rule` says what to change. Voting that has not "
        "opened or has closed is a `422` of type `rule`; a budget that takes votes only with "
        "voting codes is a `403`. At most 30 ballots cast or changed in 10 minutes by one voter "
        "(1,000 from one address), website and API together."
    ),
)
def ballot_cast(request: SignedInRequest, budget_id: IdPath, payload: BallotIn) -> dict[str, Any]:
    budget = queries.visible_budget(request, budget_id)
    if not rules.voting_open(budget):
        raise _voting_closed(budget)
    require(rules.can_vote_online(request.user, budget))
    area = Area.objects.filter(pk=payload.area).first()
    if area is None:
        raise ValidationError({"area": _("Choose one of this budget’s areas.")})
    choices = _choices(budget, payload)
    if not ratelimit.consume(request, action=CASTS, key=f"user:{request.user.pk}"):
        raise ValidationError(
            _(
                "You have cast or changed your vote many times in the last few minutes. "
                "Nothing has changed. Wait a few minutes, then try again."
            )
        )
    cast = actions_voting.ballot_cast(
        budget=budget,
        area=area,
        choices=choices,
        voter=request.user,
        postcode=payload.postcode,
        age_confirmed=payload.age_confirmed,
    )
    # The choices as written, in the order a read gives them (value, then reference).
    written = sorted(
        ({"project": choice.project.strip(), "value": choice.value} for choice in payload.choices),
        key=lambda choice: (choice["value"], choice["project"]),
    )
    return {
        "receipt": cast.receipt,
        "changed": cast.changed,
        "ballot": _ballot_out(cast.ballot, written),
    }
