"""Who may read the ledger: everyone. What a record says is shown only to those who may see the
record (the record's own app decides, through the registry's ``links``)."""

from __future__ import annotations

from typing import Any

from coproduce.accounts.types import Visitor


def can_view_ledger(user: Visitor, obj: Any = None) -> bool:
    """The ledger, its entries, proofs, tree heads and key are public."""
    return True


def can_view_open_data(user: Visitor, obj: Any = None) -> bool:
    """The open-data catalogue and its files are public: they hold only public things."""
    return True
