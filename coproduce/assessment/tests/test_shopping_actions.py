"""The actions of mystery shops: the coordinator, assignments, reports (a draft, then sent: final),
evidence (type from the bytes, metadata stripped, limits) and publishing; where an assignment
stands, with a frozen ``today``."""

from __future__ import annotations

import datetime as dt
import io
import zlib
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, PngImagePlugin

from coproduce.accounts.tests.factories import UserFactory
from coproduce.assessment import actions_shopping as actions
from coproduce.assessment import queries_shopping as queries
from coproduce.assessment.models import Assignment, Evidence, ShopReport
from coproduce.assessment.tests.factories_shopping import (
    assign,
    every,
    jpeg_with_gps,
    mystery_shop,
    send_report,
)
from coproduce.organisations.models import Role
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db


def _errors(excinfo: Any) -> dict[str, list[str]]:
    return dict(excinfo.value.message_dict)


# --- The coordinator ----------------------------------------------------------------------------


def test_staff_choose_a_coordinator_who_does_not_work_for_the_service() -> None:
    assessment, staff, coordinator = mystery_shop()
    assert assessment.coordinator == coordinator
    for role in (Role.ADMIN, Role.PROFESSIONAL, Role.FACILITATOR):
        insider = staff_of(assessment.activity, role)
        with pytest.raises(ValidationError) as excinfo:
            actions.coordinator_choose(assessment=assessment, by=staff, email=insider.email)
        assert "The coordinator must not work for the service" in _errors(excinfo)["email"][0]
    with pytest.raises(ValidationError) as excinfo:
        actions.coordinator_choose(assessment=assessment, by=staff, email="nobody@example.org")
    assert "There is no account" in _errors(excinfo)["email"][0]
    other = UserFactory(email="Other.Lead@example.org")
    chosen = actions.coordinator_choose(
        assessment=assessment, by=staff, email="other.lead@EXAMPLE.org"
    )
    assert chosen.coordinator == other


def test_only_the_services_managers_choose_the_coordinator() -> None:
    assessment, _staff, coordinator = mystery_shop()
    for person in (UserFactory(), coordinator, staff_of(assessment.activity, Role.FACILITATOR)):
        with pytest.raises(PermissionDenied):
            actions.coordinator_choose(assessment=assessment, by=person, email=person.email)


def test_a_shopper_cannot_become_the_coordinator() -> None:
    assessment, staff, _coordinator = mystery_shop()
    assignment = assign(assessment)
    with pytest.raises(ValidationError) as excinfo:
        actions.coordinator_choose(assessment=assessment, by=staff, email=assignment.shopper.email)
    assert "is one of the shoppers" in _errors(excinfo)["email"][0]


# --- Assignments --------------------------------------------------------------------------------


def _add(assessment: Any, **extra: Any) -> Assignment:
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "email": UserFactory().email,
        "scenario": "Book a journey online.",
        "channel": "online",
        "starts_on": today,
        "ends_on": today + dt.timedelta(days=14),
        **extra,
    }
    return actions.assignment_add(assessment=assessment, by=assessment.coordinator, **fields)


def test_the_coordinator_gives_numbered_assignments() -> None:
    assessment, _staff, _coordinator = mystery_shop()
    first, second = _add(assessment), _add(assessment, channel="in_person")
    assert (first.number, second.number) == (1, 2)
    assert second.get_channel_display() == "In person"


def test_staff_of_the_service_and_the_coordinator_cannot_shop() -> None:
    assessment, _staff, coordinator = mystery_shop()
    for role in (Role.ADMIN, Role.PROFESSIONAL, Role.FACILITATOR):
        insider = staff_of(assessment.activity, role)
        with pytest.raises(ValidationError) as excinfo:
            _add(assessment, email=insider.email)
        assert "Shoppers must not work for it" in _errors(excinfo)["email"][0]
    with pytest.raises(ValidationError) as excinfo:
        _add(assessment, email=coordinator.email)
    assert "you cannot be one of its shoppers" in _errors(excinfo)["email"][0]
    assert not assessment.assignments.exists()


def test_an_assignments_window_and_fields_are_checked() -> None:
    assessment, _staff, _coordinator = mystery_shop()
    today = timezone.localdate()
    cases: list[tuple[dict[str, Any], str, str]] = [
        (
            {"ends_on": today - dt.timedelta(days=1), "starts_on": today - dt.timedelta(days=5)},
            "ends_on",
            "between today and",
        ),
        ({"ends_on": today + dt.timedelta(days=400)}, "ends_on", "a year ahead"),
        (
            {"starts_on": today + dt.timedelta(days=3), "ends_on": today + dt.timedelta(days=2)},
            "ends_on",
            "on or after its first day",
        ),
        ({"scenario": "  "}, "scenario", "Say what the shopper should try"),
        ({"scenario": "x" * 2001}, "scenario", "2000 characters or fewer"),
        ({"channel": "fax"}, "channel", "by phone, online or in person"),
        ({"starts_on": None}, "starts_on", "Enter the first day"),
    ]
    for extra, field, expected in cases:
        with pytest.raises(ValidationError) as excinfo:
            _add(assessment, **extra)
        assert expected in " ".join(_errors(excinfo)[field]), (extra, _errors(excinfo))
    assert not assessment.assignments.exists()


def test_at_most_fifty_assignments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(actions, "ASSIGNMENTS_MAX", 2)
    assessment, _staff, _coordinator = mystery_shop()
    _add(assessment)
    _add(assessment)
    with pytest.raises(ValidationError) as excinfo:
        _add(assessment)
    assert "already has 2 assignments" in str(excinfo.value)


def test_only_the_coordinator_gives_and_takes_back_assignments() -> None:
    assessment, staff, _coordinator = mystery_shop()
    assignment = assign(assessment)
    for person in (staff, UserFactory(), assignment.shopper):
        with pytest.raises(PermissionDenied):
            actions.assignment_add(
                assessment=assessment,
                by=person,
                email=UserFactory().email,
                scenario="Try",
                channel="phone",
                starts_on=timezone.localdate(),
                ends_on=timezone.localdate(),
            )
        with pytest.raises(PermissionDenied):
            actions.assignment_remove(assignment=assignment, by=person)


def test_an_assignment_is_taken_back_with_its_draft_until_the_report_is_sent(
    django_capture_on_commit_callbacks: Any,
) -> None:
    assessment, _staff, coordinator = mystery_shop()
    draft = assign(assessment)
    evidence = actions.evidence_add(
        assignment=draft, by=draft.shopper, upload=jpeg_with_gps(), description=""
    )
    storage, name = evidence.file.storage, str(evidence.file.name)
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        actions.assignment_remove(assignment=draft, by=coordinator)
    assert not Assignment.objects.filter(pk=draft.pk).exists()
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not storage.exists(name)
    sent = assign(assessment)
    send_report(sent)
    with pytest.raises(ValidationError) as excinfo:
        actions.assignment_remove(assignment=sent, by=coordinator)
    assert "has sent their report, so the assignment stays" in str(excinfo.value)
    assert Assignment.objects.filter(pk=sent.pk).exists()


# --- Reports ------------------------------------------------------------------------------------


def test_a_draft_may_be_partial_and_sending_is_final() -> None:
    assessment, _staff, _coordinator = mystery_shop()
    assignment = assign(assessment)
    first = assessment.version.standards.order_by("position", "id").first()
    assert first is not None
    report = actions.report_save(
        assignment=assignment,
        by=assignment.shopper,
        contacted_at=None,
        account="",
        ratings={first.pk: (2, "Kept waiting.")},
        send=False,
    )
    assert report.submitted_at is None
    assert report.ratings.count() == 1
    sent = send_report(Assignment.objects.get(pk=assignment.pk), rating=None)
    assert sent.submitted_at is not None
    assert sent.contacted_at is not None
    assert timezone.is_aware(sent.contacted_at)
    assert set(sent.ratings.values_list("rating", flat=True)) == {None}  # could not test
    with pytest.raises(PermissionDenied):
        send_report(Assignment.objects.get(pk=assignment.pk), rating=5)
    assert set(ShopReport.objects.get(pk=report.pk).ratings.values_list("rating", flat=True)) == {
        None
    }


def test_sending_needs_contact_in_the_window_an_account_and_every_standard() -> None:
    assessment, _staff, _coordinator = mystery_shop()
    assignment = assign(assessment)
    first = assessment.version.standards.order_by("position", "id").first()
    assert first is not None
    with pytest.raises(ValidationError) as excinfo:
        actions.report_save(
            assignment=assignment,
            by=assignment.shopper,
            contacted_at=None,
            account="Too short",
            ratings={first.pk: (9, "")},
            send=True,
        )
    errors = _errors(excinfo)
    assert errors["contacted_at"] == ["Enter the date and time you made contact."]
    assert "at least 20 characters" in errors["account"][0]
    assert "Choose how often" in errors[f"rating_{first.pk}"][0]
    assert sum("or choose “Could not test”" in e[0] for e in errors.values()) == 3
    for moment, expected in (
        (timezone.now() + dt.timedelta(hours=2), "must be in the past"),
        (timezone.now() - dt.timedelta(days=30), "the days of your assignment"),
    ):
        with pytest.raises(ValidationError) as excinfo:
            send_report(assignment, contacted_at=moment)
        assert expected in _errors(excinfo)["contacted_at"][0]
    naive = dt.datetime.combine(timezone.localdate() - dt.timedelta(days=1), dt.time(10, 30))
    report = send_report(assignment, contacted_at=naive)
    assert timezone.localtime(report.contacted_at).time() == dt.time(10, 30)


def test_only_the_shopper_writes_their_report() -> None:
    assessment, staff, coordinator = mystery_shop()
    assignment = assign(assessment)
    for person in (staff, coordinator, UserFactory()):
        with pytest.raises(PermissionDenied):
            actions.report_save(
                assignment=assignment,
                by=person,
                contacted_at=None,
                account="",
                ratings={},
                send=False,
            )
        with pytest.raises(PermissionDenied):
            actions.evidence_add(
                assignment=assignment, by=person, upload=jpeg_with_gps(), description=""
            )


# --- Evidence -----------------------------------------------------------------------------------


def _stored(evidence: Evidence) -> bytes:
    with evidence.file.open("rb") as file:
        return bytes(file.read())


def test_a_photos_exif_and_location_are_stripped() -> None:
    assessment, _staff, _coordinator = mystery_shop()
    assignment = assign(assessment)
    upload = jpeg_with_gps("IMG_Zebedee_home.jpg")
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif().get_ifd(0x8825)  # the test photo does carry a location
    upload.seek(0)
    evidence = actions.evidence_add(
        assignment=assignment, by=assignment.shopper, upload=upload, description="The timetable"
    )
    assert evidence.content_type == "image/jpeg"
    assert "Zebedee" not in str(evidence.file.name)
    assert str(evidence.file.name).endswith(".jpg")
    data = _stored(evidence)
    assert evidence.size == len(data)
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert not stored.getexif().get_ifd(0x8825)
        assert "exif" not in stored.info
    assert b"Zebedee" not in data
    assert b"PhoneMaker" not in data


def test_a_pngs_text_chunks_are_stripped() -> None:
    assessment, _staff, _coordinator = mystery_shop()
    assignment = assign(assessment)
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Zebedee Quantock")
    info.add_text("Location", "52.2, -1.5")
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 255)).save(out, format="PNG", pnginfo=info)
    evidence = actions.evidence_add(
        assignment=assignment,
        by=assignment.shopper,
        upload=SimpleUploadedFile("screen.png", out.getvalue()),
        description="",
    )
    data = _stored(evidence)
    assert evidence.content_type == "image/png"
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == "PNG"
        assert "Author" not in stored.info
        assert "Location" not in stored.info
    assert b"Zebedee" not in data
    assert actions.photo_metadata(data) == []


def test_the_type_comes_from_the_bytes_not_the_name() -> None:
    assessment, _staff, _coordinator = mystery_shop()
    assignment = assign(assessment)
    fake = SimpleUploadedFile("photo.jpg", b"This is only text, whatever its name says.")
    with pytest.raises(ValidationError) as excinfo:
        actions.evidence_add(
            assignment=assignment, by=assignment.shopper, upload=fake, description=""
        )
    message = _errors(excinfo)["upload"][0]
    assert "is not a photo (JPEG or PNG) or a PDF" in message
    gif = io.BytesIO()
    Image.new("RGB", (5, 5)).save(gif, format="GIF")
    with pytest.raises(ValidationError):
        actions.evidence_add(
            assignment=assignment,
            by=assignment.shopper,
            upload=SimpleUploadedFile("a.gif", gif.getvalue()),
            description="",
        )
    # A PDF, even named .png, is kept as a PDF.
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    evidence = actions.evidence_add(
        assignment=assignment,
        by=assignment.shopper,
        upload=SimpleUploadedFile("letter.png", pdf),
        description="The letter",
    )
    assert (evidence.content_type, str(evidence.file.name)[-4:]) == ("application/pdf", ".pdf")
    assert not Evidence.objects.filter(content_type="image/png").exists()


def test_a_pdf_naming_the_shopper_is_refused() -> None:
    assessment, _staff, _coordinator = mystery_shop()
    assignment = assign(assessment, UserFactory(name="Zebedee Quantock"))
    pdf = b"%PDF-1.4\n1 0 obj<</Author (Zebedee Quantock)>>endobj\n%%EOF\n"
    with pytest.raises(ValidationError) as excinfo:
        actions.evidence_add(
            assignment=assignment,
            by=assignment.shopper,
            upload=SimpleUploadedFile("a.pdf", pdf),
            description="",
        )
    assert "has your name or email address in it" in _errors(excinfo)["upload"][0]


def test_files_over_5_mb_and_a_sixth_file_are_refused() -> None:
    assessment, _staff, _coordinator = mystery_shop()
    assignment = assign(assessment)
    big = b"%PDF-1.4\n" + zlib.compress(b"") + b"0" * (5 * 1024 * 1024)
    with pytest.raises(ValidationError) as excinfo:
        actions.evidence_add(
            assignment=assignment,
            by=assignment.shopper,
            upload=SimpleUploadedFile("big.pdf", big),
            description="",
        )
    assert "bigger than 5 MB" in _errors(excinfo)["upload"][0]
    for _ in range(5):
        actions.evidence_add(
            assignment=assignment, by=assignment.shopper, upload=jpeg_with_gps(), description=""
        )
    with pytest.raises(ValidationError) as excinfo:
        actions.evidence_add(
            assignment=assignment, by=assignment.shopper, upload=jpeg_with_gps(), description=""
        )
    assert "already has 5 files" in _errors(excinfo)["upload"][0]
    assert Evidence.objects.count() == 5


def test_evidence_is_removed_before_sending_only(django_capture_on_commit_callbacks: Any) -> None:
    assessment, _staff, _coordinator = mystery_shop()
    assignment = assign(assessment)
    evidence = actions.evidence_add(
        assignment=assignment, by=assignment.shopper, upload=jpeg_with_gps(), description=""
    )
    kept = actions.evidence_add(
        assignment=assignment, by=assignment.shopper, upload=jpeg_with_gps(), description=""
    )
    name = str(evidence.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        actions.evidence_remove(evidence=evidence, by=assignment.shopper)
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not evidence.file.storage.exists(name)
    send_report(Assignment.objects.get(pk=assignment.pk))
    with pytest.raises(PermissionDenied):
        actions.evidence_remove(evidence=kept, by=assignment.shopper)
    with pytest.raises(PermissionDenied):
        actions.evidence_add(
            assignment=Assignment.objects.get(pk=assignment.pk),
            by=assignment.shopper,
            upload=jpeg_with_gps(),
            description="",
        )


# --- Statuses and publishing --------------------------------------------------------------------


def test_statuses_with_a_frozen_today() -> None:
    assessment, _staff, _coordinator = mystery_shop()
    today = timezone.localdate()
    a = assign(assessment, ends_on=today + dt.timedelta(days=2))
    b = assign(assessment, ends_on=today + dt.timedelta(days=2))
    c = assign(assessment, ends_on=today + dt.timedelta(days=2))
    actions.report_save(
        assignment=b, by=b.shopper, contacted_at=None, account="", ratings={}, send=False
    )
    send_report(c)
    later = today + dt.timedelta(days=3)
    rows = {row.assignment.pk: row.status for row in queries.assignment_rows(assessment, today)}
    assert rows == {a.pk: "not_started", b.pk: "incomplete", c.pk: "sent"}
    rows = {row.assignment.pk: row.status for row in queries.assignment_rows(assessment, later)}
    assert rows == {a.pk: "late", b.pk: "late", c.pk: "sent"}
    counts = queries.status_counts(assessment, today)
    assert (counts.not_started, counts.incomplete, counts.sent, counts.late) == (1, 1, 1, 0)
    counts = queries.status_counts(assessment, later)
    assert (counts.late, counts.sent, counts.total) == (2, 1, 3)


def test_the_coordinator_publishes_once_a_report_is_in_and_it_is_final() -> None:
    assessment, staff, coordinator = mystery_shop()
    assignment = assign(assessment)
    waiting = assign(assessment)
    with pytest.raises(ValidationError):
        actions.shop_publish(assessment=assessment, by=coordinator)
    send_report(assignment)
    with pytest.raises(PermissionDenied):
        actions.shop_publish(assessment=assessment, by=staff)
    published = actions.shop_publish(assessment=assessment, by=coordinator)
    assert published.published_at is not None
    assert published.published_by == coordinator
    with pytest.raises(PermissionDenied):
        actions.shop_publish(assessment=published, by=coordinator)
    with pytest.raises(PermissionDenied):
        send_report(Assignment.objects.get(pk=waiting.pk))
    with pytest.raises(PermissionDenied):
        assign(published)


def test_the_summary_counts_sent_ratings_only(settings: Any) -> None:
    settings.COPRODUCE_ASSESSMENT_MIN_RESPONSES = 1
    assessment, _staff, _coordinator = mystery_shop()
    send_report(assign(assessment), rating=5)
    send_report(assign(assessment), rating=None)
    draft = assign(assessment)
    actions.report_save(
        assignment=draft,
        by=draft.shopper,
        contacted_at=None,
        account="",
        ratings=every(assessment, 1),
        send=False,
    )
    rows = [row for theme in queries.summary(assessment) for row in theme.items]
    assert [row.number for row in rows] == [1, 2, 3, 4]
    for row in rows:
        assert [p.count for p in row.points] == [1, 0, 0, 0, 0]
        assert row.could_not_test == 1
    reports = queries.sent_reports(assessment)
    assert [report.number for report in reports] == [1, 2]


def test_the_summary_says_too_few_to_report_under_the_threshold(settings: Any) -> None:
    """Four shoppers' ratings are too few; "could not test" does not count toward five; the
    fifth rating makes the standard reportable, as a user assessment's results (decision 0930)."""
    settings.COPRODUCE_ASSESSMENT_MIN_RESPONSES = 5
    assessment, _staff, _coordinator = mystery_shop()
    for rating in (5, 4, 4, 2, None):
        send_report(assign(assessment), rating=rating)

    def rows() -> list[Any]:
        return [row for theme in queries.summary(assessment) for row in theme.items]

    for row in rows():
        assert not row.reportable
        assert (row.points, row.could_not_test, row.rated) == ([], None, None)
    send_report(assign(assessment), rating=1)
    for row in rows():
        assert row.reportable
        assert [(p.value, p.count) for p in row.points] == [(5, 1), (4, 2), (3, 0), (2, 1), (1, 1)]
        assert (row.could_not_test, row.rated) == (1, 5)


def test_a_report_sent_after_the_window_is_sent_and_labelled_late() -> None:
    assessment, _staff, _coordinator = mystery_shop()
    on_time, late = assign(assessment), assign(assessment)
    send_report(on_time)
    send_report(late)
    today = timezone.localdate()
    Assignment.objects.filter(pk=late.pk).update(ends_on=today - dt.timedelta(days=1))
    rows = queries.assignment_rows(assessment, today)
    assert [(row.status, row.label, row.flagged) for row in rows] == [
        (queries.SENT, "Sent", False),
        (queries.SENT, "Sent late", False),
    ]
    assert queries.status_counts(assessment, today).sent == 2
