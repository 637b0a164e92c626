"""Site-wide pages: error pages, accessibility statement, privacy notice, health check, language."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views import i18n
from django.views.decorators.http import require_http_methods

from coproduce.common.http import safe_next_url
from coproduce.common.permissions import anyone, rule_required


def _error(request: HttpRequest, template: str, status: int) -> HttpResponse:
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: the request could not be understood."""
    return _error(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: signed in, but not allowed to see this."""
    return _error(request, "errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: nothing at this address."""
    return _error(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered without context processors that could fail again."""
    return _error(request, "errors/500.html", 500)


@rule_required(anyone)
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement."""
    return render(request, "common/accessibility.html")


@rule_required(anyone)
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice."""
    return render(request, "common/privacy.html")


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
