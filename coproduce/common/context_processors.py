"""Template context available on every page."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """Site name, current path for the language switch, and the CSP nonce for inline scripts."""
    return {
        "SITE_NAME": "coproduce",
        "LANGUAGES": settings.LANGUAGES,
        "current_path": request.get_full_path(),
    }
