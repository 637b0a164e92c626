"""Views for test_pagecache: each renders a counter, so a test sees whether it ran."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from coproduce.common import pagecache

RENDERS = {"count": 0}


def probe(pk: int) -> tuple[Any, tuple[int, ...]] | None:
    return None if pk == 404 else (("state", pk), pagecache.versions([f"test.thing:{pk}"]))


def _page(request: HttpRequest, source: str) -> HttpResponse:
    RENDERS["count"] += 1
    template = engines["django"].from_string(source)
    return HttpResponse(template.render({"count": RENDERS["count"]}, request))


@pagecache.for_anonymous(probe=probe, params={"page"})
def plain(request: HttpRequest, pk: int) -> HttpResponse:
    if pk == 404:
        RENDERS["count"] += 1
        return HttpResponse("gone", status=404)
    return _page(request, "render {{ count }}")


@pagecache.for_anonymous(probe=probe, params=())
def with_csrf(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, "render {{ count }} {% csrf_token %}")


@pagecache.for_anonymous(probe=probe, params=())
def with_nonce(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, 'render {{ count }} <script nonce="{{ request.csp_nonce }}"></script>')


@pagecache.for_anonymous(probe=probe, params=())
def with_cookie(request: HttpRequest, pk: int) -> HttpResponse:
    response = _page(request, "render {{ count }}")
    response.set_cookie("seen", "yes")
    return response


def add_message(request: HttpRequest) -> HttpResponse:
    messages.info(request, "You have signed out.")
    return HttpResponse("ok")


urlpatterns = [
    path("plain/<id:pk>/", plain),
    path("csrf/<id:pk>/", with_csrf),
    path("nonce/<id:pk>/", with_nonce),
    path("cookie/<id:pk>/", with_cookie),
    path("message/", add_message),
]
