"""Protection interval across all published tables (disclosure control, second line of defence).

Suppressing small cells table by table is not enough when tables overlap: "Verbleib nach Schule"
together with the city totals and the Stadtteil table can pin a suppressed cell down to one or
two values. Here every published cell is written as a sum of the finest counts behind it
(year × school × outcome/sector). For each suppressed cell, two linear programmes find the
smallest and the largest value it can take given every published value and non-negativity.
If fewer than ``threshold`` whole numbers remain possible, the cell is too exposed and
``protection_enforce`` suppresses one more cell – the smallest non-zero published cell that
shares counts with it or its row or column – and checks again, until every suppressed cell
keeps at least ``threshold`` possible values. Zero cells are never used as complements: a known
zero protects nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .disclosure import DisclosedTable

Combination = dict[tuple, int]  # finest count key → coefficient


@dataclass
class PublishedTable:
    key: str
    disclosed: DisclosedTable
    combos: list[list[Combination]]  # per body cell


@dataclass
class Exposure:
    table: str
    cell: tuple[int, int]  # (row, column); -1 marks a total
    low: float
    high: float

    @property
    def possible_values(self) -> int:
        return max(0, math.floor(self.high + 1e-6) - math.ceil(self.low - 1e-6) + 1)


def _merge(combos) -> Combination:
    out: Combination = {}
    for combo in combos:
        for var, coef in combo.items():
            out[var] = out.get(var, 0) + coef
    return out


def _cells(table: PublishedTable):
    """Every published cell of a table with its value (None = suppressed) and combination."""
    d = table.disclosed
    rows, cols = len(table.combos), len(table.combos[0]) if table.combos else 0
    for i in range(rows):
        for j in range(cols):
            yield (i, j), d.cells[i][j], table.combos[i][j]
        yield (i, -1), d.row_totals[i], _merge(table.combos[i])
    for j in range(cols):
        yield (-1, j), d.col_totals[j], _merge(table.combos[i][j] for i in range(rows))
    yield (-1, -1), d.total, _merge(c for row in table.combos for c in row)


def protection_audit(tables: list[PublishedTable], threshold: int) -> list[Exposure]:
    """The feasible range of every suppressed cell given all published cells of all tables."""
    import numpy as np
    from scipy.optimize import linprog

    variables: dict[tuple, int] = {}
    equalities, rhs, suppressed = [], [], []
    for table in tables:
        for cell, value, combo in _cells(table):
            for var in combo:
                variables.setdefault(var, len(variables))
            if value is None:
                suppressed.append((table.key, cell, combo))
            else:
                equalities.append(combo)
                rhs.append(value)
    if not suppressed:
        return []
    n = len(variables)
    a_eq = np.zeros((len(equalities), n))
    for row, combo in enumerate(equalities):
        for var, coef in combo.items():
            a_eq[row, variables[var]] = coef
    b_eq = np.array(rhs, dtype=float)
    exposures = []
    cache: dict[tuple, tuple[float, float]] = {}
    for key, cell, combo in suppressed:
        signature = tuple(sorted(combo.items()))
        if signature not in cache:
            c = np.zeros(n)
            for var, coef in combo.items():
                c[variables[var]] = coef
            bounds = []
            for sign in (1, -1):
                result = linprog(sign * c, A_eq=a_eq if len(rhs) else None, b_eq=b_eq if len(rhs) else None,
                                 bounds=(0, None), method="highs")
                bounds.append(sign * result.fun if result.status == 0 else (0.0 if sign == 1 else math.inf))
            cache[signature] = (bounds[0], bounds[1])
        low, high = cache[signature]
        exposures.append(Exposure(key, cell, low, high))
    return exposures


def _weak(tables, threshold):
    return [e for e in protection_audit(tables, threshold) if e.possible_values < threshold]


def protection_enforce(tables: list[PublishedTable], threshold: int, *, max_rounds: int = 500) -> int:
    """Suppress further cells until every suppressed cell keeps ``threshold`` possible values.
    Returns how many cells were added."""
    by_key = {t.key: t for t in tables}
    added = 0
    for _round in range(max_rounds):
        weak = _weak(tables, threshold)
        if not weak:
            return added
        exposure = min(weak, key=lambda e: (e.possible_values, e.table, e.cell))
        table = by_key[exposure.table]
        weak_combo = dict(next(c for cell, _v, c in _cells(table) if cell == exposure.cell))
        candidate = _complement(tables, table, exposure.cell, weak_combo)
        if candidate is None:
            # No cell left to hide beside it: hide the totals of its row and column instead.
            i, j = exposure.cell
            d = table.disclosed
            changed = False
            if i >= 0 and d.row_totals[i] is not None:
                d.row_totals[i], changed = None, True
            if j >= 0 and d.col_totals[j] is not None:
                d.col_totals[j], changed = None, True
            if d.total is not None and (i < 0 or j < 0 or not changed):
                d.total, changed = None, True
            if not changed:
                return added  # everything around it is hidden already
            added += 1
            continue
        owner, (i, j) = candidate
        _hide(owner.disclosed, i, j)
        added += 1
    return added


def _hide(d: DisclosedTable, i: int, j: int) -> None:
    """Suppress a body cell or a margin (-1 marks a total)."""
    if i >= 0 and j >= 0:
        d.cells[i][j] = None
        d.secondary.add((i, j))
    elif i >= 0:
        d.row_totals[i] = None
    elif j >= 0:
        d.col_totals[j] = None
    else:
        d.total = None


def _complement(tables, table, cell, weak_combo):
    """The smallest non-zero published cell in the weak cell's row or column, else in any table
    sharing counts with it. Margins count as cells: in a one-row table a column total repeats its
    cell, so leaving it published would give the hidden cell away."""
    i0, j0 = cell
    best = None
    for candidate_table in [table] + [t for t in tables if t is not table]:
        for (i, j), value, combo in _cells(candidate_table):
            if value is None or value == 0:
                continue
            same_line = candidate_table is table and (i == i0 or j == j0 or i0 < 0 or j0 < 0)
            shares = bool(set(combo) & set(weak_combo))
            if not (same_line or shares):
                continue
            rank = (0 if candidate_table is table and same_line else 1, value, candidate_table.key, i, j)
            if best is None or rank < best[0]:
                best = (rank, candidate_table, (i, j))
        if best is not None and best[0][0] == 0:
            break
    return None if best is None else (best[1], best[2])
