"""The assessment chapter's mystery shops: the community transport scheme's booking line, tested
last month by three passengers for their coordinator, Dave Morgan (three reports, published with
the shoppers unnamed; Jo Bennett sent hers late, the day after the window closed), and the
police's 101 line, tested a year ago
by twenty residents for a Neighbourhood Watch coordinator against standards residents wrote with
the neighbourhood team.

Everything goes through the actions while the windows are open; dates are then moved back. Running
it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.assessment import actions_assessments, actions_framework, actions_shopping
from coproduce.assessment.models import (
    Assessment,
    Assignment,
    Channel,
    FrameworkVersion,
    ShopReport,
    Standard,
)
from coproduce.services.models import Activity, ActivityKind, Service

TRANSPORT = "community-transport-scheme"
TRANSPORT_KEEPER = "dee.walsh@nca.example"
BOOKING_LINE = "Mystery shopping the booking line"  # made by the story, closed
BOOKING_COORDINATOR = "dave.m@example.org"
BOOKING_SHOPPERS = (
    "passenger20@villages.northfield.example",
    "passenger21@villages.northfield.example",
    "resident@example.org",  # Jo Bennett: she rang in the window but sent her report late
)
BOOKING_SCENARIO = (
    "Ring the booking line on a weekday morning and book a return journey to the surgery for "
    "next week. Note how long you waited and whether you were told the pick-up time."
)
# The window: opened and closed this many days ago; the reports were published after it.
BOOKING_OPENED, BOOKING_CLOSED, BOOKING_PUBLISHED = 40, 10, 8
# Each sent report: when contact was made and when it was sent (days ago), what happened, and the
# rating of each standard of version 1. The third was sent after the window closed: late.
BOOKING_REPORTS = (
    (
        33,
        33,
        "Rang at 9.05 on Monday: engaged twice, answered at the third try after 12 minutes. The "
        "booking itself was quick and friendly, and I was told the pick-up time.",
        (4, 2, 5, 5, 4, 5, 4),
    ),
    (
        29,
        29,
        "Rang at 10.40 on Thursday on the new second line: answered within two minutes. I was "
        "told a pick-up window of half an hour, not a time.",
        (5, 4, 5, 5, 4, 5, 3),
    ),
    (
        11,
        9,
        "Rang at 11.15 on the window's last Friday: answered in four minutes on the second line, "
        "and told the pick-up time. I was away afterwards, so this report is late.",
        (4, 4, 5, 4, 4, 5, 4),
    ),
)

POLICING = "neighbourhood-policing-in-northfield"
POLICE_KEEPER = "insp.jones@police-eastvale.example"
LINE_101 = "Mystery shopping the 101 line"  # made by the story, reported a year ago
WATCH = ("ann.hughes@northfield-watch.example", "Ann Hughes")
LINE_STANDARDS = (
    ("Reporting to us", "I can get through to 101 within ten minutes", "How long did you wait?"),
    ("Reporting to us", "The call handler takes what I say seriously", ""),
    ("Keeping me informed", "I am told what will happen next", ""),
    ("Keeping me informed", "I hear back when I was promised I would", ""),
)
LINE_SCENARIO = (
    "Report a non-emergency to 101 (a broken street light used by people dealing drugs, an "
    "abandoned car), at a time of day from your list. Note how long you waited."
)
# The average rating of each standard around which the twenty reports are drawn.
LINE_MEANS = (2.3, 4.1, 3.2, 2.6)


def _account(email: str, name: str) -> User:
    return User.objects.get_or_create(
        email=email, defaults={"name": name, "password": make_password(None)}
    )[0]


def _days_ago(days: int, *, hour: int) -> dt.datetime:
    """A time of day ``days`` ago, local: on that day whatever the hour the demo is seeded."""
    day = timezone.localdate() - dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _backdate(shop: Assessment, *, opened: int, closed: int, published: int) -> None:
    """The window ``opened`` to ``closed`` days ago, each report sent during it, published."""
    now = timezone.now()
    today = timezone.localdate()
    Assignment.objects.filter(assessment=shop).update(
        starts_on=today - dt.timedelta(days=opened), ends_on=today - dt.timedelta(days=closed)
    )
    reports = ShopReport.objects.filter(assignment__assessment=shop).order_by("assignment__number")
    span = max(opened - closed, 1)
    for n, pk in enumerate(reports.values_list("pk", flat=True)):
        when = now - dt.timedelta(days=opened - 1 - (n * 3) % span, hours=n % 9)
        ShopReport.objects.filter(pk=pk).update(contacted_at=when, submitted_at=when)
    Assessment.objects.filter(pk=shop.pk).update(
        created_at=now - dt.timedelta(days=opened + 2),
        published_at=now - dt.timedelta(days=published),
    )


def _run(
    activity: Activity,
    keeper: User,
    version: FrameworkVersion,
    coordinator: User,
    shoppers: list[User],
    scenario: str,
    reports: list[tuple[str, tuple[int, ...]]],
) -> Assessment:
    """Set up the shop, give every shopper an assignment (open since yesterday, so that a contact
    half an hour ago is inside it even just after midnight), send the reports given (one per
    shopper, in order; the rest stay late), and publish."""
    shop = actions_assessments.assessment_set_up(activity=activity, by=keeper, version=version)
    shop = actions_shopping.coordinator_choose(assessment=shop, by=keeper, email=coordinator.email)
    today = timezone.localdate()
    assignments = [
        actions_shopping.assignment_add(
            assessment=shop,
            by=coordinator,
            email=shopper.email,
            scenario=scenario,
            channel=Channel.PHONE,
            starts_on=today - dt.timedelta(days=1),
            ends_on=today + dt.timedelta(days=7),
        )
        for shopper in shoppers
    ]
    standards = list(Standard.objects.filter(version=version).order_by("position", "id"))
    for assignment, (account, ratings) in zip(assignments, reports, strict=False):
        actions_shopping.report_save(
            assignment=assignment,
            by=assignment.shopper,
            contacted_at=timezone.now() - dt.timedelta(minutes=30),
            account=account,
            ratings={s.pk: (r, "") for s, r in zip(standards, ratings, strict=True)},
            send=True,
        )
    return actions_shopping.shop_publish(assessment=shop, by=coordinator)


def _booking_line(people: dict[str, User]) -> None:
    service = Service.objects.filter(slug=TRANSPORT).first()
    activity = Activity.objects.filter(
        service_stage__service=service, title=BOOKING_LINE, kind=ActivityKind.MYSTERY_SHOP
    ).first()
    if service is None or activity is None or hasattr(activity, "service_assessment"):
        return
    version = FrameworkVersion.objects.get(framework_id=service.pk, number=1)
    shop = _run(
        activity,
        people[TRANSPORT_KEEPER],
        version,
        User.objects.get(email=BOOKING_COORDINATOR),
        [User.objects.get(email=email) for email in BOOKING_SHOPPERS],
        BOOKING_SCENARIO,
        [(account, ratings) for _contact, _sent, account, ratings in BOOKING_REPORTS],
    )
    _backdate(shop, opened=BOOKING_OPENED, closed=BOOKING_CLOSED, published=BOOKING_PUBLISHED)
    for assignment, (contact, sent, _account, _ratings) in zip(
        shop.assignments.order_by("number"), BOOKING_REPORTS, strict=False
    ):
        ShopReport.objects.filter(pk=assignment.pk).update(
            contacted_at=_days_ago(contact, hour=10), submitted_at=_days_ago(sent, hour=15)
        )


def _line_101(people: dict[str, User]) -> None:
    service = Service.objects.filter(slug=POLICING).first()
    activity = Activity.objects.filter(
        service_stage__service=service, title=LINE_101, kind=ActivityKind.MYSTERY_SHOP
    ).first()
    if service is None or activity is None or hasattr(activity, "service_assessment"):
        return
    keeper = people[POLICE_KEEPER]
    draft = actions_framework.framework_start(service=service, by=keeper)
    for theme, statement, prompt in LINE_STANDARDS:
        actions_framework.standard_add(
            version=draft, by=keeper, theme=theme, statement=statement, evidence_prompt=prompt
        )
    version = actions_framework.version_agree(
        version=draft,
        by=keeper,
        change_note="Written with residents at the beat meetings, for the 101 mystery shop.",
    )
    rng = random.Random(101)  # noqa: S311 (made-up ratings, the same each time)
    shoppers = [
        _account(f"shopper{n:02d}@westbrook.northfield.example", f"Westbrook resident {n}")
        for n in range(1, 21)
    ]
    waits = [rng.choice((2, 4, 6, 9, 9, 11, 14, 18)) for _ in shoppers]
    reports = [
        (
            f"Rang 101 and waited {wait} minutes before a call handler answered. "
            + (
                "I was given a reference number and told what would happen next."
                if wait < 10
                else "I was given a reference number but not told what would happen next."
            ),
            tuple(max(1, min(5, round(rng.gauss(mean, 0.9)))) for mean in LINE_MEANS),
        )
        for wait in waits
    ]
    shop = _run(
        activity,
        keeper,
        version,
        _account(*WATCH),
        shoppers,
        LINE_SCENARIO,
        reports,
    )
    _backdate(shop, opened=400, closed=380, published=375)
    FrameworkVersion.objects.filter(pk=version.pk).update(
        created_at=timezone.now() - dt.timedelta(days=430),
        agreed_at=timezone.now() - dt.timedelta(days=410),
    )


def seed_mystery_shops(people: dict[str, User]) -> None:
    """The booking line's mystery shop and the 101 line's."""
    _booking_line(people)
    _line_101(people)
