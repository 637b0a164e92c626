"""The budgets' dataset on /data/: every published budget result, area by area, with the funded
projects, as CSV and JSON (docs/open-data.md). Each row links to the area's ballots as a
Pabulib file, so that anyone can count them again.

Only results staff have published (the results or delivery phase) of public activities of
published services. Rows are read in chunks and written out as they come.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.budgeting.models import Budget, Count, CountStatus, Phase
from coproduce.contributions.opendata import csv_stream, json_stream
from coproduce.services.models import Activity, Service
from coproduce.transparency.datasets import Dataset, Format, register_dataset, version_of

CODE = "participatory-budgets"
CHUNK = 100  # budgets at a time (each with its latest count)
PUBLISHED = (Phase.RESULTS, Phase.DELIVERY)


def published_budgets() -> QuerySet[Budget]:
    return (
        Budget.objects.filter(phase__in=PUBLISHED, activity__in=Activity.objects.public())
        .select_related("activity__service_stage__service")
        .order_by("pk")
    )


def _url(path: str) -> str:
    return str(settings.SITE_URL) + path


def budget_rows() -> Iterator[dict[str, Any]]:
    """One plain dict per published budget: its latest count, area by area."""
    for budget in published_budgets().iterator(chunk_size=CHUNK):
        count = budget.counts.filter(status=CountStatus.DONE).first()
        if count is None:
            continue
        export = _url(reverse("budgeting:export_pb", args=[budget.pk]))
        areas = count.result.get("areas", [])
        yield {
            "id": budget.pk,
            "url": _url(reverse("budgeting:results", args=[budget.pk])),
            "activity_id": budget.activity_id,
            "title": budget.activity.title,
            "service_id": budget.activity.service_stage.service_id,
            "service": budget.activity.service_stage.service.name,
            "currency": budget.currency,
            "ballot_type": budget.ballot_type,
            "rule": budget.rule,
            "method": count.method,
            "version": count.version,
            "counted_at": count.finished_at.isoformat() if count.finished_at else None,
            "ballots": count.ballot_count,
            "areas": [
                {
                    "area": area["name"],
                    "amount": area["amount"],
                    "ballots": area["ballots"],
                    "cost": area["cost"],
                    "left": area["left"],
                    "pabulib": f"{export}?area={area['area']}" if len(areas) > 1 else export,
                    "funded": [
                        {
                            "reference": project["reference"],
                            "title": project["title"],
                            "cost": project["cost"],
                            "votes": project["votes"],
                        }
                        for project in area["projects"]
                        if project["funded"]
                    ],
                }
                for area in areas
            ],
        }


CSV_FIELDS = [
    "budget_id",
    "url",
    "activity_id",
    "title",
    "service_id",
    "service",
    "area",
    "amount",
    "currency",
    "ballot_type",
    "rule",
    "method",
    "version",
    "counted_at",
    "ballots",
    "cost",
    "left",
    "funded",
    "pabulib",
]


def _csv_rows() -> Iterator[list[Any]]:
    """One row per area of each budget; the funded projects' references separated by spaces."""
    for row in budget_rows():
        for area in row["areas"]:
            yield [
                row["id"],
                row["url"],
                row["activity_id"],
                row["title"],
                row["service_id"],
                row["service"],
                area["area"],
                area["amount"],
                row["currency"],
                row["ballot_type"],
                row["rule"],
                row["method"],
                row["version"],
                row["counted_at"],
                area["ballots"],
                area["cost"],
                area["left"],
                " ".join(project["reference"] for project in area["funded"]),
                area["pabulib"],
            ]


def budgets_csv() -> Iterator[str]:
    return csv_stream(CSV_FIELDS, _csv_rows())


def budgets_json() -> Iterator[str]:
    return json_stream(budget_rows())


def budgets_version() -> str:
    """What changes the file: a count finishing, a result published, services and activities."""
    done = Count.objects.filter(status=CountStatus.DONE)
    return version_of(
        done.count(),
        done.aggregate(latest=Max("finished_at"))["latest"],
        Budget.objects.filter(phase__in=PUBLISHED).count(),
        Service.objects.aggregate(latest=Max("updated_at"))["latest"],
        Activity.objects.aggregate(latest=Max("updated_at"))["latest"],
    )


def budgets_updated() -> dt.datetime | None:
    latest: dt.datetime | None = Count.objects.filter(
        status=CountStatus.DONE, budget__in=published_budgets()
    ).aggregate(latest=Max("finished_at"))["latest"]
    return latest


def register() -> None:
    register_dataset(
        Dataset(
            code=CODE,
            title=_("Participatory budgets"),
            description=_(
                "The published result of every participatory budget: for each area, its money, "
                "the number of ballots, the counting rule and the projects funded, with a link "
                "to the anonymised ballots as a Pabulib file to count them again."
            ),
            formats=(
                Format("csv", "CSV", "text/csv", budgets_csv),
                Format("json", "JSON", "application/json", budgets_json),
            ),
            version=budgets_version,
            last_updated=budgets_updated,
            order=40,
        )
    )
