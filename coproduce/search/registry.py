"""What the site search finds: each app registers a source for each kind of thing it owns.

A source builds the index rows (``models.Document``, unsaved) of the public things of its kind, from
the app's ``AppConfig.ready()``::

    register_source(Source(kind="service", label=_("Service"), plural=_("Services"),
                           documents=service_documents))

``documents(scope)`` yields a row for every thing in the scope that anyone may see, and none for
the others: ``search.actions`` stores what it yields and drops the rest, so a source decides alone
what is public. ``dependents(keys)`` names the things of other sources that are public only
through these (the comments of an idea, the answers to a contribution), so that hiding one takes
the others out of the index too.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from coproduce.search.models import Document

Label = str | Promise
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    """Which things a source builds rows for: these keys, those of one service, or all."""

    keys: Collection[int] | None = None
    service: int | None = None

    def narrow(self, items: QuerySet[M], *, service: str) -> QuerySet[M]:
        """``items`` within the scope; ``service`` is the lookup from them to their service's key
        ("service_stage__service_id")."""
        if self.keys is not None:
            items = items.filter(pk__in=list(self.keys))
        if self.service is not None:
            items = items.filter(**{service: self.service})
        return items


@dataclass(frozen=True)
class Source:
    """One kind of thing the search finds, and how to build its rows."""

    kind: str  # stored in Document.kind; at most 32 characters
    label: Label  # "Idea": shown with each result
    plural: Label  # "Ideas": a choice of the filter
    documents: Callable[[Scope], Iterable[Document]]
    # Written in English with Welsh beside it (``title_cy``, ``body_cy``), so each text shown says
    # which language it is in; a resident's own words may be in either and say nothing.
    bilingual: bool = False
    # Kind → keys of the things that are public only while these are.
    dependents: Callable[[Sequence[int]], Mapping[str, Iterable[int]]] | None = None


_SOURCES: dict[str, Source] = {}


def register_source(source: Source) -> Source:
    """Register a source; each kind once (a second registration is a programming error)."""
    if source.kind in _SOURCES:
        raise ValueError(f"The search already has a source for {source.kind!r}.")
    if len(source.kind) > 32:
        raise ValueError(f"A search kind has at most 32 characters: {source.kind!r}.")
    _SOURCES[source.kind] = source
    return source


def get_source(kind: str) -> Source:
    """The registered source; LookupError for a kind no installed app registered."""
    try:
        return _SOURCES[kind]
    except KeyError:
        raise LookupError(f"No app registered the search kind {kind!r}.") from None


def registered(kind: str) -> bool:
    return kind in _SOURCES


def sources() -> list[Source]:
    return list(_SOURCES.values())


def unregister_source(kind: str) -> None:
    """Forget a source: for tests that register one of their own."""
    _SOURCES.pop(kind, None)
