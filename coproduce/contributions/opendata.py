"""The spine's datasets on /data/: decisions, and "You said, we did" (what people said that got an
official answer, and what was done), each as CSV and JSON (docs/open-data.md, decision 0028).

Only public things: decisions of published services; published contributions of public
activities of published services. Authors as in the activity exports (decision 0014). Rows are
read in chunks and written out as they come.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from coproduce.contributions.exports import safe_cell
from coproduce.contributions.kinds import export_prefetches
from coproduce.contributions.ledger import DECISION
from coproduce.contributions.models import Contribution, Decision, Response, StatusChange
from coproduce.services.models import Activity, Service, ServiceStatus
from coproduce.transparency.datasets import Dataset, Format, register_dataset, version_of
from coproduce.transparency.models import LedgerEntry

CHUNK = 500


class _Echo:
    """A file that hands back what is written to it: csv.writer then yields one line at a time."""

    def write(self, value: str) -> str:
        return value


def csv_stream(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """CSV text, a line at a time, every cell made safe from spreadsheet formulas."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


def json_stream(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A JSON array, an item at a time."""
    yield "["
    for number, item in enumerate(items):
        yield ("," if number else "") + "\n" + json.dumps(item, ensure_ascii=False)
    yield "\n]\n"


def _url(path: str) -> str:
    return settings.SITE_URL + path


def _latest(queryset: QuerySet[Any], field: str) -> dt.datetime | None:
    value: dt.datetime | None = queryset.aggregate(latest=Max(field))["latest"]
    return value


# --- Decisions ---------------------------------------------------------------------------------


def public_decisions() -> QuerySet[Decision]:
    return (
        Decision.objects.filter(service__status=ServiceStatus.PUBLISHED)
        .select_related("service__organisation")
        .prefetch_related(
            Prefetch(
                "contributions",
                queryset=Contribution.objects.published().only("id").order_by("id"),
                to_attr="public_contributions",
            )
        )
        .order_by("id")
    )


def _ledger_entries(decisions: list[Decision]) -> dict[str, tuple[int, int]]:
    """Decision key → (its first ledger entry, its latest), for one chunk."""
    found: dict[str, tuple[int, int]] = {}
    entries = LedgerEntry.objects.filter(type=DECISION, key__in=[str(d.pk) for d in decisions])
    for key, seq in entries.order_by("seq").values_list("key", "seq"):
        first = found.get(key, (seq, seq))[0]
        found[key] = (first, seq)
    return found


def _chunks(queryset: QuerySet[Any]) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in queryset.iterator(chunk_size=CHUNK):
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def decision_rows() -> Iterator[dict[str, Any]]:
    """One plain dict per public decision, oldest record first."""
    for chunk in _chunks(public_decisions()):
        entries = _ledger_entries(chunk)
        for decision in chunk:
            first, latest = entries.get(str(decision.pk), (None, None))
            yield {
                "id": decision.pk,
                "url": _url(decision.get_absolute_url()),
                "service_id": decision.service_id,
                "service": decision.service.name,
                "organisation": decision.service.organisation.name,
                "cycle": decision.cycle,
                "stage": decision.stage,
                "title": decision.title,
                "description": decision.description,
                "title_cy": decision.title_cy,
                "description_cy": decision.description_cy,
                "decided_by": decision.decided_by,
                "decided_on": decision.decided_on.isoformat(),
                "ledger_entry": first,
                "ledger_latest_entry": latest,
                "contributions": [c.pk for c in decision.public_contributions],
            }


DECISION_FIELDS = [
    "id",
    "url",
    "service_id",
    "service",
    "organisation",
    "cycle",
    "stage",
    "title",
    "description",
    "title_cy",
    "description_cy",
    "decided_by",
    "decided_on",
    "ledger_entry",
    "ledger_latest_entry",
    "contributions",
]


def decisions_csv() -> Iterator[str]:
    return csv_stream(
        DECISION_FIELDS,
        (
            [*(row[f] for f in DECISION_FIELDS[:-1]), " ".join(map(str, row["contributions"]))]
            for row in decision_rows()
        ),
    )


def decisions_json() -> Iterator[str]:
    return json_stream(decision_rows())


def decisions_version() -> str:
    """Decisions change only through the ledger (recorded, corrected, linked); what is public
    changes with services and moderation."""
    return version_of(
        LedgerEntry.objects.count(),
        Decision.objects.count(),
        _latest(Service.objects.all(), "updated_at"),
        _latest(Contribution.objects.all(), "moderated_at"),
    )


def decisions_updated() -> dt.datetime | None:
    return _latest(Decision.objects.filter(service__status=ServiceStatus.PUBLISHED), "created_at")


# --- You said, we did --------------------------------------------------------------------------


def answered_contributions() -> QuerySet[Contribution]:
    """Published contributions of public activities that have an official answer."""
    return (
        Contribution.objects.filter(activity__in=Activity.objects.public())
        .answerable()
        .published()
        .filter(first_response_at__isnull=False)
        .with_details()
        .prefetch_related(
            Prefetch("responses", queryset=Response.objects.order_by("created_at", "id")),
            Prefetch("decisions", queryset=Decision.objects.order_by("decided_on", "id")),
            *export_prefetches(),
        )
        .order_by("id")
    )


def you_said_rows() -> Iterator[dict[str, Any]]:
    """One plain dict per answered contribution: what was said, and what was done."""
    for contribution in answered_contributions().iterator(chunk_size=CHUNK):
        kind = contribution.kind_spec
        activity = contribution.activity
        yield {
            "id": contribution.pk,
            "service_id": activity.service_stage.service_id,
            "service": activity.service_stage.service.name,
            "activity_id": activity.pk,
            "activity": activity.title,
            "kind": contribution.kind,
            "created_at": contribution.created_at.isoformat(),
            "author": contribution.open_data_author,
            "you_said": kind.text(contribution),
            "status": contribution.status,
            "we_did": [
                {"answered_at": r.created_at.isoformat(), "answer": r.body}
                for r in contribution.responses.all()
            ],
            "decisions": [
                {"id": d.pk, "title": d.title, "decided_on": d.decided_on.isoformat()}
                for d in contribution.decisions.all()
            ],
        }


YOU_SAID_FIELDS = [
    "id",
    "service_id",
    "service",
    "activity_id",
    "activity",
    "kind",
    "created_at",
    "author",
    "you_said",
    "status",
    "we_did",
    "decisions",
]


def _you_said_cells(row: dict[str, Any]) -> list[Any]:
    we_did = " | ".join(f"{r['answered_at'][:10]}: {r['answer']}" for r in row["we_did"])
    decisions = " | ".join(f"{d['id']}: {d['title']}" for d in row["decisions"])
    return [*(row[f] for f in YOU_SAID_FIELDS[:-2]), we_did, decisions]


def you_said_csv() -> Iterator[str]:
    return csv_stream(YOU_SAID_FIELDS, (_you_said_cells(row) for row in you_said_rows()))


def you_said_json() -> Iterator[str]:
    return json_stream(you_said_rows())


def you_said_version() -> str:
    everything = Contribution.objects.all()
    return version_of(
        everything.filter(first_response_at__isnull=False).count(),
        _latest(everything, "last_response_at"),
        _latest(everything, "moderated_at"),
        Response.objects.count(),
        StatusChange.objects.count(),
        LedgerEntry.objects.count(),
        _latest(Service.objects.all(), "updated_at"),
        _latest(Activity.objects.all(), "updated_at"),
    )


def you_said_updated() -> dt.datetime | None:
    return _latest(answered_contributions(), "last_response_at")


def _formats(
    csv_stream: Callable[[], Iterable[str]], json_stream: Callable[[], Iterable[str]]
) -> tuple[Format, Format]:
    return (
        Format("csv", "CSV", "text/csv", csv_stream),
        Format("json", "JSON", "application/json", json_stream),
    )


def register() -> None:
    register_dataset(
        Dataset(
            code="decisions",
            title=_("Decisions"),
            description=_(
                "Every decision recorded for a published service: what was decided and why, "
                "who decided and when, the contributions that informed it, and its entry in "
                "the public ledger."
            ),
            formats=_formats(decisions_csv, decisions_json),
            version=decisions_version,
            last_updated=decisions_updated,
            order=20,
        )
    )
    register_dataset(
        Dataset(
            code="you-said-we-did",
            title=_("You said, we did"),
            description=_(
                "What people said that got an official answer, the answers, and the decisions "
                "it informed. Names are shown only for people who chose to be named."
            ),
            formats=_formats(you_said_csv, you_said_json),
            version=you_said_version,
            last_updated=you_said_updated,
            order=30,
        )
    )
