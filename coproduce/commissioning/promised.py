"""Promised against delivered (decision 0080): for each awarded round of a service, the winning
bid's social-value commitments beside the latest value of the outcome indicator each is mapped
to, so that delivery is monitored against what was promised.

The commitments are published with the award (the contract record), so reading them here is not
an opening of a sealed bid. The latest value follows the outcomes app's rules: the latest
measurement with a value (``outcomes.queries.reading``); a residents' check with too few answers
has no value and is never shown as a number ("too few answers").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from coproduce.commissioning.models import Award, Commitment
from coproduce.outcomes.models import Indicator, Measurement
from coproduce.outcomes.queries import STATUS_RULE, Reading, reading
from coproduce.services.models import ActivityState, Service


@dataclass(frozen=True)
class Promise:
    """One commitment of the winning bid and what its indicator measures now."""

    commitment: Commitment
    indicator: Indicator
    quantity: Decimal
    description: str
    reading: Reading
    too_few_answers: bool  # measured, but never with enough answers to give a value
    before_contract: bool  # the latest value is from before the contract started

    @property
    def latest_value(self) -> Decimal | None:
        return None if self.reading.latest is None else self.reading.latest.value

    @property
    def measured_on(self) -> dt.date | None:
        return None if self.reading.latest is None else self.reading.latest.measured_on


@dataclass(frozen=True)
class AwardPromises:
    """An awarded round, its supplier, when the contract starts, and the winner's promises."""

    award: Award
    promises: list[Promise]

    @property
    def starts_on(self) -> dt.date:
        return contract_start(self.award)


def contract_start(award: Award) -> dt.date:
    """From when delivery counts: the contract's start, or the award's day while it has none."""
    return award.contract_starts_on or timezone.localdate(award.decided_at)


def _promises(award: Award, indicators: dict[int, Indicator]) -> list[Promise]:
    since = contract_start(award)
    promises = []
    for commitment in award.bid.commitments.all():
        indicator = indicators[commitment.indicator_id]
        measurements = list(indicator.measurements.all())
        found = reading(indicator, measurements)
        promises.append(
            Promise(
                commitment=commitment,
                indicator=indicator,
                quantity=commitment.quantity,
                description=commitment.description,
                reading=found,
                too_few_answers=found.latest is None and bool(measurements),
                before_contract=found.latest is not None and found.latest.measured_on < since,
            )
        )
    return promises


def service_promises(service: Service) -> list[AwardPromises]:
    """Every awarded round of the service whose activity has opened, newest award first, with
    the winning bid's commitments and their indicators' readings (four queries)."""
    awards = list(
        Award.objects.filter(round__activity__service_stage__service=service)
        .exclude(round__activity__state=ActivityState.DRAFT)
        .select_related("round__activity", "bid__organisation")
        .prefetch_related(
            Prefetch(
                "bid__commitments",
                queryset=Commitment.objects.order_by("criterion__position", "criterion_id", "pk"),
            )
        )
        .order_by("-decided_at", "-pk")
    )
    wanted = {c.indicator_id for award in awards for c in award.bid.commitments.all()}
    indicators = {
        indicator.pk: indicator
        for indicator in Indicator.objects.filter(pk__in=wanted).prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on"))
        )
    }
    return [AwardPromises(award=award, promises=_promises(award, indicators)) for award in awards]


def service_section(service: Service) -> dict[str, Any]:
    """The context of the service page's part ``commissioning/_promised.html``
    (services.pages.SERVICE_MAIN); nothing is shown when no round of the service is awarded."""
    return {"awards": service_promises(service), "status_rule": STATUS_RULE}
