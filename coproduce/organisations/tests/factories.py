"""Factories for organisations and memberships."""

from __future__ import annotations

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from coproduce.accounts.tests.factories import UserFactory
from coproduce.organisations.models import Membership, Organisation, Role, Sector


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    sector = Sector.PUBLIC_BODY
    summary = factory.LazyAttribute(lambda o: f"{o.name} works with residents on local services.")
    area = "Northfield"


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership
        django_get_or_create = ("user", "organisation")

    user = factory.SubFactory(UserFactory, mfa=True)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PROFESSIONAL
