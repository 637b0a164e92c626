"""The anonymised ratings of peer reviews and self-reflections as CSV rows, for the service's staff
(decision 0930): assessors as "Assessor N", never a name, an email or the group they came from;
a self-reflection's agreed ratings, never who agreed them. The user assessments' own export is in
queries_assessments.csv_rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import Http404, HttpRequest

from coproduce.assessment.models import AgreedRating, Assessment, AssessorRating
from coproduce.assessment.queries_assessments import standards_of
from coproduce.assessment.queries_report import team_assessment
from coproduce.services.models import ActivityKind

PEER_CSV_FIELDS = [
    "assessor",
    "standard_lineage",
    "theme",
    "standard",
    "rating",
    "evidence",
]
SELF_CSV_FIELDS = [
    "standard_lineage",
    "theme",
    "standard",
    "rating",
    "note",
]


def self_reflection(request: HttpRequest, pk: int) -> Assessment:
    """A self-reflection whose report the visitor may read, else 404."""
    assessment = team_assessment(request, pk)
    if assessment.activity.kind != ActivityKind.SELF_REFLECTION:
        raise Http404
    return assessment


def _cell(rating: int | None) -> int | str:
    """A rating, or empty for "does not apply"."""
    return "" if rating is None else rating


def peer_csv_rows(assessment: Assessment) -> Iterator[list[Any]]:
    """A row per assessor who has handed in and standard of the pinned version: "Assessor N"
    (numbered as on the team's pages, in the order they joined), the standard, the rating (empty:
    does not apply or not rated) and the evidence note."""
    assessors = assessment.assessors.order_by("added_at", "pk")
    numbers = {pk: n for n, pk in enumerate(assessors.values_list("pk", flat=True), 1)}
    handed_in = list(assessors.filter(submitted_at__isnull=False).values_list("pk", flat=True))
    given = {
        (assessor_id, standard_id): (rating, evidence)
        for assessor_id, standard_id, rating, evidence in AssessorRating.objects.filter(
            assessor_id__in=handed_in
        ).values_list("assessor_id", "standard_id", "rating", "evidence")
    }
    standards = standards_of(assessment.version)
    for assessor_id in handed_in:
        for standard in standards:
            rating, evidence = given.get((assessor_id, standard.pk), (None, ""))
            yield [
                f"Assessor {numbers[assessor_id]}",
                standard.lineage,
                standard.theme,
                standard.statement,
                _cell(rating),
                evidence,
            ]


def self_csv_rows(assessment: Assessment) -> Iterator[list[Any]]:
    """A row per standard of the pinned version with the team's agreed rating so far (empty: does
    not apply or not agreed yet) and its note."""
    agreed = {
        standard_id: (rating, note)
        for standard_id, rating, note in AgreedRating.objects.filter(
            assessment=assessment
        ).values_list("standard_id", "rating", "note")
    }
    for standard in standards_of(assessment.version):
        rating, note = agreed.get(standard.pk, (None, ""))
        yield [standard.lineage, standard.theme, standard.statement, _cell(rating), note]
