"""Reads of commissioning rounds, and the loaders that find a page's round or 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from coproduce.accounts.types import Visitor
from coproduce.commissioning import rules
from coproduce.commissioning.models import Award, Criterion, Round, Weighting
from coproduce.services.queries import activity_seen_by

PATH = "activity__service_stage__service__organisation"


def visible_round(request: HttpRequest, pk: int) -> Round:
    """The round with this key (its activity's), or 404 for those who may not see it."""
    round_ = get_object_or_404(Round.objects.select_related(PATH), pk=pk)
    if not rules.can_view_round(request.user, round_):
        raise Http404
    return round_


def visible_criterion(request: HttpRequest, pk: int) -> Criterion:
    criterion = get_object_or_404(Criterion.objects.select_related("round__" + PATH), pk=pk)
    if not rules.can_view_round(request.user, criterion.round):
        raise Http404
    return criterion


def rounds_seen_by(user: Visitor) -> QuerySet[Round]:
    """rules.can_view_round as a filter."""
    return Round.objects.filter(activity_seen_by(user))


def criteria_of(round_: Round) -> QuerySet[Criterion]:
    return round_.criteria.prefetch_related("indicators__outcome")


def weighting_of(round_: Round, user: Visitor) -> Weighting | None:
    """The person's own weighting of the round, if they made one."""
    if not user.is_authenticated:
        return None
    return round_.weightings.filter(person=user).select_related("contribution").first()


@dataclass(frozen=True)
class WeightRow:
    """A criterion's line in the weights table: its published weight, what residents' points
    gave, and its share of the whole award once price has its part."""

    criterion: Criterion
    weight: int | None
    residents_weight: int | None
    award_share: float | None


def weight_rows(round_: Round) -> list[WeightRow]:
    share = round_.criteria_share / 100
    return [
        WeightRow(
            criterion=criterion,
            weight=criterion.weight,
            residents_weight=criterion.residents_weight,
            award_share=None if criterion.weight is None else round(criterion.weight * share, 1),
        )
        for criterion in criteria_of(round_)
    ]


def weighting_count(round_: Round) -> int:
    return round_.weightings.count()


def award_of(round_: Round) -> Award | None:
    """The round's award decision, once made."""
    return Award.objects.filter(round=round_).select_related("bid__organisation").first()
