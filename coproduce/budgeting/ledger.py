"""What a budget records in the public ledger: its published result.

Recorded in the same transaction as the move to the results phase: the method, its version and
parameters, the number of ballots and, per area, the funded projects and their cost, so that
anyone can re-count the exported ballots and compare (decision 0030).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from coproduce.accounts.types import Visitor
from coproduce.budgeting import rules
from coproduce.budgeting.models import Budget, Count, CountStatus, Phase
from coproduce.services.hooks import ON_THE_LEDGER
from coproduce.services.models import Activity, Service
from coproduce.transparency import actions as ledger
from coproduce.transparency.queries import on_ledger
from coproduce.transparency.registry import RecordType, register_type

RESULT = "budget_result"
PUBLISHED = (Phase.RESULTS, Phase.DELIVERY)  # the phases in which the result is on the ledger


def result_content(budget: Budget, count: Count) -> dict[str, Any]:
    return {
        "budget": budget.pk,
        "activity": budget.activity_id,
        "title": budget.activity.title,
        "currency": budget.currency,
        "count": count.pk,
        "method": count.method,
        "version": count.version,
        "parameters": count.parameters,
        "ballots": count.ballot_count,
        "areas": [
            {
                "name": area["name"],
                "amount": area["amount"],
                "funded": area["selected"],
                "cost": area["cost"],
            }
            for area in count.result.get("areas", [])
        ],
    }


def _pk(key: str) -> int | None:
    return int(key) if key.isdigit() and len(key) < 19 else None


def _live(key: str) -> dict[str, Any] | None:
    pk = _pk(key)
    budget = None if pk is None else Budget.objects.select_related("activity").filter(pk=pk).first()
    if budget is None or budget.phase not in PUBLISHED:
        return None
    count = budget.counts.filter(status=CountStatus.DONE).first()
    return None if count is None else result_content(budget, count)


def _links(user: Visitor, keys: Sequence[str]) -> Mapping[str, str]:
    wanted = {key: _pk(key) for key in keys}
    budgets = Budget.objects.select_related("activity__service_stage__service").filter(
        pk__in=[pk for pk in wanted.values() if pk is not None]
    )
    visible = {b.pk: b.get_absolute_url() for b in budgets if rules.can_view_budget(user, b)}
    return {key: visible[pk] for key, pk in wanted.items() if pk in visible}


def record_result(budget: Budget, count: Count) -> None:
    ledger.record_change(RESULT, budget.pk, result_content(budget, count))


def activity_updated(activity: Activity) -> None:
    """The result names its activity's title: a published result records a new title as a
    correction (``record_change`` records nothing when the title is the same). Registered with
    ``services.hooks.ACTIVITY_UPDATED``."""
    budget = Budget.objects.filter(activity=activity, phase__in=PUBLISHED).first()
    count = None if budget is None else budget.counts.filter(status=CountStatus.DONE).first()
    if budget is not None and count is not None:
        record_result(budget, count)


def service_on_ledger(service: Service) -> str | None:
    """Its participatory budgets' results, once one is on the ledger (decision 0137)."""
    keys = Budget.objects.filter(activity__service_stage__service=service).values_list(
        "pk", flat=True
    )
    return str(_("participatory budget results")) if on_ledger(RESULT, keys) else None


def register() -> None:
    ON_THE_LEDGER.register(service_on_ledger)
    register_type(
        RecordType(
            type=RESULT,
            label=_("Result of a participatory budget"),
            content=_live,
            links=_links,
        )
    )
