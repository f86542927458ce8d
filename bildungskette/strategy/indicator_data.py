"""Where a goal indicator's numbers come from: the monitoring, or the goal indicator's own values.

This is the one seam between strategy and monitoring. A goal indicator linked to a monitoring
indicator reads its series through the monitoring's selector; otherwise it uses the values
recorded with it (``IndicatorObservation``, each with a source and a synthetic flag).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SeriesData:
    points: list[tuple[int, float]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    synthetic_years: set[int] = field(default_factory=set)
    origin: str = "own"  # "own" or "monitoring"
    notes: list[str] = field(default_factory=list)

    @property
    def is_synthetic(self) -> bool:
        return bool(self.synthetic_years)


def _own_series(goal_indicator) -> SeriesData:
    data = SeriesData()
    sources = []
    # ``observations`` is prefetched by the selectors; .all() keeps it one query for many indicators.
    for obs in goal_indicator.observations.all():
        data.points.append((obs.year, float(obs.value)))
        if obs.is_synthetic:
            data.synthetic_years.add(obs.year)
        if obs.source and obs.source not in sources:
            sources.append(obs.source)
    data.sources = sources
    return data


def goal_indicator_series(goal_indicator) -> SeriesData:
    """The (year, value) series of one goal indicator, oldest first.

    Monitoring values come first; the indicator's own values fill only years the monitoring has
    no value for (each keeps its own source and synthetic flag).
    """
    own = _own_series(goal_indicator)
    monitoring = _monitoring_series(goal_indicator)
    if monitoring is None:
        return own
    years = {y for y, _ in monitoring.points}
    extra = [(y, v) for y, v in own.points if y not in years]
    if extra:
        monitoring.points = sorted(monitoring.points + extra)
        monitoring.synthetic_years |= {y for y in own.synthetic_years if y not in years}
        monitoring.sources += [s for s in own.sources if s not in monitoring.sources]
    return monitoring


def _monitoring_series(goal_indicator) -> SeriesData | None:
    """The monitoring's series for the linked indicator and region (None without a link)."""
    if not goal_indicator.indicator_id or goal_indicator.region_id is None:
        return None
    from bildungskette.monitoring.selectors import indicator_series, indicator_sources

    results = indicator_series(indicator=goal_indicator.indicator, region=goal_indicator.region,
                               tenant=goal_indicator.tenant)
    by_year: dict[int, float] = {}
    notes = []
    for result in results:
        if result.year is None:
            continue
        if result.value is None:
            if result.reason:
                notes.append(f"{result.year}: {result.reason}")
            continue
        # Several periods in one year (e.g. a month and the reporting year): the latest one counts.
        by_year[result.year] = float(result.value)
    data = SeriesData(points=sorted(by_year.items()), origin="monitoring", notes=notes)
    sources = indicator_sources([r for r in results if r.value is not None])
    data.sources = [s.line for s in sources]
    data.synthetic_years = {y for y in by_year} if any(s.is_synthetic for s in sources) else set()
    return data
