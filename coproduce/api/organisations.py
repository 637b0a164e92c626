"""Organisation endpoints (public)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from coproduce.api.auth import OPTIONAL, TokenAuth
from coproduce.api.schemas import (
    Error,
    OrganisationOut,
    Page,
    PageQuery,
    SlugPath,
    ValidationErrors,
)
from coproduce.organisations.models import Organisation

router = Router(tags=["organisations"], auth=TokenAuth(optional=True))


@router.get(
    "",
    response={200: Page[OrganisationOut], 401: Error, 422: ValidationErrors},
    summary="List organisations",
    openapi_extra=OPTIONAL,
)
def organisation_list(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    organisations = Organisation.objects.order_by("name", "pk")
    return {
        "items": list(organisations[page.offset : page.offset + page.limit]),
        "count": organisations.count(),
    }


@router.get(
    "/{slug}",
    response={200: OrganisationOut, 401: Error, 404: Error, 422: ValidationErrors},
    summary="One organisation",
    openapi_extra=OPTIONAL,
)
def organisation_detail(request: HttpRequest, slug: SlugPath) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)
