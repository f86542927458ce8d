"""Shared formatting for the benchmark tables: ratios with two significant digits."""

from __future__ import annotations

import math


def sig2(value: float) -> str:
    """0.0123 → "0.012", 0.75 → "0.75", 6.54 → "6.5", 24.4 → "24", 237 → "240"."""
    if value == 0 or not math.isfinite(value):
        return str(value)
    digits = 1 - int(math.floor(math.log10(abs(value))))
    rounded = round(value, digits)
    return f"{rounded:.{max(digits, 0)}f}"


def ratio(ours: float, baseline: float) -> str:
    """ours ÷ baseline with two significant digits and the sign ×."""
    return f"{sig2(ours / baseline)}×" if baseline else "–"
