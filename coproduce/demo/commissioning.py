"""The commissioning chapter of the demo: young people weigh the award criteria of the youth
mental health service's next contract.

"Young people's mental health support 2027–2030" (£1.2 million over three years, price 30 % of
the award) answers two of the service's decisions and three of its outcome indicators. Fifty
young people shared 100 points across its six criteria while the weighting was open; it closed
last month, and Sam Reid published the weights with one change, and the reason for it. Every
weighting was answered with the result. A second, smaller round ("Peer support in schools and
colleges") is open, so that a visitor can weigh its criteria. The main round's bids, evaluation
and award are in commissioning_bids.py.

Everything goes through the commissioning actions (the weightings while the weighting was open,
then the dates are moved into the past). Running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.commissioning import actions
from coproduce.commissioning.models import CriterionKind, Round, Weighting
from coproduce.contributions.actions import decision_create
from coproduce.contributions.models import AuthorDisplay, Contribution, Decision, Response
from coproduce.demo.commissioning_bids import seed_bids_and_award
from coproduce.demo.outcomes import KEEPER, LISTENED, YOUTH
from coproduce.notifications.models import Notification
from coproduce.outcomes.models import Indicator
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service, Stage
from coproduce.services.tests.factories import ActivityFactory

TITLE = "Young people's mental health support 2027–2030"
OPEN_TITLE = "Peer support in schools and colleges 2027–2029"
WEIGHERS = 50  # young people who weighed the main round's criteria
OPEN_WEIGHERS = 9  # and, so far, the open round's
SAFEGUARDING = "Keeping young people safe"
RAISE = 3  # points staff added to safeguarding, from the criterion residents weighed most
ANSWERED = ["Seen within four weeks of referral", LISTENED]
LOCAL_JOBS = "Local young people employed as peer supporters"

# Criterion → what bidders must show: the first three are quality, the others social value.
CRITERIA = {
    "Help within four weeks": "How you will see every young person within four weeks of "
    "referral, and keep in touch while they wait.",
    "Listened to the first time": "How the first person a young person tells will know what to "
    "do, so nobody has to tell their story three times.",
    SAFEGUARDING: "Your safeguarding policy, training and how you act on concerns the same day.",
    "Jobs for local young people": "How many young people from Northfield and Eastvale you will "
    "train and pay as peer supporters.",
    "Money spent locally": "What share of your spending goes to suppliers in the two boroughs.",
    "Help close to home": "How many appointments will be online or within walking distance.",
}
LEANING = [26, 22, 10, 18, 12, 12]  # what young people care about, on average, in that order
SERVES = {  # the outcome indicator each criterion serves (outcomes.py)
    "Help within four weeks": ANSWERED[0],
    "Listened to the first time": ANSWERED[1],
    "Jobs for local young people": LOCAL_JOBS,
    "Money spent locally": "Spent with local suppliers",
    "Help close to home": "Appointments online or within walking distance",
}
OPEN_CRITERIA = [
    ("Trained peer supporters in every school", CriterionKind.QUALITY, 40),
    ("Quick to pass on worries to a nurse", CriterionKind.QUALITY, 30),
    ("Paid roles for sixth-formers", CriterionKind.SOCIAL_VALUE, 20),
    ("Working with youth clubs", CriterionKind.SOCIAL_VALUE, 10),
]


def _days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def _noon(n: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(_days(n), dt.time(12, 0)))


def _young_people(count: int) -> list[User]:
    """Young people who weighed, made in bulk (they cannot sign in: no password)."""
    emails = [f"weigh{n:02d}@young.northfield.example" for n in range(1, count + 1)]
    have = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    unusable = make_password(None)
    User.objects.bulk_create(
        User(email=email, name="", password=unusable) for email in emails if email not in have
    )
    return list(User.objects.filter(email__in=emails).order_by("email"))


def _points(rng: random.Random, leaning: list[int]) -> list[int]:
    """One person's 100 points: the leaning, varied a lot person to person, in whole points."""
    if rng.random() < 0.08:  # a few put everything on what matters most to them
        points = [0] * len(leaning)
        points[rng.randrange(len(leaning))] = 100
        return points
    shares = [rng.gammavariate(lean / 4, 1) if rng.random() > 0.1 else 0 for lean in leaning]
    total = sum(shares) or 1
    points = [int(100 * share / total) for share in shares]
    points[max(range(len(points)), key=lambda i: shares[i])] += 100 - sum(points)
    return points


def _activity(service: Service, title: str, summary: str, opened: int, closes: int) -> Activity:
    return ActivityFactory(
        service=service,
        kind=ActivityKind.COMMISSIONING_ROUND,
        state=ActivityState.OPEN,
        title=title,
        summary=summary,
        how_to_take_part="Sign in and share 100 points across the award criteria, on this page.",
        opens_on=_days(opened),
        closes_on=_days(closes),
    )


def _weigh(round_: Round, people: list[User], leaning: list[int], seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 (made-up points, the same every time)
    keys = list(round_.criteria.values_list("pk", flat=True))
    for person in people:
        points = dict(zip(keys, _points(rng, leaning), strict=True))
        actions.weighting_save(
            round_=round_, person=person, points=points, author_display=AuthorDisplay.ANONYMOUS
        )


def _decision(service: Service, keeper: User) -> Decision:
    """The board's decision to commission the service this way, before the round opened."""
    return decision_create(
        service=service,
        stage=Stage.COMMISSIONING,
        title="Commission youth mental health support for three years from 2027",
        description="Bidders will be judged on quality and social value as well as price, and "
        "young people will set how much each award criterion counts.",
        decided_by="Health and Wellbeing Board",
        decided_on=_days(-70),
        recorded_by=keeper,
        # What young people had said before it: the service's earliest published ideas.
        contributions=Contribution.objects.published()
        .filter(
            activity__service_stage__service=service,
            kind="idea",
            created_at__date__lt=_days(-70),
        )
        .order_by("created_at")[:3],
    )


def _main_round(service: Service, keeper: User, people: dict[str, User]) -> None:
    activity = _activity(
        service,
        TITLE,
        "The contract for the service from 2027: young people set how much each award "
        "criterion counts.",
        opened=-65,
        closes=45,
    )
    named = {i.name: i for i in Indicator.objects.filter(outcome__service=service)}
    fields = actions.RoundFields(
        specification="A mental health service for young people aged 11 to 25 in Northfield and "
        "Eastvale: seen within four weeks, listened to the first time, helped close to home by "
        "staff and trained peer supporters from the two boroughs. It carries on what young "
        "people decided with this year's budget.",
        contract_value=Decimal("1200000"),
        contract_months=36,
        weighting_closes_on=_days(1),  # open while the young people weigh; moved back below
        questions_close_on=_days(10),
        bids_close_at=_noon(24),
        evaluation_on=_days(30),
        award_on=_days(45),
        price_weight=30,
    )
    round_ = actions.round_save(
        activity=activity,
        by=keeper,
        fields=fields,
        decisions=[*service.decisions.order_by("decided_on", "pk")[:1], _decision(service, keeper)],
        indicators=[named[name] for name in (*ANSWERED, LOCAL_JOBS) if name in named],
    )
    for n, (name, description) in enumerate(CRITERIA.items()):
        actions.criterion_add(
            round_=round_,
            by=keeper,
            kind=CriterionKind.QUALITY if n < 3 else CriterionKind.SOCIAL_VALUE,
            name=name,
            description=description,
            indicators=[named[SERVES[name]]] if SERVES.get(name) in named else [],
        )
    _weigh(round_, _young_people(WEIGHERS), LEANING, seed=27)
    computed = actions.residents_weights(round_)
    safeguarding = round_.criteria.get(name=SAFEGUARDING).pk
    top = max(computed, key=lambda key: computed[key])
    changed = {**computed, safeguarding: computed[safeguarding] + RAISE, top: computed[top] - RAISE}
    top_name = round_.criteria.get(pk=top).name
    actions.weights_publish(
        round_=round_,
        by=keeper,
        changed=changed,
        reason=f"Safeguarding is a legal minimum; we raised it from {computed[safeguarding]} to "
        f"{changed[safeguarding]} points and took the {RAISE} points from “{top_name}”, which "
        "young people weighed most.",
    )
    seed_bids_and_award(round_, keeper, people)
    _date(round_)


def _date(round_: Round) -> None:
    """Weighing took place over four weeks and closed last month; the weights came days later."""
    published = timezone.now() - dt.timedelta(days=32)
    Round.objects.filter(pk=round_.pk).update(
        weighting_closes_on=_days(-35), weights_published_at=published
    )
    weightings = Weighting.objects.filter(round=round_).order_by("pk")
    for n, weighting in enumerate(weightings):
        when = timezone.now() - dt.timedelta(days=62 - n * 26 // WEIGHERS, hours=n % 9)
        Contribution.objects.filter(pk=weighting.pk).update(
            created_at=when, first_response_at=published, last_response_at=published
        )
        Weighting.objects.filter(pk=weighting.pk).update(updated_at=when)
    Response.objects.filter(contribution__weighting__round=round_).update(created_at=published)
    # Each weigher heard of the answer when it came (the weights page has no contribution key
    # in its address for demo.news to date it by).
    Notification.objects.filter(
        user__in=weightings.values("person"), url__startswith=round_.get_absolute_url()
    ).update(created_at=published, emailed_at=published, read_at=published + dt.timedelta(days=1))


def _open_round(service: Service, keeper: User) -> None:
    activity = _activity(
        service,
        OPEN_TITLE,
        "Young people trained to listen, in every secondary school and college: say what "
        "matters most when we choose who runs it.",
        opened=-5,
        closes=50,
    )
    round_ = actions.round_save(
        activity=activity,
        by=keeper,
        fields=actions.RoundFields(
            specification="Peer listeners in every secondary school and college of the two "
            "boroughs, trained and supervised, who pass worries on to a school nurse the same "
            "day.",
            contract_value=Decimal("360000"),
            contract_months=24,
            weighting_closes_on=_days(12),
            questions_close_on=_days(20),
            bids_close_at=_noon(30),
            evaluation_on=_days(36),
            award_on=_days(50),
            price_weight=40,
        ),
    )
    for name, kind, _lean in OPEN_CRITERIA:
        actions.criterion_add(round_=round_, by=keeper, kind=kind, name=name)
    people = _young_people(WEIGHERS)[:OPEN_WEIGHERS]
    _weigh(round_, people, [c[2] for c in OPEN_CRITERIA], seed=29)


def seed_commissioning(people: dict[str, User]) -> None:
    """The youth mental health service's two commissioning rounds (after its outcomes)."""
    service = Service.objects.filter(slug=YOUTH).first()
    if (
        service is None
        or Activity.objects.filter(service_stage__service=service, title=TITLE).exists()
    ):
        return
    keeper = people[KEEPER]
    _main_round(service, keeper, people)
    _open_round(service, keeper)
