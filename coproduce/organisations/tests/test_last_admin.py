"""An organisation keeps at least one administrator (decision 0140): the only one cannot be made
a professional, and two removing each other at once cannot leave it with none.

SQLite writes one transaction at a time, so the test of two removals at once runs on PostgreSQL
only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory
from coproduce.common.tests.concurrency import Behind, in_progress, only_on_postgresql
from coproduce.organisations import actions
from coproduce.organisations.models import Membership, Role
from coproduce.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

LAST_ADMIN = (
    "An organisation needs at least one administrator. Make someone else an administrator first."
)


def test_the_only_administrator_cannot_be_made_a_professional() -> None:
    """Decision 0140: someone else must be an administrator first."""
    admin = MembershipFactory(role=Role.ADMIN)
    organisation = admin.organisation
    with pytest.raises(ValidationError) as error:
        actions.membership_set(organisation=organisation, user=admin.user, role=Role.PROFESSIONAL)
    assert error.value.message_dict == {"role": [LAST_ADMIN]}
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN
    MembershipFactory(organisation=organisation, role=Role.ADMIN, user=UserFactory(mfa=True))
    actions.membership_set(organisation=organisation, user=admin.user, role=Role.PROFESSIONAL)
    admin.refresh_from_db()
    assert admin.role == Role.PROFESSIONAL


def test_the_members_page_says_why_the_only_administrator_stays_one(client: Client) -> None:
    """Decision 0140: the members page shows the reason on the form and changes nothing."""
    admin = MembershipFactory(role=Role.ADMIN)
    client.force_login(admin.user)
    url = reverse("organisations:members", kwargs={"slug": admin.organisation.slug})
    response = client.post(url, {"email": admin.user.email, "role": Role.PROFESSIONAL})
    assert response.status_code == 200
    assert response.context["form"].errors["role"] == [LAST_ADMIN]
    assert LAST_ADMIN in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_administrators_removing_each_other_at_once_leave_one() -> None:
    """Decision 0140: the second removal waits for the first and is then refused."""
    first = MembershipFactory(role=Role.ADMIN)
    second = MembershipFactory(
        organisation=first.organisation, role=Role.ADMIN, user=UserFactory(mfa=True)
    )
    with in_progress(lambda: actions.membership_remove(membership=first)):
        removing = Behind(lambda: actions.membership_remove(membership=second))
    with pytest.raises(ValidationError) as error:
        removing.result()
    assert error.value.messages == [LAST_ADMIN]
    admins = Membership.objects.filter(organisation=first.organisation, role=Role.ADMIN)
    assert list(admins.values_list("pk", flat=True)) == [second.pk]
