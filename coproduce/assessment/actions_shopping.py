"""Every write of a mystery shop: the coordinator, the assignments, each shopper's report with its
ratings and evidence, and publishing the reports (decision 0087).

Each action checks its own rule (PermissionDenied). Nobody who works for the organisation that runs
the service can coordinate or shop: the coordinator is the only one who knows who the shoppers are.
A report is a draft until the shopper sends it; sending is final. Evidence is checked from its
bytes, a photo is re-encoded without its metadata (location included), and every file is stored
under a random name in private storage.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from coproduce.accounts.models import User
from coproduce.assessment import rules
from coproduce.assessment.actions_assessments import Answer, comment_key, rating_key
from coproduce.assessment.models import (
    SCALE_MAX,
    Assessment,
    Assignment,
    Channel,
    Evidence,
    ShopRating,
    ShopReport,
    Standard,
)
from coproduce.common.dates import long_date, years_after
from coproduce.common.documents import PDF, sniff
from coproduce.common.languages import in_language
from coproduce.common.permissions import require
from coproduce.organisations.models import Membership

ASSIGNMENTS_MAX = 50
SCENARIO_MAX = 2000
ACCOUNT_MIN = 20
ACCOUNT_MAX = 6000
COMMENT_MAX = 2000
DESCRIPTION_MAX = 200
EVIDENCE_FILES_MAX = 5
EVIDENCE_BYTES_MAX = 5 * 1024 * 1024
# A photo bigger than this (in pixels) is refused before it is decoded: it could exhaust memory.
EVIDENCE_PIXELS_MAX = 40_000_000
# Pillow's name of each photo format, its content type and the stored file's extension.
PHOTO_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}
PDF_TYPE = ("application/pdf", "pdf")


def _locked(assessment: Assessment) -> Assessment:
    """The assessment's row, locked: assignments are numbered and published one at a time."""
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


def _works_for_service(person: User, assessment: Assessment) -> bool:
    """Any role in the organisation that runs the service."""
    organisation_id = assessment.activity.service.organisation_id
    return Membership.objects.filter(user=person, organisation_id=organisation_id).exists()


def _account(email: str, missing: str) -> tuple[User | None, str | None]:
    """The active account with this email (any case), or the message saying what is wrong."""
    email = (email or "").strip()
    if not email:
        return None, missing
    person = User.objects.filter(email__iexact=email, is_active=True).first()
    if person is None:
        return None, _("There is no account with this email address. Ask them to create one first.")
    return person, None


# --- The coordinator ----------------------------------------------------------------------------


@transaction.atomic
def coordinator_choose(*, assessment: Assessment, by: User, email: str) -> Assessment:
    """Choose (or change) the coordinator, by the email of their account: someone who does not
    work for the service and is not one of its shoppers."""
    locked = _locked(assessment)
    require(rules.can_choose_coordinator(by, locked))
    person, problem = _account(email, _("Enter the email address of the coordinator’s account."))
    if person is not None:
        if _works_for_service(person, locked):
            problem = _(
                "The coordinator must not work for the service: they are the only one who knows "
                "who the shoppers are."
            )
        elif locked.assignments.filter(shopper=person).exists():
            problem = _("%(name)s is one of the shoppers. Choose someone else to coordinate.") % {
                "name": person
            }
    if problem:
        raise ValidationError({"email": problem})
    assert person is not None
    if locked.coordinator_id != person.pk:
        locked.coordinator = person
        locked.save(update_fields=["coordinator"])
    return locked


# --- Assignments --------------------------------------------------------------------------------


def window_dates(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first day an assignment's window may end on (today), and the last (a year ahead)."""
    today = today or timezone.localdate()
    return today, years_after(today, 1)


@transaction.atomic
def assignment_add(
    *,
    assessment: Assessment,
    by: User,
    email: str,
    scenario: str,
    channel: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
) -> Assignment:
    """Give a shopper an assignment: what to try, how, and between which dates. It gets the next
    number ("Shopper 3"), the shopper's only name outside the coordinator's pages."""
    locked = _locked(assessment)
    require(rules.can_coordinate(by, locked))
    scenario = (scenario or "").strip()
    errors: dict[str, Any] = {}
    person, problem = _account(email, _("Enter the email address of the shopper’s account."))
    if person is not None:
        if _works_for_service(person, locked):
            problem = _(
                "%(name)s works for the organisation that runs the service. Shoppers must not "
                "work for it: its staff must not know who they are."
            ) % {"name": person}
        elif person.pk == locked.coordinator_id:
            problem = _("You coordinate this mystery shop, so you cannot be one of its shoppers.")
    if problem:
        errors["email"] = problem
    if not scenario:
        errors["scenario"] = _(
            "Say what the shopper should try, for example “Book a return journey to the "
            "hospital for next Tuesday”."
        )
    elif len(scenario) > SCENARIO_MAX:
        errors["scenario"] = _(
            "What to try must be %(limit)s characters or fewer. It has %(length)s."
        ) % {"limit": SCENARIO_MAX, "length": len(scenario)}
    if channel not in Channel.values:
        errors["channel"] = _(
            "Choose how the shopper gets in touch: by phone, online or in person."
        )
    first_end, last_end = window_dates()
    if starts_on is None:
        errors["starts_on"] = _("Enter the first day of the window.")
    if ends_on is None:
        errors["ends_on"] = _("Enter the last day of the window.")
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The last day of the window must be on or after its first day.")
    elif not first_end <= ends_on <= last_end:
        errors["ends_on"] = _(
            "The last day of the window must be between today and %(latest)s (a year ahead)."
        ) % {"latest": long_date(last_end)}
    if locked.assignments.count() >= ASSIGNMENTS_MAX:
        errors[NON_FIELD_ERRORS] = _(
            "This mystery shop already has %(limit)s assignments, the most it can have."
        ) % {"limit": ASSIGNMENTS_MAX}
    if errors:
        raise ValidationError(errors)
    assert person is not None
    assert starts_on is not None
    assert ends_on is not None
    last = locked.assignments.aggregate(last=Max("number"))["last"] or 0
    return Assignment.objects.create(
        assessment=locked,
        shopper=person,
        number=last + 1,
        scenario=scenario,
        channel=channel,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def _delete_files_on_commit(files: list[tuple[Storage, str]]) -> None:
    """Delete the stored files once the transaction commits (never if it rolls back)."""

    def delete() -> None:
        for storage, name in files:
            storage.delete(name)

    if files:
        transaction.on_commit(delete)


@transaction.atomic
def assignment_remove(*, assignment: Assignment, by: User) -> Assessment:
    """Take an assignment back, with its draft report and evidence, before the report is sent:
    a sent report is part of the mystery shop and stays."""
    assessment = _locked(assignment.assessment)
    require(rules.can_coordinate(by, assessment))
    current = Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
    if current is None:
        return assessment
    report = ShopReport.objects.filter(assignment=current).first()
    if report is not None and report.submitted_at is not None:
        raise ValidationError(
            _(
                "Shopper %(number)s has sent their report, so the assignment stays: the report "
                "is part of the mystery shop."
            )
            % {"number": current.number}
        )
    files = []
    if report is not None:
        files = [(item.file.storage, str(item.file.name)) for item in report.evidence.all()]
    current.delete()
    _delete_files_on_commit(files)
    return assessment


# --- The shopper's report -----------------------------------------------------------------------


def _locked_assignment(assignment: Assignment, by: User) -> tuple[Assignment, ShopReport | None]:
    """The assignment, locked after its assessment, then read with it, after checking the shopper
    may still write its report. The assessment's row is the one publishing (``shop_publish``) and
    changing the pinned version (``assessment_set_up``) lock: a report and either of them happen
    one after the other, so no rating lands on a published shop or on a version no longer pinned
    (decision 0130)."""
    Assessment.objects.select_for_update().filter(pk=assignment.assessment_id).exists()
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("assessment__activity__service_stage__service", "assessment__version")
        .filter(pk=assignment.pk)
        .first()
    )
    if locked is None:  # removed by the coordinator since the page was loaded: not theirs now
        raise PermissionDenied
    report = ShopReport.objects.filter(assignment=locked).first()
    if report is not None:
        locked.report = report
    require(rules.can_shop(by, locked))
    return locked, report


def _checked_ratings(
    assignment: Assignment, ratings: Mapping[int, Answer], send: bool
) -> tuple[list[tuple[Standard, int | None, str]], dict[str, Any]]:
    """The given answers as (standard, rating, comment), and the errors: answers off the scale,
    comments too long and, to send, each standard not answered."""
    standards = list(
        Standard.objects.filter(version_id=assignment.assessment.version_id).order_by(
            "position", "id"
        )
    )
    errors: dict[str, Any] = {}
    if any(key not in {standard.pk for standard in standards} for key in ratings):
        errors[NON_FIELD_ERRORS] = _(
            "Some ratings are about standards this mystery shop does not use. Reload the page "
            "and rate again."
        )
    rows = []
    for standard in standards:
        statement = in_language(standard, "statement").text
        given = ratings.get(standard.pk)
        if given is None:
            if send:
                errors[rating_key(standard.pk)] = _(
                    "Rate “%(standard)s”, or choose “Could not test”, before you send your report."
                ) % {"standard": statement}
            continue
        rating, comment = given
        comment = (comment or "").strip()
        if not (rating is None or (isinstance(rating, int) and 1 <= rating <= SCALE_MAX)):
            errors[rating_key(standard.pk)] = _(
                "Choose how often “%(standard)s” was true, or “Could not test”."
            ) % {"standard": statement}
        if len(comment) > COMMENT_MAX:
            errors[comment_key(standard.pk)] = _(
                "Your comment on “%(standard)s” must be %(limit)s characters or fewer. "
                "It has %(length)s."
            ) % {"standard": statement, "limit": COMMENT_MAX, "length": len(comment)}
        rows.append((standard, rating, comment))
    return rows, errors


def _aware(moment: dt.datetime) -> dt.datetime:
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


@transaction.atomic
def report_save(
    *,
    assignment: Assignment,
    by: User,
    contacted_at: dt.datetime | None,
    account: str,
    ratings: Mapping[int, Answer],
    send: bool,
) -> ShopReport:
    """The shopper's report (standard key → (rating or None for "could not test", comment)),
    replacing what they saved before. A draft may be partial; to send, it needs when they made
    contact (a day of the window, not in the future), what happened (at least 20 characters) and
    an answer for every standard. Sending is final."""
    locked, report = _locked_assignment(assignment, by)
    account = (account or "").strip()
    rows, errors = _checked_ratings(locked, ratings, send)
    if contacted_at is not None:
        contacted_at = _aware(contacted_at)
        day = timezone.localdate(contacted_at)
        if contacted_at > timezone.now():
            errors["contacted_at"] = _("When you made contact must be in the past.")
        elif not locked.starts_on <= day <= locked.ends_on:
            errors["contacted_at"] = _(
                "When you made contact must be between %(first)s and %(last)s, the days of your "
                "assignment."
            ) % {"first": long_date(locked.starts_on), "last": long_date(locked.ends_on)}
    elif send:
        errors["contacted_at"] = _("Enter the date and time you made contact.")
    if len(account) > ACCOUNT_MAX:
        errors["account"] = _(
            "What happened must be %(limit)s characters or fewer. It has %(length)s."
        ) % {"limit": ACCOUNT_MAX, "length": len(account)}
    elif send and len(account) < ACCOUNT_MIN:
        errors["account"] = _(
            "Say what happened in at least %(limit)s characters: what you asked, what you were "
            "told, and how you were treated."
        ) % {"limit": ACCOUNT_MIN}
    if errors:
        raise ValidationError(errors)
    if report is None:
        report = ShopReport(assignment=locked)
    report.contacted_at = contacted_at
    report.account = account
    if send:
        report.submitted_at = timezone.now()
    report.save()
    report.ratings.all().delete()
    ShopRating.objects.bulk_create(
        ShopRating(report=report, standard=standard, rating=rating, comment=comment)
        for standard, rating, comment in rows
    )
    return report


# --- Evidence -----------------------------------------------------------------------------------


def _refused(name: str) -> ValidationError:
    return ValidationError(
        {
            "upload": _(
                "“%(name)s” is not a photo (JPEG or PNG) or a PDF. Save it as one of these, then "
                "add it again."
            )
            % {"name": name}
        }
    )


def _clean_photo(image: Image.Image, kind: str) -> bytes:
    """The photo drawn again into a new file with none of its metadata: no EXIF (so no location),
    no text chunks, no XMP, no colour profile. Its orientation is applied first, so that it still
    shows the right way up."""
    try:
        upright = ImageOps.exif_transpose(image)
    except Exception:  # a broken orientation tag: keep the photo as it is
        upright = image
    if kind == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
        upright = upright.convert("RGB")
    clean = upright.copy()
    # Only what drawing the pixels needs: no EXIF, XMP, text chunks or colour profile.
    clean.info = {key: upright.info[key] for key in ("transparency",) if key in upright.info}
    out = io.BytesIO()
    if kind == "JPEG":
        clean.save(out, format="JPEG", quality=90, optimize=True)
    else:
        clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


# What a photo's file may say that is not about the person or the place: how to draw it.
_HARMLESS_INFO = frozenset(
    {"dpi", "jfif", "jfif_version", "jfif_unit", "jfif_density", "progressive", "progression"}
    | {"transparency", "gamma", "aspect", "interlace"}
)


def photo_metadata(data: bytes) -> list[str]:
    """What metadata a stored photo still carries (empty when clean): read back to check."""
    with Image.open(io.BytesIO(data)) as image:
        found = [str(key) for key in image.info if key not in _HARMLESS_INFO]
        if image.getexif():
            found.append("exif")
        return found


def _evidence_content(upload: UploadedFile, name: str) -> tuple[bytes, str, str]:
    """The bytes to store, their content type and extension; or a ValidationError."""
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            if kind not in PHOTO_TYPES:
                raise _refused(name)
            width, height = image.size
            if width * height > EVIDENCE_PIXELS_MAX:
                raise ValidationError(
                    {
                        "upload": _(
                            "“%(name)s” has too many pixels. Make the photo smaller, then add it "
                            "again."
                        )
                        % {"name": name}
                    }
                )
            image.load()
            clean = _clean_photo(image, kind)
    except (UnidentifiedImageError, Image.DecompressionBombError):
        kind = ""
    except (OSError, SyntaxError, ValueError):  # a damaged photo
        raise _refused(name) from None
    if kind:
        if photo_metadata(clean):  # never store a photo that still says where it was taken
            raise ValidationError(
                {
                    "upload": _(
                        "“%(name)s” could not be cleaned of its details. Take a screenshot of it, "
                        "then add that."
                    )
                    % {"name": name}
                }
            )
        content_type, extension = PHOTO_TYPES[kind]
        return clean, content_type, extension
    if sniff(io.BytesIO(data)) == PDF:
        return data, *PDF_TYPE
    raise _refused(name)


def _names_shopper(data: bytes, shopper: User) -> bool:
    """Whether a PDF's bytes carry the shopper's name or email (a PDF often records its author)."""
    haystack = data.lower()
    for text in {shopper.name.strip(), shopper.email.strip()}:
        if len(text) < 3:
            continue
        needle = text.lower()
        if needle.encode() in haystack or needle.encode("utf-16-be") in haystack:
            return True
    return False


@transaction.atomic
def evidence_add(
    *, assignment: Assignment, by: User, upload: UploadedFile, description: str
) -> Evidence:
    """Add a photo (JPEG or PNG) or a PDF to the report, at most 5 MB, at most 5 files. The type
    is recognised from the bytes, never the name; a photo is stored re-encoded without metadata;
    the stored name is random."""
    locked, report = _locked_assignment(assignment, by)
    name = upload.name or ""
    description = (description or "").strip()
    if report is not None and report.evidence.count() >= EVIDENCE_FILES_MAX:
        raise ValidationError(
            {
                "upload": _(
                    "Your report already has %(count)s files, the most it can have. Remove one "
                    "before you add another."
                )
                % {"count": EVIDENCE_FILES_MAX}
            }
        )
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError(
            {
                "description": _(
                    "What it shows must be %(limit)s characters or fewer. It has %(length)s."
                )
                % {"limit": DESCRIPTION_MAX, "length": len(description)}
            }
        )
    if not upload.size:
        raise ValidationError({"upload": _("“%(name)s” is empty.") % {"name": name}})
    if upload.size > EVIDENCE_BYTES_MAX:
        raise ValidationError(
            {
                "upload": _(
                    "“%(name)s” is bigger than 5 MB. Make it smaller (a photo at a lower "
                    "resolution, for example), then add it again."
                )
                % {"name": name}
            }
        )
    data, content_type, extension = _evidence_content(upload, name)
    if extension == "pdf" and _names_shopper(data, locked.shopper):
        raise ValidationError(
            {
                "upload": _(
                    "“%(name)s” has your name or email address in it (a PDF often records who "
                    "made it). Take a photo or a screenshot of it instead, so that the service "
                    "cannot tell who you are."
                )
                % {"name": name}
            }
        )
    if report is None:
        report = ShopReport.objects.create(assignment=locked)
    evidence = Evidence(
        report=report, description=description, content_type=content_type, size=len(data)
    )
    evidence.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            evidence.save()
    except Exception:
        evidence.file.storage.delete(str(evidence.file.name))
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: User) -> Assignment:
    """Take a file out of the report, before it is sent; the stored file goes once this commits."""
    locked, _report = _locked_assignment(evidence.report.assignment, by)
    current = Evidence.objects.filter(pk=evidence.pk).first()
    if current is not None:
        files = [(current.file.storage, str(current.file.name))]
        current.delete()
        _delete_files_on_commit(files)
    return locked


# --- Publishing ---------------------------------------------------------------------------------


@transaction.atomic
def shop_publish(*, assessment: Assessment, by: User) -> Assessment:
    """Publish the sent reports (shoppers as "Shopper N"): final. Reports not sent by then can
    no longer be sent."""
    locked = _locked(assessment)
    require(rules.can_coordinate(by, locked))
    if not ShopReport.objects.filter(
        assignment__assessment=locked, submitted_at__isnull=False
    ).exists():
        raise ValidationError(
            _("No shopper has sent a report yet. Publish once at least one report is in.")
        )
    locked.published_at = timezone.now()
    locked.published_by = by
    locked.save(update_fields=["published_at", "published_by"])
    return locked
