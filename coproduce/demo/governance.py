"""The governance chapter of the demo: the recovery service's partnership board.

The drug and alcohol recovery service is overseen by a partnership board with two resident
members (one of them in recovery, elected by people who use the service; the other chosen by the
citizens' panel). It met three times: each meeting has its agenda, attendance, published minutes
(on the public ledger) and the decisions it took (on the ledger with their votes); a question Jo
Bennett asked before the second meeting is answered in its minutes. A fourth meeting is coming,
with public seats, its agenda published and a question waiting for its answer, so a resident
can book a seat and ask a question.

Everything goes through the actions; meetings in the past are made as they were, and the
question is dated back to before its meeting. Running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.contributions.models import Contribution, Visibility
from coproduce.governance import actions
from coproduce.governance.models import Board, BoardKind, HowChosen, Meeting, MeetingFormat
from coproduce.services.models import Service

RECOVERY = "drug-and-alcohol-recovery-service"
BOARD = "Recovery partnership board"
CLERK = "tom.price@northfield.example"
ASKER = "resident@example.org"
QUESTION = "Will the hub be open in the evenings, when people who work can come?"
UPCOMING = "Summer meeting of the partnership board"
WAITING_ASKER = "priya.s@example.org"
WAITING_QUESTION = "Can family members come to the peer mentoring sessions too?"
PLACE = "Committee room 2, Northfield town hall, High Street (step-free access, hearing loop)"
LINK = "https://meet.northfield.example/recovery-board"


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _meeting(board: Board, clerk: User, *, title: str, days: int, **extra: object) -> Meeting:
    starts_at = _at(days, 18)
    return actions.meeting_create(
        board=board,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        format=MeetingFormat.HYBRID,
        place=PLACE,
        link=LINK,
        public_seats=12,
        minutes_due_on=starts_at.date() + dt.timedelta(days=21),
        created_by=clerk,
        **extra,  # type: ignore[arg-type]
    )


def _stories_before(service: Service, day: dt.date) -> list[Contribution]:
    """Two stories of recovery told before ``day``: what informed a decision of the board."""
    told = Contribution.objects.filter(
        activity__service_stage__service=service,
        activity__title="Stories of recovery",
        visibility=Visibility.PUBLISHED,
        created_at__date__lt=day,
    )
    return list(told.order_by("created_at", "id")[:2])


def seed_governance(people: dict[str, User]) -> None:
    service = Service.objects.filter(slug=RECOVERY).first()
    if service is None or service.boards.exists():
        return
    clerk = people[CLERK]
    board = actions.board_create(
        service=service,
        name=BOARD,
        kind=BoardKind.PARTNERSHIP,
        remit="Oversees the recovery service for the council, the NHS trust and Northfield "
        "Community Action: it checks the service keeps its promises to residents, agrees changes "
        "and answers questions from the public.",
        created_by=clerk,
    )
    start = timezone.localdate() - dt.timedelta(days=200)
    members = [
        actions.membership_add(
            board=board,
            name=name,
            role=role,
            resident=resident,
            chosen=chosen,
            term_start=start,
            term_end=start + dt.timedelta(days=730),
            interests=interests,
            added_by=clerk,
        )
        for name, role, resident, chosen, interests in [
            ("Amira Khan", "Chair", False, HowChosen.APPOINTED, "None."),
            (
                "Lena Novak",
                "Member",
                False,
                HowChosen.APPOINTED,
                "Employed by Northfield Community Action, which runs the service.",
            ),
            (
                "Carl Dawson",
                "Resident member",
                True,
                HowChosen.ELECTION,
                "In recovery; volunteers at the recovery café. Elected by people who use the "
                "service.",
            ),
            (
                "Maureen Ellis",
                "Resident member",
                True,
                HowChosen.PANEL,
                "Family member of someone in recovery. Chosen by the citizens' panel.",
            ),
        ]
    ]
    chair, staff, carl, maureen = members

    # Three meetings that have taken place, with their minutes and decisions.
    first = _meeting(board, clerk, title="First meeting of the partnership board", days=-75)
    # The second meeting took a question from the public before it met.
    second_start = _at(-40, 18)
    second = _meeting(board, clerk, title="Autumn meeting of the partnership board", days=1)
    question = actions.question_ask(meeting=second, author=people[ASKER], text=QUESTION)
    Meeting.objects.filter(pk=second.pk).update(
        starts_at=second_start,
        ends_at=second_start + dt.timedelta(hours=2),
        minutes_due_on=second_start.date() + dt.timedelta(days=21),
    )
    Contribution.objects.filter(pk=question.pk).update(
        created_at=second_start - dt.timedelta(days=6)
    )
    second.refresh_from_db()
    third = _meeting(board, clerk, title="Winter meeting of the partnership board", days=-10)

    agenda = {
        first: [
            "Welcome and introductions",
            "How the board will work",
            "The service's first month",
        ],
        second: ["Questions from the public", "Evening opening", "Peer mentoring"],
        third: ["Performance report", "Aftercare for people leaving residential treatment"],
    }
    for meeting, items in agenda.items():
        for title in items:
            actions.agenda_item_add(meeting=meeting, title=title, added_by=clerk)
        actions.agenda_publish(meeting=meeting, published_by=clerk)
        actions.attendance_record(
            meeting=meeting,
            statuses={
                chair.pk: "present",
                staff.pk: "present",
                carl.pk: "present",
                maureen.pk: "apologies" if meeting is third else "present",
            },
            recorded_by=clerk,
        )

    actions.minutes_publish(
        meeting=first,
        minutes="The chair welcomed members. The board agreed its terms of reference and that its "
        "meetings will be public, with questions from residents taken in advance. Lena Novak "
        "reported on the service's first month: 212 people were supported, 41 of them for the "
        "first time.",
        published_by=clerk,
    )
    actions.meeting_decision_record(
        meeting=first,
        title="The partnership board meets in public four times a year",
        description="Meetings are hybrid, at the town hall and online, with 12 public seats and "
        "questions from residents answered in the minutes.",
        votes={chair.pk: "for", staff.pk: "for", carl.pk: "for", maureen.pk: "for"},
        contributions=_stories_before(service, first.starts_at.date()),
        recorded_by=clerk,
    )

    actions.question_answer(
        question=question,
        author=clerk,
        body="Yes. From next month the hub stays open until 8pm on Tuesdays and Thursdays, and "
        "the Saturday family drop-in starts at 10am. The board agreed this at the meeting.",
    )
    actions.minutes_publish(
        meeting=second,
        minutes="Jo Bennett asked whether the hub would open in the evenings. The board answered "
        "that it would, and agreed late opening on Tuesdays and Thursdays (see the decision). "
        "Carl Dawson spoke for the people who use the service: many work in the day and cannot "
        "come before 6pm. The board asked for a report on peer mentoring at its next meeting.",
        published_by=clerk,
    )
    actions.meeting_decision_record(
        meeting=second,
        title="The recovery hub opens until 8pm on Tuesdays and Thursdays",
        description="Asked for by residents and the resident members, so that people who work "
        "during the day can get support. Paid for from the existing budget by moving one "
        "daytime session.",
        votes={chair.pk: "for", staff.pk: "abstain", carl.pk: "for", maureen.pk: "for"},
        contributions=[question.contribution],
        recorded_by=clerk,
    )
    mailed = actions.action_add(
        meeting=second,
        description="Tell GP surgeries and pharmacies about the late opening",
        owner="Lena Novak",
        due_on=second_start.date() + dt.timedelta(days=14),
        added_by=clerk,
    )
    actions.action_mark_done(action=mailed, done=True, marked_by=clerk)

    actions.minutes_publish(
        meeting=third,
        minutes="Maureen Ellis sent apologies. The performance report showed more people "
        "completing treatment. The board discussed aftercare and agreed to pilot peer mentors "
        "for people leaving residential treatment.",
        published_by=clerk,
    )
    actions.meeting_decision_record(
        meeting=third,
        title="A peer mentoring pilot for people leaving residential treatment",
        description="Six trained peer mentors, all in recovery themselves, will meet people in "
        "their first month home. The board will review it after six months.",
        votes={chair.pk: "for", staff.pk: "for", carl.pk: "for"},
        contributions=_stories_before(service, third.starts_at.date()),
        recorded_by=clerk,
    )
    actions.action_add(
        meeting=third,
        description="Recruit and train six peer mentors",
        owner="Northfield Community Action",
        due_on=timezone.localdate() + dt.timedelta(days=50),
        added_by=clerk,
    )

    # The next meeting: seats to book and questions to ask.
    upcoming = _meeting(board, clerk, title=UPCOMING, days=21)
    for title in [
        "Questions from the public",
        "Peer mentoring: the first month",
        "Any other business",
    ]:
        actions.agenda_item_add(meeting=upcoming, title=title, added_by=clerk)
    actions.agenda_publish(meeting=upcoming, published_by=clerk)
    # A question waiting for its answer in the minutes.
    actions.question_ask(meeting=upcoming, author=people[WAITING_ASKER], text=WAITING_QUESTION)
