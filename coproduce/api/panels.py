"""Citizen panels: the panels, their public selection reports, their recommendations with the
members' vote and the organisation's answer, and moving an answer along its statuses.
Thin adapters over panels' rules and queries, as the website; registration data never appear.
"""

# No `from __future__ import annotations` here: ninja reads the annotations of a @paginate-d
# operation through the wrapper, in another module, so they must be real objects (decision 0407).

import dataclasses
import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from coproduce.accounts.types import SignedInRequest
from coproduce.api.auth import OPTIONAL
from coproduce.api.common import LIST_ERRORS, READ, READ_ERRORS, WRITE, WRITE_ERRORS
from coproduce.api.contribution_schemas import DecisionBriefOut, ResponseOut
from coproduce.api.contributions import decisions_out, responses_out, status_history_out
from coproduce.api.schemas import IdPath, Input, LimitOffset, Shaped, Text
from coproduce.common.permissions import require
from coproduce.contributions import actions as spine_actions
from coproduce.contributions import rules as spine_rules
from coproduce.contributions.models import StatusChange
from coproduce.panels import queries, rules
from coproduce.panels.ledger import COMMITMENT, RESULT
from coproduce.panels.models import (
    AnswerStatus,
    Panel,
    Recommendation,
    RecommendationStatus,
    Selection,
    SelectionStatus,
)
from coproduce.transparency import queries as ledger_queries


# The budgets API has its own "Phase": the panels' phases get a name of their own in the schema.
class PanelPhase(StrEnum):
    SET_UP = "set_up"
    INVITATIONS = "invitations"
    REGISTRATION = "registration"
    SELECTION = "selection"
    DELIBERATION = "deliberation"
    CLOSED = "closed"


router = Router(tags=["panels"])

SERVICE = "activity__service_stage__service"
Voted = Literal["published", "not_passed"]


# --- Shapes -------------------------------------------------------------------------------------


class PanelOut(Schema):
    id: int = Field(description="Its activity's id, as in /api/activities/{id}.")
    service: str = Field(description="Slug of the service.")
    title: str
    title_cy: str = Field(description="In Welsh; empty until written.")
    summary: str
    question: str = Field(description="The question the panel answers.")
    question_cy: str = Field(description="In Welsh; empty until written.")
    size: int = Field(description="How many members the panel has.")
    phase: PanelPhase = Field(
        description=(
            "set_up → invitations → registration → selection → deliberation → closed, one step "
            "at a time."
        )
    )
    registration_open: bool = Field(
        description="Whether people may register now (on the website, with a letter's code)."
    )
    volunteers_may_register: bool = Field(
        description="Whether people without a letter may register too, through an open link."
    )
    invitations_sent_on: dt.date | None = Field(description="Planned dates; null when not set.")
    registration_closes_on: dt.date | None
    selection_on: dt.date | None
    deliberation_starts_on: dt.date | None = Field(description="The first session.")
    closes_on: dt.date | None = Field(description="When the panel ends.")


class PanelDetailOut(PanelOut):
    summary_cy: str = Field(description="In Welsh; empty until written.")
    recommendation_threshold: int = Field(
        description="The share of the members' votes, in per cent, a recommendation needs."
    )
    draw: Literal["not_prepared", "seed_committed", "done"] = Field(
        description=(
            "`not_prepared`; `seed_committed`: the seed's fingerprint is published and the draw "
            "is to come; `done`: the members are chosen and the seed revealed "
            "(/api/panels/{id}/selection)."
        )
    )
    page: str = Field(description="The panel's page on the website.")


class QuotaOut(Schema):
    category: str = Field(description="The quota question (age band, area …).")
    value: str = Field(description="The answer the quota is for.")
    minimum: int = Field(description="The fewest members with this answer.")
    maximum: int = Field(description="The most members with this answer.")
    in_pool: int = Field(description="How many people in the pool gave it.")
    selected: int = Field(description="How many members chosen gave it.")


class DrawOut(Schema):
    method: str
    version: str = Field(description="The version of the selection engine.")
    tickets: int = Field(description="Lottery tickets the chances were turned into.")
    winning_ticket: int | None = Field(description="The ticket the seed drew.")
    pool_size: int = Field(description="People in the pool (who registered and could be chosen).")
    panel_size: int
    minimum_probability: float = Field(description="The lowest chance of being chosen (0 to 1).")
    maximum_probability: float = Field(description="The highest chance of being chosen.")
    spread: float = Field(description="The highest chance minus the lowest.")
    quotas: list[QuotaOut] = Field(description="The quotas and how the pool and panel meet them.")
    result_entry: int | None = Field(
        description="The public ledger's entry of the result (/api/ledger/entries/{seq})."
    )
    pool_export: str | None = Field(
        description=(
            "The anonymised pool files (ZIP): pool ids and quota answers, no names. Null once the "
            "registration data they are made from are deleted, after the panel ends."
        )
    )
    rerun_command: str = Field(
        description=(
            "Run it on the unzipped pool files to draw the same panel again. Kept once the files "
            "are deleted, for anyone who downloaded them before."
        )
    )


class ReplacementDrawOut(Schema):
    seed_sha256: str
    committed_at: dt.datetime
    seed: str | None = Field(description="Revealed after the draw; null before.")
    revealed_at: dt.datetime | None
    replacements: int | None = Field(description="How many were chosen; null before the draw.")


class SelectionOut(Schema):
    algorithm: str = Field(description="`leximin`, `maximin` or `legacy`.")
    seed_sha256: str = Field(
        description="The fingerprint of the seed, published before the draw: SHA-256 of its text."
    )
    pool_sha256: str = Field(
        description="The fingerprint of the pool and quotas it was drawn from."
    )
    committed_at: dt.datetime = Field(description="When the fingerprint was published.")
    commitment_entry: int | None = Field(
        description="The public ledger's entry of the commitment (/api/ledger/entries/{seq})."
    )
    seed: str | None = Field(description="The seed, revealed by the draw; null before.")
    revealed_at: dt.datetime | None
    draw: DrawOut | None = Field(description="Null until the draw is done.")
    replacement_draws: list[ReplacementDrawOut] = Field(
        description="Draws that filled the places of members who dropped out, oldest first."
    )


class SelectionReportOut(Schema):
    panel: int
    selection: SelectionOut | None = Field(
        description="Null until the seed of the draw is committed."
    )


class VoteResultOut(Schema):
    support_count: int | None = Field(description="Members who supported it.")
    against_count: int | None = Field(description="Members who did not.")
    support_percent: int | None = Field(
        description="Support in whole per cent of the votes cast, rounded down."
    )
    members_count: int | None = Field(description="Members of the panel when the vote closed.")
    threshold: int | None = Field(description="The support, in per cent, it needed.")
    closed_at: dt.datetime | None


class AnswerStatusChangeOut(Schema):
    from_status: AnswerStatus
    to_status: AnswerStatus
    reason: str
    created_at: dt.datetime


class RecommendationAnswerOut(Schema):
    status: AnswerStatus = Field(
        description=(
            "waiting → accepted / accepted_in_part / not_accepted → in_progress → done "
            "(accepted and accepted in part may go straight to done)."
        )
    )
    status_reason: str = Field(description="Why, for accepted_in_part and not_accepted.")
    next_statuses: list[AnswerStatus]
    status_history: list[AnswerStatusChangeOut] = Field(description="Oldest first.")
    responses: list[ResponseOut] = Field(
        description="The organisation's official answers, oldest first: what it will do, by when."
    )
    decisions: list[DecisionBriefOut] = Field(description="Decisions it informed, newest first.")
    answer_due: dt.date | None = Field(description="By when it should have been answered.")
    overdue: bool = Field(description="Past that day with no official answer yet.")


class RecommendationOut(Schema):
    id: int
    panel: int
    title: str
    text: str
    status: Voted = Field(
        description="`published`: the members passed it; `not_passed`: not enough support."
    )
    published_at: dt.datetime | None
    vote: VoteResultOut = Field(description="Totals only: nobody's vote is shown.")
    contribution: int | None = Field(
        description=(
            "Its contribution (/api/contributions/{id}), where staff publish the official "
            "answer (`POST /api/contributions/{id}/responses`); null when not passed."
        )
    )
    answer: RecommendationAnswerOut | None = Field(
        description="Null for a recommendation that did not pass."
    )


class RecommendationFilters(Schema):
    status: Voted = Field(
        "published",
        description="The members passed them (`published`), or they had not enough support.",
    )


class AnswerStatusIn(Input):
    to_status: AnswerStatus = Field(description="One of the recommendation's next_statuses.")
    reason: Annotated[str, Text(5000)] = Field(
        "", description="Shown with the status; required for accepted_in_part and not_accepted."
    )


# --- Adapters -----------------------------------------------------------------------------------


def _panel_out(panel: Panel) -> dict[str, Any]:
    activity = panel.activity
    return {
        "id": panel.pk,
        "service": activity.service_stage.service.slug,
        "title": activity.title,
        "title_cy": activity.title_cy,
        "summary": activity.summary,
        "question": panel.question,
        "question_cy": panel.question_cy,
        "size": panel.size,
        "phase": panel.phase,
        "registration_open": rules.registration_open(panel),
        "volunteers_may_register": panel.allow_volunteers,
        "invitations_sent_on": panel.invitations_sent_on,
        "registration_closes_on": panel.registration_closes_on,
        "selection_on": panel.selection_on,
        "deliberation_starts_on": panel.deliberation_starts_on,
        "closes_on": panel.closes_on,
    }


def _draw_state(selection: Selection | None) -> str:
    if selection is None:
        return "not_prepared"
    return "seed_committed" if selection.revealed_at is None else "done"


def _seq(entry: Any) -> int | None:
    return None if entry is None else int(entry.seq)


def _draw_out(panel: Panel, selection: Selection) -> dict[str, Any]:
    """What the report page shows once the seed is revealed: counts and chances, nobody's."""
    statistics = selection.statistics
    return {
        "method": selection.method,
        "version": selection.version,
        "tickets": selection.parameters.get("tickets", 0),
        "winning_ticket": statistics.get("winning_ticket"),
        "pool_size": statistics.get("pool_size", 0),
        "panel_size": statistics.get("panel_size", panel.size),
        "minimum_probability": statistics.get("minimum_probability", 0.0),
        "maximum_probability": statistics.get("maximum_probability", 0.0),
        "spread": statistics.get("spread", 0.0),
        "quotas": [dataclasses.asdict(row) for row in queries.report_rows(selection)],
        "result_entry": _seq(ledger_queries.latest_entry(RESULT, selection.pk)),
        # The files go with the registration data (decision 0131): no address that answers 410.
        "pool_export": reverse("panels:pool_export", args=[panel.pk])
        if rules.pool_files_kept(panel)
        else None,
        "rerun_command": queries.rerun_command(selection),
    }


def _replacement_draws(panel: Panel) -> list[dict[str, Any]]:
    draws = panel.selections.exclude(replaces=None).exclude(status=SelectionStatus.FAILED)
    return [
        {
            "seed_sha256": draw.seed_hash,
            "committed_at": draw.committed_at,
            "seed": draw.public_seed,
            "revealed_at": draw.revealed_at,
            "replacements": len(draw.members) if draw.revealed_at is not None else None,
        }
        for draw in draws.order_by("committed_at", "pk")
    ]


def _selection_out(panel: Panel, selection: Selection) -> dict[str, Any]:
    """The selection report: the commitment always, the draw and replacements once revealed
    (the rule of the website's report page, panels:selection_report)."""
    revealed = selection.revealed_at is not None
    return {
        "algorithm": selection.algorithm,
        "seed_sha256": selection.seed_hash,
        "pool_sha256": selection.pool_hash,
        "committed_at": selection.committed_at,
        "commitment_entry": _seq(ledger_queries.latest_entry(COMMITMENT, selection.pk)),
        "seed": selection.public_seed,
        "revealed_at": selection.revealed_at,
        "draw": _draw_out(panel, selection) if revealed else None,
        "replacement_draws": _replacement_draws(panel) if revealed else [],
    }


def _answer_out(recommendation: Recommendation) -> dict[str, Any] | None:
    contribution = recommendation.contribution
    if contribution is None:
        return None
    workflow = contribution.kind_spec.workflow
    return {
        "status": contribution.status,
        "status_reason": contribution.status_reason,
        "next_statuses": workflow.offered_next(contribution.status) if workflow else [],
        "status_history": status_history_out(contribution),
        "responses": responses_out(contribution),
        "decisions": decisions_out(contribution),
        "answer_due": recommendation.answer_due,
        "overdue": recommendation.answer_overdue,
    }


def _recommendation_out(recommendation: Recommendation) -> dict[str, Any]:
    voting_round = recommendation.voting_round
    return {
        "id": recommendation.pk,
        "panel": recommendation.panel_id,
        "title": recommendation.title,
        "text": recommendation.text,
        "status": recommendation.status,
        "published_at": recommendation.published_at,
        "vote": {
            "support_count": recommendation.support_count,
            "against_count": recommendation.against_count,
            "support_percent": recommendation.support_percent,
            "members_count": recommendation.members_count,
            "threshold": None if voting_round is None else voting_round.threshold,
            "closed_at": None if voting_round is None else voting_round.closed_at,
        },
        "contribution": recommendation.contribution_id,
        "answer": _answer_out(recommendation),
    }


def _with_history(items: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """The answers' status changes and the service's organisation, for a page in a few queries."""
    return items.select_related(
        f"contribution__{SERVICE}__organisation", "voting_round"
    ).prefetch_related(
        Prefetch(
            "contribution__status_changes",
            queryset=StatusChange.objects.order_by("created_at", "id"),
        )
    )


# --- Operations ---------------------------------------------------------------------------------


@router.get(
    "/panels",
    response={200: list[PanelOut], **LIST_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="Citizen panels, newest first",
    description="Those whose activity has opened; with a token, also your organisations' drafts.",
)
@paginate(LimitOffset)
def panel_list(request: HttpRequest) -> Shaped[dict[str, Any]]:
    panels = queries.panels_seen_by(request.user).select_related(SERVICE).order_by("-pk")
    return Shaped(panels, lambda rows: list(map(_panel_out, rows)))


@router.get(
    "/panels/{panel_id}",
    response={200: PanelDetailOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="One citizen panel: its question, size, phase, dates, and whether people may register",
)
def panel_detail(request: HttpRequest, panel_id: IdPath) -> dict[str, Any]:
    panel = queries.visible_panel(request, panel_id)
    return {
        **_panel_out(panel),
        "summary_cy": panel.activity.summary_cy,
        "recommendation_threshold": panel.recommendation_threshold,
        "draw": _draw_state(queries.first_selection(panel)),
        "page": reverse("panels:panel_detail", args=[panel.pk]),
    }


@router.get(
    "/panels/{panel_id}/selection",
    response={200: SelectionReportOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="How the members were chosen: the seed's commitment, then the draw and its quotas",
    description=(
        "`selection` is null until the seed is committed. Then its fingerprint (SHA-256) is "
        "shown, and once the draw is done the seed itself, the method and version, the pool's "
        "size, the lowest and highest chance of being chosen, how the pool and the panel meet "
        "each quota, the draws of replacements and how to re-run the draw from the anonymised "
        "pool files. Counts only: nobody who registered is named or described."
    ),
)
def selection_report(request: HttpRequest, panel_id: IdPath) -> dict[str, Any]:
    panel = queries.visible_panel(request, panel_id)
    selection = queries.first_selection(panel)
    return {
        "panel": panel.pk,
        "selection": None if selection is None else _selection_out(panel, selection),
    }


@router.get(
    "/panels/{panel_id}/recommendations",
    response={200: list[RecommendationOut], **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="A panel's recommendations, with the members' vote and the organisation's answer",
    description=(
        "Those the members passed (oldest first), each with the totals of the vote and the "
        "organisation's answer: its status, the official answers and the decisions it "
        "informed; `status=not_passed` lists those without enough support. Drafts and "
        "recommendations still in the vote are not shown."
    ),
)
@paginate(LimitOffset)
def recommendation_list(
    request: HttpRequest, panel_id: IdPath, filters: Query[RecommendationFilters]
) -> Shaped[dict[str, Any]]:
    panel = queries.visible_panel(request, panel_id)
    if filters.status == RecommendationStatus.PUBLISHED:
        items = queries.published_recommendations(panel)
    else:
        items = queries.recommendations_not_passed(panel)
    return Shaped(_with_history(items), lambda rows: list(map(_recommendation_out, rows)))


@router.post(
    "/panel-recommendations/{recommendation_id}/status",
    response={200: RecommendationOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Move the answer to a recommendation to its next status (staff of the organisation)",
    description=(
        "accepted_in_part and not_accepted need a reason. Publish what will be done, and by "
        "when, with `POST /api/contributions/{contribution}/responses`. Followers are emailed."
    ),
)
def recommendation_status(
    request: SignedInRequest, recommendation_id: IdPath, payload: AnswerStatusIn
) -> dict[str, Any]:
    recommendation = queries.visible_recommendation(request, recommendation_id)
    panel = recommendation.panel
    if not rules.can_view_recommendation(request.user, recommendation):
        raise Http404
    require(spine_rules.can_answer_for(request.user, panel.activity.service))
    contribution = recommendation.contribution
    if contribution is None:
        raise ValidationError(
            _("Only a recommendation the members passed gets an answer from the organisation.")
        )
    spine_actions.contribution_set_status(
        contribution=contribution,
        to_status=payload.to_status,
        changed_by=request.user,
        reason=payload.reason,
    )
    return _recommendation_out(
        _with_history(queries.published_recommendations(panel)).get(pk=recommendation.pk)
    )
