"""The DCAT-AP.de catalogue of everything public: indicators with their source tables, the
Lernorte, public bodies and meetings (OParl), and the reference data (boundaries).

Built as an RDF graph with rdflib (never string templates) and served as Turtle and JSON-LD,
for the whole installation or for one tenant (publisher = the tenant, spatial coverage = its
area as dcatde political geocoding URIs). ``modified`` comes from the data state (the newest
change of the data behind each dataset).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
LANG = URIRef("http://publications.europa.eu/resource/authority/language/DEU")
THEME_EDUC = URIRef("http://publications.europa.eu/resource/authority/data-theme/EDUC")
THEME_GOVE = URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE")
THEME_REGI = URIRef("http://publications.europa.eu/resource/authority/data-theme/REGI")
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
GEOCODING_LEVEL = "http://dcat-ap.de/def/politicalGeocodingLevel/"
OPARL_SPEC = URIRef("https://oparl.org/spezifikation/online-ansicht/")

# Licences as dcat-ap.de licence URIs (http://dcat-ap.de/def/licenses/), recognised in free text.
LICENCES = [
    (re.compile(r"dl-de/by-2-0|dl-by-de|Namensnennung\s*[–-]?\s*(Version\s*)?2\.0", re.I),
     "http://dcat-ap.de/def/licenses/dl-by-de/2.0"),
    (re.compile(r"dl-de/zero-2-0|Zero\s*[–-]?\s*(Version\s*)?2\.0", re.I), "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"),
    (re.compile(r"ODbL|Open Database License", re.I), "http://dcat-ap.de/def/licenses/odbl"),
    (re.compile(r"CC0|cc-zero", re.I), "http://dcat-ap.de/def/licenses/cc-zero"),
    (re.compile(r"CC[ -]BY[ -]4\.0", re.I), "http://dcat-ap.de/def/licenses/cc-by/4.0"),
]
DEFAULT_LICENCE = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
MEDIA = {
    "CSV": "text/csv",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "GEOJSON": "application/geo+json",
    "JSON": "application/json",
}


def licence_uri(text: str) -> URIRef:
    for pattern, uri in LICENCES:
        if pattern.search(text or ""):
            return URIRef(uri)
    return URIRef(DEFAULT_LICENCE)


def geocoding(code: str) -> tuple[URIRef, URIRef]:
    """(politicalGeocodingURI, politicalGeocodingLevelURI) of an AGS (Land 2, Kreis 5, Gemeinde 8 digits)."""
    if code in ("", "DG", "00"):
        return URIRef(GEOCODING + "stateKey/00"), URIRef(GEOCODING_LEVEL + "federal")
    if len(code) == 2:
        return URIRef(GEOCODING + f"stateKey/{code}"), URIRef(GEOCODING_LEVEL + "state")
    if len(code) == 5:
        return URIRef(GEOCODING + f"districtKey/{code}"), URIRef(GEOCODING_LEVEL + "administrativeDistrict")
    return URIRef(GEOCODING + f"municipalityKey/{code[:8]}"), URIRef(GEOCODING_LEVEL + "municipality")


@dataclass
class Scope:
    """Whose catalogue: the whole installation (tenant None) or one tenant."""

    base: str  # absolute root URL, without trailing slash
    tenant: object | None = None

    def url(self, path: str) -> str:
        return self.base + path


class CatalogueBuilder:
    def __init__(self, scope: Scope):
        self.scope = scope
        self.g = Graph()
        for prefix, ns in [("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD), ("dcatde", DCATDE),
                           ("adms", ADMS)]:
            self.g.bind(prefix, ns)
        slug = scope.tenant.slug if scope.tenant else ""
        self.catalogue = URIRef(scope.url(reverse("opendata:catalogue_tenant_ttl", args=[slug]) if slug
                                          else reverse("opendata:catalogue_ttl")))
        self.publisher = self._publisher()
        self.codes = self._area_codes()

    # Agents -------------------------------------------------------------------------------------

    def _publisher(self) -> URIRef:
        tenant = self.scope.tenant
        name = tenant.name if tenant else "Bildungskette (Installation)"
        agent = URIRef(self.scope.url(f"/katalog/{tenant.slug}/#herausgeber" if tenant else "/katalog/#herausgeber"))
        self.g.add((agent, RDF.type, FOAF.Agent))
        self.g.add((agent, FOAF.name, Literal(name, lang="de")))
        return agent

    def _contact(self, subject) -> None:
        tenant = self.scope.tenant
        contact = BNode()
        self.g.add((subject, DCAT.contactPoint, contact))
        self.g.add((contact, RDF.type, VCARD.Kind))
        self.g.add((contact, RDF.type, VCARD.Organization))
        self.g.add((contact, VCARD.fn, Literal(tenant.name if tenant else "Bildungskette", lang="de")))
        self.g.add((contact, VCARD.hasURL, URIRef(self.scope.url("/"))))

    def _area_codes(self) -> list[str]:
        if self.scope.tenant is None:
            return ["DG"]
        from bildungskette.regions.selectors import tenant_regions

        codes = [r.code for r in tenant_regions(self.scope.tenant) if r.code[:1].isdigit()]
        return codes or ([self.scope.tenant.land_code] if self.scope.tenant.land_code else ["DG"])

    # Datasets -----------------------------------------------------------------------------------

    def dataset(self, key: str, *, title: str, description: str, landing: str, modified, licence: URIRef,
                theme: URIRef, keywords: list[str] = (), start=None, end=None) -> URIRef:
        ds = URIRef(self.scope.url(f"/katalog/datensatz/{key}"))
        g = self.g
        g.add((self.catalogue, DCAT.dataset, ds))
        g.add((ds, RDF.type, DCAT.Dataset))
        g.add((ds, DCTERMS.title, Literal(title, lang="de")))
        g.add((ds, DCTERMS.description, Literal(description or title, lang="de")))
        g.add((ds, DCTERMS.identifier, Literal(str(ds))))
        g.add((ds, DCTERMS.publisher, self.publisher))
        g.add((ds, DCAT.landingPage, URIRef(self.scope.url(landing))))
        g.add((ds, DCAT.theme, theme))
        g.add((ds, DCTERMS.language, LANG))
        for word in keywords:
            g.add((ds, DCAT.keyword, Literal(word, lang="de")))
        self._contact(ds)
        for code in self.codes:
            uri, level = geocoding(code)
            g.add((ds, DCTERMS.spatial, uri))
            g.add((uri, RDF.type, DCTERMS.Location))
            g.add((ds, DCATDE.politicalGeocodingURI, uri))
            g.add((ds, DCATDE.politicalGeocodingLevelURI, level))
        if start or end:
            period = BNode()
            g.add((ds, DCTERMS.temporal, period))
            g.add((period, RDF.type, DCTERMS.PeriodOfTime))
            if start:
                g.add((period, DCAT.startDate, Literal(start.isoformat(), datatype=XSD.date)))
            if end:
                g.add((period, DCAT.endDate, Literal(end.isoformat(), datatype=XSD.date)))
        if modified:
            g.add((ds, DCTERMS.modified, _when(modified)))
        g.set((ds, DCATDE.licenseAttributionByText, Literal(self._attribution(licence), lang="de")))
        return ds

    def _attribution(self, licence: URIRef) -> str:
        return "Bildungskette" if self.scope.tenant is None else self.scope.tenant.name

    def distribution(self, ds: URIRef, *, fmt: str, url: str, title: str, licence: URIRef, modified=None,
                     conforms_to: URIRef | None = None, description: str = "") -> URIRef:
        dist = URIRef(f"{ds}#{fmt.lower()}-{len(list(self.g.objects(ds, DCAT.distribution))) + 1}")
        g = self.g
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(title, lang="de")))
        if description:
            g.add((dist, DCTERMS.description, Literal(description, lang="de")))
        absolute = URIRef(self.scope.url(url))
        g.add((dist, DCAT.accessURL, absolute))
        g.add((dist, DCAT.downloadURL, absolute))
        g.add((dist, DCTERMS.format, FILE_TYPE[fmt]))
        g.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{MEDIA[fmt]}")))
        g.add((dist, DCTERMS.license, licence))
        if conforms_to is not None:
            g.add((dist, DCTERMS.conformsTo, conforms_to))
        if modified:
            g.add((dist, DCTERMS.modified, _when(modified)))
        return dist

    # The catalogue ------------------------------------------------------------------------------

    def build(self) -> Graph:
        g = self.g
        tenant = self.scope.tenant
        g.add((self.catalogue, RDF.type, DCAT.Catalog))
        title = f"Offene Bildungsdaten – {tenant.name}" if tenant else "Offene Bildungsdaten – Bildungskette"
        g.add((self.catalogue, DCTERMS.title, Literal(title, lang="de")))
        g.add((self.catalogue, DCTERMS.description, Literal(
            "Öffentliche Indikatoren des Bildungsmonitorings mit ihren Quelltabellen, Lernorte, öffentliche "
            "Gremien und Sitzungen (OParl) sowie Referenzdaten (Gebietsgrenzen).", lang="de")))
        g.add((self.catalogue, DCTERMS.publisher, self.publisher))
        g.add((self.catalogue, FOAF.homepage, URIRef(self.scope.url("/"))))
        g.add((self.catalogue, DCTERMS.language, LANG))
        g.add((self.catalogue, DCTERMS.modified, _when(timezone.now())))
        for code in self.codes:
            g.add((self.catalogue, DCTERMS.spatial, geocoding(code)[0]))
        from django.apps import apps

        if apps.is_installed("bildungskette.monitoring"):
            self._indicators()
        if apps.is_installed("bildungskette.places"):
            self._places()
        if apps.is_installed("bildungskette.network"):
            self._oparl()
        self._boundaries()
        return g

    def _indicators(self) -> None:
        from bildungskette.monitoring.models import Indicator, Source, Statistic, Value, Visibility

        region = self.codes[0]
        for indicator in Indicator.objects.filter(visibility=Visibility.PUBLIC, tenant__isnull=True).order_by("code"):
            codes = set(re.findall(r'wert\("([^"]+)"', f"{indicator.numerator} {indicator.denominator}"))
            stats = Statistic.objects.filter(code__in=codes)
            values = Value.objects.filter(statistic__in=stats, tenant__isnull=True)
            span = values.aggregate(start=Min("period__start"), end=Max("period__end"))
            sources = list(Source.objects.filter(pk__in=stats.values("source_id"), tenant__isnull=True))
            modified = max([indicator.updated_at, *(s.updated_at for s in sources)])
            licence = licence_uri(" ".join(s.licence or s.attribution for s in sources))
            page = reverse("monitoring:indicator", args=[indicator.code])
            ds = self.dataset(
                f"indikator-{indicator.code}", title=indicator.name,
                description=indicator.explanation or f"Indikator {indicator.name} ({indicator.unit}).",
                landing=f"{page}?gebiet={region}" if region != "DG" else page, modified=modified, licence=licence,
                theme=THEME_EDUC, keywords=["Bildungsmonitoring", indicator.get_theme_display()],
                start=span["start"], end=span["end"],
            )
            query = f"?gebiet={region}" if region != "DG" else ""
            files = reverse("monitoring:indicator_download", args=[indicator.code, "csv"])
            self.distribution(ds, fmt="CSV", url=files + query, licence=licence, modified=modified,
                              title="CSV (Dezimalkomma)", description="Semikolon, UTF-8, Dezimalkomma; CSVW-Metadaten "
                              "unter daten.csv-metadata.json")
            self.distribution(ds, fmt="CSV", url=files + (query + "&" if query else "?") + "dezimal=punkt",
                              licence=licence, modified=modified, title="CSV (maschinenlesbar, Dezimalpunkt)")
            self.distribution(ds, fmt="XLSX", url=files[: -len("csv")] + "xlsx" + query, licence=licence,
                              modified=modified, title="XLSX")
            api = f"/api/monitoring/indicators/{indicator.code}/results" + query
            self.distribution(ds, fmt="JSON", url=api, licence=licence, modified=modified, title="JSON-API")
            for source in sources:
                self._source_table(ds, source)

    def _source_table(self, ds: URIRef, source) -> None:
        """A source table (reference data from the statistical offices) as its own dataset."""
        table = self.dataset(
            f"quelle-{source.code}", title=f"{source.table_code} – {source.title}" if source.table_code else
            source.title, description=f"Quelltabelle: {source.attribution}", landing=reverse(
                "monitoring:source", args=[source.code]), modified=source.updated_at,
            licence=licence_uri(source.licence or source.attribution), theme=THEME_EDUC,
            keywords=["Quelltabelle", source.publisher])
        self.g.add((ds, DCTERMS.source, table))
        if source.url:
            dist = self.distribution(table, fmt="CSV", url="", title="Originaltabelle",
                                     licence=licence_uri(source.licence or source.attribution))
            self.g.set((dist, DCAT.accessURL, URIRef(source.url)))
            self.g.remove((dist, DCAT.downloadURL, None))

    def _places(self) -> None:
        from bildungskette.places.api import EXPORT_LICENCE
        from bildungskette.places.selectors import places_public

        qs = places_public()
        state = qs.aggregate(modified=Max("updated_at"))["modified"]
        licence = licence_uri(EXPORT_LICENCE)
        query = "" if self.codes == ["DG"] else f"?gebiet={self.codes[0]}"
        ds = self.dataset("lernorte", title="Lernorte", description=(
            "Öffentliche Lernorte (Schulen, Bibliotheken, außerschulische Lernorte) mit Adresse, Lage und "
            "Quelle je Eintrag."), landing=reverse("places:list") + query, modified=state, licence=licence,
            theme=THEME_EDUC, keywords=["Lernorte", "Schulen", "Bildungslandschaft"])
        for fmt, name, title in [("CSV", "export_csv", "CSV (maschinenlesbar, CSVW-Metadaten)"),
                                 ("GEOJSON", "export_geojson", "GeoJSON (RFC 7946)"),
                                 ("JSON", "places", "JSON-API (seitenweise)")]:
            self.distribution(ds, fmt=fmt, url=reverse(f"places_api:{name}") + query, title=title, licence=licence,
                              modified=state)

    def _oparl(self) -> None:
        from bildungskette.network.oparl import oparl_tenants, public_meetings

        tenants = oparl_tenants()
        if self.scope.tenant is not None:
            tenants = tenants.filter(pk=self.scope.tenant.pk)
        licence = URIRef(DEFAULT_LICENCE)
        for tenant in tenants:
            meetings = public_meetings().filter(tenant=tenant)
            state = meetings.aggregate(modified=Max("updated_at"), start=Min("starts_at"), end=Max("starts_at"))
            ds = self.dataset(
                f"gremien-{tenant.slug}", title=f"Öffentliche Gremien und Sitzungen – {tenant.name}",
                description="Gremien, Mitgliedschaften, Sitzungen, Tagesordnungen, Beschlüsse und Dokumente der "
                "öffentlichen Gremien nach OParl 1.1.", landing=reverse("network:index"), modified=state["modified"],
                licence=licence, theme=THEME_GOVE, keywords=["OParl", "Gremien", "Sitzungen"],
                start=timezone.localtime(state["start"]).date() if state["start"] else None,
                end=timezone.localtime(state["end"]).date() if state["end"] else None)
            self.distribution(ds, fmt="JSON", url=reverse("oparl:body", args=[tenant.slug]), title="OParl 1.1",
                              licence=licence, modified=state["modified"], conforms_to=OPARL_SPEC)

    def _boundaries(self) -> None:
        state = None  # the official boundaries carry no change date of their own
        licence = URIRef(DEFAULT_LICENCE)
        ds = self.dataset("verwaltungsgebiete", title="Verwaltungsgebiete (Länder, Kreise) mit Grenzen",
                          description="Gebietsgrenzen nach VG250 © GeoBasis-DE / BKG, vereinfacht, als GeoJSON "
                          "(RFC 7946).", landing="/gebiete/", modified=state, licence=licence, theme=THEME_REGI,
                          keywords=["Verwaltungsgebiete", "AGS", "Grenzen"])
        self.distribution(ds, fmt="GEOJSON", url="/api/lernorte/grenzen/?bbox=5.8,47.2,15.1,55.1&zoom=5",
                          title="GeoJSON (Länder; Kreise ab zoom=7)", licence=licence, modified=state)


def _when(moment) -> Literal:
    if hasattr(moment, "hour"):
        return Literal(timezone.localtime(moment).isoformat(timespec="seconds"), datatype=XSD.dateTime)
    return Literal(moment.isoformat(), datatype=XSD.date)


def catalogue_graph(*, base: str, tenant=None) -> Graph:
    return CatalogueBuilder(Scope(base=base, tenant=tenant)).build()
