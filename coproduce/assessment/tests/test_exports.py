"""The anonymised ratings of peer reviews and self-reflections as CSV (decision 0930): for the
service's staff only; assessors as "Assessor N"; never a name, an email or a group."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.assessment import actions_report
from coproduce.assessment.queries_exports import PEER_CSV_FIELDS, SELF_CSV_FIELDS
from coproduce.assessment.tests.factories_report import (
    add_assessor,
    hand_in,
    make_peer_review,
    make_self_reflection,
    standards,
)
from coproduce.organisations.models import Role
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db

SECRET_NAME = "Philippa Quorndon"
SECRET_EMAIL = "philippa.quorndon@example.org"
SECRET_GROUP = "Zebedee Street Carers"


def _rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    for secret in (SECRET_NAME, SECRET_EMAIL, SECRET_GROUP):
        assert secret not in text
    return list(csv.reader(io.StringIO(text)))


def test_the_peer_csv_numbers_assessors_and_never_names_them() -> None:
    assessment, staff = make_peer_review()
    named = UserFactory(name=SECRET_NAME, email=SECRET_EMAIL)
    lead = add_assessor(assessment, lead=True, person=named, from_group=SECRET_GROUP)
    other = add_assessor(assessment, ratings=[5, None, 3, 2])
    add_assessor(assessment)  # not handed in: none of their ratings
    hand_in(lead, [4, 4, 3, 5])
    rows = _rows(
        client_for(staff).get(reverse("assessment:peer_ratings_csv", args=[assessment.pk]))
    )
    assert rows[0] == PEER_CSV_FIELDS
    body = [dict(zip(PEER_CSV_FIELDS, row, strict=True)) for row in rows[1:]]
    ordered = standards(assessment)
    assert len(body) == 2 * len(ordered)
    assert [row["assessor"] for row in body[:: len(ordered)]] == ["Assessor 1", "Assessor 2"]
    assert [row["rating"] for row in body if row["assessor"] == "Assessor 2"] == ["5", "", "3", "2"]
    assert [row["standard_lineage"] for row in body[: len(ordered)]] == [
        str(s.lineage) for s in ordered
    ]
    assert other.person.email not in str(rows)
    assert str(other.person) not in str(rows)
    assert staff.email not in str(rows)


def test_the_self_reflection_csv_has_the_agreed_ratings_and_not_who_agreed_them() -> None:
    assessment, staff = make_self_reflection()
    writer = staff_of(assessment.activity, Role.ADMIN)
    writer.name, writer.email = SECRET_NAME, SECRET_EMAIL
    writer.save()
    ordered = standards(assessment)
    actions_report.report_save(
        assessment=assessment,
        by=writer,
        ratings={ordered[0].pk: (4, "We answer most calls."), ordered[1].pk: (None, "")},
        summary="",
    )
    url = reverse("assessment:self_ratings_csv", args=[assessment.pk])
    rows = _rows(client_for(staff).get(url))
    assert rows[0] == SELF_CSV_FIELDS
    body = [dict(zip(SELF_CSV_FIELDS, row, strict=True)) for row in rows[1:]]
    assert [row["rating"] for row in body] == ["4", "", "", ""]
    assert body[0]["note"] == "We answer most calls."
    assert [row["standard"] for row in body] == [s.statement for s in ordered]


def test_the_csvs_are_for_the_services_staff_only() -> None:
    peer, peer_staff = make_peer_review()
    lead = add_assessor(peer, lead=True, ratings=[4, 4, 3, 5])
    reflection, reflection_staff = make_self_reflection()
    peer_url = reverse("assessment:peer_ratings_csv", args=[peer.pk])
    self_url = reverse("assessment:self_ratings_csv", args=[reflection.pk])
    assert "login" in Client().get(peer_url)["Location"]
    for person in (lead.person, staff_of(peer.activity, Role.FACILITATOR)):
        assert client_for(person).get(peer_url).status_code == 403
    # A draft self-reflection does not exist for those outside the team.
    assert Client().get(self_url).status_code == 404
    assert client_for(UserFactory()).get(self_url).status_code == 404
    # Each export answers only for its own method.
    wrong = reverse("assessment:peer_ratings_csv", args=[reflection.pk])
    assert client_for(reflection_staff).get(wrong).status_code == 404
    wrong = reverse("assessment:self_ratings_csv", args=[peer.pk])
    assert client_for(peer_staff).get(wrong).status_code == 404


def test_the_report_page_links_the_csv_for_the_services_staff_only() -> None:
    assessment, staff = make_self_reflection()
    url = reverse("assessment:self_ratings_csv", args=[assessment.pk])
    page = reverse("assessment:report", args=[assessment.pk])
    assert url in client_for(staff).get(page).content.decode()
    peer, peer_staff = make_peer_review()
    lead = add_assessor(peer, lead=True, ratings=[4, 4, 3, 5])
    page = reverse("assessment:report", args=[peer.pk])
    csv_url = reverse("assessment:peer_ratings_csv", args=[peer.pk])
    assert csv_url in client_for(peer_staff).get(page).content.decode()
    assert csv_url not in client_for(lead.person).get(page).content.decode()
