"""What the demo's idea challenges are made of (codesign.py seeds them): the Northfield residents
who post, support and comment; the ideas, comments, questions, answers, status moves and decisions
of the recovery hub, safer streets, transport routes and youth mental health challenges; and the
decision that what young people said in the youth service's survey and stories informed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from coproduce.codesign.models import IdeaStatus
from coproduce.demo.cast import people

# --- People --------------------------------------------------------------------------------------

# Northfield residents who post, support and comment (some also answered the insight surveys).
NEIGHBOURS = people(
    "resident@example.org",
    "priya.s@example.org",
    "dave.m@example.org",
    "amina.yusuf@example.org",
    "gareth.lloyd@example.org",
    "ellie.chen@example.org",
    "marcus.reid@example.org",
    "bridget.oconnor@example.org",
    "tomasz.nowak@example.org",
    "leah.francis@example.org",
    "kwame.mensah@example.org",
    "rosie.hughes@example.org",
    "danny.walsh@example.org",
    "sophie.turner@example.org",
    "imran.hussain@example.org",
    "beth.evans@example.org",
    "callum.price@example.org",
    "nadia.kowalski@example.org",
    "owen.davies@example.org",
    "zara.ahmed@example.org",
    "mia.robinson@example.org",
    "tyler.brooks@example.org",
)


# --- What a challenge is made of -----------------------------------------------------------------


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


# --- The challenges ------------------------------------------------------------------------------

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


# --- The youth service's decision ----------------------------------------------------------------

YOUTH_DECISION: dict[str, str] = {
    "title": "Evening drop-ins at two youth clubs from January",
    "description": "Young people's stories and survey answers said help comes too late and only "
    "in school hours. The trust will fund a youth worker and a mental health nurse at the Eastgate "
    "and Millbrook youth clubs on Tuesday and Thursday evenings, no referral needed.",
    "decided_by": "Northfield NHS Trust children's services board",
}
# The survey and stories opened 14 days ago (story.py): the decision came after their first week.
YOUTH_DECISION_DAYS_AGO = 5
