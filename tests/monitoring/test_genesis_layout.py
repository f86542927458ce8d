"""Sane numbers and the edges of the layout: non-finite and too large numbers, text in number cells,
negative counts, a cut-off footer, content after the data block, several blocks in one file."""

from decimal import Decimal
from pathlib import Path

import pytest

from bildungskette.core.importing import ImportRejected
from bildungskette.monitoring.importers import import_file
from bildungskette.monitoring.importers.genesis import time_parse
from bildungskette.monitoring.models import Source, Value
from bildungskette.monitoring.services import source_ensure, statistic_ensure, value_parse, values_upsert

FIXTURES = Path(__file__).parent / "fixtures" / "genesis"
AREA = FIXTURES / "11111-01-01-4.csv"  # 538 rows "31.12.2018;KEY;Name;qkm"


def _area_text() -> str:
    return AREA.read_bytes().decode("iso-8859-1")


def _write(tmp_path, text: str, name="11111-01-01-4.csv", encoding="iso-8859-1") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _kassel_cell(tmp_path, cell: str) -> Path:
    text = _area_text()
    old = "31.12.2018;06611;      Kassel, Kreisfreie Stadt;106,80"
    assert old in text
    return _write(tmp_path, text.replace(old, f"31.12.2018;06611;      Kassel, Kreisfreie Stadt;{cell}"))


def _kassel_line() -> int:
    return next(n for n, line in enumerate(_area_text().splitlines(), 1) if ";06611;" in line)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cell,message",
    [
        ("inf", "keine endliche Zahl"),
        ("nan", "keine endliche Zahl"),
        ("1e400", "zu groß"),
        ("1000000000000000", "zu groß"),  # 10^15
        ("100000000000000", "zu groß"),  # 10^14: one digit more than DECIMAL(20, 6) holds
        ("10^15", "weder eine Zahl noch ein Sonderzeichen"),
        ("zwölf", "weder eine Zahl noch ein Sonderzeichen"),
    ],
)
def test_bad_numbers_are_rejected_with_line_and_column_and_pages_still_work(tmp_path, client, cell, message):
    with pytest.raises(ImportRejected, match=message) as exc:
        import_file(_kassel_cell(tmp_path, cell), fmt="genesis")
    assert f"Zeile {_kassel_line()}, Spalte D" in str(exc.value)
    assert Value.objects.count() == 0 and Source.objects.count() == 0
    assert client.get("/monitoring/quellen/").status_code == 200
    assert client.get("/api/monitoring/values?region=06611").status_code == 200


@pytest.mark.django_db
def test_largest_storable_number_round_trips_exactly_on_this_database():
    source = source_ensure(code="test-grenzen", publisher="Test", title="Grenzwerte", attribution="Test")
    statistic_ensure(code="test.grenze", name="Grenze", source=source)
    biggest = Decimal("99999999999999.9")  # 14 digits before the comma, 15 significant
    values_upsert(
        source=source, rows=[{"statistic": "test.grenze", "region": "06611", "period": "2020", "value": biggest}]
    )
    assert Value.objects.get().value == biggest
    with pytest.raises(ValueError, match="zu groß"):
        values_upsert(
            source=source,
            rows=[{"statistic": "test.grenze", "region": "06", "period": "2020", "value": Decimal("1e14")}],
        )
    with pytest.raises(ValueError, match="mehr als 15 gültige Stellen"):
        values_upsert(
            source=source,
            rows=[
                {"statistic": "test.grenze", "region": "06", "period": "2020", "value": Decimal("99999999999999.99")}
            ],
        )
    with pytest.raises(ValueError, match="keine endliche Zahl"):
        values_upsert(
            source=source, rows=[{"statistic": "test.grenze", "region": "06", "period": "2020", "value": float("inf")}]
        )


def test_value_parse_refuses_what_no_column_holds():
    assert value_parse("99999999999999,5") == (Decimal("99999999999999.5"), "")
    assert value_parse("0,12345678") == (Decimal("0.12345678"), "")  # stored rounded to 6 places
    with pytest.raises(ValueError, match="zu groß"):
        value_parse("-100000000000000")
    with pytest.raises(ValueError, match="keine endliche Zahl"):
        value_parse("-Infinity")


@pytest.mark.django_db
def test_negative_area_is_refused_negative_count_is_a_warning(tmp_path):
    with pytest.raises(ImportRejected, match="Fläche kann nicht negativ sein") as exc:
        import_file(_kassel_cell(tmp_path, "-106,80"), fmt="genesis")
    assert f"Zeile {_kassel_line()}, Spalte D" in str(exc.value)
    text = (FIXTURES / "12411-01-01-4.csv").read_bytes().decode("iso-8859-1")
    path = _write(tmp_path, text.replace(";201585;99007;102578", ";-201585;99007;102578"), name="12411-01-01-4.csv")
    report = import_file(path, fmt="genesis")
    warning = next(n for n in report.notes if "negative Anzahlen" in n)
    assert "Spalte C: -201585" in warning
    assert Value.objects.get(region__code="06611", categories="").value == -201585


@pytest.mark.django_db
def test_missing_footer_imports_with_a_visible_warning(tmp_path):
    lines = _area_text().splitlines()
    cut = lines[: lines.index("__________")]
    report = import_file(_write(tmp_path, "\n".join(cut) + "\n"), fmt="genesis")
    assert report.created == 538
    assert any(n.startswith("Warnung: Die Fußzeile") and "unvollständig" in n for n in report.notes)


@pytest.mark.django_db
def test_data_after_the_footer_is_refused_with_its_line(tmp_path):
    text = _area_text() + "31.12.2019;06611;Kassel;106,80\n31.12.2019;06633;Kassel, Landkreis;1293,00\n"
    with pytest.raises(ImportRejected, match="folgen weitere Datenzeilen ohne eigenen Tabellenkopf") as exc:
        import_file(_write(tmp_path, text), fmt="genesis")
    assert f"Zeile {len(_area_text().splitlines()) + 1}" in str(exc.value)
    assert Value.objects.count() == 0


@pytest.mark.django_db
def test_a_second_table_block_in_the_same_file_is_imported_too(tmp_path):
    second = (FIXTURES / "12411-01-01-4.csv").read_bytes().decode("iso-8859-1")
    report = import_file(_write(tmp_path, _area_text() + second), fmt="genesis")
    assert report.created == 538 + 538 * 3
    assert (
        Value.objects.get(statistic__code="12411-01-01-4.bevoelkerungsstand", region__code="06611", categories="").value
        == 201585
    )
    assert Value.objects.get(statistic__code="11111-01-01-4.gebietsflaeche", region__code="06611").value == Decimal(
        "106.80"
    )
    assert any("2 Tabellenblöcke" in n for n in report.notes)


@pytest.mark.django_db
def test_same_table_in_utf8_gives_the_same_values(tmp_path):
    import_file(_write(tmp_path, _area_text(), encoding="utf-8"), fmt="genesis")
    utf8 = dict(Value.objects.values_list("region__code", "value"))
    assert utf8["06611"] == Decimal("106.80") and len(utf8) == 538


@pytest.mark.django_db
def test_time_only_in_the_title_and_no_time_at_all(tmp_path):
    rows = "GENESIS-Tabelle: 99999-01-01-4\nTesttabelle ohne Zeitbezug;;\n;;Anzahl\n06611;Kassel;5\n__________\n"
    with pytest.raises(ImportRejected, match="Kein Zeitbezug erkennbar"):
        import_file(_write(tmp_path, rows, name="t.csv"), fmt="genesis")
    with_date = rows.replace("Testtabelle ohne Zeitbezug;;", "Testtabelle;;\nStichtag: 30.06.2020;;")
    import_file(_write(tmp_path, with_date, name="t.csv"), fmt="genesis")
    assert Value.objects.get().period.code == "2020-06-30"


@pytest.mark.parametrize(
    "text,code",
    [
        ("2020", "2020"),
        ("31.12.2018", "2018-12-31"),
        ("Januar 2020", "2020-01"),
        ("3. Quartal 2019", "2019-Q3"),
        ("2. Halbjahr 2019", "2019-H2"),
        ("WS 2019/20", "WS2019/20"),
        ("Sommersemester 2020", "SS2020"),
        ("Schuljahr 2022/23", "2022/23"),
        ("Berichtsjahr 2018/19", "BJ2018/19"),
        ("Deutschland", None),
        ("15 bis unter 20 Jahre", None),
    ],
)
def test_time_cells(text, code):
    assert time_parse(text) == code


@pytest.mark.django_db
def test_quarter_rows_with_a_year_column(tmp_path):
    rows = (
        "GENESIS-Tabelle: 99999-02-01-4\nTesttabelle nach Quartalen;;;\nTest (Anzahl);;;\n;;;;Insgesamt\n"
        "2020;1. Quartal;06611;Kassel;10\n2020;2. Quartal;06611;Kassel;12\n__________\nStand: 01.01.2021\n"
    )
    import_file(_write(tmp_path, rows, name="q.csv"), fmt="genesis")
    assert dict(Value.objects.values_list("period__code", "value")) == {"2020-Q1": 10, "2020-Q2": 12}


@pytest.mark.django_db
def test_upload_preview_shows_the_missing_footer_warning(client_as, make_user, tenant, tmp_path):
    from bildungskette.core.models import Role

    client = client_as(make_user(role=Role.MONITORING, tenant=tenant))
    lines = _area_text().splitlines()
    path = _write(tmp_path, "\n".join(lines[: lines.index("__________")]) + "\n")
    with path.open("rb") as fh:
        response = client.post("/monitoring/importe/", {"file": fh, "format": "genesis"}, follow=True)
    text = response.content.decode()
    assert response.status_code == 200 and "Warnung: Die Fußzeile" in text and "unvollständig" in text
    assert Value.objects.count() == 0  # nothing stored before "Import bestätigen"
