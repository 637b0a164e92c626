"""What the demo's citizen panels are made of (panels.py seeds them): the quota questions,
areas, sessions and papers, and the recommendations and what came of them, of the neighbourhood
policing, recovery commissioning and community transport panels; and the names, availability and
access needs that the people who register are drawn from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from coproduce.panels.models import AnswerStatus

AREA = "Area"  # the category answered from the address a letter went to

# --- What the panels are made of ------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """A quota category: its answers' shares of the population (per cent), and how much more or
    less often than its share each answer turns up among the people who register."""

    name: str
    shares: Mapping[str, int]
    seats: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # set by hand, not shares
    turnout: Mapping[str, float] = field(default_factory=dict)
    prefer_not_to_say: bool = False


@dataclass(frozen=True)
class Area:
    """Where letters go: an area (a ward or a village), its postcode district and streets."""

    name: str
    district: str
    place: str
    streets: tuple[str, ...]


@dataclass(frozen=True)
class Paper:
    title: str
    url: str
    description: str = ""


@dataclass(frozen=True)
class Meeting:
    """A session of the panel, ``day`` days from today."""

    title: str
    day: int
    hour: int
    place: str
    agenda: str
    speakers: str
    papers: tuple[Paper, ...] = ()


@dataclass(frozen=True)
class Step:
    """What the organisation did about a recommendation on ``day``: an answer, a status, or both."""

    day: int
    body: str = ""
    status: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Proposal:
    """A recommendation the members drafted, how many voted against it, and what came of it."""

    title: str
    text: str
    against: int
    steps: tuple[Step, ...] = ()


# --- The neighbourhood policing panel ---------------------------------------------------------------

POLICING_QUESTIONS = (
    Question(
        "Age band",
        {"16 to 29": 21, "30 to 44": 24, "45 to 64": 32, "65 and over": 23},
        turnout={"16 to 29": 0.7, "65 and over": 1.25},
    ),
    Question("Sex", {"Female": 51, "Male": 49}),
    Question(
        "Ethnic group",
        {
            "White": 84,
            "Asian or Asian British": 8,
            "Black, Black British, Caribbean or African": 3,
            "Mixed or multiple ethnic groups": 3,
            "Another ethnic group": 2,
        },
    ),
    Question(AREA, {"Town Centre": 30, "Westbrook": 28, "Brookside": 22, "Millbrook": 20}),
)
POLICING_AREAS = (
    Area("Town Centre", "NF1", "Northfield", ("Market Street", "High Street", "Station Road")),
    Area("Westbrook", "NF2", "Westbrook", ("Westbrook Road", "Park Road", "Meadow Close")),
    Area("Brookside", "NF3", "Northfield", ("Brookside Avenue", "Mill Lane", "Canal Walk")),
    Area("Millbrook", "NF4", "Millbrook", ("Church Lane", "Millbrook Road", "Orchard Way")),
)
POLICING_ADDRESSES, POLICING_LETTERS, POLICING_POOL = 6000, 3000, 300
POLICING_SEED = 739_214  # committed before the draw; its hash is in the public ledger

POLICING_SESSIONS = (
    Meeting(
        "How neighbourhood policing works",
        -126,
        10,
        "Westbrook community centre, Westbrook Road, Northfield NF2. Step-free access.",
        "10:00 Welcome, and how the panel works\n10:30 A day in the life of the neighbourhood "
        "team\n11:30 Questions to the team\n12:30 Lunch\n13:15 Crime in Northfield: the figures\n"
        "14:30 What we want to know next",
        "Inspector Rhian Jones, Neighbourhood Inspector, Eastvale Police\nPC Hassan Ali, "
        "Neighbourhood Officer\nDr Sarah Whitfield, crime analyst, Eastvale Police",
        (
            Paper(
                "The Northfield neighbourhood team: who we are and what we do",
                "https://police-eastvale.example/northfield/team",
                "Four pages from the police: the team, its shifts, and what it is asked to do.",
            ),
            Paper(
                "Crime in Northfield: the last three years",
                "https://police-eastvale.example/northfield/crime-figures",
                "The figures by ward and by kind of crime, with a plain-English summary.",
            ),
            Paper(
                "Crime and justice statistics for England and Wales",
                "https://www.ons.gov.uk/peoplepopulationandcommunity/crimeandjustice",
                "The Office for National Statistics: how Northfield compares.",
            ),
        ),
    ),
    Meeting(
        "E-bike theft and anti-social behaviour",
        -112,
        10,
        "Westbrook community centre, Westbrook Road, Northfield NF2. Step-free access.",
        "10:00 What happened last time, and your question answered\n10:30 E-bike theft: who "
        "steals, who buys, what works\n11:45 Young people and the bus station\n12:30 Lunch\n"
        "13:15 Small groups: what should change?",
        "DC Laura Finch, Eastvale Police acquisitive crime team\nJamal Reid, youth worker, "
        "Northfield Borough Council\nNia Thomas, owner of Cycle Northfield, Market Street",
        (
            Paper(
                "E-bike theft in Northfield: what the figures show",
                "https://police-eastvale.example/northfield/e-bike-theft",
                "Where and when e-bikes are stolen, and how many are found again.",
            ),
            Paper(
                "Secure cycle parking: the council's design guide",
                "https://northfield.example/planning/secure-cycle-parking",
            ),
        ),
    ),
    Meeting(
        "Speeding, schools and the roads",
        -98,
        10,
        "Northfield library, Market Street, Northfield NF1. Step-free access.",
        "10:00 Speed-watch outside three schools: a year on\n11:00 What the 101 mystery shop "
        "found\n12:30 Lunch\n13:15 Small groups: first drafts of recommendations",
        "Carol Bishop, road safety officer, Northfield Borough Council\nMr Dev Malhotra, head "
        "teacher, Westbrook Primary School\nPC Hassan Ali, Neighbourhood Officer",
        (
            Paper(
                "Speed-watch outside three schools: the first year",
                "https://northfield.example/roads/speed-watch-report",
                "Speeds measured by volunteers, before and after.",
            ),
            Paper(
                "Mystery shopping the 101 line: what residents found",
                "https://police-eastvale.example/northfield/101-mystery-shop",
            ),
        ),
    ),
    Meeting(
        "Holding the team to account, and the vote",
        -84,
        10,
        "Northfield town hall, Market Street, Northfield NF1. Step-free access.",
        "10:00 How other places report back to residents\n11:00 Finish the recommendations\n"
        "12:30 Lunch\n13:15 The vote (80% of the members who vote must support a "
        "recommendation)\n14:30 What happens next",
        "Inspector Rhian Jones, Neighbourhood Inspector, Eastvale Police\nAmira Khan, Head of "
        "Public Health Commissioning, Northfield Borough Council",
        (
            Paper(
                "Neighbourhood policing guidelines",
                "https://www.college.police.uk/guidance/neighbourhood-policing",
                "The College of Policing's guidance on engaging communities.",
            ),
        ),
    ),
)
POLICING_QUESTION = (
    "How many officers does the Northfield neighbourhood team have, and how often are they "
    "taken away to cover other areas?"
)
POLICING_QUESTION_ANSWER = (
    "The team has one inspector, two sergeants, nine constables and six community support "
    "officers. Last year officers were moved to cover other areas on 41 shifts, mostly summer "
    "weekends. We will publish that number every three months."
)
POLICING_PROPOSALS = (
    Proposal(
        "Make e-bike theft a neighbourhood priority",
        "E-bike theft worries people all over Northfield, and riders who lose a bike often lose "
        "their way to work. It should be one of the team's priorities next year.",
        0,
        (
            Step(
                -70,
                "We accept this. We will put it to residents at the priorities meeting.",
                AnswerStatus.ACCEPTED,
            ),
            Step(
                -60,
                "Residents agreed at the public meeting: e-bike theft is one of the team's two "
                "priorities for the year.",
                AnswerStatus.DONE,
            ),
        ),
    ),
    Proposal(
        "Publish e-bike theft figures every month",
        "Tell residents every month how many e-bikes were stolen, where, and how many were found "
        "again, so we can see whether things get better.",
        2,
        (
            Step(
                -70,
                "We accept this. The figures will be on the service page from next month.",
                AnswerStatus.ACCEPTED,
            ),
            Step(-40, "The first monthly figures are published.", AnswerStatus.DONE),
        ),
    ),
    Proposal(
        "Secure bike lockers at the station and the bus station",
        "Most thefts happen at the station and bus station racks. Lockers that need a card or an "
        "app would stop most of them.",
        1,
        (
            Step(
                -70,
                "We accept this with the council, which owns the land. The council is asking "
                "the rail company for space at the station.",
                AnswerStatus.ACCEPTED,
            ),
            Step(
                -35,
                "Forty lockers are ordered for the bus station; the station's are waiting for the "
                "rail company. We expect both by the spring.",
                AnswerStatus.IN_PROGRESS,
            ),
        ),
    ),
    Proposal(
        "A named officer for every ward, with a monthly drop-in",
        "Residents should know the name of their ward's officer and be able to meet them once a "
        "month without an appointment.",
        4,
        (
            Step(
                -70,
                "We accept this. Each ward's officer will be named on the service page.",
                AnswerStatus.ACCEPTED,
            ),
            Step(
                -45,
                "Every ward has a named officer. Drop-ins are on the first Saturday of the "
                "month, in the library or the community centre.",
                AnswerStatus.DONE,
            ),
        ),
    ),
    Proposal(
        "Youth workers alongside patrols in Westbrook Park",
        "Young people in Westbrook Park need someone to talk to, not only to be moved on. Youth "
        "workers should walk with the patrols on Friday and Saturday evenings.",
        3,
        (
            Step(
                -70,
                "We accept this with the council's youth service, which will bid for the money.",
                AnswerStatus.ACCEPTED,
            ),
            Step(
                -20,
                "The money is agreed for a trial of six months. Joint patrols start when the two "
                "youth workers are hired.",
                AnswerStatus.IN_PROGRESS,
            ),
        ),
    ),
    Proposal(
        "Open the front counter in the evenings",
        "The police front counter on Market Street closes at 5pm. It should open until 9pm so "
        "that people who work can report crimes in person.",
        2,
        (
            Step(
                -70,
                "We cannot do this now. Evening opening would cost about £90,000 a year. When we "
                "tried it, fewer than three people a night came. Instead you can report online at "
                "any time, and 101 has more call handlers in the evenings since the mystery shop.",
                AnswerStatus.NOT_ACCEPTED,
                "It would cost about £90,000 a year and few people came when we tried it. Online "
                "reporting and more evening call handlers on 101 reach more people.",
            ),
        ),
    ),
    Proposal(
        "Free bike marking at every big event",
        "Offer free bike marking at the summer fair, the Christmas market and the football "
        "ground, where people are anyway.",
        1,
        (
            Step(
                -70,
                "We accept this. We will mark bikes at the Christmas market first.",
                AnswerStatus.ACCEPTED,
            ),
            Step(-30, "Done: we marked 212 bikes at the Christmas market.", AnswerStatus.DONE),
        ),
    ),
    Proposal(
        "Speed checks outside every primary school each term",
        "Speed-watch works outside three schools. Every primary school in Northfield should have "
        "a speed check at least once a term.",
        0,
        (
            Step(
                -70,
                "We accept this. Checks at all eleven primary schools start next term, with "
                "speed-watch volunteers where a school has them.",
                AnswerStatus.ACCEPTED,
            ),
        ),
    ),
    Proposal(
        "Report back on these recommendations twice a year",
        "The team should report in public twice a year on what it has done about each of our "
        "recommendations, and invite the panel's members.",
        2,
        (
            Step(
                -70,
                "We accept this. The first report back will be at the beat meeting in six months.",
                AnswerStatus.ACCEPTED,
            ),
        ),
    ),
    Proposal(
        "Stop and search more young people riding e-bikes at night",
        "Officers should stop more young people riding e-bikes at night and check that the "
        "bikes are theirs.",
        14,
    ),
)

# --- The recovery commissioning panel -------------------------------------------------------------

RECOVERY_QUESTIONS = (
    Question(
        "Experience of recovery",
        {"In recovery or recovered": 60, "Family member or carer": 40},
        seats={"In recovery or recovered": (6, 8), "Family member or carer": (4, 6)},
    ),
    Question(
        "Age band",
        {"18 to 39": 45, "40 and over": 55},
        seats={"18 to 39": (4, 7), "40 and over": (5, 8)},
    ),
    Question("Sex", {"Female": 50, "Male": 50}, seats={"Female": (5, 7), "Male": (5, 7)}),
)
RECOVERY_POOL = 46
RECOVERY_SEED = 416_253  # from dice thrown at the public meeting in the town hall
RECOVERY_PLACE = "Northfield town hall, Committee Room 2, Market Street. Step-free access."
RECOVERY_SESSIONS = (
    Meeting(
        "What people in recovery need",
        -236,
        18,
        RECOVERY_PLACE,
        "18:00 Food, and how the panel works\n18:30 What 412 people told the survey\n19:15 What "
        "the council is buying, and what it costs\n20:00 Close",
        "Tom Price, Substance Misuse Commissioner, Northfield Borough Council\nDr Helen Marsh, "
        "public health analyst, Northfield Borough Council",
        (
            Paper(
                "What would help you or your family in recovery? The survey's results",
                "https://northfield.example/public-health/recovery-survey-results",
            ),
            Paper(
                "The draft service specification",
                "https://northfield.example/public-health/recovery-service-specification",
                "What the new service must do, before the panel's changes.",
            ),
        ),
    ),
    Meeting(
        "Meeting the bidders",
        -229,
        18,
        RECOVERY_PLACE,
        "18:00 Food\n18:30 Three bidders present, 20 minutes each\n19:30 Questions to each "
        "bidder\n20:00 Close",
        "The three bidders' teams (named in the scoring report once the contract was signed)",
        (
            Paper(
                "How the bids are scored",
                "https://northfield.example/procurement/recovery-service-scoring",
                "The quality questions and the panel's 40% of the quality mark.",
            ),
        ),
    ),
    Meeting(
        "Scoring the bids",
        -222,
        18,
        RECOVERY_PLACE,
        "18:00 Food\n18:30 Scoring in pairs, with council officers\n19:30 Agreeing the panel's "
        "scores\n20:00 Close",
        "Tom Price, Substance Misuse Commissioner, Northfield Borough Council",
    ),
    Meeting(
        "What the new service must achieve, and the vote",
        -215,
        18,
        RECOVERY_PLACE,
        "18:00 Food\n18:30 Finish the recommendations\n19:15 The vote (80% of the members who "
        "vote must support a recommendation)\n20:00 Close",
        "Amira Khan, Head of Public Health Commissioning, Northfield Borough Council",
    ),
)
RECOVERY_PROPOSALS = (
    Proposal(
        "Support in the evenings and at weekends",
        "Cravings and crises do not keep office hours. The new service must offer support in "
        "the evenings and at weekends, not only 9 to 5 on weekdays.",
        0,
        (
            Step(
                -205,
                "We accept this. It is one of the three outcomes in the contract.",
                AnswerStatus.ACCEPTED,
            ),
            Step(
                -60,
                "Evening and weekend support starts with the new hub. Where it happens is being "
                "decided with residents now.",
                AnswerStatus.IN_PROGRESS,
            ),
        ),
    ),
    Proposal(
        "Help that does not end when treatment ends",
        "Aftercare should last at least a year after treatment, with someone to call when things "
        "get hard.",
        1,
        (
            Step(
                -205,
                "We accept this. It is one of the three outcomes in the contract.",
                AnswerStatus.ACCEPTED,
            ),
            Step(
                -190,
                "The contract signed today includes a year of aftercare for everyone.",
                AnswerStatus.DONE,
            ),
        ),
    ),
    Proposal(
        "Paid peer mentors who have been there themselves",
        "People in recovery trust people who have been through it. The service should employ "
        "peer mentors, paid for their work, not only volunteers.",
        2,
        (
            Step(
                -205,
                "We accept this. It is one of the three outcomes in the contract.",
                AnswerStatus.ACCEPTED,
            ),
            Step(
                -190, "The contract signed today pays for six peer mentor posts.", AnswerStatus.DONE
            ),
        ),
    ),
    Proposal(
        "Run the service from GP surgeries instead of one hub",
        "Going to a recovery hub tells everyone why you are there. Support should be at GP "
        "surgeries instead.",
        7,
    ),
)

# --- The community transport panel (at registration) ----------------------------------------------

TRANSPORT_QUESTIONS = (
    Question(
        "Age band",
        {"16 to 39": 24, "40 to 64": 38, "65 to 79": 27, "80 and over": 11},
        turnout={"16 to 39": 0.6, "65 to 79": 1.3},
    ),
    Question("Sex", {"Female": 52, "Male": 48}),
    Question(
        "Long-term illness or disability",
        {"Yes": 24, "No": 76},
        turnout={"Yes": 1.2},
        prefer_not_to_say=True,
    ),
    Question(AREA, {"Ashby Parva": 31, "Kings Wood": 27, "Low Marsh": 22, "Stonebridge": 20}),
)
TRANSPORT_AREAS = (
    Area("Ashby Parva", "NF5", "Ashby Parva", ("The Green", "School Lane", "Mill Road")),
    Area("Kings Wood", "NF6", "Kings Wood", ("Forest Road", "Chapel Street", "Beech Close")),
    Area("Low Marsh", "NF7", "Low Marsh", ("Marsh Lane", "Fen Road", "Willow Way")),
    Area("Stonebridge", "NF8", "Stonebridge", ("Bridge Street", "Quarry Lane", "The Row")),
)
TRANSPORT_ADDRESSES, TRANSPORT_LETTERS, TRANSPORT_REGISTERED = 2400, 600, 41

# --- People who register -----------------------------------------------------------------------------

# Names to draw from, as one line of text each (a list literal would take a hundred lines).
FIRST_NAMES_TEXT = (
    "Aaliyah Adam Aisha Alan Alice Amir Andrew Anna Ben Bethan Carl Chloe Chris Claire Daniel "
    "Deborah Dylan Elaine Emma Faisal Fatima Gareth Gemma Hannah Harry Ian Jack Jade Jamal James "
    "Janet Jasmine Joseph Julie Karen Kofi Laura Leon Lily Mark Mary Megan Michael Nadia Neil "
    "Olivia Patrick Paul Rachel Rhys Ruth Ryan Sadia Sam Sandra Sean Shauna Simon Stephen Susan "
    "Tariq Theo Tom Wendy Yusuf Zoe"
)
LAST_NAMES_TEXT = (
    "Ahmed Akhtar Allen Bailey Baker Begum Bell Brown Campbell Carter Clarke Cooper Davies Edwards "
    "Evans Fisher Green Griffiths Hall Harris Hill Hughes Hussain Jackson James Jenkins Jones "
    "Kaur Khan King Kowalski Lee Lewis Martin Mensah Mitchell Moore Morris Murphy Nowak Okafor "
    "Owen Parker Patel Phillips Price Roberts Robinson Scott Shah Singh Smith Taylor Thomas "
    "Turner Walker Ward Watson White Williams Wilson Wood Wright Young"
)
FIRST_NAMES, LAST_NAMES = FIRST_NAMES_TEXT.split(), LAST_NAMES_TEXT.split()
AVAILABILITY = (
    "Saturdays are best.",
    "Any Saturday, and weekday evenings after 6pm.",
    "Weekday evenings only; I work on Saturdays.",
    "Any time with two weeks' notice.",
    "",
)
ACCESS = ((), (), (), (), ("step-free",), ("travel",), ("childcare",), ("bsl",), ("travel",))
