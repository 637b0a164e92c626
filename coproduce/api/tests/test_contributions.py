"""Reading contributions: who sees which contribution in each moderation state (its page and
its place in the list), and what each kind of the spine shows (an idea with its history, answers
and decisions; a comment, a story, an asset, survey answers); the list's filters, pages and
number of queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.accounts.types import Visitor
from coproduce.api.tests.client import Api, fields
from coproduce.api.tests.contributions_helpers import idea_in
from coproduce.api.tests.loop import Loop
from coproduce.codesign import actions
from coproduce.codesign.models import IdeaStatus
from coproduce.codesign.tests.factories import IdeaFactory
from coproduce.contributions import actions as spine_actions
from coproduce.contributions import exports as spine_exports
from coproduce.contributions import rules as spine_rules
from coproduce.contributions.models import Contribution
from coproduce.contributions.tests.world import World
from coproduce.insight.models import QuestionKind

pytestmark = pytest.mark.django_db

AsRole = Callable[[str], Api]
# Who may see a contribution in each moderation state: the author and the activity's moderators
# (facilitators, professionals, administrators of the owner) besides everyone for published ones.
SEEN_BY = {
    "published": {
        "anonymous",
        "author",
        "resident",
        "facilitator",
        "professional",
        "other_professional",
        "superuser",
    },
    "pending": {"author", "facilitator", "professional", "superuser"},
    "hidden": {"author", "facilitator", "professional", "superuser"},
}
VIEWERS = sorted(SEEN_BY["published"])


@pytest.fixture
def as_viewer(as_role: AsRole, as_author: Api) -> Callable[[str], Api]:
    return lambda viewer: as_author if viewer == "author" else as_role(viewer)


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def _person(world: World, loop: Loop, viewer: str) -> Visitor:
    from django.contrib.auth.models import AnonymousUser

    if viewer == "author":
        return loop.author
    return world.people[viewer] or AnonymousUser()


# --- Who sees what -------------------------------------------------------------------------------
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("state", ["published", "pending", "hidden"])
def test_visibility_matrix(
    world: World, loop: Loop, as_viewer: Callable[[str], Api], state: str, viewer: str
) -> None:
    """One idea in each moderation state × each person: its page, and its place in the list."""
    idea = idea_in(loop, state)
    assert idea.contribution.visibility == state
    api = as_viewer(viewer)
    detail = api.get(f"/contributions/{idea.pk}")
    listed = _ids(api.get(f"/activities/{world.open_activity.pk}/contributions"))
    if viewer in SEEN_BY[state]:
        assert detail.status_code == 200, detail.content
        assert detail.json()["visibility"] == state
        assert idea.pk in listed
    else:
        assert detail.status_code == 404
        assert detail.json() == {"detail": "Not found."}
        assert idea.pk not in listed


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_list_shows_exactly_what_the_rule_allows(
    world: World, loop: Loop, as_viewer: Callable[[str], Api], viewer: str
) -> None:
    """The list filters in the database; spine_rules.can_view_contribution decides one at a time."""
    person = _person(world, loop, viewer)
    for activity in (world.open_activity, loop.survey, loop.stories):
        expected = [
            c.pk
            for c in Contribution.objects.filter(activity=activity).order_by("-created_at", "-id")
            if spine_rules.can_view_contribution(person, c)
        ]
        response = as_viewer(viewer).get(f"/activities/{activity.pk}/contributions", {"limit": 100})
        assert _ids(response) == expected
        assert response.json()["count"] == len(expected)


@pytest.mark.parametrize("viewer", ["anonymous", "resident", "other_professional"])
def test_a_draft_activity_is_404_to_outsiders(world: World, as_role: AsRole, viewer: str) -> None:
    path = f"/activities/{world.draft_activity.pk}/contributions"
    assert as_role(viewer).get(path).status_code == 404
    assert as_role("facilitator").get(path).json() == {"items": [], "count": 0}


def test_held_reasons_are_for_moderators_only(
    world: World, loop: Loop, as_role: AsRole, as_author: Api
) -> None:
    path = f"/contributions/{loop.pending_idea.pk}"
    assert as_author.get(path).json()["held_reason"] is None
    assert "3 links" in as_role("facilitator").get(path).json()["held_reason"]
    assert as_role("anonymous").get(f"/contributions/{loop.idea.pk}").json()["held_reason"] is None


def test_authors_are_anonymised_unless_they_chose_to_be_named(
    world: World, loop: Loop, anonymous: Api
) -> None:
    """As in the open-data exports: the website's first names are not given out in bulk."""
    named = anonymous.get(f"/contributions/{loop.idea.pk}").json()
    assert named["author"] == "Robin Ashdown"
    first_name_only = anonymous.get(f"/contributions/{loop.asset.pk}").json()
    assert loop.asset.contribution.author_name == "Robin"  # what the website shows
    assert first_name_only["author"] == "Anonymous"
    assert anonymous.get(f"/contributions/{loop.story.pk}").json()["author"] == "Anonymous"
    assert "author@example.org" not in str(named)


def test_authors_agree_with_the_open_data_export(world: World, loop: Loop, anonymous: Api) -> None:
    IdeaFactory(activity=world.open_activity, author_display="first_name")
    IdeaFactory(activity=world.open_activity, author_display="named")
    for activity in (world.open_activity, loop.survey, loop.stories):
        exported = {row["id"]: row["author"] for row in spine_exports.rows(activity)}
        items = anonymous.get(f"/activities/{activity.pk}/contributions", {"limit": 100})
        assert {i["id"]: i["author"] for i in items.json()["items"]} == exported


def test_yours_marks_the_authors_own(
    world: World, loop: Loop, as_author: Api, as_role: AsRole
) -> None:
    path = f"/contributions/{loop.idea.pk}"
    assert as_author.get(path).json()["yours"] is True
    assert as_role("resident").get(path).json()["yours"] is False
    assert as_role("anonymous").get(path).json()["yours"] is False


# --- What each kind shows -----------------------------------------------------------------------
def test_an_idea_with_its_status_history_answers_and_decisions(
    world: World, loop: Loop, as_role: AsRole
) -> None:
    staff = world.people["professional"]
    spine_actions.response_create(
        contribution=loop.idea.contribution, author=staff, body="Good idea."
    )
    spine_actions.contribution_set_status(
        contribution=loop.idea.contribution, to_status=IdeaStatus.ADOPTED, changed_by=staff
    )
    spine_actions.decision_link(
        decision=world.decision, contributions=[loop.idea.contribution], linked_by=staff
    )
    actions.support_add(idea=loop.idea, user=world.people["resident"])
    body = as_role("resident").get(f"/contributions/{loop.idea.pk}").json()
    assert (body["kind"], body["title"], body["service"]) == (
        "idea",
        "Saturday opening",
        "published-service",
    )
    assert body["activity"] == world.open_activity.pk
    assert body["first_response_at"] is not None
    assert [(r["body"], r["organisation"]) for r in body["responses"]] == [
        ("Good idea.", "owner-council")
    ]
    assert body["responses"][0]["author"] == staff.name
    assert [d["id"] for d in body["decisions"]] == [world.decision.pk]
    idea = body["idea"]
    assert (idea["status"], idea["support_count"], idea["supported"]) == ("adopted", 1, True)
    assert idea["next_statuses"] == ["in_delivery", "not_taken_forward"]
    assert [(h["from_status"], h["to_status"]) for h in idea["status_history"]] == [
        ("received", "adopted")
    ]
    assert idea["comment_count"] == 1
    assert body["comment"] is body["asset"] is body["story"] is body["need"] is None
    assert (
        as_role("anonymous").get(f"/contributions/{loop.idea.pk}").json()["idea"]["supported"]
        is False
    )


def test_a_comment_a_story_and_an_asset(world: World, loop: Loop, anonymous: Api) -> None:
    comment = anonymous.get(f"/contributions/{loop.question.pk}").json()
    assert comment["comment"] == {
        "idea": loop.idea.pk,
        "parent": None,
        "body": "Which Saturdays?",
        "is_question": True,
        "agreement_count": 0,
        "agreed": False,
    }
    assert comment["needs_answer"] is True
    story = anonymous.get(f"/contributions/{loop.story.pk}").json()
    assert story["story"]["title"] == "Published story"
    asset = anonymous.get(f"/contributions/{loop.asset.pk}").json()["asset"]
    assert (asset["kind"], asset["name"], asset["area"]) == ("group", "Tenants' group", "Westbrook")


def test_survey_answers_show_choices_only_to_the_author_and_moderators(
    world: World, loop: Loop, as_viewer: Callable[[str], Api]
) -> None:
    path = f"/contributions/{loop.submission.pk}"
    for viewer in ("anonymous", "resident", "other_professional"):
        need = as_viewer(viewer).get(path).json()["need"]
        assert need["complete"] is False
        assert [a["question_kind"] for a in need["answers"]] == [QuestionKind.FREE_TEXT]
        assert need["answers"][0]["text"] == "Evening drop-ins, please."
    for viewer in ("author", "facilitator"):
        need = as_viewer(viewer).get(path).json()["need"]
        assert need["complete"] is True
        assert len(need["answers"]) == 4
        assert need["answers"][0]["choices"] == ["Weekday daytime", "Weekday evenings"]


def test_filters_and_pages(world: World, loop: Loop, anonymous: Api) -> None:
    path = f"/activities/{world.open_activity.pk}/contributions"
    assert _ids(anonymous.get(path, {"kind": "comment"})) == [loop.question.pk]
    assert _ids(anonymous.get(path, {"idea": loop.idea.pk})) == [loop.question.pk]
    assert _ids(anonymous.get(path, {"idea": loop.closed_idea.pk})) == []
    assert _ids(anonymous.get(path, {"visibility": "pending"})) == []
    everything = _ids(anonymous.get(path))
    assert everything == [loop.question.pk, loop.idea.pk]
    first = anonymous.get(path, {"limit": 1})
    assert (_ids(first), first.json()["count"]) == ([loop.question.pk], 2)
    assert _ids(anonymous.get(path, {"limit": 1, "offset": 1})) == [loop.idea.pk]


@pytest.mark.parametrize(
    ("params", "loc", "kind"),
    [
        ({"kind": "rumour"}, ("query", "kind"), "enum"),
        ({"visibility": "secret"}, ("query", "visibility"), "enum"),
        ({"idea": "0"}, ("query", "idea"), "greater_than_equal"),
        ({"idea": str(2**31)}, ("query", "idea"), "less_than_equal"),
        ({"limit": "101"}, ("query", "limit"), "less_than_equal"),
    ],
)
def test_bad_filters_are_422(
    world: World, anonymous: Api, params: dict[str, str], loc: tuple[str, str], kind: str
) -> None:
    path = f"/activities/{world.open_activity.pk}/contributions"
    assert fields(anonymous.get(path, params)) == {loc: kind}


def test_the_list_needs_the_same_number_of_queries_for_any_page(
    world: World, loop: Loop, as_role: AsRole
) -> None:
    """No query per contribution: answers, decisions, histories and supports load per page."""
    api = as_role("professional")
    path = f"/activities/{world.open_activity.pk}/contributions"
    api.get(path)  # the token's last use is recorded on the first request only

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(path, {"limit": 100}).status_code == 200
        return len(queries)

    few = count()
    staff = world.people["professional"]
    for n in range(8):
        idea = IdeaFactory(activity=world.open_activity, title=f"More {n}")
        spine_actions.response_create(contribution=idea.contribution, author=staff, body="Thanks.")
        spine_actions.contribution_set_status(
            contribution=idea.contribution, to_status=IdeaStatus.ADOPTED, changed_by=staff
        )
        actions.support_add(idea=idea, user=staff)
    assert count() == few
