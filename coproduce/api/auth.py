"""Bearer-token authentication for the API (tokens are created on the account pages)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer

from coproduce.accounts.actions import api_token_authenticate


class TokenAuth(HttpBearer):
    """Required token: write endpoints."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class OptionalTokenAuth(TokenAuth):
    """Read endpoints: anonymous without a header, the token's user with a valid one, 401 otherwise."""

    def __call__(self, request: HttpRequest) -> Any | None:
        if not request.headers.get(self.header):
            request.user = AnonymousUser()
            return request.user
        return super().__call__(request)
