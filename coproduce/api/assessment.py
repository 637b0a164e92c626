"""Assessment and improvement (issue 12): a service's standards in their agreed versions, one
assessment of any method with a user assessment's results or a team's agreed report, its
findings, and the service's improvement actions. Read-only thin adapters over assessment's rules
and queries, so each operation shows exactly what the website's page shows the same person.

Small numbers stay hidden as on the results page (a standard rated by too few people has no
numbers); a peer team is counts and groups, never names. Mystery shops' reports are not here:
their shoppers' anonymity is easiest to keep by not exposing them at all.
"""

# No `from __future__ import annotations` here: ninja reads the annotations of a @paginate-d
# operation through the wrapper, in another module, so they must be real objects (decision 0407).

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate

from coproduce.api.assessment_schemas import (
    AssessmentOut,
    FindingsOut,
    ServiceActionOut,
    StandardsOut,
    StandardsQuery,
)
from coproduce.api.auth import OPTIONAL
from coproduce.api.common import READ, READ_ERRORS
from coproduce.api.contributions import responses_out
from coproduce.api.schemas import IdPath, LimitOffset, Shaped, SlugPath
from coproduce.assessment import queries_assessments as assessments
from coproduce.assessment import queries_findings as findings
from coproduce.assessment import queries_framework as framework
from coproduce.assessment import queries_report as report
from coproduce.assessment import rules
from coproduce.assessment.models import (
    TEAM_METHODS,
    Assessment,
    Finding,
    FrameworkVersion,
    ImprovementAction,
    Standard,
    VersionStatus,
)
from coproduce.assessment.queries_assessments import by_theme
from coproduce.services.models import ActivityKind
from coproduce.services.queries import visible_service

router = Router(tags=["assessment"])


# --- Adapters -----------------------------------------------------------------------------------


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _standard_out(standard: Standard) -> dict[str, Any]:
    return {
        name: getattr(standard, name)
        for name in (
            "id",
            "lineage",
            "theme",
            "theme_cy",
            "statement",
            "statement_cy",
            "evidence_prompt",
            "evidence_prompt_cy",
            "position",
        )
    }


def _version_out(version: FrameworkVersion) -> dict[str, Any]:
    return {
        "id": version.pk,
        "number": version.number,
        "status": version.status,
        "agreed_at": version.agreed_at,
        "change_note": version.change_note,
        "change_note_cy": version.change_note_cy,
        "co_authors": framework.co_author_names(version),
        "standards": [_standard_out(s) for s in framework.display_order(version.standards.all())],
        "page": reverse("assessment:version", args=[version.pk]),
    }


def _about(standard: Standard) -> dict[str, Any]:
    return {
        "standard": standard.pk,
        "lineage": standard.lineage,
        "theme": standard.theme,
        "statement": standard.statement,
    }


def _result_out(row: assessments.Row, labels: dict[int, str]) -> dict[str, Any]:
    summary = row.summary
    shown = summary.reportable
    return {
        **_about(row.standard),
        "too_few": not shown,
        # The number of answers alone would give away "does not apply" beside `rated`.
        "responses": summary.responses if shown else None,
        "rated": summary.rated,
        "does_not_apply": summary.does_not_apply,
        "counts": [
            {"rating": c.rating, "label": labels[c.rating], "count": c.count, "share": c.share}
            for c in summary.cells
        ]
        if shown
        else None,
        "always_or_mostly": summary.positive,
        "always_or_mostly_share": summary.positive_share,
        "change": {"kind": row.change.kind, "points": row.change.points},
        "comments": [{"text": c.text, "name": c.name} for c in row.comments],
    }


def _results_out(assessment: Assessment) -> dict[str, Any]:
    found = assessments.results(assessment)
    labels = assessments.scale_labels()
    return {
        "responses": found.counts.total,
        "online": found.counts.online,
        "paper": found.counts.paper,
        "min_responses": found.min_responses,
        "previous": None if found.previous is None else found.previous.pk,
        "standards": [_result_out(row, labels) for t in found.themes for row in t.items],
    }


def _comparison_out(assessment: Assessment) -> dict[str, Any]:
    found = report.comparison(assessment)
    rows = []
    for row in (row for theme in found.themes for row in theme.items):
        users = row.users
        rows.append(
            {
                "standard": row.standard.pk,
                "lineage": row.standard.lineage,
                "statement": row.standard.statement,
                "team_rating": row.agreed.rating if row.agreed.answered else None,
                "users": None
                if users is None
                else {
                    "too_few": users.too_few,
                    "mean": _number(row.mean),
                    "always_or_mostly_share": users.positive_share,
                },
                "gap": _number(row.gap),
                "reading": row.reading,
            }
        )
    users_assessment = found.users_assessment
    return {
        "users_assessment": None if users_assessment is None else users_assessment.pk,
        "min_responses": found.min_responses,
        "rows": rows,
    }


def _report_out(request: HttpRequest, assessment: Assessment) -> dict[str, Any] | None:
    """The agreed report as its page shows it to this person, or None: not a team method, not
    theirs to read yet, or an assessor who has not handed in their own ratings (independence)."""
    if assessment.activity.kind not in TEAM_METHODS:
        return None
    if not rules.can_view_report(request.user, assessment):
        return None
    if report.waits_for_own_ratings(request.user, assessment):
        return None
    is_peer = assessment.activity.kind == ActivityKind.PEER_REVIEW
    rows = by_theme(report.agreed_rows(assessment), lambda row: row.standard)
    team = report.team_of(assessment) if is_peer else None
    agreement = report.team_agreement(assessment) if is_peer else None
    return {
        "published": assessment.is_published,
        "summary": assessment.summary,
        "summary_cy": assessment.summary_cy,
        "ratings": [
            {**_about(row.standard), "agreed": row.answered, "rating": row.rating, "note": row.note}
            for theme in rows
            for row in theme.items
        ],
        "team": None
        if team is None
        else {"size": team.size, "handed_in": team.handed_in, "groups": team.groups},
        "agreement": None
        if agreement is None
        else {
            "alpha": agreement.alpha,
            "percent": agreement.percent,
            "reading": agreement.reading,
            "units": agreement.units,
            "values": agreement.values,
        },
        "comparison": None if is_peer else _comparison_out(assessment),
        "page": reverse("assessment:report", args=[assessment.pk]),
    }


def _action_out(action: ImprovementAction, today: dt.date) -> dict[str, Any]:
    return {
        "id": action.pk,
        "description": action.description,
        "owner": action.owner,
        "due_on": action.due_on,
        "status": action.status,
        "overdue": action.is_overdue(today),
        "closed_on": action.closed_on,
        "evidence": action.evidence,
        "evidence_link": action.evidence_link,
    }


def _finding_out(finding: Finding, today: dt.date) -> dict[str, Any]:
    contribution = finding.contribution
    return {
        "id": finding.pk,
        "assessment": finding.assessment_id,
        "kind": finding.kind,
        "title": finding.title,
        "title_cy": finding.title_cy,
        "evidence": finding.evidence,
        "evidence_cy": finding.evidence_cy,
        "standards": [standard.pk for standard in finding.standards.all()],
        "actions": [_action_out(action, today) for action in finding.actions.all()],
        "created_at": contribution.created_at,
        "visibility": contribution.visibility,
        "answers": responses_out(contribution),
        "page": finding.get_absolute_url(),
    }


# --- Operations ---------------------------------------------------------------------------------


@router.get(
    "/services/{slug}/standards",
    response={200: StandardsOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="A service's standards: its agreed versions, newest first, with their standards",
    description=(
        "Each agreed version with what changed, the residents who wrote it and its standards by "
        "theme. With `include_draft=true`, those who keep the framework also get the draft "
        "(first); for everyone else the draft is left out."
    ),
)
def standards(request: HttpRequest, slug: SlugPath, query: Query[StandardsQuery]) -> dict[str, Any]:
    service = visible_service(request, slug)
    shown = [VersionStatus.AGREED]
    if query.include_draft and rules.can_keep_framework(request.user, service):
        shown.append(VersionStatus.DRAFT)
    versions = (
        FrameworkVersion.objects.filter(framework_id=service.pk, status__in=shown)
        .prefetch_related("co_authors", "standards")
        .order_by("-number")
    )
    return {
        "service": service.slug,
        "versions": [_version_out(version) for version in versions],
        "page": reverse("assessment:framework", args=[service.slug]),
    }


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="One assessment: a user assessment's results, or a team's agreed report",
    description=(
        "Any method: a user assessment, a peer review, a self-reflection or a mystery shop. A user "
        "assessment has its `results` as the results page shows them: a standard rated by fewer "
        "than `min_responses` people has no numbers (`too_few`). A peer review or self-reflection "
        "has its `report` once published (before, for the team and the service's staff); a peer "
        "team is counts and groups, never names. A mystery shop's reports are not in the API."
    ),
)
def assessment_detail(request: HttpRequest, assessment_id: IdPath) -> dict[str, Any]:
    assessment = assessments.visible_assessment(request, assessment_id)
    activity = assessment.activity
    kind = activity.kind
    return {
        "id": assessment.pk,
        "kind": kind,
        "service": activity.service.slug,
        "title": activity.title,
        "title_cy": activity.title_cy,
        "state": activity.state,
        "version": assessment.version_id,
        "version_number": assessment.version.number,
        "published_at": None if kind == ActivityKind.ASSESSMENT else assessment.published_at,
        "visit_on": assessment.visit_on if kind == ActivityKind.PEER_REVIEW else None,
        "page": assessment.get_absolute_url(),
        "results": _results_out(assessment) if kind == ActivityKind.ASSESSMENT else None,
        "report": _report_out(request, assessment),
    }


@router.get(
    "/assessments/{assessment_id}/findings",
    response={200: FindingsOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="An assessment's findings, with the answers and improvement actions",
    description=(
        "Strengths, concerns and urgent concerns, as on the results or report page; hidden ones "
        "only for the activity's moderators."
    ),
)
def finding_list(request: HttpRequest, assessment_id: IdPath) -> dict[str, Any]:
    assessment = assessments.visible_assessment(request, assessment_id)
    today = timezone.localdate()
    return {
        "assessment": assessment.pk,
        "findings": [
            _finding_out(finding, today)
            for finding in findings.findings_of(assessment, request.user)
        ],
    }


@router.get(
    "/services/{slug}/improvement-actions",
    response={200: list[ServiceActionOut], **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="A service's improvement actions: open ones first, the earliest due first",
    description=(
        "What the service does about the concerns its assessments found, each with its finding "
        "and whether it is `overdue` (still open after its due date); closed ones last."
    ),
)
@paginate(LimitOffset)
def action_list(request: HttpRequest, slug: SlugPath) -> Shaped[dict[str, Any]]:
    service = visible_service(request, slug)
    today = timezone.localdate()

    def shape(rows: list[ImprovementAction]) -> list[dict[str, Any]]:
        return [
            {
                **_action_out(action, today),
                "finding": action.finding_id,
                "assessment": action.finding.assessment_id,
            }
            for action in rows
        ]

    return Shaped(findings.service_actions(service, request.user), shape)
