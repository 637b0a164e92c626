"""GET /api/search: everything public, paged like every list, bad input a 422 per field."""

from __future__ import annotations

from typing import Any

import pytest

from coproduce.api.tests.client import Api, fields
from coproduce.codesign.tests.factories import CommentFactory, IdeaChallengeFactory, IdeaFactory
from coproduce.contributions import actions as spine
from coproduce.insight.tests.factories import facilitator_of
from coproduce.services.models import ServiceStatus
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas() -> Any:
    challenge = IdeaChallengeFactory(title="Ideas for the hub")
    idea = IdeaFactory(activity=challenge, title="Saturday drop-in", description="<b>For</b> all")
    CommentFactory(idea=idea, body="A drop-in with a crèche")
    hidden = IdeaFactory(activity=challenge, title="Rude drop-in")
    spine.moderation_hide(contribution=hidden.contribution, moderator=facilitator_of(challenge))
    return idea


def test_finds_what_is_public_most_relevant_first(ideas: Any, anonymous: Api) -> None:
    response = anonymous.get("/search", {"q": "drop-in"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first, second = body["items"]
    assert (first["kind"], first["title"], second["kind"]) == (
        "idea",
        "Saturday drop-in",
        "comment",
    )
    assert first["id"] == ideas.pk
    assert first["url"] == ideas.get_absolute_url()
    assert first["title_html"] == "Saturday <mark>drop-in</mark>"
    assert first["service"] == ideas.contribution.activity.service.slug
    assert first["service_name"] == ideas.contribution.activity.service.name
    assert first["date"]


def test_html_in_what_people_wrote_is_escaped(ideas: Any, anonymous: Api) -> None:
    item = anonymous.get("/search", {"q": "all"}).json()["items"][0]
    assert item["excerpt_html"] == "&lt;b&gt;For&lt;/b&gt; <mark>all</mark>"


def test_filters_by_kind_and_service(ideas: Any, anonymous: Api) -> None:
    only = anonymous.get("/search", {"q": "drop-in", "kind": ["comment"]}).json()
    assert [item["kind"] for item in only["items"]] == ["comment"]
    both = anonymous.get("/search", {"q": "drop-in", "kind": ["comment", "idea"]}).json()
    assert both["count"] == 2
    other = ServiceFactory(name="Another drop-in service")
    assert anonymous.get("/search", {"q": "drop-in"}).json()["count"] == 3
    theirs = anonymous.get("/search", {"q": "drop-in", "service": other.slug}).json()
    assert [item["title"] for item in theirs["items"]] == ["Another drop-in service"]
    assert anonymous.get("/search", {"q": "drop-in", "service": "no-such"}).json()["count"] == 0


def test_drafts_are_never_found_even_with_a_token(anonymous: Api) -> None:
    draft = ServiceFactory(name="Secret harbour", status=ServiceStatus.DRAFT)
    ActivityFactory(service=draft, title="Harbour walk")
    assert anonymous.get("/search", {"q": "harbour"}).json() == {"items": [], "count": 0}


def test_pages_like_every_list(anonymous: Api) -> None:
    challenge = IdeaChallengeFactory()
    for n in range(5):
        IdeaFactory(activity=challenge, title=f"Garden {n}")
    page = anonymous.get("/search", {"q": "garden", "limit": 2, "offset": 2}).json()
    assert page["count"] == 5
    assert [item["title"] for item in page["items"]] == ["Garden 2", "Garden 1"]  # ties: newest


@pytest.mark.parametrize("typed", ['"', "*", "NEAR(a", "-x", "((", "a) OR (b", "\\"])
def test_syntax_characters_are_searched_for_not_obeyed(typed: str, anonymous: Api) -> None:
    response = anonymous.get("/search", {"q": typed})
    assert response.status_code == 200


def test_bad_input_is_a_422_per_field(anonymous: Api) -> None:
    assert fields(anonymous.get("/search")) == {("query", "q"): "missing"}
    assert fields(anonymous.get("/search", {"q": "x" * 101})) == {("query", "q"): "string_too_long"}
    assert ("query", "q") in fields(anonymous.get("/search", {"q": "   "}))
    assert ("query", "q") in fields(anonymous.get("/search", {"q": "a\x00b"}))
    assert ("query", "kind", 0) in fields(anonymous.get("/search", {"q": "a", "kind": "secret"}))
    assert ("query", "service") in fields(anonymous.get("/search", {"q": "a", "service": "a b"}))
    for limit in ("0", "101", "x"):
        assert ("query", "limit") in fields(anonymous.get("/search", {"q": "a", "limit": limit}))


def test_a_bad_token_is_refused(anonymous: Api) -> None:
    assert Api("not-a-token").get("/search", {"q": "garden"}).status_code == 401
