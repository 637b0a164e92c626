"""One-time codes printed on letters or handed out at events: made at random, typed in by people,
and stored only as a keyed hash (budget voting codes, residents' codes for conversations)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max
from django.utils.translation import gettext as _

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are typed from paper
MAX_BATCH = 5000  # codes made at once


def hash_secret(raw: str) -> str:
    """A keyed hash of a code as typed (case, spaces and dashes do not matter); the raw code is
    never stored."""
    normal = raw.strip().upper().replace("-", "").replace(" ", "")
    return hmac.new(settings.SECRET_KEY.encode(), normal.encode(), hashlib.sha256).hexdigest()


def new_secret(groups: int = 3) -> str:
    """A new random code of ``groups`` groups of four characters, such as ``ABCD-EFGH-JKLM``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(groups * 4))
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def make_batch(
    codes: models.QuerySet[Any], row: Callable[[str, int], models.Model], count: int
) -> list[str]:
    """Store ``count`` new codes as rows ``row(code_hash, batch)`` beside ``codes`` (the owner's
    codes so far), numbered as the batch after their last; the raw codes are returned, once."""
    if not 1 <= count <= MAX_BATCH:
        raise ValidationError(
            {"count": _("Make between 1 and %(max)d codes at a time.") % {"max": MAX_BATCH}}
        )
    batch = (codes.aggregate(last=Max("batch"))["last"] or 0) + 1
    raw = [new_secret() for _ in range(count)]
    codes.model.objects.bulk_create(row(hash_secret(code), batch) for code in raw)
    return raw
