"""What the spine records in the public ledger: decisions, and their links to contributions.

A decision's content is what it says, in English and Welsh, who decided it, when and at which
stage; Welsh written later is recorded as a correction (docs/decisions/0027-public-ledger.md). A
link is the pair of keys. Both are recorded by the actions, in their own transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from coproduce.accounts.types import Visitor
from coproduce.contributions import rules
from coproduce.contributions.models import Decision
from coproduce.services.hooks import ON_THE_LEDGER
from coproduce.services.models import Service
from coproduce.transparency import actions as ledger
from coproduce.transparency.queries import on_ledger
from coproduce.transparency.registry import RecordType, register_type

DECISION = "decision"
DECISION_LINK = "decision_link"


def decision_content(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "service": decision.service_id,
        "cycle": decision.cycle,
        "stage": decision.stage,
        "title": decision.title,
        "description": decision.description,
        "title_cy": decision.title_cy,
        "description_cy": decision.description_cy,
        "decided_by": decision.decided_by,
        "decided_on": decision.decided_on.isoformat(),
    }


def link_key(decision_id: int, contribution_id: int) -> str:
    return f"{decision_id}:{contribution_id}"


def _pk(key: str) -> int | None:
    return int(key) if key.isdigit() and len(key) < 19 else None


def _live_decision(key: str) -> dict[str, Any] | None:
    pk = _pk(key)
    decision = None if pk is None else Decision.objects.filter(pk=pk).first()
    return None if decision is None else decision_content(decision)


def _live_link(key: str) -> dict[str, Any] | None:
    decision_id, _colon, contribution_id = key.partition(":")
    d, c = _pk(decision_id), _pk(contribution_id)
    if d is None or c is None:
        return None
    through = Decision.contributions.through.objects
    if not through.filter(decision_id=d, contribution_id=c).exists():
        return None
    return {"decision": d, "contribution": c}


def _decision_links(user: Visitor, keys: Sequence[str]) -> Mapping[str, str]:
    """The pages of the decisions this person may see: a decision's key, or a link's
    ("decision:contribution"), leads to the decision."""
    by_key = {key: _pk(key.split(":")[0]) for key in keys}
    wanted = {pk for pk in by_key.values() if pk is not None}
    visible = {
        d.pk: d.get_absolute_url()
        for d in Decision.objects.filter(pk__in=wanted).select_related("service__organisation")
        if rules.can_view_decision(user, d)
    }
    return {key: visible[pk] for key, pk in by_key.items() if pk in visible}


def record_decision(decision: Decision) -> None:
    ledger.record(DECISION, decision.pk, decision_content(decision))


def record_decision_change(decision: Decision) -> None:
    ledger.record_change(DECISION, decision.pk, decision_content(decision))


def record_links(decision: Decision, contribution_ids: Sequence[int]) -> None:
    for contribution_id in contribution_ids:
        ledger.record(
            DECISION_LINK,
            link_key(decision.pk, contribution_id),
            {"decision": decision.pk, "contribution": contribution_id},
        )


def service_on_ledger(service: Service) -> str | None:
    """Its decisions, once one is on the ledger (decision 0137)."""
    keys = Decision.objects.filter(service=service).values_list("pk", flat=True)
    return str(_("decisions")) if on_ledger(DECISION, keys) else None


def register() -> None:
    ON_THE_LEDGER.register(service_on_ledger)
    register_type(
        RecordType(
            type=DECISION,
            label=_("Decision"),
            content=_live_decision,
            links=_decision_links,
        )
    )
    register_type(
        RecordType(
            type=DECISION_LINK,
            label=_("Decision informed by a contribution"),
            content=_live_link,
            links=_decision_links,
        )
    )
