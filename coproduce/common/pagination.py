"""Pagination that never fails on a bad page number."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, items: Any, per_page: int | None = None) -> Page[Any]:
    """Return the requested page; out-of-range or nonsense numbers give the nearest real page."""
    paginator = Paginator(items, per_page or settings.COPRODUCE_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


class KeysFirst:
    """A page source for Paginator (and the API's pagination): order and count a narrow query of
    keys, then load one page of full rows.

    Sorting 10,000 ideas with every column a list shows is slow on SQLite; sorting their keys is
    not (docs/decisions/0702-codesign-idea-list-indexes.md).
    """

    ordered = True  # Paginator warns about unordered lists; the keys query is always ordered

    def __init__(
        self, keys: QuerySet[Any], rows: QuerySet[Any], counted: QuerySet[Any] | None = None
    ) -> None:
        self.keys = keys
        self.rows = rows
        self.counted = keys if counted is None else counted

    def count(self) -> int:
        return self.counted.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Any]:
        ids = list(self.keys.values_list("pk", flat=True)[index])
        loaded = self.rows.in_bulk(ids)
        return [loaded[pk] for pk in ids if pk in loaded]
