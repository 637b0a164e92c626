"""Documents in the index, written directly as an app's source would write them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from coproduce.search.models import Document

_keys = iter(range(1, 1_000_000))


def document(**fields: Any) -> Document:
    """A document in the index, written as an app's source would (the triggers run)."""
    key = next(_keys)
    values: dict[str, Any] = {
        "kind": "note",
        "key": key,
        "title": f"Note {key}",
        "url": f"/notes/{key}/",
        "service_id": 1,
        "service_slug": "recovery",
        "service_name": "Recovery service",
        "date": dt.date(2026, 3, 1),
    }
    return Document.objects.create(**(values | fields))
