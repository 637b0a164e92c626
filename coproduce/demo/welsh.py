"""The Welsh the demo's organisations wrote beside their English (docs/decisions/0025).

Every service has its name and summary in Welsh; the open evening at the recovery hub is in Welsh
in full; two surveys, two of the youth survey's questions, the youth service's decision and the
recovery team's answer to survey answers are in Welsh. Everything else is English only, so that
Welsh pages show the English with their note, and the staff pages list what has no Welsh yet.
Each item is found by its English, so running it twice changes nothing.
"""

from __future__ import annotations

from typing import Any

from coproduce.contributions.actions import decision_set_welsh
from coproduce.contributions.models import Decision, Response
from coproduce.demo.codesign_content import YOUTH_DECISION
from coproduce.demo.insight_content import RECOVERY
from coproduce.insight.models import Question
from coproduce.services.models import Activity, Service

SERVICES: dict[str, dict[str, str]] = {
    "Drug and alcohol recovery service": {
        "name_cy": "Gwasanaeth adfer rhag cyffuriau ac alcohol",
        "summary_cy": "Help cyfrinachol am ddim i unrhyw un yn Northfield sydd am newid y ffordd "
        "y mae'n yfed neu'n defnyddio cyffuriau, a chymorth i'w deulu.",
        "description_cy": "Mae'r cyngor yn ail-gomisiynu gwasanaeth adfer y fwrdeistref. Mae pobl "
        "sydd â phrofiad bywyd o adfer, a'u teuluoedd, yn helpu i benderfynu beth ddylai'r "
        "gwasanaeth ei gyflawni, i lunio sut mae'n gweithio, ac i wirio pa mor dda mae'n gwneud.",
    },
    "Neighbourhood policing in Northfield": {
        "name_cy": "Plismona bro yn Northfield",
        "summary_cy": "Eich tîm heddlu lleol: pwy ydyn nhw, beth maen nhw'n canolbwyntio arno, a "
        "sut mae preswylwyr yn gosod y blaenoriaethau.",
    },
    "Youth mental health support": {
        "name_cy": "Cymorth iechyd meddwl i bobl ifanc",
        "summary_cy": "Cymorth iechyd meddwl i bobl ifanc 11 i 25 oed, mewn ysgolion, ar-lein ac "
        "yn y gymuned.",
    },
    "Community transport scheme": {
        "name_cy": "Cynllun trafnidiaeth gymunedol",
        "summary_cy": "Teithiau o ddrws i ddrws mewn bws mini neu gar gwirfoddolwr i bobl sy'n ei "
        "chael hi'n anodd defnyddio bysiau.",
    },
    "Home care for older people": {
        "name_cy": "Gofal yn y cartref i bobl hŷn",
        "summary_cy": "Gofal yn y cartref i bobl hŷn, wedi'i gynllunio gyda'r bobl sy'n ei gael "
        "a'r gweithwyr gofal sy'n ei roi.",
    },
}

ACTIVITIES: dict[str, dict[str, str]] = {
    # In Welsh in full.
    "Open evening at the recovery hub": {
        "title_cy": "Noson agored yn yr hyb adfer",
        "summary_cy": "Dewch i gwrdd â'r tîm, gweld yr hyb a chlywed beth sy'n digwydd nesaf.",
        "how_to_take_part_cy": "Bob nos Iau, 6pm i 8pm, 14 Station Road, Northfield. Mynediad heb "
        "risiau. Does dim angen archebu lle.",
    },
    # Its report of what came of it is in English only.
    "What would help you or your family in recovery?": {
        "title_cy": "Beth fyddai'n eich helpu chi neu'ch teulu i adfer?",
        "summary_cy": "Arolwg o bobl sy'n adfer, teuluoedd a gweithwyr rheng flaen am yr hyn sy'n "
        "helpu.",
    },
    "What would help young people's mental health?": {
        "title_cy": "Beth fyddai'n helpu iechyd meddwl pobl ifanc?",
        "summary_cy": "Dywedwch wrthym pa gymorth y byddech chi'n ei ddefnyddio, a ble a phryd y "
        "byddech chi'n ei ddefnyddio.",
    },
}

# The youth survey's first two questions; the other two are English only.
QUESTIONS: dict[str, dict[str, Any]] = {
    "Where would you feel comfortable getting support?": {
        "text_cy": "Ble byddech chi'n teimlo'n gyfforddus yn cael cymorth?",
        "options_cy": [
            "Yn yr ysgol neu'r coleg",
            "Ar-lein neu drwy neges destun",
            "Mewn clwb ieuenctid",
            "Mewn meddygfa",
            "Gartref",
        ],
    },
    "How would you like to first get in touch?": {
        "text_cy": "Sut hoffech chi gysylltu â ni gyntaf?",
        "options_cy": [
            "Neges destun neu sgwrs ar-lein",
            "Galwad ffôn",
            "Wyneb yn wyneb",
            "Drwy athro",
        ],
    },
}

DECISIONS: dict[str, dict[str, str]] = {
    YOUTH_DECISION["title"]: {
        "title_cy": "Sesiynau galw heibio gyda'r nos mewn dau glwb ieuenctid o fis Ionawr",
        "description_cy": "Dywedodd straeon ac atebion arolwg pobl ifanc fod help yn dod yn rhy "
        "hwyr, a dim ond yn ystod oriau ysgol. Bydd yr ymddiriedolaeth yn ariannu gweithiwr "
        "ieuenctid a nyrs iechyd meddwl yng nghlybiau ieuenctid Eastgate a Millbrook ar "
        "nosweithiau Mawrth a Iau, heb fod angen atgyfeiriad.",
    },
}

# The recovery team's answer to people who answered its survey.
ANSWERS: dict[str, str] = {
    RECOVERY.reply: "Diolch. Mae cymorth gyda'r nos ac ar benwythnosau bellach yn un o'r tri "
    "chanlyniad y mae'n rhaid i'r gwasanaeth newydd eu cyflawni: mae'r hyb ar Station Road ar agor "
    "tan 9pm yn ystod yr wythnos ac ar fore Sadwrn.",
}


def add_welsh() -> None:
    """Write the Welsh beside the English it translates (the English rows exist already)."""
    for name, welsh in SERVICES.items():
        Service.objects.filter(name=name).update(**welsh)
    for title, welsh in ACTIVITIES.items():
        Activity.objects.filter(title=title).update(**welsh)
    for text, question_welsh in QUESTIONS.items():
        Question.objects.filter(text=text).update(**question_welsh)
    for title, welsh in DECISIONS.items():
        # Through the action, so the public ledger records the Welsh as a correction.
        for decision in Decision.objects.filter(title=title).select_related("recorded_by"):
            decision_set_welsh(decision=decision, by=decision.recorded_by, **welsh)
    for body, body_cy in ANSWERS.items():
        Response.objects.filter(body=body).update(body_cy=body_cy)
