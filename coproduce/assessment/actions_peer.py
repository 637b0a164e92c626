"""Every write of a peer review: the visit, the team and its lead, and each assessor's own ratings
with their evidence notes (decision 0083).

Each action checks its own rule (PermissionDenied). Peers are independent: nobody who works for the
organisation that runs the service can be on the team. An assessor's ratings are a draft until they
hand them in; handing in is final, and only then do they see the others' ratings (rules.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.accounts.types import Visitor
from coproduce.assessment import rules
from coproduce.assessment.actions_assessments import Answer, comment_key, rating_key
from coproduce.assessment.models import SCALE_MAX, Assessment, Assessor, AssessorRating, Standard
from coproduce.common.dates import long_date, years_after
from coproduce.common.languages import in_language
from coproduce.common.permissions import require
from coproduce.organisations.models import Membership

# A peer team: a few people, so that each one's ratings count (issue 12).
TEAM_MAX = 8
EVIDENCE_MAX = 2000
FROM_GROUP_MAX = 200
VISIT_PLACE_MAX = 200
# A desk review is often recorded after it took place; a visit is planned at most this far ahead.
VISIT_YEARS_BACK = 1
VISIT_YEARS_AHEAD = 2


def _locked(assessment: Assessment) -> Assessment:
    """The assessment's row, locked: team changes and hand-ins happen one at a time."""
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


# --- The visit ----------------------------------------------------------------------------------


def visit_dates() -> tuple[dt.date, dt.date]:
    """The first and last dates a visit may be on: a year ago, and two years from today."""
    today = timezone.localdate()
    return years_after(today, -VISIT_YEARS_BACK), years_after(today, VISIT_YEARS_AHEAD)


@transaction.atomic
def visit_schedule(
    *, assessment: Assessment, by: User, visit_on: dt.date | None, visit_place: str
) -> Assessment:
    """Set (or change) the date and place of the visit, or of a desk review. A past date up to a
    year ago is allowed, for a review recorded afterwards."""
    locked = _locked(assessment)
    require(rules.can_manage_team(by, locked))
    place = (visit_place or "").strip()
    errors: dict[str, str] = {}
    earliest, latest = visit_dates()
    if visit_on is None:
        errors["visit_on"] = _("Enter the date of the visit.")
    elif not earliest <= visit_on <= latest:
        errors["visit_on"] = _(
            "The date of the visit must be between %(earliest)s and %(latest)s: up to a year ago "
            "for a review you are recording afterwards, or up to 2 years ahead."
        ) % {"earliest": long_date(earliest), "latest": long_date(latest)}
    if len(place) > VISIT_PLACE_MAX:
        errors["visit_place"] = _(
            "Where the visit is must be %(limit)s characters or fewer. It has %(length)s."
        ) % {"limit": VISIT_PLACE_MAX, "length": len(place)}
    if errors:
        raise ValidationError(errors)
    locked.visit_on = visit_on
    locked.visit_place = place
    locked.save(update_fields=["visit_on", "visit_place"])
    return locked


# --- The team -----------------------------------------------------------------------------------


def _works_for_service(person: User, assessment: Assessment) -> bool:
    organisation_id = assessment.activity.service.organisation_id
    return Membership.objects.filter(user=person, organisation_id=organisation_id).exists()


@transaction.atomic
def assessor_add(
    *, assessment: Assessment, by: User, email: str, from_group: str, is_lead: bool
) -> Assessor:
    """Put a person on the team by the email of their account, saying where they come from (shown
    on the report). Making them the lead takes over from the current lead."""
    locked = _locked(assessment)
    require(rules.can_manage_team(by, locked))
    email = (email or "").strip()
    from_group = (from_group or "").strip()
    errors: dict[str, Any] = {}
    person = None
    if not email:
        errors["email"] = _("Enter the email address of the assessor’s account.")
    else:
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            errors["email"] = _(
                "There is no account with this email address. Ask them to create one first."
            )
        elif _works_for_service(person, assessment):
            errors["email"] = _(
                "%(name)s works for the organisation that runs the service. Peer assessors must "
                "be independent of it: choose someone who uses another service, or someone from "
                "a partner organisation."
            ) % {"name": person}
        elif locked.assessors.filter(person=person).exists():
            errors["email"] = _("%(name)s is already on the team.") % {"name": person}
    if not from_group:
        errors["from_group"] = _(
            "Say where the assessor comes from, for example “Eastvale Dial-a-Ride user group”."
        )
    elif len(from_group) > FROM_GROUP_MAX:
        errors["from_group"] = _(
            "Where they come from must be %(limit)s characters or fewer. It has %(length)s."
        ) % {"limit": FROM_GROUP_MAX, "length": len(from_group)}
    if locked.assessors.count() >= TEAM_MAX:
        errors[NON_FIELD_ERRORS] = _(
            "The team already has %(limit)s assessors, the most it can have. Remove someone "
            "before you add another."
        ) % {"limit": TEAM_MAX}
    if errors:
        raise ValidationError(errors)
    assert person is not None
    if is_lead:
        locked.assessors.filter(is_lead=True).update(is_lead=False)
    try:
        with transaction.atomic():
            return Assessor.objects.create(
                assessment=locked,
                person=person,
                from_group=from_group,
                is_lead=is_lead,
                added_by=by,
            )
    except IntegrityError:  # added by someone else a moment ago
        raise ValidationError(
            {"email": _("%(name)s is already on the team.") % {"name": person}}
        ) from None


@transaction.atomic
def assessor_remove(*, assessor: Assessor, by: User) -> Assessment:
    """Take someone off the team, with their draft ratings, before they hand their ratings in:
    handed-in ratings are part of the review and stay."""
    assessment = _locked(assessor.assessment)
    require(rules.can_manage_team(by, assessment))
    current = Assessor.objects.select_related("person").filter(pk=assessor.pk).first()
    if current is None:
        return assessment
    if current.submitted_at is not None:
        raise ValidationError(
            _(
                "%(name)s has handed in their ratings, so they stay on the team: their ratings "
                "are part of the review."
            )
            % {"name": current.person}
        )
    current.delete()
    return assessment


# --- An assessor's own ratings ------------------------------------------------------------------


def _checked(
    assessment: Assessment, ratings: Mapping[int, Answer], hand_in: bool
) -> list[tuple[Standard, int | None, str]]:
    """The given answers as (standard, rating, evidence), or a ValidationError on the field of each
    answer off the scale, each note too long and, to hand in, each standard not yet answered."""
    standards = list(
        Standard.objects.filter(version_id=assessment.version_id).order_by("position", "id")
    )
    errors: dict[str, Any] = {}
    if any(key not in {standard.pk for standard in standards} for key in ratings):
        errors[NON_FIELD_ERRORS] = _(
            "Some ratings are about standards this review does not use. Reload the page and rate "
            "again."
        )
    rows = []
    for standard in standards:
        statement = in_language(standard, "statement").text
        given = ratings.get(standard.pk)
        if given is None:
            if hand_in:
                errors[rating_key(standard.pk)] = _(
                    "Rate “%(standard)s”, or choose “Does not apply”, before you hand in your "
                    "ratings."
                ) % {"standard": statement}
            continue
        rating, evidence = given
        evidence = (evidence or "").strip()
        if not (rating is None or (isinstance(rating, int) and 1 <= rating <= SCALE_MAX)):
            errors[rating_key(standard.pk)] = _(
                "Choose how often “%(standard)s” is true, or “Does not apply”."
            ) % {"standard": statement}
        if len(evidence) > EVIDENCE_MAX:
            errors[comment_key(standard.pk)] = _(
                "Your evidence on “%(standard)s” must be %(limit)s characters or fewer. "
                "It has %(length)s."
            ) % {"standard": statement, "limit": EVIDENCE_MAX, "length": len(evidence)}
        rows.append((standard, rating, evidence))
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def assessor_ratings_save(
    *,
    assessment: Assessment,
    person: Visitor,
    ratings: Mapping[int, Answer],
    hand_in: bool,
) -> Assessor:
    """An assessor's own ratings (standard key → (rating or None, evidence)), replacing what they
    saved before. A draft may leave standards out; to hand in, every standard needs an answer.
    Handing in is final."""
    require(rules.can_rate_as_assessor(person, _locked(assessment)))
    assessor = Assessor.objects.select_for_update().get(assessment=assessment, person_id=person.pk)
    if assessor.submitted_at is not None:  # handed in from another tab a moment ago
        raise ValidationError(_("You have handed in your ratings, so they cannot change."))
    rows = _checked(assessment, ratings, hand_in)
    assessor.ratings.all().delete()
    AssessorRating.objects.bulk_create(
        AssessorRating(assessor=assessor, standard=standard, rating=rating, evidence=evidence)
        for standard, rating, evidence in rows
    )
    if hand_in:
        assessor.submitted_at = timezone.now()
        assessor.save(update_fields=["submitted_at"])
    return assessor
