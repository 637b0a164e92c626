"""Your data: everything the platform holds about you, as the "Download my data" ZIP holds it,
in one JSON answer. Yours alone: it needs your token even to read."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema

from coproduce.accounts.types import SignedInRequest
from coproduce.api.common import WRITE
from coproduce.api.schemas import Error
from coproduce.privacy.archive import collect

router = Router(tags=["your data"])


class DataFileOut(Schema):
    name: str = Field(description="The file's name in the ZIP, without .json or .csv.")
    about: str = Field(description="What the file holds, in plain English.")
    columns: list[str]
    rows: list[dict[str, Any]] = Field(
        description="Your rows; columns about someone else are empty, yours say “you”."
    )


class DataOut(Schema):
    made_at: str = Field(description="When this copy was made (ISO 8601).")
    files: list[DataFileOut]


@router.get(
    "/me/data",
    response={200: DataOut, 401: Error},
    auth=WRITE,
    summary="Your data",
    description=(
        "Everything the platform holds about you (your account, what you said and supported, "
        "your ballots and votes where the method keeps them linked, your equality answers, your "
        "API tokens' names …), as the files of “Download my data”. Never anyone else's."
    ),
)
def my_data(request: SignedInRequest) -> dict[str, Any]:
    return {
        "made_at": timezone.now().isoformat(),
        "files": [
            {
                "name": part.export.name,
                "about": str(part.export.about),
                "columns": part.columns,
                "rows": part.rows,
            }
            for part in collect(request.user)
        ],
    }
