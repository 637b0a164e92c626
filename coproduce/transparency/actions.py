"""The only write of the ledger: appending an entry, in the transaction that makes the record."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from coproduce.transparency import verify
from coproduce.transparency.models import HEAD, LedgerEntry, LedgerHead
from coproduce.transparency.registry import get_type


def _locked_head() -> LedgerHead:
    """The head row, locked until the transaction ends: appends wait for each other here.

    On PostgreSQL ``SELECT … FOR UPDATE`` holds the row; SQLite's ``BEGIN IMMEDIATE`` transactions
    already write one at a time (decision 0002). The row is made on first use: INSERT … ON
    CONFLICT DO NOTHING, so two first appends at once do not both make it.
    """
    head = LedgerHead.objects.select_for_update().filter(pk=HEAD).first()
    if head is None:
        LedgerHead.objects.bulk_create([LedgerHead(pk=HEAD, size=0)], ignore_conflicts=True)
        head = LedgerHead.objects.select_for_update().get(pk=HEAD)
    return head


@transaction.atomic
def record(
    type: str, key: Any, content: Any, *, corrects: LedgerEntry | None = None
) -> LedgerEntry:
    """Append the record ``key`` of ``type`` with its canonical ``content`` to the ledger.

    Call it inside the transaction that makes (or corrects) the record, so that both are kept or
    neither. A correction names the entry it corrects, of the same type and record.
    """
    get_type(type)  # a type no app registered could never be verified
    key = str(key)
    if corrects is not None and (corrects.type, corrects.key) != (type, key):
        raise ValueError("A correction must be of the same record as the entry it corrects.")
    text = verify.canonical(content)
    head = _locked_head()
    previous = (
        LedgerEntry.objects.filter(seq=head.size).values_list("hash", flat=True).first()
        if head.size
        else verify.GENESIS
    )
    if previous is None:
        raise RuntimeError(f"The ledger's entry {head.size} is missing: run ledger_verify.")
    entry = LedgerEntry(
        seq=head.size + 1,
        type=type,
        key=key,
        content=text,
        content_sha256=verify.sha256_hex(text),
        prev_hash=previous,
        recorded_at=timezone.now(),
        corrects=None if corrects is None else corrects.seq,
    )
    entry.hash = entry.computed_hash()
    entry.save()
    head.size = entry.seq
    head.save(update_fields=["size"])
    return entry


@transaction.atomic
def record_change(type: str, key: Any, content: Any) -> LedgerEntry | None:
    """Record a change to a record already in the ledger as a correction of its latest entry
    (or as a first entry if it has none); nothing when its content is unchanged.

    The head is locked before the latest entry is read: two changes at once would otherwise both
    correct the same entry, and the second correction would break the chain's rule that an entry
    corrects its record's latest one (decision 0140)."""
    _locked_head()
    latest = LedgerEntry.objects.filter(type=type, key=str(key)).order_by("-seq").first()
    if latest is not None and latest.content_sha256 == verify.content_digest(content):
        return None
    return record(type, key, content, corrects=latest)
