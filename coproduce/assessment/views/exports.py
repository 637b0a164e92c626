"""The anonymised ratings of peer reviews and self-reflections as CSV, for the service's staff
(decision 0930); the user assessments' export is views.assessments.ratings_csv."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import StreamingHttpResponse
from django.views.decorators.http import require_GET

from coproduce.accounts.types import SignedInRequest
from coproduce.assessment import queries_exports as queries
from coproduce.assessment import rules
from coproduce.assessment.models import Assessment
from coproduce.assessment.queries_peer import peer_assessment
from coproduce.common.permissions import rule_required
from coproduce.contributions.opendata import csv_stream


def _csv(fields: list[str], rows: Iterator[list[Any]], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_stream(fields, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@rule_required(rules.can_keep_assessment, load=peer_assessment, staff=True)
@require_GET
def peer_ratings_csv(request: SignedInRequest, assessment: Assessment) -> StreamingHttpResponse:
    """Each handed-in assessor's own ratings, as "Assessor N": never a name or an email."""
    return _csv(
        queries.PEER_CSV_FIELDS,
        queries.peer_csv_rows(assessment),
        f"peer-review-{assessment.pk}-ratings.csv",
    )


@rule_required(rules.can_keep_assessment, load=queries.self_reflection, staff=True)
@require_GET
def self_ratings_csv(request: SignedInRequest, assessment: Assessment) -> StreamingHttpResponse:
    """The team's agreed rating of each standard, never who agreed it."""
    return _csv(
        queries.SELF_CSV_FIELDS,
        queries.self_csv_rows(assessment),
        f"self-reflection-{assessment.pk}-ratings.csv",
    )
