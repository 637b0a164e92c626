"""Reading a request: where to send a person after a POST, and what they had written."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, default: str, *, field: str = "next") -> str:
    """The page to go back to, from the request's ``next`` (POST, then GET) when it is a path on
    this site (and HTTPS when the request is); otherwise ``default``. Never an open redirect, and
    never a word that ``redirect()`` would look up as a view's name (a 500 when there is none)."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# Field names that hold secrets, never shown back: a name containing one of the first, or with
# one of the second as a whole word ("verification_code", but not "postcode").
_SECRET_PARTS = ("pass", "secret", "token", "csrf")
_SECRET_WORDS = {"code", "codes", "key", "keys", "pin", "otp", "totp", "mfa", "signature"}
MAX_FIELDS_KEPT = 30
MAX_CHARACTERS_KEPT = 20_000


@dataclass(frozen=True)
class Written:
    """Text a person sent in one field of a form, to show back to them."""

    label: str
    text: str
    cut: bool

    @property
    def rows(self) -> int:
        """Lines for a box that shows the text: a short answer small, a long one up to 15."""
        lines = sum(1 + len(line) // 60 for line in self.text.splitlines())
        return min(max(lines, 2), 15)


def is_secret(name: str) -> bool:
    """Whether a form field's name says it holds a password, a token, a code or another secret."""
    lowered = name.lower()
    words = set(re.split(r"[^a-z]+", lowered))
    return any(part in lowered for part in _SECRET_PARTS) or bool(words & _SECRET_WORDS)


def written_text(request: HttpRequest) -> list[Written]:
    """The non-empty text of a posted form, field by field, without secrets (``is_secret``).

    For a page that has to refuse the form (a stale CSRF token) but lets the person copy what they
    wrote. Labels come from the field names ("author_display" → "Author display"); each text is
    cut at ``MAX_CHARACTERS_KEPT`` characters and at most ``MAX_FIELDS_KEPT`` fields are kept.
    A form that cannot be read at all (too large, malformed) gives nothing.
    """
    try:
        posted = request.POST
    except Exception:  # too large, too many fields, malformed, cut off: nothing to show
        return []
    kept: list[Written] = []
    for name, values in posted.lists():
        if is_secret(name):
            continue
        text = "\n\n".join(value for value in values if isinstance(value, str) and value.strip())
        if not text:
            continue
        label = re.sub(r"[\s_\-]+", " ", name).strip().capitalize() or name
        cut = len(text) > MAX_CHARACTERS_KEPT
        kept.append(Written(label=label, text=text[:MAX_CHARACTERS_KEPT], cut=cut))
        if len(kept) == MAX_FIELDS_KEPT:
            break
    return kept
