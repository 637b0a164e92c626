"""The Welsh beside the English in the API (decision 0025): read wherever the English is, written
where the API writes the English, and refused field by field like the website refuses it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from coproduce.api.tests.client import Api, fields
from coproduce.api.tests.loop import Loop
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import Decision
from coproduce.contributions.tests.world import World
from coproduce.insight import actions as insight_actions
from coproduce.insight.models import QuestionKind
from coproduce.services.models import Activity, ActivityState, Service

pytestmark = pytest.mark.django_db

AsRole = Callable[[str], Api]
ENGLISH_FIRST = "Write this in English as well: the Welsh goes beside it."
SERVICE = {
    "organisation": "owner-council",
    "name": "Night buses",
    "summary": "Buses after midnight.",
    "policy_area": "transport",
    "area_served": "Northfield",
}


@pytest.fixture
def staff(as_role: AsRole) -> Api:
    """A professional of the owning organisation."""
    return as_role("professional")


def _rule_errors(response: Any) -> dict[tuple[Any, ...], str]:
    assert response.status_code == 422, response.content
    return {tuple(issue["loc"]): issue["msg"] for issue in response.json()["detail"]}


# --- Services and activities --------------------------------------------------------------------


def test_a_service_is_created_read_and_changed_in_both_languages(
    world: World, staff: Api, anonymous: Api
) -> None:
    welsh = {"name_cy": " Bysiau nos ", "summary_cy": "Bysiau ar ôl hanner nos."}
    response = staff.post("/services", {**SERVICE, **welsh, "publish": True})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name_cy"], body["summary_cy"], body["description_cy"]) == (
        "Bysiau nos",
        "Bysiau ar ôl hanner nos.",
        "",
    )
    listed = anonymous.get("/services", {"q": "bysiau"}).json()["items"]
    assert [(s["slug"], s["name_cy"]) for s in listed] == [("night-buses", "Bysiau nos")]
    changed = staff.patch(
        "/services/night-buses", {"description": "Every night.", "description_cy": "Bob nos."}
    ).json()
    assert (changed["description_cy"], changed["name_cy"]) == ("Bob nos.", "Bysiau nos")
    assert staff.patch("/services/night-buses", {"name_cy": None}).json()["name_cy"] == (
        "Bysiau nos"  # null: unchanged
    )
    assert staff.patch("/services/night-buses", {"name_cy": ""}).json()["name_cy"] == ""


def test_welsh_without_english_is_refused_on_its_field(world: World, staff: Api) -> None:
    response = staff.post("/services", {**SERVICE, "description_cy": "Bob nos."})
    assert _rule_errors(response) == {("body", "description_cy"): ENGLISH_FIRST}
    assert not Service.objects.filter(slug="night-buses").exists()
    path = f"/activities/{world.draft_activity.pk}"
    # The outcome is written when the activity is reported; a draft has none to translate.
    assert _rule_errors(staff.patch(path, {"outcome_cy": "Wedi gwneud."})) == {
        ("body", "outcome_cy"): ENGLISH_FIRST
    }


@pytest.mark.parametrize(
    ("change", "loc", "kind"),
    [
        ({"name_cy": "x" * 201}, ("body", "name_cy"), "string_too_long"),
        ({"summary_cy": "x" * 301}, ("body", "summary_cy"), "string_too_long"),
        ({"name_cy": 5}, ("body", "name_cy"), "string_type"),
        ({"name_cy": "a\x00b"}, ("body", "name_cy"), "value_error"),
    ],
)
def test_bad_welsh_is_a_field_level_422(
    world: World, staff: Api, change: dict[str, Any], loc: tuple[Any, ...], kind: str
) -> None:
    assert fields(staff.post("/services", {**SERVICE, **change})) == {loc: kind}


def test_an_activity_in_both_languages_and_its_welsh_outcome(
    world: World, staff: Api, anonymous: Api
) -> None:
    made = staff.post(
        "/services/published-service/activities",
        {
            "stage": "commissioning",
            "kind": "meeting",
            "title": "Open evening",
            "title_cy": "Noson agored",
            "summary": "Meet the team.",
            "summary_cy": "Dewch i gwrdd â'r tîm.",
            "how_to_take_part": "Thursdays, 6pm.",
            "how_to_take_part_cy": "Nos Iau, 6pm.",
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["title_cy"], body["how_to_take_part_cy"], body["outcome_cy"]) == (
        "Noson agored",
        "Nos Iau, 6pm.",
        "",
    )
    path = f"/activities/{body['id']}"
    for state in (ActivityState.OPEN, ActivityState.CLOSED):
        assert staff.post(f"{path}/transitions", {"to_state": state}).status_code == 200
    reported = staff.post(
        f"{path}/transitions",
        {"to_state": "reported", "outcome": "Two more evenings.", "outcome_cy": "Dwy noson arall."},
    ).json()
    assert (reported["outcome"], reported["outcome_cy"]) == (
        "Two more evenings.",
        "Dwy noson arall.",
    )
    read = anonymous.get(path).json()
    assert (read["title_cy"], read["summary_cy"], read["outcome_cy"]) == (
        "Noson agored",
        "Dewch i gwrdd â'r tîm.",
        "Dwy noson arall.",
    )
    assert staff.patch(path, {"outcome_cy": "Dwy noson."}).json()["outcome_cy"] == "Dwy noson."
    listed = anonymous.get("/services/published-service/activities").json()["items"]
    assert "Noson agored" in [a["title_cy"] for a in listed]
    assert Activity.objects.get(pk=body["id"]).outcome_cy == "Dwy noson."


# --- Decisions, answers and survey questions ----------------------------------------------------


def test_a_decision_is_recorded_and_read_with_its_welsh(
    world: World, staff: Api, anonymous: Api
) -> None:
    from django.utils import timezone

    made = staff.post(
        "/services/published-service/decisions",
        {
            "title": "Open on Saturdays",
            "title_cy": "Ar agor ar ddydd Sadwrn",
            "description": "From May.",
            "description_cy": "O fis Mai.",
            "decided_by": "Service manager",
            "decided_on": timezone.localdate().isoformat(),
        },
    )
    assert made.status_code == 201, made.content
    assert (made.json()["title_cy"], made.json()["description_cy"]) == (
        "Ar agor ar ddydd Sadwrn",
        "O fis Mai.",
    )
    decision = Decision.objects.get(title="Open on Saturdays")
    read = anonymous.get(f"/decisions/{decision.pk}").json()
    assert (read["title_cy"], read["description_cy"]) == ("Ar agor ar ddydd Sadwrn", "O fis Mai.")
    listed = anonymous.get("/services/published-service/decisions").json()["items"]
    assert {d["title"]: d["title_cy"] for d in listed} == {
        "Open on Saturdays": "Ar agor ar ddydd Sadwrn",
        "A decision": "",
    }
    too_long = staff.post(
        "/services/published-service/decisions",
        {
            **{k: read[k] for k in ("title", "description", "decided_by", "decided_on")},
            "title_cy": "x" * 201,
        },
    )
    assert fields(too_long) == {("body", "title_cy"): "string_too_long"}


def test_an_answer_is_written_with_its_welsh_and_read_with_the_contribution(
    world: World, loop: Loop, staff: Api, anonymous: Api
) -> None:
    idea = loop.idea.contribution
    spine_actions.decision_set_welsh(
        decision=world.decision,
        by=world.people["professional"],
        title_cy="Penderfyniad",
        description_cy="Oherwydd.",
    )
    spine_actions.decision_link(
        decision=world.decision, contributions=[idea], linked_by=world.people["professional"]
    )
    made = staff.post(
        f"/contributions/{idea.pk}/responses", {"body": "Good idea.", "body_cy": "Syniad da."}
    )
    assert made.status_code == 201, made.content
    assert (made.json()["body"], made.json()["body_cy"]) == ("Good idea.", "Syniad da.")
    body = anonymous.get(f"/contributions/{idea.pk}").json()
    assert [(r["body"], r["body_cy"]) for r in body["responses"]] == [("Good idea.", "Syniad da.")]
    assert [d["title_cy"] for d in body["decisions"]] == ["Penderfyniad"]
    too_long = staff.post(
        f"/contributions/{idea.pk}/responses", {"body": "Yes.", "body_cy": "x" * 5001}
    )
    assert fields(too_long) == {("body", "body_cy"): "string_too_long"}


def test_survey_answers_carry_the_welsh_of_their_question(
    world: World, loop: Loop, as_role: AsRole
) -> None:
    question = loop.survey.survey.questions.get(kind=QuestionKind.FREE_TEXT)
    insight_actions.question_set_welsh(
        question=question, user=world.people["facilitator"], text_cy="Beth fyddai'n helpu fwyaf?"
    )
    need = as_role("anonymous").get(f"/contributions/{loop.submission.pk}").json()["need"]
    assert [(a["question_text"], a["question_text_cy"]) for a in need["answers"]] == [
        (question.text, "Beth fyddai'n helpu fwyaf?")
    ]
