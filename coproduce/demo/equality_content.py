"""What the demo's equality figures are made of (equality.py seeds them): the population of each
published service's area in the shape of the 2021 Census (shares of each category and people in
each postcode district), the equality answers of the neighbours one by one, and the decks of
answers dealt to the young people, the safer streets voters, the transport scheme's passengers
and the 101 line's mystery shoppers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from coproduce.equality.categories import POSTCODE_DISTRICT

POLICING = "neighbourhood-policing-in-northfield"
YOUTH = "youth-mental-health-support"
RECOVERY = "drug-and-alcohol-recovery-service"
TRANSPORT = "community-transport-scheme"
RESIDENT = "resident@example.org"  # Jo Bennett, the README's demo resident

SOURCE = "2021 Census (ONS) tables, figures made up for the demo"

# --- The population ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """An area's population: its size, each category's shares (per cent of the people the Census
    asked it of) and how many live in each postcode district."""

    service: str
    keeper: str  # an administrator of the organisation that runs the service
    code: str
    name: str
    people: int
    shares: Mapping[str, Mapping[str, float]]
    districts: Mapping[str, int]


# Asked of people aged 16 or over only, as in the Census.
ADULT_QUESTIONS = {"gender_identity", "sexual_orientation"}

AREAS = (
    Area(
        service=POLICING,
        keeper="insp.jones@police-eastvale.example",
        code="E63099001",
        name="Northfield town (NF1 to NF4)",
        people=140_000,
        shares={
            "age": {
                "under_16": 20,
                "16_24": 12,
                "25_34": 15,
                "35_49": 19,
                "50_64": 18,
                "65_74": 9,
                "75_plus": 7,
            },
            "sex": {"female": 51, "male": 49},
            "gender_identity": {
                "same": 99.5,
                "trans_woman": 0.12,
                "trans_man": 0.12,
                "non_binary": 0.16,
                "other": 0.1,
            },
            "ethnic_group": {"white": 77, "asian": 12.5, "black": 4.5, "mixed": 3.5, "other": 2.5},
            "disability": {"a_lot": 9, "a_little": 11, "no": 80},
            "religion": {
                "none": 37,
                "christian": 45,
                "buddhist": 0.5,
                "hindu": 1.8,
                "jewish": 0.3,
                "muslim": 12,
                "sikh": 2.4,
                "other": 1,
            },
            "sexual_orientation": {
                "straight": 96.6,
                "gay_lesbian": 1.6,
                "bisexual": 1.4,
                "other": 0.4,
            },
            "carer": {"no": 90.5, "up_to_19": 4.7, "20_49": 2, "50_plus": 2.8},
        },
        districts={"NF1": 38_000, "NF2": 36_000, "NF3": 34_000, "NF4": 32_000},
    ),
    Area(
        service=RECOVERY,
        keeper="amira.khan@northfield.example",
        code="E08000099",
        name="Northfield borough",
        people=180_000,
        shares={
            "age": {
                "under_16": 19,
                "16_24": 10.5,
                "25_34": 13.5,
                "35_49": 19,
                "50_64": 19.5,
                "65_74": 10,
                "75_plus": 8.5,
            },
            "sex": {"female": 51, "male": 49},
            "gender_identity": {
                "same": 99.5,
                "trans_woman": 0.12,
                "trans_man": 0.12,
                "non_binary": 0.16,
                "other": 0.1,
            },
            "ethnic_group": {"white": 81, "asian": 10.5, "black": 3.8, "mixed": 3, "other": 1.7},
            "disability": {"a_lot": 8.5, "a_little": 11, "no": 80.5},
            "religion": {
                "none": 37,
                "christian": 48,
                "buddhist": 0.5,
                "hindu": 1.5,
                "jewish": 0.3,
                "muslim": 10,
                "sikh": 2,
                "other": 0.7,
            },
            "sexual_orientation": {
                "straight": 96.8,
                "gay_lesbian": 1.5,
                "bisexual": 1.3,
                "other": 0.4,
            },
            "carer": {"no": 90.8, "up_to_19": 4.5, "20_49": 1.9, "50_plus": 2.8},
        },
        districts={
            "NF1": 38_000,
            "NF2": 36_000,
            "NF3": 34_000,
            "NF4": 32_000,
            "NF5": 11_500,
            "NF6": 10_500,
            "NF7": 9_000,
            "NF8": 9_000,
        },
    ),
    Area(
        service=TRANSPORT,
        keeper="dee.walsh@nca.example",
        code="E63099002",
        name="Northfield villages (NF5 to NF8)",
        people=40_000,
        shares={
            "age": {
                "under_16": 15,
                "16_24": 8,
                "25_34": 9,
                "35_49": 16,
                "50_64": 23,
                "65_74": 15,
                "75_plus": 14,
            },
            "sex": {"female": 51.5, "male": 48.5},
            "gender_identity": {
                "same": 99.7,
                "trans_woman": 0.08,
                "trans_man": 0.08,
                "non_binary": 0.08,
                "other": 0.06,
            },
            "ethnic_group": {"white": 95, "asian": 2.5, "black": 0.6, "mixed": 1.3, "other": 0.6},
            "disability": {"a_lot": 8, "a_little": 12.5, "no": 79.5},
            "religion": {
                "none": 35,
                "christian": 61.5,
                "buddhist": 0.5,
                "hindu": 0.7,
                "jewish": 0.3,
                "muslim": 1.1,
                "sikh": 0.3,
                "other": 0.6,
            },
            "sexual_orientation": {
                "straight": 97.6,
                "gay_lesbian": 1.1,
                "bisexual": 0.9,
                "other": 0.4,
            },
            "carer": {"no": 88.5, "up_to_19": 5.5, "20_49": 2.3, "50_plus": 3.7},
        },
        districts={"NF5": 11_500, "NF6": 10_500, "NF7": 9_000, "NF8": 9_000},
    ),
    Area(
        service=YOUTH,
        keeper="grace.obi@nhs-northfield.example",
        code="E38000299",
        name="Northfield and Eastvale, young people aged 11 to 24",
        people=56_000,
        shares={
            "age": {"under_16": 35.7, "16_24": 64.3},  # under 16: aged 11 to 15
            "sex": {"female": 49, "male": 51},
            "gender_identity": {
                "same": 98.7,
                "trans_woman": 0.3,
                "trans_man": 0.3,
                "non_binary": 0.5,
                "other": 0.2,
            },
            "ethnic_group": {"white": 69.5, "asian": 16, "black": 6, "mixed": 6, "other": 2.5},
            "disability": {"a_lot": 3, "a_little": 7, "no": 90},
            "religion": {
                "none": 50,
                "christian": 30,
                "buddhist": 0.6,
                "hindu": 2,
                "jewish": 0.3,
                "muslim": 14,
                "sikh": 2,
                "other": 1.1,
            },
            "sexual_orientation": {
                "straight": 91,
                "gay_lesbian": 2.5,
                "bisexual": 5.5,
                "other": 1,
            },
            "carer": {"no": 96.5, "up_to_19": 2.5, "20_49": 0.6, "50_plus": 0.4},
        },
        districts={
            "NF1": 7_000,
            "NF2": 6_600,
            "NF3": 5_800,
            "NF4": 5_200,
            "NF5": 1_700,
            "NF6": 1_500,
            "NF7": 1_300,
            "NF8": 1_300,
            "EV1": 7_200,
            "EV2": 6_600,
            "EV3": 6_200,
            "EV4": 5_600,
        },
    ),
)


# --- The answers ---------------------------------------------------------------------------------

COLUMNS = (
    "age",
    "sex",
    "gender_identity",
    "ethnic_group",
    "disability",
    "religion",
    "sexual_orientation",
    "carer",
    POSTCODE_DISTRICT,
)

# The neighbours who took part in every service's ideas, one by one ("": a question left out).
# Ellie Chen, Marcus Reid, Tomasz Nowak, Danny Walsh, Sophie Turner and Tyler Brooks gave none;
# Mia Robinson, who is 14, left out the two questions the Census asks only of adults.
CAST: dict[str, tuple[str, ...]] = {
    RESIDENT: (
        "35_49",
        "female",
        "same",
        "white",
        "no",
        "prefer_not",
        "straight",
        "up_to_19",
        "NF2",
    ),
    "priya.s@example.org": (
        "35_49",
        "female",
        "same",
        "asian",
        "no",
        "hindu",
        "straight",
        "no",
        "NF1",
    ),
    "dave.m@example.org": (
        "65_74",
        "male",
        "same",
        "white",
        "a_little",
        "christian",
        "straight",
        "no",
        "NF3",
    ),
    "amina.yusuf@example.org": (
        "25_34",
        "female",
        "same",
        "black",
        "no",
        "muslim",
        "straight",
        "no",
        "NF2",
    ),
    "gareth.lloyd@example.org": (
        "50_64",
        "male",
        "same",
        "white",
        "no",
        "",
        "straight",
        "no",
        "NF4",
    ),
    "bridget.oconnor@example.org": (
        "65_74",
        "female",
        "same",
        "white",
        "a_little",
        "christian",
        "straight",
        "20_49",
        "NF3",
    ),
    "leah.francis@example.org": (
        "25_34",
        "female",
        "same",
        "mixed",
        "no",
        "none",
        "bisexual",
        "no",
        "NF1",
    ),
    "kwame.mensah@example.org": (
        "50_64",
        "male",
        "same",
        "black",
        "no",
        "christian",
        "straight",
        "no",
        "NF1",
    ),
    "rosie.hughes@example.org": (
        "35_49",
        "female",
        "same",
        "white",
        "no",
        "none",
        "straight",
        "no",
        "NF2",
    ),
    "imran.hussain@example.org": (
        "50_64",
        "male",
        "same",
        "asian",
        "no",
        "muslim",
        "prefer_not",
        "no",
        "NF1",
    ),
    "beth.evans@example.org": (
        "65_74",
        "female",
        "same",
        "white",
        "no",
        "christian",
        "straight",
        "up_to_19",
        "NF4",
    ),
    "callum.price@example.org": (
        "50_64",
        "male",
        "same",
        "white",
        "no",
        "christian",
        "straight",
        "no",
        "NF4",
    ),
    "nadia.kowalski@example.org": (
        "35_49",
        "female",
        "prefer_not",
        "white",
        "no",
        "christian",
        "straight",
        "no",
        "NF3",
    ),
    "owen.davies@example.org": (
        "under_16",
        "male",
        "same",
        "white",
        "no",
        "none",
        "straight",
        "no",
        "NF4",
    ),
    "zara.ahmed@example.org": (
        "under_16",
        "female",
        "same",
        "asian",
        "no",
        "muslim",
        "straight",
        "up_to_19",
        "NF1",
    ),
    "mia.robinson@example.org": (
        "under_16",
        "female",
        "",
        "mixed",
        "a_little",
        "none",
        "",
        "no",
        "NF2",
    ),
}


@dataclass(frozen=True)
class Group:
    """People who took part in the same way, and the answers of those who gave any: for each
    question, how many gave each answer ("": left it out). Every question's deck has one card per
    person who answers."""

    name: str
    email_prefix: str
    email_domain: str
    seed: int
    decks: Mapping[str, Mapping[str, int]]

    @property
    def answering(self) -> int:
        return sum(self.decks["age"].values())


GROUPS = (
    # Young people who voted for the youth budget online, or weighed the bids (223 of 310).
    Group(
        "young people",
        "",
        "",
        16,
        {
            "age": {"under_16": 78, "16_24": 132, "25_34": 5, "prefer_not": 3, "": 5},
            "sex": {"female": 138, "male": 70, "prefer_not": 8, "": 7},
            "gender_identity": {
                "same": 198,
                "non_binary": 6,
                "trans_man": 3,
                "trans_woman": 1,
                "other": 1,
                "prefer_not": 9,
                "": 5,
            },
            "ethnic_group": {
                "white": 158,
                "asian": 22,
                "black": 14,
                "mixed": 18,
                "other": 5,
                "prefer_not": 3,
                "": 3,
            },
            "disability": {"a_lot": 12, "a_little": 38, "no": 162, "prefer_not": 7, "": 4},
            "religion": {
                "none": 117,
                "christian": 53,
                "muslim": 18,
                "hindu": 5,
                "sikh": 4,
                "buddhist": 2,
                "jewish": 1,
                "other": 3,
                "prefer_not": 12,
                "": 8,
            },
            "sexual_orientation": {
                "straight": 170,
                "gay_lesbian": 8,
                "bisexual": 20,
                "other": 3,
                "prefer_not": 14,
                "": 8,
            },
            "carer": {"no": 196, "up_to_19": 14, "20_49": 3, "50_plus": 1, "prefer_not": 4, "": 5},
            # The budget was publicised in the town's schools and at two Eastvale youth clubs.
            POSTCODE_DISTRICT: {
                "NF1": 45,
                "NF2": 40,
                "NF3": 32,
                "NF4": 30,
                "EV1": 36,
                "EV3": 28,
                "": 12,
            },
        },
    ),
    # Residents who voted online in the Safer streets fund (all 24 answered): older, mostly women.
    Group(
        "safer streets voters",
        "neighbour",
        "@voters.northfield.example",
        24,
        {
            "age": {"25_34": 2, "35_49": 3, "50_64": 8, "65_74": 8, "75_plus": 3},
            "sex": {"female": 18, "male": 4, "prefer_not": 1, "": 1},
            "gender_identity": {"same": 22, "prefer_not": 1, "": 1},
            "ethnic_group": {"white": 20, "asian": 3, "black": 1},
            "disability": {"a_little": 2, "no": 18, "prefer_not": 3, "": 1},
            "religion": {"christian": 10, "none": 10, "muslim": 1, "prefer_not": 2, "": 1},
            "sexual_orientation": {"straight": 22, "gay_lesbian": 1, "prefer_not": 1},
            "carer": {"no": 20, "up_to_19": 3, "50_plus": 1},
            POSTCODE_DISTRICT: {"NF1": 6, "NF2": 6, "NF3": 6, "NF4": 5, "": 1},
        },
    ),
    # Passengers who rated the transport scheme (22 of 30): older, often disabled, in the villages.
    Group(
        "passengers",
        "passenger",
        "@villages.northfield.example",
        30,
        {
            "age": {"35_49": 1, "50_64": 3, "65_74": 8, "75_plus": 10},
            "sex": {"female": 15, "male": 6, "prefer_not": 1},
            "gender_identity": {"same": 20, "prefer_not": 2},
            "ethnic_group": {"white": 21, "asian": 1},
            "disability": {"a_lot": 6, "a_little": 8, "no": 7, "prefer_not": 1},
            "religion": {"christian": 15, "none": 4, "other": 1, "prefer_not": 2},
            "sexual_orientation": {"straight": 18, "prefer_not": 3, "": 1},
            "carer": {"no": 16, "up_to_19": 3, "20_49": 1, "50_plus": 2},
            POSTCODE_DISTRICT: {"NF5": 7, "NF6": 6, "NF7": 4, "NF8": 4, "": 1},
        },
    ),
    # Westbrook residents who mystery-shopped the 101 line (14 of 20).
    Group(
        "101 line shoppers",
        "shopper",
        "@westbrook.northfield.example",
        20,
        {
            "age": {"25_34": 1, "35_49": 2, "50_64": 4, "65_74": 5, "75_plus": 2},
            "sex": {"female": 9, "male": 4, "prefer_not": 1},
            "gender_identity": {"same": 13, "prefer_not": 1},
            "ethnic_group": {"white": 11, "asian": 2, "black": 1},
            "disability": {"a_little": 2, "no": 11, "prefer_not": 1},
            "religion": {"christian": 6, "none": 5, "muslim": 1, "prefer_not": 2},
            "sexual_orientation": {"straight": 13, "prefer_not": 1},
            "carer": {"no": 11, "up_to_19": 2, "50_plus": 1},
            POSTCODE_DISTRICT: {"NF2": 11, "NF1": 2, "": 1},
        },
    ),
)
