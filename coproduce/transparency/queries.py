"""Reads of the ledger: entries, the Merkle tree and its proofs, the signed tree head, and the
check that every entry still matches the live rows and the chain (ledger_verify)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.accounts.types import Visitor
from coproduce.transparency import signing, verify
from coproduce.transparency.datasets import Dataset, Format, all_datasets, get_dataset
from coproduce.transparency.models import HEAD, LedgerEntry, LedgerHead, timestamp
from coproduce.transparency.registry import get_type, registered


def entries() -> Any:
    """Every entry, newest first (the list page)."""
    return LedgerEntry.objects.order_by("-seq")


def tree_size() -> int:
    return LedgerEntry.objects.count()


def entry_by_seq(request: HttpRequest, seq: int) -> LedgerEntry:
    """The loader of the entry pages: every entry is public (its record's content may not be)."""
    entry = LedgerEntry.objects.filter(seq=seq).first()
    if entry is None:
        raise Http404
    return entry


def on_ledger(type: str, keys: Iterable[Any]) -> bool:
    """Whether any of these records of ``type`` (their keys: pks, as recorded) is on the ledger."""
    wanted = [str(key) for key in keys]
    return bool(wanted) and LedgerEntry.objects.filter(type=type, key__in=wanted).exists()


def latest_entry(type: str, key: Any) -> LedgerEntry | None:
    """The newest entry of one record: its first, or its latest correction."""
    return LedgerEntry.objects.filter(type=type, key=str(key)).order_by("-seq").first()


def corrections_of(entry: LedgerEntry) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(corrects=entry.seq).order_by("seq"))


def record_links(user: Visitor, items: Sequence[LedgerEntry]) -> dict[int, str]:
    """Entry number → address of its record, for the records this person may see."""
    keys: dict[str, list[str]] = {}
    for entry in items:
        keys.setdefault(entry.type, []).append(entry.key)
    found: dict[tuple[str, str], str] = {}
    for type, wanted in keys.items():
        if registered(type):
            links: Mapping[str, str] = get_type(type).links(user, wanted)
            found.update({(type, key): url for key, url in links.items()})
    return {e.seq: found[(e.type, e.key)] for e in items if (e.type, e.key) in found}


def type_label(type: str) -> str:
    return str(get_type(type).label) if registered(type) else type


# --- The tree, its proofs and its signed head --------------------------------------------------


def leaves(size: int | None = None) -> list[bytes]:
    """The leaf hashes of the first ``size`` entries (all of them when None), in order."""
    hashes = LedgerEntry.objects.order_by("seq").values_list("hash", flat=True)
    if size is not None:
        hashes = hashes[:size]
    return [verify.leaf_hash(h) for h in hashes]


def _sth_timestamp(size: int) -> str:
    """A tree head's time: when its last entry was recorded (so each size has one head)."""
    last = LedgerEntry.objects.filter(seq=size).values_list("recorded_at", flat=True).first()
    return "" if last is None else timestamp(last)


def signed_tree_head(
    size: int | None = None, tree: Sequence[bytes] | None = None
) -> dict[str, Any]:
    """The signed tree head of the first ``size`` entries (of all of them when None)."""
    tree = leaves(size) if tree is None else tree
    return sign_tree_head(len(tree), verify.root(tree).hex())


def sign_tree_head(size: int, root_hex: str) -> dict[str, Any]:
    """The signed tree head of the first ``size`` entries, whose root hash is ``root_hex``."""
    timestamp = _sth_timestamp(size)
    return {
        "tree_size": size,
        "timestamp": timestamp,
        "root_hash": root_hex,
        "signature": signing.sign(verify.sth_message(size, timestamp, root_hex)),
        "algorithm": "Ed25519",
    }


def entry_json(entry: LedgerEntry, *, with_content: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "seq": entry.seq,
        "type": entry.type,
        "key": entry.key,
        "content_sha256": entry.content_sha256,
        "prev": entry.prev_hash,
        "at": entry.at,
        "corrects": entry.corrects,
        "hash": entry.hash,
    }
    if with_content:
        data["content"] = entry.content_value
    return data


def inclusion_proof(entry: LedgerEntry, *, with_content: bool) -> dict[str, Any]:
    """RFC 9162's inclusion proof of an entry in the whole ledger, with the signed tree head."""
    tree = leaves()
    index = entry.seq - 1
    return {
        "leaf_index": index,
        "tree_size": len(tree),
        "inclusion_path": [h.hex() for h in verify.inclusion_path(index, tree)],
        "entry": entry_json(entry, with_content=with_content),
        "sth": signed_tree_head(tree=tree),
    }


def consistency_proof(first: int, second: int) -> dict[str, Any]:
    """RFC 9162's consistency proof between the trees of ``first`` and ``second`` entries
    (0 < first <= second <= the ledger's size: the caller checks)."""
    tree = leaves(second)
    return {
        "first": signed_tree_head(tree=tree[:first]),
        "second": signed_tree_head(tree=tree),
        "consistency_path": [h.hex() for h in verify.consistency_path(first, tree)],
    }


# --- ledger_verify -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """The first entry that no longer matches, and why."""

    seq: int
    reason: str

    def __str__(self) -> str:
        return _("Entry %(seq)s no longer matches: %(reason)s") % {
            "seq": self.seq,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Checked:
    size: int
    root_hash: str


def _in_order(batch: int = 2000) -> Iterator[LedgerEntry]:
    last = 0
    while True:
        page = list(LedgerEntry.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not page:
            return
        yield from page
        last = page[-1].seq


def check_ledger(against: Mapping[str, Any] | None = None) -> Checked | Problem:
    """Recompute every content digest from the live rows and every hash of the chain.

    The newest entry of each record must match the live row; every entry must hash to its hash,
    hold the hash of the one before, and follow it by one. ``against`` is a signed tree head
    published earlier: the first entries must still give its root.
    """
    previous, expected = verify.GENESIS, 1
    newest: dict[tuple[str, str], LedgerEntry] = {}
    tree: list[bytes] = []
    for entry in _in_order():
        if entry.seq != expected:
            reason = _("entry %(missing)s is missing, or the entries were reordered.") % {
                "missing": expected
            }
            return Problem(expected, reason)
        if verify.sha256_hex(entry.content) != entry.content_sha256:
            return Problem(entry.seq, _("its recorded content was changed."))
        if entry.prev_hash != previous:
            return Problem(entry.seq, _("the chain is broken (the previous hash differs)."))
        if entry.computed_hash() != entry.hash:
            return Problem(entry.seq, _("the chain is broken (its own hash differs)."))
        if entry.corrects is not None:
            corrected = newest.get((entry.type, entry.key))
            if corrected is None or corrected.seq != entry.corrects:
                return Problem(entry.seq, _("it corrects an entry of another record."))
        newest[(entry.type, entry.key)] = entry
        tree.append(verify.leaf_hash(entry.hash))
        previous, expected = entry.hash, expected + 1
    head = LedgerHead.objects.filter(pk=HEAD).values_list("size", flat=True).first() or 0
    if head != len(tree):
        return Problem(len(tree) + 1, _("entries at the end are missing."))
    for entry in sorted(newest.values(), key=lambda e: e.seq):
        if not registered(entry.type):
            return Problem(entry.seq, _("no app knows its type %(type)s.") % {"type": entry.type})
        live = get_type(entry.type).content(entry.key)
        if live is None:
            return Problem(entry.seq, _("the record was deleted."))
        if verify.content_digest(live) != entry.content_sha256:
            return Problem(entry.seq, _("the record's content was changed."))
    if against is not None:
        size = int(against["tree_size"])
        if size > len(tree) or verify.root(tree[:size]).hex() != against["root_hash"]:
            return Problem(
                min(size, len(tree)) or 1,
                _("the ledger no longer gives the root hash published for %(size)s entries.")
                % {"size": size},
            )
    return Checked(len(tree), verify.root(tree).hex())


# --- Open data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Download:
    """One file of the open-data catalogue: a dataset in one format."""

    dataset: Dataset
    format: Format

    @property
    def filename(self) -> str:
        return f"{self.dataset.code}.{self.format.extension}"


def download_by_name(request: HttpRequest, code: str, extension: str) -> Download:
    """The loader of /data/<code>.<extension>: 404 for a dataset or format nobody registered."""
    dataset = get_dataset(code)
    found = None if dataset is None else dataset.format(extension)
    if dataset is None or found is None:
        raise Http404
    return Download(dataset, found)


def catalogue() -> list[dict[str, Any]]:
    """Every dataset with its licence, formats and last update (the /data/ page and its JSON)."""
    licence = {"name": settings.OPEN_DATA_LICENCE, "url": settings.OPEN_DATA_LICENCE_URL}
    return [
        {
            "code": dataset.code,
            "title": str(dataset.title),
            "description": str(dataset.description),
            "licence": licence,
            "last_updated": dataset.last_updated(),
            "formats": [
                {
                    "label": f.label,
                    "extension": f.extension,
                    "media_type": f.content_type,
                    "standard": str(f.standard),
                    "url": reverse("transparency:download", args=[dataset.code, f.extension]),
                }
                for f in dataset.formats
            ],
        }
        for dataset in all_datasets()
    ]
