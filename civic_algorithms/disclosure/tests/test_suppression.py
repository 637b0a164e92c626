"""Small-number suppression: examples worked by hand, and properties checked by a brute-force attacker."""

from __future__ import annotations

import itertools
from dataclasses import FrozenInstanceError

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic_algorithms.disclosure import (
    DisclosureInputError,
    Suppressed,
    Table,
    recoverable,
    suppress,
)
from civic_algorithms.disclosure.tests import brute_force

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def cell(r: int, c: int, width: int) -> int:
    """The index of cell (r, c) in a table made by ``Table.two_way``."""
    return r * width + c


def hidden_per_total(table: Table, hidden: frozenset[int]) -> list[int]:
    return [len(total & hidden) for total in table.totals]


# --- Examples worked by hand -------------------------------------------------------------------


def test_one_way_hides_the_small_cell_and_the_smallest_other() -> None:
    table = Table.one_way([3, 25, 40, 12])
    result = suppress(table)
    assert result == Suppressed(primary=frozenset({0}), complementary=frozenset({3}))
    assert result.cells == {0, 3}
    # With the total (80) published, the 3 alone gives itself away; with the 12 hidden too,
    # 3 + 12 = 15 could be split in sixteen ways.
    assert recoverable(table, frozenset({0})) == {0}
    assert recoverable(table, result.cells) == set()
    assert not brute_force.fixed(table, result.cells)


def test_two_small_cells_protect_each_other() -> None:
    result = suppress(Table.one_way([3, 5, 40]))
    assert result == Suppressed(primary=frozenset({0, 1}), complementary=frozenset())


def test_zero_is_shown_and_is_hidden_only_when_nothing_else_is_left() -> None:
    assert suppress(Table.one_way([0, 25, 40])).cells == set()
    assert suppress(Table.one_way([4, 0, 15, 30])).complementary == {2}  # 15, not the zero
    assert suppress(Table.one_way([4, 0, 0])).complementary == {1}  # a zero: lowest index


def test_the_threshold_is_fewer_than() -> None:
    assert suppress(Table.one_way([9, 10, 11, 40])).primary == {0}
    assert suppress(Table.one_way([9, 10, 11, 40]), threshold=5).cells == set()
    assert suppress(Table.one_way([4, 5, 40]), threshold=5).primary == {0}
    assert suppress(Table.one_way([1, 2, 3]), threshold=1).cells == set()


def test_ties_go_to_the_lowest_index() -> None:
    assert suppress(Table.one_way([30, 12, 3, 12])).complementary == {1}


def test_a_total_over_one_small_cell_is_withheld() -> None:
    single = suppress(Table.one_way([3]))
    assert single == Suppressed(
        primary=frozenset({0}), complementary=frozenset(), withheld_totals=frozenset({0})
    )
    # A subtotal of one cell gives it away whatever else is hidden: it is withheld, and one more
    # cell hidden so that the grand total does not give the 3 away either.
    table = Table((3, 40, 25), (frozenset({0, 1, 2}), frozenset({0})))
    result = suppress(table)
    assert result.complementary == {2}
    assert result.withheld_totals == {1}
    assert recoverable(table, result.cells, result.withheld_totals) == set()
    assert recoverable(table, result.cells) == {0, 2}  # the subtotal would undo it all


def test_two_way_table_with_margins() -> None:
    rows = [[3, 20, 30], [15, 40, 11], [22, 17, 50]]
    table = Table.two_way(rows)
    result = suppress(table)
    # No single cell protects the 3 (row 0 or column 0 would still hold it alone). Row 0 comes
    # first: hide its smallest, the 20; column 0 still holds the 3 alone: hide its smallest,
    # the 15; now the 40 closes the rectangle 3, 20 / 15, 40, and any amount can move round it.
    assert result.primary == {cell(0, 0, 3)}
    assert result.complementary == {cell(0, 1, 3), cell(1, 0, 3), cell(1, 1, 3)}
    assert result.withheld_totals == set()
    assert hidden_per_total(table, result.cells) == [2, 2, 0, 2, 2, 0, 4]
    assert recoverable(table, result.cells) == set()
    assert not brute_force.fixed(table, result.cells)


def test_a_bridge_is_found_though_every_row_and_column_hides_two_cells() -> None:
    # Two rectangles of hidden cells (rows 0-1 x columns 0-1, rows 2-3 x columns 2-3) joined
    # by cell (1, 2). Every row and column has two hidden cells or more, yet (1, 2) is
    # row 0 + row 1 - column 0 - column 1: a "two per total" rule would publish it.
    table = Table.two_way([[20] * 4] * 4)
    squares = {cell(r, c, 4) for r, c in [(0, 0), (0, 1), (1, 0), (1, 1)]}
    squares |= {cell(r, c, 4) for r, c in [(2, 2), (2, 3), (3, 2), (3, 3)]}
    bridge = cell(1, 2, 4)
    hidden = frozenset(squares | {bridge})
    assert min(hidden_per_total(table, hidden)) >= 2
    assert recoverable(table, hidden) == {bridge}
    assert brute_force.fixed(table, hidden) == {bridge}

    # The same pattern of small cells: the engine hides the smallest cell that joins the two
    # rectangles, so that the bridge lies on a cycle: the 11 at (0, 3).
    rows = [[2, 3, 13, 11], [4, 5, 6, 14], [15, 16, 7, 8], [17, 18, 9, 1]]
    table = Table.two_way(rows)
    result = suppress(table)
    assert result.primary == hidden
    assert result.complementary == {cell(0, 3, 4)}
    assert recoverable(table, result.primary) == {bridge}
    assert recoverable(table, result.cells) == set()
    assert not brute_force.fixed(table, result.cells)


def test_the_totals_that_give_a_cell_away_are_the_ones_dealt_with() -> None:
    # One row with its column totals: each column total is its one cell, so hiding the 3 means
    # withholding column 0's total; the row total (53) then holds the 3 alone: hide the 20,
    # whose own column total must go too. Column 2 (30) and the row total stay published.
    table = Table.two_way([[3, 20, 30]])
    result = suppress(table)
    assert result == Suppressed(
        primary=frozenset({0}), complementary=frozenset({1}), withheld_totals=frozenset({1, 2})
    )
    assert not brute_force.fixed(table, result.cells, result.withheld_totals)


def test_counts_cannot_be_negative_and_the_engine_knows_it() -> None:
    # Row 0 adds up to 0, so every cell of it is 0, hidden or not. Hiding the rectangle of
    # columns 1-2 x rows 0-1 satisfies linear algebra alone (no cell is fixed by the totals as
    # equations), but with the two hidden zeros of row 0 known, the 1 is 1 again.
    table = Table.two_way([[0, 0, 0], [0, 1, 12], [12, 0, 12]])
    rectangle = frozenset({cell(0, 1, 3), cell(0, 2, 3), cell(1, 1, 3), cell(1, 2, 3)})
    assert recoverable(table, rectangle) == rectangle
    assert brute_force.fixed(table, rectangle) == rectangle
    result = suppress(table)
    assert result.primary == {cell(1, 1, 3)}
    assert result.complementary == {cell(1, 2, 3), cell(2, 1, 3), cell(2, 2, 3)}
    assert not brute_force.fixed(table, result.cells)


def test_a_table_with_one_count_withholds_the_margins_that_give_it_away() -> None:
    table = Table.two_way([[3, 0], [0, 0]])
    result = suppress(table)
    # Every other cell is 0, so hiding cells cannot help: the row 0, column 0 and grand totals
    # (each 3) are withheld; row 1 and column 1 (each 0) are still published, and so are the 0s.
    assert result == Suppressed(
        primary=frozenset({0}), complementary=frozenset(), withheld_totals=frozenset({0, 2, 4})
    )
    assert recoverable(table, result.cells, result.withheld_totals) == set()


def test_recoverable_counts_withheld_totals_as_unpublished() -> None:
    table = Table.one_way([3, 25])
    assert recoverable(table, frozenset({0})) == {0}
    assert recoverable(table, frozenset({0}), frozenset({0})) == set()
    assert recoverable(table, frozenset()) == set()


def test_bad_input_is_refused_with_a_clear_message() -> None:
    with pytest.raises(DisclosureInputError, match="cell 1: the count -2 is negative"):
        Table((1, -2), (frozenset({0, 1}),))
    with pytest.raises(DisclosureInputError, match="total 0: there is no cell 5"):
        Table((1, 2), (frozenset({0, 5}),))
    with pytest.raises(DisclosureInputError, match="not a whole number"):
        Table((1, 2.5), ())  # type: ignore[arg-type]
    with pytest.raises(DisclosureInputError, match="same number of cells"):
        Table.two_way([[1, 2], [3]])
    with pytest.raises(DisclosureInputError, match="threshold"):
        suppress(Table.one_way([1, 2]), threshold=0)
    with pytest.raises(DisclosureInputError, match="no cell 4"):
        recoverable(Table.one_way([1, 2]), frozenset({4}))
    with pytest.raises(DisclosureInputError, match="no total 1"):
        recoverable(Table.one_way([1, 2]), frozenset({0}), frozenset({1}))


def test_plain_data_in_and_out() -> None:
    table = Table([3, 25, 40], [{0, 1, 2}])  # type: ignore[arg-type]
    assert table == Table.one_way([3, 25, 40])
    assert table.total(0) == 68
    result = suppress(table)
    with pytest.raises(FrozenInstanceError):
        result.primary = frozenset()  # type: ignore[misc]
    assert Table.two_way([[1, 2], [3, 4]], grand_total=False).totals == (
        frozenset({0, 1}),
        frozenset({2, 3}),
        frozenset({0, 2}),
        frozenset({1, 3}),
    )


# --- Properties on small random tables -----------------------------------------------------------

# Mostly small counts, so that most tables have some to hide; many zeros, since a hidden zero is
# where linear algebra alone goes wrong (decision 0096); some large counts.
counts = st.one_of(st.just(0), st.sampled_from([1, 12]), st.integers(0, 12), st.integers(10, 30))
# Tables that are mostly zeros, where that goes wrong most often.
sparse_counts = st.one_of(st.just(0), st.just(0), st.just(0), counts)


@st.composite
def one_way_tables(draw: st.DrawFn) -> Table:
    return Table.one_way(draw(st.lists(counts, min_size=1, max_size=6)))


@st.composite
def two_way_tables(draw: st.DrawFn) -> Table:
    height, width = draw(st.integers(2, 3)), draw(st.integers(2, 4))
    values = draw(st.sampled_from([counts, sparse_counts]))
    rows = [[draw(values) for _ in range(width)] for _ in range(height)]
    return Table.two_way(rows, grand_total=draw(st.booleans()))


@st.composite
def nested_tables(draw: st.DrawFn) -> Table:
    """A list with its grand total and subtotals of consecutive groups (e.g. age bands in three)."""
    values = draw(st.lists(counts, min_size=2, max_size=6))
    cuts = sorted(draw(st.sets(st.integers(1, len(values) - 1), max_size=3)))
    edges = [0, *cuts, len(values)]
    groups = [frozenset(range(a, b)) for a, b in itertools.pairwise(edges)]
    return Table(tuple(values), (frozenset(range(len(values))), *groups))


tables = st.one_of(one_way_tables(), two_way_tables(), nested_tables())
thresholds = st.sampled_from([3, 5, 10])


SHAPES = {"one-way": one_way_tables(), "two-way": two_way_tables(), "nested": nested_tables()}


@pytest.mark.parametrize("shape", SHAPES)
@SETTINGS
@given(data=st.data(), threshold=thresholds)
def test_no_hidden_cell_can_be_worked_out(shape: str, data: st.DataObject, threshold: int) -> None:
    table = data.draw(SHAPES[shape], label="table")
    result = suppress(table, threshold)
    small = {i for i, value in enumerate(table.values) if 0 < value < threshold}
    # (a) every small cell is hidden, as primary
    assert result.primary == small
    # (b) an attacker trying every whole-number table that fits the published cells and totals
    # finds another value for every hidden cell
    assert brute_force.fixed(table, result.cells, result.withheld_totals) == set()
    # (c) nothing else is hidden except as a complement
    assert not result.primary & result.complementary
    assert all(
        i in result.complementary
        for i in result.cells
        if table.values[i] == 0 or table.values[i] >= threshold
    )
    # the engine's own check agrees
    assert recoverable(table, result.cells, result.withheld_totals) == set()


@settings(SETTINGS, max_examples=40)
@given(tables, thresholds)
def test_suppression_is_deterministic(table: Table, threshold: int) -> None:
    again = Table(
        tuple(table.values), tuple(frozenset(sorted(total, reverse=True)) for total in table.totals)
    )
    assert suppress(table, threshold) == suppress(again, threshold)


@st.composite
def hidden_cells(draw: st.DrawFn) -> tuple[Table, frozenset[int], frozenset[int]]:
    """A small table, any set of hidden cells and any set of withheld totals."""
    table = draw(tables)
    table = Table(tuple(min(value, 6) for value in table.values), table.totals)
    hidden = {i for i in range(len(table.values)) if draw(st.integers(0, 3))}  # 3 in 4 hidden
    withheld = draw(st.sets(st.integers(0, len(table.totals) - 1)))
    return table, frozenset(hidden), frozenset(withheld)


@SETTINGS
@given(hidden_cells())
def test_recoverable_is_what_the_brute_force_attacker_finds(
    case: tuple[Table, frozenset[int], frozenset[int]],
) -> None:
    # Grids with margins and nested subtotals: exact, zeros and all.
    table, hidden, withheld = case
    assert recoverable(table, hidden, withheld) == brute_force.fixed(table, hidden, withheld)


@st.composite
def any_totals(draw: st.DrawFn) -> tuple[Table, frozenset[int]]:
    """Up to 5 cells under any 1-4 totals, overlapping as they like, and any hidden cells."""
    values = draw(st.lists(st.integers(0, 5), min_size=1, max_size=5))
    index = st.integers(0, len(values) - 1)
    totals = draw(st.lists(st.frozensets(index, min_size=1), min_size=1, max_size=4))
    hidden = draw(st.frozensets(index))
    return Table(tuple(values), tuple(totals)), hidden


@SETTINGS
@given(any_totals())
def test_what_recoverable_reports_is_always_fixed(case: tuple[Table, frozenset[int]]) -> None:
    # For totals of any shape the check never cries wolf (decision 0096 says where it may miss).
    table, hidden = case
    assert recoverable(table, hidden) <= brute_force.fixed(table, hidden)
