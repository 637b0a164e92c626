"""The outcomes chapter of the demo: the youth mental health service's outcomes framework.

Young people said what the service must achieve (three outcomes in their words, linked to their
stories and survey answers); six indicators across the triple bottom line measure it. A year of
values: waiting times come from the trust's referral records, imported as a CSV file each month;
staff enter the travel figures; young people answer "Did you feel listened to?" every month
(two quiet months had too few answers to show a value). Most indicators are on track,
waiting times are at risk and staff travel is off track since the clinic moved out of town.

Everything goes through the outcomes actions (the check's answers are made in bulk, then each
month is worked out with check_aggregate, as the background task does). Running it twice
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.contributions.models import Contribution
from coproduce.outcomes import actions
from coproduce.outcomes.models import (
    CheckAnswer,
    Direction,
    Frequency,
    Indicator,
    Outcome,
    Pillar,
)
from coproduce.outcomes.periods import period_end
from coproduce.services.models import Service

YOUTH = "youth-mental-health-support"
KEEPER = "sam.reid@nhs-northfield.example"  # a professional of the NHS trust that runs it
RESPONDENTS = 30  # young people who answer the monthly check (never more in one month)
QUIET_MONTHS = {2: 6, 3: 8}  # months ago → answers: too few to show a value
LISTENED = "Young people who felt listened to"

# Outcomes in young people's words, and what they came from: stories by title, survey answers
# by their author, community assets by name (all published in insight_content.py's chapters).
OUTCOMES = [
    (
        "I can get help before things reach crisis point",
        "Help within weeks, not months, and someone to check in while I wait.",
        Q(story__title="Eleven months on a waiting list")
        | Q(kind="need", author__email="ellie.chen@example.org"),
    ),
    (
        "I am listened to and taken seriously the first time I ask",
        "The first person I tell knows what to do, and nobody makes me tell my story three times.",
        Q(story__title="Texting at 2am") | Q(kind="need", author__email="leah.francis@example.org"),
    ),
    (
        "Help is close to home, and run by people who have been there",
        "Support online or within walking distance, from young people trained as peer "
        "supporters, and money spent with local people.",
        Q(asset__name__in=["Eastvale Youth Club", "Sixth-form peer listeners"]),
    ),
]


def _month_end(months_ago: int) -> dt.date:
    """The last day of the month ``months_ago`` months before this one."""
    day = timezone.localdate().replace(day=1)
    for _ in range(months_ago):
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return period_end(day, Frequency.MONTHLY)


def _quarter_ends(count: int) -> list[dt.date]:
    """The last days of the latest ``count`` quarters that have ended, oldest first."""
    ends: list[dt.date] = []
    months_ago = 1
    while len(ends) < count:
        end = _month_end(months_ago)
        if end.month % 3 == 0:
            ends.insert(0, end)
        months_ago += 1
    return ends


def _indicators(outcomes: list[Outcome], by: User) -> dict[str, Indicator]:
    """Six indicators, measured from a baseline just over a year ago to targets a year ahead."""
    start = _month_end(13)
    target_on = start + dt.timedelta(days=730)  # two years on
    specs = [
        # outcome, name, pillar, unit, direction, baseline, target, source, frequency, question
        (
            0,
            "Seen within four weeks of referral",
            Pillar.SOCIAL,
            "%",
            Direction.HIGHER,
            "38",
            "75",
            "Referral and appointment records of the NHS trust",
            Frequency.MONTHLY,
            "",
        ),
        (
            1,
            LISTENED,
            Pillar.SOCIAL,
            "average out of 5",
            Direction.HIGHER,
            "2.9",
            "4",
            "Young people's answers on this website",
            Frequency.MONTHLY,
            "Did you feel listened to the last time you asked us for help?",
        ),
        (
            2,
            "Appointments online or within walking distance",
            Pillar.ENVIRONMENTAL,
            "%",
            Direction.HIGHER,
            "35",
            "60",
            "Appointment records: place and type",
            Frequency.QUARTERLY,
            "",
        ),
        (
            2,
            "Staff travel per appointment",
            Pillar.ENVIRONMENTAL,
            "kg CO2e",
            Direction.LOWER,
            "3.4",
            "1.8",
            "Staff mileage claims and pool car logs",
            Frequency.MONTHLY,
            "",
        ),
        (
            2,
            "Local young people employed as peer supporters",
            Pillar.ECONOMIC,
            "people",
            Direction.HIGHER,
            "2",
            "12",
            "Payroll of the trust and Northfield Community Action",
            Frequency.QUARTERLY,
            "",
        ),
        (
            2,
            "Spent with local suppliers",
            Pillar.ECONOMIC,
            "£ a quarter",
            Direction.HIGHER,
            "18000",
            "40000",
            "The trust's purchase ledger, suppliers within the two boroughs",
            Frequency.QUARTERLY,
            "",
        ),
    ]
    made = {}
    for index, name, pillar, unit, direction, baseline, target, source, often, ask in specs:
        fields = actions.IndicatorFields(
            name=name,
            pillar=pillar,
            unit=unit,
            direction=direction,
            baseline=Decimal(baseline),
            baseline_on=start,
            target=Decimal(target),
            target_on=target_on,
            data_source=source,
            frequency=often,
            check_question=ask,
        )
        made[name] = actions.indicator_create(outcome=outcomes[index], by=by, fields=fields)
    return made


def _import(service: Service, by: User, made: dict[str, Indicator]) -> int:
    """The figures the trust's systems produce, imported as one CSV file (all or nothing)."""
    waits = ["39", "41", "40", "43", "44", "46", "44", "45", "47", "49", "50", "51"]
    quarterly = {
        "Appointments online or within walking distance": ["37", "42", "46", "50"],
        "Local young people employed as peer supporters": ["3", "5", "6", "8"],
        "Spent with local suppliers": ["19500", "24000", "27500", "31000"],
    }
    notes = {4: "Two nurses on long-term sick leave", 9: "Evening clinic opened"}
    wait = made["Seen within four weeks of referral"].pk
    rows = ["indicator,date,value,note"]
    rows += [
        f"{wait},{_month_end(12 - i).isoformat()},{value},{notes.get(i, '')}"
        for i, value in enumerate(waits)
    ]
    for name, values in quarterly.items():
        ends = _quarter_ends(len(values))
        rows += [
            f"{made[name].pk},{end.isoformat()},{v}," for end, v in zip(ends, values, strict=True)
        ]
    return actions.measurements_import(
        service=service, by=by, text="\n".join(rows) + "\n", source="trust-figures.csv"
    )


def _travel(by: User, indicator: Indicator) -> None:
    """Entered by staff each month: better at first, worse since the clinic moved in spring."""
    values = ["3.3", "3.2", "3.1", "3.0", "3.0", "3.2", "3.5", "3.6", "3.6", "3.5", "3.5", "3.5"]
    for i, value in enumerate(values):
        actions.measurement_record(
            indicator=indicator,
            by=by,
            measured_on=_month_end(12 - i),
            value=Decimal(value),
            note="The clinic moved to Eastvale Business Park" if i == 6 else "",
        )


def _respondents() -> list[User]:
    """Young people who answer the check, made in bulk (they cannot sign in: no password)."""
    emails = [f"check{n:02d}@young.northfield.example" for n in range(1, RESPONDENTS + 1)]
    have = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    unusable = make_password(None)
    User.objects.bulk_create(
        User(email=email, name="", password=unusable) for email in emails if email not in have
    )
    return list(User.objects.filter(email__in=emails).order_by("email"))


def _ratings(rng: random.Random, count: int, mean: float) -> list[int]:
    """``count`` answers from 1 to 5 whose average is ``mean`` (to the nearest answer), spread."""
    total = round(mean * count)
    ratings = [total // count + (1 if i < total % count else 0) for i in range(count)]
    for _ in range(count):
        up, down = rng.randrange(count), rng.randrange(count)
        if up != down and ratings[up] < 5 and ratings[down] > 1:
            ratings[up] += 1
            ratings[down] -= 1
    return ratings


def _checks(indicator: Indicator) -> None:
    """A year of monthly answers, rising from about 3 to 3.7; two quiet months."""
    rng = random.Random(11)  # noqa: S311 (made-up answers, the same every time)
    people = _respondents()
    answers = []
    for months_ago in range(12, 0, -1):
        count = QUIET_MONTHS.get(months_ago) or rng.randint(12, RESPONDENTS)
        mean = 3.0 + 0.06 * (12 - months_ago)
        end = _month_end(months_ago)
        answers += [
            CheckAnswer(indicator=indicator, period_end=end, rating=rating, respondent=person)
            for rating, person in zip(
                _ratings(rng, count, mean), rng.sample(people, count), strict=True
            )
        ]
    CheckAnswer.objects.bulk_create(answers)
    for end in sorted({answer.period_end for answer in answers}):
        actions.check_aggregate(indicator=indicator, period_end=end)


def seed_outcomes(people: dict[str, User]) -> None:
    """The youth mental health service's outcomes framework with a year of values."""
    service = Service.objects.filter(slug=YOUTH).first()
    if service is None or service.outcomes.exists():
        return
    keeper = people[KEEPER]
    said = Contribution.objects.published().filter(activity__service_stage__service=service)
    outcomes = [
        actions.outcome_create(
            service=service,
            by=keeper,
            title=title,
            description=description,
            sources=said.filter(which),
        )
        for title, description, which in OUTCOMES
    ]
    made = _indicators(outcomes, keeper)
    _import(service, keeper, made)
    _travel(keeper, made["Staff travel per appointment"])
    _checks(made[LISTENED])
