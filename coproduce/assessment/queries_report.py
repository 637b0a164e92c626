"""Reads of a team's agreed report (decision 0085): the assessment it is about, the agreed ratings
by theme, and beside them, for a self-reflection, how people who use the service see it (their
latest user assessment, standard by standard through the lineage, with the gap), or, for a peer
review, the team and how far its members agreed on their own before they agreed the report."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.accounts.types import Visitor
from coproduce.assessment import results as calc
from coproduce.assessment import rules
from coproduce.assessment.agreement import Agreement, agreement
from coproduce.assessment.models import (
    TEAM_METHODS,
    AgreedRating,
    Assessment,
    Assessor,
    AssessorRating,
    Rating,
    Standard,
)
from coproduce.assessment.queries_assessments import (
    Theme,
    by_theme,
    min_responses,
    scale_labels,
    standards_of,
)
from coproduce.services.models import ActivityKind, ActivityState

# A gap of at least this much, either way, reads as a difference (half a step of the scale).
GAP_THRESHOLD = Decimal("0.5")
TENTHS = Decimal("0.1")


def team_assessment(request: HttpRequest, pk: int) -> Assessment:
    """A peer review's or self-reflection's assessment whose report the visitor may read: 404
    for anything else, and for a draft report outside the team (its existence is private)."""
    assessment = get_object_or_404(
        Assessment.objects.select_related(
            "activity__service_stage__service__organisation", "version"
        ),
        pk=pk,
    )
    if assessment.activity.kind not in TEAM_METHODS:
        raise Http404
    if not rules.can_view_report(request.user, assessment):
        raise Http404
    return assessment


# --- The agreed ratings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreedRow:
    """A standard with the team's agreed answer: ``answered`` False while it has none yet."""

    standard: Standard
    answered: bool
    rating: int | None  # None: does not apply (or not answered yet)
    label: str
    note: str
    change: calc.Change  # since the previous report of the same method


def previous_report(assessment: Assessment) -> Assessment | None:
    """The latest published report of the same method (peer review or self-reflection) of the
    same service, set up before this one: the one each standard's change is measured from
    (decision 0930). Published, as a user assessment's must be closed: its ratings are final."""
    return (
        Assessment.objects.filter(
            activity__service_stage__service_id=assessment.activity.service_stage.service_id,
            activity__kind=assessment.activity.kind,
            published_at__isnull=False,
            created_at__lt=assessment.created_at,
        )
        .exclude(pk=assessment.pk)
        .select_related("activity", "version")
        .order_by("-created_at", "-pk")
        .first()
    )


def _agreed_by_lineage(assessment: Assessment) -> dict[int, int | None]:
    """A report's agreed ratings keyed by each standard's lineage (None: does not apply)."""
    return dict(
        AgreedRating.objects.filter(assessment=assessment).values_list(
            "standard__lineage", "rating"
        )
    )


def agreed_rows(assessment: Assessment) -> list[AgreedRow]:
    """Every standard of the pinned version, in order, with the team's answer so far and its
    change since the previous report of the same method, matched by lineage."""
    agreed = {row.standard_id: row for row in AgreedRating.objects.filter(assessment=assessment)}
    previous = previous_report(assessment)
    before = _agreed_by_lineage(previous) if previous is not None else {}
    labels = scale_labels()
    rows = []
    for standard in standards_of(assessment.version):
        found = agreed.get(standard.pk)
        change = calc.rating_change(
            found.rating if found is not None else None,
            before.get(standard.lineage),
            previous_exists=previous is not None,
            in_previous=standard.lineage in before,
        )
        if found is None:
            rows.append(AgreedRow(standard, False, None, _("Not agreed yet"), "", change))
            continue
        label = labels[found.rating] if found.rating is not None else _("Does not apply")
        rows.append(AgreedRow(standard, True, found.rating, label, found.note, change))
    return rows


def agreed_answers(assessment: Assessment) -> dict[int, tuple[int | None, str]]:
    """The team's answers so far: standard key → (rating or None, note), for the form."""
    return {
        row.standard_id: (row.rating, row.note)
        for row in AgreedRating.objects.filter(assessment=assessment)
    }


# --- A self-reflection beside the users' view -------------------------------------------------------


def users_assessment(assessment: Assessment) -> Assessment | None:
    """The user assessment a self-reflection is compared with: the service's latest one that is
    not a draft, by when its activity was created, a closed one preferred (its numbers no longer
    move) over one still open."""
    service_id = assessment.activity.service_stage.service_id
    return (
        Assessment.objects.filter(
            activity__service_stage__service_id=service_id,
            activity__kind=ActivityKind.ASSESSMENT,
        )
        .exclude(activity__state=ActivityState.DRAFT)
        .annotate(
            closed=Case(
                When(
                    activity__state__in=[ActivityState.CLOSED, ActivityState.REPORTED],
                    then=Value(1),
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .select_related("activity", "version")
        .order_by("-closed", "-activity__created_at", "-pk")
        .first()
    )


def mean_rating(summary: calc.Summary) -> Decimal | None:
    """The average rating of a reportable standard, to one decimal (halves up); None when too
    few rated it."""
    if not summary.reportable or not summary.rated:
        return None
    total = sum(cell.rating * cell.count for cell in summary.cells)
    return (Decimal(total) / Decimal(summary.rated)).quantize(TENTHS, rounding=ROUND_HALF_UP)


def gap_between(team: int | None, users: Decimal | None) -> Decimal | None:
    """The team's rating less the users' average as shown, so the page adds up; None when
    either side has no number."""
    if team is None or users is None:
        return None
    return Decimal(team) - users


def gap_reading(gap: Decimal | None) -> str:
    """The gap in words: higher from half a point, lower from minus half a point."""
    if gap is None:
        return ""
    if gap >= GAP_THRESHOLD:
        return _("We rate ourselves higher than people who use the service do")
    if gap <= -GAP_THRESHOLD:
        return _("We rate ourselves lower than people who use the service do")
    return _("About the same")


@dataclass(frozen=True)
class ComparisonRow:
    """A standard: the team's answer beside the users' (None: their version did not have it)."""

    agreed: AgreedRow
    users: calc.Summary | None
    mean: Decimal | None
    gap: Decimal | None
    reading: str

    @property
    def standard(self) -> Standard:
        return self.agreed.standard

    @property
    def gap_text(self) -> str:
        """The gap with its sign: "+0.6", "-1.2", "0.0"."""
        if self.gap is None:
            return ""
        return "0.0" if self.gap == 0 else f"{self.gap:+.1f}"


@dataclass(frozen=True)
class Comparison:
    users_assessment: Assessment | None  # None: the service has no user assessment to compare
    themes: list[Theme]  # of ComparisonRow
    min_responses: int


def _user_ratings_by_lineage(users: Assessment) -> dict[int, list[int | None]]:
    """Each standard's ratings in the user assessment, keyed by the standard's lineage."""
    found: dict[int, list[int | None]] = {
        lineage: []
        for lineage in Standard.objects.filter(version_id=users.version_id).values_list(
            "lineage", flat=True
        )
    }
    for lineage, rating in Rating.objects.filter(response__assessment=users).values_list(
        "standard__lineage", "rating"
    ):
        found.setdefault(lineage, []).append(rating)
    return found


def comparison(assessment: Assessment) -> Comparison:
    """A self-reflection's agreed ratings beside the users' view of the same standards, matched
    by lineage (the versions may differ): their average, the share of "Always or mostly" and the
    gap; "too few to report" under the threshold, as on the results page."""
    least = min_responses()
    users = users_assessment(assessment)
    by_lineage = _user_ratings_by_lineage(users) if users is not None else {}
    rows = []
    for agreed in agreed_rows(assessment):
        answers = by_lineage.get(agreed.standard.lineage)
        summary = calc.summarise(answers, min_responses=least) if answers is not None else None
        mean = mean_rating(summary) if summary is not None else None
        gap = gap_between(agreed.rating if agreed.answered else None, mean)
        rows.append(
            ComparisonRow(
                agreed=agreed, users=summary, mean=mean, gap=gap, reading=gap_reading(gap)
            )
        )
    return Comparison(
        users_assessment=users,
        themes=by_theme(rows, lambda row: row.standard),
        min_responses=least,
    )


# --- A peer review's team and its agreement -------------------------------------------------------


@dataclass(frozen=True)
class Team:
    """A peer team as the report shows it: how many, from where; never who."""

    size: int
    handed_in: int
    groups: list[str]

    @property
    def description(self) -> str:
        """ "3 assessors from the Eastvale user group and Northfield Carers"."""
        return ngettext(
            "%(count)s assessor from %(groups)s",
            "%(count)s assessors from %(groups)s",
            self.size,
        ) % {"count": self.size, "groups": get_text_list(self.groups, _("and"))}


def team_of(assessment: Assessment) -> Team:
    assessors = list(Assessor.objects.filter(assessment=assessment))
    groups: list[str] = []
    for assessor in assessors:
        group = assessor.from_group.strip()
        if group and group not in groups:
            groups.append(group)
    return Team(
        size=len(assessors),
        handed_in=sum(1 for assessor in assessors if assessor.submitted_at is not None),
        groups=groups,
    )


def team_agreement(assessment: Assessment) -> Agreement:
    """How far the assessors who handed in agreed on their own: a unit per standard of the
    pinned version, a value per assessor ("does not apply" and no rating are missing)."""
    handed_in = list(
        Assessor.objects.filter(assessment=assessment, submitted_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    given: dict[tuple[int, int], int | None] = {
        (assessor_id, standard_id): rating
        for assessor_id, standard_id, rating in AssessorRating.objects.filter(
            assessor_id__in=handed_in
        ).values_list("assessor_id", "standard_id", "rating")
    }
    units = [
        [given.get((assessor_id, standard.pk)) for assessor_id in handed_in]
        for standard in standards_of(assessment.version)
    ]
    return agreement(units, level="ordinal")


def waits_for_own_ratings(user: Visitor, assessment: Assessment) -> bool:
    """Whether the visitor is on a peer team and has not handed in their own ratings: they read
    the draft report only afterwards, so that the team's view does not shape theirs."""
    if assessment.is_published:
        return False
    assessor = rules.assessor_of(user, assessment)
    return assessor is not None and assessor.submitted_at is None
