"""The coproduce API: public reads, token-authenticated writes, every response documented."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from coproduce.api import organisations, services

api = NinjaAPI(
    title="coproduce API",
    version="1.0.0",
    description=(
        "Open data about organisations, services, their lifecycle and participation activities. "
        "Reads are public (a token also shows your organisations' drafts). Writes need a personal "
        "token from your account page, sent as `Authorization: Bearer <token>`."
    ),
)
api.add_router("/organisations", organisations.router)
api.add_router("/", services.router)


@api.exception_handler(DjangoValidationError)
def validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """Rules broken by a write (for example, an impossible state change) become 422."""
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": ["body", field], "msg": message, "type": "value_error"}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        detail = [{"loc": ["body"], "msg": m, "type": "value_error"} for m in exc.messages]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": "You do not have permission to do this."}, status=403
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Send a valid API token: Authorization: Bearer <token>."}, status=401
    )
