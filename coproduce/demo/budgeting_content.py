"""What the demo's participatory budgets are made of (budgeting.py seeds them): the young people
and neighbours who propose, the earlier idea challenge's ideas, the young people's budget's
proposals, feasibility answers, voting habits and delivery notes, and the safer streets fund's
proposals.
"""

from __future__ import annotations

from coproduce.budgeting.models import DeliveryStatus, Feasibility
from coproduce.demo.cast import people

# --- People --------------------------------------------------------------------------------------

YOUNG_PEOPLE = people(
    "ella.hughes@example.org",
    "jayden.clarke@example.org",
    "amira.begum@example.org",
    "luke.patel@example.org",
    "grace.okafor@example.org",
    "kai.morgan@example.org",
    "holly.wright@example.org",
    "reece.john@example.org",
    "freya.lewis@example.org",
    "nathan.shaw@example.org",
    "zara.ahmed@example.org",
    "mia.robinson@example.org",
    "owen.davies@example.org",
    "sophie.turner@example.org",
)

NEIGHBOURS = people(
    "dave.m@example.org",
    "amina.yusuf@example.org",
    "gareth.lloyd@example.org",
    "bridget.oconnor@example.org",
    "kwame.mensah@example.org",
    "imran.hussain@example.org",
    "beth.evans@example.org",
    "rosie.hughes@example.org",
)


# --- The earlier idea challenge ------------------------------------------------------------------

# author, title, description, supporters, brought forward at this estimated cost (or the answer)
EARLIER_IDEAS: list[tuple[str, str, str, int, int | str]] = [
    (
        "ella.hughes@example.org",
        "A counsellor in every secondary school, one day a week",
        "The waiting list is months long. A counsellor who is in school every week, that you can "
        "book without a teacher knowing, would help people before things get bad.",
        18,
        90_000,
    ),
    (
        "zara.ahmed@example.org",
        "A youth drop-in open until 8pm",
        "Somewhere to go after school and in the evening, with youth workers and a nurse, where "
        "you can just turn up and talk.",
        16,
        60_000,
    ),
    (
        "kai.morgan@example.org",
        "Online counselling chat in the evenings and at weekends",
        "A chat with a trained counsellor on your phone, when school and the GP are closed. "
        "Typing is easier than talking for a lot of us.",
        14,
        45_000,
    ),
    (
        "mia.robinson@example.org",
        "Peer support groups run by young people",
        "Small groups where young people who have been through it support each other, trained "
        "and backed by a youth worker.",
        12,
        25_000,
    ),
    (
        "luke.patel@example.org",
        "Free gym membership for everyone under 18",
        "Exercise helps with anxiety, but the gym costs too much.",
        7,
        "Thank you. A free membership for every young person would cost much more than the whole "
        "budget, so it is not going to the vote. A proposal for sports sessions at Millbrook "
        "leisure centre is on the ballot instead.",
    ),
    (
        "reece.john@example.org",
        "A mental health day off school each term",
        "Schools should let you take a day when you need it without getting into trouble.",
        3,
        "",  # still waiting for an answer: schools decide this, not the budget
    ),
]


# --- The youth budget ----------------------------------------------------------------------------

# author, title, description, estimated cost, review: (feasibility, reason, cost or merged title)
YOUTH_PROPOSALS: list[tuple[str, str, str, int, tuple[str, str, int | str | None]]] = [
    (
        "holly.wright@example.org",
        "Where to get help: posters in every school",
        "Posters in every secondary school and college, in the toilets and changing rooms, with "
        "the local services, the text line and the drop-in times.",
        4_000,
        (Feasibility.FEASIBLE, "", None),
    ),
    (
        "jayden.clarke@example.org",
        "Football and boxing sessions with a mentor at Millbrook leisure centre",
        "Free sessions twice a week, where a trained mentor joins in and is around to talk "
        "afterwards.",
        30_000,
        (Feasibility.FEASIBLE, "", None),
    ),
    (
        "grace.okafor@example.org",
        "Mental health training for teachers and youth workers",
        "So the adults we talk to first know what to say and where to send us.",
        35_000,
        (Feasibility.FEASIBLE, "", None),
    ),
    (
        "freya.lewis@example.org",
        "An art group at Eastgate youth club",
        "A weekly art group with an art therapist, for people who find talking hard.",
        18_000,
        (Feasibility.FEASIBLE, "", None),
    ),
    (
        "amira.begum@example.org",
        "Quiet rooms in three secondary schools",
        "A calm room with soft chairs where you can go when it all gets too much.",
        27_000,
        (
            Feasibility.COST_CHANGED,
            "The schools asked for sound-proofing and a member of staff nearby at break and "
            "lunch, which adds £9,000.",
            36_000,
        ),
    ),
    (
        "nathan.shaw@example.org",
        "A local text line answered by nurses at night",
        "Someone local to text after midnight, who knows the services here.",
        80_000,
        (
            Feasibility.MERGED,
            "Both proposals are about support out of hours by phone; the chat will take texts "
            "too, so they go to the vote together.",
            "Online counselling chat in the evenings and at weekends",
        ),
    ),
    (
        "sophie.turner@example.org",
        "Evenings for parents about young people's mental health",
        "Parents do not know what to say either. Free evenings at schools with a nurse.",
        8_000,
        (Feasibility.FEASIBLE, "", None),
    ),
    (
        "owen.davies@example.org",
        "A podcast made by young people about mental health",
        "Young people interview each other and local staff, with training and equipment.",
        6_000,
        (Feasibility.FEASIBLE, "", None),
    ),
    (
        "reece.john@example.org",
        "A weekly group for young carers",
        "Young people who care for a parent or a brother or sister get a break and support.",
        22_000,
        (Feasibility.FEASIBLE, "", None),
    ),
    (
        "ella.hughes@example.org",
        "A support group for LGBTQ+ young people",
        "A safe group with trained youth workers, in the evening, at a place that is not school.",
        15_000,
        (Feasibility.FEASIBLE, "", None),
    ),
    (
        "luke.patel@example.org",
        "Pay young people to be mental health ambassadors",
        "Young people paid to run assemblies and clubs about mental health.",
        40_000,
        (
            Feasibility.NOT_FEASIBLE,
            "The trust cannot employ people under 16, and paid roles must be open to everyone. "
            "The peer support proposal trains young volunteers instead.",
            None,
        ),
    ),
    (
        "kai.morgan@example.org",
        "A mental health bus that tours the villages",
        "A bus with a counsellor that visits each village once a week.",
        120_000,
        (
            Feasibility.NOT_FEASIBLE,
            "A bus needs drivers, insurance and staff every year; £120,000 would pay for the bus "
            "but not for running it after the first year.",
            None,
        ),
    ),
]

# Brought-forward ideas' reviews (by title): the drop-in needs two staff in the evening.
BROUGHT_FORWARD_REVIEWS: dict[str, tuple[str, str, int | None]] = {
    "A youth drop-in open until 8pm": (
        Feasibility.COST_CHANGED,
        "Two staff must be there in the evening for safety, which adds £12,000.",
        72_000,
    ),
}

# Who tends to vote for what: young people in three groups, with a few cross-overs.
CLUSTERS: list[tuple[float, dict[str, float]]] = [
    (
        0.42,  # in school
        {
            "A counsellor in every secondary school, one day a week": 0.85,
            "Where to get help: posters in every school": 0.55,
            "Quiet rooms in three secondary schools": 0.55,
            "Mental health training for teachers and youth workers": 0.45,
            "Evenings for parents about young people's mental health": 0.15,
        },
    ),
    (
        0.26,  # online
        {
            "Online counselling chat in the evenings and at weekends": 0.9,
            "A podcast made by young people about mental health": 0.45,
            "Where to get help: posters in every school": 0.35,
            "A support group for LGBTQ+ young people": 0.2,
        },
    ),
    (
        0.32,  # in the community, with each other
        {
            "Peer support groups run by young people": 0.75,
            "A youth drop-in open until 8pm": 0.6,
            "Football and boxing sessions with a mentor at Millbrook leisure centre": 0.45,
            "An art group at Eastgate youth club": 0.35,
            "A weekly group for young carers": 0.35,
            "A support group for LGBTQ+ young people": 0.3,
        },
    ),
]

DELIVERY_NOTES = {
    "Where to get help: posters in every school": (
        DeliveryStatus.DELIVERED,
        "The posters are up in all 14 secondary schools and colleges, designed with the young "
        "people who proposed them.",
        1,
    ),
    "Peer support groups run by young people": (
        DeliveryStatus.IN_PROGRESS,
        "Twelve young volunteers start their training this month; the first groups meet at "
        "Eastgate and Millbrook youth clubs after the holidays.",
        3,
    ),
    "A counsellor in every secondary school, one day a week": (
        DeliveryStatus.PLANNED,
        "The trust is recruiting three counsellors. Schools will have a counsellor one day a "
        "week from the spring term.",
        2,
    ),
}


# --- The open budget -----------------------------------------------------------------------------

# author, title, description, cost, (north, east) offset in thousandths of a degree, review
OPEN_PROPOSALS: list[
    tuple[str, str, str, int, tuple[int, int] | None, tuple[str, str, int | None]]
] = [
    (
        "amina.yusuf@example.org",
        "Brighter lights on the Westbrook Park path",
        "The path from the park gates to Westbrook Road is dark from four o'clock in winter. "
        "LED lights along it would make people feel safe walking home.",
        14_000,
        (-6, 9),
        (Feasibility.FEASIBLE, "", None),
    ),
    (
        "gareth.lloyd@example.org",
        "Flashing speed signs outside three schools",
        "Signs that show drivers their speed on Church Lane, by Northfield Primary and St "
        "Mary's, where cars speed at home time.",
        12_000,
        (4, -5),
        (Feasibility.FEASIBLE, "", None),
    ),
    (
        "kwame.mensah@example.org",
        "Secure bike lockers at the bus station",
        "Lockers you open with a card, so e-bikes are not stolen while you are at work.",
        9_000,
        (1, 2),
        (Feasibility.FEASIBLE, "", None),
    ),
    (
        "bridget.oconnor@example.org",
        "Friday youth nights at Westbrook community centre",
        "Somewhere for teenagers to go on Friday nights, with youth workers, games and food.",
        8_000,
        (-4, 7),
        (Feasibility.FEASIBLE, "", None),
    ),
    (
        "imran.hussain@example.org",
        "Cameras at the bus station",
        "Cameras covering the bus station and the underpass, watched at night.",
        18_000,
        (1, 1),
        (
            Feasibility.COST_CHANGED,
            "The cameras must link to the council's control room, which adds £4,000.",
            22_000,
        ),
    ),
    (
        "beth.evans@example.org",
        "Bike marking days",
        "Free events where the police mark and register your bike, so stolen bikes come back.",
        2_500,
        None,
        (Feasibility.FEASIBLE, "", None),
    ),
    (
        "rosie.hughes@example.org",
        "Starter packs for new neighbourhood watch groups",
        "Signs, leaflets and door chains for streets that start a neighbourhood watch.",
        3_000,
        None,
        (Feasibility.FEASIBLE, "", None),
    ),
    (
        "dave.m@example.org",
        "Reopen the police station in Westbrook",
        "Bring back a police front counter in Westbrook.",
        45_000,
        (-5, 8),
        (
            Feasibility.NOT_FEASIBLE,
            "A front counter costs more than £45,000 every year to staff, and this fund is spent "
            "once. The team holds a weekly surgery at Westbrook library instead.",
            None,
        ),
    ),
]
