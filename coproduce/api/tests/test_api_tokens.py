"""Token authentication: who gets 401 (no, unknown, malformed, revoked or expired token, or a
deactivated person's), 403 for a valid token without the right, and that a signed-in browser
session is no token."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from coproduce.accounts.actions import api_token_create, api_token_revoke
from coproduce.accounts.models import ApiToken
from coproduce.api.tests.client import Api
from coproduce.contributions.tests.world import World

pytestmark = pytest.mark.django_db

WRITE = "/services/published-service"


def _refused_with_401(response: Any) -> None:
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["detail"]


def test_a_write_without_a_token_is_401(world: World, anonymous: Api) -> None:
    _refused_with_401(anonymous.patch(WRITE, {"name": "Renamed"}))


def test_an_unknown_token_is_401(world: World) -> None:
    _refused_with_401(Api("cp_not-a-real-token").patch(WRITE, {"name": "Renamed"}))


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Token abc", ""])
def test_a_malformed_authorization_header_is_401(world: World, header: str) -> None:
    _refused_with_401(Api(authorization=header).patch(WRITE, {"name": "Renamed"}))


def test_a_revoked_token_is_401(world: World) -> None:
    token, raw = api_token_create(user=world.people["professional"], name="revoked")
    assert Api(raw).patch(WRITE, {"name": "Renamed"}).status_code == 200
    api_token_revoke(token=token)
    _refused_with_401(Api(raw).patch(WRITE, {"name": "Renamed again"}))


def test_an_expired_token_is_401(world: World) -> None:
    token, raw = api_token_create(user=world.people["professional"], name="expired")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _refused_with_401(Api(raw).patch(WRITE, {"name": "Renamed"}))


def test_the_token_of_a_deactivated_person_is_401(world: World) -> None:
    person = world.people["professional"]
    _, raw = api_token_create(user=person, name="leaver")
    person.is_active = False
    person.save(update_fields=["is_active"])
    _refused_with_401(Api(raw).patch(WRITE, {"name": "Renamed"}))


def test_reads_are_public_but_a_bad_token_is_still_401(world: World, anonymous: Api) -> None:
    """A dead token must not quietly fall back to anonymous access."""
    assert anonymous.get("/services").status_code == 200
    _refused_with_401(Api("cp_not-a-real-token").get("/services"))


@pytest.mark.parametrize(
    "path",
    [
        "/services/published-service/standards",
        "/services/published-service/improvement-actions",
        "/assessments/2147483647",
        "/assessments/2147483647/findings",
    ],
)
def test_assessment_reads_need_no_token_but_refuse_a_bad_one(
    world: World, anonymous: Api, path: str
) -> None:
    """The token is checked before anything is looked up: 401 even where the answer is 404."""
    assert anonymous.get(path).status_code == (404 if "/assessments/" in path else 200)
    _refused_with_401(Api("cp_not-a-real-token").get(path))


def test_a_token_records_when_it_was_last_used(world: World) -> None:
    token, raw = api_token_create(user=world.people["professional"], name="used")
    assert token.last_used_at is None
    Api(raw).get("/services")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_valid_token_of_a_non_member_is_403(world: World, as_role: Callable[[str], Api]) -> None:
    response = as_role("other_professional").patch(WRITE, {"name": "Renamed"})
    assert response.status_code == 403
    assert response.json() == {"detail": "Your token is valid, but you may not do this."}


def test_a_member_can_write(world: World, as_role: Callable[[str], Api]) -> None:
    response = as_role("professional").patch(WRITE, {"name": "Renamed"})
    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"


def test_a_signed_in_browser_session_is_not_a_token(world: World, anonymous: Api) -> None:
    """The API ignores session cookies: no drafts, no writes (and so no CSRF to worry about)."""
    anonymous.client.force_login(world.people["professional"])
    assert anonymous.get("/services/draft-service").status_code == 404
    _refused_with_401(anonymous.patch(WRITE, {"name": "Renamed"}))
