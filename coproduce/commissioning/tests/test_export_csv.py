"""A round's scores table and register of interests as CSV: what the award and the deadline
publish, ranks, and cells safe from spreadsheet formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import pytest
from django.utils import timezone

from coproduce.commissioning import export_csv
from coproduce.commissioning.models import AgreedScore, Bid
from coproduce.commissioning.tests.test_export_data import (
    TOTALS,
    add_bids,
    add_evaluators,
    agree_scores,
    awarded_round,
    close_bids,
    make_award,
    published_round,
)

pytestmark = pytest.mark.django_db


# --- The scores table ---------------------------------------------------------------------------


def _rows(lines: Iterable[str]) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(lines))))


def test_the_scores_table_after_the_award() -> None:
    scenario = awarded_round()
    header, *rows = _rows(export_csv.scores_csv(scenario.round))
    assert header == export_csv.SCORE_FIELDS
    assert len(rows) == 3 * 4  # price and three criteria for each bid
    by_bidder: dict[str, list[list[str]]] = {}
    for row in rows:
        by_bidder.setdefault(row[0], []).append(row)
    names = [bid.organisation.name for bid in scenario.bids]
    assert list(by_bidder) == names  # best first
    for rank, (name, total) in enumerate(zip(names, TOTALS, strict=True), 1):
        assert {(row[7], row[8]) for row in by_bidder[name]} == {(total, str(rank))}
    price, first, second, social = by_bidder[names[0]]
    assert price == [names[0], "Price", "price", "40", "", "", "36.00", "88.80", "1"]
    assert first[1:] == ["Seen within four weeks", "quality", "18", "4", "5", "14.40", "88.80", "1"]
    assert second[1:7] == ["Staff young people trust", "quality", "18", "4", "5", "14.40"]
    assert social[1:7] == ["Local jobs", "social_value", "24", "5", "5", "24.00"]
    assert by_bidder[names[1]][0][6] == "32.73"  # 40 × 900,000 ÷ 1,100,000


def test_equal_totals_share_a_rank_and_a_missing_agreed_score_counts_as_none() -> None:
    scenario = agree_scores(add_evaluators(close_bids(add_bids(published_round()))))
    # The charity's scores become the in-house team's, and its price too: the same total.
    charity, inhouse = scenario.bids[1], scenario.bids[0]
    Bid.objects.filter(pk=charity.pk).update(price=inhouse.price)
    for agreed in AgreedScore.objects.filter(bid=inhouse):
        AgreedScore.objects.filter(bid=charity, criterion=agreed.criterion).update(
            score=agreed.score
        )
    AgreedScore.objects.filter(bid=scenario.bids[2], criterion=scenario.criteria[0]).delete()
    make_award(scenario)
    rows = _rows(export_csv.scores_csv(scenario.round))[1:]
    ranks = {row[0]: row[8] for row in rows}
    assert ranks[inhouse.organisation.name] == ranks[charity.organisation.name] == "1"
    assert ranks[scenario.bids[2].organisation.name] == "3"
    missing = next(
        row
        for row in rows
        if row[0] == scenario.bids[2].organisation.name and row[1] == "Seen within four weeks"
    )
    assert missing[4:7] == ["", "5", "0.00"]


def test_cells_are_safe_from_spreadsheet_formulas() -> None:
    scenario = add_bids(published_round())
    bidder = scenario.bids[2].organisation
    bidder.name = '=HYPERLINK("http://evil.example","Click")'
    bidder.save()
    close_bids(scenario)
    add_evaluators(scenario)
    agree_scores(scenario)
    make_award(scenario)
    for lines in (export_csv.scores_csv(scenario.round), export_csv.interests_csv(scenario.round)):
        cells = [cell for row in _rows(lines) for cell in row]
        assert "'" + bidder.name in cells
        assert bidder.name not in cells


# --- The register of interests ------------------------------------------------------------------


def test_the_register_of_interests_after_the_deadline() -> None:
    scenario = add_evaluators(close_bids(add_bids(published_round())))
    text = "".join(export_csv.interests_csv(scenario.round))
    header, *rows = _rows([text])
    assert header == ["evaluator", "role", "bidder", "interest", "details", "declared_on"]
    assert len(rows) == 3 * 3  # every evaluator and every submitted bid
    today = timezone.localdate().isoformat()
    private = scenario.bids[2].organisation.name
    assert ["Asha Patel", "resident", private, "yes", "My brother works for them.", today] in rows
    assert ["Sam Reid", "staff", private, "no", "", today] in rows
    assert ["Name not given", "resident", private, "", "", ""] in rows  # not declared yet
    assert "@example.org" not in text  # never an email address
    for bid in scenario.others:
        assert bid.organisation.name not in text
