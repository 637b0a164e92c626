"""The open-data catalogue: every dataset on /data/, its licence, formats and last update.
A thin adapter over coproduce.transparency (docs/open-data.md)."""

# No `from __future__ import annotations` here: ninja reads the annotations of a @paginate-d
# operation through the wrapper, in another module, so they must be real objects (decision 0407).

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from coproduce.api.auth import OPTIONAL
from coproduce.api.common import LIST_ERRORS, READ
from coproduce.api.schemas import LimitOffset
from coproduce.transparency import queries

router = Router(tags=["open data"])


class LicenceOut(Schema):
    name: str
    url: str


class FormatOut(Schema):
    label: str = Field(description="CSV, JSON, JSON Lines …")
    extension: str
    media_type: str
    standard: str = Field(description="The data standard it follows, if any ('' when none).")
    url: str = Field(description="Where to download it (streamed; ETag and 304 when unchanged).")


class DatasetOut(Schema):
    code: str
    title: str
    description: str
    licence: LicenceOut
    last_updated: dt.datetime | None = Field(description="When its data last changed, if ever.")
    formats: list[FormatOut]


@router.get(
    "/datasets",
    response={200: list[DatasetOut], **LIST_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="The open datasets you can download, with their licence and formats",
)
@paginate(LimitOffset)
def datasets(request: HttpRequest) -> list[dict[str, Any]]:
    return queries.catalogue()
