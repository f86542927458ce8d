"""BA training-market balance, GENESIS flat files (old and new) and named column mappings."""

import io
import zipfile

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from bildungskette.core.importing import ImportRejected
from bildungskette.core.models import Role
from bildungskette.monitoring.importers import import_file
from bildungskette.monitoring.models import Indicator, Period, Source, Value
from bildungskette.monitoring.selectors import indicator_compute
from bildungskette.monitoring.services import mapping_save
from bildungskette.regions.selectors import region_by_code

BA_CSV = (
    "Region;Berichtsjahr;KldB;Bewerber;unversorgte Bewerber;Bewerber mit Alternative;betriebliche Stellen;"
    "unbesetzte Stellen;NAA;außerbetriebliche NAA\n"
    "06611;2019;;1630;307;120;1766;279;1500;30\n"
    "06611;2019;25212;40;*;-;35;9;;\n"
)


@pytest.mark.django_db
def test_ba_csv_feeds_the_training_market_indicators(tmp_path, catalogue):
    path = tmp_path / "ba-kassel.csv"
    path.write_text(BA_CSV, encoding="utf-8")
    call_command("import", str(path))  # auto-detected as "ba"
    period = Period.objects.get(code="BJ2018/19")
    kassel = region_by_code("06611")

    def result(code):
        return indicator_compute(indicator=Indicator.objects.get(code=code), region=kassel, period=period)

    assert result("stellen-je-bewerber").display() == "1,08"
    assert result("unbesetzte-je-unversorgte").display() == "0,91"
    # ANR = (1500 + 279) / (1500 + 307) × 100
    assert result("anr").display() == "98,5"  # 1,779 / 1,807
    occupation = Value.objects.get(statistic__code="ba.bewerber", categories="ba-status=unversorgt;kldb=25212")
    assert occupation.value is None and occupation.flag == "."  # BA "*": fewer than 3, anonymised
    assert (
        Value.objects.get(statistic__code="ba.bewerber", categories="ba-status=mit-alternative;kldb=25212").flag == "-"
    )
    assert "Bundesagentur" in Source.objects.get(code="ba-ausbildungsmarkt").attribution


@pytest.mark.django_db
def test_ba_xlsx_with_unknown_region_and_occupation_is_rejected(tmp_path, catalogue):
    book = Workbook()
    ws = book.active
    ws.append(["Region", "Berichtsjahr", "KldB", "Bewerber"])
    ws.append(["06611", 2019, None, 1630])
    ws.append(["99999", 2019, None, 5])
    ws.append(["06611", 2019, "99999", 5])
    path = tmp_path / "ba.xlsx"
    book.save(path)
    with pytest.raises(ImportRejected) as exc:
        import_file(path, fmt="ba")
    text = str(exc.value)
    assert "Zeile 3, Spalte Region: Gebiet „99999“ ist unbekannt." in text
    assert "Zeile 4, Spalte KldB" in text
    assert Value.objects.count() == 0


FF_OLD = (
    "Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;1_Auspraegung_Code;"
    "1_Auspraegung_Label;2_Merkmal_Code;2_Merkmal_Label;2_Auspraegung_Code;2_Auspraegung_Label;"
    "BIL002__Schueler__Anzahl\n"
    "21111;Statistik der allgemeinbildenden Schulen;JAHR;Jahr;2023;KREISE;Kreise;06611;Kassel;GES;Geschlecht;"
    "GESW;weiblich;952\n"
    "21111;Statistik der allgemeinbildenden Schulen;JAHR;Jahr;2023;KREISE;Kreise;06633;Kassel, Landkreis;GES;"
    "Geschlecht;GESW;weiblich;.\n"
)

FF_NEW = (
    "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;"
    "1_variable_attribute_code;1_variable_attribute_label;value;value_unit;value_variable_code;value_variable_label\n"
    "12411;Bevölkerungsstand;STAG;Stichtag;31.12.2023;DLAND;Bundesländer;06;Hessen;6391360;Anzahl;BEVSTD;"
    "Bevölkerungsstand\n"
    "12411;Bevölkerungsstand;STAG;Stichtag;31.12.2023;DINSG;Deutschland;DG;Deutschland;84669326;Anzahl;BEVSTD;"
    "Bevölkerungsstand\n"
)


@pytest.mark.django_db
def test_ffcsv_old_german_columns(tmp_path):
    path = tmp_path / "21111-ff.csv"
    path.write_bytes(FF_OLD.encode("iso-8859-1"))
    import_file(path, fmt="ffcsv")
    # Breakdowns and categories by their labels, as the classic table names them.
    weiblich = Value.objects.get(region__code="06611", categories="geschlecht=weiblich")
    assert weiblich.value == 952 and weiblich.statistic.code == "21111.schueler" and weiblich.period.code == "2023"
    assert Value.objects.get(region__code="06633").flag == "."


@pytest.mark.django_db
def test_ffcsv_new_english_columns_in_a_zip(tmp_path):
    path = tmp_path / "12411-ff.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("12411_flat.csv", FF_NEW.encode("utf-8"))
    call_command("import", str(path))  # auto-detected
    hessen = Value.objects.get(region__code="06")
    assert hessen.value == 6391360 and hessen.period.code == "2023-12-31" and hessen.period.kind == "date"
    assert Value.objects.get(region__code="DG").value == 84669326


@pytest.mark.django_db
def test_named_mapping_built_in_the_ui_and_reused(client_as, make_user, tenant, tmp_path):
    client = client_as(make_user(role=Role.MONITORING, tenant=tenant))
    response = client.post(
        "/monitoring/importe/zuordnung/neu/",
        {
            "name": "kita",
            "label": "Kita-Statistik",
            "region_column": "Kreis",
            "period_column": "Jahr",
            "values": "Kinder u3 = kita.kinder altersgruppe=u3 | Kinder in Kitas | Anzahl",
            "source_title": "Kita-Statistik (Testdaten)",
            "source_publisher": "Jugendamt",
            "source_attribution": "Jugendamt Kassel, synthetische Testdaten",
            "is_synthetic": "on",
        },
    )
    assert response.status_code == 302
    path = tmp_path / "kita.csv"
    path.write_text("Kreis;Jahr;Kinder u3\n6611;2023;1200\n6611;2024;1250\n", encoding="utf-8")
    call_command("import", str(path), "--format", "mapping:kita", "--tenant", tenant.slug)
    values = Value.objects.filter(statistic__code="kita.kinder").order_by("period__year")
    assert [v.value for v in values] == [1200, 1250] and all(v.tenant == tenant for v in values)
    source = Source.objects.get(code="olov-kassel-kita")
    assert source.is_synthetic and source.line.startswith("SYNTHETISCHE DATEN")


@pytest.mark.django_db
def test_mapping_rejects_bad_rows_with_line_and_column(tenant, tmp_path):
    mapping_save(
        tenant=tenant,
        name="m",
        definition={
            "region_column": "AGS",
            "period": "2023",
            "values": [{"column": "Wert", "statistic": "x.y"}],
            "source": {"code": "m", "publisher": "P", "title": "T", "attribution": "A"},
        },
    )
    path = tmp_path / "m.csv"
    path.write_text("AGS;Wert\n06611;12\n06611;zwölf\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as exc:
        import_file(path, fmt="mapping:m", tenant=tenant)
    assert "Zeile 3, Spalte Wert: „zwölf“ ist weder eine Zahl" in str(exc.value)
    assert Value.objects.count() == 0


def test_mapping_definition_is_checked():
    from bildungskette.monitoring.importers.mapping import mapping_definition_check

    problems = mapping_definition_check({"values": []})
    assert "Die Spalte mit dem Regionalschlüssel fehlt." in problems
    assert "Mindestens eine Wertspalte angeben." in problems


def test_xlsx_number_cells_read_as_text(tmp_path):
    from bildungskette.monitoring.importers.tabular import table_rows

    book = Workbook()
    book.active.append(["a", 2019.0, 1.5])
    path = tmp_path / "x.xlsx"
    book.save(path)
    assert table_rows(path)[0][1] == ["a", "2019", "1.5"]
    assert io  # module used for zip tests
