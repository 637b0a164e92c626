"""What every router shares: who may call, which errors an operation declares, loaders."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from coproduce.api.auth import TokenAuth
from coproduce.api.schemas import Error, ValidationErrors
from coproduce.services import rules
from coproduce.services.models import Activity, Service

READ = TokenAuth(optional=True)
WRITE = TokenAuth()
# Every status an operation can answer with is declared, and no other (the fuzz tests hold us to it).
LIST_ERRORS: dict[int, Any] = {401: Error, 422: ValidationErrors}
READ_ERRORS: dict[int, Any] = {401: Error, 404: Error, 422: ValidationErrors}
# A write without a body (PUT or DELETE of a relation) cannot send JSON that fails to parse.
BODILESS_WRITE_ERRORS: dict[int, Any] = {
    401: Error,
    403: Error,
    404: Error,
    422: ValidationErrors,
}
WRITE_ERRORS: dict[int, Any] = {400: Error, **BODILESS_WRITE_ERRORS}


def require(allowed: bool) -> None:
    """A valid token that may not do this: 403 (after the loaders have given 404 for the unseen)."""
    if not allowed:
        raise PermissionDenied


def visible_service(request: HttpRequest, slug: str) -> Service:
    service = get_object_or_404(Service.objects.select_related("organisation"), slug=slug)
    if not rules.can_view_service(request.user, service):
        raise Http404  # other organisations' drafts are simply not there, to outsiders
    return service


def visible_activity(request: HttpRequest, pk: int) -> Activity:
    activity = get_object_or_404(
        Activity.objects.select_related("service_stage__service__organisation"), pk=pk
    )
    if not rules.can_view_activity(request.user, activity):
        raise Http404
    return activity
