"""What a panel records in the public ledger: the seed commitment, then the selection's result.

The commitment (the seed's sha256, when it was committed) is recorded in the transaction that
stores the seed, so it sits in the chain before the draw; the result (method, version,
parameters, the revealed seed, the pool's size, the panel's pool ids and a summary of the
probabilities) in the transaction that stores the draw (decision 0047). No registration data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.types import Visitor
from coproduce.panels.models import Registrant, Selection, SelectionStatus
from coproduce.panels.rules import can_view_panel
from coproduce.services.hooks import ON_THE_LEDGER
from coproduce.services.models import Service
from coproduce.transparency import actions as ledger
from coproduce.transparency.models import timestamp
from coproduce.transparency.queries import on_ledger
from coproduce.transparency.registry import RecordType, register_type

COMMITMENT = "panel_seed_commitment"
RESULT = "panel_selection"


def _rounded(value: float) -> str:
    return f"{value:.6f}"


def commitment_content(selection: Selection) -> dict[str, Any]:
    return {
        "panel": selection.panel_id,
        "selection": selection.pk,
        "replaces": selection.replaces_id,
        "algorithm": selection.algorithm,
        "seed_sha256": selection.seed_hash,
        "pool_sha256": selection.pool_hash,
        "committed_at": timestamp(selection.committed_at),
    }


def result_content(selection: Selection) -> dict[str, Any]:
    members = dict(
        Registrant.objects.filter(pk__in=selection.members).values_list("pk", "external_id")
    )
    chances = list(selection.probabilities.values())
    return {
        **commitment_content(selection),
        "method": selection.method,
        "version": selection.version,
        "parameters": selection.parameters,
        "seed": selection.seed,
        "pool_size": len(chances),
        "panel": sorted(members[pk] for pk in selection.members),
        "minimum_probability": _rounded(min(chances)),
        "maximum_probability": _rounded(max(chances)),
    }


def _pk(key: str) -> int | None:
    return int(key) if key.isdigit() and len(key) < 19 else None


def _selection(key: str) -> Selection | None:
    pk = _pk(key)
    return None if pk is None else Selection.objects.filter(pk=pk).first()


def _live_commitment(key: str) -> dict[str, Any] | None:
    selection = _selection(key)
    return None if selection is None else commitment_content(selection)


def _live_result(key: str) -> dict[str, Any] | None:
    selection = _selection(key)
    if selection is None or selection.status != SelectionStatus.DONE:
        return None
    return result_content(selection)


def _links(user: Visitor, keys: Sequence[str]) -> Mapping[str, str]:
    """Each entry links to its panel's public selection report, for those who may see it."""
    pks = [pk for key in keys if (pk := _pk(key)) is not None]
    selections = Selection.objects.filter(pk__in=pks).select_related(
        "panel__activity__service_stage__service"
    )
    return {
        str(selection.pk): reverse("panels:selection_report", args=[selection.panel_id])
        for selection in selections
        if can_view_panel(user, selection.panel)
    }


def record_commitment(selection: Selection) -> None:
    ledger.record(COMMITMENT, selection.pk, commitment_content(selection))


def record_result(selection: Selection) -> None:
    ledger.record_change(RESULT, selection.pk, result_content(selection))


def service_on_ledger(service: Service) -> str | None:
    """Its citizen panels' draws, once a seed is committed on the ledger (decision 0137)."""
    keys = Selection.objects.filter(panel__activity__service_stage__service=service).values_list(
        "pk", flat=True
    )
    return str(_("citizen panel draws")) if on_ledger(COMMITMENT, keys) else None


def register() -> None:
    ON_THE_LEDGER.register(service_on_ledger)
    register_type(
        RecordType(
            type=COMMITMENT,
            label=_("Seed committed for a citizen panel's selection"),
            content=_live_commitment,
            links=_links,
        )
    )
    register_type(
        RecordType(
            type=RESULT,
            label=_("Selection of a citizen panel"),
            content=_live_result,
            links=_links,
        )
    )
