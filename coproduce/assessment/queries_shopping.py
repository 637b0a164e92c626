"""Reads of mystery shops: the objects pages are about, where each assignment stands, the sent
reports with shoppers as "Shopper N", each standard's summary of ratings, and a person's own
assignments (decision 0087).

Who a shopper is leaves this module only through the coordinator's list (``assignment_rows``) and
the person's own assignments: every other read carries the assignment's number, never its shopper.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.accounts.types import Visitor
from coproduce.assessment import results as calc
from coproduce.assessment import rules
from coproduce.assessment.actions_assessments import Answer
from coproduce.assessment.models import (
    Assessment,
    Assignment,
    Evidence,
    ShopRating,
    ShopReport,
    Standard,
)
from coproduce.assessment.queries_assessments import (
    Theme,
    assessment_activity,
    by_theme,
    min_responses,
    scale_labels,
    standards_of,
)
from coproduce.services.models import Activity, ActivityKind

_ASSESSMENT = ("assessment__activity__service_stage__service__organisation", "assessment__version")

# --- The objects pages are about (404 for what the visitor may not use) ---------------------------


def _may_see(user: Visitor, assessment: Assessment) -> bool:
    """The mystery shop is public as its activity is; its coordinator and shoppers see it whatever
    the activity's state."""
    if rules.can_view_assessment(user, assessment) or rules.is_coordinator(user, assessment):
        return True
    return bool(
        user.is_authenticated and assessment.assignments.filter(shopper_id=user.pk).exists()
    )


def shop_assessment(request: HttpRequest, pk: int) -> Assessment:
    """The assessment of a mystery shop the visitor may see, else 404."""
    assessment = get_object_or_404(
        Assessment.objects.select_related(
            "activity__service_stage__service__organisation", "version", "coordinator"
        ),
        pk=pk,
        activity__kind=ActivityKind.MYSTERY_SHOP,
    )
    if not _may_see(request.user, assessment):
        raise Http404
    return assessment


def shop_activity(request: HttpRequest, pk: int) -> Activity:
    """A mystery-shop activity the visitor may see, set up or not (the coordinator's staff page)."""
    activity = assessment_activity(request, pk)
    if activity.kind != ActivityKind.MYSTERY_SHOP:
        raise Http404
    return activity


def assessment_with_coordinator(activity: Activity) -> Assessment | None:
    return Assessment.objects.select_related("coordinator").filter(activity=activity).first()


def visible_assignment(request: HttpRequest, pk: int) -> Assignment:
    """An assignment, for its shopper and the coordinator only (its existence is private)."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("shopper", *_ASSESSMENT), pk=pk
    )
    user = request.user
    if not (
        rules.shopper_assignment(user, assignment)
        or rules.is_coordinator(user, assignment.assessment)
    ):
        raise Http404
    return assignment


def visible_evidence(request: HttpRequest, pk: int) -> Evidence:
    """A report's file, for those who may see it (rules.can_view_evidence), else 404."""
    evidence = get_object_or_404(
        Evidence.objects.select_related(
            *(
                f"report__{path}"
                for path in ("assignment", *(f"assignment__{p}" for p in _ASSESSMENT))
            )
        ),
        pk=pk,
    )
    if not rules.can_view_evidence(request.user, evidence):
        raise Http404
    return evidence


# --- Where an assignment stands -----------------------------------------------------------------

NOT_STARTED, INCOMPLETE, SENT, LATE = "not_started", "incomplete", "sent", "late"
STATUS_LABELS = {
    NOT_STARTED: gettext_lazy("Not started"),
    INCOMPLETE: gettext_lazy("Started, not sent"),
    SENT: gettext_lazy("Sent"),
    LATE: gettext_lazy("Late"),
}
SENT_LATE_LABEL = gettext_lazy("Sent late")


def _report_of(assignment: Assignment) -> ShopReport | None:
    return getattr(assignment, "report", None)


def assignment_status(assignment: Assignment, today: dt.date) -> str:
    """Sent; late (not sent, and the window has ended); started, not sent (a draft saved); or not
    started."""
    report = _report_of(assignment)
    if report is not None and report.submitted_at is not None:
        return SENT
    if assignment.ends_on < today:
        return LATE
    return INCOMPLETE if report is not None else NOT_STARTED


def sent_late(assignment: Assignment) -> bool:
    """Sent on a day after the window ended (allowed, if contact was made within it)."""
    report = _report_of(assignment)
    return (
        report is not None
        and report.submitted_at is not None
        and timezone.localdate(report.submitted_at) > assignment.ends_on
    )


def _status_label(assignment: Assignment, status: str) -> str:
    """The status in words; a report sent after the window says so (its status stays "sent")."""
    if status == SENT and sent_late(assignment):
        return str(SENT_LATE_LABEL)
    return str(STATUS_LABELS[status])


@dataclass(frozen=True)
class StatusCounts:
    not_started: int
    incomplete: int
    sent: int
    late: int

    @property
    def total(self) -> int:
        return self.not_started + self.incomplete + self.sent + self.late


@dataclass(frozen=True)
class AssignmentRow:
    """An assignment as the coordinator's list and "Your assignments" show it."""

    assignment: Assignment
    status: str
    label: str

    @property
    def flagged(self) -> bool:
        return self.status in (LATE, INCOMPLETE)


def _with_reports(assessment: Assessment) -> list[Assignment]:
    return list(assessment.assignments.select_related("shopper", "report").order_by("number"))


def _counts(statuses: list[str]) -> StatusCounts:
    return StatusCounts(
        not_started=statuses.count(NOT_STARTED),
        incomplete=statuses.count(INCOMPLETE),
        sent=statuses.count(SENT),
        late=statuses.count(LATE),
    )


def assignment_rows(assessment: Assessment, today: dt.date) -> list[AssignmentRow]:
    """Every assignment with its shopper and where it stands: for the coordinator only."""
    rows = []
    for assignment in _with_reports(assessment):
        status = assignment_status(assignment, today)
        rows.append(AssignmentRow(assignment, status, _status_label(assignment, status)))
    return rows


def status_counts(assessment: Assessment, today: dt.date) -> StatusCounts:
    """How many assignments are not started, started but not sent, sent, and late."""
    return _counts([assignment_status(a, today) for a in _with_reports(assessment)])


def my_assignments(user: Visitor, today: dt.date) -> list[AssignmentRow]:
    """The person's own assignments across the site, those still to do first."""
    if not user.is_authenticated:
        return []
    assignments = Assignment.objects.filter(shopper_id=user.pk).select_related(
        "report", "assessment__activity__service_stage__service"
    )
    rows = [
        AssignmentRow(a, status := assignment_status(a, today), _status_label(a, status))
        for a in assignments
    ]
    order = {LATE: 0, INCOMPLETE: 1, NOT_STARTED: 2, SENT: 3}
    return sorted(
        rows, key=lambda row: (order[row.status], row.assignment.ends_on, row.assignment.pk)
    )


def coordinated(user: Visitor) -> list[Assessment]:
    """The mystery shops the person coordinates."""
    if not user.is_authenticated:
        return []
    return list(
        Assessment.objects.filter(
            coordinator_id=user.pk, activity__kind=ActivityKind.MYSTERY_SHOP
        ).select_related("activity__service_stage__service")
    )


# --- The shopper's own report -------------------------------------------------------------------


def own_report(assignment: Assignment) -> ShopReport | None:
    return ShopReport.objects.filter(assignment=assignment).first()


def saved_answers(report: ShopReport | None) -> dict[int, Answer]:
    """A report's saved ratings: standard key → (rating or None for "could not test", comment)."""
    if report is None:
        return {}
    return {
        standard_id: (rating, comment)
        for standard_id, rating, comment in report.ratings.values_list(
            "standard_id", "rating", "comment"
        )
    }


def evidence_of(report: ShopReport | None) -> list[Evidence]:
    return [] if report is None else list(report.evidence.all())


# --- The sent reports, shoppers unnamed ---------------------------------------------------------


@dataclass(frozen=True)
class RatingRow:
    standard: Standard
    number: int  # in the order the page shows the standards
    rating: int | None
    label: str  # "Mostly (4)", "Could not test", or "Not answered"
    comment: str


@dataclass(frozen=True)
class SentReport:
    """A sent report as everyone but the coordinator sees it: "Shopper <number>"."""

    number: int
    scenario: str
    channel: str
    starts_on: dt.date
    ends_on: dt.date
    contacted_at: dt.datetime | None
    submitted_at: dt.datetime
    account: str
    themes: list[Theme]  # of RatingRow
    evidence: list[Evidence]


def _in_page_order(assessment: Assessment) -> list[Standard]:
    """The version's standards in the order the pages show them: theme by theme."""
    return [item for theme in by_theme(standards_of(assessment.version)) for item in theme.items]


def _label(rating: int | None, labels: dict[int, str]) -> str:
    if rating is None:
        return _("Could not test")
    return _("%(label)s (%(value)s)") % {"label": labels[rating], "value": rating}


def sent_reports(assessment: Assessment) -> list[SentReport]:
    """Every sent report, by shopper number, with its ratings by theme and its evidence. Nothing
    here says who the shopper is."""
    standards = _in_page_order(assessment)
    labels = scale_labels()
    reports = (
        ShopReport.objects.filter(assignment__assessment=assessment, submitted_at__isnull=False)
        .select_related("assignment")
        .prefetch_related(
            Prefetch("ratings", queryset=ShopRating.objects.order_by()),
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "id")),
        )
        .order_by("assignment__number")
    )
    found = []
    for report in reports:
        given = {rating.standard_id: rating for rating in report.ratings.all()}
        rows = []
        for number, standard in enumerate(standards, 1):
            rating = given.get(standard.pk)
            rows.append(
                RatingRow(
                    standard=standard,
                    number=number,
                    rating=rating.rating if rating else None,
                    label=_label(rating.rating, labels) if rating else _("Not answered"),
                    comment=rating.comment if rating else "",
                )
            )
        assignment = report.assignment
        assert report.submitted_at is not None
        found.append(
            SentReport(
                number=assignment.number,
                scenario=assignment.scenario,
                channel=assignment.get_channel_display(),
                starts_on=assignment.starts_on,
                ends_on=assignment.ends_on,
                contacted_at=report.contacted_at,
                submitted_at=report.submitted_at,
                account=report.account,
                themes=by_theme(rows, lambda row: row.standard),
                evidence=list(report.evidence.all()),
            )
        )
    return found


@dataclass(frozen=True)
class Point:
    value: int
    label: str
    count: int


@dataclass(frozen=True)
class StandardSummary:
    """How the sent reports rated one standard, worked out as a user assessment's results are
    (results.summarise): "too few to report" while fewer shoppers than the threshold rated it
    (decision 0930); otherwise a count per point of the scale and of "could not test"."""

    standard: Standard
    number: int
    result: calc.Summary
    labels: dict[int, str]

    @property
    def reportable(self) -> bool:
        return self.result.reportable

    @property
    def points(self) -> list[Point]:
        """Always (5) … Never (1); empty when too few to report."""
        return [
            Point(cell.rating, self.labels.get(cell.rating, str(cell.rating)), cell.count)
            for cell in self.result.cells
        ]

    @property
    def could_not_test(self) -> int | None:
        """None when too few to report (it would give the number of ratings away)."""
        return self.result.does_not_apply

    @property
    def rated(self) -> int | None:
        return self.result.rated


def summary_headings() -> list[Point]:
    """The points of the scale as the summary's columns: Always (5) … Never (1)."""
    labels = scale_labels()
    return [Point(value, labels[value], 0) for value in sorted(labels, reverse=True)]


def summary(assessment: Assessment) -> list[Theme]:
    """Per theme, each standard's sent ratings summarised (of StandardSummary): "could not
    test" counts as "does not apply" does in a user assessment, and the same threshold applies."""
    standards = _in_page_order(assessment)
    answers: dict[int, list[int | None]] = {}
    for standard_id, rating in ShopRating.objects.filter(
        report__assignment__assessment=assessment, report__submitted_at__isnull=False
    ).values_list("standard_id", "rating"):
        answers.setdefault(standard_id, []).append(rating)
    labels = scale_labels()
    least = min_responses()
    rows = [
        StandardSummary(
            standard=standard,
            number=number,
            result=calc.summarise(answers.get(standard.pk, []), min_responses=least),
            labels=labels,
        )
        for number, standard in enumerate(standards, 1)
    ]
    return by_theme(rows, lambda row: row.standard)
