"""Contribution endpoints: who sees what, and every way of taking part, answering and refusing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.accounts.tests.factories import UserFactory
from coproduce.accounts.types import Visitor
from coproduce.api.contribution_schemas import POSTCODE_PATTERN, ContributionKind
from coproduce.api.tests.client import Api, fields
from coproduce.api.tests.loop import LINKS, Loop
from coproduce.codesign import actions, spam
from coproduce.codesign.models import Idea, IdeaStatus, Support
from coproduce.codesign.spam import VOTES_PER_MINUTE
from coproduce.codesign.tests.factories import IdeaChallengeFactory, IdeaFactory
from coproduce.contributions import actions as spine_actions
from coproduce.contributions import exports as spine_exports
from coproduce.contributions import rules as spine_rules
from coproduce.contributions.actions import follow_set
from coproduce.contributions.kinds import all_kinds
from coproduce.contributions.models import Contribution, Report, Visibility
from coproduce.contributions.tests.world import World
from coproduce.insight.actions import normalise_postcode
from coproduce.insight.models import QuestionKind
from coproduce.notifications.models import Notification

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


def _idea_in(loop: Loop, state: str) -> Idea:
    return {"published": loop.idea, "pending": loop.pending_idea, "hidden": loop.hidden_idea}[state]


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
    idea = _idea_in(loop, state)
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


# --- Posting ideas, comments, assets and stories -------------------------------------------------
def test_post_an_idea(world: World, loop: Loop, as_role: AsRole) -> None:
    resident = as_role("resident")
    response = resident.post(
        f"/activities/{world.open_activity.pk}/ideas",
        {"title": "  A bench  ", "description": "By the bus stop.", "category": loop.category.pk},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["visibility"], body["yours"]) == ("idea", "published", True)
    assert body["idea"]["title"] == "A bench"
    assert body["idea"]["category"] == "Opening hours"
    assert body["idea"]["status"] == "received"
    assert body["author"] == "Anonymous"  # first name by default, so not given out
    contribution = Contribution.objects.get(pk=body["id"])
    assert contribution.author == world.people["resident"]


def test_an_idea_with_many_links_waits_for_a_moderator(
    world: World, as_role: AsRole, anonymous: Api
) -> None:
    response = as_role("resident").post(
        f"/activities/{world.open_activity.pk}/ideas", {"title": "Spam?", "description": LINKS}
    )
    assert response.status_code == 201
    assert response.json()["visibility"] == "pending"
    assert anonymous.get(f"/contributions/{response.json()['id']}").status_code == 404


def test_premoderation_holds_every_idea(world: World, as_role: AsRole) -> None:
    held = IdeaChallengeFactory(service=world.service, premoderation=True)
    response = as_role("resident").post(
        f"/activities/{held.pk}/ideas", {"title": "Bench", "description": "Please."}
    )
    assert response.json()["visibility"] == "pending"


def test_the_spam_guard_refuses_a_flood_as_a_rule(world: World, as_role: AsRole) -> None:
    api = as_role("resident")
    path = f"/activities/{world.open_activity.pk}/ideas"
    statuses = [
        api.post(path, {"title": f"Idea {n}", "description": "Again."}).json()["visibility"]
        for n in range(30)
    ]
    assert statuses[:10] == ["published"] * 10
    assert statuses[10:] == ["pending"] * 20
    refused = api.post(path, {"title": "One more", "description": "Again."})
    assert fields(refused) == {("body",): "rule"}
    assert "Wait ten minutes" in refused.json()["detail"][0]["msg"]


def test_a_category_of_another_challenge_or_none_is_a_rule_error(
    world: World, loop: Loop, as_role: AsRole
) -> None:
    other = IdeaChallengeFactory(service=world.service)
    path = f"/activities/{other.pk}/ideas"
    body = {"title": "Bench", "description": "Please."}
    for category in (loop.category.pk, 2_000_000_000):
        response = as_role("resident").post(path, {**body, "category": category})
        assert fields(response) == {("body", "category"): "rule"}
    assert not Idea.objects.filter(contribution__activity=other).exists()


def test_no_ideas_in_a_closed_challenge_and_no_draft_for_outsiders(
    world: World, loop: Loop, as_role: AsRole, anonymous: Api
) -> None:
    body = {"title": "Late", "description": "Too late."}
    assert as_role("resident").post(f"/activities/{loop.closed.pk}/ideas", body).status_code == 403
    draft = f"/activities/{world.draft_activity.pk}/ideas"
    assert as_role("resident").post(draft, body).status_code == 404
    assert as_role("facilitator").post(draft, body).status_code == 403
    assert anonymous.post(f"/activities/{world.open_activity.pk}/ideas", body).status_code == 401


@pytest.mark.parametrize(
    ("change", "loc", "kind"),
    [
        ({"title": None}, ("body", "title"), "string_type"),
        ({"title": "x" * 151}, ("body", "title"), "string_too_long"),
        ({"title": " \t "}, ("body", "title"), "value_error"),
        ({"description": "a\x00b"}, ("body", "description"), "value_error"),
        ({"description": "x" * 5001}, ("body", "description"), "string_too_long"),
        ({"category": "1"}, ("body", "category"), "int_type"),
        ({"category": 1.5}, ("body", "category"), "int_type"),
        ({"category": True}, ("body", "category"), "int_type"),
        ({"category": 0}, ("body", "category"), "greater_than_equal"),
        ({"author_display": "nickname"}, ("body", "author_display"), "enum"),
        ({"status": "adopted"}, ("body", "status"), "extra_forbidden"),
    ],
)
def test_bad_idea_input_is_a_field_level_422(
    world: World, as_role: AsRole, change: dict[str, Any], loc: tuple[str, ...], kind: str
) -> None:
    body = {"title": "Bench", "description": "Please.", **change}
    response = as_role("resident").post(f"/activities/{world.open_activity.pk}/ideas", body)
    assert fields(response) == {loc: kind}
    assert not Idea.objects.filter(title="Bench").exists()


def test_a_missing_description_is_named(world: World, as_role: AsRole) -> None:
    response = as_role("resident").post(
        f"/activities/{world.open_activity.pk}/ideas", {"title": "Bench"}
    )
    assert fields(response) == {("body", "description"): "missing"}


def test_comment_and_reply(world: World, loop: Loop, as_role: AsRole) -> None:
    api = as_role("resident")
    path = f"/ideas/{loop.idea.pk}/comments"
    reply = api.post(path, {"body": "Every one.", "parent": loop.question.pk})
    assert reply.status_code == 201, reply.content
    assert reply.json()["comment"] == {
        "idea": loop.idea.pk,
        "parent": loop.question.pk,
        "body": "Every one.",
        "is_question": False,
        "agreement_count": 0,
        "agreed": False,
    }
    question = api.post(path, {"body": "Who pays?", "is_question": True})
    assert question.json()["needs_answer"] is True
    loop.idea.refresh_from_db()
    assert loop.idea.comment_count == 3


def test_replies_only_to_comments_on_the_same_idea_that_you_can_see(
    world: World, loop: Loop, as_role: AsRole
) -> None:
    api = as_role("resident")
    other_idea = IdeaFactory(activity=world.open_activity)
    elsewhere = api.post(f"/ideas/{other_idea.pk}/comments", {"body": "Yes."}).json()["id"]
    held = actions.comment_create(idea=loop.idea, author=loop.author, body=LINKS)
    assert held.contribution.visibility == Visibility.PENDING
    path = f"/ideas/{loop.idea.pk}/comments"
    for parent in (elsewhere, held.pk, 2_000_000_000):
        assert fields(api.post(path, {"body": "Hm.", "parent": parent})) == {
            ("body", "parent"): "rule"
        }


@pytest.mark.parametrize(
    ("idea", "viewer", "status"),
    [
        ("pending", "resident", 404),
        ("pending", "other_professional", 404),
        ("pending", "facilitator", 403),  # moderators see it, but nobody comments on it yet
        ("closed", "resident", 403),
        ("published", "anonymous", 401),
    ],
)
def test_who_may_not_comment(
    world: World, loop: Loop, as_role: AsRole, idea: str, viewer: str, status: int
) -> None:
    target = {"pending": loop.pending_idea, "closed": loop.closed_idea, "published": loop.idea}
    response = as_role(viewer).post(f"/ideas/{target[idea].pk}/comments", {"body": "Hello."})
    assert response.status_code == status


def test_comments_are_only_on_ideas(world: World, loop: Loop, as_role: AsRole) -> None:
    """An idea's id is its contribution's id; other contributions are no idea."""
    response = as_role("resident").post(f"/ideas/{loop.question.pk}/comments", {"body": "Hi"})
    assert response.status_code == 404


def test_support_and_withdraw(world: World, loop: Loop, as_role: AsRole) -> None:
    api = as_role("resident")
    path = f"/ideas/{loop.idea.pk}/support"
    assert api.put(path).json() == {"supported": True, "changed": True, "support_count": 1}
    assert api.put(path).json() == {"supported": True, "changed": False, "support_count": 1}
    assert api.get(f"/contributions/{loop.idea.pk}").json()["idea"]["supported"] is True
    assert api.delete(path).json() == {"supported": False, "changed": True, "support_count": 0}
    assert api.delete(path).json() == {"supported": False, "changed": False, "support_count": 0}


def test_supports_are_rate_limited_like_on_the_website(
    world: World, loop: Loop, as_role: AsRole, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One minute's counter throughout, however slowly the machine sends the requests.
    monkeypatch.setattr(spam, "vote_rate_key", lambda user: f"test-votes:{user.pk}")
    api = as_role("resident")
    path = f"/ideas/{loop.idea.pk}/support"
    for n in range(VOTES_PER_MINUTE):
        assert (api.put if n % 2 == 0 else api.delete)(path).status_code == 200
    refused = api.put(path)
    assert fields(refused) == {("body",): "rule"}
    assert "Nothing has changed" in refused.json()["detail"][0]["msg"]
    assert not Support.objects.filter(idea=loop.idea).exists()


def test_no_support_for_a_held_or_closed_idea(world: World, loop: Loop, as_role: AsRole) -> None:
    api = as_role("resident")
    assert api.put(f"/ideas/{loop.pending_idea.pk}/support").status_code == 404
    assert api.put(f"/ideas/{loop.closed_idea.pk}/support").status_code == 403
    assert api.delete(f"/ideas/{loop.closed_idea.pk}/support").status_code == 403
    assert as_role("anonymous").put(f"/ideas/{loop.idea.pk}/support").status_code == 401


ASSET = {"kind": "place", "name": "Old library", "description": "A room for forty people."}


def test_record_an_asset(world: World, loop: Loop, as_role: AsRole) -> None:
    response = as_role("resident").post(
        f"/activities/{loop.survey.pk}/assets",
        {**ASSET, "postcode": "nf12ab", "area": "  Westbrook   North ", "author_display": "named"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["asset"]["postcode"] == "NF1 2AB"
    assert body["asset"]["area"] == "Westbrook North"
    assert body["asset"]["organisation"] is None
    assert body["author"] == world.people["resident"].name


def test_an_asset_offered_by_an_organisation_you_work_for(
    world: World, loop: Loop, as_role: AsRole
) -> None:
    path = f"/activities/{loop.survey.pk}/assets"
    offered = as_role("facilitator").post(path, {**ASSET, "organisation": "owner-council"})
    assert offered.json()["asset"]["organisation"] == "owner-council"
    for slug in ("other-trust", "nobody-at-all"):
        refused = as_role("facilitator").post(path, {**ASSET, "organisation": slug})
        assert fields(refused) == {("body", "organisation"): "rule"}


@pytest.mark.parametrize("postcode", ["NF1", "NF1 2AB3", "12345", "QQ1 1AA", "nf1  2ab"])
def test_a_postcode_that_is_not_one_is_refused_by_the_schema(
    world: World, loop: Loop, as_role: AsRole, postcode: str
) -> None:
    response = as_role("resident").post(
        f"/activities/{loop.survey.pk}/assets", {**ASSET, "postcode": postcode}
    )
    assert fields(response) == {("body", "postcode"): "value_error"}
    assert "like NF1 2AB" in response.json()["detail"][0]["msg"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.from_regex(POSTCODE_PATTERN))
def test_every_postcode_the_schema_allows_is_one_the_action_accepts(value: str) -> None:
    assert normalise_postcode(value) == normalise_postcode(value.upper().strip())


def test_no_assets_outside_an_open_survey(world: World, loop: Loop, as_role: AsRole) -> None:
    """A story collection takes no assets; an idea challenge neither."""
    for activity in (loop.stories, world.open_activity):
        response = as_role("resident").post(f"/activities/{activity.pk}/assets", ASSET)
        assert response.status_code == 403


STORY = {"title": "The waiting room", "body": "I waited for hours.", "author_display": "named"}


def test_tell_a_story_that_waits_for_a_moderator(
    world: World, loop: Loop, as_role: AsRole, anonymous: Api
) -> None:
    response = as_role("resident").post(
        f"/activities/{loop.stories.pk}/stories", {**STORY, "consent": True}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["visibility"], body["story"]["title"]) == ("pending", "The waiting room")
    assert anonymous.get(f"/contributions/{body['id']}").status_code == 404
    assert as_role("facilitator").get(f"/contributions/{body['id']}").status_code == 200


@pytest.mark.parametrize(
    ("change", "loc", "kind"),
    [
        ({"consent": False}, ("body", "consent"), "value_error"),
        ({"consent": 1}, ("body", "consent"), "bool_type"),
        ({"consent": "true"}, ("body", "consent"), "bool_type"),
        ({"consent": None}, ("body", "consent"), "bool_type"),
        ({"author_display": None}, ("body", "author_display"), "enum"),
        ({"body": "x" * 10_001}, ("body", "body"), "string_too_long"),
    ],
)
def test_a_story_needs_consent_and_a_choice_of_name(
    world: World,
    loop: Loop,
    as_role: AsRole,
    change: dict[str, Any],
    loc: tuple[str, ...],
    kind: str,
) -> None:
    response = as_role("resident").post(
        f"/activities/{loop.stories.pk}/stories", {**STORY, "consent": True, **change}
    )
    assert fields(response) == {loc: kind}


def test_a_story_without_consent_or_name_choice_names_both(
    world: World, loop: Loop, as_role: AsRole
) -> None:
    body = {"title": "T", "body": "B"}
    response = as_role("resident").post(f"/activities/{loop.stories.pk}/stories", body)
    assert fields(response) == {
        ("body", "author_display"): "missing",
        ("body", "consent"): "missing",
    }


# --- Reports ------------------------------------------------------------------------------------
def test_report_a_contribution_once(world: World, loop: Loop, as_role: AsRole) -> None:
    api = as_role("resident")
    path = f"/contributions/{loop.idea.pk}/reports"
    first = api.post(path, {"reason": "It names my neighbour."})
    assert first.status_code == 200, first.content
    assert (first.json()["status"], first.json()["contribution"]) == ("open", loop.idea.pk)
    again = api.post(path, {"reason": "Still there."})
    assert again.json() == first.json()
    assert Report.objects.filter(contribution=loop.idea.contribution).count() == 1


def test_who_may_not_report(
    world: World, loop: Loop, as_role: AsRole, as_author: Api, anonymous: Api
) -> None:
    reason = {"reason": "Rude."}
    assert as_author.post(f"/contributions/{loop.idea.pk}/reports", reason).status_code == 403
    assert (
        as_role("resident")
        .post(f"/contributions/{loop.pending_idea.pk}/reports", reason)
        .status_code
        == 404
    )
    assert anonymous.post(f"/contributions/{loop.idea.pk}/reports", reason).status_code == 401
    blank = as_role("resident").post(f"/contributions/{loop.idea.pk}/reports", {"reason": "  "})
    assert fields(blank) == {("body", "reason"): "value_error"}


# --- Official answers and statuses --------------------------------------------------------------
def test_an_answer_is_emailed_only_after_the_commit(
    world: World, loop: Loop, as_role: AsRole, django_capture_on_commit_callbacks: Any
) -> None:
    follower = UserFactory(email="follower@example.org")
    follow_set(user=follower, target=world.service, follow=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = as_role("professional").post(
            f"/contributions/{loop.asset.pk}/responses", {"body": "We will list it."}
        )
        assert response.status_code == 201, response.content
        assert mail.outbox == []  # recorded, but nothing sent before the commit
        assert Notification.objects.filter(url=loop.asset.get_absolute_url()).count() == 2
    assert len(callbacks) == 1
    callbacks[0]()
    assert sorted(m.to[0] for m in mail.outbox) == ["author@example.org", "follower@example.org"]
    body = response.json()
    assert (body["body"], body["organisation"]) == ("We will list it.", "owner-council")
    loop.asset.contribution.refresh_from_db()
    assert loop.asset.contribution.first_response_at is not None


@pytest.mark.django_db(transaction=True)
def test_an_answer_is_emailed_when_the_request_commits(world: World, as_role: AsRole) -> None:
    """With real transactions: the API leaves no transaction open, so the email really goes."""
    idea = IdeaFactory(activity=world.open_activity)
    response = as_role("org_admin").post(
        f"/contributions/{idea.pk}/responses", {"body": "Yes, from May."}
    )
    assert response.status_code == 201
    author = idea.contribution.author
    assert author is not None
    assert [m.to[0] for m in mail.outbox] == [author.email]


@pytest.mark.parametrize(
    ("target", "viewer", "status"),
    [
        ("published", "professional", 201),
        ("pending", "professional", 201),  # staff may answer before moderation
        ("published", "facilitator", 403),  # facilitators moderate; they do not answer
        ("published", "resident", 403),
        ("published", "other_professional", 403),
        ("pending", "other_professional", 404),
        ("published", "anonymous", 401),
    ],
)
def test_who_may_answer(
    world: World, loop: Loop, as_role: AsRole, target: str, viewer: str, status: int
) -> None:
    idea = _idea_in(loop, target)
    response = as_role(viewer).post(f"/contributions/{idea.pk}/responses", {"body": "Thanks."})
    assert response.status_code == status, response.content


def test_idea_status_changes(
    world: World, loop: Loop, as_role: AsRole, django_capture_on_commit_callbacks: Any
) -> None:
    api = as_role("professional")
    path = f"/ideas/{loop.idea.pk}/status"
    with django_capture_on_commit_callbacks(execute=True):
        adapted = api.post(path, {"to_status": "adapted", "reason": "  Saturdays in summer.  "})
    assert adapted.status_code == 200, adapted.content
    idea = adapted.json()["idea"]
    assert (idea["status"], idea["status_reason"]) == ("adapted", "Saturdays in summer.")
    assert idea["next_statuses"] == ["in_delivery", "not_taken_forward"]
    assert [m.to[0] for m in mail.outbox] == ["author@example.org"]
    assert "adapted" in mail.outbox[0].body.lower()


def test_a_status_change_that_breaks_a_rule_is_422_rule(
    world: World, loop: Loop, as_role: AsRole
) -> None:
    api = as_role("professional")
    path = f"/ideas/{loop.idea.pk}/status"
    no_reason = api.post(path, {"to_status": "not_taken_forward"})
    assert fields(no_reason) == {("body", "reason"): "rule"}
    too_far = api.post(path, {"to_status": "delivered"})
    assert fields(too_far) == {("body", "to_status"): "rule"}
    assert "cannot become delivered" in too_far.json()["detail"][0]["msg"]
    assert fields(api.post(path, {"to_status": "done"})) == {("body", "to_status"): "enum"}
    loop.idea.contribution.refresh_from_db()
    assert loop.idea.contribution.status == IdeaStatus.RECEIVED


def test_only_owning_staff_change_statuses(world: World, loop: Loop, as_role: AsRole) -> None:
    path = f"/ideas/{loop.idea.pk}/status"
    for viewer in ("resident", "facilitator", "other_professional"):
        assert as_role(viewer).post(path, {"to_status": "adopted"}).status_code == 403
    assert (
        as_role("other_professional")
        .post(f"/ideas/{loop.hidden_idea.pk}/status", {"to_status": "adopted"})
        .status_code
        == 404
    )
    assert as_role("org_admin").post(path, {"to_status": "adopted"}).status_code == 200


def test_a_comment_is_no_idea_to_move(world: World, loop: Loop, as_role: AsRole) -> None:
    response = as_role("professional").post(
        f"/ideas/{loop.question.pk}/status", {"to_status": "adopted"}
    )
    assert response.status_code == 404


def _budget_proposal(world: World) -> Any:
    """A proposal in a participatory budget of the world's published service."""
    from coproduce.budgeting.tests.factories import make_budget, make_proposal
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    activity = ActivityFactory(
        service=world.service, kind=ActivityKind.PARTICIPATORY_BUDGET, state=ActivityState.OPEN
    )
    return make_proposal(make_budget(activity=activity), feasibility=None)


def _opinion_statement(world: World) -> Any:
    """A seed statement of an open opinion map in the world's published service."""
    from coproduce.conversations import actions as conversation_actions
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    activity = ActivityFactory(
        service=world.service, kind=ActivityKind.OPINION_MAP, state=ActivityState.OPEN
    )
    staff = world.people["professional"]
    conversation = conversation_actions.conversation_create(activity=activity, by=staff)
    return conversation_actions.statement_add(
        conversation=conversation, by=staff, text="Evening buses should run later."
    )


def test_an_opinion_statement_shows_its_text(world: World, anonymous: Api) -> None:
    statement = _opinion_statement(world)
    body = anonymous.get(f"/contributions/{statement.pk}").json()
    assert body["kind"] == "opinion_statement"
    assert body["opinion_statement"] == {
        "conversation": statement.conversation_id,
        "text": "Evening buses should run later.",
        "is_seed": True,
        "is_meta": False,
    }
    assert body["budget_proposal"] is None


def test_a_budget_proposal_shows_its_project(world: World, anonymous: Api) -> None:
    proposal = _budget_proposal(world)
    body = anonymous.get(f"/contributions/{proposal.pk}").json()
    assert body["kind"] == "budget_proposal"
    assert body["budget_proposal"]["reference"] == proposal.reference
    assert body["budget_proposal"]["budget"] == proposal.budget_id
    assert body["budget_proposal"]["feasibility"] == "pending"


def _panel_contributions(world: World) -> tuple[Any, Any]:
    """A question and a passed recommendation of a deliberating panel of the world's service."""
    from coproduce.panels import actions as panel_actions
    from coproduce.panels import actions_deliberation
    from coproduce.panels.models import Panel, Phase
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    coordinator = world.people["professional"]
    activity = ActivityFactory(
        service=world.service, kind=ActivityKind.CITIZEN_PANEL, state=ActivityState.OPEN
    )
    panel = panel_actions.panel_create(
        activity=activity, by=coordinator, question="How should the park be used?", size=4
    )
    Panel.objects.filter(pk=panel.pk).update(phase=Phase.DELIBERATION)
    panel.refresh_from_db()
    member = world.people["resident"]
    actions_deliberation.member_add(panel=panel, by=coordinator, email=member.email)
    question = actions_deliberation.question_ask(panel=panel, by=member, text="Who owns the park?")
    recommendation = actions_deliberation.recommendation_draft(
        panel=panel, by=member, title="Open the park later", text="Until 10pm in summer."
    )
    actions_deliberation.voting_open(panel=panel, by=coordinator)
    actions_deliberation.vote_cast(recommendation=recommendation, by=member, supports=True)
    actions_deliberation.voting_close(panel=panel, by=coordinator)
    recommendation.refresh_from_db()
    assert recommendation.contribution is not None
    return question.contribution, recommendation.contribution


def test_panel_questions_and_recommendations_show_their_fields(
    world: World, anonymous: Api
) -> None:
    question, recommendation = _panel_contributions(world)
    body = anonymous.get(f"/contributions/{recommendation.pk}").json()
    assert body["kind"] == "panel_recommendation"
    assert body["panel_recommendation"]["title"] == "Open the park later"
    assert body["panel_recommendation"]["support_count"] == 1
    assert body["panel_question"] is None
    assert question.visibility == "published"
    shown = anonymous.get(f"/contributions/{question.pk}").json()
    assert shown["panel_question"] == {"panel": question.activity_id, "text": "Who owns the park?"}


def _weighting(world: World) -> Any:
    """A resident's weighting of a commissioning round's criteria in the world's service."""
    from coproduce.commissioning.tests.factories import make_criteria, make_round, make_weighting
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    activity = ActivityFactory(
        service=world.service, kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.OPEN
    )
    round_ = make_round(activity=activity, staff=world.people["professional"])
    criteria = make_criteria(round_, world.people["professional"])
    return make_weighting(
        round_, {criteria[0].pk: 70, criteria[1].pk: 30}, person=world.people["resident"]
    )


def _finding(world: World) -> Any:
    """A concern found by a closed assessment of the world's service, with an improvement action."""
    import datetime as dt

    from django.utils import timezone

    from coproduce.assessment import actions_assessments, actions_findings
    from coproduce.assessment.models import Assessment
    from coproduce.assessment.tests.factories import make_framework
    from coproduce.services.actions import activity_transition
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    staff = world.people["professional"]
    activity = ActivityFactory(
        service=world.service, kind=ActivityKind.ASSESSMENT, state=ActivityState.OPEN
    )
    version = make_framework(world.service, staff)
    assessment = actions_assessments.assessment_set_up(activity=activity, by=staff, version=version)
    activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    finding = actions_findings.finding_add(
        assessment=Assessment.objects.get(pk=assessment.pk),
        by=staff,
        kind="concern",
        title="Late pick-ups",
        evidence="Half said they are picked up on time.",
        standards=list(version.standards.all()[:1]),
    )
    actions_findings.action_add(
        finding=finding,
        by=staff,
        description="Text when late",
        owner="Coordinator",
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )
    return finding


def _standard_proposal(world: World) -> Any:
    """A resident's proposal for a new standard, made in an open user assessment of the world's
    service (directly, with the spine's contribution_start, as the proposal's own action will)."""
    from coproduce.assessment import actions_assessments
    from coproduce.assessment.models import (
        STANDARD_PROPOSAL,
        FrameworkVersion,
        StandardProposal,
        VersionStatus,
    )
    from coproduce.assessment.tests.factories import make_framework
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory

    staff = world.people["professional"]
    version = FrameworkVersion.objects.filter(
        framework_id=world.service.pk, status=VersionStatus.AGREED
    ).first() or make_framework(world.service, staff)
    activity = ActivityFactory(
        service=world.service, kind=ActivityKind.ASSESSMENT, state=ActivityState.OPEN
    )
    actions_assessments.assessment_set_up(activity=activity, by=staff, version=version)
    text = "I can bring my wheelchair on every bus"
    contribution = spine_actions.contribution_start(
        activity=activity, kind=STANDARD_PROPOSAL, author=world.people["resident"], text=text
    )
    return StandardProposal.objects.create(
        contribution=contribution,
        framework_id=world.service.pk,
        standard=version.standards.first(),
        text=text,
        why="Twice this year the driver said there was no room.",
    )


def test_a_standard_proposal_shows_its_framework_and_standard(
    world: World, as_role: AsRole
) -> None:
    proposal = _standard_proposal(world)
    shown = as_role("anonymous").get(f"/contributions/{proposal.pk}").json()
    assert shown["kind"] == "standard_proposal"
    assert shown["standard_proposal"] == {
        "framework": world.service.slug,
        "standard": proposal.standard_id,
        "text": "I can bring my wheelchair on every bus",
        "why": "Twice this year the driver said there was no room.",
        "became": None,
    }
    assert shown["assessment_finding"] is None


def test_a_finding_shows_its_standards_and_actions(world: World, as_role: AsRole) -> None:
    finding = _finding(world)
    shown = as_role("anonymous").get(f"/contributions/{finding.pk}").json()
    assert shown["kind"] == "assessment_finding"
    detail = shown["assessment_finding"]
    assert detail["kind"] == "concern"
    assert detail["standards"] == [finding.standards.get().pk]
    assert [a["description"] for a in detail["actions"]] == ["Text when late"]
    assert detail["actions"][0]["overdue"] is False


def test_a_weighting_shows_its_points(world: World, as_role: AsRole) -> None:
    weighting = _weighting(world)
    shown = as_role("anonymous").get(f"/contributions/{weighting.pk}").json()
    assert shown["kind"] == "criteria_weighting"
    given = sorted(weighting.points.values_list("criterion_id", "points"))
    assert shown["criteria_weighting"] == {
        "round": weighting.round_id,
        "points": [{"criterion": pk, "points": points} for pk, points in given],
    }


def test_every_kind_is_answerable_through_the_api(
    world: World, loop: Loop, as_role: AsRole
) -> None:
    from coproduce.governance.actions import question_ask
    from coproduce.governance.tests.factories import make_board, make_meeting

    api = as_role("professional")
    clerk = world.people["professional"]
    meeting = make_meeting(make_board(world.service, clerk), clerk)
    asked = question_ask(meeting=meeting, author=world.people["resident"], text="Parking?")
    proposal = _budget_proposal(world)
    statement = _opinion_statement(world)
    panel_question, recommendation = _panel_contributions(world)
    weighting = _weighting(world)
    finding = _finding(world)
    standard_proposal = _standard_proposal(world)
    for contribution in (
        loop.idea,
        loop.question,
        loop.asset,
        loop.story,
        loop.submission,
        asked,
        proposal.contribution,
        statement.contribution,
        panel_question,
        recommendation,
        weighting.contribution,
        finding.contribution,
        standard_proposal.contribution,
    ):
        response = api.post(f"/contributions/{contribution.pk}/responses", {"body": "Thank you."})
        assert response.status_code == 201, (contribution, response.content)
    kinds = set(
        Contribution.objects.filter(first_response_at__isnull=False).values_list("kind", flat=True)
    )
    assert kinds == set(ContributionKind) == {kind.code for kind in all_kinds()}
