"""Declare and enforce one permission rule per view.

Every view in the project is wrapped by :func:`rule_required`, which records the rule on the view
(``view.permission_rule``) so a test can check that no view is left without one, and enforces it:
anonymous visitors are sent to sign in, signed-in people without permission get a 403 page, and
staff pages send staff who have not set up two-factor authentication to do so first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    # What ``request.user`` is, in django-stubs' own name: ``AbstractBaseUser | AnonymousUser``,
    # which the mypy plugin reads as the project's user model or AnonymousUser. A rule or check
    # takes that person, so the domain apps' rules (which take accounts' Visitor) fit these
    # shapes without this module importing accounts.
    from django.contrib.auth.models import _AnyUser

Obj = TypeVar("Obj")
Rule = Callable[["_AnyUser", Any], bool]
Loader = Callable[..., Any]


# Before a staff page, staff must have finished setting up their account: two-factor
# authentication for the roles that need it. This module knows no roles, so the app that does
# (organisations) registers the check from its AppConfig.ready() (docs/decisions/0016).
_staff_setup_checks: list[Callable[[_AnyUser], bool]] = []


def register_staff_setup_check(check: Callable[[_AnyUser], bool]) -> None:
    """Add a check that says whether a person must finish setting up before staff pages."""
    _staff_setup_checks.append(check)


def must_finish_staff_setup(user: _AnyUser) -> bool:
    """Whether any registered check says the person must finish setting up their account."""
    return any(check(user) for check in _staff_setup_checks)


def anyone(user: AbstractBaseUser | AnonymousUser, obj: Any = None) -> bool:
    """Public pages: everyone, signed in or not."""
    return True


def signed_in(user: AbstractBaseUser | AnonymousUser, obj: Any = None) -> bool:
    """Pages about the visitor's own account."""
    return bool(user.is_authenticated)


def rule_required(
    rule: Rule, *, load: Loader | None = None, staff: bool = False, hide: bool = False
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Guard a view with ``rule(user, obj)``; ``load(request, **url_kwargs)`` fetches ``obj``.

    When ``load`` is given the view is called as ``view(request, obj)``; otherwise with the URL
    keyword arguments. ``staff=True`` marks a staff page: staff roles must have two-factor
    authentication set up before they use it. ``hide=True`` answers 404 instead of asking to sign
    in or refusing, for things whose existence is private (another organisation's drafts).
    """

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            obj = load(request, **kwargs) if load is not None else None
            user = request.user
            if not rule(user, obj):
                if hide:
                    raise Http404
                if not user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            if staff and must_finish_staff_setup(user):
                messages.info(
                    request, _("Set up two-factor authentication before you use staff pages.")
                )
                return redirect("mfa_activate_totp")
            if load is not None:
                return view(request, obj)
            return view(request, *args, **kwargs)

        wrapper.permission_rule = rule  # type: ignore[attr-defined]
        wrapper.staff_page = staff  # type: ignore[attr-defined]
        wrapper.hides_object = hide  # type: ignore[attr-defined]
        return wrapper

    return decorator


def require(allowed: bool) -> None:
    """An action's or an API operation's own check of a rule: PermissionDenied (403) unless
    allowed. Actions check again what the view's rule checked, so that a task, a command or the
    API cannot do what the pages would refuse; API loaders answer 404 for the unseen first."""
    if not allowed:
        raise PermissionDenied
