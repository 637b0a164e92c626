"""Open-data exports of an activity's contributions and responses (CSV and JSON).

Only published contributions are exported. Authors are anonymised unless they chose to be shown
by their full name. CSV cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch

from coproduce.contributions.kinds import export_prefetches
from coproduce.contributions.models import Contribution, Decision, Response
from coproduce.services.models import Activity

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FIELDS = [
    "id",
    "kind",
    "created_at",
    "author",
    "title",
    "text",
    "status",
    "supports",
    "responses",
    "decisions",
]


def safe_cell(value: Any) -> str:
    """Text for a CSV cell that spreadsheets will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def rows(activity: Activity) -> Iterator[dict[str, Any]]:
    """One plain dict per published contribution of the activity, oldest first."""
    contributions = (
        Contribution.objects.filter(activity=activity)
        .published()
        .with_details()
        .prefetch_related(
            Prefetch("responses", queryset=Response.objects.order_by("created_at")),
            Prefetch("decisions", queryset=Decision.objects.order_by("decided_on")),
            *export_prefetches(),
        )
        .order_by("created_at", "id")
    )
    for contribution in contributions.iterator(chunk_size=500):
        kind = contribution.kind_spec
        yield {
            "id": contribution.pk,
            "kind": contribution.kind,
            "created_at": contribution.created_at.isoformat(),
            "author": contribution.open_data_author,
            "title": contribution.title,
            "text": kind.text(contribution),
            "status": contribution.status,
            "supports": kind.supports(contribution) if kind.supports is not None else None,
            "responses": [
                {"created_at": r.created_at.isoformat(), "body": r.body}
                for r in contribution.responses.all()
            ],
            "decisions": [
                {
                    "title": d.title,
                    "decided_on": d.decided_on.isoformat(),
                    "decided_by": d.decided_by,
                }
                for d in contribution.decisions.all()
            ],
        }


def as_csv(activity: Activity) -> str:
    """The export as CSV text: responses and decisions joined into one cell each."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FIELDS)
    for row in rows(activity):
        writer.writerow(
            safe_cell(value)
            for value in [
                row["id"],
                row["kind"],
                row["created_at"],
                row["author"],
                row["title"],
                row["text"],
                row["status"],
                row["supports"],
                " | ".join(f"{r['created_at'][:10]}: {r['body']}" for r in row["responses"]),
                " | ".join(f"{d['decided_on']}: {d['title']}" for d in row["decisions"]),
            ]
        )
    return buffer.getvalue()
