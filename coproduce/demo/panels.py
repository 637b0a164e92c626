"""The citizen-panel chapter of the demo: three panels at three points of their life.

- **Neighbourhood policing** ran a panel of 24 residents: letters with a registration code went
  to 3,000 of 6,000 addresses (drawn by area), 300 people registered, and the panel was drawn
  with LEXIMIN under quotas on age band, sex, ethnic group and area (census-like shares of a UK
  town). It met on four Saturdays (agendas, speakers, evidence papers), asked the police a
  question that was answered in public, and voted nine recommendations through at 80 %. The
  police answered all nine through the answer spine: four done, two in progress, two accepted,
  one not accepted with its reasons. Jo Bennett, Priya Sharma and Dave Morgan of the cast were
  among the members.
- **The recovery commissioning panel** (story.py) is the real thing now: twelve people with
  lived experience, drawn by lot from 46 volunteers, met on four evenings; their three
  recommendations became the service's three outcomes (two done, one in progress).
- **The community transport panel** is at registration: letters went to 600 homes in the
  villages a few days ago and a few dozen people have registered. The letter with the code
  ``DEMO_CODE`` was never used, so a visitor can register with it (the README says so).

Everything goes through the panels' and the spine's actions; what happened months ago is then
dated back, as the other chapters do, except the draws: their times are in the public ledger
(decision 0068). Registrants' answers, names and addresses come from seeded generators. Running it
twice changes nothing. What the panels are made of (questions, sessions, recommendations) is in
panels_content.py; this module seeds it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db.models import Max, Min
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import DEFAULT_PASSWORD
from coproduce.contributions import actions as spine
from coproduce.contributions.models import Contribution, Response, StatusChange
from coproduce.demo.panels_content import (
    ACCESS,
    AREA,
    AVAILABILITY,
    FIRST_NAMES,
    LAST_NAMES,
    POLICING_ADDRESSES,
    POLICING_AREAS,
    POLICING_LETTERS,
    POLICING_POOL,
    POLICING_PROPOSALS,
    POLICING_QUESTION,
    POLICING_QUESTION_ANSWER,
    POLICING_QUESTIONS,
    POLICING_SEED,
    POLICING_SESSIONS,
    RECOVERY_POOL,
    RECOVERY_PROPOSALS,
    RECOVERY_QUESTIONS,
    RECOVERY_SEED,
    RECOVERY_SESSIONS,
    TRANSPORT_ADDRESSES,
    TRANSPORT_AREAS,
    TRANSPORT_LETTERS,
    TRANSPORT_QUESTIONS,
    TRANSPORT_REGISTERED,
    Area,
    Meeting,
    Proposal,
    Question,
)
from coproduce.panels import actions, actions_deliberation, actions_selection
from coproduce.panels.models import (
    ANSWER_DAYS,
    PHASE_ORDER,
    PREFER_NOT_TO_SAY,
    Invitation,
    Panel,
    Phase,
    Recommendation,
    RecommendationStatus,
    Registrant,
    RegistrantStatus,
    RegistrationData,
    SelectionStatus,
    VotingRound,
)
from coproduce.panels.tasks import run_selection
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service, Stage
from coproduce.services.tests.factories import ActivityFactory

POLICING = "neighbourhood-policing-in-northfield"
RECOVERY = "drug-and-alcohol-recovery-service"
TRANSPORT = "community-transport-scheme"
POLICING_PANEL = "Citizens' panel on neighbourhood policing"
RECOVERY_PANEL = "Recovery commissioning panel"  # story.py's activity
TRANSPORT_PANEL = "Community transport panel"

POLICE_ADMIN = "insp.jones@police-eastvale.example"
POLICE_STAFF = "pc.ali@police-eastvale.example"
RECOVERY_STAFF = "tom.price@northfield.example"
RECOVERY_ADMIN = "amira.khan@northfield.example"
TRANSPORT_ADMIN = "dee.walsh@nca.example"
RESIDENT = "resident@example.org"  # Jo Bennett, the README's demo resident
PRIYA = "priya.s@example.org"
DAVE = "dave.m@example.org"

# The unused letter of the transport panel: anyone trying the demo registers with it. Eight
# characters of actions_selection.CODE_ALPHABET (no 0/O, 1/I). Each code registers one person.
DEMO_CODE = "TRYPANEL"

THURSDAY, SATURDAY = (
    3,
    5,
)  # the recovery panel met on Thursday evenings, the policing one on Saturdays


def _day(days: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment ``days`` from today (negative: in the past), in the site's time zone."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _date(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def _activity(service_slug: str, title: str) -> Activity | None:
    return Activity.objects.filter(service_stage__service__slug=service_slug, title=title).first()


def _accounts(pairs: Sequence[tuple[str, str]]) -> None:
    """Accounts for members who are not in the cast, made in bulk with one hash of the demo
    password (one hash each would take a second apiece); they can sign in like any demo account."""
    have = set(
        User.objects.filter(email__in=[e for e, _n in pairs]).values_list("email", flat=True)
    )
    missing = [(email, name) for email, name in pairs if email not in have]
    if not missing:
        return
    password = make_password(DEFAULT_PASSWORD)
    User.objects.bulk_create(User(email=e, name=n, password=password) for e, n in missing)
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for user in User.objects.filter(email__in=[e for e, _n in missing])
    )


# --- Setting up, inviting, registering and drawing -----------------------------------------------


def _set_up(
    activity: Activity,
    by: User,
    question: str,
    size: int,
    questions: Sequence[Question],
    **fields: Any,
) -> Panel:
    """The panel with its quota categories: quotas from the population's shares, or by hand."""
    panel = actions.panel_create(activity=activity, by=by, question=question, size=size, **fields)
    for spec in questions:
        category = actions.category_add(
            panel=panel,
            by=by,
            name=spec.name,
            values=list(spec.shares),
            allow_prefer_not_to_say=spec.prefer_not_to_say,
        )
        if not spec.seats:
            actions.quotas_from_population(category=category, by=by, shares=spec.shares)
            continue
        for feature in category.features.all():
            low, high = spec.seats[feature.value]
            actions.quota_set(feature=feature, by=by, minimum=low, maximum=high)
    return panel


def _advance(panel: Panel, by: User, phase: str) -> Panel:
    """Move the panel forward, one phase at a time, to ``phase``."""
    while PHASE_ORDER.index(panel.phase) < PHASE_ORDER.index(phase):
        following = PHASE_ORDER[PHASE_ORDER.index(panel.phase) + 1]
        panel = actions.phase_set(panel=panel, by=by, phase=following)
    return panel


def _address_list(
    rng: random.Random, areas: Sequence[Area], shares: Mapping[str, int], count: int
) -> str:
    """The council's address list of the areas as a CSV, each area's share of ``count``."""
    total = sum(shares.values())
    rows = ["property_reference,address_line_1,address_line_2,postcode,area"]
    reference = 0
    for area in areas:
        for _n in range(count * shares[area.name] // total):
            reference += 1
            street = rng.choice(area.streets)
            postcode = (
                f"{area.district} {rng.randint(1, 9)}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXY')}{rng.choice('ABDEFGHJLNPQRSTUWXY')}"
            )
            rows.append(
                f"{area.district}-{reference:06d},{rng.randint(1, 180)} {street},{area.place},"
                f"{postcode},{area.name}"
            )
    return "\n".join(rows) + "\n"


def _invite(
    panel: Panel,
    by: User,
    rng: random.Random,
    questions: Sequence[Question],
    areas: Sequence[Area],
    addresses: int,
    letters: int,
    seed: int,
) -> list[Invitation]:
    """Import the address list and draw the letters, stratified by area."""
    shares = next(question.shares for question in questions if question.name == AREA)
    text = _address_list(rng, areas, shares, addresses)
    actions_selection.invitations_import(panel=panel, by=by, text=text, source="addresses.csv")
    return actions_selection.invitations_draw(
        panel=panel, by=by, count=letters, seed=seed, stratify=True
    )


def _answer(rng: random.Random, spec: Question) -> str:
    """One registrant's answer: the population's shares, weighted by who tends to register."""
    values = list(spec.shares)
    weights = [spec.shares[v] * spec.turnout.get(v, 1.0) for v in values]
    if spec.prefer_not_to_say and rng.random() < 0.04:
        return PREFER_NOT_TO_SAY
    return rng.choices(values, weights=weights)[0]


def _register(
    panel: Panel,
    questions: Sequence[Question],
    rng: random.Random,
    count: int,
    letters: Sequence[Invitation] = (),
    opened: int = -30,
    closed: int = 0,
) -> list[Registrant]:
    """``count`` people register, with the code of one of ``letters`` where given (their area
    is the letter's), each on a day between ``opened`` and ``closed``."""
    registrants = []
    with_letters = rng.sample(list(letters), count) if letters else []
    for n in range(count):
        letter = with_letters[n] if with_letters else None
        answers = {
            spec.name: letter.area
            if letter is not None and spec.name == AREA
            else _answer(rng, spec)
            for spec in questions
        }
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        registrants.append(
            actions_selection.registrant_register(
                panel=panel,
                answers=answers,
                name=f"{first} {last}",
                email=f"{first}.{last}.{panel.pk}{n:03d}@example.org".lower(),
                code=(letter.registration_code or "") if letter is not None else "",
                phone=f"07700 900{rng.randint(0, 999):03d}",
                availability=rng.choice(AVAILABILITY),
                access_needs=list(rng.choice(ACCESS)),
                consent=True,
            )
        )
    for registrant in registrants:  # registrations came in over the weeks letters were out
        registrant.created_at = _day(
            rng.randint(opened, closed), rng.randint(8, 21), rng.randint(0, 59)
        )
    Registrant.objects.bulk_update(registrants, ["created_at"])
    return registrants


def _draw(panel: Panel, by: User, seed: int) -> Panel:
    """Commit the seed (its hash goes in the ledger), then draw as the coordinator's button does."""
    panel = _advance(panel, by, Phase.SELECTION)
    committed = actions_selection.seed_commit(panel=panel, by=by, seed=seed)
    actions_selection.selection_start(selection=committed, by=by)
    selection = run_selection(committed.pk)
    if selection is None or selection.status != SelectionStatus.DONE:
        raise RuntimeError(f"The demo draw of {panel} failed: {selection and selection.error}")
    return panel


def _seat(panel: Panel, by: User, cast: Sequence[str]) -> list[User]:
    """Everyone drawn confirms and gets a seat in the workspace with their account. The cast's
    residents take the first seats: their registration data carry their names (decision 0068)."""
    drawn = list(panel.registrants.filter(status=RegistrantStatus.SELECTED).order_by("pk"))
    for registrant in drawn:
        actions_selection.registrant_respond(registrant=registrant, by=by, confirm=True)
    for registrant, email in zip(drawn, cast, strict=False):
        user = User.objects.get(email=email)
        RegistrationData.objects.filter(pk=registrant.pk).update(name=user.name, email=email)
    data = dict(
        RegistrationData.objects.filter(registrant__in=drawn).values_list("registrant", "email")
    )
    names = dict(
        RegistrationData.objects.filter(registrant__in=drawn).values_list("registrant", "name")
    )
    _accounts([(data[r.pk], names[r.pk]) for r in drawn])
    members = [
        actions_deliberation.member_add(panel=panel, by=by, email=data[r.pk], registrant=r)
        for r in drawn
    ]
    return [member.user for member in members]


# --- Deliberating, voting and answering ----------------------------------------------------------


def _meet(panel: Panel, by: User, meetings: Sequence[Meeting], weekday: int) -> list[int]:
    """The sessions and their papers, each on the ``weekday`` (Monday 0) on or before its day.
    Returns the days they were on, counted from today."""
    days = []
    for meeting in meetings:
        on = meeting.day - ((timezone.localdate().weekday() + meeting.day - weekday) % 7)
        days.append(on)
        session = actions_deliberation.session_create(
            panel=panel,
            by=by,
            title=meeting.title,
            starts_at=_day(on, meeting.hour),
            place=meeting.place,
            agenda=meeting.agenda,
            speakers=meeting.speakers,
        )
        for paper in meeting.papers:
            actions_deliberation.evidence_add(
                session=session,
                by=by,
                title=paper.title,
                url=paper.url,
                description=paper.description,
            )
    return days


def _vote(
    panel: Panel,
    by: User,
    members: Sequence[User],
    proposals: Sequence[Proposal],
    drafted: int,
    voted: int,
) -> dict[str, Recommendation]:
    """Members draft every proposal at the ``drafted`` day's session and vote on them at the
    ``voted`` day's: ``against`` members vote against, the others for. Returns the results by
    title."""
    drafts = [
        actions_deliberation.recommendation_draft(
            panel=panel, by=members[n % len(members)], title=p.title, text=p.text
        )
        for n, p in enumerate(proposals)
    ]
    voting_round = actions_deliberation.voting_open(panel=panel, by=by)
    for n, (recommendation, proposal) in enumerate(zip(drafts, proposals, strict=True)):
        for k, member in enumerate(members):
            against = (k - n) % len(members) < proposal.against
            actions_deliberation.vote_cast(
                recommendation=recommendation, by=member, supports=not against
            )
    results = actions_deliberation.voting_close(panel=panel, by=by)
    # Dated to the session they were finished and voted at.
    opened, closed = _day(voted, 13, 15), _day(voted, 14, 5)
    VotingRound.objects.filter(pk=voting_round.pk).update(opened_at=opened, closed_at=closed)
    for n, recommendation in enumerate(results):
        fields: dict[str, object] = {"created_at": _day(drafted, 14, n)}
        if recommendation.status == RecommendationStatus.PUBLISHED:
            fields |= {
                "published_at": closed,
                "answer_due": closed.date() + dt.timedelta(days=ANSWER_DAYS),
            }
            Contribution.objects.filter(panel_recommendation=recommendation).update(
                created_at=closed
            )
        Recommendation.objects.filter(pk=recommendation.pk).update(**fields)
    return {recommendation.title: recommendation for recommendation in results}


def _reply(contribution: Contribution, by: User, body: str, moment: dt.datetime) -> None:
    """An official answer through the spine, dated to when it was given."""
    response = spine.response_create(contribution=contribution, author=by, body=body)
    Response.objects.filter(pk=response.pk).update(created_at=moment)
    times = Response.objects.filter(contribution=contribution).aggregate(
        first=Min("created_at"), last=Max("created_at")
    )
    Contribution.objects.filter(pk=contribution.pk).update(
        first_response_at=times["first"], last_response_at=times["last"]
    )


def _answer_all(
    by: User, results: Mapping[str, Recommendation], proposals: Sequence[Proposal]
) -> None:
    """The organisation's answers and statuses, step by step, dated to when they happened."""
    for proposal in proposals:
        contribution = results[proposal.title].contribution
        if contribution is None:
            continue  # not enough support: nothing to answer
        for n, step in enumerate(proposal.steps):
            moment = _day(step.day, 11, n)
            if step.status:
                spine.contribution_set_status(
                    contribution=contribution,
                    to_status=step.status,
                    changed_by=by,
                    reason=step.reason,
                )
                StatusChange.objects.filter(
                    contribution=contribution, to_status=step.status
                ).update(created_at=moment)
            if step.body:
                _reply(contribution, by, step.body, moment)


# --- The three panels ----------------------------------------------------------------------------------


def _policing_activity() -> Activity | None:
    """The panel ran in this cycle's commissioning, before the priorities meeting (story.py)."""
    service = Service.objects.filter(slug=POLICING).first()
    if service is None:
        return None
    return _activity(POLICING, POLICING_PANEL) or ActivityFactory(
        service=service,
        stage=Stage.COMMISSIONING,
        kind=ActivityKind.CITIZEN_PANEL,
        state=ActivityState.REPORTED,
        title=POLICING_PANEL,
        summary="Twenty-four residents, chosen by a fair lottery from the 300 people who answered "
        "a letter, spent four Saturdays learning about neighbourhood policing and made nine "
        "recommendations to the police.",
        how_to_take_part="Letters with a registration code went to 3,000 homes picked at random "
        "in the four wards. Members were paid £60 for each Saturday, with travel and childcare.",
        opens_on=_date(-170),
        closes_on=_date(-75),
        outcome="The police answered all nine recommendations. They accepted eight: four are "
        "done, including making e-bike theft a priority, and two are under way. They did not "
        "accept opening the front counter in the evenings, and said why.",
    )


def _policing(people: dict[str, User]) -> None:
    activity = _policing_activity()
    if activity is None or Panel.objects.filter(activity=activity).exists():
        return
    inspector, officer = people[POLICE_ADMIN], people[POLICE_STAFF]
    rng = random.Random(13)  # noqa: S311 (made-up residents, the same every time)
    panel = _set_up(
        activity,
        inspector,
        "How should the neighbourhood team keep Northfield safe, and how should it tell "
        "residents what it is doing?",
        24,
        POLICING_QUESTIONS,
        invitations_sent_on=_date(-170),
        registration_closes_on=_date(-145),
        selection_on=_date(-140),
        deliberation_starts_on=_date(-126),
        closes_on=_date(-75),
    )
    panel = _advance(panel, inspector, Phase.INVITATIONS)
    letters = _invite(
        panel,
        inspector,
        rng,
        POLICING_QUESTIONS,
        POLICING_AREAS,
        POLICING_ADDRESSES,
        POLICING_LETTERS,
        seed=2026,
    )
    panel = _advance(panel, inspector, Phase.REGISTRATION)
    _register(panel, POLICING_QUESTIONS, rng, POLICING_POOL, letters, opened=-168, closed=-145)
    panel = _draw(panel, inspector, POLICING_SEED)
    members = _seat(panel, inspector, [RESIDENT, PRIYA, DAVE])
    panel = _advance(panel, inspector, Phase.DELIBERATION)
    days = _meet(panel, inspector, POLICING_SESSIONS, SATURDAY)
    # Jo asked after the first session; the answer came before the second.
    question = actions_deliberation.question_ask(
        panel=panel, by=people[RESIDENT], text=POLICING_QUESTION
    )
    Contribution.objects.filter(pk=question.pk).update(created_at=_day(days[0] + 1, 9))
    _reply(question.contribution, inspector, POLICING_QUESTION_ANSWER, _day(days[1] - 3, 16))
    results = _vote(panel, inspector, members, POLICING_PROPOSALS, drafted=days[2], voted=days[3])
    _answer_all(inspector, results, POLICING_PROPOSALS[:5])
    _answer_all(officer, results, POLICING_PROPOSALS[5:])
    _advance(panel, inspector, Phase.CLOSED)


def _recovery(people: dict[str, User]) -> None:
    activity = _activity(RECOVERY, RECOVERY_PANEL)
    if activity is None or Panel.objects.filter(activity=activity).exists():
        return
    commissioner = people[RECOVERY_STAFF]
    rng = random.Random(12)  # noqa: S311 (made-up residents, the same every time)
    panel = _set_up(
        activity,
        commissioner,
        "What must the new recovery service achieve, and which bid would do it best?",
        12,
        RECOVERY_QUESTIONS,
        registration_closes_on=_date(-246),
        selection_on=_date(-243),
        deliberation_starts_on=_date(-236),
        closes_on=_date(-200),
        allow_volunteers=True,  # names put forward on paper forms, typed in by staff
    )
    panel = _advance(panel, commissioner, Phase.REGISTRATION)
    _register(panel, RECOVERY_QUESTIONS, rng, RECOVERY_POOL, opened=-275, closed=-246)
    panel = _draw(panel, commissioner, RECOVERY_SEED)
    members = _seat(panel, commissioner, [])
    panel = _advance(panel, commissioner, Phase.DELIBERATION)
    days = _meet(panel, commissioner, RECOVERY_SESSIONS, THURSDAY)
    results = _vote(
        panel, commissioner, members, RECOVERY_PROPOSALS, drafted=days[2], voted=days[3]
    )
    _answer_all(people[RECOVERY_ADMIN], results, RECOVERY_PROPOSALS)
    _advance(panel, commissioner, Phase.CLOSED)


def _transport(people: dict[str, User]) -> None:
    service = Service.objects.filter(slug=TRANSPORT).first()
    if service is None or _activity(TRANSPORT, TRANSPORT_PANEL) is not None:
        return
    activity = ActivityFactory(
        service=service,
        kind=ActivityKind.CITIZEN_PANEL,
        state=ActivityState.OPEN,
        title=TRANSPORT_PANEL,
        summary="Sixteen people from the villages, chosen by a fair lottery, will meet four "
        "times to decide what the scheme should do more of, and what less.",
        how_to_take_part="Letters with a registration code went to 600 homes in the villages, "
        "picked at random. If you got one, register by the date on the letter, online or by "
        "phone on 01632 960 300. Members are paid for their time, and travel is free.",
        opens_on=_date(-9),
        closes_on=_date(75),
    )
    coordinator = people[TRANSPORT_ADMIN]
    rng = random.Random(600)  # noqa: S311 (made-up residents, the same every time)
    panel = _set_up(
        activity,
        coordinator,
        "How should community transport change so that nobody in the villages is cut off?",
        16,
        TRANSPORT_QUESTIONS,
        invitations_sent_on=_date(-9),
        registration_closes_on=_date(12),
        selection_on=_date(14),
        deliberation_starts_on=_date(28),
        closes_on=_date(75),
    )
    panel = _advance(panel, coordinator, Phase.INVITATIONS)
    letters = _invite(
        panel,
        coordinator,
        rng,
        TRANSPORT_QUESTIONS,
        TRANSPORT_AREAS,
        TRANSPORT_ADDRESSES,
        TRANSPORT_LETTERS,
        seed=505,
    )
    # The demo's letter: its code is fixed (not random) so that the README can print it.
    Invitation.objects.filter(pk=letters[0].pk).update(registration_code=DEMO_CODE)
    panel = _advance(panel, coordinator, Phase.REGISTRATION)
    _register(
        panel, TRANSPORT_QUESTIONS, rng, TRANSPORT_REGISTERED, letters[1:], opened=-8, closed=0
    )


def seed_panels(people: dict[str, User]) -> None:
    """The policing panel (done and answered), the recovery commissioning panel (done) and the
    transport panel at registration, with the demo code."""
    _policing(people)
    _recovery(people)
    _transport(people)
