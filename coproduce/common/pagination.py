"""Pagination that never fails on a bad page number."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items: Any, per_page: int | None = None) -> Page[Any]:
    """Return the requested page; out-of-range or nonsense numbers give the nearest real page."""
    paginator = Paginator(items, per_page or settings.COPRODUCE_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))
