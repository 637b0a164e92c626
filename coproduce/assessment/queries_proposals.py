"""Reads of residents' proposals for the standards: the objects pages are about, a service's
proposals as a visitor may see them, and the open user assessment that takes them (decision 0089)."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from coproduce.accounts.types import Visitor
from coproduce.assessment.models import Assessment, Standard, StandardProposal
from coproduce.assessment.queries_assessments import standards_of, visible_assessment
from coproduce.contributions.models import Visibility
from coproduce.contributions.rules import can_view_contribution
from coproduce.services.models import ActivityKind, ActivityState, Service
from coproduce.services.queries import activity_seen_by

_JOINS = (
    "contribution__author",
    "contribution__activity__service_stage__service__organisation",
    "standard",
    "became__version",
)


def _proposals() -> QuerySet[StandardProposal]:
    return StandardProposal.objects.select_related(*_JOINS)


# --- The objects pages are about (404 for what the visitor may not see) --------------------------


def visible_proposal(request: HttpRequest, pk: int) -> StandardProposal:
    """A proposal the visitor may see: published in a public activity; its author and the
    service's moderators see it while it waits or once hidden."""
    proposal = get_object_or_404(_proposals(), pk=pk)
    if not can_view_contribution(request.user, proposal.contribution):
        raise Http404
    return proposal


def proposal_assessment(request: HttpRequest, pk: int) -> Assessment:
    """A user assessment the visitor may see (proposals are made in user assessments only)."""
    assessment = visible_assessment(request, pk)
    if assessment.activity.kind != ActivityKind.ASSESSMENT:
        raise Http404
    return assessment


# --- Lists ----------------------------------------------------------------------------------------


def proposals_of(service: Service, user: Visitor) -> QuerySet[StandardProposal]:
    """The service's proposals the visitor may see in a list, newest first: the published ones of
    activities they can see, and their own still waiting for a moderator (never hidden ones)."""
    shown = Q(contribution__visibility=Visibility.PUBLISHED)
    if user.is_authenticated:
        shown |= Q(contribution__visibility=Visibility.PENDING, contribution__author_id=user.pk)
    return (
        _proposals()
        .filter(shown, framework_id=service.pk)
        .filter(activity_seen_by(user, "contribution__activity"))
        .order_by("-contribution__created_at", "-pk")
    )


def open_assessment(service: Service) -> Assessment | None:
    """The service's latest open user assessment that has its standards set up, which takes
    proposals; None when there is none."""
    return (
        Assessment.objects.select_related(
            "activity__service_stage__service__organisation", "version"
        )
        .filter(
            activity__service_stage__service=service,
            activity__kind=ActivityKind.ASSESSMENT,
            activity__state=ActivityState.OPEN,
        )
        .order_by(F("activity__opens_on").desc(nulls_last=True), "-pk")
        .first()
    )


def proposable_standards(assessment: Assessment) -> list[Standard]:
    """The standards one may comment on: those of the version the assessment uses, in order."""
    return standards_of(assessment.version)
