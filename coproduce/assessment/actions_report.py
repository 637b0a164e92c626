"""Every write of a team's agreed report: a peer review's (written by its lead assessor) or a
self-reflection's (written by the service's staff), then publishing it (decision 0085).

The report is the team's agreed rating of each standard of the pinned version, with why, and a
summary. It can be saved part-written as often as needed; it is published once every standard has
an agreed answer and the summary is written, and a peer review's whole team has handed in their
own ratings. Publishing is final: the report is public from then on and never changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.accounts.models import User
from coproduce.assessment import rules
from coproduce.assessment.actions_assessments import rating_key
from coproduce.assessment.models import (
    SCALE_MAX,
    AgreedRating,
    Assessment,
    Assessor,
    Standard,
)
from coproduce.common.languages import in_language
from coproduce.common.permissions import require
from coproduce.services.models import ActivityKind

NOTE_MAX = 2000
SUMMARY_MAX = 10_000

# The team's answer for one standard: a rating (None: does not apply) and why, or what shows it.
Agreed = tuple[int | None, str]


def note_key(standard_pk: int) -> str:
    """The name of a standard's note wherever it is asked for (the form uses it too)."""
    return f"note_{standard_pk}"


def _locked(assessment: Assessment) -> Assessment:
    """The assessment, locked until the transaction ends, so two saves or a save and the
    publishing never cross."""
    return (
        Assessment.objects.select_for_update()
        .select_related("activity__service_stage")
        .get(pk=assessment.pk)
    )


def _lead(assessment: Assessment) -> Assessor | None:
    return Assessor.objects.filter(assessment=assessment, is_lead=True).first()


def _check_independence(assessment: Assessment) -> None:
    """A peer review's lead writes the agreed report only after handing in their own ratings,
    so that their first view of the service is their own."""
    if assessment.activity.kind != ActivityKind.PEER_REVIEW:
        return
    lead = _lead(assessment)
    if lead is None or lead.submitted_at is None:
        raise ValidationError(
            _(
                "Hand in your own ratings before you write the team’s report. Each assessor "
                "rates the service on their own first, so that the report starts from what "
                "everyone saw."
            )
        )


# --- Writing --------------------------------------------------------------------------------------


def _clean_ratings(
    standards: list[Standard], ratings: Mapping[int, Agreed], errors: dict[str, Any]
) -> list[tuple[Standard, int | None, str]]:
    """The given answers of the pinned version's standards, with an error on the field of each
    rating off the scale and each note too long."""
    known = {standard.pk: standard for standard in standards}
    if any(key not in known for key in ratings):
        errors[NON_FIELD_ERRORS] = _(
            "Some ratings are about standards this report does not use. Reload the page and "
            "save again."
        )
    found = []
    for standard in standards:
        if standard.pk not in ratings:
            continue
        rating, note = ratings[standard.pk]
        note = (note or "").strip()
        statement = in_language(standard, "statement").text
        if rating is not None and not (isinstance(rating, int) and 1 <= rating <= SCALE_MAX):
            errors[rating_key(standard.pk)] = _(
                "Choose the team’s rating of “%(standard)s”, or “Does not apply”."
            ) % {"standard": statement}
        if len(note) > NOTE_MAX:
            errors[note_key(standard.pk)] = _(
                "The note on “%(standard)s” must be %(limit)s characters or fewer. "
                "It has %(length)s."
            ) % {"standard": statement, "limit": NOTE_MAX, "length": len(note)}
        found.append((standard, rating, note))
    return found


def _clean_summary(name: str, text: str, errors: dict[str, Any]) -> str:
    text = (text or "").strip()
    if len(text) > SUMMARY_MAX:
        errors[name] = (
            _("The summary must be %(limit)s characters or fewer. It has %(length)s.")
            if name == "summary"
            else _("The summary in Welsh must be %(limit)s characters or fewer. It has %(length)s.")
        ) % {"limit": f"{SUMMARY_MAX:,}", "length": f"{len(text):,}"}
    return text


@transaction.atomic
def report_save(
    *,
    assessment: Assessment,
    by: User,
    ratings: Mapping[int, Agreed],
    summary: str,
    summary_cy: str = "",
) -> Assessment:
    """Save the team's report so far: each given standard's agreed rating and note (standard key
    → (rating or None for "does not apply", note); standards not given keep what was saved) and
    the summary. Part-written reports are fine: publishing checks that it is complete."""
    assessment = _locked(assessment)
    require(rules.can_write_report(by, assessment))
    _check_independence(assessment)
    errors: dict[str, Any] = {}
    standards = list(Standard.objects.filter(version_id=assessment.version_id))
    answers = _clean_ratings(standards, ratings, errors)
    summary = _clean_summary("summary", summary, errors)
    summary_cy = _clean_summary("summary_cy", summary_cy, errors)
    if summary_cy and not summary:
        errors.setdefault(
            "summary_cy", _("Write the summary in English as well: the Welsh goes beside it.")
        )
    if errors:
        raise ValidationError(errors)
    for standard, rating, note in answers:
        AgreedRating.objects.update_or_create(
            assessment=assessment,
            standard=standard,
            defaults={"rating": rating, "note": note, "updated_by": by},
        )
    assessment.summary = summary
    assessment.summary_cy = summary_cy
    assessment.save(update_fields=["summary", "summary_cy"])
    return assessment


# --- Publishing -----------------------------------------------------------------------------------


def publish_problems(assessment: Assessment) -> dict[str, str]:
    """What stops the report being published, keyed as the action's errors: standards without an
    agreed answer, no summary, assessors who have not handed in. Empty when it can be."""
    problems: dict[str, str] = {}
    answered = set(
        AgreedRating.objects.filter(assessment=assessment).values_list("standard_id", flat=True)
    )
    missing = [
        in_language(standard, "statement").text
        for standard in Standard.objects.filter(version_id=assessment.version_id).order_by(
            "position", "id"
        )
        if standard.pk not in answered
    ]
    if missing:
        problems["ratings"] = ngettext(
            "%(count)s standard has no agreed rating yet: %(standards)s. Give it a rating, or "
            "say it does not apply.",
            "%(count)s standards have no agreed rating yet: %(standards)s. Give each a rating, "
            "or say it does not apply.",
            len(missing),
        ) % {
            "count": len(missing),
            "standards": get_text_list([f"“{text}”" for text in missing], _("and")),
        }
    if not assessment.summary.strip():
        problems["summary"] = _("Write the summary of the report.")
    if assessment.activity.kind == ActivityKind.PEER_REVIEW:
        waiting = Assessor.objects.filter(assessment=assessment, submitted_at__isnull=True).count()
        if waiting:
            problems["assessors"] = ngettext(
                "%(count)s assessor has not handed in their ratings. Every assessor hands in "
                "their own ratings before the report is published.",
                "%(count)s assessors have not handed in their ratings. Every assessor hands in "
                "their own ratings before the report is published.",
                waiting,
            ) % {"count": waiting}
    return problems


@transaction.atomic
def report_publish(*, assessment: Assessment, by: User) -> Assessment:
    """Publish the report: from now on anyone who can see the activity reads it, and nobody can
    change it. Refused, with what is missing, until it is complete."""
    assessment = _locked(assessment)
    require(rules.can_write_report(by, assessment))
    _check_independence(assessment)
    problems = publish_problems(assessment)
    if problems:
        raise ValidationError(problems)
    assessment.published_at = timezone.now()
    assessment.published_by = by
    assessment.save(update_fields=["published_at", "published_by"])
    return assessment
