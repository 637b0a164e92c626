"""Organisation endpoints (public)."""

# No `from __future__ import annotations` here: ninja reads the annotations of a @paginate-d
# operation through the wrapper, in another module, so they must be real objects (decision 0407).

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate

from coproduce.api.auth import OPTIONAL, TokenAuth
from coproduce.api.schemas import (
    Error,
    LimitOffset,
    OrganisationOut,
    SlugPath,
    ValidationErrors,
)
from coproduce.organisations.models import Organisation

router = Router(tags=["organisations"], auth=TokenAuth(optional=True))


@router.get(
    "",
    response={200: list[OrganisationOut], 401: Error, 422: ValidationErrors},
    summary="List organisations",
    openapi_extra=OPTIONAL,
)
@paginate(LimitOffset)
def organisation_list(request: HttpRequest) -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name", "pk")


@router.get(
    "/{slug}",
    response={200: OrganisationOut, 401: Error, 404: Error, 422: ValidationErrors},
    summary="One organisation",
    openapi_extra=OPTIONAL,
)
def organisation_detail(request: HttpRequest, slug: SlugPath) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)
