"""The equality chapter of the demo: who took part, set beside who lives there (issue 16).

Each organisation that runs a published service keeps the population figures of the area it
serves, imported as one ONS-style CSV file in the shape of the 2021 Census (made-up figures and
made-up codes for a made-up place): the council has the borough, the police the town (postcode
districts NF1 to NF4), the charity the villages (NF5 to NF8) and the NHS trust the young people
aged 11 to 24 of Northfield and Eastvale. Each published service is compared with its area.

About seven in ten of the people who took part with an account gave their equality answers, with
their consent; some chose "Prefer not to say" on religion, sexual orientation or gender identity,
and a few left questions out. Jo Bennett, the demo resident, gave hers. So the services show their
gaps:

- Neighbourhood policing: no one aged 16 to 24 who answered, men and people whose disability
  limits them a lot under-represented; people aged 65 to 74 over-represented.
- Youth mental health support: boys and young men, young Asian and Muslim people, and young
  people from the villages and two of Eastvale's districts under-represented; girls and young
  people with a condition that limits them over-represented.
- Community transport: the passengers who rated the scheme online count too (older, and more
  often disabled, and from the villages it serves), beside the neighbours who took part.
- Recovery: sixteen neighbours answered, too few for most figures to show.

The residents who mystery-shopped the 101 line gave answers too (much like the neighbours), but
mystery shoppers are not counted as taking part: their identities are hidden from staff.

Answers are dealt from fixed decks, so each group's totals are exactly as written here and the
gaps cannot drift; a seeded shuffle decides who gave which answer. Everything goes through the
equality actions. Running it twice changes nothing: an area that exists is not imported again, a
service that has its area keeps it, and a person who has answers keeps them. The areas' figures
and the answers are in equality_content.py; this module seeds them.
"""

from __future__ import annotations

import csv
import io
import random

from django.db.models import Q

from coproduce.accounts.models import User
from coproduce.demo.budgeting_content import YOUNG_PEOPLE
from coproduce.demo.codesign_content import NEIGHBOURS as IDEA_PEOPLE
from coproduce.demo.equality_content import (
    ADULT_QUESTIONS,
    AREAS,
    CAST,
    COLUMNS,
    GROUPS,
    SOURCE,
    Area,
    Group,
)
from coproduce.equality import actions
from coproduce.equality.categories import POSTCODE_DISTRICT
from coproduce.equality.models import EqualityRecord, PopulationArea, ServicePopulation
from coproduce.services.models import Service

# --- The population ------------------------------------------------------------------------------


def _counts(area: Area) -> list[tuple[str, str, int]]:
    """The area's figures: (category, answer, people), from its shares."""
    adults = area.people - round(area.people * area.shares["age"].get("under_16", 0) / 100)
    figures = []
    for category, shares in area.shares.items():
        base = adults if category in ADULT_QUESTIONS else area.people
        figures += [(category, value, round(base * share / 100)) for value, share in shares.items()]
    figures += [(POSTCODE_DISTRICT, code, people) for code, people in area.districts.items()]
    return figures


def _csv(area: Area) -> str:
    """The figures as the CSV file a council officer would download from the ONS and tidy."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["area_code", "area_name", "category", "value", "count"])
    for category, value, count in _counts(area):
        writer.writerow([area.code, area.name, category, value, count])
    return out.getvalue()


def _population(people: dict[str, User]) -> None:
    """Each area imported once by its organisation; each published service compared with it."""
    for area in AREAS:
        service = Service.objects.filter(slug=area.service).select_related("organisation").first()
        if service is None:
            continue
        keeper = people[area.keeper]
        organisation = service.organisation
        if not PopulationArea.objects.filter(organisation=organisation, code=area.code).exists():
            actions.population_import(
                organisation=organisation, by=keeper, text=_csv(area), source=SOURCE
            )
        if not ServicePopulation.objects.filter(service=service).exists():
            actions.service_area_set(
                service=service,
                by=keeper,
                area=PopulationArea.objects.get(organisation=organisation, code=area.code),
            )


# --- The answers ---------------------------------------------------------------------------------


def _young_people() -> list[User]:
    """The youth budget's online voters, the young people who weighed the bids, and the young
    people of the budgeting chapter who are not among the neighbours of ``CAST``."""
    cast = {email for email, _name in IDEA_PEOPLE}
    named = [email for email, _name in YOUNG_PEOPLE if email not in cast]
    return list(
        User.objects.filter(
            Q(email__startswith="young", email__endswith="@voters.northfield.example")
            | Q(email__startswith="weigh", email__endswith="@young.northfield.example")
            | Q(email__in=named)
        ).order_by("email")
    )


def _members(group: Group) -> list[User]:
    if not group.email_prefix:
        return _young_people()
    return list(
        User.objects.filter(
            email__startswith=group.email_prefix, email__endswith=group.email_domain
        ).order_by("email")
    )


def _deal(group: Group, members: list[User]) -> dict[User, dict[str, str]]:
    """Who of the group answers, and with what: each question's deck shuffled on its own."""
    rng = random.Random(group.seed)  # noqa: S311 (made-up answers, the same every time)
    answering = rng.sample(members, min(group.answering, len(members)))
    dealt: dict[User, dict[str, str]] = {person: {} for person in answering}
    for code in COLUMNS:
        cards = [value for value, count in group.decks[code].items() for _ in range(count)]
        rng.shuffle(cards)
        for person, value in zip(answering, cards, strict=False):
            if value:
                dealt[person][code] = value
    return dealt


def _answers() -> None:
    """Everyone's answers, given with their consent; a person who has some keeps them."""
    have = set(EqualityRecord.objects.values_list("user_id", flat=True))
    given: dict[User, dict[str, str]] = {}
    for user in User.objects.filter(email__in=CAST).order_by("email"):
        given[user] = {
            code: value for code, value in zip(COLUMNS, CAST[user.email], strict=True) if value
        }
    for group in GROUPS:
        given.update(_deal(group, _members(group)))
    for user, answers in given.items():
        if user.pk not in have:
            actions.record_save(user=user, answers=answers, consent=True)


def seed_equality(people: dict[str, User]) -> None:
    """Population figures for every published service's area, and people's equality answers."""
    _population(people)
    _answers()
