"""Reads of the standards that feed outcome indicators: the objects pages are about, the standards
and indicators a link can join, and a service's links with each standard's latest wording
(decision 0090)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from coproduce.assessment import rules
from coproduce.assessment.models import Assessment, IndicatorLink, Standard, VersionStatus
from coproduce.assessment.queries_assessments import latest_agreed, visible_assessment
from coproduce.assessment.queries_framework import display_order
from coproduce.outcomes.models import Indicator
from coproduce.services.models import ActivityKind, Service

# The unit an indicator fed by a standard should have: the value recorded is a percentage.
PERCENT = "%"

# --- The objects pages are about (404 for what the visitor may not see) --------------------------


def visible_link(request: HttpRequest, pk: int) -> IndicatorLink:
    link = get_object_or_404(
        IndicatorLink.objects.select_related("framework__service__organisation", "indicator"),
        pk=pk,
    )
    if not rules.can_view_framework(request.user, link.framework.service):
        raise Http404
    return link


def user_assessment(request: HttpRequest, pk: int) -> Assessment:
    """A user assessment the visitor may see (only they record results in indicators)."""
    assessment = visible_assessment(request, pk)
    if assessment.activity.kind != ActivityKind.ASSESSMENT:
        raise Http404
    return assessment


# --- What a link can join -----------------------------------------------------------------------


def linkable_standards(service: Service) -> list[Standard]:
    """The standards of the service's latest agreed version, in page order (none without one)."""
    latest = latest_agreed(service)
    return display_order(latest.standards.all()) if latest is not None else []


def service_indicators(service: Service) -> list[Indicator]:
    """Every indicator of the service's outcomes, outcome by outcome."""
    return list(
        Indicator.objects.filter(outcome__service=service)
        .select_related("outcome")
        .order_by("outcome__position", "outcome_id", "position", "id")
    )


def linkable_indicators(service: Service) -> list[Indicator]:
    """The indicators a standard can feed: all but those residents report through a question."""
    return [
        indicator
        for indicator in service_indicators(service)
        if not indicator.reported_by_residents
    ]


# --- A service's links --------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkRow:
    """A link as its page lists it: the standard in its latest agreed wording, and whether the
    latest version still has it (one it no longer has feeds only assessments of earlier versions)."""

    link: IndicatorLink
    standard: Standard | None
    in_latest: bool

    @property
    def percent(self) -> bool:
        """Whether the indicator's unit is a percentage, as the values recorded are."""
        return self.link.indicator.unit.strip() == PERCENT


def links_of(service: Service) -> list[LinkRow]:
    """The service's links, in the order of the standards, then of the indicators."""
    links = list(
        IndicatorLink.objects.filter(framework_id=service.pk)
        .select_related("indicator__outcome", "framework")
        .order_by("lineage", "indicator__outcome__position", "indicator__position", "indicator_id")
    )
    if not links:
        return []
    wording: dict[int, Standard] = {}
    for standard in Standard.objects.filter(
        version__framework_id=service.pk,
        version__status=VersionStatus.AGREED,
        lineage__in={link.lineage for link in links},
    ).order_by("-version__number"):
        wording.setdefault(standard.lineage, standard)
    order = {standard.lineage: index for index, standard in enumerate(linkable_standards(service))}
    rows = [
        LinkRow(
            link=link,
            standard=wording.get(link.lineage),
            in_latest=link.lineage in order,
        )
        for link in links
    ]
    # The latest version's standards in page order; those it no longer has, after them.
    rows.sort(key=lambda row: (order.get(row.link.lineage, len(order)), row.link.lineage))
    return rows
