"""Service, lifecycle and activity endpoints: what the public sees, and every write."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

from coproduce.api.tests.client import Api, fields
from coproduce.contributions.tests.world import World
from coproduce.services.models import (
    PROMISES,
    ActivityKind,
    ActivityState,
    InvolvementLevel,
    PolicyArea,
    Service,
    ServiceStatus,
    Stage,
)
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory

pytestmark = pytest.mark.django_db

AsRole = Callable[[str], Api]


@pytest.fixture
def staff(as_role: AsRole) -> Api:
    """A professional of the owning organisation."""
    return as_role("professional")


def _slugs(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


# --- Public reads --------------------------------------------------------------------------------
def test_the_public_sees_published_services_only(world: World, anonymous: Api) -> None:
    assert _slugs(anonymous.get("/services")) == ["published-service"]


def test_members_also_see_their_drafts_but_no_one_elses(world: World, as_role: AsRole) -> None:
    ServiceFactory.create(organisation=world.other, name="Other draft", status=ServiceStatus.DRAFT)
    assert _slugs(as_role("facilitator").get("/services")) == ["draft-service", "published-service"]
    assert _slugs(as_role("other_professional").get("/services")) == [
        "other-draft",
        "published-service",
    ]
    assert len(_slugs(as_role("superuser").get("/services"))) == 3


def test_a_draft_is_404_to_outsiders_and_visible_to_members(world: World, as_role: AsRole) -> None:
    for role in ("anonymous", "resident", "other_professional"):
        response = as_role(role).get("/services/draft-service")
        assert response.status_code == 404, role
        assert response.json() == {"detail": "Not found."}
        assert as_role(role).get("/services/draft-service/activities").status_code == 404
    for role in ("facilitator", "professional", "org_admin", "superuser"):
        response = as_role(role).get("/services/draft-service")
        assert response.status_code == 200, role
        assert response.json()["status"] == "draft"


def test_search_filters(world: World, anonymous: Api) -> None:
    ServiceFactory.create(
        organisation=world.owner,
        name="Community transport",
        area_served="Eastvale",
        policy_area=PolicyArea.TRANSPORT,
    )
    assert _slugs(anonymous.get("/services", {"q": "transport"})) == ["community-transport"]
    assert _slugs(anonymous.get("/services", {"q": "owner council"})) == [
        "community-transport",
        "published-service",
    ]
    assert _slugs(anonymous.get("/services", {"area": "eastvale"})) == ["community-transport"]
    assert _slugs(anonymous.get("/services", {"policy_area": "health"})) == ["published-service"]
    assert _slugs(anonymous.get("/services", {"stage": "design"})) == []
    assert _slugs(anonymous.get("/services", {"stage": "commissioning", "limit": 1})) == [
        "community-transport"
    ]


@pytest.mark.parametrize(
    ("params", "loc", "kind"),
    [
        ({"q": "a\x00b"}, ("query", "q"), "value_error"),
        ({"area": "\x1b[31m"}, ("query", "area"), "value_error"),
        ({"q": "x" * 201}, ("query", "q"), "string_too_long"),
        ({"policy_area": "astrology"}, ("query", "policy_area"), "enum"),
        ({"stage": "done"}, ("query", "stage"), "enum"),
    ],
)
def test_bad_filters_are_422_not_500(
    world: World, anonymous: Api, params: dict[str, str], loc: tuple[str, str], kind: str
) -> None:
    assert fields(anonymous.get("/services", params)) == {loc: kind}


def test_the_service_page_data(world: World, anonymous: Api) -> None:
    body = anonymous.get("/services/published-service").json()
    assert body["organisation"] == "owner-council"
    assert [(s["cycle"], s["stage"]) for s in body["stages"]] == [(1, s) for s in Stage.values]
    commissioning = body["stages"][0]
    assert commissioning["started_at"] is not None
    assert commissioning["delivered_level"] == InvolvementLevel.INVOLVE  # the open idea challenge
    assert [a["title"] for a in body["activities"]] == ["Open activity"]  # no drafts in public
    assert body["democratisation_index"]["cycle"] == 1
    assert [r["stage"] for r in body["democratisation_index"]["rows"]] == Stage.values


def test_members_see_draft_activities_too(world: World, staff: Api, anonymous: Api) -> None:
    titles = {a["title"] for a in staff.get("/services/published-service").json()["activities"]}
    assert titles == {"Open activity", "Draft activity"}
    listed = staff.get("/services/published-service/activities").json()
    assert listed["count"] == 2
    public = anonymous.get("/services/published-service/activities").json()
    assert [a["title"] for a in public["items"]] == ["Open activity"]
    assert public["count"] == 1


def test_a_draft_activity_is_404_to_outsiders(world: World, as_role: AsRole) -> None:
    path = f"/activities/{world.draft_activity.pk}"
    assert as_role("anonymous").get(path).status_code == 404
    assert as_role("other_professional").get(path).status_code == 404
    assert as_role("facilitator").get(path).json()["state"] == "draft"
    open_one = as_role("anonymous").get(f"/activities/{world.open_activity.pk}").json()
    assert open_one["next_states"] == ["closed"]


@pytest.mark.parametrize("activity_id", ["0", "-1", "2147483648", str(2**63), "1e3", "x"])
def test_impossible_ids_are_422_never_reach_the_database(
    world: World, anonymous: Api, activity_id: str
) -> None:
    assert list(fields(anonymous.get(f"/activities/{activity_id}"))) == [("path", "activity_id")]


def test_an_unknown_address_under_the_api_is_a_json_404(world: World, staff: Api) -> None:
    for response in (
        staff.get("/nothing/here"),
        staff.get("/services/published-service/nothing"),
        staff.post("/services/published-service/nothing", {}),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


# --- Creating and changing services -------------------------------------------------------------
NEW_SERVICE = {
    "organisation": "owner-council",
    "name": "  Night buses  ",
    "summary": "Buses after midnight.",
    "policy_area": "transport",
    "area_served": "Northfield",
}


def test_create_a_service_as_a_draft(world: World, staff: Api, anonymous: Api) -> None:
    response = staff.post("/services", {**NEW_SERVICE, "partners": ["other-trust"]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["slug"], body["name"], body["status"]) == ("night-buses", "Night buses", "draft")
    assert (body["current_stage"], body["current_cycle"]) == ("commissioning", 1)
    assert body["partners"] == ["other-trust"]
    assert anonymous.get("/services/night-buses").status_code == 404


def test_create_and_publish_at_once(world: World, staff: Api, anonymous: Api) -> None:
    assert staff.post("/services", {**NEW_SERVICE, "publish": True}).status_code == 201
    assert anonymous.get("/services/night-buses").json()["status"] == "published"


def test_create_in_an_unknown_organisation_is_404(world: World, staff: Api) -> None:
    assert staff.post("/services", {**NEW_SERVICE, "organisation": "nobody"}).status_code == 404


def test_an_unknown_partner_is_a_rule_error_on_partners(world: World, staff: Api) -> None:
    response = staff.post("/services", {**NEW_SERVICE, "partners": ["ghost", "other-trust"]})
    assert fields(response) == {("body", "partners"): "rule"}
    assert "ghost" in response.json()["detail"][0]["msg"]
    assert not Service.objects.filter(slug="night-buses").exists()


@pytest.mark.parametrize(
    ("change", "loc", "kind"),
    [
        ({"name": "Night\x00buses"}, ("body", "name"), "value_error"),  # PostgreSQL refuses NUL
        ({"summary": "bell\x07"}, ("body", "summary"), "value_error"),
        ({"name": "   "}, ("body", "name"), "value_error"),
        ({"name": ""}, ("body", "name"), "string_too_short"),
        ({"name": "x" * 201}, ("body", "name"), "string_too_long"),
        ({"description": "x" * 10_001}, ("body", "description"), "string_too_long"),
        ({"policy_area": "astrology"}, ("body", "policy_area"), "enum"),
        ({"organisation": "no spaces"}, ("body", "organisation"), "string_pattern_mismatch"),
        ({"partners": "other-trust"}, ("body", "partners"), "list_type"),
        ({"publish": "yes"}, ("body", "publish"), "bool_type"),
        ({"publish": 1}, ("body", "publish"), "bool_type"),
        ({"stauts": "published"}, ("body", "stauts"), "extra_forbidden"),
        ({"name": 12}, ("body", "name"), "string_type"),
    ],
)
def test_bad_service_input_is_a_field_level_422(
    world: World, staff: Api, change: dict[str, Any], loc: tuple[str, ...], kind: str
) -> None:
    response = staff.post("/services", {**NEW_SERVICE, **change})
    assert fields(response) == {loc: kind}
    assert "Value error" not in response.json()["detail"][0]["msg"]


def test_a_missing_field_is_named(world: World, staff: Api) -> None:
    body = {k: v for k, v in NEW_SERVICE.items() if k != "summary"}
    assert fields(staff.post("/services", body)) == {("body", "summary"): "missing"}


def test_text_that_is_not_valid_unicode_is_422_not_500(world: World, staff: Api) -> None:
    """A lone surrogate is valid JSON but cannot be stored as UTF-8 (SQLite or PostgreSQL)."""
    raw = '{"summary": "\\ud800"}'
    response = staff.post("/services/published-service/advance", raw, raw=True)
    assert list(fields(response)) == [("body", "summary")]


@pytest.mark.parametrize(
    ("body", "status"),
    [("{not json", 400), ("[null, null]", 422), ('"x"', 422), ("null", 422), ("", 422)],
)
def test_a_body_that_is_not_a_json_object_is_refused(
    world: World, staff: Api, body: str, status: int
) -> None:
    """Regression: ninja's schemas read attributes, so '"x"' once set the title to str.title()."""
    response = staff.patch(f"/activities/{world.draft_activity.pk}", body, raw=True)
    assert response.status_code == status, response.content
    world.draft_activity.refresh_from_db()
    assert world.draft_activity.title == "Draft activity"


def test_a_body_over_the_size_limit_is_a_json_413(world: World, staff: Api, settings: Any) -> None:
    """Regression: a body over DATA_UPLOAD_MAX_MEMORY_SIZE was a 500 with a plain-text traceback
    (DEBUG on) or the website's HTML 400 page; it is the API's JSON error, for every write."""
    settings.DEBUG = True  # as in the demo, where ninja answered with the traceback
    too_big = json.dumps({"name": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    for method, path in [
        ("post", "/services"),
        ("patch", f"/activities/{world.draft_activity.pk}"),
        ("put", "/services/published-service/involvement"),
    ]:
        response = getattr(staff, method)(path, too_big, raw=True)
        assert response.status_code == 413, (method, path, response.content[:200])
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {
            "detail": "The request body is too large: send at most 2.5 MB in one request."
        }
    world.draft_activity.refresh_from_db()
    assert world.draft_activity.title == "Draft activity"
    # Without a valid token the body is never read: 401, as for any write.
    assert Api().post("/services", too_big, raw=True).status_code == 401


def test_patch_a_service_changes_only_what_is_sent(world: World, staff: Api) -> None:
    response = staff.patch(
        "/services/published-service", {"name": "Renamed", "summary": None, "description": ""}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["slug"]) == ("Renamed", "published-service")
    assert body["summary"] == world.service.summary
    assert body["description"] == ""


def test_publish_and_unpublish_through_status(world: World, staff: Api, anonymous: Api) -> None:
    assert staff.patch("/services/draft-service", {"status": "published"}).status_code == 200
    assert anonymous.get("/services/draft-service").status_code == 200
    assert staff.patch("/services/draft-service", {"status": "draft"}).status_code == 200
    assert anonymous.get("/services/draft-service").status_code == 404


def test_set_involvement_replaces_the_plan_of_the_current_cycle(world: World, staff: Api) -> None:
    path = "/services/published-service/involvement"
    staff.put(path, {"commissioning": "consult", "design": "empower"})
    body = staff.put(path, {"design": "collaborate", "delivery": None}).json()
    planned = {s["stage"]: s["planned_level"] for s in body["stages"]}
    assert planned == {
        "commissioning": None,  # left out of the PUT: not decided
        "design": "collaborate",
        "delivery": None,
        "implementation": None,
        "assessment": None,
    }
    design = body["stages"][1]
    assert design["promise"] == str(PROMISES[InvolvementLevel.COLLABORATE])
    rows = {r["stage"]: r for r in body["democratisation_index"]["rows"]}
    assert rows["design"]["planned_rank"] == 4
    assert body["democratisation_index"]["planned_score"] == round(100 * 4 / 25)


def test_a_plan_that_changes_an_ended_stage_is_422(world: World, staff: Api) -> None:
    path = "/services/published-service"
    staff.put(f"{path}/involvement", {"commissioning": "consult"})
    staff.post(f"{path}/advance", {"summary": "Commissioned with residents."})
    response = staff.put(f"{path}/involvement", {"design": "empower"})  # commissioning left out
    assert response.status_code == 422
    assert "has ended" in json.dumps(response.json())
    body = staff.put(f"{path}/involvement", {"commissioning": "consult", "design": "empower"})
    planned = {s["stage"]: s["planned_level"] for s in body.json()["stages"]}
    assert (planned["commissioning"], planned["design"]) == ("consult", "empower")


def test_an_unknown_involvement_level_is_422(world: World, staff: Api) -> None:
    response = staff.put("/services/published-service/involvement", {"design": "shout"})
    assert fields(response) == {("body", "design"): "enum"}


def test_advance_through_a_whole_cycle_into_the_next(world: World, staff: Api) -> None:
    path = "/services/published-service"
    staff.put(f"{path}/involvement", {"commissioning": "consult", "assessment": "involve"})
    seen = []
    for n in range(5):
        body = staff.post(f"{path}/advance", {"summary": f"Stage {n} done."}).json()
        seen.append((body["current_cycle"], body["current_stage"]))
    assert seen == [
        (1, "design"),
        (1, "delivery"),
        (1, "implementation"),
        (1, "assessment"),
        (2, "commissioning"),
    ]
    stages = body["stages"]
    assert len(stages) == 10
    first = stages[0]
    assert (first["cycle"], first["summary"], first["ended_at"] is not None) == (
        1,
        "Stage 0 done.",
        True,
    )
    new = stages[5]
    assert (new["cycle"], new["stage"], new["planned_level"]) == (2, "commissioning", "consult")
    assert new["started_at"] is not None
    assert stages[9]["planned_level"] == "involve"  # the new cycle starts from the last plan
    assert body["democratisation_index"]["cycle"] == 2


def test_advance_without_a_body_field_is_fine(world: World, staff: Api) -> None:
    response = staff.post("/services/published-service/advance", {})
    assert response.json()["current_stage"] == "design"


# --- Activities ---------------------------------------------------------------------------------
NEW_ACTIVITY = {
    "stage": "commissioning",
    "kind": "needs_survey",
    "title": "What do you need?",
    "summary": "A short survey.",
    "opens_on": "2026-03-01",
    "closes_on": "2026-03-31",
}


def test_add_an_activity(world: World, as_role: AsRole) -> None:
    response = as_role("facilitator").post("/services/published-service/activities", NEW_ACTIVITY)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["stage"], body["cycle"]) == ("draft", "commissioning", 1)
    assert (body["opens_on"], body["next_states"]) == ("2026-03-01", ["open"])


@pytest.mark.parametrize(
    ("change", "loc", "kind"),
    [
        ({"closes_on": "2026-02-01"}, ("body", "closes_on"), "rule"),
        ({"opens_on": 1767225600}, ("body", "opens_on"), "value_error"),  # no timestamps
        ({"opens_on": "2026-3-1"}, ("body", "opens_on"), "value_error"),
        ({"opens_on": "2026-02-30"}, ("body", "opens_on"), "date_from_datetime_parsing"),
        ({"opens_on": "0001-01-01"}, ("body", "opens_on"), "value_error"),  # years 2000–2099
        ({"closes_on": "9999-12-31"}, ("body", "closes_on"), "value_error"),
        ({"closes_on": "2099-12-31"}, ("body", "closes_on"), "rule"),  # over ten years ahead
        ({"stage": "finished"}, ("body", "stage"), "enum"),
        ({"kind": "party"}, ("body", "kind"), "enum"),
    ],
)
def test_bad_activity_input_is_a_field_level_422(
    world: World, staff: Api, change: dict[str, Any], loc: tuple[str, ...], kind: str
) -> None:
    response = staff.post("/services/published-service/activities", {**NEW_ACTIVITY, **change})
    assert fields(response) == {loc: kind}


def test_patch_an_activity(world: World, staff: Api) -> None:
    path = f"/activities/{world.draft_activity.pk}"
    body = staff.patch(path, {"title": "Renamed", "kind": "meeting", "opens_on": None}).json()
    assert (body["title"], body["kind"], body["opens_on"]) == ("Renamed", "meeting", None)
    assert body["closes_on"] is not None  # left out: unchanged
    assert staff.patch(path, {"title": None}).json()["title"] == "Renamed"  # null: unchanged


def test_the_method_cannot_change_once_open(world: World, staff: Api) -> None:
    response = staff.patch(f"/activities/{world.open_activity.pk}", {"kind": "meeting"})
    assert fields(response) == {("body", "kind"): "rule"}
    same = staff.patch(f"/activities/{world.open_activity.pk}", {"kind": "idea_challenge"})
    assert same.status_code == 200


def test_patch_dates_are_checked_against_the_stored_ones(world: World, staff: Api) -> None:
    stored = world.draft_activity.opens_on
    assert stored is not None
    before = (stored - dt.timedelta(days=1)).isoformat()
    response = staff.patch(f"/activities/{world.draft_activity.pk}", {"closes_on": before})
    assert fields(response) == {("body", "closes_on"): "rule"}


def test_the_lifecycle_of_an_activity(world: World, staff: Api) -> None:
    path = f"/activities/{world.draft_activity.pk}/transitions"
    assert staff.post(path, {"to_state": "open"}).json()["state"] == "open"
    assert staff.post(path, {"to_state": "closed"}).json()["state"] == "closed"
    assert staff.post(path, {"to_state": "open"}).json()["state"] == "open"  # re-opened
    assert staff.post(path, {"to_state": "closed"}).status_code == 200
    reported = staff.post(path, {"to_state": "reported", "outcome": "  We added evening hours. "})
    assert (reported.json()["state"], reported.json()["outcome"]) == (
        "reported",
        "We added evening hours.",
    )
    assert reported.json()["next_states"] == []


@pytest.mark.parametrize(
    ("start", "to_state"),
    [
        (ActivityState.OPEN, "draft"),
        (ActivityState.DRAFT, "closed"),
        (ActivityState.DRAFT, "draft"),
        (ActivityState.REPORTED, "open"),
        (ActivityState.CLOSED, "draft"),
    ],
)
def test_impossible_transitions_are_422_on_to_state(
    world: World, staff: Api, start: str, to_state: str
) -> None:
    activity = ActivityFactory.create(service=world.service, state=start)
    response = staff.post(f"/activities/{activity.pk}/transitions", {"to_state": to_state})
    assert fields(response) == {("body", "to_state"): "rule"}
    assert "cannot become" in response.json()["detail"][0]["msg"]
    activity.refresh_from_db()
    assert activity.state == start


def test_reporting_needs_an_outcome(world: World, staff: Api) -> None:
    activity = ActivityFactory.create(service=world.service, state=ActivityState.CLOSED)
    response = staff.post(f"/activities/{activity.pk}/transitions", {"to_state": "reported"})
    assert fields(response) == {("body", "outcome"): "rule"}


def test_an_activity_cannot_open_before_its_stage_starts(world: World, staff: Api) -> None:
    activity = ActivityFactory.create(
        service=world.service, stage=Stage.DELIVERY, kind=ActivityKind.MEETING
    )
    response = staff.post(f"/activities/{activity.pk}/transitions", {"to_state": "open"})
    assert fields(response) == {("body", "to_state"): "rule"}
    assert "has not started yet" in response.json()["detail"][0]["msg"]


def test_an_unknown_state_is_an_enum_error(world: World, staff: Api) -> None:
    response = staff.post(f"/activities/{world.draft_activity.pk}/transitions", {"to_state": "x"})
    assert fields(response) == {("body", "to_state"): "enum"}
