"""Bearer-token authentication for the API (tokens are created on the account pages)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer

from coproduce.accounts.actions import api_token_authenticate
from coproduce.accounts.models import User
from coproduce.accounts.types import Visitor


class TokenAuth(HttpBearer):
    """A personal API token sent as ``Authorization: Bearer <token>``.

    Write endpoints require one. Read endpoints use ``TokenAuth(optional=True)``: no header means
    an anonymous reader; a header with a token that is unknown, revoked or expired is still a 401,
    so that a client never mistakes a dead token for public access. Both share one security scheme
    in the OpenAPI document; reads also list the empty requirement (see ``OPTIONAL``).
    """

    openapi_description = "A personal API token from your account page (Account → API tokens)."

    def __init__(self, *, optional: bool = False) -> None:
        super().__init__()
        self.optional = optional

    def __call__(self, request: HttpRequest) -> Visitor | None:
        if self.optional and self.header not in request.headers:
            request.user = AnonymousUser()
            return request.user
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


# OpenAPI for "a token is optional": the empty requirement next to the bearer scheme.
OPTIONAL: dict[str, Any] = {"security": [{}]}
