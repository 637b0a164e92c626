"""``{% ledger_entry "decision" decision.pk as entry %}``: the newest ledger entry of a record."""

from __future__ import annotations

from typing import Any

from django import template

from coproduce.transparency.models import LedgerEntry
from coproduce.transparency.queries import latest_entry

register = template.Library()


@register.simple_tag
def ledger_entry(type: str, key: Any) -> LedgerEntry | None:
    return latest_entry(type, key)
