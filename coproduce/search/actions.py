"""Every write to the index. The apps' actions call these in their own transactions, so the index
changes with what it describes, or not at all.

- ``index_update(kind, keys)`` after anything changes one or a few things: a post, an edit, a
  moderation, an answer. It asks the kind's source again, stores what it gives and drops what it
  no longer gives (the thing is no longer public), then does the same for the things that are
  public only through these (the source's ``dependents``).
- ``index_service(service_id)`` when a service is published or taken back to draft: everything of
  that service, from every source.
- ``index_service_renamed`` when a service's name changes: every result of it shows the name.
- ``index_rebuild()`` builds the whole index from the sources (``manage.py search_rebuild``, the
  demo, after a bulk import or a change that no action made).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from django.conf import settings
from django.db import transaction
from django.utils import translation

from coproduce.search import registry
from coproduce.search.models import Document
from coproduce.search.registry import Scope

BATCH = 500
MAX_TITLE = 300
MAX_TEXT = 20_000  # characters of a text the index holds: enough to find any thing by its words
_CONTROLS = dict.fromkeys((*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)), " ")
UPDATED_FIELDS = [
    "title",
    "title_cy",
    "body",
    "body_cy",
    "url",
    "service_id",
    "service_slug",
    "service_name",
    "service_name_cy",
    "date",
    "indexed_at",
]


def _batches(items: Iterable[Document]) -> Iterator[list[Document]]:
    iterator = iter(items)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _tidy(text: str, limit: int) -> str:
    return text.translate(_CONTROLS)[:limit].strip()


def _clean(document: Document) -> Document:
    """Text as the index keeps it: no control characters, long texts cut."""
    document.title = _tidy(document.title, MAX_TITLE)
    document.title_cy = _tidy(document.title_cy, MAX_TITLE)
    document.body = _tidy(document.body, MAX_TEXT)
    document.body_cy = _tidy(document.body_cy, MAX_TEXT)
    return document


def _store(documents: Iterable[Document]) -> set[tuple[str, int]]:
    """Insert or replace these documents; returns what was stored (kind, key).

    The sources run in the site's default language, whoever's request made the change: the English
    columns hold the English (a title a source builds with gettext, "Answers to …", too)."""
    stored: set[tuple[str, int]] = set()
    with translation.override(settings.LANGUAGE_CODE):
        for batch in _batches(documents):
            Document.objects.bulk_create(
                [_clean(document) for document in batch],
                update_conflicts=True,
                unique_fields=["kind", "key"],
                update_fields=UPDATED_FIELDS,
            )
            stored.update((document.kind, document.key) for document in batch)
    return stored


@transaction.atomic
def index_update(kind: str, keys: Iterable[int]) -> None:
    """Make the index hold exactly the public things of ``kind`` among ``keys``, then the things
    that are public only through them. Kinds no installed app registered are ignored."""
    if not registry.registered(kind):
        return
    source = registry.get_source(kind)
    wanted = sorted(set(keys))
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start : start + BATCH]
        stored = _store(source.documents(Scope(keys=batch)))
        gone = [key for key in batch if (kind, key) not in stored]
        if gone:
            Document.objects.filter(kind=kind, key__in=gone).delete()
        if source.dependents is not None:
            for other, other_keys in source.dependents(batch).items():
                index_update(other, other_keys)


@transaction.atomic
def index_service(service_id: int) -> int:
    """Index everything of one service afresh (all of it while it is published, none while it is a
    draft). Returns how many documents it now has."""
    Document.objects.filter(service_id=service_id).delete()
    return sum(
        len(_store(source.documents(Scope(service=service_id)))) for source in registry.sources()
    )


@transaction.atomic
def index_service_renamed(*, service_id: int, name: str, name_cy: str = "") -> None:
    """Show a service's new name with every result of it."""
    Document.objects.filter(service_id=service_id).update(
        service_name=name[:200], service_name_cy=name_cy[:200]
    )


@transaction.atomic
def index_rebuild() -> int:
    """Empty the index and build it again from every source. Returns how many documents it has."""
    Document.objects.all().delete()
    return sum(len(_store(source.documents(Scope()))) for source in registry.sources())
