"""One-time codes printed on letters or handed out at events: made at random, typed in by people,
and stored only as a keyed hash (budget voting codes, residents' codes for conversations)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are typed from paper


def hash_secret(raw: str) -> str:
    """A keyed hash of a code as typed (case, spaces and dashes do not matter); the raw code is
    never stored."""
    normal = raw.strip().upper().replace("-", "").replace(" ", "")
    return hmac.new(settings.SECRET_KEY.encode(), normal.encode(), hashlib.sha256).hexdigest()


def new_secret(groups: int = 3) -> str:
    """A new random code of ``groups`` groups of four characters, such as ``ABCD-EFGH-JKLM``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(groups * 4))
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))
