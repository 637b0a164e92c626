"""Writes to organisations and memberships."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


LAST_ADMIN = gettext_lazy(
    "An organisation needs at least one administrator. Make someone else an administrator first."
)


@transaction.atomic
def membership_set(
    *, organisation: Organisation, user: User, role: str, job_title: str = ""
) -> Membership:
    """Give a person a role in an organisation, or change the role they have."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose administrator, professional or facilitator.")})
    admins = _locked_admins(organisation)
    if role != Role.ADMIN and admins == {user.pk}:
        raise ValidationError({"role": LAST_ADMIN})
    membership, _created = Membership.objects.update_or_create(
        organisation=organisation,
        user=user,
        defaults={"role": role, "job_title": job_title.strip()},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Remove a person from an organisation; the last administrator cannot be removed."""
    admins = _locked_admins(membership.organisation)
    if admins == {membership.user_id}:
        raise ValidationError(LAST_ADMIN)
    Membership.objects.filter(pk=membership.pk).delete()  # nothing, if removed a moment ago


def _locked_admins(organisation: Organisation) -> set[int]:
    """The organisation's administrators (user keys), its row locked: two administrators removing
    or demoting each other at once cannot leave it with none (decision 0140)."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()
    return set(
        Membership.objects.filter(organisation=organisation, role=Role.ADMIN).values_list(
            "user_id", flat=True
        )
    )
