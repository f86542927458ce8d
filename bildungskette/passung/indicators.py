"""BIBB indicators of the training market as pure functions over counts (no database).

The formulas are those of ``domain/README.md`` (bibb.de/de/4377.php, 178253.php, 5241.htm,
178265.php, Datenreport 2022 161707.php); the monitoring catalogue holds the same formulas as
``Indicator`` rows (codes ``auba``, ``versorgungsprobleme``, ``index-passungsprobleme``) for
region-level statistics. Here they work on one occupation × region cell, where a count may be
missing or secret (BA: ``*`` = fewer than 3). Then the result is "kein Wert" with the reason –
never a guessed number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SECRET = "geheim"  # marker for a count the source withheld (BA symbol "*")

LABELS = {
    "naa": "neu abgeschlossene Ausbildungsverträge (NAA)",
    "naa_ausserbetrieblich": "außerbetriebliche NAA",
    "unbesetzt": "unbesetzte Stellen",
    "unversorgt": "unversorgte Bewerber*innen",
    "alternative": "Bewerber*innen mit Alternative",
}


@dataclass(frozen=True)
class Result:
    """A value, or ``None`` with a German reason (shown as "kein Wert – <reason>")."""

    value: Decimal | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.value is not None

    def __str__(self) -> str:
        return f"kein Wert – {self.reason}" if self.value is None else format(self.value, "f")


def _need(counts: dict, *names: str) -> Result | None:
    for name in names:
        value = counts.get(name)
        if value == SECRET:
            return Result(None, f"{LABELS[name]} geheim gehalten (weniger als 3 Fälle)")
        if value is None:
            return Result(None, f"{LABELS[name]} fehlt")
    return None


def _pct(numerator: int, denominator: int, what: str) -> Result:
    if denominator == 0:
        return Result(None, f"{what} ist 0 – Anteil nicht definiert")
    return Result((Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def angebot(counts: dict) -> Result:
    """Angebot = NAA + unbesetzte Stellen."""
    return _need(counts, "naa", "unbesetzt") or Result(Decimal(counts["naa"] + counts["unbesetzt"]))


def angebot_betrieblich(counts: dict) -> Result:
    """Betriebliches Angebot = NAA − außerbetriebliche NAA + unbesetzte Stellen."""
    missing = _need(counts, "naa", "naa_ausserbetrieblich", "unbesetzt")
    if missing:
        return missing
    return Result(Decimal(counts["naa"] - counts["naa_ausserbetrieblich"] + counts["unbesetzt"]))


def nachfrage_klassisch(counts: dict) -> Result:
    """Nachfrage (klassisch) = NAA + unversorgte Bewerber*innen."""
    return _need(counts, "naa", "unversorgt") or Result(Decimal(counts["naa"] + counts["unversorgt"]))


def nachfrage_erweitert(counts: dict) -> Result:
    """Nachfrage (erweitert) = NAA + unversorgte + Bewerber*innen mit Alternative."""
    missing = _need(counts, "naa", "unversorgt", "alternative")
    if missing:
        return missing
    return Result(Decimal(counts["naa"] + counts["unversorgt"] + counts["alternative"]))


def auba(counts: dict) -> Result:
    """AubA (Besetzungsprobleme) = unbesetzte Stellen ÷ betriebliches Angebot × 100, one decimal."""
    base = angebot_betrieblich(counts)
    if not base.ok:
        return base
    return _pct(counts["unbesetzt"], int(base.value), "das betriebliche Angebot")


def versorgungsprobleme(counts: dict) -> Result:
    """Versorgungsprobleme = (unversorgte + mit Alternative) ÷ Nachfrage erweitert × 100, one decimal."""
    base = nachfrage_erweitert(counts)
    if not base.ok:
        return base
    return _pct(counts["unversorgt"] + counts["alternative"], int(base.value), "die erweiterte Nachfrage")


def index_passungsprobleme(counts: dict) -> Result:
    """Index der Passungsprobleme = AubA (%) × Versorgungsprobleme (%), 0 … 10 000.

    Computed from the rounded percentages, as BIBB publishes it; 0 when only one kind of problem
    exists (one factor is 0)."""
    a, v = auba(counts), versorgungsprobleme(counts)
    for r in (a, v):
        if not r.ok:
            return r
    return Result((a.value * v.value).quantize(Decimal("0.1"), ROUND_HALF_UP))


def anr(counts: dict, *, erweitert: bool = False) -> Result:
    """Angebots-Nachfrage-Relation (klassisch, or erweitert = eANR): Angebot je 100 Nachfragende."""
    a = angebot(counts)
    n = nachfrage_erweitert(counts) if erweitert else nachfrage_klassisch(counts)
    for r in (a, n):
        if not r.ok:
            return r
    return _pct(int(a.value), int(n.value), "die Nachfrage")


def vertragspotenzial(counts: dict) -> Result:
    """Ungenutztes Vertragspotenzial = min(unbesetzte Stellen, noch suchende Bewerber*innen)."""
    missing = _need(counts, "unbesetzt", "unversorgt", "alternative")
    if missing:
        return missing
    return Result(Decimal(min(counts["unbesetzt"], counts["unversorgt"] + counts["alternative"])))


@dataclass(frozen=True)
class Thresholds:
    """When a cell counts as having a problem (percent). Documented in docs/passung.md.

    Defaults follow the order of magnitude BIBB reports for Germany (AubA 2019: 9.4 %, 2021:
    12.2 %; share still searching 2021: 12.5 %): a cell is "problematic" on a side when it is above
    the national level of recent years.
    """

    auba: Decimal = Decimal("10")
    versorgung: Decimal = Decimal("12")


class Kind:
    BESETZUNG = "Besetzungsprobleme"
    VERSORGUNG = "Versorgungsprobleme"
    PASSUNG = "Passungsprobleme"
    AUSGEGLICHEN = "ausgeglichen"
    UNKNOWN = "kein Wert"


def classify(counts: dict, thresholds: Thresholds | None = None) -> tuple[str, str]:
    """(kind, reason): both sides above their threshold → Passungsprobleme; one side → that side."""
    t = thresholds or Thresholds()
    a, v = auba(counts), versorgungsprobleme(counts)
    if not a.ok or not v.ok:
        return Kind.UNKNOWN, (a if not a.ok else v).reason
    high_a, high_v = a.value >= t.auba, v.value >= t.versorgung
    if high_a and high_v:
        kind = Kind.PASSUNG
    elif high_a:
        kind = Kind.BESETZUNG
    elif high_v:
        kind = Kind.VERSORGUNG
    else:
        kind = Kind.AUSGEGLICHEN
    return kind, f"AubA {a.value} % (Schwelle {t.auba} %), Versorgungsprobleme {v.value} % (Schwelle {t.versorgung} %)"
