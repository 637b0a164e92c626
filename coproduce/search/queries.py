"""Searching the index: what matches, in which order, with how many of each kind and service.

``search`` asks the database for the newest ``WINDOW`` documents that match, of the kinds and the
service chosen (``backends``), then counts, orders by relevance and loads one page at a time, in
Python, the same way for both databases. A search that matches more than ``WINDOW`` documents is too general to rank them all
quickly; the page says so and asks for more words (docs/decisions/0023-search.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from coproduce.search import backends, registry
from coproduce.search.highlight import excerpt, has_match, highlight
from coproduce.search.models import Document
from coproduce.search.text import Query, parse

WINDOW = 5_000  # the newest matches a search ranks (docs/performance.md: what it costs)


@dataclass(frozen=True)
class Choice:
    """One choice of a filter, with how many results it would show."""

    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Hit:
    """One result, ready to show: its title and an excerpt with the matches marked."""

    kind: str
    kind_label: str
    key: int  # the thing's own key (an idea's, a service's …)
    url: str
    text: str  # the title as plain text
    title: SafeString  # the title, escaped, with the matches in <mark>
    excerpt: SafeString
    service_slug: str
    service: SafeString  # the service's name; empty on the service's own result
    service_name: str  # the service's name as plain text, on every result
    date: dt.date | None


def _language() -> str:
    return (get_language() or "en").split("-")[0].lower()


def _in(language: str, english: str, welsh: str) -> tuple[str, str]:
    """The text in the page's language, or in English; and the language it is in."""
    if language == "cy" and welsh.strip():
        return welsh, "cy"
    return english, "en"


def _lang(html: SafeString, language: str, page: str) -> SafeString:
    """Text in another language than the page's is marked with its own (WCAG 3.1.2)."""
    if language == page or not html:
        return html
    return format_html('<span lang="{}">{}</span>', language, html)


def hit(document: Document, query: Query, *, language: str | None = None) -> Hit:
    """A document as a result, in the page's language where it has it (with the other language's
    text when only that matches)."""
    page = language or _language()
    source = registry.get_source(document.kind) if registry.registered(document.kind) else None
    title, title_language = _in(page, document.title, document.title_cy)
    texts = [_in(page, document.body, document.body_cy)]
    other = (document.body_cy, "cy") if texts[0][1] == "en" else (document.body, "en")
    if other[0].strip() and not has_match(texts[0][0], query) and has_match(other[0], query):
        texts = [other]
    text, text_language = texts[0]
    bilingual = source is not None and source.bilingual
    service_name, service_language = _in(page, document.service_name, document.service_name_cy)
    service = "" if service_name == title else service_name
    return Hit(
        kind=document.kind,
        kind_label=str(source.label) if source else document.kind,
        key=document.key,
        url=document.url,
        text=title,
        title=_lang(highlight(title, query), title_language if bilingual else page, page),
        excerpt=_lang(excerpt(text, query), text_language if bilingual else page, page),
        service_slug=document.service_slug,
        service=_lang(format_html("{}", service), service_language, page),
        service_name=service_name,
        date=document.date,
    )


class Results:
    """What one search found: the ranked keys, counts by kind and by service, and its pages
    (a source for Paginator and the API's pagination, like ``common.pagination.KeysFirst``)."""

    ordered = True

    def __init__(
        self,
        query: Query,
        keys: list[int],
        *,
        kinds: list[Choice],
        services: list[Choice],
        more: bool,
    ) -> None:
        self.query = query
        self.keys = keys
        self.kinds = kinds  # every kind the search finds, with its matches
        self.services = services  # the services with matches, by name
        self.more = more  # more than WINDOW documents matched: only the newest were ranked

    def count(self) -> int:
        return len(self.keys)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Hit]:
        keys = self.keys[index]
        loaded = Document.objects.in_bulk(keys)
        language = _language()
        return [hit(loaded[key], self.query, language=language) for key in keys if key in loaded]


def _service_names(keys: dict[str, int], page: str) -> dict[str, str]:
    """The name of each service (slug → name in the page's language), from one of its documents."""
    rows = Document.objects.filter(pk__in=keys.values()).values_list(
        "service_slug", "service_name", "service_name_cy"
    )
    return {slug: _in(page, english, welsh)[0] for slug, english, welsh in rows}


def search(text: str | Query, *, kinds: Collection[str] = (), service: str = "") -> Results:
    """Every public document that matches ``text`` (of these kinds and this service, when given),
    most relevant first; ties newest first."""
    query = text if isinstance(text, Query) else parse(text)
    wanted = set(kinds)
    kept = backends.candidates(query, limit=WINDOW + 1, kinds=wanted, service=service)
    more = len(kept) > WINDOW
    if more:
        kept = sorted(kept, key=lambda row: row.key, reverse=True)[:WINDOW]
    # The filters' counts: what each other choice would find. Filtered, that is another query.
    found = kept
    if wanted or service:
        found = backends.candidates(query, limit=WINDOW + 1)
        found = sorted(found, key=lambda row: row.key, reverse=True)[:WINDOW]
    by_kind: Counter[str] = Counter()
    by_service: Counter[str] = Counter()
    one_of: dict[str, int] = {}
    for row in found:
        kind_ok = not wanted or row.kind in wanted
        service_ok = not service or row.service_slug == service
        if service_ok:
            by_kind[row.kind] += 1
        if kind_ok and row.service_slug:
            by_service[row.service_slug] += 1
            one_of.setdefault(row.service_slug, row.key)
    if not more:  # exact: what the filters chose, all of it
        for kind in wanted:
            by_kind[kind] = sum(1 for row in kept if row.kind == kind)
        if service:
            by_service[service] = len(kept)
    kept = sorted(kept, key=lambda row: (-row.score, -row.key))
    page = _language()
    kind_choices = sorted(
        (Choice(s.kind, str(s.plural), by_kind[s.kind]) for s in registry.sources()),
        key=lambda choice: choice.label,
    )
    if service and service not in one_of:  # chosen, but nothing of it matches: still offered
        chosen = Document.objects.filter(service_slug=service).values_list("pk", flat=True)
        for pk in chosen[:1]:
            one_of[service] = pk
    names = _service_names(one_of, page)
    service_choices = sorted(
        (Choice(slug, names[slug], by_service[slug]) for slug in names),
        key=lambda choice: (choice.label.lower(), choice.value),
    )
    return Results(
        query,
        [row.key for row in kept],
        kinds=kind_choices,
        services=service_choices,
        more=more,
    )
