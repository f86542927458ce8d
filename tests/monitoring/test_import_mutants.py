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


def test_values_upsert_takes_numbers_given_as_text_or_float(stat):
    counts = values_upsert(source=stat, rows=[_row("12.5"), _row(2.25, region="06633")])
    assert counts.created == 2
    stored = {v.region.code: (v.value, v.revised) for v in Value.objects.select_related("region")}
    assert stored == {"06611": (Decimal("12.5"), False), "06633": (Decimal("2.25"), False)}


def test_a_float_is_rounded_as_written_not_by_its_binary_value(stat):
    # 1.0000015 written with 7 decimals, rounded to 6 by hand: 1.000002. As a binary float it is
    # 1.00000149999999998762…, which would round down to 1.000001.
    values_upsert(source=stat, rows=[_row(1.0000015)])
    assert Value.objects.get().value == Decimal("1.000002")


def test_more_than_six_decimals_are_rounded_and_the_same_file_again_changes_nothing(stat):
    # 0.1234567 → 0.123457 and 2.0000004 → 2.000000 (by hand); 0.123456 has exactly 6 and stays.
    rows = [_row(Decimal("0.1234567")), _row(Decimal("2.0000004"), region="06633"),
            _row(Decimal("0.123456"), region="06631")]
    values_upsert(source=stat, rows=rows)
    stored = {v.region.code: v.value for v in Value.objects.select_related("region")}
    assert stored == {"06611": Decimal("0.123457"), "06633": Decimal("2"), "06631": Decimal("0.123456")}
    counts = values_upsert(source=stat, rows=rows)
    assert (counts.created, counts.updated, counts.unchanged, counts.revised) == (0, 0, 3, 0)


@pytest.mark.parametrize(
    "extra,value,message",
    [
        ({"line": 4, "column": 3}, "abc", r"^Zeile 4, Spalte 3: „abc“ ist keine Zahl\.$"),
        ({"line": 7}, "1,5", r"^Zeile 7: „1,5“ ist keine Zahl\.$"),
        ({}, "x", r"^„x“ ist keine Zahl\.$"),
        ({"line": 9, "column": 2}, 10**14,
         r"^Zeile 9, Spalte 2: „100000000000000“ ist zu groß: Werte müssen betragsmäßig unter 10\^14 liegen "
         r"\(höchstens 14 Stellen vor dem Komma\)\.$"),
    ],
)
def test_values_upsert_names_the_cell_of_a_bad_number(stat, extra, value, message):
    with pytest.raises(ValueError, match=message):
        values_upsert(source=stat, rows=[_row(1, region="06633"), {**_row(value), **extra}])
    assert not Value.objects.exists()


def test_the_same_cell_twice_in_one_import_is_stored_once(stat):
    counts = values_upsert(source=stat, rows=[_row(10), _row(10)])
    assert (counts.created, counts.updated, counts.unchanged) == (1, 0, 1)
    # A second, different figure for a cell that this import has just created is not written twice.
    counts = values_upsert(source=stat, rows=[_row(5, region="06633"), _row(6, region="06633")])
    assert (counts.created, counts.updated, counts.unchanged) == (1, 0, 1)
    assert Value.objects.count() == 2
    # A changed figure given twice in a re-import: one update, no second row.
    counts = values_upsert(source=stat, rows=[_row(12), _row(12)])
    assert (counts.created, counts.updated, counts.unchanged, counts.revised) == (0, 1, 1, 1)
    assert Value.objects.count() == 2 and Value.objects.get(region__code="06611").value == 12


def _run(name):
    return ImportRun.objects.create(format="test", original_name=name)


def test_a_changed_figure_keeps_the_earlier_state_as_revision(stat):
    first, second = _run("erste.csv"), _run("zweite.csv")
    values_upsert(source=stat, rows=[_row(10, "p", rounded=True)], import_run=first)
    newer = source_ensure(code="test-b", publisher="Test", title="Neuere Quelle", attribution="Test")
    counts = values_upsert(source=newer, rows=[_row(12)], import_run=second)
    assert (counts.updated, counts.revised) == (1, 1)
    stored = Value.objects.get()
    assert (stored.value, stored.flag, stored.rounded, stored.source, stored.import_run, stored.revised) == (
        12, "", False, newer, second, True)
    revision = stored.revisions.get()
    assert (revision.value, revision.flag, revision.rounded, revision.source, revision.import_run,
            revision.superseded_by, revision.file_name) == (10, "p", True, stat, first, second, "erste.csv")
    # Changed again: the state of the second import (not rounded, no flag) is kept as it was.
    third = _run("dritte.csv")
    values_upsert(source=newer, rows=[_row(13, rounded=True)], import_run=third)
    latest = stored.revisions.get(import_run=second)
    assert (latest.value, latest.flag, latest.rounded, latest.source, latest.superseded_by) == (
        12, "", False, newer, third)


@pytest.mark.parametrize("second_row", [_row(10, rounded=True), _row(10)], ids=["rounded", "source"])
def test_a_change_of_source_or_rounding_only_is_no_revision(stat, second_row):
    first, second = _run("erste.csv"), _run("zweite.csv")
    values_upsert(source=stat, rows=[_row(10)], import_run=first)
    newer = source_ensure(code="test-b", publisher="Test", title="Neuere Quelle", attribution="Test")
    counts = values_upsert(source=newer, rows=[second_row], import_run=second)
    assert (counts.updated, counts.revised) == (1, 0)
    stored = Value.objects.get()
    # The figure still comes from the first import; only the source (and rounding note) changed.
    assert (stored.value, stored.source, stored.import_run, stored.revised) == (10, newer, first, False)
    assert stored.rounded is second_row["rounded"]
    assert not stored.revisions.exists()


def test_a_value_stored_without_import_gets_the_import_that_confirms_it(stat):
    values_upsert(source=stat, rows=[_row(10)])
    run = _run("bestaetigt.csv")
    newer = source_ensure(code="test-b", publisher="Test", title="Neuere Quelle", attribution="Test")
    values_upsert(source=newer, rows=[_row(10)], import_run=run)
    stored = Value.objects.get()
    assert (stored.import_run, stored.revised) == (run, False) and not stored.revisions.exists()


def test_the_breakdown_ends_at_the_first_equals_sign():
    # A category may itself contain "="; the breakdown is the text before the first one.
    assert categories_key("vergleich=a=b;art=x") == "art=x;vergleich=a=b"
    # "x=insgesamt" is a category of the breakdown "merkmal", not a total.
    assert categories_key("merkmal=x=insgesamt") == "merkmal=x=insgesamt"
