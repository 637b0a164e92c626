"""What a commissioning round records in the public ledger: its published weights, then the award.

The weights (each criterion's weight and what residents' points gave, how many residents weighed,
the method, and the reason when staff changed them) are recorded in the transaction that
publishes them; the award (the winning bid and its price, every submitted bid's total and rank,
the reasons and the end of the standstill period) in the transaction that makes it (decision
0080). Both use ``record_change``: calling again with nothing changed records nothing, and a
change (a criterion's corrected wording, the reasons' Welsh written later) is a correction.

Bidders appear by their keys (bid and organisation), not their names: an organisation may be
renamed without the award seeming changed. The ledger links each entry to the round's page or
the award's page, where the names are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.types import Visitor
from coproduce.commissioning import queries_evaluation, rules
from coproduce.commissioning.models import Award, Round
from coproduce.services.hooks import ON_THE_LEDGER
from coproduce.services.models import Service
from coproduce.transparency import actions as ledger
from coproduce.transparency.models import timestamp
from coproduce.transparency.queries import on_ledger
from coproduce.transparency.registry import RecordType, register_type

WEIGHTS = "commissioning_weights"
AWARD = "commissioning_award"

PATH = "activity__service_stage__service__organisation"
CENTS = Decimal("0.01")


def weights_content(round_: Round) -> dict[str, Any]:
    """The published weights of a round (call once they are published). The entry's own time
    says when: the content holds what was published, not when."""
    assert round_.weights_published_at is not None
    return {
        "round": round_.pk,
        "price_weight": round_.price_weight,
        "price_method": round_.price_method,
        "criteria": [
            {
                "id": criterion.pk,
                "kind": criterion.kind,
                "name": criterion.name,
                "weight": criterion.weight,
                "residents_weight": criterion.residents_weight,
            }
            for criterion in round_.criteria.order_by("kind", "position", "pk")
        ],
        "participants": round_.weights_participants,
        "method": round_.weights_method,
        "reason": round_.weights_reason,
        "reason_cy": round_.weights_reason_cy,
    }


def award_content(award: Award) -> dict[str, Any]:
    """The award: the winner and its price, every submitted bid's total and rank, the reasons."""
    round_ = award.round
    winner = award.bid
    return {
        "round": round_.pk,
        "bid": winner.pk,
        "winner": winner.organisation_id,
        # Two places always: the same text from a row just written and from the database.
        "price": None if winner.price is None else f"{winner.price.quantize(CENTS):f}",
        "currency": round_.currency,
        "decided_at": timestamp(award.decided_at),
        "standstill_ends_on": award.standstill_ends_on.isoformat(),
        "reasons": award.reasons,
        "reasons_cy": award.reasons_cy,
        "bids": [
            {
                "bid": line.bid.pk,
                "bidder": line.bid.organisation_id,
                "total": f"{line.total:f}",
                "rank": line.rank,
            }
            for line in queries_evaluation.results(
                round_, queries_evaluation.published_prices(round_)
            ).lines
        ],
    }


def _pk(key: str) -> int | None:
    return int(key) if key.isdigit() and len(key) < 19 else None


def _live_weights(key: str) -> dict[str, Any] | None:
    pk = _pk(key)
    round_ = None if pk is None else Round.objects.filter(pk=pk).first()
    if round_ is None or round_.weights_published_at is None:
        return None
    return weights_content(round_)


def _live_award(key: str) -> dict[str, Any] | None:
    pk = _pk(key)
    award = (
        None
        if pk is None
        else Award.objects.select_related("round", "bid").filter(round_id=pk).first()
    )
    return None if award is None else award_content(award)


def _visible(user: Visitor, keys: Sequence[str]) -> dict[str, Round]:
    wanted = {key: _pk(key) for key in keys}
    rounds = Round.objects.select_related(PATH).filter(
        pk__in=[pk for pk in wanted.values() if pk is not None]
    )
    visible = {r.pk: r for r in rounds if rules.can_view_round(user, r)}
    return {key: visible[pk] for key, pk in wanted.items() if pk in visible}


def _weights_links(user: Visitor, keys: Sequence[str]) -> Mapping[str, str]:
    """Each entry links to its round's published weights, for those who may see the round."""
    return {key: r.get_absolute_url() + "#weights" for key, r in _visible(user, keys).items()}


def _award_links(user: Visitor, keys: Sequence[str]) -> Mapping[str, str]:
    """Each entry links to the award's page, for those who may see the round."""
    return {
        key: reverse("commissioning:award", args=[r.pk]) for key, r in _visible(user, keys).items()
    }


def record_weights(round_: Round) -> None:
    """Record the round's published weights (inside the transaction that publishes them)."""
    ledger.record_change(WEIGHTS, round_.pk, weights_content(round_))


def record_award(award: Award) -> None:
    """Record the award (inside the transaction that makes it; again when its reasons change)."""
    ledger.record_change(AWARD, award.round_id, award_content(award))


def service_on_ledger(service: Service) -> str | None:
    """Its commissioning rounds' weights and awards, once one is on the ledger (decision 0137)."""
    keys = list(
        Round.objects.filter(activity__service_stage__service=service).values_list("pk", flat=True)
    )
    held = on_ledger(WEIGHTS, keys) or on_ledger(AWARD, keys)
    return str(_("commissioning weights and awards")) if held else None


def register() -> None:
    ON_THE_LEDGER.register(service_on_ledger)
    register_type(
        RecordType(
            type=WEIGHTS,
            label=_("Published weights of a commissioning round's award criteria"),
            content=_live_weights,
            links=_weights_links,
        )
    )
    register_type(
        RecordType(
            type=AWARD,
            label=_("Award of a commissioning round"),
            content=_live_award,
            links=_award_links,
        )
    )
