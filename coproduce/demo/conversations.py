"""The opinion-map chapter of the demo: residents on e-bike theft, and an open conversation.

The neighbourhood police team asked "How should the team tackle e-bike theft?" a week ago. Its
staff wrote the seed statements; residents added their own (most accepted, one marked as being
about the conversation itself, one rejected with a reason, a few still waiting for a moderator).
About 360 people voted, a few thousand votes in all. The votes come from a seeded model of three
groups of opinion of different sizes ("enforcement first", "prevention and design", "young people
and causes"): each group has its own chance of agreeing, disagreeing or passing on each statement,
and each person votes on some of the statements there were when they came. A few statements
(better lighting at the station bike racks, reporting a theft online) almost everyone agrees
with. The map is computed once here, as the background job would, so the demo shows its groups.
Jo Bennett, the demo resident, voted like the "prevention and design" group and has a place on
the map; Jo's own statement waits for a moderator.

The recovery service's "Where should evening support happen?" is open: a handful of people have
voted, so its map is small or not there yet, and a visitor can vote straight away.

Participants are visitors (as people without an account take part) and three demo residents;
votes are written in bulk, in the rows ``actions.vote_cast`` writes, dated over the days the
conversation has been open. Running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.contributions.models import Contribution
from coproduce.conversations import actions
from coproduce.conversations.actions import ModerationDecision
from coproduce.conversations.models import (
    Audience,
    Conversation,
    Moderation,
    Participant,
    Statement,
    Vote,
)
from coproduce.conversations.tasks import run_map
from coproduce.services.models import Activity

POLICING = "neighbourhood-policing-in-northfield"
EBIKE = "How should the team tackle e-bike theft?"
RECOVERY = "drug-and-alcohol-recovery-service"
EVENING = "Where should evening support happen?"

POLICE_ADMIN = "insp.jones@police-eastvale.example"
POLICE_STAFF = "pc.ali@police-eastvale.example"
RECOVERY_STAFF = "tom.price@northfield.example"
RESIDENT = "resident@example.org"  # Jo Bennett, the README's demo resident
PRIYA = "priya.s@example.org"
DAVE = "dave.m@example.org"

# The three groups of opinion the e-bike votes are drawn from, and how many visitors each has.
GROUPS = (
    ("enforcement first", 145),
    ("prevention and design", 120),
    ("young people and causes", 92),
)
JOS_GROUP = 1  # Jo votes as "prevention and design" does
RESIDENT_GROUPS = {PRIYA: 1, DAVE: 0, RESIDENT: JOS_GROUP}
ARRIVED_BEFORE = dt.timedelta(minutes=6)  # a resident voted a little before writing a statement
CHECKED_AFTER = dt.timedelta(hours=3)  # when a moderator accepted or rejected a statement

# A group's leaning on a statement, as its chances of agreeing and disagreeing (the rest pass).
CHANCES = {
    "A": (0.85, 0.05),
    "a": (0.60, 0.20),
    "o": (0.32, 0.32),
    "d": (0.20, 0.60),
    "D": (0.05, 0.85),
}

ACCEPT, META, PENDING, REJECT = "accept", "meta", "pending", "reject"


class Line(NamedTuple):
    """A statement of the story and how each group leans on it (one CHANCES key per group)."""

    text: str
    leanings: str
    author: str = ""  # "": staff (a seed statement); an email: a demo resident; "0".."2": a visitor
    day: float = 0.0  # days after the conversation opened that it was written
    fate: str = ACCEPT  # what the moderator did with a resident's statement


LIGHTING = "Better lighting at the station bike racks would help stop thefts."
EBIKE_LINES = [
    Line(LIGHTING, "AAA"),
    Line(
        "The police should patrol the town centre bike racks more often, especially in the "
        "evening.",
        "AoD",
    ),
    Line("People caught stealing e-bikes should get tougher sentences.", "AdD"),
    Line(
        "Secure bike lockers at the bus and train stations would do more than extra patrols.",
        "dAo",
    ),
    Line("The police should leave out tracker bikes as bait to catch thieves.", "AoD"),
    Line("Free bike marking should be offered at every big event in town.", "aAa"),
    Line(
        "It should be easy to report a stolen e-bike online and get a crime number the same day.",
        "AAA",
    ),
    Line(
        "Shops and second-hand websites should have to check that the e-bikes they sell are not "
        "stolen.",
        "AAo",
    ),
    Line(
        "Many e-bike thefts happen because older gangs draw young people into crime.",
        "odA",
    ),
    Line(
        "Money would be better spent on youth workers and things for teenagers to do than on "
        "more policing.",
        "DdA",
    ),
    Line("The police should stop and search more young people riding e-bikes at night.", "AdD"),
    Line("New flats and offices should have to provide secure, covered bike storage.", "oAo"),
    Line("Someone should watch the cameras at the bike racks at night.", "AaD"),
    Line("Riders should get money off good locks and ground anchors.", "oAo"),
    Line("Delivery riders get blamed unfairly for e-bike theft and bad riding.", "ddA"),
    Line(
        "The police should tell residents every month how many e-bikes were stolen and how many "
        "were found.",
        "AaA",
    ),
    Line(
        "Stolen e-bikes are sold on social media: the police should go after the sellers.",
        "AAo",
    ),
    Line(
        "Schools and colleges should talk to young people about the harm bike theft does.",
        "ooA",
    ),
    Line("Catching thieves matters more than preventing theft.", "ADd"),
    Line("Town centre businesses should pay towards secure bike parking.", "dao"),
    # Residents' statements.
    Line(
        "Westbrook Park needs bike racks in sight of the café, not hidden behind the toilets.",
        "aAo",
        PRIYA,
        0.6,
    ),
    Line(
        "Fund a bike workshop where young people can learn to repair bikes and earn one.",
        "dAA",
        "2",
        1.2,
    ),
    Line(
        "Thieves know nothing happens to them. Until that changes, nothing else will work.",
        "ADD",
        "0",
        1.5,
    ),
    Line("Landlords should have to let tenants keep their bikes indoors.", "oAo", "1", 2.1),
    Line("Insurers should charge less for bikes that are marked and registered.", "aAo", "1", 2.8),
    Line("This conversation should also cover e-scooters.", "aoa", DAVE, 3.3, META),
    Line(
        "My e-bike was stolen outside my flat and nobody came to look. That has to change.",
        "Aoo",
        "0",
        4.0,
    ),
    Line(
        "Everyone knows who is doing this: it is the lads from the Brookside estate.",
        "aDD",
        "0",
        4.4,
        REJECT,
    ),
    Line(
        "The police front counter should open in the evenings so people can report thefts in "
        "person.",
        "aao",
        RESIDENT,
        6.1,
        PENDING,
    ),
    Line(
        "Put cameras on the footbridge by the station: that is where the bikes go.",
        "Aod",
        "0",
        6.4,
        PENDING,
    ),
    Line("Ask bike shops to run free security checks on Saturdays.", "aAa", "1", 6.6, PENDING),
]
REJECTED_BECAUSE = (
    "It blames the people of one estate without evidence. Statements here are about what should "
    "be done."
)

EVENING_LINES = [
    Line(
        "Evening support should be at the recovery hub on Station Road, where people already "
        "know the staff.",
        "a",
    ),
    Line(
        "Some evening sessions should be outside the town centre, in Westbrook and the villages.",
        "a",
    ),
    Line("GP surgeries that open late could host a recovery drop-in one evening a week.", "o"),
    Line("Peer mentors who have been through recovery should lead the evening groups.", "A"),
    Line(
        "I would not go to evening support somewhere people might see me and guess why I am there.",
        "o",
    ),
    Line("Video sessions in the evening would help people who cannot travel.", "a"),
    Line("A phone line should be staffed until 10pm.", "A"),
    Line("Evening support should be open at weekends as well as on weekdays.", "a"),
    Line("Families should have an evening group of their own.", "a"),
    Line("The café at the hub should stay open in the evening for people to drop in.", "o"),
    Line("Free transport home after evening sessions would make it easier to come.", "a"),
    Line("Community centres are better places for evening support than health buildings.", "d"),
]
EVENING_VISITORS = 20

EBIKE_DESCRIPTION = (
    "Residents made e-bike theft one of the team's two priorities for 2026. Tell us what you "
    "think of each statement: agree, disagree, or pass if you are not sure. You can add a "
    "statement of your own; the team checks new statements before they appear. The map shows "
    "the groups of opinion and what almost everyone agrees on."
)
EVENING_DESCRIPTION = (
    "The new service will offer support in the evenings and at weekends, as people asked. Tell "
    "us where and how it should happen: agree, disagree, or pass if you are not sure. You can "
    "add a statement of your own; the team checks new statements before they appear."
)


@dataclass
class _Voter:
    """A participant of the model: their group, when they came, and the statement they wrote."""

    participant_id: int
    group: int
    arrives: dt.datetime
    wrote: int | None = None


@dataclass
class _Votable:
    """A statement people can vote on, from when it was published."""

    pk: int
    leanings: str
    from_time: dt.datetime


def _activity(service_slug: str, title: str) -> Activity | None:
    return Activity.objects.filter(service_stage__service__slug=service_slug, title=title).first()


def _date_statement(
    statement: Statement, moment: dt.datetime, moderated: dt.datetime | None
) -> None:
    """Date a statement (and its contribution, its moderation and its author's vote) back."""
    Statement.objects.filter(pk=statement.pk).update(created_at=moment)
    Contribution.objects.filter(pk=statement.pk).update(created_at=moment, moderated_at=moderated)
    Vote.objects.filter(statement=statement).update(created_at=moment, updated_at=moment)


def _value(rng: random.Random, leaning: str) -> int:
    agree, disagree = CHANCES[leaning]
    roll = rng.random()
    return 1 if roll < agree else -1 if roll < agree + disagree else 0


def _visitors(conversation: Conversation, count: int) -> list[int]:
    """Participants without an account (each with its own cookie key), made in bulk."""
    made = Participant.objects.bulk_create(
        Participant(conversation=conversation) for _n in range(count)
    )
    return [participant.pk for participant in made]


def _cast_votes(
    rng: random.Random,
    conversation: Conversation,
    voters: list[_Voter],
    votable: list[_Votable],
    fewest: int,
    usual: int,
) -> None:
    """Each voter votes, as their group leans, on some of the statements there were when they
    came (between ``fewest`` and all of them, ``usual`` most often), a few seconds apart."""
    now = timezone.now()
    rows = []
    for voter in voters:
        there = [s for s in votable if s.from_time <= voter.arrives and s.pk != voter.wrote]
        if not there:
            continue
        many = max(1, min(len(there), round(rng.triangular(fewest, len(there), usual))))
        moment = voter.arrives
        for statement in rng.sample(there, many):
            moment = min(moment + dt.timedelta(seconds=rng.randint(8, 70)), now)
            rows.append(
                Vote(
                    conversation=conversation,
                    participant_id=voter.participant_id,
                    statement_id=statement.pk,
                    value=_value(rng, statement.leanings[voter.group]),
                    created_at=moment,
                    updated_at=moment,
                )
            )
    Vote.objects.bulk_create(rows, batch_size=2000)


def _date_participants(conversation: Conversation) -> None:
    """Each participant arrived with their first vote."""
    first = Vote.objects.filter(participant=OuterRef("pk")).order_by("created_at")
    Participant.objects.filter(conversation=conversation).update(
        created_at=Coalesce(Subquery(first.values("created_at")[:1]), F("created_at"))
    )


def _ebike(people: dict[str, User]) -> None:
    activity = _activity(POLICING, EBIKE)
    if activity is None or Conversation.objects.filter(activity=activity).exists():
        return
    admin, officer = people[POLICE_ADMIN], people[POLICE_STAFF]
    conversation = actions.conversation_create(
        activity=activity,
        by=admin,
        description=EBIKE_DESCRIPTION,
        audience=Audience.ANYONE,
        participants_may_add=True,
        moderation=Moderation.PRE,
        seed=2026,
    )
    rng = random.Random(2026)  # noqa: S311 (made-up votes, the same every time)
    now = timezone.now()
    opened = now - dt.timedelta(days=7)
    late = now - dt.timedelta(hours=2)

    # Visitors of each group, coming over the week (more at the start, when it was announced).
    voters: list[_Voter] = []
    for group, (_name, size) in enumerate(GROUPS):
        for pk in _visitors(conversation, size):
            arrives = opened + (late - opened) * rng.random() ** 1.4
            voters.append(_Voter(participant_id=pk, group=group, arrives=arrives))
    unused = {group: [v for v in voters if v.group == group] for group in range(len(GROUPS))}
    residents = {
        email: actions.participant_get_or_create(conversation=conversation, user=people[email])
        for email in (PRIYA, DAVE, RESIDENT)
    }

    votable: list[_Votable] = []
    for index, line in enumerate(EBIKE_LINES):
        written = opened + dt.timedelta(days=line.day, minutes=3 * index)
        if not line.author:
            statement = actions.statement_add(
                conversation=conversation, text=line.text, by=(admin, officer)[index % 2]
            )
            _date_statement(statement, written, None)
            votable.append(_Votable(statement.pk, line.leanings, written))
            continue
        if line.author in residents:
            participant = residents[line.author]
            voter = _Voter(participant.pk, RESIDENT_GROUPS[line.author], written - ARRIVED_BEFORE)
            if line.author != RESIDENT:  # Jo's votes are _jos_votes'
                voters.append(voter)
        else:
            voter = unused[int(line.author)].pop()
            voter.arrives = written - ARRIVED_BEFORE
            participant = Participant.objects.get(pk=voter.participant_id)
        statement = actions.statement_add(
            conversation=conversation, text=line.text, participant=participant
        )
        voter.wrote = statement.pk
        checked = written + CHECKED_AFTER
        if line.fate == REJECT:
            actions.statement_moderate(
                statement=statement,
                by=officer,
                decision=ModerationDecision.REJECT,
                reason=REJECTED_BECAUSE,
            )
        elif line.fate in (ACCEPT, META):
            actions.statement_moderate(
                statement=statement, by=officer, decision=ModerationDecision.ACCEPT
            )
            if line.fate == META:
                actions.statement_moderate(
                    statement=statement, by=officer, decision=ModerationDecision.META
                )
            votable.append(_Votable(statement.pk, line.leanings, checked))
        _date_statement(statement, written, None if line.fate == PENDING else checked)

    _cast_votes(rng, conversation, voters, votable, fewest=3, usual=12)
    _jos_votes(conversation, residents[RESIDENT], votable, opened + dt.timedelta(days=3))
    _date_participants(conversation)
    run_map(conversation.pk)


def _jos_votes(
    conversation: Conversation, jo: Participant, votable: list[_Votable], arrives: dt.datetime
) -> None:
    """Jo voted on the first 18 statements as "prevention and design" leans, so has a group."""
    rows = []
    for index, statement in enumerate(s for s in votable if s.from_time <= arrives):
        if index == 18:
            break
        leaning = statement.leanings[JOS_GROUP]
        moment = arrives + dt.timedelta(seconds=40 * index)
        rows.append(
            Vote(
                conversation=conversation,
                participant=jo,
                statement_id=statement.pk,
                value={"A": 1, "a": 1, "o": 0, "d": -1, "D": -1}[leaning],
                created_at=moment,
                updated_at=moment,
            )
        )
    Vote.objects.bulk_create(rows)


def _evening(people: dict[str, User]) -> None:
    activity = _activity(RECOVERY, EVENING)
    if activity is None or Conversation.objects.filter(activity=activity).exists():
        return
    staff = people[RECOVERY_STAFF]
    conversation = actions.conversation_create(
        activity=activity,
        by=staff,
        description=EVENING_DESCRIPTION,
        audience=Audience.ANYONE,
        participants_may_add=True,
        moderation=Moderation.PRE,
        seed=14,
    )
    rng = random.Random(14)  # noqa: S311 (made-up votes, the same every time)
    now = timezone.now()
    opened = now - dt.timedelta(days=10)
    votable = []
    for index, line in enumerate(EVENING_LINES):
        statement = actions.statement_add(conversation=conversation, text=line.text, by=staff)
        written = opened + dt.timedelta(minutes=2 * index)
        _date_statement(statement, written, None)
        votable.append(_Votable(statement.pk, line.leanings, written))
    voters = [
        _Voter(pk, 0, opened + (now - dt.timedelta(hours=3) - opened) * rng.random())
        for pk in _visitors(conversation, EVENING_VISITORS)
    ]
    _cast_votes(rng, conversation, voters, votable, fewest=2, usual=5)
    _date_participants(conversation)
    run_map(conversation.pk)


def seed_conversations(people: dict[str, User]) -> None:
    """The e-bike theft conversation (a week of votes, mapped) and the open evening-support one."""
    _ebike(people)
    _evening(people)
