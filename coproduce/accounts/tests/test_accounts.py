"""Accounts: the user model, two-factor rule, API tokens and the sign-in flow with TOTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts import actions
from coproduce.accounts.models import ApiToken
from coproduce.accounts.rules import must_set_up_mfa
from coproduce.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory, totp_code
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_is_normalised() -> None:
    user = get_user_model().objects.create_user("Jo.Bennett@Example.ORG", "a long passphrase 42")
    assert user.email == "jo.bennett@example.org"
    assert user.get_username() == "jo.bennett@example.org"
    with pytest.raises(ValueError, match="email"):
        get_user_model().objects.create_user("", "x")


@pytest.mark.parametrize(
    ("role", "needs"),
    [(None, False), (Role.FACILITATOR, False), (Role.PROFESSIONAL, True), (Role.ADMIN, True)],
)
def test_admins_and_professionals_must_set_up_two_factor(role: str | None, needs: bool) -> None:
    user = UserFactory()
    if role:
        MembershipFactory(user=user, role=role)
    assert must_set_up_mfa(user) is needs
    if needs:
        assert must_set_up_mfa(UserFactory(mfa=True, email="with-totp@example.org")) is False


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


def test_staff_sign_in_asks_for_the_authenticator_code(client: Client) -> None:
    user = UserFactory(email="nurse@example.org", mfa=True)
    MembershipFactory(user=user, role=Role.PROFESSIONAL)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    wrong = client.post(
        reverse("mfa_authenticate"), {"code": "000000" if totp_code() != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("services:staff_dashboard")).status_code == 200


def test_profile_name_can_change(client: Client) -> None:
    user = UserFactory(name="Jo")
    client.force_login(user)
    client.post(reverse("accounts:profile"), {"name": "  Jo Bennett "})
    user.refresh_from_db()
    assert user.name == "Jo Bennett"
