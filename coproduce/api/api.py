"""The coproduce API: public reads, token-authenticated writes, every response documented."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaValidationError

from coproduce.api import (
    assessment,
    budgets,
    commissioning,
    commissioning_bids,
    contributions,
    conversations,
    datasets,
    decisions,
    governance,
    ledger,
    notifications,
    organisations,
    outcomes,
    panels,
    privacy,
    search,
    services,
)

# The docs page (/api/docs) keeps the site's strict CSP: ninja serves Swagger UI from our static
# files with its initialiser in a file, and Swagger UI 5 styles through the CSSOM, which CSP does
# not block. tests/api/test_docs_page.py proves it in Chromium; docs/decisions/0403-api-docs-csp.md.
api = NinjaAPI(
    title="coproduce API",
    version="1.0.0",
    description=(
        "Open data about organisations, services, their lifecycle and participation activities, "
        "what people contributed, the official answers and the decisions they informed. Reads "
        "are public (a token also shows your organisations' drafts, and your own contributions "
        "that wait for a moderator). Writes need a personal "
        "token from your account page, sent as `Authorization: Bearer <token>`. "
        "A guide with examples is in docs/api.md."
    ),
)
api.add_router("/organisations", organisations.router)
api.add_router("/", services.router)
api.add_router("/", contributions.router)
api.add_router("/", decisions.router)
api.add_router("/", governance.router)
api.add_router("/", budgets.router)
api.add_router("/", conversations.router)
api.add_router("/", panels.router)
api.add_router("/", outcomes.router)
api.add_router("/", commissioning.router)
api.add_router("/", commissioning_bids.router)
api.add_router("/", notifications.router)
api.add_router("/", search.router)
api.add_router("/", ledger.router)
api.add_router("/", datasets.router)
api.add_router("/", assessment.router)
api.add_router("/", privacy.router)
api.add_router("/", services.fallback)  # last: JSON 404 for any other address under /api/


def _issue(loc: list[Any], msg: str, kind: str) -> dict[str, Any]:
    return {"loc": loc, "msg": msg, "type": kind}


@api.exception_handler(SchemaValidationError)
def schema_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    """Input that does not match the schema: 422, one issue per field, in plain words."""
    issues = []
    for error in exc.errors:
        loc = list(error.get("loc", ()))
        # ninja puts the view's parameter name after "body" (["body", "payload", "name"]);
        # clients know the field by its name alone.
        if len(loc) >= 2 and loc[0] == "body" and loc[1] == "payload":
            del loc[1]
        kind = str(error.get("type", "value_error"))
        msg = str(error.get("msg", "Invalid value.")).removeprefix("Value error, ")
        if loc == ["body"]:
            # pydantic names our model classes here, which mean nothing to a client.
            msg = "Send a JSON object with the fields this operation lists in the API schema."
        issues.append(_issue(loc, msg, kind))
    return api.create_response(request, {"detail": issues}, status=422)


@api.exception_handler(DjangoValidationError)
def rule_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A well-formed write that breaks a lifecycle rule (e.g. an impossible state change): 422."""
    if hasattr(exc, "error_dict"):
        issues = [
            _issue(["body"] if field == NON_FIELD_ERRORS else ["body", field], message, "rule")
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        issues = [_issue(["body"], message, "rule") for message in exc.messages]
    return api.create_response(request, {"detail": issues}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Your token is valid, but you may not do this."}, status=403
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """A body over Django's DATA_UPLOAD_MAX_MEMORY_SIZE (read only after the token is accepted): 413."""
    limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024:g} MB"
    return api.create_response(
        request,
        {"detail": f"The request body is too large: send at most {limit} in one request."},
        status=413,
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {
            "detail": (
                "Send a valid API token as 'Authorization: Bearer <token>'. Tokens are made on "
                "your account page and stop working when revoked or expired."
            )
        },
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="coproduce"'
    return response
