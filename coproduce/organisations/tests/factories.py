"""Factories for organisations and memberships."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from coproduce.accounts.tests.factories import UserFactory
from coproduce.organisations.models import Membership, Organisation, Role, Sector


class OrganisationFactory(DjangoModelFactory[Organisation]):
    if TYPE_CHECKING:  # calling the factory returns the model instance

        def __new__(cls, *args: Any, **kwargs: Any) -> Organisation: ...  # type: ignore[misc]

    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    sector = Sector.PUBLIC_BODY
    summary = factory.LazyAttribute(lambda o: f"{o.name} works with residents on local services.")
    area = "Northfield"


class MembershipFactory(DjangoModelFactory[Membership]):
    if TYPE_CHECKING:  # calling the factory returns the model instance

        def __new__(cls, *args: Any, **kwargs: Any) -> Membership: ...  # type: ignore[misc]

    class Meta:
        model = Membership
        django_get_or_create = ("user", "organisation")

    user = factory.SubFactory(UserFactory, mfa=True)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PROFESSIONAL
