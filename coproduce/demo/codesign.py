"""The co-design chapter of the demo: living idea challenges, supported, discussed and answered.

Every demo service with an idea challenge gets ideas, supports, threaded comments, questions with
official answers, and ideas moved along their statuses — adopted, adapted, not taken forward (with
the reason), in delivery and delivered — plus a decision that the adopted ideas informed. The youth
mental health service gets an idea challenge that is open now, with a held idea waiting for a
moderator, a reported idea, ideas still waiting for an answer, comments people agree with, and a
supports threshold that two ideas have reached (one answered, one due).

Everything goes through the factories and actions. Challenges that have already closed are
reopened for a moment to take their ideas (as the insight chapter does), then everything is dated
back to when it happened. Running it twice changes nothing: a challenge that already has
contributions is left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.codesign import actions, spam
from coproduce.codesign.models import (
    Comment,
    Idea,
    IdeaCategory,
    IdeaStatus,
)
from coproduce.codesign.tests.factories import CommentFactory, IdeaChallengeFactory, IdeaFactory
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import Contribution, Response, StatusChange, Visibility
from coproduce.insight.models import InsightKind
from coproduce.insight.tests.factories import open_for_seeding
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service

# Northfield residents who post, support and comment (some also answered the insight surveys).
NEIGHBOURS = [
    ("resident@example.org", "Jo Bennett"),
    ("priya.s@example.org", "Priya Sharma"),
    ("dave.m@example.org", "Dave Morgan"),
    ("amina.yusuf@example.org", "Amina Yusuf"),
    ("gareth.lloyd@example.org", "Gareth Lloyd"),
    ("ellie.chen@example.org", "Ellie Chen"),
    ("marcus.reid@example.org", "Marcus Reid"),
    ("bridget.oconnor@example.org", "Bridget O'Connor"),
    ("tomasz.nowak@example.org", "Tomasz Nowak"),
    ("leah.francis@example.org", "Leah Francis"),
    ("kwame.mensah@example.org", "Kwame Mensah"),
    ("rosie.hughes@example.org", "Rosie Hughes"),
    ("danny.walsh@example.org", "Danny Walsh"),
    ("sophie.turner@example.org", "Sophie Turner"),
    ("imran.hussain@example.org", "Imran Hussain"),
    ("beth.evans@example.org", "Beth Evans"),
    ("callum.price@example.org", "Callum Price"),
    ("nadia.kowalski@example.org", "Nadia Kowalski"),
    ("owen.davies@example.org", "Owen Davies"),
    ("zara.ahmed@example.org", "Zara Ahmed"),
    ("mia.robinson@example.org", "Mia Robinson"),
    ("tyler.brooks@example.org", "Tyler Brooks"),
]


@dataclass
class CommentSpec:
    person: str
    body: str
    question: bool = False
    answer: str = ""  # the team's official answer to a question
    hidden: str = ""  # reported for this reason, then hidden by a moderator
    replies: list[CommentSpec] = field(default_factory=list)
    agreed: int = 0  # how many neighbours agree with it (never Jo Bennett, the browser tests' own)


@dataclass
class IdeaSpec:
    person: str
    title: str
    description: str
    category: str = ""
    display: str = "first_name"
    supporters: int = 0
    comments: list[CommentSpec] = field(default_factory=list)
    answer: str = ""
    # Status moves after the answer: (status, reason, days after the idea was posted).
    statuses: list[tuple[str, str, int]] = field(default_factory=list)
    report: str = ""  # an open report, still waiting for a moderator
    decided: bool = False  # informed the chapter's decision


@dataclass
class ChallengeSpec:
    answerer: str  # a professional or admin of the organisation that runs the service
    moderator: str
    categories: list[str]
    ideas: list[IdeaSpec]
    decision: dict[str, Any] | None = None
    # (supports, working days): ideas with that many supports get a written answer within the
    # days (decision 0026); set once the ideas are in, each reached two days after it was posted.
    threshold: tuple[int, int] | None = None


ADOPTED, ADAPTED, NOT_TAKEN = IdeaStatus.ADOPTED, IdeaStatus.ADAPTED, IdeaStatus.NOT_TAKEN_FORWARD
CONSIDERING, IN_DELIVERY = IdeaStatus.UNDER_CONSIDERATION, IdeaStatus.IN_DELIVERY
DELIVERED = IdeaStatus.DELIVERED

RECOVERY_HUB = ChallengeSpec(
    answerer="tom.price@northfield.example",
    moderator="amira.khan@northfield.example",
    categories=["The building", "Activities", "Families"],
    ideas=[
        IdeaSpec(
            "priya.s@example.org",
            "A café run by people in recovery",
            "A small café at the front of the hub, run by people in recovery as paid trainees. "
            "It would make the hub feel like somewhere you can just walk into, and give people "
            "a first job reference.",
            category="The building",
            display="named",
            supporters=14,
            comments=[
                CommentSpec(
                    "dave.m@example.org",
                    "Yes. Walking into a 'drugs service' is the hardest bit. A café door is easier.",
                ),
                CommentSpec(
                    "ellie.chen@example.org",
                    "Would the trainees be paid, or is it volunteering?",
                    question=True,
                    answer="Paid. The provider will employ four trainees at the Real Living Wage "
                    "for six months each, with a recovery coach alongside.",
                    replies=[
                        CommentSpec(
                            "priya.s@example.org", "That is what makes it work. Thank you."
                        ),
                    ],
                ),
            ],
            answer="We love this and it is in the hub's design. The provider will run the café "
            "with four paid trainees at a time.",
            statuses=[
                (ADOPTED, "", 45),
                (IN_DELIVERY, "The café fit-out started in the spring.", 90),
                (DELIVERED, "The café opened on Station Road in June.", 160),
            ],
            decided=True,
        ),
        IdeaSpec(
            "resident@example.org",
            "A quiet room",
            "Somewhere calm with soft chairs and no posters, where you can sit before an "
            "appointment or when things get too much.",
            category="The building",
            supporters=11,
            comments=[
                CommentSpec("amina.yusuf@example.org", "And a room where you can bring a child."),
            ],
            answer="Agreed. The first-floor room at the back becomes a quiet room, with a "
            "second smaller room families can book. It opens when the first-floor works finish.",
            statuses=[(ADOPTED, "", 45)],
            decided=True,
        ),
        IdeaSpec(
            "amina.yusuf@example.org",
            "Family drop-in on Saturday mornings",
            "Families of people who drink or use drugs need support too, and most of us work "
            "in the week. A Saturday drop-in with a worker who understands.",
            category="Families",
            display="named",
            supporters=16,
            comments=[
                CommentSpec(
                    "gareth.lloyd@example.org",
                    "Would children be welcome?",
                    question=True,
                    answer="Yes. There will be a play corner and a worker from the young "
                    "carers' service on the first Saturday of each month.",
                ),
            ],
            answer="Yes: a family drop-in every Saturday from 10am to 1pm.",
            statuses=[(ADOPTED, "", 40), (IN_DELIVERY, "", 95)],
            decided=True,
        ),
        IdeaSpec(
            "marcus.reid@example.org",
            "A gym in the basement",
            "Exercise helped me more than anything. A small gym would give people something to "
            "do with their evenings.",
            category="Activities",
            supporters=7,
            answer="The basement floods, so a gym there is not safe. Instead Northfield Leisure "
            "Centre will give everyone using the service free off-peak passes.",
            statuses=[
                (
                    ADAPTED,
                    "The basement is not safe for a gym. Free off-peak passes at Northfield "
                    "Leisure Centre instead, from September.",
                    50,
                )
            ],
        ),
        IdeaSpec(
            "dave.m@example.org",
            "A needle exchange vending machine outside",
            "So people can get clean needles at night without having to talk to anyone.",
            category="The building",
            display="anonymous",
            supporters=4,
            comments=[
                CommentSpec(
                    "bridget.oconnor@example.org",
                    "Not outside a café where families go, please.",
                ),
                CommentSpec(
                    "tomasz.nowak@example.org",
                    "Junkies should go somewhere else.",
                    hidden="Insulting to people in recovery.",
                    replies=[
                        CommentSpec(
                            "priya.s@example.org",
                            "People in recovery are our neighbours. Please be kind.",
                        ),
                    ],
                ),
            ],
            answer="Thank you for raising this. Needle exchange stays at the two pharmacies "
            "that already run it, one of them open until midnight.",
            statuses=[
                (
                    NOT_TAKEN,
                    "Needle exchange is already offered at two pharmacies nearby, one open "
                    "until midnight, and the hub's licence does not cover it.",
                    50,
                )
            ],
        ),
        IdeaSpec(
            "leah.francis@example.org",
            "Evening peer support group",
            "A group run by people who have been there, on weekday evenings after work.",
            category="Activities",
            supporters=9,
        ),
    ],
    decision={
        "title": "The recovery hub will have a café, a quiet room and a Saturday family drop-in",
        "description": "The three ideas residents supported most are in the hub's design and "
        "the provider's contract.",
        "decided_by": "Public Health Commissioning Board",
        "days_ago": 140,
    },
)

SAFER_STREETS = ChallengeSpec(
    answerer="pc.ali@police-eastvale.example",
    moderator="insp.jones@police-eastvale.example",
    categories=["Roads", "Parks", "Town centre"],
    ideas=[
        IdeaSpec(
            "resident@example.org",
            "Speed-watch volunteers outside schools",
            "Trained volunteers with a speed gun outside the three primary schools at drop-off "
            "and pick-up. Drivers slow down when they see people watching.",
            category="Roads",
            display="named",
            supporters=13,
            comments=[
                CommentSpec(
                    "sophie.turner@example.org",
                    "How do I volunteer?",
                    question=True,
                    answer="Come to a beat meeting or email the neighbourhood team. Training "
                    "takes one evening.",
                ),
            ],
            answer="We will train volunteers and start at St Mary's, Westbrook and Northfield "
            "primary schools.",
            statuses=[(ADOPTED, "", 20), (IN_DELIVERY, "", 40), (DELIVERED, "", 120)],
            decided=True,
        ),
        IdeaSpec(
            "imran.hussain@example.org",
            "20mph on every road near a school",
            "Not just outside the gates: the whole area around each school.",
            category="Roads",
            supporters=10,
            answer="Speed limits are set by the council, not the police. We have passed your idea "
            "to Northfield Borough Council's highways team with our support.",
            statuses=[
                (
                    NOT_TAKEN,
                    "The police cannot set speed limits. The idea has gone to the council's "
                    "highways team, with the police's support.",
                    25,
                )
            ],
        ),
        IdeaSpec(
            "kwame.mensah@example.org",
            "Foot patrols at the bus station on Friday nights",
            "That is when the trouble is. A couple of officers walking through would help.",
            category="Town centre",
            supporters=8,
            answer="We cannot staff it every Friday, but officers will walk through on the first "
            "and last Friday of each month, with the council's street wardens in between.",
            statuses=[
                (
                    ADAPTED,
                    "Police foot patrols twice a month, with council street wardens on the "
                    "other Fridays.",
                    30,
                )
            ],
        ),
        IdeaSpec(
            "rosie.hughes@example.org",
            "CCTV in Westbrook Park",
            "Cameras at the two park entrances to stop dealing.",
            category="Parks",
            supporters=5,
            comments=[
                CommentSpec(
                    "owen.davies@example.org",
                    "I would rather have better lighting than cameras watching everyone.",
                ),
            ],
            answer="Cameras would move dealing to the next street, and they cost more than the "
            "team's yearly budget for the park. Better lighting is being looked at instead.",
            statuses=[
                (
                    NOT_TAKEN,
                    "Cameras would move the problem rather than stop it, and cost more than "
                    "the park's budget. Lighting is being considered instead.",
                    30,
                )
            ],
        ),
        IdeaSpec(
            "owen.davies@example.org",
            "Brighter lights on the park path",
            "The path from the station through Westbrook Park is pitch black after 5pm in winter.",
            category="Parks",
            supporters=12,
        ),
    ],
    decision={
        "title": "Speed-watch volunteers outside three primary schools",
        "description": "Residents' top idea became part of the neighbourhood plan for speeding "
        "near schools.",
        "decided_by": "Neighbourhood Inspector",
        "days_ago": 360,
    },
)

ROUTES = ChallengeSpec(
    answerer="lena.novak@nca.example",
    moderator="mo.ahmed@nca.example",
    categories=["Routes", "Booking", "Vehicles"],
    ideas=[
        IdeaSpec(
            "bridget.oconnor@example.org",
            "A weekly timetable for the villages",
            "The same day and time every week for each village, so people can plan around it.",
            category="Routes",
            display="named",
            supporters=12,
            answer="Done: each village now has a fixed morning each week.",
            statuses=[(ADOPTED, "", 15), (IN_DELIVERY, "", 30), (DELIVERED, "", 60)],
            decided=True,
        ),
        IdeaSpec(
            "gareth.lloyd@example.org",
            "A Tuesday run to the market",
            "Most of us want to get to Northfield market on Tuesdays.",
            category="Routes",
            supporters=10,
            answer="The minibus now does a market loop every Tuesday.",
            statuses=[(ADOPTED, "", 15), (IN_DELIVERY, "", 30), (DELIVERED, "", 60)],
            decided=True,
        ),
        IdeaSpec(
            "beth.evans@example.org",
            "Book by text message",
            "Not everyone can wait on the phone in office hours.",
            category="Booking",
            supporters=8,
            comments=[
                CommentSpec(
                    "mia.robinson@example.org",
                    "Would a text still be answered at the weekend?",
                    question=True,
                ),
            ],
        ),
        IdeaSpec(
            "callum.price@example.org",
            "A Sunday service",
            "To get to church and to visit family.",
            category="Routes",
            supporters=6,
            answer="We asked our drivers: not enough can give up Sundays. We will ask again when "
            "new volunteers join.",
            statuses=[
                (
                    NOT_TAKEN,
                    "Not enough volunteer drivers can work on Sundays. We will look again "
                    "when more volunteers join.",
                    20,
                )
            ],
        ),
        IdeaSpec(
            "nadia.kowalski@example.org",
            "A minibus with a wheelchair lift",
            "The car scheme is no good if you cannot get out of your chair.",
            category="Vehicles",
            supporters=11,
            answer="Yes, with a council grant we lease a minibus with a lift; the second vehicle "
            "stays a car.",
            statuses=[
                (
                    ADAPTED,
                    "One wheelchair-accessible minibus, leased with a council grant; the "
                    "scheme keeps its cars as well.",
                    25,
                )
            ],
        ),
    ],
    decision={
        "title": "Weekly village timetable and Tuesday market run",
        "description": "The routes were designed with passengers' two most supported ideas.",
        "decided_by": "Northfield Community Action trustees",
        "days_ago": 470,
    },
)

YOUTH_IDEAS = ChallengeSpec(
    answerer="sam.reid@nhs-northfield.example",
    moderator="grace.obi@nhs-northfield.example",
    categories=["In school", "Online", "In the community"],
    ideas=[
        IdeaSpec(
            "zara.ahmed@example.org",
            "A drop-in at the youth club after school",
            "Somewhere you can just turn up and talk to someone, without a referral or your "
            "parents knowing.",
            category="In the community",
            supporters=15,
            comments=[
                CommentSpec(
                    "tyler.brooks@example.org",
                    "Would you need to give your name?",
                    question=True,
                    answer="No. You could stay anonymous unless you wanted more support.",
                    agreed=3,
                ),
                CommentSpec("mia.robinson@example.org", "Please make it open until 7.", agreed=6),
                CommentSpec(
                    "owen.davies@example.org",
                    "Could it be at the Millbrook club too? Eastgate is two buses away.",
                    agreed=4,
                ),
            ],
            answer="Thank you. This is one of the ideas young people will be able to vote on "
            "in next year's budget vote.",
            statuses=[(CONSIDERING, "", 3)],
        ),
        IdeaSpec(
            "tyler.brooks@example.org",
            "Someone to text at night",
            "The worst times are late at night, when nothing is open.",
            category="Online",
            display="anonymous",
            supporters=12,
            comments=[
                CommentSpec(
                    "sophie.turner@example.org",
                    "There is Shout, but a local one would know the local services.",
                    agreed=5,
                ),
            ],
        ),
        IdeaSpec(
            "mia.robinson@example.org",
            "Trained peer supporters in every secondary school",
            "Older students trained to listen and to know where to send people.",
            category="In school",
            supporters=9,
        ),
        IdeaSpec(
            "callum.price@example.org",
            "Mental health first aid for parents",
            "Parents do not know what to say either. A free evening course.",
            category="In the community",
            supporters=4,
            report="This is an advert: the same course is sold on the author's website.",
        ),
        IdeaSpec(
            "danny.walsh@example.org",
            "Cheap therapy apps",
            "Lots of apps do this already: http://app-one.example http://app-two.example "
            "http://app-three.example",
            category="Online",
        ),
    ],
    threshold=(10, 15),
)

CHALLENGES: dict[tuple[str, str], ChallengeSpec] = {
    ("drug-and-alcohol-recovery-service", "Design the recovery hub"): RECOVERY_HUB,
    ("neighbourhood-policing-in-northfield", "Ideas for safer streets"): SAFER_STREETS,
    ("community-transport-scheme", "Plan the routes with passengers"): ROUTES,
    ("youth-mental-health-support", "Your ideas for young people's mental health"): YOUTH_IDEAS,
}


def _person(people: dict[str, User], email: str) -> User:
    if email not in people:
        people[email] = UserFactory(email=email, name=dict(NEIGHBOURS).get(email, email))
    return people[email]


def _posted_at(activity: Activity, index: int, count: int) -> dt.datetime:
    """Spread the ideas over the first half of the days the challenge was open (up to now)."""
    today = timezone.localdate()
    start = activity.opens_on or today - dt.timedelta(days=14)
    end = min(activity.closes_on or today, today)
    span = max((end - start).days // 2, 1)
    day = start + dt.timedelta(days=span * index // max(count, 1))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10 + index % 8, 5 * index % 60)))


def _not_after_now(moment: dt.datetime) -> dt.datetime:
    return min(moment, timezone.now() - dt.timedelta(hours=1))


def _date(contribution: Contribution, moment: dt.datetime) -> None:
    Contribution.objects.filter(pk=contribution.pk).update(created_at=_not_after_now(moment))


def _answer(contribution: Contribution, body: str, author: User, moment: dt.datetime) -> None:
    response = spine_actions.response_create(contribution=contribution, author=author, body=body)
    when = _not_after_now(moment)
    Response.objects.filter(pk=response.pk).update(created_at=when)
    Contribution.objects.filter(pk=contribution.pk).update(
        first_response_at=when, last_response_at=when
    )


def _comments(
    idea: Idea,
    specs: list[CommentSpec],
    posted: dt.datetime,
    people: dict[str, User],
    parent: Comment | None = None,
) -> list[tuple[Comment, CommentSpec, dt.datetime]]:
    made: list[tuple[Comment, CommentSpec, dt.datetime]] = []
    for index, spec in enumerate(specs):
        moment = posted + dt.timedelta(hours=5 + 7 * index + (3 if parent else 0))
        comment = CommentFactory(
            idea=idea,
            parent=parent,
            author=_person(people, spec.person),
            body=spec.body,
            is_question=spec.question,
        )
        _date(comment.contribution, moment)
        agreers = [
            person
            for email, _name in NEIGHBOURS
            if email not in (spec.person, "resident@example.org")
            for person in [_person(people, email)]
        ]
        start = (5 * len(made) + len(spec.body)) % len(agreers)
        for person in (agreers[start:] + agreers[:start])[: spec.agreed]:
            actions.agreement_add(comment=comment, user=person)
        made.append((comment, spec, moment))
        made += _comments(idea, spec.replies, moment, people, parent=comment)
    return made


def _challenge(activity: Activity, spec: ChallengeSpec, people: dict[str, User]) -> None:
    answerer = _person(people, spec.answerer)
    moderator = _person(people, spec.moderator)
    supporters = [_person(people, email) for email, _name in NEIGHBOURS]
    posted: list[tuple[Idea, IdeaSpec, dt.datetime]] = []
    comments: list[tuple[Comment, CommentSpec, dt.datetime]] = []
    with open_for_seeding(activity):
        categories = {
            name: actions.idea_category_create(activity=activity, name=name, created_by=answerer)
            for name in spec.categories
        }
        for index, idea_spec in enumerate(spec.ideas):
            moment = _posted_at(activity, index, len(spec.ideas))
            author = _person(people, idea_spec.person)
            idea = IdeaFactory(
                activity=activity,
                author=author,
                title=idea_spec.title,
                description=idea_spec.description,
                category=categories.get(idea_spec.category),
                author_display=idea_spec.display,
            )
            _date(idea.contribution, moment)
            posted.append((idea, idea_spec, moment))
            if idea.contribution.visibility != "published":
                continue  # held for a moderator: nobody can support or comment yet
            backers = [p for p in supporters if p.pk != author.pk]
            start = (7 * index) % len(backers)
            for person in (backers[start:] + backers[:start])[: idea_spec.supporters]:
                actions.support_add(idea=idea, user=person)
            comments += _comments(idea, idea_spec.comments, moment, people)
    # After the challenge: reports, moderation, answers and statuses, dated to when they happened.
    for comment, comment_spec, moment in comments:
        if comment_spec.hidden:
            spine_actions.report_create(
                contribution=comment.contribution,
                reporter=_person(people, "resident@example.org"),
                reason=comment_spec.hidden,
            )
            spine_actions.moderation_hide(contribution=comment.contribution, moderator=moderator)
        elif comment_spec.answer:
            _answer(comment.contribution, comment_spec.answer, answerer, moment + dt.timedelta(1))
    decided = []
    for idea, idea_spec, moment in posted:
        if idea_spec.report:
            spine_actions.report_create(
                contribution=idea.contribution,
                reporter=_person(people, "priya.s@example.org"),
                reason=idea_spec.report,
            )
        if idea_spec.answer:
            _answer(idea.contribution, idea_spec.answer, answerer, moment + dt.timedelta(days=6))
        for status, reason, after in idea_spec.statuses:
            spine_actions.contribution_set_status(
                contribution=idea.contribution, to_status=status, reason=reason, changed_by=answerer
            )
            StatusChange.objects.filter(contribution=idea.contribution, to_status=status).update(
                created_at=_not_after_now(moment + dt.timedelta(days=after))
            )
        if idea_spec.decided:
            decided.append(idea.contribution)
    if spec.threshold:
        _threshold(activity, spec.threshold, answerer, posted)
    if spec.decision and decided:
        spine_actions.decision_create(
            service=activity.service,
            stage=activity.service_stage.stage,
            title=spec.decision["title"],
            description=spec.decision["description"],
            decided_by=spec.decision["decided_by"],
            decided_on=timezone.localdate() - dt.timedelta(days=spec.decision["days_ago"]),
            recorded_by=answerer,
            contributions=decided,
        )
    # The demo's history happened over months, not in this minute: forget the support counts.
    cache.delete_many([spam.vote_rate_key(person) for person in supporters])


def _threshold(
    activity: Activity,
    threshold: tuple[int, int],
    staff: User,
    posted: list[tuple[Idea, IdeaSpec, dt.datetime]],
) -> None:
    """Promise answers to the most supported ideas; those that have the supports reached them two
    days after they were posted, and are due so many working days after that."""
    supports, days = threshold
    promise = actions.supports_threshold_set(
        activity=activity, supports=supports, answer_days=days, set_by=staff
    )
    assert promise is not None
    for idea, _spec, moment in posted:
        reached = _not_after_now(moment + dt.timedelta(days=2))
        Idea.objects.filter(pk=idea.pk, threshold_reached_at__isnull=False).update(
            threshold_reached_at=reached, answer_due_on=promise.due_on(timezone.localdate(reached))
        )


def _open_youth_challenge() -> None:
    """Young people share ideas before they vote on how the new money is spent."""
    service = Service.objects.filter(slug="youth-mental-health-support").first()
    title = "Your ideas for young people's mental health"
    if (
        service is None
        or Activity.objects.filter(service_stage__service=service, title=title).exists()
    ):
        return
    today = timezone.localdate()
    IdeaChallengeFactory(
        service=service,
        title=title,
        summary="What would help? Post an idea, support the ones you like and say what you think. "
        "The most supported ideas go forward to next year's young people's budget vote.",
        how_to_take_part="Post online, or tell a youth worker at any Northfield youth club.",
        opens_on=today - dt.timedelta(days=12),
        closes_on=today + dt.timedelta(days=30),
    )


YOUTH_DECISION: dict[str, str] = {
    "title": "Evening drop-ins at two youth clubs from January",
    "description": "Young people's stories and survey answers said help comes too late and only "
    "in school hours. The trust will fund a youth worker and a mental health nurse at the Eastgate "
    "and Millbrook youth clubs on Tuesday and Thursday evenings, no referral needed.",
    "decided_by": "Northfield NHS Trust children's services board",
}
# The survey and stories opened 14 days ago (story.py): the decision came after their first week.
YOUTH_DECISION_DAYS_AGO = 5


def _youth_decision(people: dict[str, User]) -> None:
    """The youth service's challenge is still open, but what young people said in its survey and
    stories has already informed a decision: so its "You said, we did" has one too."""
    service = Service.objects.filter(slug="youth-mental-health-support").first()
    if service is None or service.decisions.filter(title=YOUTH_DECISION["title"]).exists():
        return
    decided_on = timezone.localdate() - dt.timedelta(days=YOUTH_DECISION_DAYS_AGO)
    next_day = dt.datetime.combine(decided_on + dt.timedelta(days=1), dt.time.min)
    informed = list(
        Contribution.objects.filter(
            activity__service_stage__service=service,
            kind__in=[InsightKind.STORY, InsightKind.NEED],
            visibility=Visibility.PUBLISHED,
            first_response_at__isnull=False,
            created_at__lt=timezone.make_aware(next_day),  # none made after the decision
        ).order_by("created_at", "pk")[:3]
    )
    if not informed:
        return
    spine_actions.decision_create(
        service=service,
        stage=informed[0].activity.service_stage.stage,
        title=YOUTH_DECISION["title"],
        description=YOUTH_DECISION["description"],
        decided_by=YOUTH_DECISION["decided_by"],
        decided_on=decided_on,
        recorded_by=_person(people, "sam.reid@nhs-northfield.example"),
        contributions=informed,
    )


def seed_codesign(people: dict[str, User]) -> int:
    """Fill every demo idea challenge that is still empty, and give the youth service a decision
    (see ``_youth_decision``). Returns how many challenges were filled."""
    _open_youth_challenge()
    _youth_decision(people)
    filled = 0
    challenges = (
        Activity.objects.filter(kind=ActivityKind.IDEA_CHALLENGE)
        .exclude(state=ActivityState.DRAFT)
        .select_related("service_stage__service__organisation")
        .order_by("id")
    )
    for activity in challenges:
        spec = CHALLENGES.get((activity.service.slug, activity.title))
        if spec is None or Contribution.objects.filter(activity=activity).exists():
            continue
        if IdeaCategory.objects.filter(activity=activity).exists():
            continue
        _challenge(activity, spec, people)
        filled += 1
    return filled
