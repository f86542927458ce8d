"""Demo: a "Bildungsbericht Stadt Kassel" draft and a published "Kurzbericht Übergang Schule–Beruf".

Figures come from the real GENESIS tables and the seed figures loaded by monitoring's demo; the
Ausbildungsmarkt time series of the monitoring demo is synthetic and marked so wherever it appears.
The texts are written for the demo (marked as such) and quote only the seeds' statements.
"""

from __future__ import annotations

from bildungskette.core.audit import audit_actor
from bildungskette.core.models import Tenant
from bildungskette.regions.models import Region

from . import services
from .models import BlockKind, Report, Template

DEMO_NOTE = "*Demo-Text (für die Vorführung geschrieben, keine Aussage der Stadt Kassel).*"

KASSEL_INTRO = f"""{DEMO_NOTE}

Die Stadt Kassel bündelt die Koordinierung für inklusive Bildung, den Ganztag an Grundschulen,
Bildung und Stadtentwicklung, Bildung und Integration (Neuzugewanderte), BNE und das
Bildungsmonitoring entlang der gesamten Bildungsbiografie.

Dieser Bericht folgt den neun Bereichen des Anwendungsleitfadens. Alle Zahlen sind **live**:
jeder Block ist auf einen Datenstand festgelegt und kann mit einem Klick aktualisiert werden."""

MISSING = f"""{DEMO_NOTE}

Für diesen Bereich sind in der Demo noch keine Daten importiert. Welche Tabellen fehlen, zeigt der
Indikatorenkatalog unter /berichte/katalog/."""


def _kassel_full(tenant, kassel) -> Report:
    report = services.report_create(tenant=tenant, title="Bildungsbericht Stadt Kassel", region=kassel,
                                    template=Template.FULL, slug="bildungsbericht-stadt-kassel")
    ch = {c.area: c for c in report.chapters.all()}
    services.block_add(chapter=ch["A"], kind=BlockKind.TEXT, title="Einleitung", text=KASSEL_INTRO)
    services.block_add(chapter=ch["A"], kind=BlockKind.DATASHEET, section="SGB II und Arbeitslosigkeit")
    services.block_add(chapter=ch["A"], kind=BlockKind.TEXT, title="Kleinräumig",
                       text=f"{DEMO_NOTE}\n\nDie Karte zeigt den Sozialindex der Stadtteile. **Die Stadtteilzahlen "
                            "und die Kacheln sind synthetisch** (Kassel veröffentlicht keine offene CSV je Stadtteil).")
    services.block_add(chapter=ch["A"], kind=BlockKind.CHOROPLETH, section="index")
    for area in "CFGH":
        services.block_add(chapter=ch[area], kind=BlockKind.TEXT, title="Datenlage", text=MISSING)
    services.block_add(chapter=ch["D"], kind=BlockKind.CHART, indicator_code="quote-ohne-hsa")
    services.block_add(chapter=ch["D"], kind=BlockKind.DATASHEET, section="Schulabschlüsse")
    services.block_add(chapter=ch["E"], kind=BlockKind.DATASHEET, section="Ausbildungsmarkt")
    services.block_add(chapter=ch["E"], kind=BlockKind.CHART, indicator_code="stellen-je-bewerber")
    services.block_add(chapter=ch["E"], kind=BlockKind.DATASHEET, section="Übergänge (iABE)")
    services.block_add(chapter=ch["I"], kind=BlockKind.TEXT, title="OloV-Steuerungsgruppe",
                       text=f"{DEMO_NOTE}\n\nStadt und Landkreis Kassel bilden einen gemeinsamen Ausbildungsmarkt "
                            "mit einer gemeinsamen OloV-Steuerungsgruppe.")
    services.block_add(chapter=ch["I"], kind=BlockKind.NETWORK)
    services.block_add(chapter=ch["I"], kind=BlockKind.GOALS)
    return report


def _short_transition(tenant, kassel) -> Report:
    report = services.report_create(tenant=tenant, title="Kurzbericht Übergang Schule–Beruf", region=kassel,
                                    template=Template.TRANSITION, slug="kurzbericht-uebergang-schule-beruf-kassel")
    ch = {c.area: c for c in report.chapters.all()}
    services.block_add(chapter=ch["A"], kind=BlockKind.DATASHEET, section="SGB II und Arbeitslosigkeit")
    services.block_add(chapter=ch["D"], kind=BlockKind.CHART, indicator_code="quote-ohne-hsa")
    services.block_add(chapter=ch["D"], kind=BlockKind.TABLE, indicator_code="anteil-mit-allgemeiner-hochschulreife")
    services.block_add(chapter=ch["E"], kind=BlockKind.DATASHEET, section="Übergänge (iABE)")
    services.block_add(chapter=ch["E"], kind=BlockKind.DATASHEET, section="Ausbildungsmarkt")
    services.block_add(chapter=ch["I"], kind=BlockKind.TEXT, title="Empfehlung",
                       text=f"{DEMO_NOTE}\n\n- Übergangsbereich weiter beobachten\n- unbekannte Übergänge klären")
    for action in ("submit", "approve", "publish"):
        services.report_transition(report=report, action=action)
    return report


def demo_load() -> list[str]:
    tenant = Tenant.objects.filter(slug="olov-kassel").first()
    kassel = Region.objects.filter(code="06611").first()
    if tenant is None or kassel is None:
        return []
    with audit_actor(None, "Demo"):
        if not Report.objects.filter(slug="bildungsbericht-stadt-kassel").exists():
            _kassel_full(tenant, kassel)
        if not Report.objects.filter(slug="kurzbericht-uebergang-schule-beruf-kassel").exists():
            _short_transition(tenant, kassel)
    return ["Berichte: /berichte/ (ein veröffentlichter Kurzbericht, ein Entwurf „Bildungsbericht Stadt Kassel“)"]
