"""Writes to organisations and memberships."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.common.text import unique_slug
from coproduce.organisations.models import Membership, Organisation, Role


@transaction.atomic
def organisation_create(
    *,
    name: str,
    sector: str,
    summary: str = "",
    description: str = "",
    website: str = "",
    area: str = "",
    contact_email: str = "",
    phone: str = "",
) -> Organisation:
    """Register an organisation on the platform."""
    organisation = Organisation(
        name=name.strip(),
        slug=unique_slug(Organisation, name),
        sector=sector,
        summary=summary.strip(),
        description=description.strip(),
        website=website,
        area=area.strip(),
        contact_email=contact_email.strip(),
        phone=phone.strip(),
    )
    organisation.full_clean(exclude=["slug"])
    organisation.save()
    return organisation


@transaction.atomic
def membership_set(
    *, organisation: Organisation, user: User, role: str, job_title: str = ""
) -> Membership:
    """Give a person a role in an organisation, or change the role they have."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose administrator, professional or facilitator.")})
    membership, _created = Membership.objects.update_or_create(
        organisation=organisation,
        user=user,
        defaults={"role": role, "job_title": job_title.strip()},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Remove a person from an organisation; the last administrator cannot be removed."""
    organisation = membership.organisation
    admins = Membership.objects.select_for_update().filter(
        organisation=organisation, role=Role.ADMIN
    )
    if membership.role == Role.ADMIN and admins.count() <= 1:
        raise ValidationError(_("An organisation needs at least one administrator."))
    membership.delete()
