"""What the demo's needs surveys and story collections are made of (insight.py seeds them): for the
recovery, policing, youth mental health and community transport services their survey questions,
people's answers, community assets and stories, what happens to each (published, waiting for a
moderator or answered), the official reply, and the decision the answers informed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from coproduce.insight.models import AssetKind, QuestionKind
from coproduce.services.models import ActivityKind

# What happens to a contribution after it is made.
PUBLISHED, PENDING, ANSWERED = "published", "pending", "answered"


@dataclass
class Answers:
    """One person's answers, in question order (None skips a question)."""

    person: str | None  # email; None answers without an account (confirmed by email)
    values: list[Any]
    then: str = PUBLISHED
    display: str = "first_name"


@dataclass
class AssetSpec:
    person: str
    kind: str
    name: str
    description: str
    area: str = ""
    postcode: str = ""
    place: str = ""
    then: str = PUBLISHED


@dataclass
class StorySpec:
    person: str
    title: str
    body: str
    display: str
    then: str = PUBLISHED


@dataclass
class Chapter:
    """The insight content of one demo service."""

    answerer: str  # email of the professional who answers
    moderator: str  # email of the admin who moderates
    reply: str  # the official answer given to answered contributions
    introduction: str = ""
    anonymous_answers: bool = False
    questions: list[dict[str, Any]] = field(default_factory=list)
    answers: list[Answers] = field(default_factory=list)
    assets: list[AssetSpec] = field(default_factory=list)
    stories: list[StorySpec] = field(default_factory=list)
    decision: dict[str, Any] | None = None


RECOVERY = Chapter(
    answerer="tom.price@northfield.example",
    moderator="amira.khan@northfield.example",
    reply="Thank you. Support in the evenings and at weekends is now one of the three outcomes the "
    "new service must deliver: the hub on Station Road is open until 9pm on weekdays and on "
    "Saturday mornings.",
    introduction="We are re-commissioning the recovery service. Tell us what would help you or "
    "your family. It takes about five minutes.",
    questions=[
        {
            "text": "What kind of support would help you most?",
            "kind": QuestionKind.MULTIPLE_CHOICE,
            "options": [
                "Someone to talk to who has been there",
                "Help outside office hours",
                "Support for my family",
                "Help with housing or money",
                "Things to do with my time",
            ],
            "required": True,
        },
        {
            "text": "When do you most need support?",
            "kind": QuestionKind.SINGLE_CHOICE,
            "options": ["Weekday daytime", "Weekday evenings", "Weekends"],
        },
        {
            "text": "How easy was it to find help the last time you needed it?",
            "kind": QuestionKind.SCALE,
            "scale_low_label": "Very hard",
            "scale_high_label": "Very easy",
        },
        {
            "text": "What one thing would make the biggest difference?",
            "kind": QuestionKind.FREE_TEXT,
            "help_text": "Tell us in your own words.",
        },
    ],
    answers=[
        Answers(
            "resident@example.org",
            [
                ["Someone to talk to who has been there", "Help outside office hours"],
                "Weekday evenings",
                2,
                "A phone number that someone actually answers after 5pm.",
            ],
            ANSWERED,
        ),
        Answers(
            "priya.s@example.org",
            [
                ["Support for my family"],
                "Weekends",
                1,
                "Help for my mum, who has looked after me on her own for two years.",
            ],
            ANSWERED,
            "anonymous",
        ),
        Answers(
            "dave.m@example.org",
            [
                ["Someone to talk to who has been there"],
                "Weekday evenings",
                3,
                "Peer mentors. Talking to someone who had been through it is what kept me going.",
            ],
        ),
        Answers(
            "amina.yusuf@example.org", [["Help with housing or money"], "Weekday daytime", 2, ""]
        ),
        Answers(
            "gareth.lloyd@example.org",
            [
                ["Help outside office hours", "Things to do with my time"],
                "Weekends",
                1,
                "Somewhere to go on a Saturday that isn't the pub.",
            ],
            ANSWERED,
            "named",
        ),
        Answers("ellie.chen@example.org", [["Support for my family"], "Weekday evenings", 3, ""]),
        Answers(
            "marcus.reid@example.org",
            [
                ["Someone to talk to who has been there", "Help with housing or money"],
                "Weekends",
                2,
                "Not having to tell my story again every time I see someone new.",
            ],
        ),
        Answers("bridget.oconnor@example.org", [["Help outside office hours"], None, 4, ""]),
    ],
    assets=[
        AssetSpec(
            "dave.m@example.org",
            AssetKind.PEOPLE,
            "Peer mentors from the Northfield Recovery Network",
            "Twelve of us have been in recovery for more than two years and have trained as "
            "mentors. We can meet people at the hub or go with them to appointments.",
            area="Northfield town centre",
            then=ANSWERED,
        ),
        AssetSpec(
            "priya.s@example.org",
            AssetKind.GROUP,
            "Families in Recovery support group",
            "A group for parents, partners and children of people in recovery. We meet every "
            "other Tuesday evening.",
            area="Westbrook",
            place="The back room of Westbrook library",
        ),
        AssetSpec(
            "lena.novak@nca.example",
            AssetKind.PLACE,
            "Community Action café",
            "Our café on Mill Lane has a quiet room that groups can book for free in the evenings.",
            area="Northfield town centre",
            postcode="NF1 4QT",
        ),
    ],
    decision={
        "title": "Evening and weekend support, aftercare and peer mentoring written into the "
        "contract",
        "description": "The three outcomes people asked for most in the survey are now part of "
        "the service specification, with targets the provider reports on "
        "every quarter.",
        "decided_by": "Public Health Commissioning Board",
        "days_ago": 255,
    },
)

RECOVERY_STORIES = Chapter(
    answerer="tom.price@northfield.example",
    moderator="amira.khan@northfield.example",
    reply="Thank you for telling us. Your story is one of the reasons the new service has a "
    "single first contact, so nobody is sent from one place to another.",
    stories=[
        StorySpec(
            "resident@example.org",
            "The night I rang for help",
            "I rang the old number on a Friday night and got an answering machine. It was another "
            "week before I had the courage to ring again. That week nearly cost me everything.\n\n"
            "When I finally got through, the woman I spoke to had been in recovery herself. She "
            "did not rush me. That is what I want for everyone who rings.",
            "named",
            ANSWERED,
        ),
        StorySpec(
            "gareth.lloyd@example.org",
            "What my son needed",
            "My son was told to come back when he was sober. He needed help to get sober. We went "
            "round in circles for months until a nurse at our GP surgery made some calls for us.",
            "first_name",
        ),
        StorySpec(
            "tomasz.nowak@example.org",
            "Waiting six weeks",
            "Six weeks from my first appointment to my second. Nobody told me why. I would have "
            "been fine waiting if someone had rung to say I had not been forgotten.",
            "anonymous",
            ANSWERED,
        ),
    ],
)

POLICING = Chapter(
    answerer="pc.ali@police-eastvale.example",
    moderator="insp.jones@police-eastvale.example",
    reply="Thank you. Speeding near schools became one of this year's three priorities. Speed-"
    "watch volunteers now work with us outside three schools every week.",
    introduction="Help set the neighbourhood team's priorities for the year.",
    questions=[
        {
            "text": "Which problems should the neighbourhood team focus on?",
            "kind": QuestionKind.MULTIPLE_CHOICE,
            "options": [
                "Speeding near schools",
                "Drug dealing",
                "Anti-social behaviour",
                "Burglary",
                "Bike theft",
            ],
            "required": True,
        },
        {
            "text": "How safe do you feel walking in your area after dark?",
            "kind": QuestionKind.SCALE,
            "scale_low_label": "Not safe at all",
            "scale_high_label": "Very safe",
        },
        {
            "text": "Is there anything else the team should know?",
            "kind": QuestionKind.FREE_TEXT,
        },
    ],
    answers=[
        Answers(
            "resident@example.org",
            [["Speeding near schools", "Bike theft"], 3, "Cars race down Park Road at home time."],
            ANSWERED,
        ),
        Answers("priya.s@example.org", [["Drug dealing", "Anti-social behaviour"], 2, ""]),
        Answers("dave.m@example.org", [["Anti-social behaviour"], 2, ""]),
        Answers(
            "leah.francis@example.org",
            [["Speeding near schools"], 4, "The bus station is fine in the day, but not at night."],
        ),
        Answers("kwame.mensah@example.org", [["Drug dealing", "Burglary"], 1, ""]),
        Answers("rosie.hughes@example.org", [["Speeding near schools", "Drug dealing"], 3, ""]),
        Answers(
            "danny.walsh@example.org",
            [["Bike theft"], 4, "Two bikes stolen from our street this year. Nobody came."],
            ANSWERED,
            "named",
        ),
    ],
    assets=[
        AssetSpec(
            "leah.francis@example.org",
            AssetKind.GROUP,
            "Friends of Westbrook Park",
            "We litter-pick every month and run a summer fun day. We know the park well and "
            "would like to help make it safer.",
            area="Westbrook",
            then=ANSWERED,
        ),
        AssetSpec(
            "rosie.hughes@example.org",
            AssetKind.PEOPLE,
            "Parents willing to run speed-watch",
            "Eight parents at Park Road Primary have said they would give an hour a week.",
            area="Northfield town centre",
            postcode="NF2 7AB",
        ),
    ],
)

YOUTH = Chapter(
    answerer="sam.reid@nhs-northfield.example",
    moderator="grace.obi@nhs-northfield.example",
    reply="Thank you. We have read every answer. Text and chat support came out on top, so the "
    "young people's panel will consider it first when it decides how to spend the new money.",
    introduction="Tell us what support you would use, and where and when. You can answer without "
    "an account: we will email you a link to confirm your answers.",
    anonymous_answers=True,
    questions=[
        {
            "text": "Where would you feel comfortable getting support?",
            "kind": QuestionKind.MULTIPLE_CHOICE,
            "options": [
                "At school or college",
                "Online or by text",
                "At a youth club",
                "At a GP surgery",
                "At home",
            ],
            "required": True,
        },
        {
            "text": "How would you like to first get in touch?",
            "kind": QuestionKind.SINGLE_CHOICE,
            "options": ["Text or chat", "Phone call", "Face to face", "Through a teacher"],
            "required": True,
        },
        {
            "text": "How easy is it to get mental health support now?",
            "kind": QuestionKind.SCALE,
            "scale_low_label": "Very hard",
            "scale_high_label": "Very easy",
        },
        {
            "text": "What would have helped you, or someone you know?",
            "kind": QuestionKind.FREE_TEXT,
            "help_text": "Do not include names or details that could identify anyone.",
        },
    ],
    answers=[
        Answers(
            "ellie.chen@example.org",
            [
                ["Online or by text"],
                "Text or chat",
                1,
                "Being able to text at night, when it gets bad. Nobody answers the phone then.",
            ],
            ANSWERED,
        ),
        Answers(
            "leah.francis@example.org",
            [
                ["At school or college", "Online or by text"],
                "Through a teacher",
                2,
                "A teacher who knew where to send me instead of telling me to wait.",
            ],
        ),
        Answers(
            "danny.walsh@example.org",
            [
                ["At a youth club"],
                "Face to face",
                2,
                "Somewhere I can just turn up without an appointment.",
            ],
            PENDING,
        ),
        Answers(
            None, [["Online or by text", "At home"], "Text or chat", 1, ""], display="anonymous"
        ),
        Answers(
            None,
            [
                ["At school or college"],
                "Text or chat",
                2,
                "Counsellors who are not also my teachers.",
            ],
            PENDING,
            "anonymous",
        ),
        Answers("kwame.mensah@example.org", [["At a GP surgery"], "Phone call", 3, ""]),
        Answers(
            "amina.yusuf@example.org",
            [
                ["Online or by text", "At a youth club"],
                "Text or chat",
                None,
                "Help for my little brother. Waiting lists for under-16s are over a year.",
            ],
            PENDING,
        ),
    ],
    assets=[
        AssetSpec(
            "danny.walsh@example.org",
            AssetKind.PLACE,
            "Eastvale Youth Club",
            "Open Monday to Thursday evenings. The youth workers are already the people many "
            "young people talk to first.",
            area="Eastvale",
            postcode="EV3 2HS",
            then=ANSWERED,
        ),
        AssetSpec(
            "ellie.chen@example.org",
            AssetKind.PEOPLE,
            "Sixth-form peer listeners",
            "Sixteen students at Northfield College are trained as peer listeners and run a "
            "lunchtime drop-in.",
            area="Northfield town centre",
        ),
        AssetSpec(
            "mo.ahmed@nca.example",
            AssetKind.MONEY_TIME,
            "Volunteer hours from Community Action",
            "Our volunteers can give around 40 hours a month to help run drop-ins or activities.",
            area="Northfield",
        ),
    ],
)

YOUTH_STORIES = Chapter(
    answerer="sam.reid@nhs-northfield.example",
    moderator="grace.obi@nhs-northfield.example",
    reply="Thank you for being so honest. We have shared your story, with your permission, with "
    "the panel of young people who will decide how the new money is spent.",
    stories=[
        StorySpec(
            "ellie.chen@example.org",
            "Eleven months on a waiting list",
            "I was referred when I was fifteen and seen when I was sixteen. In between, the only "
            "help I had was a leaflet. What got me through was a youth worker who checked in "
            "every week, even though it wasn't her job.",
            "first_name",
            ANSWERED,
        ),
        StorySpec(
            "leah.francis@example.org",
            "Texting at 2am",
            "The text line was the first time I told anyone. I could not have said it out loud.",
            "anonymous",
        ),
        StorySpec(
            "danny.walsh@example.org",
            "Being taken seriously",
            "My GP listened, and that changed everything. I just wish it had not taken three "
            "appointments to get there.",
            "named",
            PENDING,
        ),
        StorySpec(
            "rosie.hughes@example.org",
            "A parent's view",
            "As a parent you do not know where to turn. There should be one number for families.",
            "first_name",
            PENDING,
        ),
    ],
)

TRANSPORT = Chapter(
    answerer="lena.novak@nca.example",
    moderator="dee.walsh@nca.example",
    reply="Thank you. Most people needed lifts to the GP and to the Tuesday market, so those "
    "were the first routes in the timetable.",
    introduction="We want to know who needs a lift, where to, and how often.",
    questions=[
        {
            "text": "Where do you need to get to?",
            "kind": QuestionKind.MULTIPLE_CHOICE,
            "options": [
                "GP surgery or hospital",
                "Shops and the Tuesday market",
                "Seeing family and friends",
                "Clubs and groups",
            ],
            "required": True,
        },
        {
            "text": "How often would you use a lift?",
            "kind": QuestionKind.SINGLE_CHOICE,
            "options": ["Every week", "Every month", "Now and then"],
        },
        {
            "text": "What stops you getting about now?",
            "kind": QuestionKind.FREE_TEXT,
        },
    ],
    answers=[
        Answers(
            "bridget.oconnor@example.org",
            [
                ["GP surgery or hospital", "Shops and the Tuesday market"],
                "Every week",
                "The bus only comes twice a day and the step is too high for me.",
            ],
            ANSWERED,
            "named",
        ),
        Answers("tomasz.nowak@example.org", [["Shops and the Tuesday market"], "Every week", ""]),
        Answers("rosie.hughes@example.org", [["Seeing family and friends"], "Every month", ""]),
        Answers(
            "marcus.reid@example.org",
            [
                ["GP surgery or hospital"],
                "Now and then",
                "Taxis cost £18 each way to the hospital.",
            ],
        ),
        Answers(
            "gareth.lloyd@example.org",
            [["Clubs and groups", "GP surgery or hospital"], "Every month", ""],
        ),
    ],
    assets=[
        AssetSpec(
            "gareth.lloyd@example.org",
            AssetKind.PEOPLE,
            "Retired drivers in Little Hampden",
            "Five of us have clean licences and time on our hands. Happy to drive once a week.",
            area="Little Hampden",
            then=ANSWERED,
        ),
        AssetSpec(
            "kath.byrne@union.example",
            AssetKind.EQUIPMENT,
            "Union branch minibus",
            "Our 12-seat minibus sits idle most weekdays. Community groups can borrow it.",
            area="Northfield",
            postcode="NF4 9LD",
        ),
    ],
)

CHAPTERS: dict[tuple[str, str], Chapter] = {
    ("drug-and-alcohol-recovery-service", ActivityKind.NEEDS_SURVEY): RECOVERY,
    ("drug-and-alcohol-recovery-service", ActivityKind.STORY_COLLECTION): RECOVERY_STORIES,
    ("neighbourhood-policing-in-northfield", ActivityKind.NEEDS_SURVEY): POLICING,
    ("youth-mental-health-support", ActivityKind.NEEDS_SURVEY): YOUTH,
    ("youth-mental-health-support", ActivityKind.STORY_COLLECTION): YOUTH_STORIES,
    ("community-transport-scheme", ActivityKind.NEEDS_SURVEY): TRANSPORT,
}
