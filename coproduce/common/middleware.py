"""Site-wide middleware."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from coproduce.common.views import request_too_large


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
