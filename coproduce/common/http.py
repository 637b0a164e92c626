"""Where to send a person after a POST."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, default: str, *, field: str = "next") -> str:
    """The page to go back to, from the request's ``next`` (POST, then GET) when it is on this
    site (and HTTPS when the request is); otherwise ``default``. Never an open redirect."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
