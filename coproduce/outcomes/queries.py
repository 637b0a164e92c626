"""Reads of the outcomes framework: each indicator's latest value and whether it is on track,
the triple-bottom-line summary, per-cycle readings, and the loaders that find a page's subject
or 404 (decision 0071)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coproduce.common.languages import field_labels, in_language, missing_fields, missing_query
from coproduce.outcomes import rules
from coproduce.outcomes.models import Indicator, Measurement, Outcome, Pillar
from coproduce.services.models import Service
from coproduce.services.pages import Untranslated

PATH = "outcome__service__organisation"


class Status(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NOT_MEASURED = "not_measured", _("Not measured yet")


STATUS_COLOURS = {
    Status.ON_TRACK: "govuk-tag--green",
    Status.AT_RISK: "govuk-tag--yellow",
    Status.OFF_TRACK: "govuk-tag--red",
    Status.NOT_MEASURED: "govuk-tag--grey",
}

# The rule, as every page that shows a status states it (decision 0071).
STATUS_RULE = _(
    "We draw a straight line from the baseline to the target by its date. On track: the latest "
    "value is on that line or better. At risk: it is better than the baseline but behind the "
    "line. Off track: it is no better than the baseline. Values from residents' checks with too "
    "few answers are not used."
)


@dataclass(frozen=True)
class Reading:
    """An indicator's latest usable value and its status against the target's line."""

    indicator: Indicator
    latest: Measurement | None
    expected: Decimal | None  # where the line stands on the latest value's date
    status: Status

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]


def status_of(indicator: Indicator, latest: Measurement | None) -> tuple[Status, Decimal | None]:
    """The status rule (STATUS_RULE) for a latest measurement that has a value, or None."""
    if latest is None or latest.value is None:
        return Status.NOT_MEASURED, None
    expected = indicator.expected_on(latest.measured_on)
    if not indicator.better(expected, latest.value):  # on the line, or better
        return Status.ON_TRACK, expected
    if indicator.better(latest.value, indicator.baseline):
        return Status.AT_RISK, expected
    return Status.OFF_TRACK, expected


def reading(indicator: Indicator, measurements: Sequence[Measurement]) -> Reading:
    """From the indicator's measurements (any order): the latest with a value, and its status."""
    valued = [m for m in measurements if m.value is not None]
    latest = max(valued, key=lambda m: m.measured_on) if valued else None
    status, expected = status_of(indicator, latest)
    return Reading(indicator=indicator, latest=latest, expected=expected, status=status)


@dataclass(frozen=True)
class CycleReading:
    cycle: int
    reading: Reading
    count: int


def by_cycle(indicator: Indicator, measurements: Sequence[Measurement]) -> list[CycleReading]:
    """The reading at the end of each cycle of the service that has measurements."""
    cycles = sorted({m.cycle for m in measurements})
    return [
        CycleReading(
            cycle=cycle,
            reading=reading(indicator, [m for m in measurements if m.cycle == cycle]),
            count=sum(1 for m in measurements if m.cycle == cycle),
        )
        for cycle in cycles
    ]


@dataclass(frozen=True)
class OutcomeRow:
    outcome: Outcome
    readings: list[Reading]


@dataclass(frozen=True)
class PillarSummary:
    pillar: Pillar
    indicators: int
    counts: list[tuple[Status, int]]  # every status, in order, with how many indicators


def framework(service: Service) -> list[OutcomeRow]:
    """The service's outcomes, each with its indicators' readings (three queries)."""
    outcomes = service.outcomes.prefetch_related(
        Prefetch(
            "indicators",
            queryset=Indicator.objects.prefetch_related("measurements"),
        ),
        "sources",
    )
    return [
        OutcomeRow(
            outcome=outcome,
            readings=[
                reading(indicator, list(indicator.measurements.all()))
                for indicator in outcome.indicators.all()
            ],
        )
        for outcome in outcomes
    ]


def pillar_summary(rows: Sequence[OutcomeRow]) -> list[PillarSummary]:
    """The triple bottom line: per pillar, how many indicators are in each status."""
    readings = [r for row in rows for r in row.readings]
    summaries = []
    for pillar in Pillar:
        mine = [r for r in readings if r.indicator.pillar == pillar]
        summaries.append(
            PillarSummary(
                pillar=pillar,
                indicators=len(mine),
                counts=[(status, sum(1 for r in mine if r.status == status)) for status in Status],
            )
        )
    return summaries


def has_framework(service: Service) -> bool:
    return service.outcomes.exists()


# --- Loaders ------------------------------------------------------------------------------------


def visible_indicator(request: HttpRequest, pk: int) -> Indicator:
    indicator = get_object_or_404(Indicator.objects.select_related(PATH), pk=pk)
    if not rules.can_view_indicator(request.user, indicator):
        raise Http404
    return indicator


def visible_outcome(request: HttpRequest, pk: int) -> Outcome:
    outcome = get_object_or_404(Outcome.objects.select_related("service__organisation"), pk=pk)
    if not rules.can_view_outcomes(request.user, outcome.service):
        raise Http404
    return outcome


def measurements_of(indicator: Indicator) -> QuerySet[Measurement]:
    return indicator.measurements.order_by("measured_on")


# --- What has no Welsh yet (services.pages.MISSING_WELSH) ---------------------------------------


def outcomes_without_welsh(service: Service) -> QuerySet[Outcome]:
    return service.outcomes.filter(missing_query(Outcome)).order_by("position", "id")


def untranslated_outcome(outcome: Outcome) -> Untranslated:
    return Untranslated(
        what=gettext("Outcome"),
        name=in_language(outcome, "title"),
        missing=field_labels(Outcome, missing_fields(outcome)),
        url=reverse("outcomes:outcome_edit", kwargs={"pk": outcome.pk}),
    )


def indicators_without_welsh(service: Service) -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(outcome__service=service)
        .filter(missing_query(Indicator))
        .select_related("outcome")
        .order_by("outcome__position", "outcome_id", "position", "id")
    )


def untranslated_indicator(indicator: Indicator) -> Untranslated:
    return Untranslated(
        what=gettext("Outcome indicator"),
        name=in_language(indicator, "name"),
        missing=field_labels(Indicator, missing_fields(indicator)),
        url=reverse("outcomes:indicator_edit", kwargs={"pk": indicator.pk}),
        where=in_language(indicator.outcome, "title"),
    )


# --- Parts of the service pages (services.pages) ------------------------------------------------


def service_summary(service: Service) -> dict[str, object]:
    """The triple-bottom-line summary on the service page (nothing when there is no framework)."""
    rows = framework(service)
    return {
        "outcome_rows": rows,
        "pillars": pillar_summary(rows) if rows else [],
        "status_rule": STATUS_RULE,
    }


def staff_summary(service: Service) -> dict[str, object]:
    """How big the framework is, for the link on the staff service page."""
    return {
        "outcome_count": service.outcomes.count(),
        "indicator_count": Indicator.objects.filter(outcome__service=service).count(),
    }
