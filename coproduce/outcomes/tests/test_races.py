"""Measurements written at once on PostgreSQL (decision 0140): two values for one date, or an
import and a value of its file, wait for each other, and the second is refused with a reason
rather than an IntegrityError. SQLite writes one transaction at a time, so these run on
PostgreSQL only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.common.tests.concurrency import Behind, in_progress, only_on_postgresql
from coproduce.outcomes import actions
from coproduce.outcomes.models import Indicator, Measurement, Source
from coproduce.outcomes.tests.factories import keeper_of, make_indicator, make_outcome
from coproduce.services.tests.factories import ServiceFactory


def _indicator() -> tuple[User, Indicator]:
    service = ServiceFactory()
    keeper = keeper_of(service)
    return keeper, make_indicator(make_outcome(service, keeper), keeper)


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_values_for_one_date_at_once_keep_the_first() -> None:
    """Decision 0140: the second value waits for the first, then is refused on its date."""
    keeper, indicator = _indicator()
    today = timezone.localdate()

    def record(value: int) -> Measurement:
        return actions.measurement_record(
            indicator=indicator, by=keeper, measured_on=today, value=Decimal(value)
        )

    with in_progress(lambda: record(41)):
        second = Behind(lambda: record(42))
    with pytest.raises(ValidationError) as refused:
        second.result()
    assert "already a value" in refused.value.message_dict["measured_on"][0]
    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal("41.00")]


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_import_waits_for_a_value_of_its_file_then_names_its_line() -> None:
    """Decision 0140: the import waits for the value in progress, then refuses its line."""
    keeper, indicator = _indicator()
    today = timezone.localdate()
    earlier, day = today - dt.timedelta(days=60), today - dt.timedelta(days=30)
    text = f"indicator,date,value\n{indicator.pk},{earlier},40\n{indicator.pk},{day},41\n"
    with in_progress(
        lambda: actions.measurement_record(
            indicator=indicator, by=keeper, measured_on=day, value=Decimal(41)
        )
    ):
        late = Behind(
            lambda: actions.measurements_import(
                service=indicator.outcome.service, by=keeper, text=text, source="values.csv"
            )
        )
    with pytest.raises(ValidationError) as refused:
        late.result()
    assert refused.value.messages == [
        f"values.csv, line 3: indicator {indicator.pk} already has a value for {day}."
    ]
    assert list(Measurement.objects.values_list("measured_on", "source")) == [(day, Source.STAFF)]
