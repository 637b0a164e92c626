"""Reads of the evaluation (decision 0078): an evaluator's list of what to do, the public register
of interests, the moderation's tables, and the weighted totals and ranking (scoring.totals).

Prices are a bid's content: the staff pages read them through ``actions_bids.open_prices`` (sealed,
every opening logged: ``opened_prices``); the public award page reads them only once the award
is made, when the scores table is published (``published_prices``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.accounts.types import Visitor
from coproduce.commissioning import rules, scoring
from coproduce.commissioning.actions_bids import open_prices
from coproduce.commissioning.actions_evaluation import scored_criteria
from coproduce.commissioning.models import (
    SCORE_MAX,
    SCORE_SCALE,
    AccessRoute,
    AgreedScore,
    Bid,
    Criterion,
    Declaration,
    Evaluator,
    Round,
    Score,
)
from coproduce.commissioning.queries import PATH

BID_PATH = "round__" + PATH


def public_name(person: User) -> str:
    """How the register names an evaluator: the name on their account (never the email)."""
    return person.name.strip() or _("Name not given")


def scale_label(score: int | None) -> str:
    """“3 – Satisfactory: meets the requirement”, from the published scale."""
    if score is None:
        return ""
    labels = dict(SCORE_SCALE)
    return f"{score} – {labels[score]}" if score in labels else str(score)


# --- Loaders -------------------------------------------------------------------------------------


def visible_bid(request: HttpRequest, pk: int) -> Bid:
    """A submitted bid of a round the visitor may see, or 404 (its content is not loaded)."""
    bid = get_object_or_404(Bid.objects.select_related("organisation", BID_PATH), pk=pk)
    if not rules.can_view_round(request.user, bid.round):
        raise Http404
    return bid


def evaluator_of_pk(request: HttpRequest, pk: int) -> Evaluator:
    evaluator = get_object_or_404(
        Evaluator.objects.select_related("person", "round__" + PATH), pk=pk
    )
    if not rules.can_view_round(request.user, evaluator.round):
        raise Http404
    return evaluator


def evaluators(round_: Round) -> list[Evaluator]:
    return list(round_.evaluators.select_related("person"))


def bidders(round_: Round) -> list[Bid]:
    """The submitted bids, by bidder's name (no content)."""
    return list(rules.submitted_bids(round_).select_related("organisation"))


# --- An evaluator's list of what to do -----------------------------------------------------------


@dataclass(frozen=True)
class BidTask:
    """One bid on an evaluator's list: their declaration, and how far their scoring has got."""

    bid: Bid
    declaration: Declaration | None
    scored: int
    criteria: int
    may_score: bool

    @property
    def conflict(self) -> bool:
        return self.declaration is not None and self.declaration.conflict

    @property
    def done(self) -> bool:
        return self.criteria > 0 and self.scored >= self.criteria


def evaluator_tasks(evaluator: Evaluator, person: Visitor) -> list[BidTask]:
    round_ = evaluator.round
    count = round_.criteria.count()
    declarations = {d.bid_id: d for d in evaluator.declarations.all()}
    scored: dict[int, int] = {}
    for bid_id in Score.objects.filter(evaluator=evaluator).values_list("bid_id", flat=True):
        scored[bid_id] = scored.get(bid_id, 0) + 1
    return [
        BidTask(
            bid=bid,
            declaration=declarations.get(bid.pk),
            scored=scored.get(bid.pk, 0),
            criteria=count,
            may_score=rules.can_score(person, bid),
        )
        for bid in bidders(round_)
    ]


def own_scores(evaluator: Evaluator, bid: Bid) -> dict[int, Score]:
    """The evaluator's own scores of a bid by criterion key (never anyone else's)."""
    return {s.criterion_id: s for s in Score.objects.filter(evaluator=evaluator, bid=bid)}


# --- The public register of interests ------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    """One evaluator's line in the register: who they are and what they declared per bidder."""

    evaluator: Evaluator
    name: str
    entries: list[tuple[Bid, Declaration | None]]


def register(round_: Round) -> list[RegisterRow]:
    bids = bidders(round_)
    declared: dict[tuple[int, int], Declaration] = {
        (d.evaluator_id, d.bid_id): d for d in Declaration.objects.filter(evaluator__round=round_)
    }
    return [
        RegisterRow(
            evaluator=evaluator,
            name=public_name(evaluator.person),
            entries=[(bid, declared.get((evaluator.pk, bid.pk))) for bid in bids],
        )
        for evaluator in evaluators(round_)
    ]


# --- Moderation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GivenScore:
    """One evaluator's score of a bid on a criterion, or why there is none."""

    name: str
    score: Score | None
    conflict: bool

    @property
    def label(self) -> str:
        return scale_label(self.score.score) if self.score is not None else ""


@dataclass(frozen=True)
class CriterionModeration:
    criterion: Criterion
    given: list[GivenScore]
    agreed: AgreedScore | None

    @property
    def scores(self) -> list[int]:
        return [g.score.score for g in self.given if g.score is not None]

    @property
    def evaluators_differ(self) -> bool:
        return len(set(self.scores)) > 1


@dataclass(frozen=True)
class BidModeration:
    bid: Bid
    criteria: list[CriterionModeration]

    @property
    def agreed_all(self) -> bool:
        return all(row.agreed is not None for row in self.criteria)


def moderation(round_: Round, bids: list[Bid] | None = None) -> list[BidModeration]:
    """For each submitted bid (or those given) and criterion: every evaluator's score and comment
    (or their declared interest), and the agreed score. For the round's keepers only."""
    chosen = bids if bids is not None else bidders(round_)
    criteria = scored_criteria(round_)
    people = evaluators(round_)
    keys = [bid.pk for bid in chosen]
    scores = {
        (s.evaluator_id, s.bid_id, s.criterion_id): s for s in Score.objects.filter(bid_id__in=keys)
    }
    conflicts = set(
        Declaration.objects.filter(bid_id__in=keys, conflict=True).values_list(
            "evaluator_id", "bid_id"
        )
    )
    agreed = {(a.bid_id, a.criterion_id): a for a in AgreedScore.objects.filter(bid_id__in=keys)}
    return [
        BidModeration(
            bid=bid,
            criteria=[
                CriterionModeration(
                    criterion=criterion,
                    given=[
                        GivenScore(
                            name=public_name(e.person),
                            score=scores.get((e.pk, bid.pk, criterion.pk)),
                            conflict=(e.pk, bid.pk) in conflicts,
                        )
                        for e in people
                    ],
                    agreed=agreed.get((bid.pk, criterion.pk)),
                )
                for criterion in criteria
            ],
        )
        for bid in chosen
    ]


def missing_agreed(round_: Round) -> list[tuple[Bid, Criterion]]:
    """The bids and criteria without an agreed score yet."""
    agreed = set(
        AgreedScore.objects.filter(bid__in=rules.submitted_bids(round_)).values_list(
            "bid_id", "criterion_id"
        )
    )
    criteria = scored_criteria(round_)
    return [
        (bid, criterion)
        for bid in bidders(round_)
        for criterion in criteria
        if (bid.pk, criterion.pk) not in agreed
    ]


# --- Prices: sealed until the deadline, then opened and logged, published with the award ---------


def opened_prices(round_: Round, person: Visitor) -> dict[int, Decimal]:
    """Each submitted bid's price, the bids opened through ``open_prices`` (PermissionDenied for
    those who may not; every opening logged as seen on a page)."""
    prices = open_prices(bidders(round_), person, AccessRoute.PAGE)
    return {pk: price if price is not None else Decimal(0) for pk, price in prices.items()}


def published_prices(round_: Round) -> dict[int, Decimal]:
    """The prices behind the published scores table: only once the award is made."""
    if not rules.award_made(round_):
        raise PermissionDenied
    return {
        pk: price if price is not None else Decimal(0)
        for pk, price in rules.submitted_bids(round_).values_list("pk", "price")
    }


# --- The weighted totals and ranking -------------------------------------------------------------


@dataclass(frozen=True)
class CriterionPoints:
    criterion: Criterion
    agreed: int | None
    points: Decimal


@dataclass(frozen=True)
class ResultLine:
    """One bid's line: price and its points, each criterion's agreed score and points, the total,
    the rank and the bids it ties with."""

    bid: Bid
    price: Decimal
    price_points: Decimal
    criteria: list[CriterionPoints]
    total: Decimal
    rank: int
    tied_with: list[Bid]

    @property
    def tied_names(self) -> list[str]:
        return [bid.organisation.name for bid in self.tied_with]


@dataclass(frozen=True)
class Heading:
    """A criterion's column: its published weight and the most points it can give."""

    criterion: Criterion
    weight: int
    most: Decimal


@dataclass(frozen=True)
class Results:
    lines: list[ResultLine]
    headings: list[Heading]
    price_weight: int
    lowest: Decimal | None
    scale_max: int = SCORE_MAX
    missing: list[tuple[Bid, Criterion]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def top(self) -> list[ResultLine]:
        """The bids ranked first (more than one when they tie)."""
        return [line for line in self.lines if line.rank == 1]


def results(round_: Round, prices: Mapping[int, Decimal]) -> Results:
    """The weighted totals and ranking from the agreed scores and the published weights
    (``scoring.totals``); a criterion without an agreed score counts 0 and is listed in
    ``missing``. ``prices`` come from ``opened_prices`` or ``published_prices``."""
    bids = bidders(round_)
    criteria = scored_criteria(round_)
    weights = {c.pk: c.weight or 0 for c in criteria}
    agreed: dict[int, dict[int, int]] = {}
    for bid_id, criterion_id, score in AgreedScore.objects.filter(
        bid__in=[b.pk for b in bids]
    ).values_list("bid_id", "criterion_id", "score"):
        agreed.setdefault(bid_id, {})[criterion_id] = score
    lines = scoring.totals(
        [scoring.BidScores(bid.pk, prices[bid.pk], agreed.get(bid.pk, {})) for bid in bids],
        price_weight=round_.price_weight,
        weights=weights if criteria else {},
        scale_max=SCORE_MAX,
    )
    by_key = {bid.pk: bid for bid in bids}
    return Results(
        lines=[
            ResultLine(
                bid=by_key[line.key],
                price=prices[line.key],
                price_points=scoring.shown(line.price_points),
                criteria=[
                    CriterionPoints(
                        criterion=c,
                        agreed=agreed.get(line.key, {}).get(c.pk),
                        points=scoring.shown(line.criterion_points[c.pk]),
                    )
                    for c in criteria
                ],
                total=line.total_shown,
                rank=line.rank,
                tied_with=[by_key[key] for key in line.tied_with],
            )
            for line in lines
        ],
        headings=[
            Heading(
                criterion=c,
                weight=weights[c.pk],
                most=scoring.shown(Fraction(weights[c.pk] * round_.criteria_share, 100)),
            )
            for c in criteria
        ],
        price_weight=round_.price_weight,
        lowest=min(prices.values()) if prices else None,
        missing=missing_agreed(round_),
    )
