"""Same-named regions stay apart (Stadt and Landkreis Kassel), and the Kommune's own area – a group
of Kreise – is a region with data: counts summed, ratios recomputed from the sums, members without
data named, compared with the Land.

The expected figures are read independently from the raw GENESIS file with the csv module."""

import csv
import io
from decimal import Decimal

import pytest

from bildungskette.core.models import Role
from bildungskette.monitoring import figures
from bildungskette.monitoring.catalogue import LEAVERS
from bildungskette.monitoring.models import Indicator, Period
from bildungskette.monitoring.selectors import indicator_compute, statistic_indicator
from bildungskette.monitoring.services import source_ensure, values_upsert
from bildungskette.regions.selectors import region_by_code
from bildungskette.regions.services import region_group_create, tenant_area_set

from .conftest import GENESIS


def raw_leavers(code: str) -> tuple[int, int]:
    """(all leavers, leavers without Hauptschulabschluss) of a Kreis in 2023, straight from the file."""
    text = (GENESIS / "21111-02-06-4.csv").read_bytes().decode("iso-8859-1")
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        if len(row) > 5 and row[0] == "2023" and row[1] == code:
            return int(row[3]), int(row[5])
    raise AssertionError(f"{code} not in the file")


@pytest.fixture
def olov(leavers, tenant):
    group = region_group_create(
        tenant=tenant, code="olov-kassel", name="OloV-Region Kassel",
        members=[region_by_code("06611"), region_by_code("06633")],
    )
    tenant_area_set(tenant=tenant, regions=[group], primary=group)
    return group


@pytest.mark.django_db
def test_group_sums_the_members_exactly_and_recomputes_the_quote(olov, tenant):
    stadt_all, stadt_without = raw_leavers("06611")
    kreis_all, kreis_without = raw_leavers("06633")
    assert (stadt_all, stadt_without) == (1870, 165)  # the figures the issue names for Stadt Kassel
    period = Period.objects.get(code="2022/23")
    total = indicator_compute(
        indicator=statistic_indicator(LEAVERS), region=olov, period=period, tenant=tenant
    )
    assert total.value == stadt_all + kreis_all
    without = indicator_compute(
        indicator=statistic_indicator(LEAVERS, categories={"abschlussart": "ohne-hauptschulabschluss"}),
        region=olov, period=period, tenant=tenant,
    )
    assert without.value == stadt_without + kreis_without
    quote = indicator_compute(indicator=Indicator.objects.get(code="quote-ohne-hsa"), region=olov, period=period,
                              tenant=tenant)
    expected = Decimal(165 + kreis_without) / Decimal(1870 + kreis_all) * 100
    assert quote.value == expected
    # Not the mean of the two quotes (8.8 % and 4.5 %), which would be about 6.7 %.
    mean = (Decimal(stadt_without) / stadt_all + Decimal(kreis_without) / kreis_all) * 50
    assert abs(quote.value - mean) > Decimal("0.1")


@pytest.mark.django_db
def test_group_datasheet_shows_sums_members_land_and_who_lacks_data(client_as, make_user, olov, tenant):
    # A count only the Stadt has: the group sum would be incomplete, and the page says whose figure is missing.
    src = source_ensure(code="t-ba", publisher="Bundesagentur für Arbeit", title="Test", attribution="Test")
    values_upsert(
        source=src, rows=[{"statistic": "ba.bewerber", "region": "06611", "period": "2019-08", "value": 1630}]
    )
    client = client_as(make_user(role=Role.MONITORING, tenant=tenant))
    text = client.get("/monitoring/datenblatt/olov-kassel/").content.decode()
    stadt_all, stadt_without = raw_leavers("06611")
    kreis_all, kreis_without = raw_leavers("06633")
    quote = Decimal(stadt_without + kreis_without) / Decimal(stadt_all + kreis_all) * 100
    assert f"{quote:.1f}".replace(".", ",") + " %" in text
    assert "Kassel (Kreisfreie Stadt)</a> (06611)" in text and "Kassel (Landkreis)</a> (06633)" in text
    assert "Vergleich mit Hessen" in text  # the Land of both members
    assert "fehlt für Kassel (Landkreis)" in text
    assert "ba.bewerber" not in text and "kein Wert für" not in text
    # Empty Vorjahr and Land cells say why.
    assert "Für das Vorjahr sind keine Daten importiert." in text
    assert "Für Hessen ist kein Wert importiert." in text
    assert "Daten importieren" in text  # the monitoring staff may import
    coordinator = client_as(make_user(role=Role.COORDINATION, tenant=tenant))
    assert "Daten importieren" not in coordinator.get("/monitoring/datenblatt/olov-kassel/").content.decode()


@pytest.mark.django_db
def test_group_indicator_page_and_api(client_as, make_user, olov, tenant):
    client = client_as(make_user(role=Role.COORDINATION, tenant=tenant))
    page = client.get("/monitoring/indikatoren/quote-ohne-hsa/?gebiet=olov-kassel").content.decode()
    stadt_all, stadt_without = raw_leavers("06611")
    kreis_all, kreis_without = raw_leavers("06633")
    quote = Decimal(stadt_without + kreis_without) / Decimal(stadt_all + kreis_all) * 100
    shown = f"{quote:.1f}".replace(".", ",")
    assert shown in page and "Hessen" in page
    api = client.get("/api/monitoring/indicators/quote-ohne-hsa/results?region=olov-kassel")
    assert api.status_code == 200
    values = [r for r in api.json()["results"] if r["region"] == "olov-kassel" and r["period"] == "2022/23"]
    assert len(values) == 1 and Decimal(values[0]["value_exact"]) == quote


@pytest.mark.django_db
def test_same_named_regions_are_two_bars_two_series_and_two_table_rows(client, leavers):
    response = client.get("/monitoring/indikatoren/quote-ohne-hsa/?gebiet=06611&vergleich=06633")
    text = response.content.decode()
    # Table: two rows, each with its designation and its own value.
    assert "Kassel (Kreisfreie Stadt)</a></th><td>Gebiet</td><td class=\"num\">8,8</td>" in text
    assert "Kassel (Landkreis)</a></th><td>Vergleich</td><td class=\"num\">4,5</td>" in text
    # Chart data: keyed by the region key, one bar each, labels unique.
    stadt, kreis = region_by_code("06611"), region_by_code("06633")
    labels = figures.region_labels([stadt, kreis, region_by_code("066")])
    assert labels[stadt.pk] == "Kassel (Kreisfreie Stadt)" and labels[kreis.pk] == "Kassel (Landkreis)"
    assert len(set(labels.values())) == 3
    spec = figures.bars_spec(Indicator.objects.get(code="quote-ohne-hsa"), [
        {"Schlüssel": "06611", "Gebiet": labels[stadt.pk], "Wert": 8.8},
        {"Schlüssel": "06633", "Gebiet": labels[kreis.pk], "Wert": 4.5},
    ], highlight="06611")
    assert spec["encoding"]["y"]["field"] == "Gebiet"
    assert "06611" in spec["encoding"]["color"]["condition"]["test"]
    # The rendered SVG has both labels (an axis label each) and no merged "Kassel" bar.
    assert text.count("Kassel (Kreisfreie Stadt)") >= 2 and text.count("Kassel (Landkreis)") >= 2


@pytest.mark.django_db
def test_labels_stay_unique_when_titles_repeat():
    # Two Gemeinden called Neuenkirchen (Dithmarschen and Steinfurt) – the key tells them apart.
    a, b = region_by_code("01051075"), region_by_code("05566060")
    assert a.title == b.title == "Neuenkirchen"
    labels = figures.region_labels([a, b])
    assert labels[a.pk] == "Neuenkirchen (01051075)" and labels[b.pk] == "Neuenkirchen (05566060)"
