"""Template filters of the staff pages of a participatory budget."""

from __future__ import annotations

from typing import Any

from django import template

from coproduce.budgeting.ballots import money as format_money

register = template.Library()


@register.filter
def staff_money(amount: Any, currency: str = "GBP") -> str:
    """£1,234 (or "1,234 EUR"): ``{{ area.amount|staff_money:budget.currency }}``."""
    if amount in (None, ""):
        return ""
    return format_money(int(amount), currency or "GBP")
