"""The types of a person: whoever is looking, and a request from someone signed in."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from coproduce.accounts.models import User

# Whoever is looking: a signed-in person or an anonymous visitor (``request.user``). Rules take a
# Visitor; actions that need an account take a User.
Visitor: TypeAlias = User | AnonymousUser


class SignedInRequest(HttpRequest):
    """The request of a view or API operation that only signed-in people reach (its rule or its
    authentication turns everyone else away first), so ``user`` is a User."""

    user: User
