"""The community transport scheme's assessments in the demo: last year's findings answered, with
one improvement action done and one overdue (flagged on the service page); a published peer visit
by another service's passengers with its agreement; the team's published self-reflection beside
passengers' view; the booking line's mystery shop, three reports published with the shoppers
unnamed and one sent late, and the police 101 line's; and seeding twice changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.assessment import queries_report
from coproduce.assessment.models import (
    ActionStatus,
    Assessment,
    Finding,
    FindingKind,
    ImprovementAction,
)
from coproduce.assessment.queries_shopping import SENT, assignment_status, sent_late
from coproduce.demo.assessment import TRANSPORT
from coproduce.demo.assessment_shops import BOOKING_LINE, LINE_101
from coproduce.demo.assessment_team import PEER_VISIT, REFLECTION
from coproduce.demo.story import seed
from coproduce.services.models import Service

pytestmark = [pytest.mark.slow, pytest.mark.demo_content]


def test_the_scheme_acts_on_its_findings_and_its_team_methods_are_published(
    demo_story: None,
) -> None:
    service = Service.objects.get(slug=TRANSPORT)
    concerns = Finding.objects.filter(
        assessment__activity__service_stage__service=service, kind=FindingKind.CONCERN
    )
    assert concerns.count() == 2
    assert all(finding.contribution.first_response_at for finding in concerns)
    actions = ImprovementAction.objects.filter(finding__in=concerns)
    today = timezone.localdate()
    assert [a.is_overdue(today) for a in actions.order_by("due_on")] == [False, True]
    done = actions.get(status=ActionStatus.DONE)
    assert done.evidence
    assert done.closed_on is not None
    page = Client().get(service.get_absolute_url()).content.decode()
    assert "1 improvement action is overdue." in page

    visit = Assessment.objects.get(activity__title=PEER_VISIT)
    assert visit.is_published
    assert visit.assessors.filter(submitted_at__isnull=False).count() == 3
    agreement = queries_report.team_agreement(visit)
    assert agreement.alpha is not None
    reflection = Assessment.objects.get(activity__title=REFLECTION)
    assert reflection.is_published
    report = Client().get(reverse("assessment:report", args=[reflection.pk]))
    assert report.status_code == 200
    loop = Client().get(reverse("contributions:you_said_we_did", args=[service.slug]))
    assert "We are acting on it:" in loop.content.decode()

    shop = Assessment.objects.get(activity__title=BOOKING_LINE)
    assert shop.is_published
    statuses = sorted(assignment_status(a, today) for a in shop.assignments.all())
    assert statuses == [SENT, SENT, SENT]
    assert [sent_late(a) for a in shop.assignments.order_by("number")] == [False, False, True]
    assert all(
        a.starts_on <= timezone.localdate(a.report.contacted_at) <= a.ends_on
        for a in shop.assignments.select_related("report")
    )
    sent_at = [a.report.submitted_at for a in shop.assignments.select_related("report")]
    assert shop.published_at is not None
    assert all(when is not None and when < shop.published_at for when in sent_at)
    reports = Client().get(reverse("assessment:shop_reports", args=[shop.pk])).content.decode()
    assert "Shopper 1" in reports
    assert "Shopper 3" in reports
    assert "The standards, across 3 reports" in reports
    assert "Jo Bennett" not in reports
    assert "passenger20" not in reports
    line = Assessment.objects.get(activity__title=LINE_101)
    assert line.is_published
    assert line.assignments.filter(report__submitted_at__isnull=False).count() == 20

    seed()
    assert Assessment.objects.filter(activity__title=PEER_VISIT).count() == 1
    assert ImprovementAction.objects.filter(finding__in=concerns).count() == 2
