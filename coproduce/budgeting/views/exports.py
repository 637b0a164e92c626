"""A budget's open data: its ballots and projects as a Pabulib ``.pb`` file and as CSV.

Published with the results (staff may download them as soon as there is a count); an imported
budget's at any time, since its file was public already (``rules.can_export``). Voters appear
only by the anonymised ``public_id`` of their ballot, the one their receipt code checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from coproduce.budgeting import pabulib_io, rules
from coproduce.budgeting.actions import funded_pks
from coproduce.budgeting.models import Area, Ballot, BallotChoice, Budget, CountStatus
from coproduce.common.permissions import rule_required
from coproduce.contributions.opendata import csv_stream

CHUNK = 2_000  # ballots read at a time

BALLOT_FIELDS = ["public_id", "area", "reference", "value"]
PROJECT_FIELDS = ["reference", "title", "area", "cost", "votes", "funded"]


def exportable_budget(request: HttpRequest, pk: int) -> Budget:
    """The budget, when its open data may be downloaded (404 otherwise)."""
    budget = get_object_or_404(
        Budget.objects.select_related("activity__service_stage__service__organisation"), pk=pk
    )
    if not rules.can_export(request.user, budget):
        raise Http404
    return budget


def _attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'


def _area(request: HttpRequest, budget: Budget) -> Area | None:
    """The area asked for with ``?area=<id>`` (404 if it is not one of the budget's)."""
    raw = request.GET.get("area", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(Area, pk=int(raw), budget=budget)


@rule_required(rules.can_export, load=exportable_budget, hide=True)
@require_GET
def export_pb(request: HttpRequest, budget: Budget) -> HttpResponse:
    """The ballots and projects of one area as a Pabulib file: ``?area=<id>``, else the first.

    A Pabulib file holds one budget, so a budget with several areas has one file per area.
    """
    area = _area(request, budget)
    text = pabulib_io.export_pb(budget, area)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    several = area is not None and budget.areas.count() > 1
    name = f"budget-{budget.pk}-area-{area.pk}.pb" if several and area else f"budget-{budget.pk}.pb"
    _attachment(response, name)
    return response


def _ballot_rows(budget: Budget) -> Iterator[list[Any]]:
    """One row per project on each ballot (rank 1 = first, points, or 1); an empty ballot has
    one row with no project, so every ballot is there."""
    ballots = (
        Ballot.objects.filter(budget=budget)
        .order_by("pk")
        .values_list("pk", "public_id", "area__name")
    )
    chunk: list[tuple[int, str, str]] = []
    for row in ballots.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from _chunk_rows(chunk)
            chunk = []
    if chunk:
        yield from _chunk_rows(chunk)


def _chunk_rows(chunk: list[tuple[int, str, str]]) -> Iterator[list[Any]]:
    choices: dict[int, list[tuple[str, int | str]]] = {}
    rows = (
        BallotChoice.objects.filter(ballot_id__in=[pk for pk, _id, _area in chunk])
        .order_by("ballot_id", "value", "proposal__reference")
        .values_list("ballot_id", "proposal__reference", "value")
    )
    for ballot_id, reference, value in rows:
        choices.setdefault(ballot_id, []).append((reference, value))
    for pk, public_id, area in chunk:
        for chosen, given in choices.get(pk, [("", "")]):
            yield [public_id, area, chosen, given]


@rule_required(rules.can_export, load=exportable_budget, hide=True)
@require_GET
def ballots_csv(request: HttpRequest, budget: Budget) -> StreamingHttpResponse:
    """The anonymised ballots as CSV: ``public_id, area, reference, value``, a row per choice."""
    response = StreamingHttpResponse(
        csv_stream(BALLOT_FIELDS, _ballot_rows(budget)), content_type="text/csv; charset=utf-8"
    )
    _attachment(response, f"budget-{budget.pk}-ballots.csv")
    return response


@rule_required(rules.can_export, load=exportable_budget, hide=True)
@require_GET
def projects_csv(request: HttpRequest, budget: Budget) -> StreamingHttpResponse:
    """The projects on the ballot: ``reference, title, area, cost, votes, funded`` (``yes`` or
    ``no`` from the latest count; empty before any count)."""
    count = budget.counts.filter(status=CountStatus.DONE).first()
    funded = funded_pks(count) if count is not None else None
    proposals = (
        budget.proposals.on_ballot()
        .select_related("area")
        .annotate(votes=Count("choices"))
        .order_by("area__name", "reference", "pk")
    )
    rows = (
        [
            p.reference,
            p.title,
            p.area.name,
            p.ballot_cost,
            p.votes,
            "" if funded is None else ("yes" if p.pk in funded else "no"),
        ]
        for p in proposals
    )
    response = StreamingHttpResponse(
        csv_stream(PROJECT_FIELDS, rows), content_type="text/csv; charset=utf-8"
    )
    _attachment(response, f"budget-{budget.pk}-projects.csv")
    return response
