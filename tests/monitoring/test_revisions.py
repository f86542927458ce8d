"""Every revision kept: a re-import that changes a figure keeps the earlier one, with its import,
file and time; indicators can be computed "as of" an earlier data state; pages name the Datenstand."""

from decimal import Decimal
from pathlib import Path

import pytest

from bildungskette.monitoring.importers import import_file
from bildungskette.monitoring.models import ImportRun, Indicator, Period, Value, ValueRevision
from bildungskette.monitoring.selectors import data_state_time, indicator_compute, value_history
from bildungskette.monitoring.services import indicator_create
from bildungskette.regions.models import Region

FIXTURES = Path(__file__).parent / "fixtures" / "genesis"
STAT = "12411-01-01-4.bevoelkerungsstand"


def _changed_copy(tmp_path, old: str, new: str) -> Path:
    """The real table with one cell changed (Kassel's total), as a revised download would be."""
    text = (FIXTURES / "12411-01-01-4.csv").read_bytes().decode("iso-8859-1")
    assert text.count(old) == 1
    path = tmp_path / "12411-01-01-4_revidiert.csv"
    path.write_bytes(text.replace(old, new).encode("iso-8859-1"))
    return path


def _kassel(categories=""):
    return Value.objects.get(statistic__code=STAT, region__code="06611", categories=categories)


def _share_female():
    """Share of women in %, created once the statistic exists."""
    return indicator_create(
        code="anteil-weiblich-test",
        name="Anteil weiblich",
        numerator=f'wert("{STAT}", geschlecht="weiblich")',
        denominator=f'wert("{STAT}")',
        factor=Decimal(100),
        unit="%",
        decimals=3,
    )


def _first_and_second_import(tmp_path):
    import_file(FIXTURES / "12411-01-01-4.csv", fmt="genesis")
    first = ImportRun.objects.get()
    changed = _changed_copy(tmp_path, ";201585;99007;102578", ";201600;99007;102578")
    report = import_file(changed, fmt="genesis")
    second = ImportRun.objects.exclude(pk=first.pk).get()
    return first, second, report


@pytest.mark.django_db
def test_reimport_with_a_changed_cell_keeps_the_old_value_as_revision(tmp_path):
    first, second, report = _first_and_second_import(tmp_path)
    assert report.updated == 1 and report.created == 0
    kassel = _kassel()
    assert kassel.value == 201600 and kassel.revised is True and kassel.import_run_id == second.pk
    revision = ValueRevision.objects.get()
    assert revision.value_row_id == kassel.pk and revision.value == 201585 and revision.flag == ""
    assert revision.import_run_id == first.pk and revision.file_name == "12411-01-01-4.csv"
    assert revision.valid_from == first.finished_at and revision.superseded_by_id == second.pk
    assert first.finished_at < revision.superseded_at <= second.finished_at
    # Unchanged cells keep the import that stored them, and are not marked revised.
    assert _kassel("geschlecht=weiblich").import_run_id == first.pk and not _kassel("geschlecht=weiblich").revised
    history = value_history(kassel)
    assert [h["value"] for h in history] == [201600, 201585]
    assert history[0]["status"] == "revidiert" and history[1]["file"] == "12411-01-01-4.csv"


@pytest.mark.django_db
def test_indicator_as_of_the_first_data_state_gives_the_old_result(tmp_path):
    first, second, _ = _first_and_second_import(tmp_path)
    share_female = _share_female()
    kassel = Region.objects.get(code="06611")
    period = Period.objects.get(code="2018-12-31")
    now = indicator_compute(indicator=share_female, region=kassel, period=period)
    then = indicator_compute(indicator=share_female, region=kassel, period=period, as_of=first)
    assert now.value == Decimal(102578) / Decimal(201600) * 100
    assert then.value == Decimal(102578) / Decimal(201585) * 100
    # the same by import number and at the second state
    assert indicator_compute(indicator=share_female, region=kassel, period=period, as_of=str(first.pk)).value == (
        then.value
    )
    assert indicator_compute(indicator=share_female, region=kassel, period=period, as_of=second).value == now.value


@pytest.mark.django_db
def test_values_stored_after_a_data_state_did_not_exist_then(tmp_path):
    import_file(FIXTURES / "12411-01-01-4_2021.csv", fmt="genesis")
    first = ImportRun.objects.get()
    import_file(FIXTURES / "12411-01-01-4.csv", fmt="genesis")  # 2018 arrives later
    share_female = _share_female()
    kassel = Region.objects.get(code="06611")
    period = Period.objects.get(code="2018-12-31")
    assert indicator_compute(indicator=share_female, region=kassel, period=period).value is not None
    early = indicator_compute(indicator=share_female, region=kassel, period=period, as_of=first)
    assert early.value is None and "liegt für" in early.reason and "nicht vor" in early.reason


@pytest.mark.django_db
def test_as_of_api_and_bad_data_state(client, tmp_path):
    first, _, _ = _first_and_second_import(tmp_path)
    share_female = _share_female()
    Indicator.objects.filter(pk=share_female.pk).update(visibility="public")
    url = f"/api/monitoring/indicators/{share_female.code}/results?region=06611&period=2018-12-31"
    current = client.get(url).json()
    old = client.get(url + f"&as_of={first.pk}").json()
    assert float(current["results"][0]["value_exact"]) == pytest.approx(102578 / 201600 * 100)
    assert float(old["results"][0]["value_exact"]) == pytest.approx(102578 / 201585 * 100)
    assert "Datenstand" in current["sources"][0]
    bad = client.get(url + "&as_of=irgendwann")
    assert bad.status_code == 400 and "Datenstand" in bad.json()["error"]
    with pytest.raises(ValueError, match="kein abgeschlossener Import"):
        data_state_time("999999")


@pytest.mark.django_db
def test_source_page_names_the_data_state_and_links_the_history(client, tmp_path):
    _, second, _ = _first_and_second_import(tmp_path)
    page = client.get("/monitoring/quellen/genesis-12411-01-01-4/?gebiet=06611").content.decode()
    assert "Datenstand: Stand 21.03.2020, importiert" in page and f"(Import {second.pk})" in page
    assert "revidiert" in page
    history = client.get(f"/monitoring/werte/{_kassel().pk}/verlauf/")
    text = history.content.decode()
    assert history.status_code == 200 and "201.585" in text and "201.600" in text
    assert "12411-01-01-4.csv" in text and "12411-01-01-4_revidiert.csv" in text


@pytest.mark.django_db
def test_datasheet_names_the_data_state_of_each_source(client, leavers):
    page = client.get("/monitoring/datenblatt/06611/").content.decode()
    assert "Datenstand: Stand 13.03.2025, importiert" in page
