"""The public ledger's endpoints: entries, inclusion and consistency proofs, the signed tree head.
Thin adapters over coproduce.transparency (docs/ledger.md)."""

# No `from __future__ import annotations` here: ninja reads the annotations of a @paginate-d
# operation through the wrapper, in another module, so they must be real objects (decision 0407).

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from coproduce.api.auth import OPTIONAL
from coproduce.api.common import LIST_ERRORS, READ, READ_ERRORS
from coproduce.api.schemas import IdPath, LimitOffset, Shaped
from coproduce.transparency import queries
from coproduce.transparency.models import LedgerEntry

router = Router(tags=["ledger"])


class EntryOut(Schema):
    seq: int = Field(description="The entry's number: 1, 2, 3… without gaps.")
    type: str = Field(description="What kind of record: decision, decision_link …")
    key: str = Field(
        description="Which record of its type (a decision's id; 'decision:contribution' for a link)."
    )
    content_sha256: str = Field(description="SHA-256 of the record's canonical content, in hex.")
    prev: str = Field(description="The previous entry's hash (64 zeros for the first).")
    at: str = Field(description="When it was recorded: ISO 8601 in UTC, with microseconds.")
    corrects: int | None = Field(description="The entry this one corrects, if it is a correction.")
    hash: str = Field(
        description="This entry's hash: SHA-256 of the canonical JSON of the fields above."
    )
    url: str | None = Field(description="The record's page, when you may see it.")
    content: dict[str, Any] | None = Field(
        description="The record's content as recorded, when you may see the record."
    )


class TreeHeadOut(Schema):
    tree_size: int
    timestamp: str = Field(description="When the tree's last entry was recorded.")
    root_hash: str = Field(description="The Merkle tree's root hash (RFC 9162), in hex.")
    signature: str = Field(description="Ed25519 signature, in base64, of the tree head.")
    algorithm: str


class InclusionProofOut(Schema):
    leaf_index: int
    tree_size: int
    inclusion_path: list[str] = Field(description="The audit path (RFC 9162 2.1.3), in hex.")
    entry: dict[str, Any]
    sth: TreeHeadOut


class ConsistencyProofOut(Schema):
    first: TreeHeadOut
    second: TreeHeadOut
    consistency_path: list[str] = Field(description="RFC 9162 2.1.4's proof, in hex.")


class ConsistencyIn(Schema):
    first: int = Field(ge=1, le=2_147_483_647, description="The earlier tree's size.")
    second: int = Field(ge=1, le=2_147_483_647, description="The later tree's size.")


def _entries_out(request: HttpRequest, entries: list[LedgerEntry]) -> list[dict[str, Any]]:
    links = queries.record_links(request.user, entries)
    return [
        {
            **queries.entry_json(e, with_content=False),
            "url": links.get(e.seq),
            "content": e.content_value if e.seq in links else None,
        }
        for e in entries
    ]


def _entry(seq: int) -> LedgerEntry:
    entry = LedgerEntry.objects.filter(seq=seq).first()
    if entry is None:
        raise Http404
    return entry


@router.get(
    "/ledger/entries",
    response={200: list[EntryOut], **LIST_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="The public ledger's entries, newest first",
)
@paginate(LimitOffset)
def entries(request: HttpRequest) -> Shaped[dict[str, Any]]:
    return Shaped(queries.entries(), lambda page: _entries_out(request, page))


@router.get(
    "/ledger/entries/{seq}",
    response={200: EntryOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="One entry of the public ledger",
)
def entry(request: HttpRequest, seq: IdPath) -> dict[str, Any]:
    return _entries_out(request, [_entry(seq)])[0]


@router.get(
    "/ledger/entries/{seq}/proof",
    response={200: InclusionProofOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="The inclusion proof of an entry (RFC 9162) with the signed tree head",
)
def proof(request: HttpRequest, seq: IdPath) -> dict[str, Any]:
    found = _entry(seq)
    public = found.seq in queries.record_links(request.user, [found])
    return queries.inclusion_proof(found, with_content=public)


@router.get(
    "/ledger/consistency",
    response={200: ConsistencyProofOut, **LIST_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="A consistency proof between two sizes of the ledger (RFC 9162)",
    description="That the ledger of `second` entries extends the ledger of `first` entries.",
)
def consistency(request: HttpRequest, sizes: Query[ConsistencyIn]) -> dict[str, Any]:
    size = queries.tree_size()
    if not sizes.first <= sizes.second <= size:
        raise ValidationError(
            f"Give 1 ≤ first ≤ second ≤ {size}, the number of entries in the ledger."
        )
    return queries.consistency_proof(sizes.first, sizes.second)


@router.get(
    "/ledger/sth",
    response={200: TreeHeadOut, **LIST_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="The signed tree head of the whole ledger",
)
def sth(request: HttpRequest) -> dict[str, Any]:
    return queries.signed_tree_head()
