"""Every write of a user assessment: pinning the agreed version it rates against, a person's
ratings online, and a paper form entered by staff (decision 0082).

Each action checks its own rule (PermissionDenied), so the pages and a later API behave the same.
An answer to every standard is needed: a rating from 1 to 5, or "does not apply to me" (None).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.accounts.types import Visitor
from coproduce.assessment import rules
from coproduce.assessment.models import (
    SCALE_MAX,
    Assessment,
    AssessorRating,
    FrameworkVersion,
    Rating,
    Response,
    ShopRating,
    Standard,
    VersionStatus,
)
from coproduce.common.languages import in_language
from coproduce.common.locking import lock_for_share
from coproduce.common.permissions import require
from coproduce.services.models import Activity

COMMENT_MAX = 2000

# What a person says about one standard: a rating (None: does not apply to them) and a comment.
Answer = tuple[int | None, str]


def rating_key(standard_pk: int) -> str:
    """The name of a standard's rating wherever it is asked for (the forms use it too)."""
    return f"rating_{standard_pk}"


def comment_key(standard_pk: int) -> str:
    return f"comment_{standard_pk}"


# --- Setting up ---------------------------------------------------------------------------------


def has_answers(assessment: Assessment) -> bool:
    """Whether anyone has rated against the pinned version yet (then it cannot change): a response,
    an assessor's rating, a team's agreed rating, or a mystery shopper's rating (in a draft report
    or a sent one: decision 0125)."""
    return (
        assessment.responses.exists()
        or AssessorRating.objects.filter(assessor__assessment=assessment).exists()
        or assessment.agreed_ratings.exists()
        or ShopRating.objects.filter(report__assignment__assessment=assessment).exists()
    )


def version_fixed(assessment: Assessment) -> str | None:
    """Why the pinned version can no longer change, or None while it may: once anyone has rated
    against it, or a finding names its standards."""
    number = assessment.version.number
    if has_answers(assessment):
        return _(
            "People have started rating the service against version %(number)s, so it cannot "
            "change: every answer must be about the same standards."
        ) % {"number": number}
    if assessment.findings.exists():
        return _(
            "Findings have been written about the standards of version %(number)s, so it cannot "
            "change."
        ) % {"number": number}
    return None


@transaction.atomic
def assessment_set_up(*, activity: Activity, by: User, version: FrameworkVersion) -> Assessment:
    """Pin the agreed version of the service's standards the assessment rates against (or change
    it, until the first response or finding: answers and findings must all be about the same
    standards)."""
    require(rules.can_set_up_assessment(by, activity))
    # A framework's key is its service's (one framework per service).
    if (
        version.status != VersionStatus.AGREED
        or version.framework_id != activity.service_stage.service_id
    ):
        raise ValidationError(
            {"version": _("Choose an agreed version of this service's standards.")}
        )
    assessment = Assessment.objects.select_for_update().filter(activity=activity).first()
    if assessment is None:
        return Assessment.objects.create(activity=activity, version=version, created_by=by)
    if assessment.version_id == version.pk:
        return assessment
    refused = version_fixed(assessment)
    if refused:
        raise ValidationError({"version": refused})
    assessment.version = version
    assessment.save(update_fields=["version"])
    return assessment


def lock_activity(assessment: Assessment) -> Assessment:
    """The assessment read again, its activity's row locked: the lock ``activity_transition``
    takes to re-open a closed activity. An action that relies on the activity's state (a finding,
    a recording of the results) takes it before it checks its rule, so that it and a re-open
    happen one after the other, each seeing what the other wrote (decision 0130)."""
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("service_stage__service")
        .get(pk=assessment.activity_id)
    )
    fresh = Assessment.objects.select_related("version").get(pk=assessment.pk)
    fresh.activity = activity
    return fresh


def reopen_refused(activity: Activity) -> str | None:
    """Why a closed user assessment may not open again, or None when it may (registered with the
    services app: ``register_method(open_refused=…)``; a draft has no results, so it may). Once findings or indicator values have
    been written from its results, more ratings would make the results page disagree with them
    (decision 0125). An assessment run offline (none set up here) may re-open."""
    assessment = (
        Assessment.objects.filter(activity_id=activity.pk)
        .select_related("activity__service_stage")
        .first()
    )
    if assessment is None or rules.may_reopen(assessment):
        return None
    if rules.findings_written(assessment):
        return _(
            "Findings have been written from this assessment’s results, so it can no longer "
            "re-open. Set up a new assessment to hear from more people."
        )
    return _(
        "This assessment’s results have been recorded in the service’s outcome indicators, so it "
        "can no longer re-open. Set up a new assessment to hear from more people."
    )


# --- Answers ------------------------------------------------------------------------------------


def _answers(
    assessment: Assessment, ratings: Mapping[int, Answer]
) -> list[tuple[Standard, Answer]]:
    """Each standard of the pinned version with its answer, or a ValidationError naming every
    standard without a valid answer (on its own field) and every comment too long."""
    standards = list(Standard.objects.filter(version_id=assessment.version_id))
    errors: dict[str, Any] = {}
    known = {standard.pk for standard in standards}
    if any(key not in known for key in ratings):
        errors[NON_FIELD_ERRORS] = _(
            "Some answers are about standards this assessment does not use. Reload the page "
            "and answer again."
        )
    answers: list[tuple[Standard, Answer]] = []
    for standard in standards:
        statement = in_language(standard, "statement").text
        given = ratings.get(standard.pk)
        rating, comment = given if given is not None else (None, "")
        comment = (comment or "").strip()
        on_scale = isinstance(rating, int) and 1 <= rating <= SCALE_MAX
        if given is None or not (rating is None or on_scale):
            errors[rating_key(standard.pk)] = _(
                "Choose how often “%(standard)s” is true for you, or “Does not apply to me”."
            ) % {"standard": statement}
        if len(comment) > COMMENT_MAX:
            errors[comment_key(standard.pk)] = _(
                "Your comment on “%(standard)s” must be %(limit)s characters or fewer. "
                "It has %(length)s."
            ) % {"standard": statement, "limit": COMMENT_MAX, "length": len(comment)}
        answers.append((standard, (rating, comment)))
    if errors:
        raise ValidationError(errors)
    return answers


def _write(response: Response, answers: list[tuple[Standard, Answer]]) -> None:
    response.ratings.all().delete()
    Rating.objects.bulk_create(
        Rating(response=response, standard=standard, rating=rating, comment=comment)
        for standard, (rating, comment) in answers
    )


def _rating_share(assessment: Assessment) -> Assessment:
    """The assessment read again under a shared lock on its activity's row: ratings go in side by
    side, while closing the activity (``activity_transition`` locks the row) waits for those in
    progress, and they for it. So no rating lands after the close, behind results and findings
    written from what was there (decision 0139)."""
    lock_for_share(Activity, assessment.activity_id)
    return Assessment.objects.select_related("activity__service_stage__service", "version").get(
        pk=assessment.pk
    )


@transaction.atomic
def response_save(
    *, assessment: Assessment, person: Visitor, ratings: Mapping[int, Answer], named: bool
) -> Response:
    """A person's answers (standard key → (rating or None, comment)); saving again replaces
    theirs, while the assessment is open. ``named``: show their name with their comments."""
    assessment = _rating_share(assessment)  # not closed while the form was on its way
    require(rules.can_rate(person, assessment))
    assert isinstance(person, User)
    answers = _answers(assessment, ratings)
    response = (
        Response.objects.select_for_update().filter(assessment=assessment, person=person).first()
    )
    if response is None:
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    assessment=assessment, person=person, named=named
                )
        except IntegrityError:  # the same person sent the form twice at once
            raise ValidationError(
                _("Your answers were saved a moment ago. Reload the page to change them.")
            ) from None
    else:
        response.named = named
        response.save(update_fields=["named", "updated_at"])
    _write(response, answers)
    return response


@transaction.atomic
def paper_response_add(
    *, assessment: Assessment, by: User, ratings: Mapping[int, Answer]
) -> Response:
    """A paper form, entered by staff: a new response with no person, never named."""
    assessment = _rating_share(assessment)
    require(rules.can_enter_paper(by, assessment))
    answers = _answers(assessment, ratings)
    response = Response.objects.create(assessment=assessment, person=None, entered_by=by)
    _write(response, answers)
    return response
