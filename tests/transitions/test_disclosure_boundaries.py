"""Disclosure control at its limits: a cell equal to the minimum cell, one below it, totals at the
threshold, the complementary cell never a zero, and rounding at the half-way points.

Every expected table here is worked out by hand from the rule in the domain README § 4 (cells
1 … min_cell−1 are hidden; each row and column then has no or at least two hidden cells; the
complementary cell is the smallest non-zero one), not by running the code.
"""

import pytest

from bildungskette.transitions.disclosure import share, table_disclose


@pytest.mark.parametrize("min_cell", [3, 5])
def test_a_cell_equal_to_the_minimum_cell_is_published(min_cell):
    cells = [[min_cell, 10, 12], [10, 11, 13]]
    out = table_disclose(cells, method="min_cell", min_cell=min_cell)
    assert out.cells == cells
    assert out.primary == set() and out.secondary == set()
    assert out.row_totals == [min_cell + 22, 34] and out.col_totals == [min_cell + 10, 21, 25]


@pytest.mark.parametrize("min_cell", [3, 5])
def test_a_cell_one_below_the_minimum_cell_is_hidden_with_exactly_its_complements(min_cell):
    small = min_cell - 1
    out = table_disclose([[small, 10, 12], [10, 11, 13]], method="min_cell", min_cell=min_cell)
    # Row 0: the smallest other non-zero cell is 10 (column 1); column 0: the only other cell is 10
    # (row 1); row 1 then has (1, 0) hidden and needs one more: the smallest is 11 (column 1), which
    # also gives column 1 its second hidden cell.
    assert out.primary == {(0, 0)}
    assert out.secondary == {(0, 1), (1, 0), (1, 1)}
    assert out.cells == [[None, None, 12], [None, None, 13]]
    assert out.row_totals == [small + 22, 34] and out.total == small + 56


def test_the_complementary_cell_is_never_a_zero():
    # The 10/0/2 row: a hidden zero beside the hidden 2 leaves "the two hidden cells sum to 2",
    # which with small counts nearly gives the 2 away; the smallest non-zero cell, 10, must go.
    out = table_disclose([[10, 0, 2], [7, 5, 9]], method="min_cell", min_cell=3)
    assert out.primary == {(0, 2)}
    # Row 0 → (0, 0) = 10; column 2 → (1, 2) = 9; column 0 → (1, 0) = 7; row 1 then has two.
    assert out.secondary == {(0, 0), (1, 2), (1, 0)}
    assert out.cells == [[None, 0, None], [None, 5, None]]
    assert out.row_totals == [12, 21] and out.col_totals == [17, 5, 11] and out.total == 33


def test_the_complement_is_the_smallest_non_zero_cell_of_the_line():
    out = table_disclose([[1, 9, 4, 0, 6], [5, 5, 5, 5, 5]], method="min_cell", min_cell=3)
    # Row 0: primary 1, complement 4 (smallest non-zero, not the 0, not the 9); columns 0 and 2
    # then take the 5 below them; row 1 has two hidden cells and needs nothing more.
    assert out.primary == {(0, 0)} and out.secondary == {(0, 2), (1, 0), (1, 2)}
    assert out.cells == [[None, 9, None, 0, 6], [None, 5, None, 5, 5]]


def test_a_row_total_equal_to_the_minimum_cell_stays_published():
    out = table_disclose([[3, 0], [20, 30]], method="min_cell", min_cell=3)
    assert out.cells == [[3, 0], [20, 30]] and out.row_totals == [3, 50] and out.total == 53


def test_a_row_total_below_the_minimum_cell_is_hidden_and_cannot_be_recomputed():
    out = table_disclose([[2, 0], [20, 30]], method="min_cell", min_cell=3)
    # Grid with margins:  [2p 0 | 2h] / [20 30 | 50] / [22 30 | 52].
    # Row 0 has two hidden entries (the 2 and its total). Column 0 (2, 20 | 22) has one: the smallest
    # non-zero other entry is 20. The column of row totals (2, 50 | 52) has one: 50 goes too. Row 1
    # (20, 30 | 50) then has two. Before margins counted, 52 − 50 gave row 0's hidden total back.
    assert out.cells == [[None, 0], [None, 30]]
    assert out.row_totals == [None, None]
    assert out.col_totals == [22, 30] and out.total == 52
    assert out.primary == {(0, 0)} and out.secondary == {(1, 0)}


def test_a_column_total_at_and_below_the_minimum_cell():
    at = table_disclose([[3, 20], [0, 30]], method="min_cell", min_cell=3)
    assert at.col_totals == [3, 50] and at.cells == [[3, 20], [0, 30]]
    below = table_disclose([[1, 20], [1, 30]], method="min_cell", min_cell=3)
    # Both cells of column 0 are primary; its total (2) is hidden; rows have one hidden cell each
    # and take their next smallest entry: 20 and 30. The row of column totals (2h, 50 | 52) then has
    # one hidden entry, so 50 goes too – otherwise 52 − 50 = 2 would give column 0's total back.
    assert below.col_totals == [None, None] and below.row_totals == [21, 31] and below.total == 52
    assert below.cells == [[None, None], [None, None]]
    assert below.primary == {(0, 0), (1, 0)} and below.secondary == {(0, 1), (1, 1)}


def test_in_a_one_row_table_the_column_totals_do_not_give_hidden_cells_away():
    out = table_disclose([[10, 0, 2]], method="min_cell", min_cell=3)
    # Row (10, 0, 2 | 12): the 2 and the smallest non-zero 10. Each column is (cell | its total), the
    # same number twice, so a hidden cell hides its column total; the totals row (10h, 0, 2h | 12)
    # then has two hidden entries and keeps the grand total.
    assert out.cells == [[None, 0, None]]
    assert out.col_totals == [None, 0, None]
    assert out.row_totals == [12] and out.total == 12


@pytest.mark.parametrize("cells", [
    [[2, 0], [20, 30]], [[1, 20], [1, 30]], [[10, 0, 2]], [[1, 9, 4, 0, 6], [5, 5, 5, 5, 5]],
    [[4, 1], [0, 9], [7, 7]], [[2], [9], [11]],
])
def test_no_line_of_the_table_with_its_margins_has_exactly_one_hidden_entry(cells):
    """Checked on the published grid itself, independent of how the cells were chosen."""
    out = table_disclose(cells, method="min_cell", min_cell=3)
    grid = [row + [t] for row, t in zip(out.cells, out.row_totals, strict=True)] + [out.col_totals + [out.total]]
    lines = grid + [list(col) for col in zip(*grid, strict=True)]
    assert all(sum(v is None for v in line) != 1 for line in lines), grid
    # And what is published is true.
    truth = [row + [sum(row)] for row in cells] + [[sum(c) for c in zip(*cells, strict=True)] + [sum(map(sum, cells))]]
    assert all(v in (None, t) for row, trow in zip(grid, truth, strict=True) for v, t in zip(row, trow, strict=True))


def test_the_grand_total_at_and_below_the_minimum_cell():
    assert table_disclose([[3]], method="min_cell", min_cell=3).total == 3
    tiny = table_disclose([[1, 1]], method="min_cell", min_cell=3)
    assert tiny.total is None and tiny.row_totals == [None] and tiny.cells == [[None, None]]
    assert table_disclose([[0, 0]], method="min_cell", min_cell=3).total == 0


def test_zero_cells_and_zero_totals_are_not_sensitive():
    out = table_disclose([[0, 0], [0, 7]], method="min_cell", min_cell=3)
    assert out.cells == [[0, 0], [0, 7]] and out.row_totals == [0, 7] and out.col_totals == [0, 7]


@pytest.mark.parametrize(
    "method,cells,expected",
    [
        # Below the half-way point down, at or above it up (10 → 5 is exactly half: up).
        ("round5", [2, 3, 7, 8, 12, 13], [0, 5, 5, 10, 10, 15]),
        ("round3", [1, 2, 4, 5], [0, 3, 3, 6]),
        ("round10", [4, 5, 14, 15], [0, 10, 10, 20]),
    ],
)
def test_rounding_at_the_half_way_points(method, cells, expected):
    out = table_disclose([cells], method=method)
    assert out.cells == [expected]
    assert out.primary == set() and out.secondary == set()


def test_rounded_totals_are_rounded_from_the_true_sums_not_from_the_rounded_cells():
    out = table_disclose([[2, 2, 2], [3, 3, 3]], method="round5")
    # Cells 2 → 0, 3 → 5; row sums 6 → 5 and 9 → 10; columns 5 → 5; total 15 → 15.
    assert out.cells == [[0, 0, 0], [5, 5, 5]]
    assert out.row_totals == [5, 10] and out.col_totals == [5, 5, 5] and out.total == 15


def test_share_of_a_hidden_or_empty_whole():
    assert share(1, 3) == 33.3 and share(2, 3) == 66.7 and share(3, 3) == 100.0
    assert share(None, 10) is None and share(5, 0) is None and share(5, None) is None
    assert share(0, 10) == 0.0


def test_a_column_with_one_hidden_cell_among_three_rows_gets_its_complement():
    out = table_disclose([[1, 6, 7], [5, 8, 9], [4, 10, 11]], method="min_cell", min_cell=3)
    # Row 0: 1 → complement 6; column 0: smallest other is 4 (row 2); column 1: 8 (row 1);
    # then row 1 takes 5 and row 2 takes 10; every line has 0, 2 or 3 hidden cells.
    assert out.cells == [[None, None, 7], [None, None, 9], [None, None, 11]]
    assert out.primary == {(0, 0)}
    assert out.is_suppressed(0, 0) and out.is_suppressed(2, 1) and not out.is_suppressed(2, 2)


def test_totals_of_exactly_one_are_hidden():
    out = table_disclose([[1, 0], [0, 0]], method="min_cell", min_cell=3)
    assert out.row_totals == [None, 0] and out.col_totals == [None, 0] and out.total is None
    assert out.cells == [[None, 0], [0, 0]]


def test_default_minimum_cell_is_three():
    out = table_disclose([[2, 3, 9], [3, 9, 9]])
    assert out.primary == {(0, 0)}
    assert "Werte unter 3 Fällen" in out.note


def test_an_empty_table():
    out = table_disclose([], method="min_cell", min_cell=3)
    assert (out.cells, out.row_totals, out.col_totals, out.total) == ([], [], [], 0)


def test_the_notes_say_the_rule_that_was_applied():
    assert table_disclose([[9]], method="min_cell", min_cell=5).note == (
        "Geheimhaltung: Werte unter 5 Fällen sind gesperrt (•); damit sie sich nicht aus Summen "
        "zurückrechnen lassen, ist je Zeile und Spalte mindestens ein weiterer Wert gesperrt "
        "(sekundäre Sperrung).")
    for method, base in [("round3", 3), ("round5", 5), ("round10", 10)]:
        assert table_disclose([[9]], method=method).note == (
            f"Geheimhaltung: alle Werte einzeln auf Vielfache von {base} gerundet; Summen und Anteile können "
            "daher von der Summe der Einzelwerte abweichen.")


def test_the_note_defaults_to_a_minimum_cell_of_three():
    from bildungskette.transitions.disclosure import rule_note

    assert "Werte unter 3 Fällen" in rule_note("min_cell")
