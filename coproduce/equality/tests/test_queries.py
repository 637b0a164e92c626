"""Who took part beside the population: counts, shares, ratios, flags and hidden small numbers."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.contributions.models import Contribution
from coproduce.contributions.tests.world import World, build_world
from coproduce.equality import queries
from coproduce.equality.categories import NOT_ANSWERED, PREFER_NOT
from coproduce.equality.models import PopulationArea, ServicePopulation
from coproduce.equality.participation import Person
from coproduce.equality.tests.factories import population, took_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def _rows(report: queries.Representation, code: str) -> dict[str, queries.Row]:
    (table,) = [table for table in report.tables if table.code == code]
    return {row.code: row for row in table.rows}


def _people(world: World, counts: dict[str, int]) -> None:
    for age, count in counts.items():
        for _ in range(count):
            took_part(world.open_activity, {"age": age, "sex": "female"} if age else {})


def test_too_few_answers_show_no_table(world: World) -> None:
    _people(world, {"16_24": 9})
    took_part(world.open_activity)  # took part, answered nothing
    report = queries.representation(world.service, world.open_activity)
    assert (report.participants, report.answered) == (10, 9)
    assert report.too_few
    assert report.tables == ()


def test_small_groups_are_hidden_with_a_complement_and_flags_use_public_figures(
    world: World,
) -> None:
    _people(world, {"16_24": 3, "25_34": 12, "35_49": 25, "50_64": 20})
    area = PopulationArea.objects.create(organisation=world.owner, code="E1", name="Northfield")
    population(area, "age", {"16_24": 150, "25_34": 150, "35_49": 250, "50_64": 250, "65_74": 200})
    ServicePopulation.objects.create(service=world.service, area=area)
    report = queries.representation(world.service)
    assert (report.participants, report.answered, report.area) == (60, 60, area)
    rows = _rows(report, "age")
    # 3 is under 10: hidden; the smallest other non-zero group (12) is hidden with it.
    assert rows["16_24"].hidden
    assert rows["25_34"].hidden
    assert rows["16_24"].share is None
    assert rows["16_24"].ratio is None
    assert (rows["35_49"].count, rows["50_64"].count, rows["65_74"].count) == (25, 20, 0)
    assert rows["35_49"].share == pytest.approx(25 / 60)
    assert rows["35_49"].population_share == pytest.approx(0.25)
    assert rows["35_49"].ratio == pytest.approx((25 / 60) / 0.25)
    assert rows["35_49"].flag == "over"
    assert rows["65_74"].flag == "under"
    # The hidden cells together are 15 of 60 (anyone can work that out): 25 % against 15 % of the
    # population is not under-represented, so neither hidden group is flagged.
    assert rows["16_24"].flag == rows["25_34"].flag == ""
    assert rows[PREFER_NOT].population_share is None
    # Everyone answered "sex": female; the other sex's zero is shown, and so are all 60.
    sex = _rows(report, "sex")
    assert (sex["female"].count, sex["male"].count) == (60, 0)


def test_a_hidden_group_is_flagged_when_even_every_hidden_person_would_be_too_few(
    world: World,
) -> None:
    _people(world, {"16_24": 2, "25_34": 3, "35_49": 40, "50_64": 40})
    area = PopulationArea.objects.create(organisation=world.owner, code="E1", name="Northfield")
    population(area, "age", {"16_24": 300, "25_34": 300, "35_49": 200, "50_64": 200})
    ServicePopulation.objects.create(service=world.service, area=area)
    rows = _rows(queries.representation(world.service), "age")
    assert rows["16_24"].hidden
    assert rows["25_34"].hidden
    # 5 of 85 at most, against 30 % of the population.
    assert rows["16_24"].flag == rows["25_34"].flag == "under"
    report = queries.representation(world.service)
    assert "Age: 16 to 24" in report.under


@override_settings(EQUALITY_MIN_CELL=3)
def test_the_threshold_is_a_setting(world: World) -> None:
    _people(world, {"16_24": 3, "25_34": 12})
    rows = _rows(queries.representation(world.service), "age")
    assert rows["16_24"].count == 3


def test_a_question_left_out_is_counted_as_not_answered(world: World) -> None:
    _people(world, {"16_24": 12, "": 10})
    rows = _rows(queries.representation(world.service, world.open_activity), "age")
    assert rows[NOT_ANSWERED].count == 10


def test_one_activity_or_the_whole_service(world: World) -> None:
    from coproduce.services.models import ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    other = ActivityFactory(service=world.service, state=ActivityState.OPEN)
    _people(world, {"16_24": 10})
    for _ in range(10):
        took_part(other, {"age": "75_plus"})
    assert queries.representation(world.service, other).answered == 10
    assert queries.representation(world.service).answered == 20
    draft = world.draft_activity
    took_part(draft, {"age": "75_plus"})
    assert queries.representation(world.service).answered == 20  # drafts do not count


def test_shares_leave_out_prefer_not_to_say_and_tiny_groups_are_not_flagged_by_chance(
    world: World,
) -> None:
    for _ in range(30):
        took_part(world.open_activity, {"ethnic_group": "white", "religion": "christian"})
    for _ in range(15):
        took_part(world.open_activity, {"ethnic_group": "prefer_not", "religion": "christian"})
    area = PopulationArea.objects.create(organisation=world.owner, code="E1", name="Northfield")
    population(area, "ethnic_group", {"white": 970, "other": 30})
    population(area, "religion", {"christian": 600, "none": 400})
    ServicePopulation.objects.create(service=world.service, area=area)
    report = queries.representation(world.service)
    ethnic = _rows(report, "ethnic_group")
    # 30 of the 30 who gave an ethnic group: the 15 who preferred not to say are left out.
    assert ethnic["white"].share == pytest.approx(1.0)
    assert ethnic["white"].flag == ""
    assert ethnic[PREFER_NOT].count == 15
    assert ethnic[PREFER_NOT].share is None
    # Nobody of a group that is 3 % of the area, among 30: could well be chance.
    assert ethnic["other"].count == 0
    assert ethnic["other"].flag == ""
    # Nobody with no religion, 40 % of the area, among 45: not chance.
    assert _rows(report, "religion")["none"].flag == "under"


# --- Tables that differ by a few people (decision 0093) ------------------------------------------


def test_an_activity_almost_the_same_as_the_whole_service_is_withheld(world: World) -> None:
    from coproduce.services.models import ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    other = ActivityFactory(service=world.service, state=ActivityState.OPEN)
    people = [took_part(world.open_activity, {"age": "16_24"}) for _ in range(12)]
    for person in people:
        Contribution.objects.create(activity=other, kind="idea", author=person)
    took_part(other, {"age": "75_plus"})  # the one person the tables would give away
    # The whole service and `other` are the same 13 people; the open activity is 12 of them.
    assert not queries.representation(world.service).withheld
    assert not queries.representation(world.service, other).withheld
    withheld = queries.representation(world.service, world.open_activity)
    assert withheld.withheld
    assert withheld.tables == ()
    assert withheld.under == []
    outreach = dict(queries.activities_under(world.service))
    assert outreach[world.open_activity].withheld
    assert not outreach[other].withheld


_k = 3  # a small threshold keeps the examples small


@st.composite
def _services(draw: st.DrawFn) -> tuple[dict[int, set[Person]], dict[Person, dict[str, str]]]:
    people = [("user", n) for n in range(draw(st.integers(1, 14)))]
    activities = draw(st.integers(1, 5))
    taking_part = {
        pk: set(draw(st.lists(st.sampled_from(people), max_size=len(people))))
        for pk in range(1, activities + 1)
    }
    answered = draw(st.lists(st.sampled_from(people), max_size=len(people)))
    return taking_part, {person: {} for person in answered}


@given(_services())
@settings(max_examples=300, deadline=None)
def test_no_two_tables_shown_differ_by_fewer_than_the_threshold(
    service: tuple[dict[int, set[Person]], dict[Person, dict[str, str]]],
) -> None:
    people, answers = service
    context = queries._Context(people, answers, None, {}, _k)
    activities = [SimpleNamespace(pk=pk) for pk in sorted(people)]
    published = queries._published(context, activities)  # type: ignore[arg-type]
    groups = [context.answered(set().union(*people.values()))]
    groups += [context.answered(people[pk]) for pk in sorted(people) if published[pk]]
    shown = [group for group in groups if len(group) >= _k]  # smaller ones show no table
    for first, second in itertools.combinations(shown, 2):
        assert len(first ^ second) == 0 or len(first ^ second) >= _k
