"""Organisations of every sector and the people who work for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.common.models import TimeStampedModel

if TYPE_CHECKING:
    from coproduce.accounts.models import User


class Sector(models.TextChoices):
    PUBLIC_BODY = "public_body", _("Public body")
    NHS = "nhs", _("NHS")
    POLICE = "police", _("Police")
    SCHOOL = "school", _("School")
    CHARITY = "charity", _("Charity")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    CO_OPERATIVE = "co_operative", _("Co-operative")
    MUTUAL = "mutual", _("Mutual")
    COMMUNITY_GROUP = "community_group", _("Community group")
    TRADE_UNION = "trade_union", _("Trade union")
    PRIVATE_PROVIDER = "private_provider", _("Private provider")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    PROFESSIONAL = "professional", _("Professional")
    FACILITATOR = "facilitator", _("Facilitator")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def with_role(self, user: User, roles: list[str]) -> OrganisationQuerySet:
        """Organisations where the person holds one of these roles."""
        return self.filter(memberships__user=user, memberships__role__in=roles).distinct()


class Organisation(TimeStampedModel):
    """A body that runs or supports services: council, NHS trust, police, school, charity, union…"""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    area = models.CharField(_("area"), max_length=200, blank=True)
    # How residents reach the organisation: shown on its page (the accessibility statement and
    # the privacy notice send people there).
    contact_email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"slug": self.slug})


class Membership(TimeStampedModel):
    """One person's role in one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.organisation}"
