"""Pagination that never fails on a bad page number."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from coproduce.common.pagecache import Recent


def paginate(request: HttpRequest, items: Any, per_page: int | None = None) -> Page[Any]:
    """Return the requested page; out-of-range or nonsense numbers give the nearest real page."""
    paginator = Paginator(items, per_page or settings.COPRODUCE_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


class InBulk(Protocol):
    """Full rows by their keys: a queryset, or a prepared one (``prepared.Bulk``)."""

    def in_bulk(self, id_list: list[Any]) -> dict[Any, Any]: ...


class Countable(Protocol):
    """What counts a list's rows: a queryset, or anything else with ``count()``."""

    def count(self) -> int: ...


class KeysFirst:
    """A page source for Paginator (and the API's pagination): order and count a narrow query of
    keys, then load one page of full rows.

    Sorting 10,000 ideas with every column a list shows is slow on SQLite; sorting their keys is
    not (docs/decisions/0702-codesign-idea-list-indexes.md).

    With ``versions``, a key naming the list and the versions of everything its keys and count
    depend on (read before them), the count and each page's keys are kept by this process under it
    (``remembered``) and not read again while those versions stand
    (docs/decisions/0926-idea-list-keys-remembered.md).
    """

    ordered = True  # Paginator warns about unordered lists; the keys query is always ordered

    def __init__(
        self,
        keys: QuerySet[Any],
        rows: InBulk,
        counted: Countable | None = None,
        *,
        versions: str | None = None,
    ) -> None:
        self.keys = keys
        self.rows = rows
        self.counted = keys if counted is None else counted
        self.versions = versions

    def _remembered(self, part: str, read: Callable[[], Any]) -> Any:
        if self.versions is None:
            return read()
        name = f"{self.versions}:{part}"
        found = remembered.get(name)
        if found is None:
            found = read()
            remembered.put(name, found)
        return found

    def count(self) -> int:
        counted: int = self._remembered("count", self.counted.count)
        return counted

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Any]:
        ids: Sequence[Any] = self._remembered(
            f"{index.start}:{index.stop}",
            lambda: tuple(self.keys.values_list("pk", flat=True)[index]),
        )
        loaded = self.rows.in_bulk(list(ids))
        return [loaded[pk] for pk in ids if pk in loaded]


# The counts and page keys of lists this process read last, by the versions they were read at.
remembered = Recent(size=1024)


def forget() -> None:
    """Drop this process's remembered counts and keys: for tests."""
    remembered.clear()


class Chain:
    """A page source for Paginator: several querysets one after the other, as one list.

    Each part is a queryset (in a stable order) and a function that shapes one of its rows; a
    page counts every part once and loads rows only from the parts it spans.
    """

    ordered = True

    def __init__(self, parts: Sequence[tuple[QuerySet[Any], Callable[[Any], Any]]]) -> None:
        self.parts = parts
        self._counts: list[int] | None = None

    def counts(self) -> list[int]:
        if self._counts is None:
            self._counts = [rows.count() for rows, _shape in self.parts]
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Any]:
        start = index.start or 0
        stop = self.count() if index.stop is None else index.stop
        found: list[Any] = []
        offset = 0
        for (rows, shape), size in zip(self.parts, self.counts(), strict=True):
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                found.extend(shape(row) for row in rows[low:high])
            offset += size
            if offset >= stop:
                break
        return found
