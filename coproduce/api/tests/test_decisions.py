"""Decision endpoints: "you said, we did" in public, and recording decisions as staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from coproduce.api.tests.client import Api, fields
from coproduce.api.tests.loop import Loop
from coproduce.codesign.tests.factories import IdeaChallengeFactory, IdeaFactory
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import Decision
from coproduce.contributions.tests.world import World
from coproduce.notifications.models import Event, Notification
from coproduce.services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

AsRole = Callable[[str], Api]


def _decision() -> dict[str, Any]:
    """A decision made today (read when the test runs: a run may cross midnight)."""
    return {
        "title": "Open on Saturdays",
        "description": "From May, because many of you asked.",
        "decided_by": "Service manager",
        "decided_on": timezone.localdate().isoformat(),
    }


def _titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


# --- Reading ------------------------------------------------------------------------------------
def test_the_public_reads_a_services_decisions(world: World, anonymous: Api) -> None:
    response = anonymous.get("/services/published-service/decisions")
    assert _titles(response) == ["A decision"]
    item = response.json()["items"][0]
    assert (item["id"], item["service"], item["informed_by"]) == (
        world.decision.pk,
        "published-service",
        0,
    )
    assert (item["decided_by"], item["stage"], item["cycle"]) == ("The board", "commissioning", 1)
    assert response.json()["count"] == 1


def test_decisions_come_newest_first_a_page_at_a_time(world: World, anonymous: Api) -> None:
    staff = world.people["professional"]
    for days, title in ((10, "Older"), (1, "Newer")):
        spine_actions.decision_create(
            service=world.service,
            stage="commissioning",
            title=title,
            description="Why.",
            decided_by="Board",
            decided_on=timezone.localdate() - dt.timedelta(days=days),
            recorded_by=staff,
        )
    path = "/services/published-service/decisions"
    assert _titles(anonymous.get(path)) == ["A decision", "Newer", "Older"]
    page = anonymous.get(path, {"limit": 1, "offset": 1})
    assert (_titles(page), page.json()["count"]) == (["Newer"], 3)


@pytest.mark.parametrize("viewer", ["anonymous", "resident", "other_professional"])
def test_decisions_of_a_draft_service_are_404_to_outsiders(
    world: World, as_role: AsRole, viewer: str
) -> None:
    decision = spine_actions.decision_create(
        service=world.draft_service,
        stage="commissioning",
        title="Not yet public",
        description="Draft.",
        decided_by="Board",
        decided_on=timezone.localdate(),
        recorded_by=world.people["professional"],
    )
    assert as_role(viewer).get("/services/draft-service/decisions").status_code == 404
    assert as_role(viewer).get(f"/decisions/{decision.pk}").status_code == 404
    assert _titles(as_role("facilitator").get("/services/draft-service/decisions")) == [
        "Not yet public"
    ]
    assert as_role("facilitator").get(f"/decisions/{decision.pk}").status_code == 200


def test_a_decision_lists_the_published_contributions_that_informed_it(
    world: World, loop: Loop, anonymous: Api
) -> None:
    staff = world.people["professional"]
    spine_actions.decision_link(
        decision=world.decision,
        contributions=[loop.idea.contribution, loop.asset.contribution, loop.story.contribution],
        linked_by=staff,
    )
    spine_actions.moderation_hide(contribution=loop.story.contribution, moderator=staff)
    body = anonymous.get(f"/decisions/{world.decision.pk}").json()
    assert [(c["id"], c["kind"]) for c in body["contributions"]] == [
        (loop.idea.pk, "idea"),
        (loop.asset.pk, "asset"),
    ]
    assert [c["author"] for c in body["contributions"]] == ["Robin Ashdown", "Anonymous"]
    assert body["informed_by"] == 3  # as the website counts: the hidden story informed it too
    idea = anonymous.get(f"/contributions/{loop.idea.pk}").json()
    assert [d["title"] for d in idea["decisions"]] == ["A decision"]


def test_an_unknown_decision_is_404(world: World, anonymous: Api) -> None:
    assert anonymous.get("/decisions/2000000000").status_code == 404
    assert fields(anonymous.get("/decisions/0")) == {("path", "decision_id"): "greater_than_equal"}


# --- Recording ----------------------------------------------------------------------------------
def test_record_a_decision_linking_contributions(
    world: World, loop: Loop, as_role: AsRole, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = as_role("professional").post(
            "/services/published-service/decisions",
            {**_decision(), "contributions": [loop.idea.pk, loop.submission.pk, loop.idea.pk]},
        )
        assert response.status_code == 201, response.content
        assert mail.outbox == []
    body = response.json()
    assert (body["title"], body["stage"], body["cycle"]) == (
        "Open on Saturdays",
        "commissioning",
        1,
    )
    assert {c["id"] for c in body["contributions"]} == {loop.idea.pk, loop.submission.pk}
    assert body["informed_by"] == 2
    decision = Decision.objects.get(pk=body["id"])
    assert decision.recorded_by == world.people["professional"]
    assert Notification.objects.filter(event=Event.DECISION).count() == 2
    for callback in callbacks:
        callback()
    assert [m.to[0] for m in mail.outbox] == ["author@example.org"] * 2


def test_linking_more_tells_only_the_newly_linked(
    world: World, loop: Loop, as_role: AsRole, django_capture_on_commit_callbacks: Any
) -> None:
    api = as_role("org_admin")
    path = f"/decisions/{world.decision.pk}/contributions"
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post(path, {"contributions": [loop.idea.pk]})
        again = api.post(path, {"contributions": [loop.idea.pk, loop.asset.pk]})
    assert first.status_code == again.status_code == 200
    assert [c["id"] for c in again.json()["contributions"]] == [loop.idea.pk, loop.asset.pk]
    assert len(mail.outbox) == 2  # one per contribution, not one per request


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("anonymous", 401),
        ("resident", 403),
        ("facilitator", 403),
        ("other_professional", 403),
        ("professional", 201),
        ("org_admin", 201),
        ("superuser", 201),
    ],
)
def test_who_may_record_a_decision(world: World, as_role: AsRole, viewer: str, status: int) -> None:
    response = as_role(viewer).post("/services/published-service/decisions", _decision())
    assert response.status_code == status, response.content


def test_a_decision_of_another_organisations_draft_is_404(world: World, as_role: AsRole) -> None:
    ServiceFactory(organisation=world.owner, name="Secret plan", status="draft")
    response = as_role("other_professional").post("/services/secret-plan/decisions", _decision())
    assert response.status_code == 404


def test_only_published_contributions_of_this_service_can_be_linked(
    world: World, loop: Loop, as_role: AsRole
) -> None:
    elsewhere_service = ServiceFactory(organisation=world.owner, name="Elsewhere")
    elsewhere = IdeaFactory(activity=IdeaChallengeFactory(service=elsewhere_service))
    api = as_role("professional")
    for refused in (elsewhere.pk, loop.pending_idea.pk, loop.hidden_idea.pk, 2_000_000_000):
        response = api.post(
            "/services/published-service/decisions",
            {**_decision(), "contributions": [loop.idea.pk, refused]},
        )
        assert fields(response) == {("body", "contributions"): "rule"}
        assert response.json()["detail"][0]["msg"].endswith(f"these are not: {refused}.")
    assert Decision.objects.count() == 1  # only the world's


def test_a_decision_in_the_future_is_a_rule_error(world: World, as_role: AsRole) -> None:
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = as_role("professional").post(
        "/services/published-service/decisions", {**_decision(), "decided_on": tomorrow}
    )
    assert fields(response) == {("body", "decided_on"): "rule"}


def test_a_decision_cannot_be_informed_by_later_contributions(
    world: World, loop: Loop, as_role: AsRole
) -> None:
    api = as_role("professional")
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = api.post(
        "/services/published-service/decisions",
        {**_decision(), "decided_on": yesterday, "contributions": [loop.idea.pk]},
    )
    assert fields(response) == {("body", "contributions"): "rule"}
    assert "made after" in response.json()["detail"][0]["msg"]
    past = api.post(
        "/services/published-service/decisions", {**_decision(), "decided_on": yesterday}
    )
    assert past.status_code == 201, past.content
    linked = api.post(
        f"/decisions/{past.json()['id']}/contributions", {"contributions": [loop.idea.pk]}
    )
    assert fields(linked) == {("body", "contributions"): "rule"}


def test_the_stage_defaults_to_the_current_one(world: World, as_role: AsRole) -> None:
    api = as_role("professional")
    assert api.post("/services/published-service/advance", {}).status_code == 200
    made = api.post("/services/published-service/decisions", _decision()).json()
    assert (made["stage"], made["cycle"]) == ("design", 1)
    chosen = api.post(
        "/services/published-service/decisions", {**_decision(), "stage": "commissioning"}
    )
    assert chosen.json()["stage"] == "commissioning"


@pytest.mark.parametrize(
    ("change", "loc", "kind"),
    [
        ({"decided_on": "2026-02-30"}, ("body", "decided_on"), "date_from_datetime_parsing"),
        ({"decided_on": 1767225600}, ("body", "decided_on"), "value_error"),
        ({"decided_on": "yesterday"}, ("body", "decided_on"), "value_error"),
        ({"decided_on": "0001-01-01"}, ("body", "decided_on"), "value_error"),  # 2000–2099
        ({"decided_on": "9999-12-31"}, ("body", "decided_on"), "value_error"),
        ({"stage": "done"}, ("body", "stage"), "enum"),
        ({"title": "x" * 201}, ("body", "title"), "string_too_long"),
        ({"description": " "}, ("body", "description"), "value_error"),
        ({"decided_by": ""}, ("body", "decided_by"), "string_too_short"),
        ({"contributions": ["1"]}, ("body", "contributions", 0), "int_type"),
        ({"contributions": [0]}, ("body", "contributions", 0), "greater_than_equal"),
        ({"contributions": list(range(1, 202))}, ("body", "contributions"), "too_long"),
        ({"contributions": 5}, ("body", "contributions"), "list_type"),
        ({"cycle": 2}, ("body", "cycle"), "extra_forbidden"),
    ],
)
def test_bad_decision_input_is_a_field_level_422(
    world: World, as_role: AsRole, change: dict[str, Any], loc: tuple[Any, ...], kind: str
) -> None:
    response = as_role("professional").post(
        "/services/published-service/decisions", {**_decision(), **change}
    )
    assert fields(response) == {loc: kind}
    assert Decision.objects.count() == 1


def test_linking_needs_at_least_one_contribution(world: World, as_role: AsRole) -> None:
    response = as_role("professional").post(
        f"/decisions/{world.decision.pk}/contributions", {"contributions": []}
    )
    assert fields(response) == {("body", "contributions"): "too_short"}


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("anonymous", 401), ("resident", 403), ("facilitator", 403), ("other_professional", 403)],
)
def test_who_may_not_link(
    world: World, loop: Loop, as_role: AsRole, viewer: str, status: int
) -> None:
    response = as_role(viewer).post(
        f"/decisions/{world.decision.pk}/contributions", {"contributions": [loop.idea.pk]}
    )
    assert response.status_code == status
    assert not world.decision.contributions.exists()
