"""A commissioning round's scores table and register of interests as CSV (decision 0080), with
what the award and the deadline publish (see export.py on what is sealed until when).

CSV follows the site's other exports (``contributions.opendata.csv_stream``: no byte-order mark,
every cell made safe from spreadsheet formulas, "yes"/"no", machine-readable headers).
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from django.utils import timezone

from coproduce.commissioning import queries_evaluation, rules
from coproduce.commissioning.export import percent
from coproduce.commissioning.models import POINTS, SCORE_MAX, Declaration, Evaluator, Round
from coproduce.contributions.opendata import csv_stream

SCORE_FIELDS = [
    "bidder",
    "criterion",
    "kind",
    "weight_of_award",
    "agreed_score",
    "score_max",
    "weighted_points",
    "total",
    "rank",
]
INTEREST_FIELDS = ["evaluator", "role", "bidder", "interest", "details", "declared_on"]
PRICE = "price"


# --- The scores table ----------------------------------------------------------------------------


def _score_rows(round_: Round) -> Iterator[list[Any]]:
    """The award's scores table (queries_evaluation.results, with the prices the award
    publishes), a row for price then one per criterion for every bid, best first."""
    share = round_.criteria_share
    results = queries_evaluation.results(round_, queries_evaluation.published_prices(round_))
    for line in results.lines:
        bidder = line.bid.organisation.name
        yield [
            bidder,
            "Price",
            PRICE,
            round_.price_weight,
            "",
            "",
            line.price_points,
            line.total,
            line.rank,
        ]
        for points in line.criteria:
            criterion = points.criterion
            yield [
                bidder,
                criterion.name,
                criterion.kind,
                percent(Fraction((criterion.weight or 0) * share, POINTS)),
                "" if points.agreed is None else points.agreed,
                SCORE_MAX,
                points.points,
                line.total,
                line.rank,
            ]


def scores_csv(round_: Round) -> Iterator[str]:
    """The award's scores table: a row per bid and criterion (price first), with the weight of
    the award, the agreed score, the weighted points, the bid's total and its rank (equal totals
    share a rank). Only the header until the award is made."""
    rows = _score_rows(round_) if rules.award_made(round_) else iter(())
    return csv_stream(SCORE_FIELDS, rows)


# --- The register of interests -------------------------------------------------------------------


def evaluator_names(round_: Round) -> dict[int, str]:
    """Each evaluator's name as the register page gives it (queries_evaluation.public_name: the
    name on their account, never the email address)."""
    return {
        evaluator.pk: queries_evaluation.public_name(evaluator.person)
        for evaluator in round_.evaluators.select_related("person")
    }


def _interest_rows(round_: Round) -> Iterator[list[Any]]:
    names = evaluator_names(round_)
    bids = list(
        rules.submitted_bids(round_).select_related("organisation").order_by("organisation__name")
    )
    declared = {
        (d.evaluator_id, d.bid_id): d
        for d in Declaration.objects.filter(evaluator__round=round_, bid__in=bids)
    }
    evaluators: list[Evaluator] = list(round_.evaluators.all())
    for evaluator in evaluators:
        for bid in bids:
            declaration = declared.get((evaluator.pk, bid.pk))
            yield [
                names[evaluator.pk],
                evaluator.role,
                bid.organisation.name,
                "" if declaration is None else ("yes" if declaration.conflict else "no"),
                "" if declaration is None else declaration.details,
                ""
                if declaration is None
                else timezone.localdate(declaration.declared_at).isoformat(),
            ]


def interests_csv(round_: Round) -> Iterator[str]:
    """The register of interests: a row per evaluator and bidder, with the interest declared
    ("yes" with its details, "no", or empty while not declared yet). Only the header until bids
    close, since who bid is sealed until then."""
    rows = _interest_rows(round_) if rules.bids_closed(round_) else iter(())
    return csv_stream(INTEREST_FIELDS, rows)
