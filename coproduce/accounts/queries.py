"""Reads about a person's own account."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from coproduce.accounts.models import ApiToken, User


def own_token(request: HttpRequest, pk: int) -> ApiToken:
    """One of the person's own API tokens (404 for anyone else's)."""
    return get_object_or_404(ApiToken, pk=pk, user_id=request.user.pk)


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)
