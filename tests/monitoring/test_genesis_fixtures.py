"""Real GENESIS tables of every layout (tests/monitoring/fixtures/genesis, see SOURCES.md) import, and
their values equal the file cell by cell.

The expected values are read here from the raw file with nothing but ``csv`` – by the row's key cells
and the column's header texts – never through the importer.
"""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from bildungskette.monitoring.importers import import_file
from bildungskette.monitoring.importers.ffcsv import ffcsv_dataset
from bildungskette.monitoring.importers.genesis_reader import genesis_dataset
from bildungskette.monitoring.models import Breakdown, Category, Source, Value
from bildungskette.monitoring.services import slug_code

FIXTURES = Path(__file__).parent / "fixtures" / "genesis"


def raw_rows(name: str) -> list[list[str]]:
    data = (FIXTURES / name).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("iso-8859-1")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def raw_cell(name: str, keys: dict[int, str], headers: list[str]) -> str:
    """The cell in the row whose key cells equal ``keys`` and the column whose header cells contain all
    of ``headers`` (in order, top to bottom)."""
    rows = raw_rows(name)
    header_rows = [r for r in rows[:15] if r and not r[0].strip() and any(c.strip() for c in r)]
    width = max(len(r) for r in header_rows)
    columns = []
    for j in range(width):
        texts = [r[j].strip() for r in header_rows if j < len(r)]
        pos = 0
        for wanted in headers:
            while pos < len(texts) and texts[pos] != wanted:
                pos += 1
            if pos == len(texts):
                break
            pos += 1
        else:
            columns.append(j)
    assert columns, f"no column with headers {headers}"
    row = next(r for r in rows if all(len(r) > i and r[i].strip() == v for i, v in keys.items()))
    return row[columns[0]]


def number(text: str) -> Decimal:
    return Decimal(text.strip().replace(",", "."))


def stored(table: str, statistic: str, region: str, period: str, categories: str = "") -> Value:
    return Value.objects.get(
        statistic__code=f"{table}.{slug_code(statistic, 140)}",
        region__code=region,
        period__code=period,
        categories=categories,
    )


# file, statistic, region, period, categories key, raw row keys, raw column headers
CASES = [
    # Stichtag as a header row (12411-01-01-4, ISO-8859-1, Regionaldatenbank)
    ("12411-01-01-4.csv", "Bevölkerungsstand", "06611", "2018-12-31", "", {0: "06611"}, ["31.12.2018", "Insgesamt"]),
    # Stichtag dd.mm.yyyy in column A, one value column with its unit row
    ("11111-01-01-4.csv", "Gebietsfläche", "06611", "2018-12-31", "", {1: "06611"}, ["Gebietsfläche", "qkm"]),
    # three header levels: statistic, breakdown group, Fachabteilung; "zusammen" sub-total
    (
        "23111-01-04-4.csv",
        "aufgestellte Betten im Jahresdurchschnitt",
        "06611",
        "2017-12-31",
        "allgemeine-fachabteilungen=augenheilkunde",
        {1: "06611"},
        ["aufgestellte Betten im Jahresdurchschnitt", "allgemeine Fachabteilungen", "Augenheilkunde"],
    ),
    # year rows; "darunter" groups of mixed kind in one header row
    (
        "13211-02-05-4.csv",
        "Arbeitslose",
        "06611",
        "2020",
        "altersgruppe=15-bis-unter-25-jahre",
        {0: "2020", 1: "06611"},
        ["Arbeitslose", "15 bis unter 25 Jahre"],
    ),
    # Stichtag rows, two category rows without names (Geschlecht × Altersgruppe), statistic in the title
    (
        "12411-0018.csv",
        "Bevölkerungsstand",
        "06611",
        "2020-12-31",
        "altersgruppe=3-bis-unter-6-jahre;geschlecht=weiblich",
        {0: "31.12.2020", 1: "06611"},
        ["weiblich", "3 bis unter 6 Jahre"],
    ),
    # a second row key (Geschlecht) beside the region
    (
        "22411-02-03-4.csv",
        "Pflegebedürftige",
        "06611",
        "2019-12-31",
        "geschlecht=weiblich",
        {0: "31.12.2019", 1: "06611", 3: "weiblich"},
        ["Pflegebedürftige"],
    ),
    # time only in the title ("Stichtag: 30.06.2020"), Wirtschaftszweig as row key, name/category header pairs
    (
        "13111-07-05-4_2020.csv",
        "Sozialversicherungspfl. Beschäftigte (Arbeitsort)",
        "06611",
        "2020-06-30",
        "geschlecht=weiblich;nationalitaet=auslaenderinnen;wirtschaftszweig=verarbeitendes-gewerbe-c",
        {0: "06611", 2: "Verarbeitendes Gewerbe (C)"},
        ["Ausländer(innen)", "weiblich"],
    ),
    # Länder as column headers by name (UTF-8, GENESIS-Online), age rows
    (
        "12411-0013.csv",
        "Bevölkerungsstand",
        "06",
        "2015-12-31",
        "altersgruppe=unter-1-jahr;geschlecht=weiblich",
        {0: "31.12.2015", 1: "unter 1 Jahr"},
        ["Hessen", "weiblich"],
    ),
    # months as second key, national table without region (UTF-8)
    ("12612-0002.csv", "Lebendgeborene", "DG", "1950-03", "", {0: "1950", 1: "März"}, ["Insgesamt"]),
    ("12613-0006.csv", "Gestorbene", "DG", "1950-01", "geschlecht=weiblich", {0: "1950", 1: "Januar"}, ["weiblich"]),
    # national, two category header rows (Geschlecht × Nationalität), age rows (ISO-8859-1)
    (
        "12613-0004.csv",
        "Gestorbene",
        "DG",
        "2000",
        "altersgruppe=unter-1-jahr;geschlecht=weiblich;nationalitaet=auslaender",
        {0: "2000", 1: "unter 1 Jahr"},
        ["weiblich", "Ausländer"],
    ),
    # a non-regional key: cause of death
    (
        "23211-0002.csv",
        "Gestorbene",
        "DG",
        "1980",
        "geschlecht=maennlich;todesursache=vorsaetzliche-selbstbeschaedigung",
        {0: "1980"},
        ["männlich"],
    ),
    # four header levels (Geschlecht, männlich/weiblich, Altersgruppen, age) in UTF-8
    (
        "23211-0004.csv",
        "Gestorbene",
        "DG",
        "1981",
        "altersgruppe=15-bis-unter-20-jahre;geschlecht=weiblich;todesursache=vorsaetzliche-selbstbeschaedigung",
        {0: "1981"},
        ["weiblich", "15 bis unter 20 Jahre"],
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name,statistic,region,period,categories,keys,headers", CASES, ids=[c[0] for c in CASES])
def test_real_table_imports_and_equals_the_file(name, statistic, region, period, categories, keys, headers):
    report = import_file(FIXTURES / name, fmt="genesis")
    table = raw_rows(name)[0][0].split(":", 1)[1].strip().strip(";")
    expected = number(raw_cell(name, keys, headers))
    value = stored(table, statistic, region, period, categories)
    assert value.value == expected and value.flag == ""
    assert report.created == Value.objects.count() > 0
    source = Source.objects.get(table_code=table)
    assert source.attribution.startswith("©") and source.published_on is not None
    assert '""' not in source.footnotes  # readable text, not CSV quoting


def _data_cells(name: str) -> int:
    """Value cells of the file: rows between the headers and the "____" line, minus their key cells."""
    rows = raw_rows(name)
    headers = [r for r in rows if r and not r[0].strip() and any(c.strip() for c in r)]
    keys = min(next(j for j, c in enumerate(r) if c.strip()) for r in headers[:8])
    start = rows.index(headers[0])
    count = 0
    for r in rows[start:]:
        if r and r[0].startswith("_____"):
            break
        if r and r[0].strip():
            count += len([c for c in r[keys:]])
    return count


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted({c[0] for c in CASES}))
def test_every_cell_of_the_file_is_read_once_with_its_number(name):
    dataset = genesis_dataset(FIXTURES / name)
    rows = raw_rows(name)
    assert len(dataset.values) == _data_cells(name)
    # each value equals the raw cell at its line and column (single-line rows: line n is rows[n-1])
    for v in dataset.values[:: max(1, len(dataset.values) // 2000)]:
        cell = rows[v["line"] - 1][_column_index(v["column"])].strip()
        if v["flag"]:
            assert cell.startswith(v["flag"]) or cell.endswith(v["flag"]) or cell == "-"
        else:
            assert number(cell) == v["value"]
    keys = {
        (v["statistic"], str(v["region"]), v["period"], tuple(sorted(v["categories"].items()))) for v in dataset.values
    }
    assert len(keys) == len(dataset.values)  # no two cells claim the same key


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


@pytest.mark.django_db
def test_kassel_population_2018_by_sex():
    import_file(FIXTURES / "12411-01-01-4.csv", fmt="genesis")
    stat = "Bevölkerungsstand"
    assert stored("12411-01-01-4", stat, "06611", "2018-12-31").value == 201585
    assert stored("12411-01-01-4", stat, "06611", "2018-12-31", "geschlecht=maennlich").value == 99007
    assert stored("12411-01-01-4", stat, "06611", "2018-12-31", "geschlecht=weiblich").value == 102578
    assert Breakdown.objects.get(code="geschlecht").name == "Geschlecht"


def _triples(dataset):
    return sorted(
        (v["statistic"], str(v["region"]), v["period"], tuple(sorted(v["categories"].items())), v["value"], v["flag"])
        for v in dataset.values
    )


@pytest.mark.django_db
def test_flat_files_old_and_2020_give_the_same_values_as_the_classic_table():
    classic = genesis_dataset(FIXTURES / "12411-01-01-4.csv")
    old = ffcsv_dataset(FIXTURES / "12411-01-01-4_ffcsv_alt.csv")
    new = ffcsv_dataset(FIXTURES / "12411-01-01-4_ffcsv_2020.csv")
    assert len(classic.values) == 538 * 3
    assert _triples(classic) == _triples(old) == _triples(new)
    assert classic.breakdowns == old.breakdowns == new.breakdowns


@pytest.mark.django_db
def test_unemployment_breakdowns_are_separate_honest_and_never_double_count():
    import_file(FIXTURES / "13211-02-05-4.csv", fmt="genesis")
    stat = "13211-02-05-4.arbeitslose"
    names = set(Breakdown.objects.filter(statistics__code=stat).values_list("name", flat=True))
    assert names == {"Nationalität", "Schwerbehinderung", "Altersgruppe", "Dauer der Arbeitslosigkeit"}
    ages = Category.objects.filter(breakdown__code="altersgruppe")
    # 15–20 lies inside 15–25: the groups are "darunter" subsets of the total, never parts of a sum.
    assert {c.name for c in ages} == {"15 bis unter 20 Jahre", "15 bis unter 25 Jahre", "55 bis unter 65 Jahre"}
    assert {c.role for c in ages} == {"subset"}
    quote = Breakdown.objects.get(code="geschlecht")
    assert {c.name for c in quote.categories.all()} == {"Männer", "Frauen"}
    # No sum over the summable ("part") categories of any breakdown exceeds the total.
    _assert_parts_never_exceed_total(stat)
    from bildungskette.monitoring.services import indicator_validate

    problems = indicator_validate(
        numerator=f'wert("{stat}", altersgruppe=["15-bis-unter-20-jahre", "15-bis-unter-25-jahre"])'
    )
    assert any("darf nicht mit anderen Ausprägungen" in p for p in problems)


def _assert_parts_never_exceed_total(stat_code: str) -> None:
    parts = {
        (c.breakdown.code, c.code)
        for c in Category.objects.filter(breakdown__statistics__code=stat_code, role="part").select_related("breakdown")
    }
    totals, sums = {}, {}
    for region, period, cats, value in Value.objects.filter(statistic__code=stat_code).values_list(
        "region_id", "period_id", "categories", "value"
    ):
        if value is None:
            continue
        if cats == "":
            totals[(region, period)] = value
            continue
        pairs = [tuple(p.split("=", 1)) for p in cats.split(";")]
        if len(pairs) == 1 and pairs[0] in parts:
            key = (region, period, pairs[0][0])
            sums[key] = sums.get(key, 0) + value
    for (region, period, _), total in sums.items():
        assert total <= totals[(region, period)]


@pytest.mark.django_db
def test_economic_sector_ranges_are_subtotals_and_parts_stay_below_the_total():
    import_file(FIXTURES / "13111-07-05-4_2020.csv", fmt="genesis")
    roles = dict(Category.objects.filter(breakdown__code="wirtschaftszweig").values_list("name", "role"))
    assert roles["Produzierendes Gewerbe (B-F)"] == "subtotal"
    assert roles["Produzierendes Gewerbe ohne Baugewerbe (B-E)"] == "subtotal"
    assert roles["Dienstleistungsbereiche (G-U)"] == "subtotal"
    assert roles["Verarbeitendes Gewerbe (C)"] == roles["Baugewerbe (F)"] == "part"
    _assert_parts_never_exceed_total("13111-07-05-4.sozialversicherungspfl-beschaeftigte-arbeitsort")


@pytest.mark.django_db
def test_zusammen_is_a_subtotal():
    import_file(FIXTURES / "23111-01-04-4.csv", fmt="genesis")
    cat = Category.objects.get(name="chirurgische Fachabteilungen zusammen")
    assert cat.role == "subtotal" and cat.breakdown.name == "allgemeine Fachabteilungen"
