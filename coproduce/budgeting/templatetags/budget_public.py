"""Template filters of the public budget pages."""

from __future__ import annotations

from typing import Any

from django import template

from coproduce.budgeting.ballots import money as format_money

register = template.Library()


@register.filter
def money(amount: Any, currency: str = "GBP") -> str:
    """£1,234 (or "1,234 EUR"): ``{{ area.amount|money:budget.currency }}``."""
    if amount in (None, ""):
        return ""
    return format_money(int(amount), currency or "GBP")
