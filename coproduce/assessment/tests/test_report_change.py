"""The change on each standard since the previous report of the same method, for peer reviews and
self-reflections (decision 0930): one agreed rating each side, matched by lineage across versions,
measured from the latest published report of the same method and service."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import client_for
from coproduce.assessment import actions_framework
from coproduce.assessment import actions_report as actions
from coproduce.assessment import queries_report as queries
from coproduce.assessment.models import Assessment
from coproduce.assessment.results import Change, ChangeKind, rating_change
from coproduce.assessment.tests.factories import make_framework, next_draft
from coproduce.assessment.tests.factories_report import (
    add_assessor,
    make_peer_review,
    make_self_reflection,
    standards,
)
from coproduce.services.models import ActivityKind
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory, staff_of

pytestmark = pytest.mark.django_db


def _save(assessment: Assessment, by: User, ratings: list[int | None]) -> None:
    actions.report_save(
        assessment=assessment,
        by=by,
        ratings={
            standard.pk: (rating, "")
            for standard, rating in zip(standards(assessment), ratings, strict=True)
        },
        summary="What we found.",
    )


def _publish(assessment: Assessment, by: User) -> None:
    actions.report_publish(assessment=Assessment.objects.get(pk=assessment.pk), by=by)


def _changes(assessment: Assessment) -> dict[int, Change]:
    return {row.standard.lineage: row.change for row in queries.agreed_rows(assessment)}


@pytest.mark.parametrize(
    ("now", "before", "exists", "in_previous", "expected"),
    [
        (4, 3, False, False, Change(ChangeKind.NO_PREVIOUS)),
        (4, None, True, False, Change(ChangeKind.NEW)),
        (None, 3, True, True, Change(ChangeKind.NOT_RATED)),
        (4, None, True, True, Change(ChangeKind.NOT_RATED)),
        (4, 2, True, True, Change(ChangeKind.SHOWN, 2)),
        (2, 5, True, True, Change(ChangeKind.SHOWN, -3)),
        (3, 3, True, True, Change(ChangeKind.SHOWN, 0)),
    ],
)
def test_the_change_of_an_agreed_rating(
    now: int | None, before: int | None, exists: bool, in_previous: bool, expected: Change
) -> None:
    assert rating_change(now, before, previous_exists=exists, in_previous=in_previous) == expected


def test_a_self_reflection_shows_the_change_since_the_teams_previous_one_by_lineage() -> None:
    service = ServiceFactory()
    activity = ActivityFactory(kind=ActivityKind.SELF_REFLECTION, state="open", service=service)
    staff = staff_of(activity)
    first_version = make_framework(service, staff)
    one, two, three, four = list(first_version.standards.order_by("position"))
    earlier, _ = make_self_reflection(service=service, version=first_version)
    _save(earlier, staff, [3, 4, 2, None])
    _publish(earlier, staff)
    unpublished, _ = make_self_reflection(service=service, version=first_version)
    _save(unpublished, staff, [1, 1, 1, 1])  # a draft: never the one compared with
    peer, _ = make_peer_review(service=service, version=first_version)  # another method

    draft = next_draft(first_version, staff)
    actions_framework.standard_update(
        standard=draft.standards.get(lineage=two.lineage),
        by=staff,
        theme=two.theme,
        statement="Everyone treats me kindly",
    )
    actions_framework.standard_delete(standard=draft.standards.get(lineage=three.lineage), by=staff)
    new = actions_framework.standard_add(
        version=draft, by=staff, theme="Booking a journey", statement="I can book online"
    )
    second_version = actions_framework.version_agree(version=draft, by=staff, change_note="New.")
    latest, _ = make_self_reflection(service=service, version=second_version)
    order = [s.lineage for s in standards(latest)]
    given = {one.lineage: 4, two.lineage: 2, four.lineage: 3, new.lineage: 5}
    _save(latest, staff, [given[lineage] for lineage in order])

    assert queries.previous_report(latest) == earlier
    assert queries.previous_report(peer) is None
    changes = _changes(latest)
    assert changes == {
        one.lineage: Change(ChangeKind.SHOWN, 1),
        two.lineage: Change(ChangeKind.SHOWN, -2),  # reworded: the same standard
        four.lineage: Change(ChangeKind.NOT_RATED),  # "does not apply" last time
        new.lineage: Change(ChangeKind.NEW),
    }
    assert set(_changes(earlier).values()) == {Change(ChangeKind.NO_PREVIOUS)}

    page = client_for(staff).get(reverse("assessment:report", args=[latest.pk])).content.decode()
    assert "Change since the previous assessment" in page
    assert "Up 1 point" in page
    assert "Down 2 points" in page
    assert "Not rated both times" in page
    assert "New standard" in page
    assert reverse("assessment:report", args=[earlier.pk]) in page
    first = client_for(staff).get(reverse("assessment:report", args=[earlier.pk])).content.decode()
    assert "first published self-reflection" in first
    assert "Change since the previous assessment" not in first


def test_a_peer_review_shows_the_change_since_the_previous_published_peer_review() -> None:
    earlier, _staff = make_peer_review()
    service = earlier.activity.service
    lead = add_assessor(earlier, lead=True, ratings=[4, 4, 3, 5])
    _save(earlier, lead.person, [4, 4, 3, 5])
    _publish(earlier, lead.person)
    latest, staff = make_peer_review(service=service, version=earlier.version)
    new_lead = add_assessor(latest, lead=True, ratings=[5, 4, 2, 5])
    _save(latest, new_lead.person, [5, 4, 2, None])
    lineages = [standard.lineage for standard in standards(latest)]
    assert [_changes(latest)[lineage] for lineage in lineages] == [
        Change(ChangeKind.SHOWN, 1),
        Change(ChangeKind.SHOWN, 0),
        Change(ChangeKind.SHOWN, -1),
        Change(ChangeKind.NOT_RATED),
    ]
    page = client_for(staff).get(reverse("assessment:report", args=[latest.pk])).content.decode()
    assert "previous peer review" in page
    assert "No change" in page
    assert "Up 1 point" in page
    assert "Down 1 point" in page


def test_only_reports_set_up_before_count_as_previous() -> None:
    first, staff = make_self_reflection()
    second, _ = make_self_reflection(service=first.activity.service, version=first.version)
    _save(second, staff, [4, 4, 4, 4])
    _publish(second, staff)
    # The later report is published; the earlier one has nothing before it.
    assert queries.previous_report(first) is None
    assert queries.previous_report(second) is None
