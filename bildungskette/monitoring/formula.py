"""Indicator formulas: a small, safe expression language over statistics.

Users write numerator and denominator as text, e.g.::

    wert("ba.stellen", art="betrieblich")
    wert("ba.bewerber", status="unversorgt") + wert("ba.bewerber", status="mit-alternative")
    min(wert("ba.stellen.unbesetzt"), wert("ba.bewerber", status=["unversorgt", "mit-alternative"]))
    indikator("auba") * indikator("versorgungsprobleme")

``wert(statistic, breakdown=category, …)`` is one value; a list of categories sums them;
breakdowns not named mean the total ("Insgesamt"). ``indikator(code)`` is another indicator's
result. Allowed: numbers, + − × ÷, parentheses, ``min``, ``max``, ``summe``. Parsing goes
through Python's ``ast`` with a whitelist; nothing is ever evaluated by ``eval``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from decimal import Decimal

FUNCTIONS = {"wert", "indikator", "min", "max", "summe"}


class FormulaError(ValueError):
    """A German message about what is wrong with a formula."""


@dataclass(frozen=True)
class Term:
    """One ``wert(...)`` call: a statistic and its category filter (lists are summed)."""

    statistic: str
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def keys(self) -> list[str]:
        """Canonical category keys this term sums over (see ``Value.categories``)."""
        keys = [[]]
        for breakdown, cats in sorted(self.filters):
            keys = [k + [f"{breakdown}={c}"] for k in keys for c in cats]
        return [";".join(k) for k in keys]

    def label(self) -> str:
        if not self.filters:
            return self.statistic
        inner = ", ".join(f"{b}={'|'.join(c)}" for b, c in self.filters)
        return f"{self.statistic} [{inner}]"


@dataclass
class Formula:
    text: str
    tree: ast.AST
    terms: list[Term] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)


def formula_parse(text: str) -> Formula:
    """Parse and check a formula; raises FormulaError with a German message."""
    text = (text or "").strip()
    if not text:
        raise FormulaError("Die Formel ist leer.")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"Die Formel ist nicht lesbar (Zeichen {exc.offset or '?'}): {exc.msg}.") from exc
    formula = Formula(text=text, tree=tree.body)
    _check(tree.body, formula)
    return formula


def _string(node: ast.AST, what: str) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return node.value
    raise FormulaError(f"{what} muss als Text in Anführungszeichen stehen.")


def _check(node: ast.AST, formula: Formula) -> None:
    if isinstance(node, ast.BinOp):
        if not isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
            raise FormulaError("Erlaubt sind nur + − * / und Klammern.")
        _check(node.left, formula)
        _check(node.right, formula)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        _check(node.operand, formula)
    elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS:
        name = node.func.id
        if name == "wert":
            if len(node.args) != 1:
                raise FormulaError('wert(…) braucht genau ein Merkmal, z. B. wert("ba.bewerber").')
            statistic = _string(node.args[0], "Das Merkmal")
            filters = []
            for kw in node.keywords:
                if kw.arg is None:
                    raise FormulaError('Aufgliederungen werden als name="ausprägung" angegeben.')
                if isinstance(kw.value, (ast.List, ast.Tuple)):
                    cats = tuple(_string(e, "Eine Ausprägung") for e in kw.value.elts)
                    if not cats:
                        raise FormulaError(f"Die Liste für „{kw.arg}“ ist leer.")
                else:
                    cats = (_string(kw.value, "Eine Ausprägung"),)
                filters.append((kw.arg.replace("_", "-"), cats))
            node.term = Term(statistic, tuple(sorted(filters)))
            formula.terms.append(node.term)
        elif name == "indikator":
            if len(node.args) != 1 or node.keywords:
                raise FormulaError("indikator(…) braucht genau eine Kennung.")
            formula.indicators.append(_string(node.args[0], "Die Kennung des Indikators"))
        else:
            if not node.args or node.keywords:
                raise FormulaError(f"{name}(…) braucht mindestens einen Ausdruck.")
            for arg in node.args:
                _check(arg, formula)
    elif isinstance(node, ast.Call):
        raise FormulaError("Unbekannte Funktion. Erlaubt: wert, indikator, summe, min, max.")
    elif isinstance(node, ast.Name):
        raise FormulaError(f'„{node.id}“ ist unbekannt. Merkmale werden als wert("kennung") geschrieben.')
    else:
        raise FormulaError("Dieser Ausdruck ist in Formeln nicht erlaubt.")


class Missing(Exception):
    """An input has no number; carries the German reason."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def formula_evaluate(formula: Formula, lookup_term, lookup_indicator) -> Decimal:
    """Evaluate with callbacks ``lookup_term(term) -> Decimal`` / ``lookup_indicator(code) -> Decimal``.

    Callbacks raise ``Missing`` when an input has no number; so does division by zero.
    """

    def ev(node) -> Decimal:
        if isinstance(node, ast.BinOp):
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            if right == 0:
                raise Missing("Division durch null innerhalb der Formel")
            return left / right
        if isinstance(node, ast.UnaryOp):
            return -ev(node.operand)
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        name = node.func.id
        if name == "wert":
            return lookup_term(node.term)
        if name == "indikator":
            return lookup_indicator(node.args[0].value)
        values = [ev(a) for a in node.args]
        if name == "min":
            return min(values)
        if name == "max":
            return max(values)
        return sum(values, Decimal(0))

    return ev(formula.tree)
