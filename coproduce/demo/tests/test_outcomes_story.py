"""The youth mental health service's outcomes framework in the demo: three outcomes from what
young people said, values in all three pillars, a resident check with a "too few answers" month,
and seeding twice changes nothing."""

from __future__ import annotations

import pytest
from django.conf import settings

from coproduce.demo.outcomes import LISTENED, YOUTH
from coproduce.demo.story import seed
from coproduce.outcomes import queries
from coproduce.outcomes.models import CheckAnswer, Measurement, Pillar, Source
from coproduce.services.models import Service

pytestmark = [pytest.mark.slow, pytest.mark.demo_content]


def test_the_youth_service_has_an_outcomes_framework(demo_story: None) -> None:
    service = Service.objects.get(slug=YOUTH)
    rows = queries.framework(service)

    assert len(rows) == 3
    assert all(row.outcome.sources.exists() for row in rows)
    readings = [reading for row in rows for reading in row.readings]
    assert {r.indicator.pillar for r in readings if r.latest is not None} == set(Pillar.values)
    assert {r.status for r in readings} >= {
        queries.Status.ON_TRACK,
        queries.Status.AT_RISK,
        queries.Status.OFF_TRACK,
    }
    measured = Measurement.objects.filter(indicator__outcome__service=service)
    assert {Source.STAFF, Source.IMPORT, Source.RESIDENTS} <= set(
        measured.values_list("source", flat=True)
    )

    check = next(r for r in readings if r.indicator.name == LISTENED)
    months = list(queries.measurements_of(check.indicator))
    assert len(months) == 12
    too_few = [m for m in months if m.value is None]
    assert too_few
    assert all((m.answers or 0) < settings.COPRODUCE_OUTCOMES_MIN_ANSWERS for m in too_few)
    answers = CheckAnswer.objects.filter(indicator=check.indicator)
    assert sum(m.answers or 0 for m in months) == answers.count()
    assert check.latest is not None
    assert check.latest.value is not None

    size = (measured.count(), answers.count(), service.outcomes.count())
    seed()
    assert (measured.count(), answers.count(), service.outcomes.count()) == size
