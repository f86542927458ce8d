"""Disclosure control for every figure computed from person-level records and shown above the
school level (domain README § 4): minimum cell with secondary suppression, or rounding to 3/5/10.

A table is a list of rows, each a list of counts; the row totals, column totals and the grand
total are published too, so a single suppressed cell in a row or column could be recomputed.
Secondary suppression therefore hides a complementary cell until every row and column has either
no or at least two suppressed cells.
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
    suppressed = set(primary)
    # Totals below the threshold are themselves sensitive: hide them and, through them, their line.
    hidden_rows = {i for i, t in enumerate(row_totals) if 0 < t < min_cell}
    hidden_cols = {j for j, t in enumerate(col_totals) if 0 < t < min_cell}

    def complement(line: list[tuple[int, int]]) -> tuple[int, int] | None:
        candidates = [(rows[i][j] == 0, rows[i][j], i, j) for i, j in line if (i, j) not in suppressed]
        if not candidates:
            return None
        # Prefer the smallest non-zero cell: a zero beside a suppressed cell protects nothing.
        _, _, i, j = min(candidates)
        return i, j

    changed = True
    while changed:
        changed = False
        for i, r in enumerate(rows):
            line = [(i, j) for j in range(len(r))]
            hits = [c for c in line if c in suppressed]
            if len(hits) == 1 and i not in hidden_rows:
                extra = complement(line)
                if extra:
                    suppressed.add(extra)
                    changed = True
        for j in range(n_cols):
            line = [(i, j) for i in range(len(rows)) if j < len(rows[i])]
            hits = [c for c in line if c in suppressed]
            if len(hits) == 1 and j not in hidden_cols:
                extra = complement(line)
                if extra:
                    suppressed.add(extra)
                    changed = True
    out = [[None if (i, j) in suppressed else v for j, v in enumerate(r)] for i, r in enumerate(rows)]
    hidden_total = 0 < total < min_cell
    return DisclosedTable(
        cells=out,
        row_totals=[None if i in hidden_rows else t for i, t in enumerate(row_totals)],
        col_totals=[None if j in hidden_cols else t for j, t in enumerate(col_totals)],
        total=None if hidden_total else total,
        primary=primary, secondary=suppressed - primary, note=note)


def share(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return round(100.0 * part / whole, 1)
