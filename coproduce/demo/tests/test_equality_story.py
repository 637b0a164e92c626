"""Who took part in the demo, beside who lives there: every published service has its area's
population figures, about seven in ten who took part gave consented answers (some "Prefer not to
say"), the policing service shows its gaps, and seeding twice changes nothing."""

from __future__ import annotations

import pytest

from coproduce.accounts.models import User
from coproduce.demo.equality_content import (
    AREAS,
    CAST,
    COLUMNS,
    GROUPS,
    POLICING,
    RESIDENT,
    SOURCE,
    YOUTH,
)
from coproduce.demo.story import seed
from coproduce.equality import queries
from coproduce.equality.categories import BY_CODE, POSTCODE_DISTRICT, PREFER_NOT
from coproduce.equality.models import (
    EqualityRecord,
    PopulationArea,
    PopulationCount,
    ServicePopulation,
)
from coproduce.services.models import Service

pytestmark = [pytest.mark.slow, pytest.mark.demo_content]


def _group(code: str, value: str) -> str:
    """A group as ``Representation.under`` names it: "Age: 16 to 24"."""
    category = BY_CODE[code]
    return f"{category.title}: {category.label(value)}"


def test_each_deck_has_one_offered_answer_per_person_who_answers() -> None:
    for answers in CAST.values():
        assert len(answers) == len(COLUMNS)
        for code, value in zip(COLUMNS, answers, strict=True):
            if code != POSTCODE_DISTRICT:
                assert value in {"", *dict(BY_CODE[code].choices)}, (code, value)
    for group in GROUPS:
        assert set(group.decks) == set(COLUMNS)
        for code, deck in group.decks.items():
            assert sum(deck.values()) == group.answering, (group.name, code)
            if code != POSTCODE_DISTRICT:
                assert set(deck) <= {"", *dict(BY_CODE[code].choices)}, (group.name, code)
    for area in AREAS:
        for code, shares in area.shares.items():
            assert set(shares) <= set(dict(BY_CODE[code].options)), (area.code, code)
            assert sum(shares.values()) == pytest.approx(100), (area.code, code)


def test_the_services_show_who_is_missing_and_seeding_again_changes_nothing(
    demo_story: None,
) -> None:

    published = list(Service.objects.published())
    assert published
    for service in published:
        report = queries.representation(service)
        assert report.area is not None, service.slug
        assert report.area.source == SOURCE
        assert not report.too_few, service.slug  # the tables show

    policing = queries.representation(Service.objects.get(slug=POLICING))
    assert 0.6 <= policing.answered_share <= 0.9
    assert _group("age", "16_24") in policing.under
    assert _group("sex", "male") in policing.under
    assert {_group("disability", "a_lot"), _group("disability", "a_little")} & set(policing.under)
    age = next(table for table in policing.tables if table.code == "age")
    assert {row.code for row in age.rows if row.flag == "over"} >= {"65_74"}
    youth = queries.representation(Service.objects.get(slug=YOUTH))
    assert _group("sex", "male") in youth.under

    answers = [record.decrypted() for record in EqualityRecord.objects.all()]
    for code in ("religion", "sexual_orientation", "gender_identity"):
        assert any(given.get(code) == PREFER_NOT for given in answers), code
    assert any(len(given) < len(COLUMNS) for given in answers)  # some left questions out
    assert queries.my_answers(User.objects.get(email=RESIDENT)) is not None

    def snapshot() -> tuple[object, ...]:
        records = {
            (r.user_id, r.answers, r.consented_at, tuple(sorted(r.decrypted().items())))
            for r in EqualityRecord.objects.all()
        }
        figures = set(
            PopulationCount.objects.values_list("area__code", "category", "value", "count")
        )
        areas = set(PopulationArea.objects.values_list("organisation_id", "code", "updated_at"))
        linked = set(ServicePopulation.objects.values_list("service_id", "area_id"))
        return records, figures, areas, linked

    before = snapshot()
    seed()
    assert snapshot() == before
