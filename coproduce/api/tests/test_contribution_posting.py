"""Taking part through the API: posting ideas, comments, supports, assets and stories, and
reporting a contribution; with the rules, rate limits and field-level 422s that refuse them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.api.contribution_schemas import POSTCODE_PATTERN
from coproduce.api.tests.client import Api, fields
from coproduce.api.tests.loop import LINKS, Loop
from coproduce.codesign import actions, spam
from coproduce.codesign.models import Idea, Support
from coproduce.codesign.spam import VOTES_PER_MINUTE
from coproduce.codesign.tests.factories import IdeaChallengeFactory, IdeaFactory
from coproduce.contributions.models import Contribution, Report, Visibility
from coproduce.contributions.tests.world import World
from coproduce.insight.actions import normalise_postcode

pytestmark = pytest.mark.django_db

AsRole = Callable[[str], Api]


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
