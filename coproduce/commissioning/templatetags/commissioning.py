"""Template filters of the commissioning pages: a contract's value, whether residents can weigh."""

from __future__ import annotations

from decimal import Decimal

from django import template

from coproduce.commissioning import rules
from coproduce.commissioning.models import Round

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str = "GBP") -> str:
    """£1,200,000 (pence only when there are some), or "1,200,000 EUR" for other currencies:
    ``{{ round.contract_value|money:round.currency }}``."""
    if amount is None:
        return ""
    places = 0 if amount == amount.to_integral_value() else 2
    number = f"{amount:,.{places}f}"
    symbol = {"GBP": "£", "EUR": "€", "USD": "$"}.get(currency or "GBP")
    return f"{symbol}{number}" if symbol else f"{number} {currency}"


@register.filter
def weighting_open(round_: Round) -> bool:
    """rules.weighting_open, with criteria to weigh: whether to offer "Weigh the criteria"."""
    return rules.weighting_open(round_) and round_.criteria.exists()
