"""The ZIP of one person's data: for each export with rows, a JSON file and a CSV file, and a
README.txt in plain English that says what each file is (decision 0097).

Columns that point at a person say "you" when it is this person and are empty otherwise: other
people are never named, not even by their number. Columns that point at anything else hold its
reference number; a service, activity, organisation or idea also gets its name beside it.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise

from coproduce.accounts.models import User
from coproduce.contributions.opendata import csv_stream, json_stream
from coproduce.privacy.registry import Export, exports

YOU = "you"
# Targets of a ForeignKey whose name goes beside their number (all public names).
NAMED = {
    "services.Service",
    "services.Activity",
    "organisations.Organisation",
    "codesign.Idea",
}


@dataclass(frozen=True)
class Part:
    """One export's rows for the person, ready to write."""

    export: Export
    columns: list[str]
    rows: list[dict[str, Any]]


def plain(value: Any) -> Any:
    """A value JSON can hold: dates and times as ISO 8601 text, decimals as text."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID | Promise):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [plain(item) for item in value]
    return value


def cell(value: Any) -> Any:
    """A value for a CSV cell: nothing as empty, yes/no, lists and objects as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def queryset(export: Export, user: User, built: Mapping[str, QuerySet[Any]]) -> QuerySet[Any]:
    """The person's rows of a generic export (``built``: the querysets of the exports before)."""
    model = export.model_class()
    assert model is not None
    manager = model._base_manager
    if export.parent is not None:
        parent, lookup = export.parent
        return manager.filter(**{f"{lookup}__in": built[parent].values("pk")}).order_by("pk")
    condition = Q()
    for name in export.via:
        condition |= Q(**{name: user.pk})
    many = any(name != "pk" and model._meta.get_field(name).many_to_many for name in export.via)
    found = manager.filter(condition).order_by("pk")
    return found.distinct() if many else found


def fields_of(export: Export, model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The concrete fields the export gives, in the model's order."""
    fields = list(model._meta.concrete_fields)
    if export.only:
        fields = [found for found in fields if found.name in export.only]
    return [found for found in fields if found.name not in export.exclude]


def generic_rows(export: Export, user: User, found: QuerySet[Any]) -> Iterator[dict[str, Any]]:
    """One dict per row: person columns as "you" or empty, other links as numbers (and names)."""
    model = found.model
    user_model = type(user)
    fields = fields_of(export, model)
    named = [
        found_field.name
        for found_field in fields
        if found_field.is_relation
        and found_field.related_model is not None
        and found_field.related_model is not user_model
        and found_field.related_model._meta.label in NAMED
    ]
    for obj in found.select_related(*named).iterator(chunk_size=500):
        row: dict[str, Any] = {}
        for found_field in fields:
            value = getattr(obj, found_field.attname)
            if found_field.is_relation and found_field.related_model is user_model:
                row[found_field.name] = YOU if value == user.pk else None
                continue
            if isinstance(found_field, models.FileField):
                value = value.name if value else ""
            row[found_field.name] = plain(value)
            if found_field.name in named:
                related = getattr(obj, found_field.name)
                row[f"{found_field.name}_name"] = str(related) if related is not None else None
        if export.extra_columns is not None:
            row.update({key: plain(value) for key, value in export.extra_columns(obj).items()})
        yield row


def collect(user: User, chosen: Iterable[Export] | None = None) -> list[Part]:
    """Every export's rows for the person; exports with no rows are left out."""
    parts = []
    built: dict[str, QuerySet[Any]] = {}
    for export in chosen if chosen is not None else exports():
        if export.rows is not None:
            rows = [
                {str(key): plain(value) for key, value in row.items()} for row in export.rows(user)
            ]
        else:
            found = queryset(export, user, built)
            built[export.name] = found
            rows = list(generic_rows(export, user, found))
        if not rows:
            continue
        columns: dict[str, None] = {}
        for row in rows:
            columns.update(dict.fromkeys(row))
        parts.append(Part(export, list(columns), rows))
    return parts


def write_zip(target: IO[bytes], user: User, parts: list[Part], *, made_at: dt.datetime) -> None:
    """Write the ZIP: README.txt first, then ``<name>.json`` and ``<name>.csv`` per part."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(user, parts, made_at=made_at))
        for part in parts:
            with archive.open(f"{part.export.name}.json", "w") as handle:
                for text in json_stream(part.rows):
                    handle.write(text.encode())
            with archive.open(f"{part.export.name}.csv", "w") as handle:
                lines = csv_stream(
                    part.columns,
                    ([cell(row.get(name)) for name in part.columns] for row in part.rows),
                )
                for text in lines:
                    handle.write(text.encode())


def readme(user: User, parts: list[Part], *, made_at: dt.datetime) -> str:
    """README.txt, in the language the person's emails are in."""
    return render_to_string(
        "privacy/export/readme.txt",
        {
            "user": user,
            "parts": [
                {"name": part.export.name, "about": part.export.about, "count": len(part.rows)}
                for part in parts
            ],
            "made_at": timezone.localtime(made_at),
            "site_url": settings.SITE_URL,
            "privacy_url": settings.SITE_URL + reverse("common:privacy"),
        },
    )
