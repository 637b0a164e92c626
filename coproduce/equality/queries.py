"""Reads of equality monitoring: a person's own answers, and who took part beside the area's
population, as totals with small numbers hidden (decision 0093; docs/equality.md).

Nothing here returns one person's answers to anyone but that person.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from scipy.stats import binom

from civic_algorithms.disclosure.suppression import Table as CountTable
from civic_algorithms.disclosure.suppression import suppress
from coproduce.accounts.types import Visitor
from coproduce.equality.categories import (
    CATEGORIES,
    DISTRICT_QUESTION,
    DISTRICT_TITLE,
    NOT_ANSWERED,
    NOT_ANSWERED_LABEL,
    POSTCODE_DISTRICT,
    PREFER_NOT,
    Category,
)
from coproduce.equality.models import (
    EqualityRecord,
    PopulationArea,
    PopulationCount,
    ServicePopulation,
    SurveyEqualityRecord,
)
from coproduce.equality.participation import Person, participants
from coproduce.services.models import Activity, ActivityState, Service

# A group is flagged when its share of participants is below 80 % or above 125 % of its share of
# the population (the same distance either way on a ratio scale; decision 0093).
UNDER = 0.8
OVER = 1.25
CHANCE = 0.05  # and only when so far off would happen by chance less than 1 time in 20
NO_ANSWER = frozenset({PREFER_NOT, NOT_ANSWERED})


def min_cell() -> int:
    """Counts of fewer people than this are hidden (setting COPRODUCE_EQUALITY_MIN_CELL)."""
    return int(settings.EQUALITY_MIN_CELL)


def my_answers(user: Visitor) -> list[tuple[str, str]] | None:
    """The person's own answers as (question, answer) pairs, or None without consent."""
    if not user.is_authenticated:
        return None
    record = EqualityRecord.objects.filter(user=user).first()
    if record is None:
        return None
    answers = record.decrypted()
    rows = [
        (str(category.question), category.label(answers.get(category.code, NOT_ANSWERED)))
        for category in CATEGORIES
    ]
    rows.append((str(DISTRICT_QUESTION), answers.get(POSTCODE_DISTRICT) or str(NOT_ANSWERED_LABEL)))
    return rows


def my_record(user: Visitor) -> EqualityRecord | None:
    """The person's own record (for the form that changes it)."""
    if not user.is_authenticated:
        return None
    return EqualityRecord.objects.filter(user=user).first()


# --- Representation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One answer of one category: how many took part, beside the population."""

    code: str
    label: str
    count: int | None  # None: hidden (fewer than the minimum, or hidden with one that is)
    share: float | None  # of the people who answered the questions
    population_share: float | None  # of the area's population, when figures exist
    ratio: float | None  # share / population share
    flag: str  # "under", "over" or ""

    @property
    def hidden(self) -> bool:
        return self.count is None

    @property
    def share_percent(self) -> float | None:
        return None if self.share is None else round(self.share * 100, 1)

    @property
    def population_percent(self) -> float | None:
        return None if self.population_share is None else round(self.population_share * 100, 1)


@dataclass(frozen=True)
class CategoryTable:
    code: str
    title: str
    rows: tuple[Row, ...]

    @property
    def under(self) -> list[str]:
        return [row.label for row in self.rows if row.flag == "under"]


@dataclass(frozen=True)
class Representation:
    """Who took part in an activity or a whole service, beside the area's population."""

    participants: int  # people who took part: accounts, and anonymous survey answers
    answered: int  # of whom gave equality answers
    area: PopulationArea | None
    tables: tuple[CategoryTable, ...]
    min_cell: int
    # Withheld: the activity's people differ from those of the whole service (or of an activity
    # shown before it) by so few that subtracting one table from the other would show them.
    withheld: bool = False

    @property
    def too_few(self) -> bool:
        """Too few answers to show any table without pointing at people."""
        return self.answered < self.min_cell

    @property
    def answered_share(self) -> float:
        return self.answered / self.participants if self.participants else 0.0

    @property
    def under(self) -> list[str]:
        """Every group flagged as under-represented, "Category: answer"."""
        return [f"{table.title}: {label}" for table in self.tables for label in table.under]


def _answers_of(people: Iterable[Person]) -> dict[Person, dict[str, str]]:
    """The answers of those of these people who gave some, decrypted."""
    users = [key for kind, key in people if kind == "user"]
    contributions = [key for kind, key in people if kind == "contribution"]
    found: dict[Person, dict[str, str]] = {}
    for record in EqualityRecord.objects.filter(user_id__in=users).only("user_id", "answers"):
        found[("user", record.user_id)] = record.decrypted()
    for survey_record in SurveyEqualityRecord.objects.filter(
        contribution_id__in=contributions
    ).only("contribution_id", "answers"):
        found[("contribution", survey_record.contribution_id)] = survey_record.decrypted()
    return found


def _population(area: PopulationArea | None) -> dict[str, dict[str, int]]:
    shares: dict[str, dict[str, int]] = {}
    if area is None:
        return shares
    for category, value, count in PopulationCount.objects.filter(area=area).values_list(
        "category", "value", "count"
    ):
        shares.setdefault(category, {})[value] = count
    return shares


def _table(
    code: str,
    title: str,
    labels: list[tuple[str, str]],
    answers: list[dict[str, str]],
    population: dict[str, int],
    threshold: int,
) -> CategoryTable:
    counted = Counter(answer.get(code, NOT_ANSWERED) for answer in answers)
    values = tuple(counted.get(value, 0) for value, _label in labels)
    everyone = frozenset(range(len(values)))
    given = frozenset(i for i, (value, _label) in enumerate(labels) if value not in NO_ANSWER)
    # Two totals are published: everyone who answered the questions, and (through the shares)
    # those who gave an actual answer to this one; the engine keeps both from giving a cell away.
    suppressed = suppress(CountTable(values, (everyone, given)), threshold)
    hidden = suppressed.cells
    base_cells = everyone if 1 in suppressed.withheld_totals else given
    base = sum(values[i] for i in base_cells)
    # What anyone can work out: the sum of the hidden cells among the shares' base. A hidden group
    # is flagged only when even that many people would be too few, so the flag tells nothing more.
    hidden_sum = base - sum(values[i] for i in base_cells if i not in hidden)
    people = sum(population.get(value, 0) for value, _label in labels if value not in NO_ANSWER)
    rows = []
    for index, (value, label) in enumerate(labels):
        count = None if index in hidden else values[index]
        if value in NO_ANSWER or not base:
            rows.append(Row(value, label, count, None, None, None, ""))
            continue
        population_share = population.get(value, 0) / people if people else None
        share = count / base if count is not None else None
        ratio = share / population_share if share is not None and population_share else None
        flag = _flag(count if count is not None else hidden_sum, base, population_share)
        if count is None and flag == "over":
            flag = ""  # a hidden group is never said to be over-represented
        rows.append(Row(value, label, count, share, population_share, ratio, flag))
    return CategoryTable(code, title, tuple(rows))


def _flag(count: int, base: int, population_share: float | None) -> str:
    """ "under" or "over" when the ratio is beyond the bounds *and* a count that far from the
    population's share would happen by chance less than one time in twenty (one-sided binomial
    test), so that a group of 0.3 % of the area is not flagged for having nobody among 30."""
    if not population_share or not base:
        return ""
    ratio = count / base / population_share
    if ratio < UNDER and binom.cdf(count, base, population_share) < CHANCE:
        return "under"
    if ratio > OVER and binom.sf(count - 1, base, population_share) < CHANCE:
        return "over"
    return ""


def _shown_activities(service: Service) -> list[Activity]:
    return list(
        Activity.objects.filter(service_stage__service=service)
        .exclude(state=ActivityState.DRAFT)
        .order_by("pk")
    )


@dataclass(frozen=True)
class _Context:
    """What every table of one service is made from, read once."""

    people: dict[int, set[Person]]  # activity id → people who took part
    answers: dict[Person, dict[str, str]]  # person → their equality answers, where given
    area: PopulationArea | None
    population: dict[str, dict[str, int]]
    threshold: int

    @classmethod
    def of(cls, service: Service, activities: list[Activity]) -> _Context:
        people = participants(activity.pk for activity in activities)
        everyone: set[Person] = set().union(*people.values())
        link = ServicePopulation.objects.filter(service=service).select_related("area").first()
        area = link.area if link else None
        return cls(people, _answers_of(everyone), area, _population(area), min_cell())

    def report(self, people: set[Person], *, withheld: bool = False) -> Representation:
        answers = [self.answers[person] for person in people if person in self.answers]
        tables: list[CategoryTable] = []
        if len(answers) >= self.threshold and not withheld:
            for category in CATEGORIES:
                tables.append(
                    _table(
                        category.code,
                        str(category.title),
                        _labels(category),
                        answers,
                        self.population.get(category.code, {}),
                        self.threshold,
                    )
                )
            tables.append(_district_table(answers, self.population, self.threshold))
        return Representation(
            len(people), len(answers), self.area, tuple(tables), self.threshold, withheld
        )

    def answered(self, people: set[Person]) -> frozenset[Person]:
        return frozenset(person for person in people if person in self.answers)


def _published(context: _Context, activities: list[Activity]) -> dict[int, bool]:
    """Which activities' tables can be shown beside the whole service's and each other's.

    Two tables of groups of people that differ by fewer than the smallest count shown give those
    few people's answers away, by subtraction. The whole service's table is always shown; then,
    in a fixed order (oldest first), an activity's table is shown only when its people who
    answered are the same as, or differ by at least the smallest count from, those of every table
    already shown; otherwise it is withheld (decision 0093). A group too small to show a table
    publishes nothing, so it is not compared with later ones.
    """
    everyone = context.answered(set().union(*context.people.values()))
    shown: list[frozenset[Person]] = [everyone]
    published: dict[int, bool] = {}
    for activity in activities:
        group = context.answered(context.people.get(activity.pk, set()))
        safe = all(
            not (difference := len(group ^ other)) or difference >= context.threshold
            for other in shown
        )
        published[activity.pk] = safe
        if safe and len(group) >= context.threshold and group not in shown:
            shown.append(group)
    return published


def representation(service: Service, activity: Activity | None = None) -> Representation:
    """Who took part in the activity, or in any of the service's activities, beside the area."""
    activities = _shown_activities(service)
    context = _Context.of(service, activities)
    if activity is None:
        return context.report(set().union(*context.people.values()))
    withheld = not _published(context, activities).get(activity.pk, False)
    return context.report(context.people.get(activity.pk, set()), withheld=withheld)


def _labels(category: Category) -> list[tuple[str, str]]:
    return [
        *((value, str(label)) for value, label in category.choices),
        (NOT_ANSWERED, category.label(NOT_ANSWERED)),
    ]


def _district_table(
    answers: list[dict[str, str]], population: dict[str, dict[str, int]], threshold: int
) -> CategoryTable:
    """Postcode districts: those people gave and those the area has figures for."""
    districts = population.get(POSTCODE_DISTRICT, {})
    given = {answer[POSTCODE_DISTRICT] for answer in answers if POSTCODE_DISTRICT in answer}
    labels = [(code, code) for code in sorted(given | set(districts))]
    labels.append((NOT_ANSWERED, str(NOT_ANSWERED_LABEL)))
    return _table(POSTCODE_DISTRICT, str(DISTRICT_TITLE), labels, answers, districts, threshold)


def activities_under(service: Service) -> list[tuple[Activity, Representation]]:
    """Each open or closed activity with its representation, for the outreach list."""
    activities = _shown_activities(service)
    context = _Context.of(service, activities)
    published = _published(context, activities)
    return [
        (
            activity,
            context.report(
                context.people.get(activity.pk, set()), withheld=not published[activity.pk]
            ),
        )
        for activity in activities
    ]


def areas(organisation_id: int) -> QuerySet[PopulationArea]:
    """An organisation's areas with how many figures each has."""
    return PopulationArea.objects.filter(organisation_id=organisation_id).annotate(
        figures=Count("counts")
    )


def load_area(request: HttpRequest, slug: str, code: str) -> PopulationArea:
    """An area by its code under its organisation's address (404 under any other)."""
    return get_object_or_404(
        PopulationArea.objects.select_related("organisation"),
        organisation__slug=slug,
        code=code.upper(),
    )


def area_figures(area: PopulationArea) -> list[tuple[str, list[tuple[str, int, float]]]]:
    """The area's figures: for each category, (answer, people, share of the category)."""
    figures = _population(area)
    tables = []
    for category in CATEGORIES:
        counts = figures.get(category.code, {})
        total = sum(counts.values())
        rows = [
            (str(label), counts[value], counts[value] / total)
            for value, label in category.options
            if value in counts and total
        ]
        tables.append((str(category.title), rows))
    districts = figures.get(POSTCODE_DISTRICT, {})
    total = sum(districts.values())
    tables.append(
        (
            str(DISTRICT_TITLE),
            [(code, count, count / total) for code, count in sorted(districts.items()) if total],
        )
    )
    return [(title, rows) for title, rows in tables if rows]


def public_link(service: Service) -> dict[str, object]:
    """Whether the service page links to "Who has taken part so far"."""
    return {"shown": service.is_published}


def staff_summary(service: Service) -> dict[str, object]:
    """The groups under-represented so far in the whole service, where activities are planned."""
    report = representation(service)
    return {"report": report}
