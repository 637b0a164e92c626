"""Writes to accounts: profile details and API tokens."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import ApiToken, User


@transaction.atomic
def user_update_profile(*, user: User, name: str) -> User:
    """Change the name shown with what the person contributes (when they choose to be named)."""
    if not name.strip():
        raise ValidationError({"name": _("Enter your name.")})
    user.name = name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["name"])
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the raw token is returned once and never stored."""
    raw, prefix, token_hash = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=prefix,
        token_hash=token_hash,
        expires_at=timezone.now() + dt.timedelta(days=settings.COPRODUCE_API_TOKEN_TTL_DAYS),
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Stop a token working, now."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user a raw token belongs to, or None; records when it was last used."""
    token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(token_hash=ApiToken.hash(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
