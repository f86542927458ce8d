"""The DCAT-AP.de catalogue: validates with SHACL (DCAT-AP 3.0.0 shapes plus the DCAT-AP.de 3.0
additions, fixtures/SOURCES.md) and lists every public dataset of the demo with licence,
publisher, spatial and temporal coverage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from bildungskette.core.models import Tenant
from bildungskette.monitoring.models import Indicator, Visibility
from bildungskette.network.oparl import oparl_tenants

SHAPES = Path(__file__).parent / "fixtures" / "shacl"
DCATDE = "http://dcat-ap.de/def/dcatde/"
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for name in ("dcat-ap-SHACL.ttl", "dcat-ap-SHACL-DE.ttl", "dcat-ap-spec-german-additions.ttl"):
        graph.parse(SHAPES / name, format="turtle")
    return graph


def shacl_report(data: Graph, shapes: Graph) -> tuple[bool, str]:
    conforms, _graph, text = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    return conforms, text


def fetch(client, url: str, fmt: str) -> Graph:
    response = client.get(url)
    assert response.status_code == 200, url
    graph = Graph()
    graph.parse(data=response.content.decode(), format=fmt, publicID="http://testserver/")
    return graph


def test_the_shapes_catch_a_broken_catalogue(shapes):
    broken = Graph()
    ds = URIRef("http://testserver/katalog/datensatz/x")
    broken.add((ds, RDF.type, DCAT.Dataset))  # no title, no description, no publisher
    conforms, text = shacl_report(broken, shapes)
    assert not conforms and "dcterms:publisher" in text and "dct:title" in text.replace("dcterms:", "dct:")


@pytest.mark.django_db
def test_installation_catalogue_validates_and_lists_every_public_dataset(client, demo_data, shapes):
    graph = fetch(client, "/katalog/dcat.ttl", "turtle")
    conforms, text = shacl_report(graph, shapes)
    assert conforms, text
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    titles = {str(graph.value(d, DCTERMS.title)) for d in datasets}
    public = Indicator.objects.filter(visibility=Visibility.PUBLIC, tenant__isnull=True)
    assert public.count() > 5
    assert {i.name for i in public} <= titles
    assert {"Lernorte", "Verwaltungsgebiete (Länder, Kreise) mit Grenzen"} <= titles
    assert {f"Öffentliche Gremien und Sitzungen – {t.name}" for t in oparl_tenants()} <= titles
    assert any(t.startswith("21111-") for t in titles)  # the source tables are datasets too
    for ds in datasets:
        assert graph.value(ds, DCTERMS.publisher) is not None
        assert str(graph.value(ds, URIRef(DCATDE + "politicalGeocodingURI"))).startswith(
            "http://dcat-ap.de/def/politicalGeocoding/")
        for dist in graph.objects(ds, DCAT.distribution):
            assert str(graph.value(dist, DCTERMS.license)).startswith("http://dcat-ap.de/def/licenses/")
            assert str(graph.value(dist, DCTERMS.format)).startswith(FILE_TYPES)
    indicators = [d for d in datasets if "/indikator-" in str(d)]
    with_data = [d for d in indicators if graph.value(d, DCTERMS.temporal) is not None]
    assert len(with_data) >= len(indicators) // 2
    period = graph.value(with_data[0], DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate) is not None and graph.value(period, DCAT.endDate) is not None
    assert all(graph.value(d, DCTERMS.modified) is not None for d in indicators)
    distributions = set(graph.objects(None, DCAT.distribution))
    formats = {str(graph.value(dist, DCTERMS.format)).rsplit("/", 1)[1] for dist in distributions}
    assert formats == {"CSV", "XLSX", "GEOJSON", "JSON"}
    lernorte = next(d for d in datasets if str(graph.value(d, DCTERMS.title)) == "Lernorte")
    licences = {str(graph.value(dist, DCTERMS.license)) for dist in graph.objects(lernorte, DCAT.distribution)}
    assert licences == {"http://dcat-ap.de/def/licenses/dl-by-de/2.0"}


@pytest.mark.django_db
def test_tenant_catalogue_in_json_ld_has_the_tenant_as_publisher_and_its_area(client, demo_data, shapes):
    tenant = oparl_tenants().first() or Tenant.objects.first()
    response = client.get(f"/katalog/{tenant.slug}/dcat.jsonld")
    assert response["Content-Type"] == "application/ld+json"
    json.loads(response.content)  # well-formed JSON
    graph = fetch(client, f"/katalog/{tenant.slug}/dcat.jsonld", "json-ld")
    conforms, text = shacl_report(graph, shapes)
    assert conforms, text
    (catalogue,) = graph.subjects(RDF.type, DCAT.Catalog)
    publisher = graph.value(catalogue, DCTERMS.publisher)
    assert str(graph.value(publisher, FOAF.name)) == tenant.name
    from bildungskette.regions.selectors import tenant_regions

    area = {r.code for r in tenant_regions(tenant) if r.code.isdigit()}
    spatial = {str(s).rsplit("/", 1)[1] for s in graph.objects(None, DCTERMS.spatial)}
    assert area and area <= spatial
    assert client.get("/katalog/gibt-es-nicht/dcat.ttl").status_code == 404


@pytest.mark.django_db
def test_start_page_links_the_catalogue(client):
    html = client.get("/").content.decode()
    assert 'href="/katalog/dcat.ttl"' in html and 'href="/katalog/"' in html
    page = client.get("/katalog/").content.decode()
    assert "/katalog/dcat.jsonld" in page
