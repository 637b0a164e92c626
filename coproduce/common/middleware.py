"""Site-wide middleware."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import MiddlewareNotUsed, RequestDataTooBig
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from coproduce.common.dbrouters import REPLICA, replica_reads
from coproduce.common.views import request_too_large

logger = logging.getLogger(__name__)

# How long a client should wait before it tries again: a PostgreSQL restart takes seconds.
RETRY_AFTER_SECONDS = 30
# The API's own address: its clients get the 503 in the API's error shape ({"detail": …}).
API_PREFIX = "/api/"
# SQLite says "operational error" for mistakes in SQL too ("no such table"): only these are a
# database that is busy or unreachable for a moment, not a bug.
SQLITE_UNAVAILABLE = (
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_CANTOPEN",
    "SQLITE_IOERR",
    "SQLITE_FULL",
)
SQLITE_UNAVAILABLE_MESSAGES = (  # the same, for an error that carries no code
    "database is locked",
    "database table is locked",
    "unable to open database file",
    "disk I/O error",
    "database or disk is full",
)


class RequestTooLargeMiddleware:
    """A form over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) gets the site's 413 page.

    Django refuses such a form when it is first read, by ``CsrfViewMiddleware`` (listed after this
    one), and answers with the 400 page, or with DEBUG on (the demo) its own debug page. This
    reads the form first. Views exempt from CSRF (the API) read their own bodies and answer for
    themselves (``api.too_large``: a JSON 413).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method != "POST" or getattr(view, "csrf_exempt", False):
            return None
        try:
            request.POST  # noqa: B018 - reads and parses the form, as CsrfViewMiddleware would
        except RequestDataTooBig:
            request._mark_post_parse_error()  # type: ignore[attr-defined]
            return request_too_large(request)
        return None


def database_unavailable(exception: BaseException) -> bool:
    """Whether an error means the database cannot answer now (down, restarting, busy), not a bug.

    Every PostgreSQL ``OperationalError`` is about the server's state (connection lost, shut down,
    too many connections, a lock or statement timeout); its mistakes in SQL are ``ProgrammingError``.
    SQLite raises ``OperationalError`` for both, so only its busy and unreachable codes count.
    """
    if isinstance(exception, InterfaceError):
        return True
    if not isinstance(exception, OperationalError):
        return False
    cause = exception.__cause__
    if isinstance(cause, sqlite3.Error):
        name = getattr(cause, "sqlite_errorname", "") or ""
        message = str(cause)
        return name.startswith(SQLITE_UNAVAILABLE) or any(
            words in message for words in SQLITE_UNAVAILABLE_MESSAGES
        )
    return True


class DatabaseUnavailableMiddleware:
    """The database down or restarting: 503 with ``Retry-After``, a page (JSON under /api/), not a 500.

    Nothing more is needed to recover: Django drops a connection that failed when the request ends
    and checks a kept one before the next request uses it (CONN_HEALTH_CHECKS), so each process
    reconnects by itself once the database is back (docs/decisions/0920-database-unavailable.md).
    Errors raised outside a view (by another middleware) reach ``common.views.server_error``,
    which answers with the same 503.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_unavailable(exception):
            return None
        logger.warning(
            "Database unavailable for %s %s: %s", request.method, request.path, exception
        )
        return database_unavailable_response(request)


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 itself, made without the database: no context processors, no signed-in user."""
    response: HttpResponse
    if request.path_info.startswith(API_PREFIX):
        detail = "The service cannot reach its database at the moment. Try again in a minute."
        response = JsonResponse({"detail": detail}, status=503)
    else:
        context = {"sent_form": request.method not in ("GET", "HEAD", "OPTIONS")}
        response = HttpResponse(render_to_string("errors/503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class ReplicaReadsMiddleware:
    """Anonymous visitors' GET and HEAD pages read from the replica (DATABASE_REPLICA_URL).

    Anonymous means no session cookie, no API token and no message waiting: deciding costs no
    query, and anyone who may have just written something reads from "default", so they see it
    (docs/decisions/0922-read-replica.md). Without a replica Django leaves this middleware out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        if REPLICA not in connections.settings:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        anonymous = (
            settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            # A message waiting: the page after a form this visitor just sent shows what it saved.
            and CookieStorage.cookie_name not in request.COOKIES
        )
        if request.method in ("GET", "HEAD") and anonymous:
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)
