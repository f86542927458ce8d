"""Kleinräumig: the Kommune's own Stadtteil statistics through the column mapping, the social index
and the disclosure rule at its threshold."""

import csv
import statistics
from decimal import Decimal
from pathlib import Path

import pytest

from bildungskette.core.importing import ImportRejected
from bildungskette.monitoring.importers import import_file
from bildungskette.monitoring.models import ColumnMapping
from bildungskette.monitoring.social_index import INPUTS, SUPPRESSED_MARK, social_index_compute
from bildungskette.regions.models import Region, RegionKind

HAMBURG = Path(__file__).parent / "fixtures" / "kleinraum" / "hamburg_stadtteilprofile_2014_mitte_altona.csv"
COLUMNS = {
    "kleinraum.bevoelkerung": "Bevölkerung",
    "kleinraum.sgb2": "Leistungs-empfänger/-innen nach SGB II (Dez 2013)",
    "kleinraum.haushalte-mit-kindern": "Haushalte mit Kindern",
    "kleinraum.alleinerziehende": "Alleinerziehende",
    "kleinraum.migrationshintergrund": "Bevölkerung mit Migrations-hintergrund",
}


def _mapping(tenant, gemeinde_code, name="stadtteilprofile"):
    return ColumnMapping.objects.create(tenant=tenant, name=name, definition={
        "region_column": "Stadtgebiet", "period": "2013", "delimiter": ";", "stadtteile_of": gemeinde_code,
        "values": [{"column": col, "statistic": stat, "name": col, "unit": "Anzahl"} for stat, col in COLUMNS.items()],
        "source": {"code": "stadtteilprofile-2014", "publisher": "Statistikamt Nord",
                   "title": "Daten für die Stadtteilprofile 2014", "attribution": "Statistikamt Nord",
                   "licence": "dl-de/by-2-0"},
    })


def _stadtteile(tenant, gemeinde, names):
    for i, name in enumerate(names, start=1):
        Region.objects.create(code=f"{tenant.slug}:{gemeinde.code}:{i:03d}", name=name, kind=RegionKind.STADTTEIL,
                              parent=gemeinde, tenant=tenant)


def _number(text):
    return float(text.strip().replace(" ", "").replace(",", "."))


@pytest.mark.django_db
def test_real_hamburg_stadtteil_figures_give_the_documented_social_index(tenant):
    hamburg = Region.objects.get(code="02000000")
    with HAMBURG.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    _stadtteile(tenant, hamburg, [r["Stadtgebiet"] for r in rows])
    _mapping(tenant, "02000000")
    report = import_file(HAMBURG, fmt="mapping:stadtteilprofile", tenant=tenant)
    assert report.created == 30 * 5

    # Expected values straight from the CSV with floats and the statistics module.
    shares = {}
    for r in rows:
        pop = _number(r["Bevölkerung"])
        shares[r["Stadtgebiet"]] = {
            "sgb2": _number(r[COLUMNS["kleinraum.sgb2"]]) / pop * 100,
            "alleinerziehende": _number(r["Alleinerziehende"]) / _number(r["Haushalte mit Kindern"]) * 100,
            "migration": _number(r[COLUMNS["kleinraum.migrationshintergrund"]]) / pop * 100,
        }
    weights = {"sgb2": 0.5, "alleinerziehende": 0.25, "migration": 0.25}
    expected = {}
    for key, w in weights.items():
        values = [s[key] for s in shares.values()]
        mean, sd = statistics.fmean(values), statistics.pstdev(values)
        for name, s in shares.items():
            expected[name] = expected.get(name, 0) + w * (s[key] - mean) / sd

    index = social_index_compute(gemeinde=hamburg, tenant=tenant)
    got = {row.region.name: row for row in index.rows}
    assert index.period == "2013" and len(got) == 30
    for name, value in expected.items():
        assert float(got[name].index) == pytest.approx(value, abs=1e-9), name
    # Veddel: 1 230 SGB II recipients of 4 709 inhabitants.
    assert got["Veddel"].share_display("sgb2") == "26,1"
    ranked = [row.region.name for row in index.rows]
    assert ranked[0] == max(expected, key=expected.get) and ranked[-1] == min(expected, key=expected.get)
    assert [s.publisher for s in index.sources] == ["Statistikamt Nord"]
    assert {i.weight for i in INPUTS} == {Decimal("0.5"), Decimal("0.25")} and sum(i.weight for i in INPUTS) == 1


@pytest.mark.django_db
def test_unknown_stadtteil_name_is_a_german_row_problem(tenant, tmp_path):
    hamburg = Region.objects.get(code="02000000")
    _stadtteile(tenant, hamburg, ["Veddel"])
    _mapping(tenant, "02000000")
    path = tmp_path / "st.csv"
    header = HAMBURG.read_text(encoding="utf-8").splitlines()[0]
    veddel = [line for line in HAMBURG.read_text(encoding="utf-8").splitlines() if line.startswith("Veddel;")][0]
    path.write_text(f"{header}\n{veddel}\n{veddel.replace('Veddel', 'Atlantis', 1)}\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="Zeile 3.*„Atlantis“ ist unbekannt"):
        import_file(path, fmt="mapping:stadtteilprofile", tenant=tenant)


def _small_city(tenant, tmp_path, sgb2_counts):
    """Stadtteile of Kassel with chosen SGB II counts; the other inputs are large and distinct."""
    kassel = Region.objects.get(code="06611000")
    names = [f"Teil {i}" for i in range(1, len(sgb2_counts) + 1)]
    _stadtteile(tenant, kassel, names)
    _mapping(tenant, "06611000", name="klein")
    lines = ["Stadtgebiet;" + ";".join(COLUMNS.values())]
    for i, (name, n) in enumerate(zip(names, sgb2_counts, strict=True)):
        lines.append(f"{name};{1000 + 100 * i};{n};{200 + 10 * i};{40 + 7 * i};{300 + 50 * i * i}")
    path = tmp_path / "klein.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(path, fmt="mapping:klein", tenant=tenant)
    index = social_index_compute(gemeinde=kassel, tenant=tenant)
    return {row.region.name: row for row in index.rows}


@pytest.mark.django_db
def test_a_count_of_three_is_shown_and_gets_an_index(tenant, tmp_path):
    rows = _small_city(tenant, tmp_path, [3, 4, 50, 60, 70])
    assert rows["Teil 1"].share_display("sgb2") == "0,3"  # 3 of 1 000
    assert all(r.index is not None for r in rows.values())


@pytest.mark.django_db
def test_a_count_of_two_is_suppressed_with_a_secondary_cell(tenant, tmp_path):
    rows = _small_city(tenant, tmp_path, [2, 4, 50, 60, 70])
    assert rows["Teil 1"].share_display("sgb2") == SUPPRESSED_MARK
    # Secondary suppression: the next-smallest count (4) goes too, so the total cannot reveal the 2.
    assert rows["Teil 2"].share_display("sgb2") == SUPPRESSED_MARK
    assert rows["Teil 1"].index is None and rows["Teil 1"].index_display == "gesperrt (Geheimhaltung)"
    assert rows["Teil 3"].share_display("sgb2") == "4,2"  # 50 of 1 200
    assert {n for n, r in rows.items() if r.index is not None} == {"Teil 3", "Teil 4", "Teil 5"}


@pytest.mark.django_db
def test_two_small_counts_need_no_secondary_cell(tenant, tmp_path):
    rows = _small_city(tenant, tmp_path, [1, 2, 50, 60, 70])
    assert {n for n, r in rows.items() if "sgb2" in r.suppressed} == {"Teil 1", "Teil 2"}
    assert rows["Teil 3"].index is not None


@pytest.mark.django_db
def test_kleinraum_page_shows_method_weights_and_suppression_to_own_tenant_only(tenant, other_tenant, make_user,
                                                                                   client_as,
                                                                                   django_assert_max_num_queries):
    from bildungskette.core.models import Role
    from bildungskette.monitoring.kleinraum_demo import kleinraum_demo_load

    kleinraum_demo_load(tenant)
    own = client_as(make_user(Role.MONITORING, tenant))
    with django_assert_max_num_queries(40):
        html = own.get("/monitoring/kleinraeumig/").content.decode()
    assert "Kassel" in html and "SYNTHETISCHE DATEN" in html and 'role="img"' in html
    assert "0,5 × z(SGB-II-Quote)" in html and "Haushalte von Alleinerziehenden je 100 Haushalte mit Kindern" in html
    brasselsberg = html.split("<th scope=\"row\">Brasselsberg</th>")[1].split("</tr>")[0]
    assert SUPPRESSED_MARK in brasselsberg and "gesperrt (Geheimhaltung)" in brasselsberg
    share = own.get("/monitoring/kleinraeumig/", {"merkmal": "sgb2"}).content.decode()
    assert "SGB-II-Quote (%) nach Stadtteilen" in share
    foreign = client_as(make_user(Role.MONITORING, other_tenant)).get("/monitoring/kleinraeumig/").content.decode()
    assert "Brasselsberg" not in foreign and "noch keine Stadtteile" in foreign


def test_map_turns_rfc7946_rings_clockwise_for_d3():
    from shapely.geometry import shape

    from bildungskette.monitoring.social_index import _clockwise

    ccw = {"type": "Polygon", "coordinates": [[[9.4, 51.3], [9.5, 51.3], [9.5, 51.35], [9.4, 51.35], [9.4, 51.3]]]}
    assert shape(ccw).exterior.is_ccw  # as GeoJSON (RFC 7946) wants it
    turned = _clockwise(ccw)
    assert not shape(turned).exterior.is_ccw and shape(turned).equals(shape(ccw))
    multi = {"type": "MultiPolygon", "coordinates": [ccw["coordinates"]]}
    assert not shape(_clockwise(multi)).geoms[0].exterior.is_ccw
