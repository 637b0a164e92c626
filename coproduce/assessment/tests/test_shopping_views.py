"""The pages of mystery shops: the coordinator (staff), the assignments (the coordinator only), a
shopper's report and evidence, the reports as "Shopper N", publishing, and a person's own
assignments. Above all: the service's staff never see who the shoppers are, on any page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.assessment import actions_shopping as actions
from coproduce.assessment.models import Assignment, Evidence, ShopReport
from coproduce.assessment.tests.factories_shopping import (
    assign,
    jpeg_with_gps,
    mystery_shop,
    send_report,
)
from coproduce.organisations.models import Role
from coproduce.services.models import ActivityKind
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zebedee Quantock"
SECRET_EMAIL = "zebedee.quantock@example.org"


def _text(response: Any) -> str:
    return str(response.content.decode())


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _url(name: str, pk: int) -> str:
    return reverse(f"assessment:{name}", args=[pk])


def _report_post(assessment: Any, value: str, **extra: str) -> dict[str, str]:
    day = timezone.localdate() - dt.timedelta(days=1)
    data = {
        "contacted_on_day": str(day.day),
        "contacted_on_month": str(day.month),
        "contacted_on_year": str(day.year),
        "contacted_time": "10:15",
        "account": "The phone was answered quickly and my journey was booked for Tuesday.",
    }
    for pk in assessment.version.standards.values_list("pk", flat=True):
        data[f"rating_{pk}"] = value
        data[f"comment_{pk}"] = ""
    return {**data, **extra}


# --- The coordinator (staff) --------------------------------------------------------------------


def test_staff_choose_the_coordinator_and_insiders_are_refused() -> None:
    assessment, staff, coordinator = mystery_shop()
    client = client_for(staff)
    url = _url("coordinator", assessment.pk)
    page = _text(client.get(url))
    assert f"{coordinator.name} coordinates the mystery shop." in page
    insider = staff_of(assessment.activity, Role.FACILITATOR)
    response = client.post(url, {"email": insider.email})
    page = _text(response)
    assert "<title>Error:" in page
    assert "The coordinator must not work for the service" in page
    assert 'href="#id_email"' in page
    other = UserFactory()
    response = client.post(url, {"email": other.email})
    assert response.status_code == 302
    assert _messages(response) == [f"{other.name} coordinates the mystery shop."]


def test_the_coordinator_page_before_set_up_and_its_permissions() -> None:
    activity = ActivityFactory(kind=ActivityKind.MYSTERY_SHOP)
    staff = staff_of(activity)
    url = _url("coordinator", activity.pk)
    assert 'id="not-set-up"' in _text(client_for(staff).get(url))
    assessment, staff, coordinator = mystery_shop()
    url = _url("coordinator", assessment.pk)
    assert Client().get(url).status_code == 302
    for person in (UserFactory(), coordinator, staff_of(assessment.activity, Role.FACILITATOR)):
        assert client_for(person).get(url).status_code == 403
    other = staff_of(ActivityFactory(kind=ActivityKind.MYSTERY_SHOP))
    assert client_for(other).get(url).status_code in (403, 404)
    response = client_for(other).post(url, {"email": other.email})
    assert response.status_code in (403, 404)


# --- The coordinator's assignments --------------------------------------------------------------


def test_the_coordinator_gives_an_assignment_and_sees_the_shopper() -> None:
    assessment, _staff, coordinator = mystery_shop()
    UserFactory(name=SECRET_NAME, email=SECRET_EMAIL)
    client = client_for(coordinator)
    url = _url("assignments", assessment.pk)
    assert 'id="no-assignments"' in _text(client.get(url))
    start, end = timezone.localdate(), timezone.localdate() + dt.timedelta(days=10)
    response = client.post(
        url,
        {
            "email": SECRET_EMAIL.upper(),
            "scenario": "Book a journey by phone.",
            "channel": "phone",
            "starts_on_day": start.day,
            "starts_on_month": start.month,
            "starts_on_year": start.year,
            "ends_on_day": end.day,
            "ends_on_month": end.month,
            "ends_on_year": end.year,
        },
    )
    assert response.status_code == 302
    assert _messages(response)[0].startswith(f"Shopper 1 is {SECRET_NAME}.")
    page = _text(client.get(url))
    assert SECRET_NAME in page
    assert SECRET_EMAIL in page
    assert "Not started" in page
    response = client.post(url, {"email": "", "scenario": "", "channel": ""})
    page = _text(response)
    assert "<title>Error:" in page
    assert "Enter the email address of the shopper’s account." in page
    assert "Enter the first day of the window." in page


def test_late_and_incomplete_assignments_are_flagged() -> None:
    assessment, _staff, coordinator = mystery_shop()
    today = timezone.localdate()
    late = assign(assessment, starts_on=today, ends_on=today)
    Assignment.objects.filter(pk=late.pk).update(
        starts_on=today - dt.timedelta(days=9), ends_on=today - dt.timedelta(days=2)
    )
    started = assign(assessment)
    actions.report_save(
        assignment=started,
        by=started.shopper,
        contacted_at=None,
        account="",
        ratings={},
        send=False,
    )
    page = _text(client_for(coordinator).get(_url("assignments", assessment.pk)))
    assert "1 late</strong>" in page
    assert "1 started, not sent</strong>" in page
    page = _text(client_for(coordinator).get(_url("shop_reports", assessment.pk)))
    assert "0 of 2 reports sent; 1 late; 1 started, not sent." in page


def test_assignment_pages_are_hidden_from_everyone_but_the_coordinator() -> None:
    assessment, staff, coordinator = mystery_shop()
    assignment = assign(assessment)
    admin = staff_of(assessment.activity, Role.ADMIN)
    for name, pk in (
        ("assignments", assessment.pk),
        ("assignment_remove", assignment.pk),
        ("shop_publish", assessment.pk),
    ):
        url = _url(name, pk)
        assert Client().get(url).status_code == 404, name
        for person in (UserFactory(), staff, admin, assignment.shopper):
            assert client_for(person).get(url).status_code == 404, name
            assert client_for(person).post(url).status_code == 404, name
        assert client_for(coordinator).get(url).status_code == 200, name
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_the_coordinator_takes_back_an_assignment_not_yet_sent() -> None:
    assessment, _staff, coordinator = mystery_shop()
    client = client_for(coordinator)
    waiting, sent = assign(assessment), assign(assessment)
    send_report(sent)
    response = client.post(_url("assignment_remove", waiting.pk))
    assert response["Location"] == _url("assignments", assessment.pk)
    assert not Assignment.objects.filter(pk=waiting.pk).exists()
    assert 'id="cannot-remove"' in _text(client.get(_url("assignment_remove", sent.pk)))
    response = client.post(_url("assignment_remove", sent.pk))
    assert "The assignment cannot be taken back" in _text(response)


# --- The shopper --------------------------------------------------------------------------------


def test_a_shopper_saves_a_draft_adds_evidence_then_sends_and_it_is_final() -> None:
    assessment, _staff, _coordinator = mystery_shop()
    assignment = assign(assessment)
    client = client_for(assignment.shopper)
    url = _url("shop", assignment.pk)
    page = _text(client.get(url))
    for text in (
        "When did you make contact?",
        "What happened?",
        "Could not test",
        "Save and come back later",
        "Send my report",
        "Sending is final",
        'enctype="multipart/form-data"',
        "at most 5 MB",
        "Shopper 1",
    ):
        assert text in page, text
    response = client.post(url, {"account": "Draft notes", "save": "1"})
    assert response.status_code == 302
    assert "Your report is saved" in _messages(response)[0]
    assert "Draft notes" in _text(client.get(url))
    response = client.post(
        _url("evidence_add", assignment.pk), {"upload": jpeg_with_gps(), "description": "Sign"}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    page = _text(client.get(url))
    assert _url("evidence_remove", evidence.pk) in page
    response = client.post(
        _url("evidence_add", assignment.pk),
        {"upload": SimpleUploadedFile("note.jpg", b"just text")},
    )
    assert "is not a photo (JPEG or PNG) or a PDF" in _text(response)
    assert "<title>Error:" in _text(response)
    response = client.post(url, _report_post(assessment, "none", send="1", account="short"))
    assert "at least 20 characters" in _text(response)
    day = timezone.localdate() - dt.timedelta(days=30)
    response = client.post(
        url,
        _report_post(
            assessment,
            "4",
            send="1",
            contacted_on_day=str(day.day),
            contacted_on_month=str(day.month),
            contacted_on_year=str(day.year),
        ),
    )
    assert "the days of your assignment" in _text(response)
    assert 'href="#id_contacted_on-day"' in _text(response)
    response = client.post(url, _report_post(assessment, "4", send="1"))
    assert response.status_code == 302
    report = ShopReport.objects.get()
    assert report.submitted_at is not None
    page = _text(client.get(url))
    assert "Report sent" in page
    assert "Send my report" not in page
    assert _url("evidence_remove", evidence.pk) not in page
    client.post(url, _report_post(assessment, "1", send="1"))
    assert set(report.ratings.values_list("rating", flat=True)) == {4}
    assert client.post(_url("evidence_remove", evidence.pk)).status_code == 302
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_the_shoppers_pages_are_hidden_from_everyone_else() -> None:
    assessment, staff, coordinator = mystery_shop()
    assignment = assign(assessment)
    evidence = actions.evidence_add(
        assignment=assignment, by=assignment.shopper, upload=jpeg_with_gps(), description=""
    )
    for name, pk in (
        ("shop", assignment.pk),
        ("evidence_add", assignment.pk),
        ("evidence_remove", evidence.pk),
    ):
        url = _url(name, pk)
        assert Client().get(url).status_code == 404, name
        for person in (UserFactory(), staff, coordinator):
            assert client_for(person).get(url).status_code == 404, name
        assert client_for(assignment.shopper).get(url).status_code == 200, name


def test_evidence_downloads_with_a_neutral_name_for_those_who_may_see_it() -> None:
    assessment, staff, coordinator = mystery_shop()
    assignment = assign(assessment)
    evidence = actions.evidence_add(
        assignment=assignment,
        by=assignment.shopper,
        upload=jpeg_with_gps("me.jpg"),
        description="",
    )
    url = _url("evidence_file", evidence.pk)
    for person in (assignment.shopper, coordinator, staff):
        response = client_for(person).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            f'attachment; filename="evidence-{evidence.pk}.jpg"'
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "image/jpeg"
        assert b"Zebedee" not in b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert Client().get(url).status_code == 404
    for person in (UserFactory(), staff_of(assessment.activity, Role.FACILITATOR)):
        assert client_for(person).get(url).status_code == 404


# --- The reports and publishing -----------------------------------------------------------------


def test_the_reports_are_private_until_published_then_public_without_files() -> None:
    assessment, staff, coordinator = mystery_shop()
    assignment = assign(assessment)
    actions.evidence_add(
        assignment=assignment, by=assignment.shopper, upload=jpeg_with_gps(), description="Sign"
    )
    send_report(assignment)
    url = _url("shop_reports", assessment.pk)
    for client in (Client(), client_for(UserFactory()), client_for(assignment.shopper)):
        assert client.get(url).status_code == 404
    page = _text(client_for(staff).get(url))
    assert "Shopper 1" in page
    assert 'id="private"' in page
    assert "evidence/" in page
    assert _url("shop_publish", assessment.pk) not in page
    page = _text(client_for(coordinator).get(url))
    assert _url("shop_publish", assessment.pk) in page
    response = client_for(coordinator).post(_url("shop_publish", assessment.pk))
    assert response["Location"] == url
    page = _text(Client().get(url))
    assert "Shopper 1" in page
    assert "Published on" in page
    assert "evidence/" not in page
    assert "The shopper added 1 file." in page
    response = client_for(coordinator).get(_url("shop_publish", assessment.pk))
    assert response.status_code == 302


def test_publishing_needs_a_sent_report() -> None:
    assessment, _staff, coordinator = mystery_shop()
    assign(assessment)
    response = client_for(coordinator).post(_url("shop_publish", assessment.pk))
    assert "No shopper has sent a report yet" in _text(response)
    assessment.refresh_from_db()
    assert assessment.published_at is None


def test_my_assignments_lists_the_persons_own_and_says_when_there_are_none() -> None:
    assessment, _staff, coordinator = mystery_shop()
    assignment = assign(assessment)
    url = reverse("assessment:my_assignments")
    assert Client().get(url).status_code == 302
    page = _text(client_for(assignment.shopper).get(url))
    assert _url("shop", assignment.pk) in page
    assert "Not started" in page
    assert 'id="none"' in _text(client_for(UserFactory()).get(url))
    page = _text(client_for(coordinator).get(url))
    assert _url("assignments", assessment.pk) in page


def test_the_activity_page_explains_mystery_shopping() -> None:
    assessment, staff, _coordinator = mystery_shop()
    activity = assessment.activity
    page = _text(client_for(UserFactory()).get(activity.get_absolute_url()))
    assert "Mystery shopping" in page
    assert reverse("assessment:my_assignments") in page
    assert _url("shop_reports", assessment.pk) not in page
    page = _text(client_for(staff).get(activity.get_absolute_url()))
    assert _url("coordinator", activity.pk) in page


# --- Anonymity: the service's staff never see who the shoppers are ------------------------------


def test_no_page_the_services_staff_can_open_names_a_shopper() -> None:
    assessment, staff, coordinator = mystery_shop()
    shopper = UserFactory(name=SECRET_NAME, email=SECRET_EMAIL)
    assignment = assign(assessment, shopper)
    evidence = actions.evidence_add(
        assignment=assignment, by=shopper, upload=jpeg_with_gps(), description="The timetable"
    )
    send_report(assignment)
    draft = assign(assessment, UserFactory(name="Ottoline Fenwick-Brae"))
    actions.report_save(
        assignment=draft,
        by=draft.shopper,
        contacted_at=None,
        account="draft",
        ratings={},
        send=False,
    )
    activity = assessment.activity
    service = activity.service
    admin = staff_of(activity, Role.ADMIN)
    facilitator = staff_of(activity, Role.FACILITATOR)
    urls = [
        reverse("assessment:manage", args=[activity.pk]),
        _url("coordinator", activity.pk),
        _url("shop_reports", assessment.pk),
        _url("assessment", assessment.pk),
        _url("ratings_csv", assessment.pk),
        _url("evidence_file", evidence.pk),
        activity.get_absolute_url(),
        reverse("services:staff_activity", args=[activity.pk]),
        reverse("services:staff_service", args=[service.slug]),
        service.get_absolute_url(),
        reverse("contributions:inbox"),
        reverse("contributions:service_inbox", args=[service.slug]),
        reverse("assessment:my_assignments"),
        f"/api/activities/{activity.pk}",
        f"/api/services/{service.slug}",
    ]

    def check(client: Client, who: str) -> None:
        for url in urls:
            response = client.get(url)
            body = (
                b"".join(response.streaming_content)  # type: ignore[attr-defined]
                if response.streaming
                else response.content
            ).lower()
            for secret in (SECRET_NAME, SECRET_EMAIL, "Ottoline", "Fenwick"):
                assert secret.lower().encode() not in body, (who, url, response.status_code)

    for who, person in (("professional", staff), ("admin", admin), ("facilitator", facilitator)):
        check(client_for(person), who)
    check(Client(), "anonymous")
    actions.shop_publish(assessment=assessment, by=coordinator)
    for who, person in (("professional", staff), ("resident", UserFactory())):
        check(client_for(person), who + " after publication")
    check(Client(), "anonymous after publication")
    # The pages that do exist for staff show the report, as Shopper 1.
    assert "Shopper 1" in _text(client_for(staff).get(_url("shop_reports", assessment.pk)))
    # Only the coordinator sees who the shoppers are.
    page = _text(client_for(coordinator).get(_url("assignments", assessment.pk)))
    assert SECRET_NAME in page
    assert SECRET_EMAIL in page


def test_the_reports_page_says_too_few_to_report_until_enough_shoppers_rated(
    settings: Any,
) -> None:
    settings.COPRODUCE_ASSESSMENT_MIN_RESPONSES = 3
    assessment, staff, _coordinator = mystery_shop()
    for _ in range(2):
        send_report(assign(assessment), rating=4)
    page = _text(client_for(staff).get(_url("shop_reports", assessment.pk)))
    assert "once at least 3 shoppers have rated it" in page
    assert page.count("Too few to report</td>") == assessment.version.standards.count()
    send_report(assign(assessment), rating=4)
    page = _text(client_for(staff).get(_url("shop_reports", assessment.pk)))
    assert "Too few to report</td>" not in page
    assert 'govuk-table__cell--numeric">3</td>' in page
