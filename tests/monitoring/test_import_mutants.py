"""Importers and values_upsert where a silent bug would keep stale or half-written figures:
re-imports that change a value, flag or rounding; an import that fails after part of it was
written; tenants' values kept apart; the canonical category key.
"""

from decimal import Decimal

import pytest

from bildungskette.core.importing import ImportRejected
from bildungskette.monitoring.importers import Dataset, dataset_store, import_file
from bildungskette.monitoring.models import ImportRun, Source, Statistic, Value
from bildungskette.monitoring.services import categories_key, source_ensure, statistic_ensure, values_upsert
from bildungskette.regions.models import Region, RegionKind

from .conftest import GENESIS

LEAVERS = "21111-02-06-4.absolvierende-abgehende-allgemeinbildender-schulen-nach-dem-abschluss"
KASSEL_ROW = ("2023;06611;      Kassel, kreisfreie Stadt, documenta-Stadt;"
              "1870;952;165;83;246;104;837;408;74;42;6;3;616;354")


def _kassel(categories=""):
    return Value.objects.get(statistic__code=LEAVERS, region__code="06611", categories=categories)


@pytest.mark.django_db
def test_reimport_of_a_corrected_file_updates_the_changed_values_only(tmp_path):
    import_file(GENESIS / "21111-02-06-4.csv", fmt="genesis")
    count = Value.objects.count()
    first_run = _kassel("abschlussart=ohne-hauptschulabschluss").import_run_id
    original = (GENESIS / "21111-02-06-4.csv").read_bytes().decode("iso-8859-1")
    assert original.count(KASSEL_ROW) == 1
    # A corrected release: Kassel's leavers without Hauptschulabschluss 165 → 170 (total 1870 → 1875),
    # and the women with Fachhochschulreife "3" become secret (".").
    corrected = original.replace(KASSEL_ROW, KASSEL_ROW.replace(";1870;952;165;", ";1875;952;170;")
                                 .replace(";6;3;616;", ";6;.;616;"))
    path = tmp_path / "21111-02-06-4-korrigiert.csv"
    path.write_bytes(corrected.encode("iso-8859-1"))
    report = import_file(path, fmt="genesis")
    assert Value.objects.count() == count
    assert (report.created, report.updated, report.unchanged) == (0, 3, count - 3)
    changed = _kassel("abschlussart=ohne-hauptschulabschluss")
    assert changed.value == 170 and changed.import_run_id != first_run
    assert _kassel().value == 1875
    secret = _kassel("abschlussart=mit-fachhochschulreife;geschlecht=weiblich")
    assert secret.value is None and secret.flag == "."
    assert _kassel("abschlussart=mit-hauptschulabschluss").value == 246  # untouched


@pytest.fixture
def stat(db):
    source = source_ensure(code="test-a", publisher="Test", title="Synthetische Testwerte", attribution="Test")
    statistic_ensure(code="t.anzahl", name="Anzahl", source=source)
    return source


def _row(value, flag="", region="06611", rounded=False, categories=None):
    return {"statistic": "t.anzahl", "region": region, "period": "2023", "value": value, "flag": flag,
            "rounded": rounded, "categories": categories}


@pytest.mark.parametrize(
    "second,expected_value,expected_flag,expected_rounded",
    [
        (_row(12), Decimal(12), "", False),  # value changed
        (_row(None, "."), None, ".", False),  # becomes secret
        (_row(10, "p"), Decimal(10), "p", False),  # same number, now provisional
        (_row(10, rounded=True), Decimal(10), "", True),  # same number, now rounded
    ],
)
def test_values_upsert_updates_a_changed_value_flag_or_rounding(stat, second, expected_value, expected_flag,
                                                                expected_rounded):
    assert values_upsert(source=stat, rows=[_row(10)]).created == 1
    counts = values_upsert(source=stat, rows=[second])
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 0)
    stored = Value.objects.get()
    assert (stored.value, stored.flag, stored.rounded) == (expected_value, expected_flag, expected_rounded)


def test_values_upsert_same_data_twice_changes_nothing(stat):
    rows = [_row(10), _row(5, region="06633"), _row(None, "."), ]
    rows[2]["region"] = "06631"
    assert values_upsert(source=stat, rows=rows).created == 3
    counts = values_upsert(source=stat, rows=rows)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 3)


def test_values_upsert_a_new_source_takes_over_the_value(stat):
    values_upsert(source=stat, rows=[_row(10)])
    newer = source_ensure(code="test-b", publisher="Test", title="Neuere Quelle", attribution="Test")
    counts = values_upsert(source=newer, rows=[_row(10)])
    assert counts.updated == 1 and Value.objects.get().source == newer


def test_values_upsert_keeps_tenants_apart(stat, tenant, other_tenant):
    values_upsert(source=stat, rows=[_row(10)])
    values_upsert(source=stat, rows=[_row(20)], tenant=tenant)
    counts = values_upsert(source=stat, rows=[_row(30)], tenant=other_tenant)
    assert counts.created == 1 and counts.updated == 0
    by_tenant = {v.tenant_id: v.value for v in Value.objects.all()}
    assert by_tenant == {None: 10, tenant.pk: 20, other_tenant.pk: 30}
    values_upsert(source=stat, rows=[_row(21)], tenant=tenant)
    assert {v.tenant_id: v.value for v in Value.objects.all()} == {None: 10, tenant.pk: 21, other_tenant.pk: 30}


def test_values_upsert_flags(stat):
    values_upsert(source=stat, rows=[_row(7, "-"), _row(7, ".", region="06633")])
    nothing = Value.objects.get(region__code="06611")
    secret = Value.objects.get(region__code="06633")
    assert nothing.value == 0 and nothing.flag == "-"  # "-" means exactly nothing, whatever the number said
    assert secret.value is None and secret.flag == "."  # a secret value carries no number
    with pytest.raises(ValueError, match="Kennzeichen „\\?“ ist unbekannt"):
        values_upsert(source=stat, rows=[_row(1, "?")])


@pytest.mark.parametrize(
    "row,message",
    [
        ({"statistic": "gibt.es.nicht", "region": "06611", "period": "2023", "value": 1}, "Merkmal „gibt.es.nicht“"),
        ({"statistic": "t.anzahl", "region": "99999", "period": "2023", "value": 1}, "Gebiet „99999“ ist unbekannt"),
    ],
)
def test_values_upsert_rejects_unknown_codes_and_writes_nothing(stat, row, message):
    with pytest.raises(ValueError, match=message):
        values_upsert(source=stat, rows=[_row(1), row])
    assert not Value.objects.exists()


def test_categories_key_is_canonical():
    assert categories_key({"z": "1", "a": "2"}) == "a=2;z=1"
    assert categories_key("z=1;a=2") == "a=2;z=1"
    assert categories_key({"a": "insgesamt", "b": "x"}) == "b=x"
    assert categories_key({"a": ""}) == "" and categories_key(None) == "" and categories_key("") == ""


def test_values_upsert_with_categories_as_dict_or_key_is_the_same_value(stat):
    values_upsert(source=stat, rows=[_row(1, categories={"b": "y", "a": "x"})])
    counts = values_upsert(source=stat, rows=[_row(2, categories="a=x;b=y")])
    assert counts.updated == 1 and Value.objects.get().categories == "a=x;b=y"


@pytest.mark.django_db
def test_an_import_failing_after_20000_values_were_written_leaves_nothing_behind():
    # dataset_store writes values in chunks of 20,000; the first chunk is stored before the bad row
    # in the second chunk is found. Without the one transaction around everything, the first chunk,
    # the source and the statistic would stay.
    gemeinden = list(Region.objects.filter(kind=RegionKind.GEMEINDE).order_by("code").values_list("code", flat=True))
    assert len(gemeinden) > 10000
    values = [{"statistic": "t.gross", "region": code, "period": period, "value": 1}
              for period in ("2022", "2023") for code in gemeinden]
    assert len(values) > 20000
    values.append({"statistic": "t.gross", "region": "99999", "period": "2023", "value": 1})
    dataset = Dataset(
        format="test", source={"code": "test-teilweise", "publisher": "Test", "title": "Synthetisch",
                               "attribution": "Synthetische Testdaten"},
        statistics=[{"code": "t.gross", "name": "Groß"}], values=values)
    run = ImportRun.objects.create(format="test", original_name="teilweise.csv")
    with pytest.raises(ImportRejected, match="Gebiet „99999“ ist unbekannt"):
        dataset_store(dataset, import_run=run, filename="teilweise.csv")
    assert Value.objects.count() == 0
    assert not Source.objects.filter(code="test-teilweise").exists()
    assert not Statistic.objects.filter(code="t.gross").exists()
    run.refresh_from_db()
    assert run.status != "done"


def test_values_upsert_takes_model_instances_as_well_as_codes(stat):
    from bildungskette.monitoring.models import Statistic as StatisticModel
    from bildungskette.monitoring.services import period_ensure
    from bildungskette.regions.selectors import region_by_code

    row = {"statistic": StatisticModel.objects.get(code="t.anzahl"), "region": region_by_code("06611"),
           "period": period_ensure("2023"), "value": 7}
    assert values_upsert(source=stat, rows=[row]).created == 1
    counts = values_upsert(source=stat, rows=[_row(7)])  # the same value given by codes
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 1)
