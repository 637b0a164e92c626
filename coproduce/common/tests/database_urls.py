"""Views for test_database_unavailable and test_replica_router: each reads or breaks the database."""

from __future__ import annotations

import sqlite3

from django.contrib.auth.models import Group
from django.db import InterfaceError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path


def groups(request: HttpRequest) -> HttpResponse:
    """Names of the groups; ?atomic reads them in a transaction, ?write adds one first."""
    if "write" in request.GET:
        Group.objects.create(name=request.GET["write"])
    if "atomic" in request.GET:
        with transaction.atomic():
            names = list(Group.objects.values_list("name", flat=True))
    else:
        names = list(Group.objects.values_list("name", flat=True))
    return HttpResponse(",".join(sorted(names)))


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: refused")


def connection_closed(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("connection already closed")


def missing_table(request: HttpRequest) -> HttpResponse:
    """A bug, which SQLite reports as an OperationalError too (Django keeps the cause)."""
    try:
        sqlite3.connect(":memory:").execute("SELECT * FROM missing")
    except sqlite3.OperationalError as error:
        raise OperationalError(str(error)) from error
    return HttpResponse("unreachable")


def broken(request: HttpRequest) -> HttpResponse:
    raise ValueError("a bug, not the database")


urlpatterns = [
    path("groups/", groups),
    path("down/", database_down),
    path("api/down/", database_down),
    path("closed/", connection_closed),
    path("missing-table/", missing_table),
    path("broken/", broken),
]
