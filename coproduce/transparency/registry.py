"""The kinds of record the ledger holds: the app that owns a record registers its type, from its
``AppConfig.ready()``, with how to rebuild a live row's content and who may see the record::

    register_type(RecordType(type="decision", label=_("Decision"), content=decision_content,
                             links=decision_links))

``content(key)`` rebuilds the canonical content of the live row (plain values only: text, whole
numbers, true/false, lists and dictionaries of them), or None when the row is gone; ledger_verify
compares its digest with the one recorded. ``links(user, keys)`` gives the address of each record
the person may see; the ledger shows the content and a link only for those.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from coproduce.accounts.types import Visitor


@dataclass(frozen=True)
class RecordType:
    """One kind of public record and how to rebuild it."""

    type: str  # stored in LedgerEntry.type; at most 32 characters
    label: str | Promise  # "Decision"
    content: Callable[[str], Any | None]
    links: Callable[[Visitor, Sequence[str]], Mapping[str, str]]


_TYPES: dict[str, RecordType] = {}


def register_type(record_type: RecordType) -> RecordType:
    """Register a type; each once (a second registration is a programming error)."""
    if record_type.type in _TYPES:
        raise ValueError(f"The ledger already has a type {record_type.type!r}.")
    if len(record_type.type) > 32:
        raise ValueError(f"A ledger type has at most 32 characters: {record_type.type!r}.")
    _TYPES[record_type.type] = record_type
    return record_type


def get_type(type: str) -> RecordType:
    """The registered type; LookupError for one no installed app registered."""
    try:
        return _TYPES[type]
    except KeyError:
        raise LookupError(f"No app registered the ledger type {type!r}.") from None


def registered(type: str) -> bool:
    return type in _TYPES


def unregister_type(type: str) -> None:
    """Forget a type: for tests that register one of their own."""
    _TYPES.pop(type, None)
