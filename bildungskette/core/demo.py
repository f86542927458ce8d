"""Demo tenants and accounts (roles that need an organisation are assigned by organisations.demo)."""

from .models import Role
from .services import role_assign, tenant_ensure, user_ensure

DEMO_PASSWORD = "Bildung-2026"  # noqa: S105  (printed on purpose: demo only)
ADMIN_PASSWORD = "Verwaltung-2026"  # noqa: S105

TENANTS = [
    {"slug": "olov-kassel", "name": "OloV-Region Kassel", "kind": "region_group", "land_code": "06",
     "description": "Stadt Kassel und Landkreis Kassel: ein gemeinsamer Ausbildungsmarkt, eine OloV-Steuerungsgruppe."},
    {"slug": "fulda", "name": "Landkreis Fulda", "kind": "authority", "land_code": "06",
     "description": "Kommunales Bildungsmanagement seit 2016; Lernorte des Lebenslangen Lernens als Karte."},
    {"slug": "bochum", "name": "Stadt Bochum", "kind": "authority", "land_code": "05",
     "description": "Kommunale Koordinierungsstelle KAoA seit 2013/14 im Schulverwaltungsamt."},
]

# username, display name, tenant, role (roles with an organisation follow in organisations.demo)
ACCOUNTS = [
    ("kassel.admin", "Administration Kassel", "olov-kassel", Role.TENANT_ADMIN),
    ("kassel.koordination", "Koordination OloV Kassel", "olov-kassel", Role.COORDINATION),
    ("kassel.monitoring", "Bildungsmonitoring Kassel", "olov-kassel", Role.MONITORING),
    ("kassel.datenschutz", "Datenschutz Kassel", "olov-kassel", Role.DATA_PROTECTION),
    ("fulda.koordination", "Bildungsbüro Fulda", "fulda", Role.COORDINATION),
    ("fulda.monitoring", "Bildungsmonitoring Fulda", "fulda", Role.MONITORING),
    ("bochum.admin", "Administration Bochum", "bochum", Role.TENANT_ADMIN),
    ("bochum.koordination", "Kommunale Koordinierung Bochum", "bochum", Role.COORDINATION),
    ("bochum.monitoring", "Bildungsmonitoring Bochum", "bochum", Role.MONITORING),
]


def demo_load() -> list[str]:
    tenants = {t["slug"]: tenant_ensure(**t) for t in TENANTS}
    user_ensure(username="admin", password=ADMIN_PASSWORD, display_name="Systemadministration",
                is_superuser=True)
    for username, display, slug, role in ACCOUNTS:
        user = user_ensure(username=username, password=DEMO_PASSWORD, display_name=display)
        role_assign(user=user, tenant=tenants[slug], role=role)
    lines = ["", "Demo-Zugänge (http://127.0.0.1:8000/anmelden/):",
             f"  {'admin':24} Passwort {ADMIN_PASSWORD:16} Systemadministration (/verwaltung/)"]
    lines += [f"  {u:24} Passwort {DEMO_PASSWORD:16} {d}" for u, d, _, _ in ACCOUNTS]
    return lines
