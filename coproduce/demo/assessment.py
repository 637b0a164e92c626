"""The assessment chapter of the demo: passengers of the community transport scheme wrote its
standards with the charity's staff, and rate the scheme against them every year.

Version 1 of the standards was agreed thirteen months ago with two passengers, Jo Bennett and
Dave Morgan; last year's assessment rated the scheme against it (26 passengers: online and on
paper forms from the drivers). Passengers then asked for online booking and a clearer phone
standard, so version 2 was agreed this month, and this year's assessment ("Passengers assess the
scheme", open) rates against it: 34 responses so far. The results page shows the change on each
standard since last year; getting through on the phone improved after the mystery shop of the
booking line. Last year's report has three findings: passengers' respect for the drivers (a
strength), the phone (a concern, answered; its action — a second booking line — is done, with the
evidence) and late pick-ups (a concern, answered; its action — a text when the bus is late — is
overdue, so the service page flags it).

Everything goes through the assessment actions while each activity is open; dates are then moved
back. Running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.assessment import actions_assessments, actions_findings, actions_framework
from coproduce.assessment.models import (
    ActionStatus,
    Assessment,
    FindingKind,
    Framework,
    FrameworkVersion,
    ImprovementAction,
    Response,
    Standard,
)
from coproduce.contributions.actions import response_create
from coproduce.contributions.models import Contribution
from coproduce.contributions.models import Response as Answer
from coproduce.services.actions import activity_transition
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service
from coproduce.services.tests.factories import ActivityFactory

TRANSPORT = "community-transport-scheme"
KEEPER = "dee.walsh@nca.example"  # the charity's chief executive runs the scheme
CO_AUTHORS = ("resident@example.org", "dave.m@example.org")
CURRENT = "Passengers assess the scheme"  # made by the story, open
LAST_YEAR = "Passengers assessed the scheme last year"
PHONE = "I can get through on the phone when I need to"
PHONE_V2 = "I can get through on the phone within five minutes"
# Theme, standard, what shows it; and how passengers rated it last year and this year (the
# average on the 1–5 scale the ratings are drawn around).
STANDARDS = (
    ("Booking", "I can book a journey without help", "", 4.1, 4.2),
    ("Booking", PHONE, "How long you waited the last time you rang.", 2.6, 3.6),
    ("On the journey", "The driver helps me in and out of the vehicle", "", 4.6, 4.6),
    ("On the journey", "I feel safe on the journey", "", 4.5, 4.4),
    ("On the journey", "The vehicle is clean and comfortable", "", 3.9, 4.0),
    ("Respect", "Drivers and staff treat me with respect", "", 4.7, 4.7),
    (
        "Respect",
        "I am picked up at the time I was told",
        "Think of your last three journeys.",
        3.4,
        3.3,
    ),
)
ONLINE = ("Booking", "I can book online or by text message", "", 2.9, 2.9)  # in version 2 only
PASSENGER_NAMES = (
    "Margaret Hughes", "Alan Pritchard", "Beryl Thomas", "Kofi Mensah", "Irene Walsh",
    "Stan Lewis", "Nasreen Begum", "Glenys Parry", "Ron Ashworth", "Elsie Morgan",
)  # fmt: skip
COMMENTS = {
    PHONE: "I rang three times before anyone answered.",
    PHONE_V2: "Much better since the second phone line.",
    "I am picked up at the time I was told": "Sometimes half an hour late, with no call.",
    "The driver helps me in and out of the vehicle": "The drivers are wonderful with my chair.",
    ONLINE[1]: "I would book by text if I could.",
}


def _passengers(count: int) -> list[User]:
    """Passengers who rated online (they cannot sign in: no password); some gave their names."""
    emails = [f"passenger{n:02d}@villages.northfield.example" for n in range(1, count + 1)]
    have = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    unusable = make_password(None)
    User.objects.bulk_create(
        User(email=email, name=PASSENGER_NAMES[n % len(PASSENGER_NAMES)], password=unusable)
        for n, email in enumerate(emails)
        if email not in have
    )
    return list(User.objects.filter(email__in=emails).order_by("email"))


def _framework(service: Service, keeper: User, people: dict[str, User]) -> list[FrameworkVersion]:
    """Version 1 agreed with the passengers; version 2 rewords the phone standard and adds
    online booking."""
    first = actions_framework.framework_start(service=service, by=keeper)
    for theme, statement, prompt, _last, _now in STANDARDS:
        actions_framework.standard_add(
            version=first, by=keeper, theme=theme, statement=statement, evidence_prompt=prompt
        )
    co_authors = [people[email] for email in CO_AUTHORS]
    first = actions_framework.version_agree(
        version=first,
        by=keeper,
        change_note="Written with passengers at three workshops in the library.",
        co_authors=co_authors,
    )
    second = actions_framework.version_start(framework=first.framework, by=keeper)
    phone = second.standards.get(statement=PHONE)
    actions_framework.standard_update(
        standard=phone,
        by=keeper,
        theme=phone.theme,
        statement=PHONE_V2,
        evidence_prompt=phone.evidence_prompt,
    )
    theme, statement, prompt, _last, _now = ONLINE
    actions_framework.standard_add(
        version=second, by=keeper, theme=theme, statement=statement, evidence_prompt=prompt
    )
    second = actions_framework.version_agree(
        version=second,
        by=keeper,
        change_note="After last year's assessment passengers asked for online booking, and for "
        "a phone standard that says how long is too long.",
        co_authors=co_authors,
    )
    return [first, second]


def _rating(rng: random.Random, mean: float) -> int | None:
    if rng.random() < 0.05:
        return None  # does not apply to me
    return max(1, min(5, round(rng.gauss(mean, 0.9))))


def _answers(
    assessment: Assessment, rng: random.Random, this_year: bool, with_comment: bool
) -> dict[int, actions_assessments.Answer]:
    means = {s[1]: s[4] if this_year else s[3] for s in (*STANDARDS, ONLINE)}
    means[PHONE_V2] = means[PHONE]
    answers: dict[int, actions_assessments.Answer] = {}
    for standard in Standard.objects.filter(version=assessment.version):
        comment = COMMENTS.get(standard.statement, "") if with_comment else ""
        answers[standard.pk] = (_rating(rng, means[standard.statement]), comment)
    return answers


def _rate(
    assessment: Assessment, keeper: User, online: list[User], paper: int, this_year: bool
) -> None:
    rng = random.Random(12 if this_year else 11)  # noqa: S311 (made-up ratings, the same each time)
    for n, person in enumerate(online):
        actions_assessments.response_save(
            assessment=assessment,
            person=person,
            ratings=_answers(assessment, rng, this_year, with_comment=n % 3 == 0),
            named=n % 4 == 0,
        )
    for _n in range(paper):
        actions_assessments.paper_response_add(
            assessment=assessment,
            by=keeper,
            ratings=_answers(assessment, rng, this_year, with_comment=False),
        )


def _date(assessment: Assessment, opened: int, span: int) -> None:
    """Responses spread over the days the activity was open (``opened`` days ago)."""
    now = timezone.now()
    for n, pk in enumerate(assessment.responses.order_by("pk").values_list("pk", flat=True)):
        when = now - dt.timedelta(days=opened - (n * span) // 40, hours=n % 7)
        Response.objects.filter(pk=pk).update(created_at=when, updated_at=when)


PICK_UP = "I am picked up at the time I was told"
RESPECT = "Drivers and staff treat me with respect"
# Last year's findings: kind, finding, evidence, standard, the answer, and the action (what, who,
# due days from today, and its evidence when done).
FINDINGS = (
    (
        FindingKind.STRENGTH,
        "Passengers feel respected by drivers and staff",
        "Nine in ten said drivers and staff always or mostly treat them with respect; many "
        "comments name their driver.",
        RESPECT,
        "",
        None,
    ),
    (
        FindingKind.CONCERN,
        "Getting through on the phone is too hard",
        "The weakest standard: fewer than a third said they always or mostly get through. Eleven "
        "comments mention the engaged tone on Monday mornings.",
        PHONE,
        "You are right. We will add a second booking line and test it with a mystery shop.",
        (
            "Add a second phone line for bookings, staffed on Monday and Tuesday mornings",
            "Scheme manager",
            -280,
            "The second line opened in March. The mystery shop of the booking line found 7 of "
            "8 calls answered within five minutes, and this year's ratings of the phone standard "
            "are up.",
        ),
    ),
    (
        FindingKind.CONCERN,
        "Pick-ups are often late, and nobody says so",
        "Only half said they are always or mostly picked up on time; passengers waiting outside "
        "in the cold were the most common comment.",
        PICK_UP,
        "We cannot promise every pick-up on time in winter traffic, but we can tell you when we "
        "are late. We will text passengers when the bus is more than ten minutes late.",
        (
            "Text passengers when the bus will be more than ten minutes late",
            "Transport coordinator",
            -20,
            "",
        ),
    ),
)


def _findings(assessment: Assessment, keeper: User) -> None:
    """Last year's findings, answered, with their improvement actions; dated after it closed."""
    today = timezone.now()
    standards = {s.statement: s for s in Standard.objects.filter(version=assessment.version)}
    for n, (kind, title, evidence, statement, answer, action) in enumerate(FINDINGS):
        finding = actions_findings.finding_add(
            assessment=assessment,
            by=keeper,
            kind=kind,
            title=title,
            evidence=evidence,
            standards=[standards[statement]],
        )
        written = today - dt.timedelta(days=345, hours=n)
        Contribution.objects.filter(pk=finding.pk).update(created_at=written)
        if answer:
            response = response_create(
                contribution=finding.contribution, author=keeper, body=answer
            )
            answered = written + dt.timedelta(days=6)
            Answer.objects.filter(pk=response.pk).update(created_at=answered)
            Contribution.objects.filter(pk=finding.pk).update(
                first_response_at=answered, last_response_at=answered
            )
        if action is None:
            continue
        what, owner, due_in, done = action
        made = actions_findings.action_add(
            finding=finding,
            by=keeper,
            description=what,
            owner=owner,
            due_on=timezone.localdate() + dt.timedelta(days=30),
        )
        due = timezone.localdate() + dt.timedelta(days=due_in)
        ImprovementAction.objects.filter(pk=made.pk).update(
            due_on=due, created_at=written + dt.timedelta(days=6)
        )
        if done:
            ImprovementAction.objects.filter(pk=made.pk).update(
                status=ActionStatus.DONE, evidence=done, closed_on=due - dt.timedelta(days=12)
            )
        else:
            ImprovementAction.objects.filter(pk=made.pk).update(status=ActionStatus.IN_PROGRESS)


def seed_assessment(people: dict[str, User]) -> None:
    """The community transport scheme's standards and its two yearly assessments."""
    service = Service.objects.filter(slug=TRANSPORT).first()
    if service is None or Framework.objects.filter(service=service).exists():
        return
    keeper = people[KEEPER]
    first, second = _framework(service, keeper, people)
    passengers = _passengers(30)

    last_year = ActivityFactory(
        service=service,
        kind=ActivityKind.ASSESSMENT,
        state=ActivityState.OPEN,
        title=LAST_YEAR,
        summary="Passengers rated the scheme against their standards.",
        how_to_take_part="Online, at a workshop in the library, or on a paper form from a driver.",
    )
    earlier = actions_assessments.assessment_set_up(activity=last_year, by=keeper, version=first)
    _rate(earlier, keeper, passengers[:14], paper=12, this_year=False)
    activity_transition(activity=last_year, to_state=ActivityState.CLOSED)
    activity_transition(
        activity=last_year,
        to_state=ActivityState.REPORTED,
        outcome="26 passengers rated the scheme. Getting through on the phone was the weakest "
        "standard: the scheme added a second phone line and tested it with a mystery shop.",
    )
    _findings(Assessment.objects.get(pk=earlier.pk), keeper)

    current = Activity.objects.get(service_stage__service=service, title=CURRENT)
    now = actions_assessments.assessment_set_up(activity=current, by=keeper, version=second)
    _rate(now, keeper, passengers[8:22], paper=20, this_year=True)

    # Dates: version 1 thirteen months ago, last year's assessment a year ago, version 2 this
    # month; this year's responses since the activity opened five days ago.
    today = timezone.now()
    FrameworkVersion.objects.filter(pk=first.pk).update(
        created_at=today - dt.timedelta(days=420), agreed_at=today - dt.timedelta(days=395)
    )
    FrameworkVersion.objects.filter(pk=second.pk).update(
        created_at=today - dt.timedelta(days=30), agreed_at=today - dt.timedelta(days=8)
    )
    Activity.objects.filter(pk=last_year.pk).update(
        opens_on=(today - dt.timedelta(days=380)).date(),
        closes_on=(today - dt.timedelta(days=350)).date(),
    )
    Assessment.objects.filter(pk=earlier.pk).update(created_at=today - dt.timedelta(days=381))
    Assessment.objects.filter(pk=now.pk).update(created_at=today - dt.timedelta(days=6))
    _date(earlier, opened=380, span=30)
    _date(now, opened=5, span=5)
