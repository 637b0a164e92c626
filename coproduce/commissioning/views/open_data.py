"""A round's open data (decision 0080): its OCDS release package, the award's scores table and the
register of interests. Anyone who may see the round may download them; what bids hold stays out
until bids close, and the scores until the award (``export``)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from coproduce.commissioning import export, export_csv, queries, rules
from coproduce.commissioning.models import Round
from coproduce.common.permissions import rule_required


def _attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'


@rule_required(rules.can_view_round, load=queries.visible_round, hide=True)
@require_GET
def ocds(request: HttpRequest, round_: Round) -> HttpResponse:
    """The round as an OCDS 1.1 release package (JSON), shown in the browser."""
    body = json.dumps(export.ocds_package(round_), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{export.ocid(round_)}.json"'
    return response


@rule_required(rules.can_view_round, load=queries.visible_round, hide=True)
@require_GET
def scores_csv(request: HttpRequest, round_: Round) -> StreamingHttpResponse:
    """The award's scores table as CSV (only its header until the award is made)."""
    response = StreamingHttpResponse(
        export_csv.scores_csv(round_), content_type="text/csv; charset=utf-8"
    )
    _attachment(response, f"commissioning-round-{round_.pk}-scores.csv")
    return response


@rule_required(rules.can_view_round, load=queries.visible_round, hide=True)
@require_GET
def interests_csv(request: HttpRequest, round_: Round) -> StreamingHttpResponse:
    """The register of interests as CSV (only its header until bids close)."""
    response = StreamingHttpResponse(
        export_csv.interests_csv(round_), content_type="text/csv; charset=utf-8"
    )
    _attachment(response, f"commissioning-round-{round_.pk}-interests.csv")
    return response
