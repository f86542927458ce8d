from bildungskette.transitions.disclosure import table_disclose


def test_small_cell_is_suppressed_with_a_complementary_cell_in_its_row_and_column():
    cells = [[10, 2, 8],
             [7, 5, 9]]
    out = table_disclose(cells, method="min_cell", min_cell=3)
    assert out.cells[0][1] is None  # primary: 2 < 3
    assert (0, 1) in out.primary
    row0 = [j for j, v in enumerate(out.cells[0]) if v is None]
    col1 = [i for i, r in enumerate(out.cells) if r[1] is None]
    assert len(row0) >= 2 and len(col1) >= 2, "a single suppressed cell could be recomputed from the totals"
    assert out.secondary, "secondary suppression must hide at least one complementary cell"
    # Totals stay published; no row or column has exactly one hidden cell.
    assert out.row_totals == [20, 21] and out.total == 41
    for row in out.cells:
        assert sum(v is None for v in row) != 1
    for j in range(3):
        assert sum(out.cells[i][j] is None for i in range(2)) != 1
    assert "sekundäre Sperrung" in out.note


def test_nothing_suppressed_when_every_cell_is_large_enough_and_zero_is_not_sensitive():
    out = table_disclose([[10, 0, 8], [7, 5, 9]], method="min_cell", min_cell=3)
    assert out.cells == [[10, 0, 8], [7, 5, 9]] and not out.secondary


def test_rounding_to_five_rounds_cells_and_totals_independently():
    out = table_disclose([[12, 2, 8]], method="round5")
    assert out.cells == [[10, 0, 10]] and out.row_totals == [20]
    assert "Vielfache von 5" in out.note


def test_configurable_minimum_cell():
    out = table_disclose([[4, 10, 12], [10, 11, 13]], method="min_cell", min_cell=5)
    assert out.cells[0][0] is None
