"""GENESIS classic table CSV: the three real files import completely and correctly."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from bildungskette.core.importing import ImportRejected
from bildungskette.monitoring.importers import import_file
from bildungskette.monitoring.models import Source, Statistic, Value
from bildungskette.regions.models import Region, RegionKind

from .conftest import GENESIS

LEAVERS = "21111-02-06-4.absolvierende-abgehende-allgemeinbildender-schulen-nach-dem-abschluss"


def value(stat, region, categories="", period=None):
    qs = Value.objects.filter(statistic__code=stat, region__code=region, categories=categories)
    if period:
        qs = qs.filter(period__code=period)
    return qs.get()


@pytest.mark.django_db
def test_cli_import_then_values_lists_kassel_2023_leavers():
    call_command("import", str(GENESIS / "21111-02-06-4.csv"))
    out = io.StringIO()
    call_command("values", "--table", "21111-02-06-4", "--region", "06611", "--format", "csv", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("statistic;statistic_name;unit;region")
    total = [line for line in lines if ";2022/23;;" in line]
    assert len(total) == 1 and ";1870;" in total[0]
    ohne = [line for line in lines if ";abschlussart=ohne-hauptschulabschluss;" in line]
    assert ";165;" in ohne[0]
    assert "© Statistische Ämter des Bundes und der Länder, Deutschland, 2025" in total[0]


@pytest.mark.django_db
def test_every_data_row_and_cell_is_stored_with_its_flag():
    report = import_file(GENESIS / "21111-02-06-4.csv", fmt="genesis")
    # 538 data rows × 14 value columns
    assert report.created == 538 * 14 == Value.objects.count()
    nds = value(LEAVERS, "03", "abschlussart=mit-fachhochschulreife")  # not collected in Niedersachsen
    assert nds.value is None and nds.flag == "."
    goettingen_alt = value(LEAVERS, "03152")
    assert goettingen_alt.value == 0 and goettingen_alt.flag == "-"
    hamburg = value(LEAVERS, "02")
    assert hamburg.value == 16611 and Region.objects.get(code="02").kind == RegionKind.LAND
    assert value(LEAVERS, "DG").value == 782423


@pytest.mark.django_db
def test_statistical_regions_and_former_kreise_are_created_from_the_file():
    import_file(GENESIS / "21111-02-06-4.csv", fmt="genesis")
    weser_ems = Region.objects.get(code="034")
    assert weser_ems.kind == RegionKind.STATISTISCHE_REGION and weser_ems.name == "Weser-Ems"
    assert weser_ems.parent.code == "03" and weser_ems.tenant is None
    assert Region.objects.get(code="066").kind == RegionKind.REGIERUNGSBEZIRK
    assert Region.objects.get(code="143").kind == RegionKind.REGIERUNGSBEZIRK  # Leipzig, Regierungsbezirk
    assert Region.objects.get(code="147").kind == RegionKind.STATISTISCHE_REGION
    assert value(LEAVERS, "034").value == 25630
    # The former Kreise the table still lists are the documented ones from the region files (with the
    # Kreise of today that cover them), not new orphans without boundary.
    assert not Region.objects.filter(kind=RegionKind.KREIS, source__startswith="aus GENESIS").exists()
    osterode = Region.objects.get(code="03156")
    assert osterode.valid_until is not None and [r.code for r in osterode.successors.all()] == ["03159"]
    assert [r.code for r in Region.objects.get(code="14383").successors.all()] == ["14729"]  # Muldentalkreis


@pytest.mark.django_db
def test_reimport_updates_instead_of_duplicating():
    import_file(GENESIS / "21111-02-06-4.csv", fmt="genesis")
    count = Value.objects.count()
    report = import_file(GENESIS / "21111-02-06-4.csv", fmt="genesis")
    assert Value.objects.count() == count
    assert report.created == 0 and report.unchanged == count


def _dataset_values(name):
    """Read a file through the importer without storing it: {(statistic, region, categories): row}."""
    from bildungskette.monitoring.importers.genesis_reader import genesis_dataset

    dataset = genesis_dataset(GENESIS / name)
    return dataset, {
        (v["statistic"], v["region"], ";".join(f"{b}={c}" for b, c in sorted(v["categories"].items()))): v
        for v in dataset.values
    }


@pytest.mark.django_db
def test_extra_key_column_becomes_breakdown_schulart():
    dataset, values = _dataset_values("21111-01-03-4.csv")
    assert len(dataset.values) == 6456 * 6  # every data row, every value column
    stat = "21111-01-03-4.schuelerinnen-und-schueler-an-allgemeinbildenden-schulen"
    gym = values[(stat, "06611", "schulart=gymnasien")]
    assert gym["period"] == "2023/24"  # Stichtag Schuljahresbeginn 2023
    assert values[(stat, "06611", "")]["value"] > gym["value"]
    schools = values[("21111-01-03-4.allgemeinbildende-schulen", "06611", "")]
    assert schools["flag"] == "x" and schools["value"] is None
    klasse7 = values[(stat, "06611", "klassenstufe-jahrgangsstufe-schulbesuchsjahr=7-klassenstufe;schulart=gymnasien")]
    assert klasse7["value"] > 0
    assert ("gymnasien", "Gymnasien", "part", "") in dataset.breakdowns["schulart"][1]
    assert "Stichtag Schuljahresbeginn" in " ".join(dataset.notes)


@pytest.mark.django_db
def test_vocational_table_with_two_breakdown_levels():
    dataset, values = _dataset_values("21121-02-02-4.csv")
    assert len(dataset.values) == 538 * 12
    stat = "21121-02-02-4.absolvierende-abgehende"
    assert values[(stat, "DG", "")]["value"] == 222742
    assert values[(stat, "DG", "abschlussart=mit-hauptschulabschluss;geschlecht=weiblich")]["value"] == 16612
    nachrichtlich = [k for k in values if k[0].startswith("21121-02-02-4.nachrichtl") and k[1:] == ("DG", "")]
    assert values[nachrichtlich[0]]["value"] == 21475


@pytest.mark.django_db
def test_source_keeps_licence_footnotes_and_stand():
    import_file(GENESIS / "21111-02-06-4.csv", fmt="genesis")
    source = Source.objects.get(table_code="21111-02-06-4")
    assert source.attribution == "© Statistische Ämter des Bundes und der Länder, Deutschland, 2025"
    assert "Namensnennung" in source.licence
    assert "Fachhochschulreife" in source.footnotes and str(source.published_on) == "2025-03-13"


@pytest.mark.django_db
def test_nrw_values_are_marked_rounded():
    import_file(GENESIS / "21111-02-06-4.csv", fmt="genesis")
    assert value(LEAVERS, "05911").rounded is True  # Bochum: NRW rounds to multiples of 5
    assert value(LEAVERS, "06611").rounded is False
    note = Source.objects.get(table_code="21111-02-06-4").rounding_note
    assert "05: Vielfache von 5" in note and "01: Vielfache von 3" in note


def _write(tmp_path, name, text, encoding="iso-8859-1"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _genesis_sample(rows: str) -> str:
    original = (GENESIS / "21111-02-06-4.csv").read_bytes().decode("iso-8859-1").splitlines()
    head, tail_start = original[:10], original.index("__________")
    return "\n".join(head + rows.splitlines() + original[tail_start:]) + "\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "rows,expected",
    [
        (
            "2023;06611;      Kassel;1870;952;165;83;246;104;837;408;74;42;6;3;616",
            "Zeile 12: Die Zeile hat 16 statt 17",
        ),
        (
            "2023;06611;      Kassel;1870;952;165;83;246;104;837;408;74;42;6;3;61x;1",
            "Zeile 12, Spalte P: „61x“ ist weder eine Zahl",
        ),
        ("2023;99123;      Nirgendwo;1;1;1;1;1;1;1;1;1;1;1;1;1;1", "Zeile 12, Spalte B: Regionalschlüssel „99123“"),
    ],
)
def test_bad_file_is_rejected_with_line_and_nothing_is_stored(tmp_path, rows, expected):
    good = "2023;DG;Deutschland;782423;381434;55708;22043;130322;53605;336361;163795;22530;11348;802;397;259230;141594"
    path = _write(tmp_path, "bad.csv", _genesis_sample(good + "\n" + rows))
    with pytest.raises(ImportRejected) as exc:
        import_file(path, fmt="genesis")
    assert expected in str(exc.value)
    assert Value.objects.count() == 0 and Source.objects.count() == 0 and Statistic.objects.count() == 0


@pytest.mark.django_db
def test_wrong_encoding_is_rejected(tmp_path):
    text = (GENESIS / "21111-02-06-4.csv").read_bytes().decode("iso-8859-1")
    path = _write(tmp_path, "utf16.csv", text, encoding="utf-16")
    with pytest.raises(ImportRejected) as exc:
        import_file(path, fmt="genesis")
    assert "Zeile 1" in str(exc.value) and "Zeichensatz" in str(exc.value)
    assert Value.objects.count() == 0


@pytest.mark.django_db
def test_cli_reports_rejection_in_german(tmp_path):
    from django.core.management.base import CommandError

    path = _write(tmp_path, "bad.csv", _genesis_sample("2023;06611;Kassel;1;2"))
    with pytest.raises(CommandError) as exc:
        call_command("import", str(path), "--format", "genesis")
    assert "Import abgelehnt, nichts wurde gespeichert" in str(exc.value) and "Zeile 11" in str(exc.value)


def test_value_parse_keeps_special_values():
    from bildungskette.monitoring.services import value_parse

    assert value_parse("1870") == (Decimal(1870), "")
    assert value_parse("12,5") == (Decimal("12.5"), "")
    assert value_parse("-") == (Decimal(0), "-")
    for flag in (".", "...", "/", "x", "0"):
        assert value_parse(flag) == (None, flag)
    assert value_parse("(12)") == (Decimal(12), "()")
    assert value_parse("1234p") == (Decimal(1234), "p")
    assert value_parse("0", official=False) == (Decimal(0), "")
