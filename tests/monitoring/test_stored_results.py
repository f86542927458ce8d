"""The indicator page shows stored results (IndicatorValue) only while they are current (issue #14).

A stored result is current while its indicator's formula and the data versions of its input
statistics are those it was computed from; any value write (a re-import) makes it stale, and the page
then computes live. A stored figure is planted on purpose to tell which path a page took.
"""

from decimal import Decimal

import pytest

from bildungskette.monitoring import recompute
from bildungskette.monitoring.models import Indicator, IndicatorValue, Period, Value
from bildungskette.monitoring.recompute import indicator_values_recompute
from bildungskette.monitoring.selectors import indicator_compute, indicator_periods
from bildungskette.monitoring.services import values_upsert
from bildungskette.regions.models import Region, RegionKind

PAGE = "/monitoring/indikatoren/quote-ohne-hsa/?gebiet=06611"


@pytest.fixture
def stored(leavers, kassel_seed):
    indicator = Indicator.objects.get(code="quote-ohne-hsa")
    regions = list(
        Region.objects.filter(tenant__isnull=True)
        .exclude(kind__in=[RegionKind.GROUP, RegionKind.AGENTURBEZIRK, RegionKind.GEMEINDE])
        .defer("boundary")
    )
    periods = indicator_periods(indicator=indicator)
    indicator_values_recompute(indicators=[indicator], regions=regions, periods=periods)
    kassel = Region.objects.get(code="06611", tenant__isnull=True)
    latest = periods[-1]
    row = IndicatorValue.objects.get(indicator=indicator, region=kassel, period=latest, tenant__isnull=True)
    assert Decimal(row.value).quantize(Decimal("0.1")) == Decimal("8.8")
    return {"indicator": indicator, "kassel": kassel, "period": latest, "row": row}


def _plant(row, value: str) -> None:
    """Overwrite one stored result (only the stored path can show this figure)."""
    IndicatorValue.objects.filter(pk=row.pk).update(value=value)


@pytest.mark.django_db
def test_the_page_shows_the_stored_results_without_computing_them(client, stored, monkeypatch):
    _plant(stored["row"], "77.7")
    computed = []
    live = recompute.indicators_evaluate

    def spy(**kwargs):
        computed.append([r.code for r in kwargs["regions"]])
        return live(**kwargs)

    monkeypatch.setattr(recompute, "indicators_evaluate", spy)
    text = client.get(PAGE).content.decode()
    assert "77,7" in text and "8,8" not in text.split("Rangfolge")[0]
    # Every region the page shows is an official one with stored results: nothing is computed live.
    assert computed == []


@pytest.mark.django_db
def test_a_reimport_with_a_changed_value_shows_the_new_result(client, stored):
    _plant(stored["row"], "77.7")
    indicator, kassel, period = stored["indicator"], stored["kassel"], stored["period"]
    leavers = Value.objects.filter(region=kassel, period=period, categories="abschlussart=ohne-hauptschulabschluss")
    value = leavers.select_related("statistic", "source").get()
    # A re-import that changes one input value (through the one write path every importer uses).
    values_upsert(
        source=value.source,
        rows=[
            {
                "statistic": value.statistic.code,
                "region": "06611",
                "period": period.code,
                "categories": value.categories,
                "value": value.value + 40,
                "flag": value.flag,
            }
        ],
    )
    expected = indicator_compute(indicator=indicator, region=kassel, period=period)
    assert expected.display() not in ("8,8", "77,7")
    text = client.get(PAGE).content.decode()
    assert "77,7" not in text
    assert expected.display() in text
    # Recomputed, the stored results are current again and the page reads them.
    periods = list(Period.objects.filter(pk__in=[p.pk for p in indicator_periods(indicator=indicator)]))
    indicator_values_recompute(indicators=[indicator], regions=[kassel], periods=periods)
    row = IndicatorValue.objects.get(indicator=indicator, region=kassel, period=period, tenant__isnull=True)
    assert Decimal(row.value) == expected.value
    _plant(row, "66.6")
    assert "66,6" in client.get(PAGE).content.decode()


@pytest.mark.django_db
def test_a_changed_formula_makes_the_stored_results_stale(client, stored):
    _plant(stored["row"], "77.7")
    indicator = stored["indicator"]
    indicator.factor = 1000
    indicator.save()
    text = client.get(PAGE).content.decode()
    assert "77,7" not in text
    assert indicator_compute(indicator=indicator, region=stored["kassel"], period=stored["period"]).display() in text


@pytest.mark.django_db
def test_stored_results_take_fewer_queries_than_computing_them(client, stored):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bildungskette.core.charts import _render

    _render.cache_clear()
    client.get(PAGE)  # charts cached
    with CaptureQueriesContext(connection) as with_stored:
        client.get(PAGE)
    IndicatorValue.objects.all().delete()
    with CaptureQueriesContext(connection) as live:
        client.get(PAGE)
    value_reads = [q for q in with_stored.captured_queries if 'FROM "monitoring_value"' in q["sql"]]
    live_value_reads = [q for q in live.captured_queries if 'FROM "monitoring_value"' in q["sql"]]
    # With stored results only the probes for the indicator's periods read the value table.
    assert len(value_reads) < len(live_value_reads)
    assert len(with_stored.captured_queries) <= len(live.captured_queries)


@pytest.mark.django_db
def test_the_refresh_after_an_import_makes_the_stored_results_current_again(client, stored):
    from bildungskette.monitoring.recompute import indicator_values_refresh

    indicator, kassel, period = stored["indicator"], stored["kassel"], stored["period"]
    value = Value.objects.select_related("statistic", "source").get(
        region=kassel, period=period, categories="abschlussart=ohne-hauptschulabschluss"
    )
    values_upsert(
        source=value.source,
        rows=[{"statistic": value.statistic.code, "region": "06611", "period": period.code,
               "categories": value.categories, "value": value.value + 40, "flag": value.flag}],
    )
    stale = IndicatorValue.objects.get(indicator=indicator, region=kassel, period=period, tenant__isnull=True)
    # What the background task after an import does (tasks.charts_prerender).
    assert indicator_values_refresh([value.statistic.code]) > 0
    fresh = IndicatorValue.objects.get(indicator=indicator, region=kassel, period=period, tenant__isnull=True)
    expected = indicator_compute(indicator=indicator, region=kassel, period=period)
    assert fresh.value != stale.value and Decimal(fresh.value) == expected.value
    # Every region that had stored results has them again.
    assert IndicatorValue.objects.filter(indicator=indicator).count() == IndicatorValue.objects.filter(
        indicator=indicator, inputs_version=fresh.inputs_version
    ).count() > 400
    _plant(fresh, "55.5")
    assert "55,5" in client.get(PAGE).content.decode()
