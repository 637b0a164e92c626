"""Organisation pages and membership management."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory, totp_code
from coproduce.organisations import actions, rules
from coproduce.organisations.models import Membership, Role
from coproduce.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_last_administrator_cannot_be_removed() -> None:
    admin = MembershipFactory(role=Role.ADMIN)
    with pytest.raises(ValidationError):
        actions.membership_remove(membership=admin)
    MembershipFactory(organisation=admin.organisation, role=Role.ADMIN, user=UserFactory(mfa=True))
    actions.membership_remove(membership=admin)
    assert not Membership.objects.filter(pk=admin.pk).exists()


def test_admin_adds_a_person_by_email_and_unknown_emails_are_explained(client: Client) -> None:
    admin = MembershipFactory(role=Role.ADMIN)
    client.force_login(admin.user)
    url = reverse("organisations:members", kwargs={"slug": admin.organisation.slug})
    response = client.post(url, {"email": "nobody@example.org", "role": Role.FACILITATOR})
    assert "No account uses this email address" in response.content.decode()
    newcomer = UserFactory(email="Newcomer@Example.org")
    client.post(
        url, {"email": "NEWCOMER@example.org", "role": Role.FACILITATOR, "job_title": "Organiser"}
    )
    membership = Membership.objects.get(user=newcomer)
    assert membership.role == Role.FACILITATOR
    assert membership.job_title == "Organiser"


@pytest.mark.parametrize(
    ("role", "needs"),
    [(None, False), (Role.FACILITATOR, False), (Role.PROFESSIONAL, True), (Role.ADMIN, True)],
)
def test_admins_and_professionals_must_set_up_two_factor(role: str | None, needs: bool) -> None:
    user = UserFactory()
    if role:
        MembershipFactory(user=user, role=role)
    assert rules.must_set_up_mfa(user) is needs
    if needs:
        assert rules.must_set_up_mfa(UserFactory(mfa=True, email="with-totp@example.org")) is False


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
