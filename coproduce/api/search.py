"""The site search endpoint: a thin adapter over coproduce.search (docs/decisions/0023-search.md)."""

# No `from __future__ import annotations` here: ninja reads the annotations of a @paginate-d
# operation through the wrapper, in another module, so they must be real objects (decision 0407).

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from coproduce.api.auth import OPTIONAL
from coproduce.api.common import LIST_ERRORS, READ
from coproduce.api.schemas import LimitOffset, Shaped, Slug, Text
from coproduce.search import queries, registry
from coproduce.search.text import MAX_LENGTH

router = Router(tags=["search"])

# The kinds the installed apps put in the search (this module is read once the apps are ready).
SearchKind = StrEnum(  # type: ignore[misc]
    "SearchKind", {source.kind: source.kind for source in registry.sources()}
)


class SearchFilters(Schema):
    q: Annotated[str, Text(MAX_LENGTH, required=True)] = Field(
        description=(
            "Words to find: every word must match; a word of four letters or more also matches "
            "longer ones (idea finds ideas); quote words to find them together "
            '("community centre"). Quotes are the only syntax: *, -, OR, NEAR and brackets are '
            "plain characters. Text with no letters or digits finds nothing."
        )
    )
    service: Slug | None = Field(None, description="Only the things of this service (its slug).")


class SearchResultOut(Schema):
    kind: str = Field(description="What it is: service, activity, idea, story, decision, answer …")
    id: int = Field(description="Its id among the things of its kind.")
    url: str = Field(description="The address of its page on the website.")
    title: str
    title_html: str = Field(description="The title, HTML-escaped, with the matches in <mark>.")
    excerpt_html: str = Field(
        description="Some text around the matches, HTML-escaped, with the matches in <mark>."
    )
    service: str = Field(description="The slug of the service it belongs to.")
    service_name: str
    date: dt.date | None = Field(description="When it was posted, decided or opens.")


def _result_out(hit: queries.Hit) -> dict[str, Any]:
    return {
        "kind": hit.kind,
        "id": hit.key,
        "url": hit.url,
        "title": hit.text,
        "title_html": str(hit.title),
        "excerpt_html": str(hit.excerpt),
        "service": hit.service_slug,
        "service_name": hit.service_name,
        "date": hit.date,
    }


@router.get(
    "/search",
    response={200: list[SearchResultOut], **LIST_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="Search everything public, most relevant first",
    description=(
        "Services, activities that have opened, published ideas, comments, stories and community "
        "assets, decisions and official answers: only what anyone may see, whoever asks. A title "
        "match ranks above a match in the text; when more than 5,000 things match, the newest "
        "5,000 are ranked."
    ),
)
@paginate(LimitOffset)
def search(
    request: HttpRequest,
    filters: Query[SearchFilters],
    # Beside the filters rather than among them: ninja names a list's errors ["query", "kind", 0]
    # only here (among them it adds the schema's parameter name, "filters").
    kind: list[SearchKind] = Query(  # noqa: B008 - ninja's way
        [], description="Only these kinds of thing (repeat the parameter for several)."
    ),
) -> Shaped[dict[str, Any]]:
    results = queries.search(filters.q, kinds=[str(k) for k in kind], service=filters.service or "")
    return Shaped(results, lambda hits: [_result_out(hit) for hit in hits])
