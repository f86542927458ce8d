"""Demo: real schools from the official lists, the seed municipalities' member institutions,
and the accounts that act for an organisation (transition manager, partners)."""

from django.conf import settings

from bildungskette.core.demo import DEMO_PASSWORD
from bildungskette.core.models import Role, Tenant
from bildungskette.core.services import role_assign, user_ensure
from bildungskette.regions.selectors import region_by_code

from .importers import hessen_schools_import, nrw_schools_import
from .models import Organisation
from .models import OrganisationType as T
from .services import organisation_ensure

# Seed 000 (OloV-Forum 2019): the 11 member institutions of the OloV-Steuerungsgruppe Kassel.
KASSEL_STEERING_GROUP = [
    ("Stadt und Landkreis Kassel", "Stadt und Landkreis Kassel", T.KOMMUNE, "06611"),
    ("Agentur für Arbeit Kassel", "Agentur für Arbeit", T.AGENTUR_FUER_ARBEIT, "06611"),
    ("Staatliches Schulamt für den Landkreis und die Stadt Kassel", "Staatliches Schulamt", T.SCHULAMT, "06611"),
    ("Schulen (allgemeinbildende und berufliche) der Region Kassel", "Schulen", T.SCHULE, "06611"),
    ("IHK Kassel-Marburg", "IHK Kassel-Marburg", T.IHK, "06611"),
    ("Handwerkskammer Kassel", "Handwerkskammer", T.HWK, "06611"),
    ("Kreishandwerkerschaft Kassel", "Kreishandwerkerschaft", T.KREISHANDWERKERSCHAFT, "06611"),
    ("Jobcenter Stadt Kassel", "Jobcenter Stadt Kassel", T.JOBCENTER, "06611"),
    ("Jobcenter Landkreis Kassel", "Jobcenter Landkreis Kassel", T.JOBCENTER, "06633"),
    ("Universität Kassel", "Universität Kassel", T.HOCHSCHULE, "06611"),
    ("Landesprogramm QuaBB", "QuaBB", T.LANDESPROGRAMM, "06611"),
]
KASSEL_OTHERS = [
    ("Stadt Kassel – Amt für Schule und Bildung", "Amt für Schule und Bildung", T.KOMMUNE, "06611"),
    ("Stadt Kassel – Jugendamt", "Jugendamt Kassel", T.JUGENDAMT, "06611"),
    ("Landkreis Kassel", "Landkreis Kassel", T.KOMMUNE, "06633"),
]
# Seed 004 (KAoA Bochum): members of the Steuerungsgremium, plus Herne as cooperation partner.
BOCHUM_STEERING_GROUP = [
    ("Agentur für Arbeit Bochum", "Agentur für Arbeit", T.AGENTUR_FUER_ARBEIT, "05911"),
    ("Schulamt für die Stadt Bochum (untere Schulaufsicht)", "Schulamt Bochum", T.SCHULAMT, "05911"),
    ("Bezirksregierung Arnsberg (obere Schulaufsicht)", "Bezirksregierung Arnsberg", T.SCHULAMT, "05911"),
    ("Sozialpartner – Arbeitgeberseite", "Sozialpartner (AG)", T.SOZIALPARTNER, "05911"),
    ("Sozialpartner – Arbeitnehmerseite", "Sozialpartner (AN)", T.SOZIALPARTNER, "05911"),
    ("Hochschulnetzwerk UniverCity Bochum", "UniverCity", T.HOCHSCHULNETZWERK, "05911"),
    ("Stadt Bochum – Schulverwaltungsamt (Kommunale Koordinierungsstelle)", "Schulverwaltungsamt", T.KOMMUNE,
     "05911"),
    ("Stadt Bochum – Jugendamt", "Jugendamt Bochum", T.JUGENDAMT, "05911"),
    ("Kommunales Integrationszentrum Bochum", "KI Bochum", T.INTEGRATIONSZENTRUM, "05911"),
]
BOCHUM_OTHERS = [
    ("Stadt Herne – Kommunale Koordinierungsstelle", "Stadt Herne", T.KOMMUNE, "05916"),
]
FULDA_ORGANISATIONS = [
    ("Landkreis Fulda – Bildungsbüro", "Bildungsbüro", T.KOMMUNE, "06631"),
    ("Landkreis Fulda – Fachdienst Kommunaler Arbeitsmarkt", "Kommunaler Arbeitsmarkt", T.KOMMUNE, "06631"),
    ("Agentur für Arbeit Fulda", "Agentur für Arbeit", T.AGENTUR_FUER_ARBEIT, "06631"),
]
TRANSITION_SCHOOL_ID = "HE-9203"  # Offene Schule Waldau, Kassel (Integrierte Gesamtschule)


def _ensure_all(tenant, rows) -> dict[str, Organisation]:
    created = {}
    for name, short, type_, region_code in rows:
        created[name] = organisation_ensure(tenant=tenant, name=name, type=type_, short_name=short,
                                            region=region_by_code(region_code))
    return created


def demo_load() -> list[str]:
    data = settings.DATA_DIR / "schools"
    nrw_schools_import(data / "nrw_schulen_2024_25.csv")
    hessen_schools_import(data / "hessen_schulen_2016.json")

    kassel = Tenant.objects.get(slug="olov-kassel")
    bochum = Tenant.objects.get(slug="bochum")
    fulda = Tenant.objects.get(slug="fulda")
    kassel_orgs = _ensure_all(kassel, KASSEL_STEERING_GROUP + KASSEL_OTHERS)
    bochum_orgs = _ensure_all(bochum, BOCHUM_STEERING_GROUP + BOCHUM_OTHERS)
    _ensure_all(fulda, FULDA_ORGANISATIONS)

    school = Organisation.objects.get(external_id=TRANSITION_SCHOOL_ID)
    accounts = [
        ("kassel.uebergang", f"Übergangsmanagement {school.name}", kassel, Role.TRANSITION_MANAGER, school),
        ("kassel.partner", "Agentur für Arbeit Kassel", kassel, Role.PARTNER, kassel_orgs["Agentur für Arbeit Kassel"]),
        ("bochum.partner", "Agentur für Arbeit Bochum", bochum, Role.PARTNER, bochum_orgs["Agentur für Arbeit Bochum"]),
    ]
    lines = []
    for username, display, tenant, role, organisation in accounts:
        user = user_ensure(username=username, password=DEMO_PASSWORD, display_name=display)
        role_assign(user=user, tenant=tenant, role=role, organisation=organisation)
        lines.append(f"  {username:24} Passwort {DEMO_PASSWORD:16} {display}")
    return lines
