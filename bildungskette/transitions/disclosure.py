"""Disclosure control for every figure computed from person-level records and shown above the
school level (domain README § 4): minimum cell with secondary suppression, or rounding to 3/5/10.

A table is a list of rows, each a list of counts; the row totals, column totals and the grand
total are published too, so a single suppressed cell in a row or column could be recomputed.
Secondary suppression therefore hides a complementary entry until every line of the table *with its
margins* (each row with its total, each column with its total, the totals row and column with the
grand total) has either no or at least two suppressed entries; a margin can be the complement.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import DisclosureMethod

SUPPRESSED = None  # a suppressed cell; templates show "•"


@dataclass
class DisclosedTable:
    cells: list[list[int | None]]
    row_totals: list[int | None]
    col_totals: list[int | None]
    total: int | None
    primary: set[tuple[int, int]] = field(default_factory=set)
    secondary: set[tuple[int, int]] = field(default_factory=set)
    note: str = ""

    def is_suppressed(self, i: int, j: int) -> bool:
        return self.cells[i][j] is None


def _round(value: int, base: int) -> int:
    # Round half up to a multiple of base; a small non-zero count never becomes a published zero
    # that looks exact, but rounding to 0 is how BIBB/IT.NRW publish it too, so we keep it.
    return int((value + base / 2) // base * base)


def rule_note(method: str, min_cell: int = 3) -> str:
    if method == DisclosureMethod.MIN_CELL:
        return _("Geheimhaltung: Werte unter %(n)d Fällen sind gesperrt (•); damit sie sich nicht aus Summen "
                 "zurückrechnen lassen, ist je Zeile und Spalte mindestens ein weiterer Wert gesperrt "
                 "(sekundäre Sperrung).") % {"n": min_cell}
    base = {"round3": 3, "round5": 5, "round10": 10}[method]
    return _("Geheimhaltung: alle Werte einzeln auf Vielfache von %(b)d gerundet; Summen und Anteile können "
             "daher von der Summe der Einzelwerte abweichen.") % {"b": base}


def table_disclose(cells: list[list[int]], *, method: str = DisclosureMethod.MIN_CELL,
                   min_cell: int = 3) -> DisclosedTable:
    rows = [list(r) for r in cells]
    row_totals = [sum(r) for r in rows]
    n_cols = max((len(r) for r in rows), default=0)
    col_totals = [sum(r[j] for r in rows) for j in range(n_cols)]
    total = sum(row_totals)
    note = rule_note(method, min_cell)
    if method != DisclosureMethod.MIN_CELL:
        base = {"round3": 3, "round5": 5, "round10": 10}[method]
        return DisclosedTable(
            cells=[[_round(v, base) for v in r] for r in rows],
            row_totals=[_round(v, base) for v in row_totals],
            col_totals=[_round(v, base) for v in col_totals],
            total=_round(total, base), note=note)

    primary = {(i, j) for i, r in enumerate(rows) for j, v in enumerate(r) if 0 < v < min_cell}
    # The margins are published cells too: the table with its totals is an (R+1) × (C+1) grid in which
    # every line – a row with its total, a column with its total, the row of column totals with the
    # grand total, the column of row totals with the grand total – is one sum. Each line must have
    # no or at least two hidden entries, otherwise the hidden one is that sum minus the others
    # (a hidden row total from the grand total, a cell of a one-row table from its column total).
    n_rows = len(rows)
    grid = [r + [row_totals[i]] for i, r in enumerate(rows)] + [col_totals + [total]]
    suppressed = set(primary)
    # Totals below the threshold are themselves sensitive.
    suppressed |= {(i, n_cols) for i, t in enumerate(row_totals) if 0 < t < min_cell}
    suppressed |= {(n_rows, j) for j, t in enumerate(col_totals) if 0 < t < min_cell}
    if 0 < total < min_cell:
        suppressed.add((n_rows, n_cols))

    def complement(line: list[tuple[int, int]]) -> tuple[int, int] | None:
        candidates = [(grid[i][j] == 0, grid[i][j], i, j) for i, j in line if (i, j) not in suppressed]
        if not candidates:
            return None
        # Prefer the smallest non-zero entry: a zero beside a suppressed cell protects nothing.
        _, _, i, j = min(candidates)
        return i, j

    lines = [[(i, j) for j in range(len(grid[i]))] for i in range(n_rows + 1)]
    lines += [[(i, j) for i in range(n_rows + 1) if j < len(grid[i])] for j in range(n_cols + 1)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(c in suppressed for c in line) == 1:
                extra = complement(line)
                if extra:
                    suppressed.add(extra)
                    changed = True
    out = [[None if (i, j) in suppressed else v for j, v in enumerate(r)] for i, r in enumerate(rows)]
    body = {(i, j) for i, j in suppressed if i < n_rows and j < n_cols}
    return DisclosedTable(
        cells=out,
        row_totals=[None if (i, n_cols) in suppressed else t for i, t in enumerate(row_totals)],
        col_totals=[None if (n_rows, j) in suppressed else t for j, t in enumerate(col_totals)],
        total=None if (n_rows, n_cols) in suppressed else total,
        primary=primary, secondary=body - primary, note=note)


def share(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return round(100.0 * part / whole, 1)
