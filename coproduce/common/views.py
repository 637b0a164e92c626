"""Site-wide pages: error pages, accessibility statement, privacy notice, health check, language."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import i18n
from django.views.decorators.http import require_http_methods

from coproduce.common.http import safe_next_url, written_text
from coproduce.common.mail import demo_emails_shown, sent_emails
from coproduce.common.permissions import anyone, rule_required


def _error(request: HttpRequest, template: str, status: int) -> HttpResponse:
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: the request could not be understood (413 when it was too large to read)."""
    if isinstance(exception, RequestDataTooBig):
        return request_too_large(request)
    return _error(request, "errors/400.html", 400)


def request_too_large(request: HttpRequest) -> HttpResponse:
    """413: a form over DATA_UPLOAD_MAX_MEMORY_SIZE (see ``middleware.RequestTooLargeMiddleware``)."""
    context = {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
    return render(request, "errors/413.html", context, status=413)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form with a stale CSRF token (CSRF_FAILURE_VIEW), showing back what was written.

    The token goes stale when the page was open for too long, or when the person signed in or out
    in another tab. The page shows the text of the form (never its secrets: ``written_text``), so
    that it can be copied into the form again. ``reason`` is for developers; Django logs it.
    """
    referer = request.META.get("HTTP_REFERER", "")
    back = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    context = {"written": written_text(request), "back_url": referer if back else ""}
    response = render(request, "errors/403_csrf.html", context, status=403)
    add_never_cache_headers(response)  # it holds what the person wrote
    return response


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: signed in, but not allowed to see this."""
    return _error(request, "errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: nothing at this address."""
    return _error(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered without context processors that could fail again; a database that cannot
    answer outside a view (a session saved after it went away) gets the 503 instead (0920)."""
    from coproduce.common.middleware import database_unavailable, database_unavailable_response

    error = sys.exc_info()[1]
    if error is not None and database_unavailable(error):
        return database_unavailable_response(request)
    return _error(request, "errors/500.html", 500)


@rule_required(anyone)
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement."""
    return render(request, "common/accessibility.html")


@rule_required(anyone)
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice, its periods read from the same settings that enforce them."""
    return render(
        request,
        "common/privacy.html",
        {
            "min_cell": settings.EQUALITY_MIN_CELL,
            "export_days": getattr(settings, "COPRODUCE_DATA_EXPORT_DAYS", 7),
            "unconfirmed_days": settings.COPRODUCE_UNCONFIRMED_ANSWER_DAYS,
            "inactive_days": settings.COPRODUCE_INACTIVE_ACCOUNT_DAYS,
            "token_days": settings.COPRODUCE_API_TOKEN_TTL_DAYS,
        },
    )


@rule_required(anyone)
def demo_emails(request: HttpRequest) -> HttpResponse:
    """The emails the demo has sent (sign-up codes, answers …): only in the demo, with DEBUG on."""
    if not demo_emails_shown():
        raise Http404
    return render(request, "common/demo_emails.html", {"emails": sent_emails()})


@rule_required(anyone)
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@rule_required(anyone)
@require_http_methods(["GET", "POST"])
def set_language(request: HttpRequest) -> HttpResponse:
    """Choose the site's language and go back to the page (``next``).

    The header's switch is a GET form: choosing a language changes no data, so pages need no CSRF
    token for it and can be cached whole (docs/decisions/0804-pages-without-per-request-values.md).
    Django's POST form (``language``, ``next``, CSRF-checked) works as before.
    """
    if request.method == "POST":
        return i18n.set_language(request)
    response = HttpResponseRedirect(safe_next_url(request, "/"))
    language = request.GET.get("language", "")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
