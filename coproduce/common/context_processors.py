"""Template context available on every page."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from coproduce.common.mail import demo_emails_shown


def site(request: HttpRequest) -> dict[str, Any]:
    """Site name, the languages, and the current path for the language switch to come back to."""
    return {
        "SITE_NAME": "coproduce",
        "LANGUAGES": settings.LANGUAGES,
        "current_path": request.get_full_path(),
        "DEMO_EMAILS": demo_emails_shown(),
    }
