"""The emails about news: one-click unsubscribe tokens and links, and the message with its headers.

Every email names the topics it is about in a signed token; its unsubscribe link (in the body and
in the RFC 8058 ``List-Unsubscribe`` headers) turns those topics off without signing in. The token
does not expire: an email kept for years must still unsubscribe (docs/decisions/0024).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from coproduce.accounts.models import User
from coproduce.notifications.models import Event, NotificationSettings

SALT = "coproduce.notifications.unsubscribe"


def unsubscribe_token(user: User, topics: Iterable[str]) -> str:
    """A signed token naming the person and the topics an email is about."""
    return signing.Signer(salt=SALT).sign_object({"u": user.pk, "t": sorted(set(topics))})


@dataclass(frozen=True)
class Unsubscribe:
    """What a good token asks: stop emailing this person about these topics."""

    user: User
    topics: list[str]


def read_unsubscribe_token(token: str) -> Unsubscribe | None:
    """The person and topics a token names; None when it is not ours, altered or out of date."""
    try:
        data: Any = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    topics = data.get("t")
    if not isinstance(topics, list) or not topics or not set(topics) <= set(Event.values):
        return None
    user = User.objects.filter(pk=data["u"]).first()
    if user is None:
        return None
    return Unsubscribe(user=user, topics=[topic for topic in Event.values if topic in topics])


def unsubscribe_path(user: User, topics: Iterable[str]) -> str:
    """The unsubscribe page for these topics, from the site's root."""
    query = urlencode({"token": unsubscribe_token(user, topics)})
    return f"{reverse('notifications:unsubscribe')}?{query}"


def language_of(choices: NotificationSettings) -> str:
    """The language of a person's emails: the one they chose, or the site's."""
    return choices.language or settings.LANGUAGE_CODE


def email_message(
    *,
    user: User,
    topics: Iterable[str],
    language: str,
    subject_template: str,
    body_template: str,
    context: dict[str, Any],
) -> EmailMessage:
    """The email, in the person's language, with the settings and unsubscribe links and the
    one-click unsubscribe headers (RFC 2369 and 8058)."""
    unsubscribe_link = settings.SITE_URL + unsubscribe_path(user, topics)
    context = {
        **context,
        "user": user,
        "site_url": settings.SITE_URL,
        "unsubscribe_link": unsubscribe_link,
        "settings_link": settings.SITE_URL + reverse("notifications:settings"),
        "mine_link": settings.SITE_URL + reverse("contributions:my_contributions"),
    }
    with translation.override(language):
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    return EmailMessage(
        subject=subject,
        body=body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
