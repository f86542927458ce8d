"""The progress engine: pure functions over (year, value) series, no database.

Method (Open SDG, "methodology 2" of sdg-build, with a target value): the observed compound
annual growth rate since the baseline is compared with the rate required to reach the target by
the target year; the ratio decides the status. Thresholds as in Open SDG: ratio ≥ 0.95 on track
(substantial progress), ≥ 0.6 moderate progress, below that off track (Open SDG's "limited
progress" and "deterioration"; the explanation says which). A target already reached is
"achieved", whatever the trend. Fewer than one observation after the baseline year is
"insufficient data".

Intermediate targets (Zwischenziele) sharpen the requirement: the required rate is the one that
reaches the next (intermediate) target at or after the latest observation, by its year.

Roll-up: each status carries an Open SDG score (−5 … 5); a parent takes the mean (or the weighted
mean) of its children's and its own indicators' scores; "achieved" only when every contributor is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

HIGH = 0.95
MEDIUM = 0.6
LOW = 0.0
# Open SDG replaces a zero base or target by this, to keep the growth rate defined.
ZERO_SUBSTITUTE = 0.001


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    MODERATE = "moderate"
    OFF_TRACK = "off_track"
    INSUFFICIENT = "insufficient"


STATUS_LABELS = {
    Status.ACHIEVED: "Ziel erreicht",
    Status.ON_TRACK: "auf Kurs",
    Status.MODERATE: "mäßiger Fortschritt",
    Status.OFF_TRACK: "nicht auf Kurs",
    Status.INSUFFICIENT: "Daten reichen nicht aus",
}
# Traffic light plus a symbol, so the status never depends on colour alone.
STATUS_SYMBOLS = {
    Status.ACHIEVED: "✔",
    Status.ON_TRACK: "▲",
    Status.MODERATE: "►",
    Status.OFF_TRACK: "▼",
    Status.INSUFFICIENT: "?",
}
STATUS_CSS = {
    Status.ACHIEVED: "ok",
    Status.ON_TRACK: "ok",
    Status.MODERATE: "warn",
    Status.OFF_TRACK: "bad",
    Status.INSUFFICIENT: "none",
}


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


class Rollup(StrEnum):
    AVERAGE = "average"
    WEIGHTED = "weighted"


@dataclass(frozen=True)
class Target:
    baseline_year: int
    baseline_value: float
    target_year: int
    target_value: float
    direction: Direction
    intermediate: tuple[tuple[int, float], ...] = ()


@dataclass
class Progress:
    status: Status
    score: float | None = None
    ratio: float | None = None
    current_year: int | None = None
    current_value: float | None = None
    observed_rate: float | None = None
    required_rate: float | None = None
    required_towards: tuple[int, float] | None = None
    explanation: list[str] = field(default_factory=list)
    deterioration: bool = False

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def symbol(self) -> str:
        return STATUS_SYMBOLS[self.status]

    @property
    def css(self) -> str:
        return STATUS_CSS[self.status]

    @property
    def achieved(self) -> bool:
        return self.status == Status.ACHIEVED


def fmt(value: float | None, digits: int = 2) -> str:
    """German number format for explanations (1234,5 → 1.234,50)."""
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def fmt_pct(rate: float | None) -> str:
    return "–" if rate is None else f"{fmt(rate * 100, 1)} % pro Jahr"


def growth_rate(value: float, base: float, year: int, base_year: int) -> float:
    """Compound annual growth rate from (base_year, base) to (year, value)."""
    return (value / base) ** (1 / (year - base_year)) - 1


def target_reached(value: float, target: float, direction: Direction) -> bool:
    return value >= target if direction == Direction.INCREASE else value <= target


def score_from_ratio(ratio: float) -> float:
    """Open SDG's score for the target method: linear pieces, clipped to −5 … 5."""
    if ratio >= MEDIUM:
        return min(7.1429 * ratio - 4.2857, 5.0)
    return max(4.1667 * ratio - 2.5, -5.0)


def status_from_ratio(ratio: float) -> Status:
    if ratio >= HIGH:
        return Status.ON_TRACK
    if ratio >= MEDIUM:
        return Status.MODERATE
    return Status.OFF_TRACK


def status_from_score(score: float | None, all_achieved: bool = False) -> Status:
    if all_achieved:
        return Status.ACHIEVED
    if score is None:
        return Status.INSUFFICIENT
    if score >= 2.5:
        return Status.ON_TRACK
    if score >= 0:
        return Status.MODERATE
    return Status.OFF_TRACK


def _requirement(target: Target, current_year: int) -> tuple[int, float, str]:
    """The (year, value) the required rate aims at: the next intermediate target, else the target."""
    for year, value in sorted(target.intermediate):
        if year >= current_year and year < target.target_year and year > target.baseline_year:
            return year, value, f"das Zwischenziel {year}"
    return target.target_year, target.target_value, f"den Zielwert {target.target_year}"


def progress_compute(series: Iterable[tuple[int, float | None]], target: Target) -> Progress:
    """Status of one indicator against its target, with a German explanation of every step."""
    points = sorted((int(y), float(v)) for y, v in series if v is not None)
    base_y, base_v = target.baseline_year, float(target.baseline_value)
    goal_y, goal_v = target.target_year, float(target.target_value)
    arrow = "steigen" if target.direction == Direction.INCREASE else "sinken"
    lines = [
        f"Ausgangswert {base_y}: {fmt(base_v)}; Zielwert {goal_y}: {fmt(goal_v)} (der Wert soll {arrow}).",
    ]
    if goal_y <= base_y:
        lines.append("Das Zieljahr muss nach dem Ausgangsjahr liegen – bitte die Zielangaben prüfen.")
        return Progress(Status.INSUFFICIENT, explanation=lines)
    later = [(y, v) for y, v in points if y > base_y]
    if not later:
        lines.append(
            f"Es liegt noch kein Wert nach dem Ausgangsjahr {base_y} vor; der Fortschritt lässt sich "
            "erst mit einem zweiten Datenpunkt berechnen."
        )
        return Progress(Status.INSUFFICIENT, explanation=lines)
    cur_y, cur_v = later[-1]
    lines.append(f"Aktueller Wert {cur_y}: {fmt(cur_v)}.")
    for year, value in sorted(target.intermediate):
        observed = dict(points).get(year)
        if observed is not None and year <= cur_y:
            met = target_reached(observed, value, target.direction)
            lines.append(
                f"Zwischenziel {year}: {fmt(value)} – mit {fmt(observed)} {'erreicht' if met else 'verfehlt'}."
            )
    if target_reached(cur_v, goal_v, target.direction):
        lines.append("Der Zielwert ist erreicht.")
        return Progress(Status.ACHIEVED, score=5.0, current_year=cur_y, current_value=cur_v, explanation=lines)

    base_calc = base_v if base_v != 0 else ZERO_SUBSTITUTE
    if (base_calc > 0) != (cur_v > 0) or cur_v == 0:
        # Growth rates are undefined across zero; Open SDG refuses such series too.
        lines.append(
            "Ausgangs- und aktueller Wert haben verschiedene Vorzeichen oder der aktuelle Wert ist 0; "
            "die Wachstumsrate ist dafür nicht definiert."
        )
        return Progress(Status.INSUFFICIENT, current_year=cur_y, current_value=cur_v, explanation=lines)
    req_y, req_v, req_label = _requirement(target, cur_y)
    req_calc = req_v if req_v != 0 else ZERO_SUBSTITUTE
    observed_rate = growth_rate(cur_v, base_calc, cur_y, base_y)
    required_rate = growth_rate(req_calc, base_calc, req_y, base_y)
    sign = -1 if base_calc < 0 else 1
    direction = 1 if target.direction == Direction.INCREASE else -1
    if required_rate == 0:
        lines.append(f"Der angestrebte Wert {fmt(req_v)} entspricht dem Ausgangswert; eine erforderliche "
                     "Veränderung gibt es nicht.")
        ratio = HIGH if direction * observed_rate >= 0 else -1.0
    else:
        ratio = sign * direction * observed_rate / abs(required_rate)
    status = status_from_ratio(ratio)
    lines.append(
        f"Beobachtete Veränderung seit {base_y}: {fmt_pct(observed_rate)}; erforderlich, um "
        f"{req_label} ({fmt(req_v)}) zu erreichen: {fmt_pct(required_rate)}."
    )
    lines.append(
        f"Verhältnis beobachtet zu erforderlich: {fmt(ratio)} (auf Kurs ab {fmt(HIGH)}, mäßiger "
        f"Fortschritt ab {fmt(MEDIUM)})."
    )
    deterioration = ratio < LOW
    if deterioration:
        lines.append("Der Wert hat sich seit dem Ausgangsjahr in die falsche Richtung entwickelt.")
    return Progress(
        status, score=score_from_ratio(ratio), ratio=ratio, current_year=cur_y, current_value=cur_v,
        observed_rate=observed_rate, required_rate=required_rate, required_towards=(req_y, req_v),
        explanation=lines, deterioration=deterioration,
    )


@dataclass(frozen=True)
class Contribution:
    label: str
    progress: Progress
    weight: float = 1.0


def progress_rollup(contributions: Sequence[Contribution], method: Rollup = Rollup.AVERAGE) -> Progress:
    """Combine indicators and child goals: (weighted) mean of the Open SDG scores."""
    scored = [c for c in contributions if c.progress.score is not None]
    missing = [c for c in contributions if c.progress.score is None]
    if not contributions:
        return Progress(Status.INSUFFICIENT, explanation=["Keine Indikatoren und keine Unterziele mit Daten."])
    if not scored:
        return Progress(
            Status.INSUFFICIENT,
            explanation=["Für keinen der Beiträge liegen ausreichend Daten vor: "
                         + ", ".join(c.label for c in contributions) + "."],
        )
    if method == Rollup.WEIGHTED:
        total = sum(max(c.weight, 0.0) for c in scored)
        if total <= 0:
            score = sum(c.progress.score for c in scored) / len(scored)
            how = "Mittelwert (alle Gewichte 0)"
        else:
            score = sum(c.progress.score * max(c.weight, 0.0) for c in scored) / total
            how = "gewichteter Mittelwert"
    else:
        score = sum(c.progress.score for c in scored) / len(scored)
        how = "Mittelwert"
    all_achieved = not missing and all(c.progress.achieved for c in scored)
    status = status_from_score(score, all_achieved)
    parts = "; ".join(
        f"{c.label}: {c.progress.label} (Punktwert {fmt(c.progress.score, 1)}"
        + (f", Gewicht {fmt(c.weight, 1)}" if method == Rollup.WEIGHTED else "") + ")"
        for c in scored
    )
    lines = [f"Zusammengefasst aus {len(scored)} Beiträgen als {how} der Punktwerte (−5 bis 5): {parts}."]
    lines.append(
        f"Ergebnis: Punktwert {fmt(score, 1)} → {STATUS_LABELS[status]} (auf Kurs ab 2,5, mäßiger Fortschritt ab 0"
        + (", erreicht nur, wenn alle Beiträge ihr Ziel erreicht haben" if not all_achieved else "") + ")."
    )
    if missing:
        lines.append("Ohne ausreichende Daten und daher nicht berücksichtigt: "
                     + ", ".join(c.label for c in missing) + ".")
    return Progress(status, score=score, explanation=lines)
