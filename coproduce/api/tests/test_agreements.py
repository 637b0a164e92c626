"""Agreeing with comments and a challenge's supports threshold, through the API (decision 0026)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coproduce.api.tests.client import Api, fields
from coproduce.api.tests.loop import LINKS, Loop
from coproduce.codesign import actions, spam
from coproduce.codesign.models import Agreement, Comment
from coproduce.codesign.tests.factories import CommentFactory
from coproduce.common.dates import add_working_days
from coproduce.contributions.tests.world import World

pytestmark = pytest.mark.django_db
AsRole = Callable[[str], Api]


def test_agree_and_withdraw_like_a_support(world: World, loop: Loop, as_role: AsRole) -> None:
    api = as_role("resident")
    path = f"/comments/{loop.question.pk}/agreement"
    assert api.put(path).json() == {"agreed": True, "changed": True, "agreement_count": 1}
    assert api.put(path).json() == {"agreed": True, "changed": False, "agreement_count": 1}
    shown = api.get(f"/contributions/{loop.question.pk}").json()["comment"]
    assert (shown["agreement_count"], shown["agreed"]) == (1, True)
    listed = api.get(
        f"/activities/{world.open_activity.pk}/contributions", {"kind": "comment"}
    ).json()["items"]
    assert [(c["id"], c["comment"]["agreed"]) for c in listed] == [(loop.question.pk, True)]
    assert (
        as_role("professional")
        .get(f"/contributions/{loop.question.pk}")
        .json()["comment"]["agreed"]
        is False
    )
    assert api.delete(path).json() == {"agreed": False, "changed": True, "agreement_count": 0}
    assert api.delete(path).json() == {"agreed": False, "changed": False, "agreement_count": 0}


def test_no_agreement_with_your_own_a_held_or_a_closed_comment(
    world: World, loop: Loop, as_role: AsRole, as_author: Api
) -> None:
    assert as_author.put(f"/comments/{loop.question.pk}/agreement").status_code == 403
    held = actions.comment_create(idea=loop.idea, author=loop.author, body=LINKS)
    resident = as_role("resident")
    assert resident.put(f"/comments/{held.pk}/agreement").status_code == 404
    assert resident.put(f"/comments/{loop.closed_comment.pk}/agreement").status_code == 403
    assert as_role("anonymous").put(f"/comments/{loop.question.pk}/agreement").status_code == 401
    assert resident.put("/comments/999999999/agreement").status_code == 404
    assert not Agreement.objects.exists()


def test_supports_and_agreements_share_one_rate_limit(
    world: World, loop: Loop, as_role: AsRole, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spam, "vote_rate_key", lambda user: f"test-votes:{user.pk}")
    monkeypatch.setattr(spam, "VOTES_PER_MINUTE", 4)
    api = as_role("resident")
    support, agreement = f"/ideas/{loop.idea.pk}/support", f"/comments/{loop.question.pk}/agreement"
    for path in (support, agreement, support, agreement):
        assert api.put(path).status_code == 200
    refused = api.delete(agreement)
    assert fields(refused) == {("body",): "rule"}
    assert "Wait a minute, then try again" in refused.json()["detail"][0]["msg"]
    assert Agreement.objects.filter(comment=loop.question).count() == 1


def test_an_activity_and_an_idea_show_the_threshold(
    world: World, loop: Loop, as_role: AsRole, anonymous: Api
) -> None:
    activity = world.open_activity
    assert anonymous.get(f"/activities/{activity.pk}").json()["supports_threshold"] is None
    actions.supports_threshold_set(
        activity=activity, supports=1, answer_days=10, set_by=world.people["professional"]
    )
    shown = anonymous.get(f"/activities/{activity.pk}").json()["supports_threshold"]
    assert shown == {
        "supports": 1,
        "answer_days": 10,
        "text": "An idea with 1 support gets a written answer from the team within 10 working "
        "days.",
    }
    listed = anonymous.get(f"/services/{world.service.slug}/activities").json()["items"]
    assert {a["id"]: a["supports_threshold"] for a in listed}[activity.pk] == shown
    detail = anonymous.get(f"/services/{world.service.slug}").json()["activities"]
    assert {a["id"]: a["supports_threshold"] for a in detail}[activity.pk] == shown
    idea = anonymous.get(f"/contributions/{loop.idea.pk}").json()["idea"]
    assert (idea["threshold_reached_at"], idea["answer_due_on"]) == (None, None)
    as_role("resident").put(f"/ideas/{loop.idea.pk}/support")
    idea = anonymous.get(f"/contributions/{loop.idea.pk}").json()["idea"]
    assert idea["threshold_reached_at"] is not None
    assert idea["answer_due_on"] == add_working_days(timezone.localdate(), 10).isoformat()


def test_a_comment_list_needs_no_query_per_agreement(
    world: World, loop: Loop, as_role: AsRole
) -> None:
    api = as_role("resident")
    path = f"/activities/{world.open_activity.pk}/contributions"
    api.get(path)  # the token's last use is recorded on the first request only

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(path, {"kind": "comment", "limit": 100}).status_code == 200
        return len(queries)

    few = count()
    resident = world.people["resident"]
    for n in range(5):
        comment: Comment = CommentFactory(idea=loop.idea, body=f"Yes {n}")
        actions.agreement_add(comment=comment, user=resident)
    assert count() == few
