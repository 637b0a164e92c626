"""Reads about organisations and their people, and the objects their pages are about."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from coproduce.accounts.models import User
from coproduce.organisations.models import Membership, Organisation


def load_organisation(request: HttpRequest, slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


def load_membership(request: HttpRequest, slug: str, pk: int) -> Membership:
    """A membership by its address under its organisation's (404 under any other)."""
    return get_object_or_404(
        Membership.objects.select_related("organisation", "user"), pk=pk, organisation__slug=slug
    )


def all_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name", "pk")


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's people, by email."""
    return organisation.memberships.select_related("user").order_by("user__email")


def memberships_of(user: User) -> QuerySet[Membership]:
    """The organisations the person works for, with their role in each."""
    return user.memberships.select_related("organisation").order_by("organisation__name")
