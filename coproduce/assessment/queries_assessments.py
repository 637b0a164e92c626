"""Reads of user assessments: the objects pages are about, the standards by theme, a person's own
answers, the service's previous assessment, and the results (worked out in results.py) with the
comments people chose to share, and the anonymised ratings for staff (decision 0082)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from coproduce.accounts.types import Visitor
from coproduce.assessment import results as calc
from coproduce.assessment import rules
from coproduce.assessment.actions_assessments import Answer
from coproduce.assessment.models import (
    METHODS,
    SCALE,
    Assessment,
    FrameworkVersion,
    Rating,
    Response,
    Standard,
    VersionStatus,
)
from coproduce.common.languages import Shown, in_language
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service
from coproduce.services.queries import visible_activity

# --- The objects pages are about (404 for what the visitor may not see) --------------------------


def visible_assessment(request: HttpRequest, pk: int) -> Assessment:
    assessment = get_object_or_404(
        Assessment.objects.select_related(
            "activity__service_stage__service__organisation", "version"
        ),
        pk=pk,
    )
    if not rules.can_view_assessment(request.user, assessment):
        raise Http404
    return assessment


def assessment_activity(request: HttpRequest, pk: int) -> Activity:
    """An assessment activity (any of the methods) the visitor may see, with or without its
    assessment yet."""
    activity = visible_activity(request, pk)
    if activity.kind not in METHODS:
        raise Http404
    return activity


def assessment_of(activity: Activity) -> Assessment | None:
    return Assessment.objects.select_related("version").filter(activity=activity).first()


# --- Versions and standards ---------------------------------------------------------------------


def agreed_versions(service: Service) -> QuerySet[FrameworkVersion]:
    """The service's agreed versions, newest first, with their number of standards."""
    return (
        FrameworkVersion.objects.filter(framework_id=service.pk, status=VersionStatus.AGREED)
        .annotate(standard_count=Count("standards"))
        .order_by("-number")
    )


def latest_agreed(service: Service) -> FrameworkVersion | None:
    return agreed_versions(service).first()


def standards_of(version: FrameworkVersion) -> list[Standard]:
    return list(Standard.objects.filter(version=version).order_by("position", "id"))


@dataclass(frozen=True)
class Theme:
    """A theme's name and its items (standards, or rows about them), in the version's order."""

    name: Shown
    items: list[Any]


def by_theme(items: list[Any], standard_of: Any = None) -> list[Theme]:
    """Items grouped by their standard's theme, themes in order of their first standard."""
    groups: dict[str, Theme] = {}
    for item in items:
        standard = standard_of(item) if standard_of else item
        theme = groups.get(standard.theme)
        if theme is None:
            theme = groups[standard.theme] = Theme(name=in_language(standard, "theme"), items=[])
        theme.items.append(item)
    return list(groups.values())


# --- Responses ----------------------------------------------------------------------------------


def response_count(assessment: Assessment) -> int:
    return assessment.responses.count()


@dataclass(frozen=True)
class Counts:
    """How many responses an assessment has: online, and entered from paper."""

    online: int
    paper: int

    @property
    def total(self) -> int:
        return self.online + self.paper


def response_counts(assessment: Assessment) -> Counts:
    counts = assessment.responses.aggregate(
        online=Count("pk", filter=Q(person__isnull=False)),
        paper=Count("pk", filter=Q(person__isnull=True)),
    )
    return Counts(online=counts["online"], paper=counts["paper"])


def own_response(assessment: Assessment, user: Visitor) -> Response | None:
    if not user.is_authenticated:
        return None
    return Response.objects.filter(assessment=assessment, person_id=user.pk).first()


def answers_of(response: Response) -> dict[int, Answer]:
    """A response's answers: standard key → (rating or None, comment)."""
    return {
        standard_id: (rating, comment)
        for standard_id, rating, comment in response.ratings.values_list(
            "standard_id", "rating", "comment"
        )
    }


def scale_labels() -> dict[int, str]:
    """Each rating's name in the page's language ("Always" … "Never")."""
    return {value: str(label) for value, label in SCALE}


@dataclass(frozen=True)
class OwnAnswer:
    standard: Standard
    rating: int | None
    label: str  # the rating's name, or "Does not apply to me"
    comment: str


def own_answers(response: Response, standards: list[Standard]) -> list[OwnAnswer]:
    """What the person answered for each standard, for the summary of their own answers."""
    given = answers_of(response)
    labels = scale_labels()
    rows = []
    for standard in standards:
        rating, comment = given.get(standard.pk, (None, ""))
        label = labels[rating] if rating is not None else _("Does not apply to me")
        rows.append(OwnAnswer(standard=standard, rating=rating, label=label, comment=comment))
    return rows


# --- The previous assessment ---------------------------------------------------------------------


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The latest assessment of the same service set up before this one whose activity has
    closed: the one the change on each standard is measured from (decision 0082). A service that
    stays in its assessment stage for years still compares year with year."""
    stage = assessment.activity.service_stage
    return (
        Assessment.objects.filter(
            activity__service_stage__service_id=stage.service_id,
            activity__kind=ActivityKind.ASSESSMENT,
            activity__state__in=[ActivityState.CLOSED, ActivityState.REPORTED],
            created_at__lt=assessment.created_at,
        )
        .exclude(pk=assessment.pk)
        .select_related("activity__service_stage", "version")
        .order_by("-created_at", "-pk")
        .first()
    )


# --- Results ------------------------------------------------------------------------------------


def min_responses() -> int:
    return int(settings.COPRODUCE_ASSESSMENT_MIN_RESPONSES)


def _answers_by_standard(assessment: Assessment) -> dict[int, list[int | None]]:
    """Each standard's ratings (None: does not apply), keyed by the standard."""
    found: dict[int, list[int | None]] = {}
    for standard_id, rating in Rating.objects.filter(response__assessment=assessment).values_list(
        "standard_id", "rating"
    ):
        found.setdefault(standard_id, []).append(rating)
    return found


def _by_lineage(assessment: Assessment, standards: list[Standard]) -> dict[int, list[int | None]]:
    answers = _answers_by_standard(assessment)
    return {standard.lineage: answers.get(standard.pk, []) for standard in standards}


@dataclass(frozen=True)
class Comment:
    """A comment as the public sees it: the person's name only if they chose to show it, and
    never beside their rating (ratings are never shown with a name)."""

    text: str
    name: str | None


def _comments(assessment: Assessment) -> dict[int, list[Comment]]:
    """Every comment by standard, oldest response first; names only of named online responses."""
    found: dict[int, list[Comment]] = {}
    rows = (
        Rating.objects.filter(response__assessment=assessment)
        .exclude(comment="")
        .order_by("response__created_at", "response_id")
        .values_list("standard_id", "comment", "response__named", "response__person__name")
    )
    for standard_id, text, named, name in rows:
        shown = name.strip() if named and name and name.strip() else None
        found.setdefault(standard_id, []).append(Comment(text=text, name=shown))
    return found


@dataclass(frozen=True)
class Row:
    """A standard on the results page: its summary, change, chart and comments."""

    standard: Standard
    summary: calc.Summary
    change: calc.Change
    chart: calc.BarChart | None
    comments: list[Comment]


@dataclass(frozen=True)
class Results:
    assessment: Assessment
    counts: Counts
    previous: Assessment | None
    themes: list[Theme]  # of Row
    min_responses: int


def results(assessment: Assessment) -> Results:
    """The assessment's results per theme and standard, with the change since the previous
    assessment on the same standard (matched by lineage)."""
    standards = standards_of(assessment.version)
    previous = previous_assessment(assessment)
    before = None
    if previous is not None:
        before = _by_lineage(previous, standards_of(previous.version))
    least = min_responses()
    computed = calc.compare(_by_lineage(assessment, standards), before, min_responses=least)
    comments = _comments(assessment)
    labels = scale_labels()
    rows = []
    for standard in standards:
        result = computed[standard.lineage]
        rows.append(
            Row(
                standard=standard,
                summary=result.summary,
                change=result.change,
                chart=calc.bar_chart(result.summary, labels),
                # A comment often says the rating in words: shown only with the numbers.
                comments=comments.get(standard.pk, []) if result.summary.reportable else [],
            )
        )
    return Results(
        assessment=assessment,
        counts=response_counts(assessment),
        previous=previous,
        themes=by_theme(rows, lambda row: row.standard),
        min_responses=least,
    )


# --- The anonymised ratings, for staff ----------------------------------------------------------

CSV_FIELDS = [
    "response",
    "entered",
    "standard_lineage",
    "theme",
    "standard",
    "rating",
    "comment",
]
TOO_FEW = "too few to report"


def csv_rows(assessment: Assessment) -> Iterator[list[Any]]:
    """A row per response and standard: the response's number in this assessment (never the
    person), online or paper, the standard, the rating (empty: does not apply) and the comment.
    No rows while the assessment has too few responses; a standard with too few ratings has
    neither its ratings nor its comments."""
    least = min_responses()
    if response_count(assessment) < least:
        return
    standards = standards_of(assessment.version)
    answers = _answers_by_standard(assessment)
    reportable = {
        standard.pk: calc.summarise(answers.get(standard.pk, []), min_responses=least).reportable
        for standard in standards
    }
    number_of = {
        pk: number
        for number, pk in enumerate(
            assessment.responses.order_by("created_at", "pk").values_list("pk", flat=True), 1
        )
    }
    ratings = (
        Rating.objects.filter(response__assessment=assessment)
        .order_by("response__created_at", "response_id", "standard__position", "standard_id")
        .values_list(
            "response_id",
            "response__person_id",
            "standard_id",
            "standard__lineage",
            "standard__theme",
            "standard__statement",
            "rating",
            "comment",
        )
    )
    for response_id, person_id, standard_id, lineage, theme, statement, rating, comment in ratings:
        shown = reportable.get(standard_id, False)
        yield [
            number_of[response_id],
            "online" if person_id is not None else "paper",
            lineage,
            theme,
            statement,
            ("" if rating is None else rating) if shown else TOO_FEW,
            comment if shown else "",
        ]


def raters(activity_ids: list[int]) -> QuerySet:
    """(activity id, user id) of everyone who rated a user assessment online: taking part, for
    equality monitoring (registered in apps.py). Mystery shoppers are left out: their identities
    are hidden from the service's staff, and a handful of them would be "too few" anyway."""
    return Response.objects.filter(
        assessment_id__in=activity_ids, person__isnull=False
    ).values_list("assessment_id", "person_id")
