"""One believable story, built from the test factories: Northfield and the people who live there.

A borough council, an NHS trust, a police force, a community charity and a trade union branch run
five services at different points of their lifecycle. Running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.demo.assessment import seed_assessment
from coproduce.demo.assessment_shops import seed_mystery_shops
from coproduce.demo.assessment_team import seed_team_assessments
from coproduce.demo.budgeting import seed_budgeting
from coproduce.demo.cast import people
from coproduce.demo.codesign import seed_codesign
from coproduce.demo.commissioning import seed_commissioning
from coproduce.demo.conversations import seed_conversations
from coproduce.demo.email_settings import add_email_settings
from coproduce.demo.equality import seed_equality
from coproduce.demo.governance import seed_governance
from coproduce.demo.insight import seed_insight
from coproduce.demo.news import date_the_news
from coproduce.demo.outcomes import seed_outcomes
from coproduce.demo.panels import seed_panels
from coproduce.demo.welsh import add_welsh
from coproduce.organisations.models import Organisation, Role, Sector
from coproduce.organisations.tests.factories import MembershipFactory, OrganisationFactory
from coproduce.search.actions import index_rebuild
from coproduce.services import actions
from coproduce.services.models import (
    ActivityKind,
    ActivityState,
    InvolvementLevel,
    PolicyArea,
    Service,
    Stage,
)
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory

TODAY = dt.date.today


def days(n: int) -> dt.date:
    return TODAY() + dt.timedelta(days=n)


ORGANISATIONS = {
    "council": {
        "name": "Northfield Borough Council",
        "sector": Sector.PUBLIC_BODY,
        "area": "Northfield",
        "summary": "The local council for Northfield's 180,000 residents.",
        "description": "Runs public health, social care, housing and transport services for the "
        "borough, and commissions many of them from local partners.",
        "website": "https://northfield.example",
        "contact_email": "engage@northfield.example",
        "phone": "01632 960 100",
    },
    "nhs": {
        "name": "Northfield and Eastvale NHS Foundation Trust",
        "sector": Sector.NHS,
        "area": "Northfield and Eastvale",
        "summary": "Community and mental health services across two boroughs.",
        "website": "https://nhs-northfield.example",
        "contact_email": "patient.experience@nhs-northfield.example",
        "phone": "01632 960 200",
    },
    "police": {
        "name": "Eastvale Police",
        "sector": Sector.POLICE,
        "area": "Eastvale county",
        "summary": "The police force for Eastvale county, including Northfield.",
        "website": "https://police-eastvale.example",
        "contact_email": "northfield.neighbourhood@police-eastvale.example",
        "phone": "101",
    },
    "charity": {
        "name": "Northfield Community Action",
        "sector": Sector.CHARITY,
        "area": "Northfield",
        "summary": "A local charity run by and for residents: recovery support, transport and "
        "volunteering.",
        "website": "https://nca.example",
        "contact_email": "hello@nca.example",
        "phone": "01632 960 300",
    },
    "union": {
        "name": "Northfield Health and Care Workers' Union",
        "sector": Sector.TRADE_UNION,
        "area": "Northfield",
        "summary": "The trade union branch for care, health and council staff in Northfield.",
        "contact_email": "branch@union.example",
    },
}

# email, name, organisation key, role, job title
STAFF = [
    (
        "amira.khan@northfield.example",
        "Amira Khan",
        "council",
        Role.ADMIN,
        "Head of Public Health Commissioning",
    ),
    (
        "tom.price@northfield.example",
        "Tom Price",
        "council",
        Role.PROFESSIONAL,
        "Substance Misuse Commissioner",
    ),
    (
        "grace.obi@nhs-northfield.example",
        "Dr Grace Obi",
        "nhs",
        Role.ADMIN,
        "Clinical Director, Children and Young People",
    ),
    (
        "sam.reid@nhs-northfield.example",
        "Sam Reid",
        "nhs",
        Role.PROFESSIONAL,
        "Youth Mental Health Nurse",
    ),
    (
        "insp.jones@police-eastvale.example",
        "Inspector Rhian Jones",
        "police",
        Role.ADMIN,
        "Neighbourhood Inspector",
    ),
    (
        "pc.ali@police-eastvale.example",
        "PC Hassan Ali",
        "police",
        Role.PROFESSIONAL,
        "Neighbourhood Officer",
    ),
    ("dee.walsh@nca.example", "Dee Walsh", "charity", Role.ADMIN, "Chief Executive"),
    ("mo.ahmed@nca.example", "Mo Ahmed", "charity", Role.FACILITATOR, "Community Organiser"),
    ("lena.novak@nca.example", "Lena Novak", "charity", Role.PROFESSIONAL, "Recovery Coordinator"),
    ("kath.byrne@union.example", "Kath Byrne", "union", Role.ADMIN, "Branch Secretary"),
]

RESIDENTS = people(
    "resident@example.org",
    "priya.s@example.org",
    "dave.m@example.org",
)

SUPERUSER = ("admin@coproduce.example", "Platform Administrator")


@dataclass
class Cast:
    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)


def _cast() -> Cast:
    cast = Cast()
    for key, details in ORGANISATIONS.items():
        cast.organisations[key] = OrganisationFactory(slug=slugify(details["name"]), **details)
    for email, name, org, role, title in STAFF:
        user = UserFactory(email=email, name=name, mfa=True)
        MembershipFactory(
            user=user, organisation=cast.organisations[org], role=role, job_title=title
        )
        cast.people[email] = user
    for email, name in RESIDENTS:
        cast.people[email] = UserFactory(email=email, name=name)
    email, name = SUPERUSER
    admin = UserFactory(email=email, name=name, mfa=True, is_superuser=True, is_staff=True)
    cast.people[email] = admin
    return cast


def _plan(service: Service, levels: dict[str, str]) -> None:
    actions.involvement_set(service=service, levels=levels)


def _advance(service: Service, summary: str) -> None:
    actions.service_advance_stage(service=service, summary=summary)


def _new(name: str) -> bool:
    return not Service.objects.filter(slug=slugify(name)).exists()


def _recovery(cast: Cast) -> None:
    name = "Drug and alcohol recovery service"
    if not _new(name):
        return
    o = cast.organisations
    service = ServiceFactory(
        organisation=o["council"],
        partners=[o["charity"], o["nhs"]],
        name=name,
        summary="Free, confidential help for anyone in Northfield who wants to change their drinking "
        "or drug use, and support for their families.",
        description="The council is re-commissioning the borough's recovery service. People with "
        "lived experience of recovery, and their families, are helping to decide what it should "
        "achieve, shape how it works, and check how well it does.",
        policy_area=PolicyArea.HEALTH,
        area_served="Northfield borough",
    )
    _plan(
        service,
        {
            Stage.COMMISSIONING: InvolvementLevel.COLLABORATE,
            Stage.DESIGN: InvolvementLevel.COLLABORATE,
            Stage.DELIVERY: InvolvementLevel.INVOLVE,
            Stage.IMPLEMENTATION: InvolvementLevel.INVOLVE,
            Stage.ASSESSMENT: InvolvementLevel.COLLABORATE,
        },
    )
    ActivityFactory(
        service=service,
        kind=ActivityKind.NEEDS_SURVEY,
        state=ActivityState.REPORTED,
        title="What would help you or your family in recovery?",
        summary="A survey of people in recovery, families and frontline workers about what helps.",
        opens_on=days(-300),
        closes_on=days(-260),
        outcome="412 people answered. The top needs were support at evenings and weekends, help "
        "that does not end when treatment ends, and peer mentors who have been there themselves. "
        "All three are now outcomes in the service specification.",
    )
    ActivityFactory(
        service=service,
        kind=ActivityKind.CITIZEN_PANEL,
        state=ActivityState.REPORTED,
        title="Recovery commissioning panel",
        summary="Twelve residents with lived experience, drawn by lot at a public meeting in the "
        "town hall, met over four evenings to score the bids alongside council officers.",
        opens_on=days(-250),
        closes_on=days(-200),
        how_to_take_part="Residents put their names forward on paper forms at the recovery hub "
        "and GP surgeries. Panel members were paid for their time and travel.",
        outcome="The panel's scores counted for 40% of the quality mark. The contract went to a "
        "partnership of Northfield Community Action and the NHS trust.",
    )
    _advance(
        service,
        "The service was commissioned for five years with three outcomes chosen by "
        "residents: support at evenings and weekends, aftercare, and peer mentoring.",
    )
    ActivityFactory(
        service=service,
        kind=ActivityKind.IDEA_CHALLENGE,
        state=ActivityState.REPORTED,
        title="Design the recovery hub",
        summary="Ideas for how the new recovery hub on Station Road should look and work.",
        opens_on=days(-190),
        closes_on=days(-150),
        outcome="86 ideas, 1,240 supports. Adopted: a café run by people in recovery, a quiet "
        "room, and a family drop-in on Saturday mornings.",
    )
    ActivityFactory(
        service=service,
        kind=ActivityKind.STORY_COLLECTION,
        state=ActivityState.CLOSED,
        title="Stories of recovery",
        summary="People told us what it was really like to get help, so the new service "
        "gets the first contact right.",
        opens_on=days(-180),
        closes_on=days(-140),
    )
    _advance(
        service,
        "The hub was designed with residents. Their ideas for a café, a quiet room "
        "and a Saturday family drop-in are all in the plans.",
    )
    ActivityFactory(
        service=service,
        kind=ActivityKind.OPINION_MAP,
        state=ActivityState.OPEN,
        title="Where should evening support happen?",
        summary="Say whether you agree or disagree with short statements about evening and "
        "weekend support. When it closes, the team will report where people agreed and where "
        "views split.",
        opens_on=days(-10),
        closes_on=days(30),
        how_to_take_part="The statements are on a wall at the recovery hub reception, 14 Station "
        "Road: put a green sticker on the ones you agree with and a red one on the ones you do "
        "not, or write your own on a blank card. Open weekdays 9am to 5pm, and Thursdays until "
        "8pm.",
    )
    ActivityFactory(
        service=service,
        kind=ActivityKind.MEETING,
        state=ActivityState.OPEN,
        title="Open evening at the recovery hub",
        summary="Meet the team, see the hub and hear what happens next.",
        opens_on=days(-3),
        closes_on=days(14),
        how_to_take_part="Every Thursday, 6pm to 8pm, 14 Station Road, Northfield. Step-free "
        "access. No need to book.",
    )


def _policing(cast: Cast) -> None:
    name = "Neighbourhood policing in Northfield"
    if not _new(name):
        return
    o = cast.organisations
    service = ServiceFactory(
        organisation=o["police"],
        partners=[o["council"]],
        name=name,
        summary="Your local police team: who they are, what they focus on, and how residents set "
        "the priorities.",
        description="Every year residents help set the neighbourhood team's priorities and check "
        "how well the team kept its promises.",
        policy_area=PolicyArea.POLICING,
        area_served="Northfield town centre and Westbrook",
    )
    _plan(
        service,
        {
            Stage.COMMISSIONING: InvolvementLevel.CONSULT,
            Stage.DESIGN: InvolvementLevel.INVOLVE,
            Stage.DELIVERY: InvolvementLevel.INFORM,
            Stage.IMPLEMENTATION: InvolvementLevel.INVOLVE,
            Stage.ASSESSMENT: InvolvementLevel.INVOLVE,
        },
    )
    summaries = [
        (
            ActivityKind.NEEDS_SURVEY,
            "Your neighbourhood, your priorities 2025",
            "1,050 residents chose three priorities: speeding near schools, drug dealing in Westbrook "
            "Park and anti-social behaviour at the bus station.",
        ),
        (
            ActivityKind.MEETING,
            "Priority-setting meetings",
            "Four public meetings agreed how the team would tackle each priority.",
        ),
        (
            ActivityKind.MEETING,
            "Monthly beat meetings",
            "Twelve meetings held; 380 residents came in total.",
        ),
        (
            ActivityKind.IDEA_CHALLENGE,
            "Ideas for safer streets",
            "Residents suggested speed-watch volunteers, which now run outside three schools.",
        ),
        (
            ActivityKind.MYSTERY_SHOP,
            "Mystery shopping the 101 line",
            "Twenty residents reported non-emergencies. Average answer time was 9 minutes; the force "
            "has added evening call handlers.",
        ),
    ]
    # How residents took part in each (the offline methods have no pages on the site yet).
    how = {
        "Your neighbourhood, your priorities 2025": "Answer online, or fill in a paper copy at "
        "Northfield library or the police front counter.",
        "Priority-setting meetings": "Four evening meetings, one in each ward. No need to book.",
        "Monthly beat meetings": "First Tuesday of every month, 7pm, Westbrook community centre. "
        "No need to book.",
        "Ideas for safer streets": "Post an idea online, and support or comment on other people's.",
        "Mystery shopping the 101 line": "Volunteers rang 101 at different times of day to report "
        "everyday non-emergencies, and filled in a paper form about each call.",
    }
    for (kind, title, outcome), summary in zip(
        summaries,
        [
            "Last year's priorities were set by residents.",
            "Residents and the team agreed a plan.",
            "The team reported back every month.",
            "The team worked with residents on fixes.",
            "Residents checked how well the team did.",
        ],
        strict=True,
    ):
        ActivityFactory(
            service=service,
            kind=kind,
            state=ActivityState.REPORTED,
            title=title,
            summary=summary,
            how_to_take_part=how[title],
            opens_on=days(-400),
            closes_on=days(-380),
            outcome=outcome,
        )
        _advance(service, outcome)
    # Cycle 2 has begun: commissioning is done, design is under way.
    ActivityFactory(
        service=service,
        kind=ActivityKind.MEETING,
        state=ActivityState.REPORTED,
        title="Northfield police priorities 2026: public meeting",
        summary="Residents heard what changed last year and proposed new priorities.",
        how_to_take_part="One evening meeting at Northfield town hall, 7pm. Step-free access. No "
        "need to book.",
        opens_on=days(-60),
        closes_on=days(-60),
        outcome="Speeding near schools stays a priority. Residents added e-bike theft.",
    )
    _advance(service, "Two priorities agreed for 2026: speeding near schools and e-bike theft.")
    ActivityFactory(
        service=service,
        kind=ActivityKind.OPINION_MAP,
        state=ActivityState.OPEN,
        title="How should the team tackle e-bike theft?",
        summary="Say whether you agree or disagree with short statements about patrols, bike "
        "marking and secure parking. When it closes, the team will report where residents agreed.",
        opens_on=days(-7),
        closes_on=days(21),
        how_to_take_part="Fill in a statement card at Northfield library or the police front "
        "counter on Market Street and post it in the box there. You can add a statement of your "
        "own on the back.",
    )


def _youth_mental_health(cast: Cast) -> None:
    name = "Youth mental health support"
    if not _new(name):
        return
    o = cast.organisations
    service = ServiceFactory(
        organisation=o["nhs"],
        partners=[o["charity"], o["union"]],
        name=name,
        summary="Mental health support for young people aged 11 to 25, in schools, online and in "
        "the community.",
        description="Young people, parents and the staff who support them are deciding together "
        "how this year's £250,000 of new funding is spent.",
        policy_area=PolicyArea.HEALTH,
        area_served="Northfield and Eastvale",
    )
    _plan(
        service,
        {
            Stage.COMMISSIONING: InvolvementLevel.EMPOWER,
            Stage.DESIGN: InvolvementLevel.COLLABORATE,
            Stage.DELIVERY: InvolvementLevel.INVOLVE,
            Stage.IMPLEMENTATION: InvolvementLevel.COLLABORATE,
            Stage.ASSESSMENT: InvolvementLevel.COLLABORATE,
        },
    )
    ActivityFactory(
        service=service,
        kind=ActivityKind.NEEDS_SURVEY,
        state=ActivityState.OPEN,
        title="What would help young people's mental health?",
        summary="Tell us what support you would use, and where and when you would use it.",
        opens_on=days(-14),
        closes_on=days(28),
        how_to_take_part="Answer online in about 10 minutes. Schools and youth clubs also have "
        "paper copies.",
    )
    ActivityFactory(
        service=service,
        kind=ActivityKind.STORY_COLLECTION,
        state=ActivityState.OPEN,
        title="Your story of getting help",
        summary="Share what it was like to ask for help with your mental health. You choose if "
        "and how your name is shown.",
        opens_on=days(-14),
        closes_on=days(60),
    )
    # Open while young people proposed and voted; coproduce/demo/budgeting.py runs the budget,
    # counts it and reports it (voting closed a few days ago).
    ActivityFactory(
        service=service,
        kind=ActivityKind.PARTICIPATORY_BUDGET,
        state=ActivityState.OPEN,
        title="Young people decide: £250,000 for mental health",
        summary="Young people proposed projects and voted for the ones they wanted funded. The "
        "money goes where young people decided.",
        how_to_take_part="Young people aged 11 to 25 voted with an account, with a voting code "
        "from their school or college, or on a ballot paper at any secondary school, college or "
        "youth club in Northfield and Eastvale.",
        opens_on=days(-90),
        closes_on=days(-6),
    )


def _transport(cast: Cast) -> None:
    name = "Community transport scheme"
    if not _new(name):
        return
    o = cast.organisations
    service = ServiceFactory(
        organisation=o["charity"],
        partners=[o["council"]],
        name=name,
        summary="Door-to-door minibus and volunteer car journeys for people who cannot use buses "
        "easily.",
        description="Run by volunteers and funded by the council. Passengers check how well it "
        "works every year.",
        policy_area=PolicyArea.TRANSPORT,
        area_served="Northfield villages",
    )
    _plan(
        service,
        {
            Stage.COMMISSIONING: InvolvementLevel.CONSULT,
            Stage.DESIGN: InvolvementLevel.COLLABORATE,
            Stage.DELIVERY: InvolvementLevel.COLLABORATE,
            Stage.IMPLEMENTATION: InvolvementLevel.COLLABORATE,
            Stage.ASSESSMENT: InvolvementLevel.COLLABORATE,
        },
    )
    steps = [
        (
            ActivityKind.NEEDS_SURVEY,
            "Who needs a lift, and where to?",
            "Most journeys needed are to GP surgeries and the Tuesday market.",
            "The scheme was funded for three years around medical and shopping journeys.",
        ),
        (
            ActivityKind.IDEA_CHALLENGE,
            "Plan the routes with passengers",
            "Passengers designed a weekly timetable for the villages.",
            "Routes and booking were designed with passengers.",
        ),
        (
            ActivityKind.MEETING,
            "Passenger and driver forum",
            "Quarterly forums to sort out day-to-day problems.",
            "The scheme ran 6,200 journeys this year.",
        ),
        (
            ActivityKind.SELF_REFLECTION,
            "Volunteer drivers' reflection",
            "Drivers reflected on what works and what wears them out.",
            "A rota change cut drivers' hours by a fifth.",
        ),
    ]
    # How passengers and drivers took part in each (the offline methods have no pages yet).
    how = {
        "Who needs a lift, and where to?": "Answer online, or ask a driver for a paper copy.",
        "Plan the routes with passengers": "Post an idea online, and support or comment on "
        "other people's.",
        "Passenger and driver forum": "Saturday mornings, once a quarter, at Northfield library. "
        "Passengers travel there and back free.",
        "Volunteer drivers' reflection": "Drivers kept a short paper diary for a month, then met "
        "in small groups with the volunteer coordinator.",
    }
    for kind, title, outcome, summary in steps:
        ActivityFactory(
            service=service,
            kind=kind,
            state=ActivityState.REPORTED,
            title=title,
            summary=outcome,
            how_to_take_part=how[title],
            opens_on=days(-500),
            closes_on=days(-480),
            outcome=outcome,
        )
        _advance(service, summary)
    ActivityFactory(
        service=service,
        kind=ActivityKind.ASSESSMENT,
        state=ActivityState.OPEN,
        title="Passengers assess the scheme",
        summary="Passengers and drivers write this year's assessment together: what works, what "
        "does not, and what to fix.",
        opens_on=days(-5),
        closes_on=days(25),
        how_to_take_part="Rate the scheme online against the standards passengers wrote, join a "
        "workshop at Northfield library on Wednesdays at 2pm, or ask a driver for a paper form.",
    )
    ActivityFactory(
        service=service,
        kind=ActivityKind.MYSTERY_SHOP,
        state=ActivityState.CLOSED,
        title="Mystery shopping the booking line",
        summary="Eight passengers tested the phone booking line.",
        how_to_take_part="Passengers rang the booking line at different times of day and filled "
        "in a short paper form about each call.",
        opens_on=days(-40),
        closes_on=days(-10),
    )


def _home_care_draft(cast: Cast) -> None:
    name = "Home care for older people"
    if not _new(name):
        return
    ServiceFactory(
        organisation=cast.organisations["council"],
        partners=[cast.organisations["union"]],
        name=name,
        summary="Care at home for older people, planned with the people who receive it and the "
        "care workers who give it.",
        policy_area=PolicyArea.SOCIAL_CARE,
        area_served="Northfield borough",
        status="draft",
    )


@transaction.atomic
def seed() -> dict[str, Any]:
    """Create the demo story (idempotent). Returns what exists afterwards."""
    cast = _cast()
    for chapter in (_recovery, _policing, _youth_mental_health, _transport, _home_care_draft):
        chapter(cast)
    seed_insight(cast.people)
    seed_codesign(cast.people)
    seed_governance(cast.people)
    seed_budgeting(cast.people)
    seed_conversations(cast.people)
    seed_panels(cast.people)
    seed_outcomes(cast.people)
    seed_commissioning(cast.people)
    seed_assessment(cast.people)
    seed_team_assessments(cast.people)
    seed_mystery_shops(cast.people)
    seed_equality(cast.people)
    add_welsh()
    date_the_news()
    add_email_settings()  # after the dating: Jo's weekly summary waits with this week's news
    index_rebuild()  # the site search finds it all, with the Welsh and the dates set above
    return {
        "organisations": Organisation.objects.count(),
        "services": Service.objects.count(),
        "people": User.objects.count(),
    }
