"""Numbers no id column can hold match nothing in queries, instead of crashing SQLite
(`coproduce.common.lookups`, decision 0116)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.codesign.models import Comment
from coproduce.codesign.tests.factories import IdeaFactory
from coproduce.contributions.models import Contribution
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory
from coproduce.services.models import Service

pytestmark = pytest.mark.django_db

# Beyond a signed 64-bit integer, above and below: SQLite's driver raised OverflowError on these.
HUGE = [2**63, 99999999999999999999, -(2**63) - 1]


@pytest.fixture
def two() -> list[Contribution]:
    return [IdeaFactory().contribution, IdeaFactory().contribution]


@pytest.mark.parametrize("huge", HUGE)
def test_in_leaves_out_numbers_no_id_holds(two: list[Contribution], huge: int) -> None:
    first = two[0]
    assert list(Contribution.objects.filter(pk__in=[huge, first.pk])) == [first]
    assert not Contribution.objects.filter(pk__in=[huge]).exists()
    assert Contribution.objects.exclude(pk__in=[huge]).count() == 2
    assert Contribution.objects.exclude(pk__in=[huge, first.pk]).get() == two[1]


@pytest.mark.parametrize("huge", HUGE)
def test_foreign_keys_match_nothing_on_a_number_no_id_holds(
    two: list[Contribution], huge: int
) -> None:
    activity_id = two[0].activity_id
    assert not Contribution.objects.filter(activity=huge).exists()
    assert not Contribution.objects.filter(activity_id=huge).exists()
    assert not Contribution.objects.filter(activity__service_stage=huge).exists()
    assert Contribution.objects.exclude(activity=huge).count() == 2
    assert Contribution.objects.filter(activity__in=[huge, activity_id]).get() == two[0]
    assert Contribution.objects.exclude(activity__in=[huge]).count() == 2
    # Through a key that is itself a key to another table (an idea's is its contribution's), and
    # back along a relation.
    assert not Comment.objects.filter(idea=huge).exists()
    assert not Comment.objects.filter(idea__in=[huge]).exists()
    assert not Contribution.objects.filter(idea=huge).exists()


def test_in_still_takes_a_subquery_and_numbers_in_range(two: list[Contribution]) -> None:
    ids = Contribution.objects.filter(pk=two[1].pk).values("pk")
    assert Contribution.objects.get(pk__in=ids) == two[1]
    assert Contribution.objects.filter(pk__in=[two[0].pk, 2**63 - 1]).get() == two[0]
    assert not Contribution.objects.filter(pk__in=[]).exists()


def test_a_multiple_choice_given_a_huge_id_says_so() -> None:
    """The service form's partners: a 500 on SQLite before."""
    membership = MembershipFactory(user=UserFactory(mfa=True), role=Role.PROFESSIONAL)
    response = client_for(membership.user).post(
        reverse("services:service_create"),
        {
            "organisation": membership.organisation.pk,
            "name": "Meals on wheels",
            "summary": "Hot meals at home.",
            "policy_area": "social_care",
            "area_served": "Northfield",
            "partners": ["99999999999999999999"],
        },
    )
    assert response.status_code == 200
    assert "99999999999999999999 is not one of the available choices" in response.content.decode()
    assert not Service.objects.exists()
