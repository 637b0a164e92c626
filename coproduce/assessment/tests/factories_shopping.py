"""Test data for mystery shops, made through the real actions."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.assessment import actions_shopping
from coproduce.assessment.actions_assessments import assessment_set_up
from coproduce.assessment.models import Assessment, Assignment, FrameworkVersion, ShopReport
from coproduce.assessment.tests.factories import make_framework
from coproduce.services.models import ActivityKind, ActivityState, Service
from coproduce.services.tests.factories import ActivityFactory, staff_of

__all__ = ["assign", "every", "jpeg_with_gps", "mystery_shop", "send_report"]


def mystery_shop(
    state: str = ActivityState.OPEN,
    service: Service | None = None,
    *,
    coordinator: User | None = None,
    count: int = 4,
) -> tuple[Assessment, User, User]:
    """A mystery shop of a service with agreed standards, a professional of the organisation that
    runs it, and its coordinator (a new resident unless given)."""
    extra: dict[str, Any] = {"service": service} if service is not None else {}
    activity = ActivityFactory(kind=ActivityKind.MYSTERY_SHOP, state=state, **extra)
    staff = staff_of(activity)
    version = FrameworkVersion.objects.filter(
        framework_id=activity.service.pk, status="agreed"
    ).first() or make_framework(activity.service, staff, count=count)
    assessment = assessment_set_up(activity=activity, by=staff, version=version)
    coordinator = coordinator or UserFactory()
    assessment = actions_shopping.coordinator_choose(
        assessment=assessment, by=staff, email=coordinator.email
    )
    return assessment, staff, coordinator


def assign(
    assessment: Assessment,
    shopper: User | None = None,
    *,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    channel: str = "phone",
) -> Assignment:
    """Give a shopper (a new resident unless given) an assignment: from a week ago to next week."""
    today = timezone.localdate()
    assert assessment.coordinator is not None
    return actions_shopping.assignment_add(
        assessment=assessment,
        by=assessment.coordinator,
        email=(shopper or UserFactory()).email,
        scenario="Ring the booking line and book a return journey to the hospital.",
        channel=channel,
        starts_on=starts_on or today - dt.timedelta(days=7),
        ends_on=ends_on or today + dt.timedelta(days=7),
    )


def every(assessment: Assessment, rating: int | None, comment: str = "") -> dict[int, Any]:
    """The same rating and comment for every standard."""
    return dict.fromkeys(
        assessment.version.standards.values_list("pk", flat=True), (rating, comment)
    )


def send_report(assignment: Assignment, rating: int | None = 4, **extra: Any) -> ShopReport:
    """Send the shopper's report: contact an hour ago, the same rating for every standard."""
    fields: dict[str, Any] = {
        "contacted_at": timezone.now() - dt.timedelta(hours=1),
        "account": "I rang at ten; the line was answered in two minutes and my trip was booked.",
        "ratings": every(assignment.assessment, rating),
        "send": True,
        **extra,
    }
    return actions_shopping.report_save(assignment=assignment, by=assignment.shopper, **fields)


def jpeg_with_gps(name: str = "photo.jpg") -> SimpleUploadedFile:
    """A small JPEG whose EXIF says where it was taken (GPS) and who took it."""
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = "Zebedee Quantock"  # Artist
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (52.0, 12.0, 30.0), 3: "W", 4: (1.0, 30.0, 15.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")
