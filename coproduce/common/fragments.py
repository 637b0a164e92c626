"""Parts of a page that are the same for everyone who may see them, cached by the versions of
what they show, so that signed-in people's pages need not render them every time.

A fragment's key names what it shows and the versions it was made with: the ``PageVersion`` of
its scope (``pagecache.bump`` gives a scope a new one in the transaction of every write that
changes its pages) and of the site, the state of the rows above it, the language, and any
booleans about what the reader may do that change its markup (never who they are). A change
gives a new key, so an old fragment is never served again; fragments may be evicted at any time.

The versions of a row are read in the same statement as the row (``versioned``), and whatever a
fragment shows beyond the row is read after it, so a fragment is never stored under a version
newer than its content. A fragment is rendered without the request, the user, their permissions
or messages, and with a placeholder for the CSRF token that is put back when it is served; a
blank form's one-time token is stored as a placeholder too and each serving gets a fresh one: it
cannot hold anything personal, nor anything that must not be used twice.

Why and how: docs/decisions/0806-signed-in-fragment-cache.md.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from django.core.cache import BaseCache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import models
from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import translation

from coproduce.common import pagecache
from coproduce.common.forms import ONE_TIME_FIELD, new_form_token
from coproduce.common.models import PageVersion

# A stored fragment lives at most this long: versions keep fragments fresh, the lifetime frees space.
FRAGMENT_SECONDS = 3600
# What a fragment renders in place of the reader's CSRF token; put back when it is served. A
# person's own text cannot make this tag: it is escaped.
CSRF_PLACEHOLDER = "fragment-csrf-token"
_CSRF_INPUT = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
# A blank form in a fragment keeps this in place of its one-time token (common.forms.OneTimeForm),
# and each time the fragment is served every one gets a fresh token, so no two pages share one.
ONE_TIME_PLACEHOLDER = "fragment-one-time-token"
# The value of a one-time token's hidden input, as the form renders it (with or without a prefix).
# A person's own text cannot make it: its quotes are escaped.
_ONE_TIME_VALUE = re.compile(rf'(name="(?:[\w-]+-)?{ONE_TIME_FIELD}" value=")[^"]*(")')
# Names a fragment's template may not read: they belong to one request.
PERSONAL = ("request", "user", "perms", "messages")

recent = pagecache.Recent(size=4096)


def versioned(rows: QuerySet[Any, Any]) -> QuerySet[Any, Any]:
    """The rows, each with the version of its own scope (``fragment_version``) and of the site
    (``fragment_site``), read in the same statement as the rows."""
    model: type[models.Model] = rows.model
    prefix = pagecache.scope(model, "")
    return rows.annotate(
        fragment_version=Subquery(
            PageVersion.objects.filter(
                scope=Concat(Value(prefix), Cast(OuterRef("pk"), output_field=CharField()))
            ).values("token")[:1]
        ),
        fragment_site=Subquery(
            PageVersion.objects.filter(scope=pagecache.SITE).values("token")[:1]
        ),
    )


def versions_of(row: models.Model) -> tuple[int, int]:
    """A row's versions as ``versioned`` read them (0 for a scope no write has touched yet)."""
    return (getattr(row, "fragment_version", None) or 0, getattr(row, "fragment_site", None) or 0)


def key(name: str, *parts: Any) -> str:
    """The cache key of the fragment ``name`` made from these parts, in the current language."""
    text = "\n".join([name, translation.get_language() or "", *map(repr, parts)])
    return "fragments:" + hashlib.sha256(text.encode()).hexdigest()


def _shared() -> BaseCache | None:
    """The cache processes share fragments through; None when it is the database cache: storing
    a fragment there costs three queries, more than rendering it, so each process keeps its own."""
    backend = caches["default"]
    return None if isinstance(backend, DatabaseCache) else backend


class Fragments:
    """The fragments one page may show, looked up together: this process's recent ones first,
    then the shared cache in one request. Those missing are rendered and kept (``put``), and
    stored in the shared cache together once the page is made (``save``)."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.found: dict[str, str] = {}
        self.made: dict[str, str] = {}
        self.shared = _shared()
        self.fetch(keys)

    def fetch(self, keys: Iterable[str]) -> None:
        """Look up more fragments, such as those of a part that was not found."""
        missing = []
        for wanted in dict.fromkeys(keys):
            html = recent.get(wanted)
            if html is None:
                missing.append(wanted)
            else:
                self.found[wanted] = html
        if missing and self.shared is not None:
            for found_key, html in self.shared.get_many(missing).items():
                recent.put(found_key, html)
                self.found[found_key] = html

    def get(self, wanted: str) -> str | None:
        return self.found.get(wanted)

    def put(self, made: str, html: str) -> None:
        self.found[made] = html
        self.made[made] = html
        recent.put(made, html)

    def save(self) -> None:
        """Store the fragments this page rendered in the shared cache, in one request."""
        if self.made and self.shared is not None:
            self.shared.set_many(self.made, FRAGMENT_SECONDS)
        self.made = {}


def with_csrf(html: str, token: str) -> str:
    """A stored fragment with the reader's CSRF token in place of the placeholder."""
    placeholder = _CSRF_INPUT.format(CSRF_PLACEHOLDER)
    if placeholder not in html:
        return html
    return html.replace(placeholder, _CSRF_INPUT.format(token))


def without_one_time_tokens(html: str) -> str:
    """A fragment about to be stored, with its forms' one-time tokens left out."""
    return _ONE_TIME_VALUE.sub(rf"\g<1>{ONE_TIME_PLACEHOLDER}\g<2>", html)


def with_one_time_tokens(html: str) -> str:
    """A stored fragment with a fresh one-time token in each of its forms."""
    placeholder = f'value="{ONE_TIME_PLACEHOLDER}"'
    if placeholder not in html:
        return html
    parts = html.split(placeholder)
    fresh = [f'value="{new_form_token()}"' for _ in parts[1:]]
    return "".join(part + token for part, token in zip(parts, [*fresh, ""], strict=True))


def forget() -> None:
    """Drop this process's fragments (the shared cache is pagecache.forget's): for tests."""
    recent.clear()
