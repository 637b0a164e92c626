"""The rules of each kind of ballot, checked on the server, with messages that say how to fix it.

A ballot is a mapping ``{proposal pk: value}``: 1 for each chosen project (approval, knapsack),
the points given (cumulative; projects with 0 points are left out), or the rank, 1 for first
(ranking). ``check`` returns every problem in plain English; an empty list means it can be cast.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.budgeting.models import BallotType, Budget


@dataclass(frozen=True)
class Option:
    """A project on the ballot, as the rules need it."""

    pk: int
    cost: int


def money(amount: int, currency: str = "GBP") -> str:
    """£1,234 (or "1,234 EUR" for other currencies)."""
    symbol = {"GBP": "£", "EUR": "€", "USD": "$"}.get(currency)
    return f"{symbol}{amount:,}" if symbol else f"{amount:,} {currency}"


def check(
    budget: Budget, area_amount: int, options: Sequence[Option], choices: Mapping[int, int]
) -> list[str]:
    """Every rule the ballot breaks, as a message that says what to change."""
    known = {option.pk: option for option in options}
    errors: list[str] = []
    unknown = [pk for pk in choices if pk not in known]
    if unknown:
        errors.append(
            _("Some of the projects you chose are not on this ballot. Choose again from the list.")
        )
        return errors
    if any(value < 1 for value in choices.values()):
        errors.append(_("Give each project you choose a number of 1 or more."))
        return errors
    count = len(choices)
    kind = budget.ballot_type
    if kind in (BallotType.APPROVAL, BallotType.KNAPSACK, BallotType.RANKING):
        if count < budget.min_choices:
            errors.append(
                ngettext(
                    "Choose at least %(count)d project.",
                    "Choose at least %(count)d projects.",
                    budget.min_choices,
                )
                % {"count": budget.min_choices}
            )
        if budget.max_choices is not None and count > budget.max_choices:
            errors.append(
                ngettext(
                    "Choose no more than %(count)d project: take %(extra)d off.",
                    "Choose no more than %(count)d projects: take %(extra)d off.",
                    budget.max_choices,
                )
                % {"count": budget.max_choices, "extra": count - budget.max_choices}
            )
    if kind == BallotType.KNAPSACK:
        total = sum(known[pk].cost for pk in choices)
        if total > area_amount:
            errors.append(
                _(
                    "Your projects cost %(total)s but the budget is %(budget)s: take off "
                    "projects worth at least %(over)s."
                )
                % {
                    "total": money(total, budget.currency),
                    "budget": money(area_amount, budget.currency),
                    "over": money(total - area_amount, budget.currency),
                }
            )
    if kind == BallotType.CUMULATIVE:
        given = sum(choices.values())
        if count == 0:
            errors.append(_("Give at least 1 point to a project."))
        if given > budget.points:
            errors.append(
                _("You gave %(given)d points but have %(points)d: take %(over)d off.")
                % {"given": given, "points": budget.points, "over": given - budget.points}
            )
    if kind == BallotType.RANKING:
        ranks = sorted(choices.values())
        if ranks != list(range(1, count + 1)):
            errors.append(
                _(
                    "Number your projects 1, 2, 3 and so on, each number once, with 1 for your "
                    "favourite."
                )
            )
    return errors


def spent(options: Sequence[Option], choices: Mapping[int, int]) -> int:
    """The running total of a knapsack ballot."""
    costs = {option.pk: option.cost for option in options}
    return sum(costs.get(pk, 0) for pk in choices)
