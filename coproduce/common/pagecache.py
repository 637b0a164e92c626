"""Whole pages for anonymous visitors, served from the cache while what they show is unchanged.

A cached page is found by its address, its language and a *probe* of the object it is about (the
columns the rules for anonymous visitors read, and when the rows above it last changed), and is
served only while the *versions* of its scopes still equal the ones it was made with. A version is
a random token in the ``PageVersion`` table; every write that changes what a scope's pages show
gives the scope a new token in its own transaction (``bump``), so the new content and the new
version become visible together and the old page is never served again. Pages live in the cache
and may be evicted at any time; versions live in the database and cannot be.

Only pages that hold nothing personal are stored: anonymous GET requests with no messages waiting,
and only responses that set no cookie and used neither a CSRF token nor a CSP nonce. Signed-in
people always get a fresh render. Why and how: docs/decisions/0801-web-page-cache.md.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import zlib
from collections import OrderedDict
from collections.abc import Callable, Collection, Sequence
from functools import wraps
from threading import Lock
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.db import models
from django.db.models import QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation

from coproduce.common.models import PageVersion
from coproduce.common.prepared import KEY, Prepared

logger = logging.getLogger(__name__)

# Every cached page also carries the site-wide version: people's names and the admin's edits
# (see coproduce.common.apps) can change any page.
SITE = "site"
# A stored page lives at most this long: versions keep pages fresh, the lifetime frees space.
PAGE_SECONDS = 3600
# Query strings are part of the address; only short, plain values of the parameters the view
# reads are cached, so that nonsense addresses cannot fill the cache.
PLAIN_VALUE = re.compile(r"[\w-]{0,20}", re.ASCII)


def scope(model: type[models.Model] | models.Model, pk: Any) -> str:
    """The name of the pages about one object, e.g. ``services.activity:12``."""
    return f"{model._meta.label_lower}:{pk}"


def bump(*scopes: str) -> None:
    """Give these scopes new versions, in the current transaction: their cached pages are out of
    date from the moment the change commits. Call it from every write that changes what the
    scopes' pages show."""
    PageVersion.objects.bulk_create(
        [PageVersion(scope=name, token=secrets.randbits(63)) for name in dict.fromkeys(scopes)],
        update_conflicts=True,
        unique_fields=["scope"],
        update_fields=["token"],
    )


def versions(scopes: Sequence[str]) -> tuple[int, ...]:
    """The current version of each scope and of the site (0 for one no write has touched yet)."""
    names = [*scopes, SITE]
    found = dict(PageVersion.objects.filter(scope__in=names).values_list("scope", "token"))
    return tuple(found.get(name, 0) for name in names)


class Probe:
    """What a cached page depends on, in one prepared query: the state of the object it is about
    and the versions of its scopes (and of the site).

    ``rows(key)`` is a queryset of that one object; ``fields`` the columns of its state: those the
    rules for anonymous visitors read and that no version covers. ``scopes(key)`` names the page's
    scopes. Called with the URL's ``pk``, it returns ``(state, versions)``, or None when there is
    no such object.
    """

    def __init__(
        self,
        rows: Callable[[Any], QuerySet[Any, Any]],
        fields: Sequence[str],
        scopes: Callable[[Any], Sequence[str]],
    ) -> None:
        self.fields = list(fields)
        self.scopes = scopes
        count = len(scopes(KEY)) + 1
        self.query = Prepared(
            lambda key, *names: (
                rows(key)
                .annotate(
                    **{
                        f"pages_version_{n}": Subquery(
                            PageVersion.objects.filter(scope=name).values("token")[:1]
                        )
                        for n, name in enumerate(names)
                    }
                )
                .values_list(*self.fields, *(f"pages_version_{n}" for n in range(count)))
            ),
            KEY,
            *(f"(scope placeholder {n})" for n in range(count)),
        )

    def __call__(self, pk: Any) -> tuple[tuple[Any, ...], tuple[int, ...]] | None:
        found = self.query.rows(pk, *self.scopes(pk), SITE)
        if not found:
            return None
        row = found[0]
        width = len(self.fields)
        return tuple(row[:width]), tuple(version or 0 for version in row[width:])


class Recent:
    """The pages (or fragments: ``common.fragments``) this process stored or fetched last, so a
    hit need not ask the shared cache.

    Entries are checked against the versions like those from the shared cache; at most ``size``
    entries are kept, the least recently used dropped first. Pages are kept uncompressed (10-60
    KiB each: about 10 MiB per process), so a hit costs no decompression.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.pages: OrderedDict[str, Any] = OrderedDict()
        self.lock = Lock()

    def get(self, key: str) -> Any:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: str, page: Any) -> None:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


recent = Recent(size=256)


def forget() -> None:
    """Drop every stored page (this process's and the shared cache's): for tests."""
    recent.clear()
    cache.clear()


def _cacheable(request: HttpRequest, params: Collection[str]) -> bool:
    """An anonymous GET of plain parameters, with no message waiting to be shown."""
    if request.method != "GET" or request.user.is_authenticated:
        return False
    if getattr(request, "htmx", False):
        return False
    for name, values in request.GET.lists():
        if name not in params or len(values) != 1 or not PLAIN_VALUE.fullmatch(values[0]):
            return False
    return len(messages.get_messages(request)) == 0


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    """A complete 200 page that holds nothing belonging to this request alone."""
    if not isinstance(response, HttpResponse) or response.status_code != 200:
        return False
    session = getattr(request, "session", None)
    if response.cookies or (session is not None and session.modified):
        return False
    if "CSRF_COOKIE_NEEDS_UPDATE" in request.META or isinstance(
        getattr(request, "_csp_nonce", None), str
    ):
        # A template on this page asked for a CSRF token or a CSP nonce: storing it would hand
        # one visitor's token to the next. Serve it, and say so: it is a bug to fix.
        logger.warning("Not caching %s: the page used a CSRF token or CSP nonce", request.path)
        return False
    return True


def _page_key(request: HttpRequest, state: Any) -> str:
    address = f"{translation.get_language()}\n{request.get_full_path()}\n{state!r}"
    return "pages:page:" + hashlib.sha256(address.encode()).hexdigest()


Probed = tuple[Any, tuple[int, ...]] | None


def for_anonymous(
    *, probe: Callable[..., Probed], params: Collection[str]
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Serve the view's page to anonymous visitors from the cache while it is still current.

    ``probe(**url_kwargs)`` (usually a ``Probe``) returns the page's state and current versions,
    or None when there is no such object (the view then answers, with its 404). A page is stored
    only after the view itself (with its permission rule) made it, and served only while the
    state and the versions are the same, so the view's rule holds for every page served.
    ``params`` are the query parameters the page reads. Put it outside ``rule_required``.
    """

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
            if not _cacheable(request, params):
                return view(request, **kwargs)
            probed = probe(**kwargs)
            if probed is None:
                return view(request, **kwargs)
            # The versions were read before the view reads the content, so a page is never
            # stored under a version newer than what it shows.
            state, current = probed
            page_key = _page_key(request, state)
            # This process keeps its recent pages as they are sent; the shared cache compressed.
            page = recent.get(page_key)
            if page is None or page[0] != current:
                page = cache.get(page_key)
                if page is None or page[0] != current:
                    page = None
                else:
                    page = (page[0], zlib.decompress(page[1]), page[2])
                    recent.put(page_key, page)
            if page is not None:
                return HttpResponse(page[1], content_type=page[2])
            response = view(request, **kwargs)
            if _storable(request, response):
                assert isinstance(response, HttpResponse)
                content, content_type = response.content, response["Content-Type"]
                cache.set(
                    page_key, (current, zlib.compress(content, 1), content_type), PAGE_SECONDS
                )
                recent.put(page_key, (current, content, content_type))
            return response

        return wrapper

    return decorator


# --- Writes that do not go through an app's actions ------------------------------------------


def person_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """A person's name is shown with what they said, on pages of any challenge: a rename (through
    their profile or the admin) makes every cached page out of date. New accounts said nothing yet;
    saves that name their fields and leave out the name (signing in) change no page."""
    update_fields = kwargs.get("update_fields")
    if not (created or kwargs.get("raw")) and (update_fields is None or "name" in update_fields):
        bump(SITE)


def person_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    """What a deleted account said stays, as "Anonymous"."""
    bump(SITE)


def admin_changed(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """The Django admin edits rows without the apps' actions (it logs each change it makes)."""
    if created:
        bump(SITE)
