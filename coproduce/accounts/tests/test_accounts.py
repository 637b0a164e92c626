"""Accounts: the user model, API tokens and profiles."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts import actions
from coproduce.accounts.models import ApiToken
from coproduce.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_is_normalised() -> None:
    user = get_user_model().objects.create_user("Jo.Bennett@Example.ORG", "a long passphrase 42")
    assert user.email == "jo.bennett@example.org"
    assert user.get_username() == "jo.bennett@example.org"
    with pytest.raises(ValueError, match="email"):
        get_user_model().objects.create_user("", "x")


def test_api_tokens_are_hashed_shown_once_and_revocable() -> None:
    user = UserFactory()
    token, raw = actions.api_token_create(user=user, name="script")
    assert raw.startswith("cp_")
    assert raw not in token.token_hash
    assert actions.api_token_authenticate(raw) == user
    assert actions.api_token_authenticate(raw + "x") is None
    actions.api_token_revoke(token=token)
    assert actions.api_token_authenticate(raw) is None


def test_expired_tokens_and_inactive_users_do_not_authenticate() -> None:
    user = UserFactory()
    token, raw = actions.api_token_create(user=user, name="old")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert actions.api_token_authenticate(raw) is None
    _token, raw = actions.api_token_create(user=user, name="new")
    user.is_active = False
    user.save()
    assert actions.api_token_authenticate(raw) is None


def test_token_page_shows_a_new_token_once(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:api_tokens"), {"name": "reporting"})
    token = ApiToken.objects.get(user=user)
    assert "cp_" in response.content.decode()
    assert token.prefix in response.content.decode()
    again = client.get(reverse("accounts:api_tokens")).content.decode()
    assert "Copy it now" not in again


def test_someone_elses_token_cannot_be_revoked(client: Client) -> None:
    owner = UserFactory()
    token, _raw = actions.api_token_create(user=owner, name="mine")
    client.force_login(UserFactory())
    assert (
        client.post(reverse("accounts:api_token_revoke", kwargs={"pk": token.pk})).status_code
        == 404
    )
    token.refresh_from_db()
    assert token.revoked_at is None


def test_profile_name_can_change(client: Client) -> None:
    user = UserFactory(name="Jo")
    client.force_login(user)
    client.post(reverse("accounts:profile"), {"name": "  Jo Bennett "})
    user.refresh_from_db()
    assert user.name == "Jo Bennett"


def test_a_profile_name_cannot_be_saved_blank(client: Client) -> None:
    user = UserFactory(name="Jo Bennett")
    client.force_login(user)
    page = client.post(reverse("accounts:profile"), {"name": "   "})
    assert page.status_code == 200
    assert "Enter your name." in page.content.decode()
    user.refresh_from_db()
    assert user.name == "Jo Bennett"
    with pytest.raises(ValidationError):
        actions.user_update_profile(user=user, name="")
