"""Demo: Kassel's "Regionale Strategie 2017–2020" (seed 000) with the strategic goal of "Kassel bildet",
Bochum's four KAoA Handlungsfelder (seed 004), ~40 measures across Land, Bund and city programmes,
a regional goal agreement and two strategy reviews.

Real where the seeds and data files say so (goal wording, bodies, the seed figures of 2018/2019,
the GENESIS counts of 2023); everything else is marked: measures, agreement contents and
follow-up values are demo data (``is_demo`` / ``is_synthetic``) and shown as such.
Idempotent: running it twice changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from bildungskette.core.audit import audit_actor
from bildungskette.core.models import Tenant
from bildungskette.organisations.models import Organisation
from bildungskette.regions.models import Region, RegionKind
from bildungskette.regions.selectors import region_by_code

from . import services
from .models import (
    FieldOfAction,
    Goal,
    GoalAgreement,
    GoalIndicator,
    Measure,
    PeriodStatus,
    StrategyPeriod,
    StrategyReview,
)
from .models import FunderLevel as F

SEED_000 = "Stadt Kassel, OloV-Forum 2019"
GENESIS = "© Statistische Ämter des Bundes und der Länder, Deutschland, 2025 (Tabelle 21111-02-06-4)"
SYNTHETIC = "Demo-Daten (synthetisch, erfunden)"
D = datetime.date

PROGRAMMES = [
    # name, short, level, funder, land, since
    ("OloV – Optimierung der lokalen Vermittlungsarbeit im Übergang Schule–Beruf", "OloV", F.LAND,
     "Land Hessen", "06", 2005),
    ("QuaBB – Qualifizierte Ausbildungsbegleitung in Betrieb und Berufsschule", "QuaBB", F.LAND, "Land Hessen",
     "06", 2009),
    ("InteA – Integration durch Anschluss und Abschluss", "InteA", F.LAND, "Land Hessen", "06", 2015),
    ("Kein Abschluss ohne Anschluss – Übergang Schule–Beruf in NRW", "KAoA", F.LAND, "Land Nordrhein-Westfalen",
     "05", 2012),
    ("Bildung integriert", "Bildung integriert", F.BUND, "Bundesministerium für Bildung und Forschung", "", 2015),
    ("Bildungskommunen", "Bildungskommunen", F.BUND, "Bundesministerium für Bildung und Forschung", "", 2022),
    ("Kommunale Koordinierung der Bildungsangebote für Neuzugewanderte", "Bildungskoordination Neuzugewanderte",
     F.BUND, "Bundesministerium für Bildung und Forschung", "", 2016),
    ("Berufsorientierungsprogramm (BOP)", "BOP", F.BUND, "Bundesministerium für Bildung und Forschung", "", 2008),
    ("Berufseinstiegsbegleitung", "BerEb", F.BUND, "Bundesagentur für Arbeit", "", 2009),
    ("JUGEND STÄRKEN im Quartier", "JUSTiQ", F.EU, "BMFSFJ und Europäischer Sozialfonds", "", 2015),
    ("Kassel bildet – kommunales Übergangsmanagement Schule–Beruf", "Kassel bildet", F.KOMMUNE, "Stadt Kassel", "",
     2007),
    ("Kommunale Koordinierung Bochum", "KoKo Bochum", F.KOMMUNE, "Stadt Bochum", "", 2013),
]

TARGET_GROUPS = [
    ("Schüler*innen Sek. I (ab Jahrgang 7)", 1),
    ("Schüler*innen Sek. II / berufliche Schulen", 2),
    ("Jugendliche ohne Anschluss / unversorgte Bewerber*innen", 3),
    ("Neu zugewanderte Jugendliche", 4),
    ("Auszubildende", 5),
    ("Junge Erwachsene im SGB II (unter 25)", 6),
    ("Eltern", 7),
    ("Betriebe", 8),
    ("Lehrkräfte und StuBO", 9),
]

KASSEL_STADTTEILE = ["Nord-Holland", "Rothenditmold", "Wesertor", "Waldau", "Bettenhausen", "Oberzwehren"]
BOCHUM_STADTBEZIRKE = ["Wattenscheid", "Bochum-Mitte", "Bochum-Nord"]


def _stadtteile(tenant, gemeinde_code: str, names: list[str]) -> dict[str, Region]:
    """Stadtteile by name; ones that exist already (e.g. uploaded with boundaries) are used as they are.
    Missing ones are created without boundaries (the names are real; the areas are not drawn)."""
    gemeinde = region_by_code(gemeinde_code)
    existing = {r.name: r for r in Region.objects.filter(tenant=tenant, parent=gemeinde, kind=RegionKind.STADTTEIL)}
    found = {}
    for name in names:
        found[name] = existing.get(name) or Region.objects.get_or_create(
            code=f"{tenant.slug}:{gemeinde.code}:{name}"[:40],
            defaults={"name": name, "kind": RegionKind.STADTTEIL, "parent": gemeinde, "tenant": tenant,
                      "designation": "Stadtteil", "source": "Demo: Stadtteil ohne Grenzdaten"},
        )[0]
    return found


def _org(tenant, name: str) -> Organisation:
    return Organisation.objects.get(tenant=tenant, name=name)


def _body(tenant, name: str):
    from django.apps import apps

    return apps.get_model("network", "Body").objects.filter(tenant=tenant, name=name).first()


def _monitoring_indicator(*codes: str):
    """The monitoring's indicator if its catalogue is loaded (else the goal keeps its own values)."""
    from django.apps import apps

    model = apps.get_model("monitoring", "Indicator")
    return model.objects.filter(code__in=codes, tenant__isnull=True).first()


def _goal(period, code, title, *, parent=None, field=None, body=None, level="strategic", orgs=(), **fields):
    goal = Goal.objects.filter(period=period, code=code).first()
    if goal is None:
        fields.setdefault("is_demo", period.is_demo)
        goal = services.goal_create(period=period, code=code, title=title, parent=parent, field_of_action=field,
                                    body=body, level=level, responsible_organisations=list(orgs), **fields)
    return goal


def _indicator(goal, label, *, baseline, target, direction="increase", unit="", region=None, observations=(),
               intermediate=None, indicator=None, source_note=""):
    if GoalIndicator.objects.filter(goal=goal, label=label).exists():
        return
    services.goal_indicator_create(
        goal=goal, label=label, baseline_year=baseline[0], baseline_value=baseline[1], target_year=target[0],
        target_value=target[1], direction=direction, unit=unit, region=region, indicator=indicator,
        source_note=source_note, intermediate_targets=intermediate or {},
        observations=list(observations),
    )


# --- Kassel -------------------------------------------------------------------------------

def _kassel(tenant, groups, progs) -> None:
    stadt, landkreis = region_by_code("06611"), region_by_code("06633")
    olov_region = Region.objects.filter(code="olov-kassel").first()
    st = _stadtteile(tenant, "06611000", KASSEL_STADTTEILE)
    o = {name: _org(tenant, name) for name in [
        "Stadt und Landkreis Kassel", "Agentur für Arbeit Kassel",
        "Staatliches Schulamt für den Landkreis und die Stadt Kassel", "IHK Kassel-Marburg",
        "Handwerkskammer Kassel", "Kreishandwerkerschaft Kassel", "Jobcenter Stadt Kassel",
        "Jobcenter Landkreis Kassel", "Universität Kassel", "Landesprogramm QuaBB",
        "Stadt Kassel – Amt für Schule und Bildung", "Stadt Kassel – Jugendamt", "Landkreis Kassel",
    ]}
    steering = _body(tenant, "OloV-Steuerungsgruppe Region Kassel")
    alliance = _body(tenant, "Arbeitsbündnis „Jugend und Beruf“ Kassel")

    period, _ = StrategyPeriod.objects.get_or_create(
        tenant=tenant, name="Regionale Strategie 2017–2020",
        defaults={"start_year": 2017, "end_year": 2020, "status": PeriodStatus.ACTIVE, "is_demo": False,
                  "leitziel": "Kommunale Bildungsverantwortung wahrnehmen – Sicherung von gesellschaftlicher "
                              "Teilhabe und Wirtschaftskraft („Kassel bildet“, Beschluss der "
                              "Stadtverordnetenversammlung Mai 2008)",
                  "description": "Oberziele der regionalen OloV-Strategie 2017–2020 der Steuerungsgruppe Region "
                                 f"Kassel und das strategische Ziel von „Kassel bildet“ ({SEED_000}). Die "
                                 "operativen Ziele, Zielwerte und Folgejahre sind Demo-Daten."},
    )
    fields = {}
    for order, (code, name, focus) in enumerate([
        ("A", "Berufliche Orientierung", False),
        ("B", "Akquise von Ausbildungs- und Praktikumsplätzen", True),
        ("C", "Beratung, Matching und Vermittlung", False),
        ("D", "Kommunale Koordinierung am Übergang Schule–Beruf", True),
    ]):
        fields[code], _ = FieldOfAction.objects.get_or_create(
            period=period, code=code, defaults={"tenant": tenant, "name": name, "is_focus": focus, "order": order})

    g1 = _goal(period, "1", "Professions- und institutionsübergreifende Vernetzung", field=fields["D"],
               body=steering, orgs=[o["Stadt und Landkreis Kassel"]], order=1, is_demo=False)
    g2 = _goal(period, "2", "Direkte Begegnungen zwischen Jugendlichen und Betrieben stärken", field=fields["B"],
               body=steering, orgs=[o["IHK Kassel-Marburg"], o["Handwerkskammer Kassel"]], order=2, is_demo=False)
    g3 = _goal(period, "3", "Gute Übergänge für alle", field=fields["C"], body=steering,
               orgs=[o["Agentur für Arbeit Kassel"]], order=3, is_demo=False)
    g4 = _goal(period, "4", "Jugendliche haben die Kompetenzen, den Übergang von der Schule in den Beruf "
               "erfolgreich zu bewältigen. Das schließt das Aufbrechen geschlechtstypischer Berufswahlmuster ein.",
               field=fields["D"], body=alliance, orgs=[o["Stadt Kassel – Amt für Schule und Bildung"]], order=4,
               description="Strategisches Ziel von „Kassel bildet“, Baustein Kommunale Koordinierung am Übergang "
                           f"Schule–Beruf ({SEED_000}).", is_demo=False)
    op = dict(level="operational", is_demo=True)
    g11 = _goal(period, "1.1", "Planungstransparenz: alle Angebote am Übergang in einer gemeinsamen "
                "Maßnahmenübersicht", parent=g1, field=fields["D"], body=steering, **op)
    g12 = _goal(period, "1.2", "Zielvereinbarungen datenbasiert und eingebunden in die gesamtstädtische "
                "Strategie entwickeln", parent=g1, field=fields["D"], body=steering, **op)
    g21 = _goal(period, "2.1", "Mehr betriebliche Ausbildungsstellen je Bewerber*in", parent=g2, field=fields["B"],
                body=steering, **op)
    g22 = _goal(period, "2.2", "Mehr Jugendliche lernen Betriebe in Praxisformaten kennen", parent=g2,
                field=fields["A"], body=steering, **op)
    g31 = _goal(period, "3.1", "Weniger unversorgte Bewerber*innen am Ende des Berichtsjahres", parent=g3,
                field=fields["C"], body=steering, **op)
    g32 = _goal(period, "3.2", "Mehr direkte Übergänge in einen Berufsabschluss", parent=g3, field=fields["C"],
                body=steering, **op)
    g33 = _goal(period, "3.3", "Weniger unbekannte Übergänge", parent=g3, field=fields["C"], body=steering, **op)
    g41 = _goal(period, "4.1", "Weniger Jugendliche verlassen die allgemeinbildende Schule ohne "
                "Hauptschulabschluss", parent=g4, field=fields["D"], body=alliance, **op)
    g42 = _goal(period, "4.2", "Mehr junge Frauen beginnen eine gewerblich-technische Ausbildung", parent=g4,
                field=fields["A"], body=alliance, **op)
    g43 = _goal(period, "4.3", "Interkulturelle Öffnung der Berufsorientierung", parent=g4, field=fields["A"],
                body=alliance, **op)

    _indicator(g11, "Maßnahmen am Übergang mit Ziel-, Zielgruppen- und Gebietsangabe", unit="%",
               baseline=(2017, 35), target=(2020, 90), observations=[
                   (2018, 52, SYNTHETIC, True), (2019, 70, SYNTHETIC, True)])
    _indicator(g21, "Berufsausbildungsstellen je Bewerber*in, Stadt Kassel", unit="Stellen je Bewerber*in",
               region=stadt, baseline=(2019, Decimal("1.08")), target=(2022, Decimal("1.20")),
               indicator=_monitoring_indicator("stellen-je-bewerber"),
               source_note=f"2019: 1.766 betriebliche Stellen / 1.630 Bewerber*innen, {SEED_000}",
               observations=[(2020, Decimal("1.05"), SYNTHETIC, True), (2021, Decimal("1.07"), SYNTHETIC, True)])
    _indicator(g22, "Teilnehmende Jugendliche an Praxisformaten mit Betrieben (z. B. E-Craft)", unit="Anzahl",
               region=stadt, baseline=(2017, 180), target=(2020, 300), intermediate={2019: 250},
               observations=[(2018, 215, SYNTHETIC, True), (2019, 262, SYNTHETIC, True)])
    _indicator(g31, "Unversorgte Bewerber*innen, Stadt Kassel", unit="Anzahl", direction="decrease", region=stadt,
               baseline=(2019, 307), target=(2022, 200),
               source_note=f"2019: {SEED_000} (Stand August 2019)",
               observations=[(2020, 280, SYNTHETIC, True), (2021, 240, SYNTHETIC, True)])
    _indicator(g32, "Übergänge in einen Berufsabschluss (iABE Hessen)", unit="%", region=stadt,
               baseline=(2018, Decimal("8.3")), target=(2022, 12),
               source_note=f"2018: iABE Hessen, {SEED_000}",
               observations=[(2019, Decimal("9.2"), SYNTHETIC, True), (2020, Decimal("9.9"), SYNTHETIC, True),
                             (2021, 11, SYNTHETIC, True)])
    _indicator(g33, "Unbekannte Übergänge (iABE Hessen)", unit="%", direction="decrease", region=stadt,
               baseline=(2018, Decimal("12.6")), target=(2022, 8),
               source_note=f"2018: iABE Hessen, {SEED_000}",
               observations=[(2019, 12, SYNTHETIC, True), (2020, Decimal("10.9"), SYNTHETIC, True),
                             (2021, Decimal("9.8"), SYNTHETIC, True)])
    hsa = _monitoring_indicator("quote-ohne-hsa", "ohne-hsa-quote", "quote-ohne-hauptschulabschluss",
                                "abgaenger-ohne-hsa-quote")
    _indicator(g41, "Quote der Abgänger*innen ohne Hauptschulabschluss, Stadt Kassel", unit="%",
               direction="decrease", region=stadt, indicator=hsa, baseline=(2023, Decimal("8.82")),
               target=(2026, Decimal("7.5")),
               observations=[] if hsa else [(2023, Decimal("8.82"), f"165 von 1.870 Abgänger*innen; {GENESIS}",
                                             False)])
    _indicator(g42, "Anteil junger Frauen an neuen Ausbildungsverträgen in gewerblich-technischen Berufen",
               unit="%", region=olov_region, baseline=(2017, 11), target=(2022, 15),
               observations=[(2018, Decimal("11.4"), SYNTHETIC, True), (2019, Decimal("12.3"), SYNTHETIC, True),
                             (2020, Decimal("13.1"), SYNTHETIC, True)])
    del g12, g43  # deliberately without indicators: their status comes from nowhere yet

    A = {g.code: g for g in Goal.objects.filter(period=period)}
    T = groups
    P = progs
    sek1, sek2, ohne, neu, azubi, sgb2, eltern, betriebe, lehr = (T[n] for n, _ in TARGET_GROUPS)
    measures = [
        # title, description, programme, orgs, groups, stages, regions, start, end, goals, budget
        ("Übergangsmanagement an acht allgemeinbildenden Schulen",
         "Kommunale Übergangsmanager*innen koordinieren an acht Kasseler Schulen die Berufsorientierung ab "
         "Jahrgang 7 und begleiten Jugendliche bis zum Anschluss.",
         "Kassel bildet", ["Stadt Kassel – Amt für Schule und Bildung"], [sek1], ["sek1", "transition"], [stadt],
         D(2008, 8, 1), None, ["4", "3.2"], 480000),
        ("Bewerbungstraining und Ausbildungsplatzsuche in Kassel-Nord",
         "Bewerbungstraining, Bewerbungsmappen und Unterstützung bei der Ausbildungsplatzsuche für Schülerinnen "
         "und Schüler der Jahrgänge 9 und 10 in Nord-Holland und Wesertor.",
         "JUSTiQ", ["Stadt Kassel – Jugendamt"], [sek1], ["sek1", "transition"],
         [st["Nord-Holland"], st["Wesertor"]], D(2019, 1, 1), D(2022, 12, 31), ["3.1"], 150000),
        ("Bewerbungscoaching für Jugendliche der Klassen 9 und 10 in Nord-Holland",
         "Coaching für Bewerbungen und Unterstützung bei der Suche nach einem Ausbildungsplatz für Schüler*innen "
         "der Klassen 9 und 10 im Stadtteil Nord-Holland.",
         "BerEb", ["Agentur für Arbeit Kassel"], [sek1], ["sek1", "transition"], [st["Nord-Holland"]],
         D(2020, 2, 1), D(2023, 7, 31), ["3.1"], 90000),
        ("Bewerbungstraining für junge Erwachsene im SGB II",
         "Bewerbungstraining und Unterstützung bei der Ausbildungsplatzsuche für junge Erwachsene unter 25 im "
         "Leistungsbezug.",
         None, ["Jobcenter Stadt Kassel"], [sgb2], ["transition", "vocational"], [stadt],
         D(2019, 1, 1), None, ["3.1"], 120000),
        ("Azubi-Speed-Dating mit Betrieben der Region",
         "Jugendliche treffen Ausbildungsbetriebe zum Speed-Dating: zehn Minuten Gespräch, danach "
         "Praktikums- oder Ausbildungsangebote.",
         "OloV", ["IHK Kassel-Marburg", "Handwerkskammer Kassel"], [sek1, sek2, betriebe],
         ["sek1", "sek2", "transition"], [stadt], D(2017, 3, 1), None, ["2", "2.2"], 25000),
        ("Speed-Dating Ausbildung: Jugendliche treffen Betriebe",
         "Speed-Dating für Ausbildung: Jugendliche treffen Betriebe in kurzen Gesprächen und erhalten "
         "Praktikums- und Ausbildungsangebote.",
         "BerEb", ["Agentur für Arbeit Kassel", "Jobcenter Stadt Kassel"], [sek2, ohne, betriebe],
         ["sek2", "transition"], [stadt], D(2018, 9, 1), None, ["2.2", "3.1"], 18000),
        ("Azubi-Speed-Dating im Landkreis (Hofgeismar, Wolfhagen)",
         "Jugendliche treffen Ausbildungsbetriebe zum Speed-Dating: zehn Minuten Gespräch, danach "
         "Praktikums- oder Ausbildungsangebote.",
         "OloV", ["Landkreis Kassel", "Kreishandwerkerschaft Kassel"], [sek1, betriebe], ["sek1", "transition"],
         [landkreis], D(2018, 3, 1), None, ["2.2"], 15000),
        ("E-Craft: Betriebe stellen Berufe der Elektro- und Kfz-Technik und erneuerbaren Energien vor",
         "Betriebe stellen interessierten Jugendlichen Berufe aus Elektrotechnik, Kfz-Technik und erneuerbaren "
         "Energien vor und ermöglichen einen direkten Austausch.",
         "Kassel bildet", ["Stadt Kassel – Amt für Schule und Bildung", "Kreishandwerkerschaft Kassel"],
         [sek1], ["sek1"], [stadt], D(2016, 1, 1), None, ["2.2", "4.2"], 12000),
        ("Girls' Day Plus: Mädchen erkunden gewerblich-technische Berufe",
         "Mädchen der Jahrgänge 7 bis 9 erkunden an mehreren Tagen gewerblich-technische Ausbildungsberufe in "
         "Betrieben der Region.",
         "OloV", ["IHK Kassel-Marburg", "Agentur für Arbeit Kassel"], [sek1], ["sek1"], [olov_region],
         D(2018, 1, 1), None, ["4.2"], 20000),
        ("Sprach- und Berufsorientierung für neu zugewanderte Jugendliche",
         "Berufsorientierung mit Sprachförderung für neu zugewanderte Jugendliche: Praktika, Berufsfelder "
         "kennenlernen, Beratung zum Anschluss.",
         "Bildungskoordination Neuzugewanderte", ["Stadt Kassel – Amt für Schule und Bildung"], [neu],
         ["sek1", "transition"], [stadt], D(2016, 6, 1), D(2021, 12, 31), ["3.2", "4.3"], 210000),
        ("Berufsorientierung und Sprachförderung in InteA-Klassen",
         "Sprachförderung und Berufsorientierung für neu zugewanderte Jugendliche an beruflichen Schulen: "
         "Berufsfelder kennenlernen, Praktika, Beratung zum Anschluss.",
         "InteA", ["Staatliches Schulamt für den Landkreis und die Stadt Kassel"], [neu], ["sek2", "transition"],
         [stadt], D(2016, 1, 1), None, ["3.2", "4.3"], None),
        ("Ausbildungsbegleitung gegen Ausbildungsabbrüche",
         "Begleitung von Auszubildenden und Betrieben bei Schwierigkeiten in Betrieb und Berufsschule, um "
         "Abbrüche zu vermeiden.",
         "QuaBB", ["Landesprogramm QuaBB"], [azubi, betriebe], ["vocational"], [olov_region], D(2017, 1, 1),
         None, ["3"], 160000),
        ("Bildungsmonitoring Übergang Schule–Beruf",
         "Jährlicher Bericht zu Ausbildungsmarkt, iABE und Verbleib für die Steuerungsgruppe; Daten für die "
         "Zielvereinbarungen.",
         "Bildung integriert", ["Stadt Kassel – Amt für Schule und Bildung", "Agentur für Arbeit Kassel"],
         [lehr], ["transition"], [olov_region], D(2019, 1, 1), D(2022, 12, 31), ["1.2", "1.1"], 95000),
        ("Gemeinsame Maßnahmenübersicht der OloV-Region",
         "Alle Angebote am Übergang Schule–Beruf mit Zielgruppe, Gebiet und Ziel in einer Übersicht – "
         "Planungstransparenz für Stadt und Landkreis.",
         "OloV", ["Stadt und Landkreis Kassel", "Agentur für Arbeit Kassel"], [lehr], ["transition"],
         [olov_region], D(2017, 6, 1), None, ["1.1"], 8000),
        ("Regionale BO-Messe Nordhessen",
         "Jährliche Berufsorientierungsmesse mit Betrieben, Hochschule und Beratungsstellen (OloV-Standard BO5).",
         "OloV", ["IHK Kassel-Marburg", "Universität Kassel", "Agentur für Arbeit Kassel"], [sek1, sek2, eltern],
         ["sek1", "sek2"], [olov_region], D(2017, 9, 1), None, ["2", "2.2"], 30000),
        ("Elternabende zur Berufswahl in Waldau und Bettenhausen",
         "Informationsabende für Eltern zur Berufsorientierung ihrer Kinder, mehrsprachig, an den Schulen im "
         "Stadtteil.",
         "Kassel bildet", ["Stadt Kassel – Jugendamt"], [eltern], ["sek1"], [st["Waldau"], st["Bettenhausen"]],
         D(2018, 9, 1), None, ["4.3"], 6000),
        ("Jugendberatung im Quartier Rothenditmold",
         "Aufsuchende Beratung für Jugendliche ohne Anschluss im Stadtteil, Vermittlung in Angebote.",
         "JUSTiQ", ["Stadt Kassel – Jugendamt"], [ohne], ["transition"], [st["Rothenditmold"]],
         D(2015, 1, 1), D(2018, 12, 31), ["3.1"], 140000),
        ("Nachvermittlungsaktion „Last Minute Ausbildung“",
         "Gemeinsame Aktion im September: unversorgte Bewerber*innen und Betriebe mit unbesetzten Stellen "
         "zusammenbringen.",
         "OloV", ["Agentur für Arbeit Kassel", "IHK Kassel-Marburg", "Handwerkskammer Kassel"], [ohne, betriebe],
         ["transition"], [olov_region], D(2017, 8, 1), None, ["3.1"], 5000),
        ("Studienorientierung und Studienzweifler-Beratung",
         "Beratung für Studienzweifler*innen und Orientierung zwischen Studium und Ausbildung.",
         None, ["Universität Kassel", "Agentur für Arbeit Kassel"], [sek2], ["sek2", "higher"], [stadt],
         D(2017, 1, 1), None, ["3.2"], None),
        ("Kooperationsvereinbarung Arbeitsbündnis „Jugend und Beruf“ umsetzen",
         "Abgestimmte Fallarbeit von Agentur für Arbeit, Jobcenter, Schulen und Stadt für Jugendliche am "
         "Übergang.",
         "Kassel bildet", ["Agentur für Arbeit Kassel", "Jobcenter Stadt Kassel",
                           "Stadt Kassel – Amt für Schule und Bildung"], [ohne, sgb2], ["transition"], [stadt],
         D(2013, 12, 9), None, ["1", "3.3"], None),
        ("Verbleibsabfrage der Abgangsklassen",
         "Abfrage des Anschlusses aller Abgänger*innen der Schulen mit Übergangsmanagement zur Verringerung "
         "unbekannter Übergänge.",
         "Bildung integriert", ["Stadt Kassel – Amt für Schule und Bildung",
                                "Staatliches Schulamt für den Landkreis und die Stadt Kassel"], [sek1],
         ["transition"], [stadt], D(2019, 6, 1), None, ["3.3", "1.2"], 40000),
        ("Praktikumsbörse Region Kassel",
         "Online-Börse für Schülerpraktika mit Betrieben aus Stadt und Landkreis (OloV-Standard BO7).",
         "OloV", ["IHK Kassel-Marburg", "Handwerkskammer Kassel", "Kreishandwerkerschaft Kassel"], [sek1, betriebe],
         ["sek1"], [olov_region], D(2017, 1, 1), None, ["2.2"], 10000),
    ]
    schools = list(Organisation.objects.filter(external_id__in=["HE-9203"]))
    created = _measures(tenant, measures, P, A, o)
    if created and schools:
        created[0].schools.set(schools)
    _measure_extras(tenant, {
        "E-Craft: Betriebe stellen Berufe der Elektro- und Kfz-Technik und erneuerbaren Energien vor": (
            [("Teilnehmende Jugendliche", 240, "Personen", 2019), ("beteiligte Betriebe", 14, "Betriebe", 2019)],
            [("Termine mit allen acht Schulen abgestimmt", D(2019, 2, 1), D(2019, 1, 28))]),
        "Gemeinsame Maßnahmenübersicht der OloV-Region": (
            [("erfasste Maßnahmen", 41, "Maßnahmen", 2019)],
            [("Erste Fassung in der Steuerungsgruppe", D(2018, 3, 1), D(2018, 3, 15)),
             ("Fortschreibung mit Gebieten und Zielen", D(2020, 6, 30), None)]),
    })

    # Regional goal agreement (contents are demo data).
    if not GoalAgreement.objects.filter(tenant=tenant, title__startswith="Regionale Zielvereinbarung").exists():
        services.agreement_create(
            tenant=tenant, title="Regionale Zielvereinbarung OloV Region Kassel 2017–2020", period=period,
            body=steering, start_date=D(2017, 1, 1), end_date=D(2020, 12, 31), signed_on=D(2017, 3, 14),
            description="Die Partner der OloV-Steuerungsgruppe vereinbaren die Oberziele der regionalen Strategie "
                        "und die Qualitätsstandards, an denen sie ihre Maßnahmen ausrichten.",
            goals=[g1, g2, g3], standards=["BO1", "BO5", "BO7"], is_demo=True,
            parties=[
                (o["Stadt und Landkreis Kassel"], "Regionalkoordination OloV, Maßnahmenübersicht, Bildungsmonitoring"),
                (o["Agentur für Arbeit Kassel"], "Berufsberatung an allen Schulen, Nachvermittlung im September"),
                (o["Staatliches Schulamt für den Landkreis und die Stadt Kassel"],
                 "Schulische BO-Koordinator*innen (BO1), Curricula zur Berufsorientierung (BO2)"),
                (o["IHK Kassel-Marburg"], "Betriebskontakte, Azubi-Speed-Dating, Praktikumsbörse (BO7)"),
                (o["Handwerkskammer Kassel"], "Praktikumsplätze im Handwerk, Beteiligung an der BO-Messe (BO5)"),
            ],
        )

    # Zwischenbilanz 2019 (open, partly walked through).
    review = StrategyReview.objects.filter(tenant=tenant, title__startswith="Zwischenbilanz 2019").first()
    if review is None:
        review = services.review_create(
            period=period, title="Zwischenbilanz 2019 der OloV-Steuerungsgruppe", held_on=D(2019, 11, 20),
            body=steering, participants="Mitglieder der OloV-Steuerungsgruppe Region Kassel", is_demo=True)
        services.review_assess(review=review, goal=g2, status="moderate",
                               justification="Mehr Begegnungsformate, aber die Stellen je Bewerber*in sinken in "
                                             "der Stadt leicht; Akquise im Handwerk verstärken.")
        services.review_assess(review=review, goal=g31, status="moderate",
                               justification="Die Nachvermittlung wirkt; der Rückgang reicht für das Ziel 2022 "
                                             "noch nicht.")
        services.review_decision_add(review=review, kind="focus",
                                     text="Schwerpunkt 2020: Akquise von Ausbildungsplätzen im Handwerk "
                                          "(Handlungsfeld B).")


def _measures(tenant, rows, programmes, goals_by_code, orgs) -> list[Measure]:
    created = []
    for title, description, programme, org_names, groups, stages, regions, start, end, goal_codes, budget in rows:
        measure = Measure.objects.filter(tenant=tenant, title=title).first()
        if measure is None:
            measure = services.measure_create(
                tenant=tenant, title=title, description=description,
                programme=programmes.get(programme) if programme else None,
                responsible_organisations=[orgs[n] for n in org_names], target_groups=groups,
                education_stages=stages, regions=[r for r in regions if r is not None], start_date=start,
                end_date=end, goals=[goals_by_code[c] for c in goal_codes],
                budget=Decimal(budget) if budget is not None else None,
                budget_note="Demo-Daten (erfunden)" if budget is not None else "",
                status="completed" if end and end < datetime.date.today() else "running", is_demo=True,
            )
        created.append(measure)
    return created


def _measure_extras(tenant, extras) -> None:
    for title, (outputs, milestones) in extras.items():
        measure = Measure.objects.get(tenant=tenant, title=title)
        if not measure.outputs.exists():
            for label, value, unit, year in outputs:
                services.output_add(measure=measure, label=label, value=value, unit=unit, year=year)
        if not measure.milestones.exists():
            for label, due, done in milestones:
                services.milestone_add(measure=measure, title=label, due_on=due, done_on=done)


# --- Bochum -------------------------------------------------------------------------------

def _bochum(tenant, groups, progs) -> None:
    stadt = region_by_code("05911")
    bz = _stadtteile(tenant, "05911000", BOCHUM_STADTBEZIRKE)
    names = [
        "Agentur für Arbeit Bochum", "Schulamt für die Stadt Bochum (untere Schulaufsicht)",
        "Sozialpartner – Arbeitgeberseite", "Sozialpartner – Arbeitnehmerseite", "Hochschulnetzwerk UniverCity Bochum",
        "Stadt Bochum – Schulverwaltungsamt (Kommunale Koordinierungsstelle)", "Stadt Bochum – Jugendamt",
        "Kommunales Integrationszentrum Bochum",
    ]
    o = {n: _org(tenant, n) for n in names}
    steering = _body(tenant, "Steuerungsgremium KAoA Bochum")
    fag = {
        "A": _body(tenant, "Facharbeitsgruppe Berufs- und Studienorientierung"),
        "B": _body(tenant, "Facharbeitsgruppe Übergangssystem"),
        "C": _body(tenant, "Facharbeitsgruppe duale Ausbildung"),
        "D": steering,
    }
    period, _ = StrategyPeriod.objects.get_or_create(
        tenant=tenant, name="KAoA-Strategie Bochum ab Schuljahr 2016/17",
        defaults={"start_year": 2016, "end_year": 2020, "status": PeriodStatus.ACTIVE, "is_demo": False,
                  "leitziel": "Für alle Jugendlichen gezielte und gelungene Wege in die berufliche Zukunft eröffnen "
                              "(Landesvorhaben „Kein Abschluss ohne Anschluss“).",
                  "description": "Strategische Umsetzungsziele für alle Handlungsfelder aus der Strategieklausur "
                                 "des Steuerungsgremiums 2016, Schwerpunkte „Systematisierung des Übergangs“ und "
                                 "„Attraktivität des Dualen Systems“ (Seed 004, G.I.B.-Bericht). Die Wortlaute der "
                                 "Ziele, Zielwerte und Werte ab 2017 sind Demo-Daten."},
    )
    fields = {}
    for order, (code, name, focus) in enumerate([
        ("A", "Studien- und Berufsorientierung", False),
        ("B", "Übergangssystem – Systematisierung des Übergangs", True),
        ("C", "Attraktivität der dualen Ausbildung", True),
        ("D", "Kommunale Koordinierung", False),
    ]):
        fields[code], _ = FieldOfAction.objects.get_or_create(
            period=period, code=code, defaults={"tenant": tenant, "name": name, "is_focus": focus, "order": order})
    s = dict(is_demo=True)
    gA = _goal(period, "A", "Alle Schüler*innen durchlaufen ab Klasse 8 die Standardelemente der Berufs- und "
               "Studienorientierung", field=fields["A"], body=fag["A"] or steering, order=1, **s)
    gB = _goal(period, "B", "Der Übergang Schule–Beruf ist systematisiert: jede*r Jugendliche hat eine "
               "Anschlussperspektive", field=fields["B"], body=fag["B"] or steering, order=2, **s)
    gC = _goal(period, "C", "Die duale Ausbildung wird für Jugendliche und Eltern attraktiver", field=fields["C"],
               body=fag["C"] or steering, order=3, **s)
    _goal(period, "D", "Die Akteure steuern den Übergang gemeinsam und datenbasiert", field=fields["D"],
               body=steering, order=4, orgs=[o["Stadt Bochum – Schulverwaltungsamt (Kommunale Koordinierungsstelle)"]],
               **s)
    op = dict(level="operational", is_demo=True)
    gA1 = _goal(period, "A.1", "Potenzialanalyse und Berufsfelderkundungen für alle Schüler*innen der Klasse 8",
                parent=gA, field=fields["A"], body=fag["A"] or steering, **op)
    gB1 = _goal(period, "B.1", "Anschlussvereinbarungen für alle Abgänger*innen der Klasse 10 dokumentiert",
                parent=gB, field=fields["B"], body=fag["B"] or steering, **op)
    gB2 = _goal(period, "B.2", "Weniger Abgänger*innen ohne Hauptschulabschluss", parent=gB, field=fields["B"],
                body=fag["B"] or steering, **op)
    gC1 = _goal(period, "C.1", "Mehr Schüler*innen beginnen nach der Schule eine duale Ausbildung", parent=gC,
                field=fields["C"], body=fag["C"] or steering, **op)
    _indicator(gA1, "Schüler*innen der Klasse 8 mit Potenzialanalyse", unit="%", region=stadt,
               baseline=(2016, 78), target=(2020, 98),
               observations=[(2017, 86, SYNTHETIC, True), (2018, 93, SYNTHETIC, True), (2019, 97, SYNTHETIC, True)])
    _indicator(gB1, "Abgänger*innen der Klasse 10 mit dokumentierter Anschlussvereinbarung", unit="%", region=stadt,
               baseline=(2016, 40), target=(2020, 95),
               observations=[(2017, 48, SYNTHETIC, True), (2018, 55, SYNTHETIC, True), (2019, 61, SYNTHETIC, True)])
    hsa = _monitoring_indicator("quote-ohne-hsa", "ohne-hsa-quote", "quote-ohne-hauptschulabschluss",
                                "abgaenger-ohne-hsa-quote")
    _indicator(gB2, "Quote der Abgänger*innen ohne Hauptschulabschluss, Bochum", unit="%", direction="decrease",
               region=stadt, indicator=hsa, baseline=(2023, Decimal("6.44")), target=(2026, Decimal("5.5")),
               observations=[] if hsa else [(2023, Decimal("6.44"), f"225 von 3.495 Abgänger*innen; {GENESIS}",
                                             False)])
    _indicator(gC1, "Übergänge von Klasse 10 in eine duale Ausbildung", unit="%", region=stadt,
               baseline=(2016, 24), target=(2020, 30),
               observations=[(2017, 24, SYNTHETIC, True), (2018, Decimal("23.5"), SYNTHETIC, True),
                             (2019, Decimal("24.2"), SYNTHETIC, True)])

    A = {g.code: g for g in Goal.objects.filter(period=period)}
    sek1, sek2, ohne, neu, azubi, sgb2, eltern, betriebe, lehr = (groups[n] for n, _ in TARGET_GROUPS)
    koko = "Stadt Bochum – Schulverwaltungsamt (Kommunale Koordinierungsstelle)"
    measures = [
        ("Potenzialanalyse in Klasse 8 (SBO 4.1)", "Eintägige Potenzialanalyse für alle Schüler*innen der Klasse 8 "
         "bei anerkannten Trägern.", "KAoA", [koko], [sek1], ["sek1"], [stadt], D(2016, 8, 1), None, ["A.1"], 210000),
        ("Berufsfelderkundungen in Klasse 8 (SBO 5.1)", "Drei Tage Berufsfelderkundung in Betrieben verschiedener "
         "Berufsfelder.", "KAoA", [koko, "Sozialpartner – Arbeitgeberseite"], [sek1, betriebe], ["sek1"], [stadt],
         D(2016, 8, 1), None, ["A.1"], 60000),
        ("Praxiskurse für Schüler*innen mit Unterstützungsbedarf (SBO 6.4)", "Mehrtägige Praxiskurse in Werkstätten "
         "von Trägern.", "BOP", [koko], [sek1], ["sek1"], [stadt], D(2017, 2, 1), None, ["A.1", "B.1"], 80000),
        ("Anschlussvereinbarung in Klasse 10 (SBO 10.6)", "Gemeinsame Anschlussvereinbarung von Schüler*in, Eltern, "
         "Schule und Berufsberatung am Ende der Sekundarstufe I.", "KAoA",
         [koko, "Agentur für Arbeit Bochum", "Schulamt für die Stadt Bochum (untere Schulaufsicht)"], [sek1],
         ["sek1", "transition"], [stadt], D(2016, 8, 1), None, ["B.1"], None),
        ("Übergangsbegleitung für Jugendliche ohne Anschluss", "Aufsuchende Begleitung von Abgänger*innen ohne "
         "Anschluss bis zum Eintritt in Ausbildung oder Bildungsgang.", "KoKo Bochum", ["Stadt Bochum – Jugendamt"],
         [ohne], ["transition"], [stadt], D(2017, 1, 1), None, ["B"], 110000),
        ("Nachbetreuung unversorgter Abgänger*innen", "Begleitung von Abgänger*innen ohne Anschluss bis zum Eintritt "
         "in Ausbildung oder einen Bildungsgang, mit Hausbesuchen.", "BerEb", ["Agentur für Arbeit Bochum"], [ohne],
         ["transition"], [stadt], D(2018, 1, 1), None, ["B"], 70000),
        ("Ausbildungsbotschafter*innen an Schulen", "Auszubildende berichten in Schulklassen von ihrer Ausbildung.",
         "KAoA", ["Sozialpartner – Arbeitgeberseite"], [sek1, azubi], ["sek1", "vocational"], [stadt],
         D(2017, 9, 1), None, ["C.1"], 15000),
        ("Tag der dualen Ausbildung", "Betriebe, Kammern und Berufskollegs stellen Ausbildungswege vor.", "KAoA",
         ["Sozialpartner – Arbeitgeberseite", "Agentur für Arbeit Bochum"], [sek1, sek2, eltern],
         ["sek1", "sek2", "vocational"], [stadt], D(2017, 3, 1), None, ["C", "C.1"], 12000),
        ("Elternabende zur Berufsorientierung in Wattenscheid", "Mehrsprachige Elternabende zur Berufs- und "
         "Studienorientierung ihrer Kinder an Schulen in Wattenscheid.", "KoKo Bochum",
         ["Kommunales Integrationszentrum Bochum"], [eltern], ["sek1"], [bz["Wattenscheid"]], D(2017, 9, 1), None,
         ["C"], 5000),
        ("Informationsabende für Eltern zur Berufs- und Studienorientierung in Wattenscheid", "Mehrsprachige "
         "Informationsabende für Eltern zur Berufsorientierung und Studienorientierung ihrer Kinder an "
         "Wattenscheider Schulen.", None, ["Agentur für Arbeit Bochum"], [eltern], ["sek1"], [bz["Wattenscheid"]],
         D(2018, 2, 1), None, ["C"], None),
        ("Elternabende zur Berufsorientierung in Bochum-Nord", "Mehrsprachige Elternabende zur Berufs- und "
         "Studienorientierung ihrer Kinder an Schulen in Bochum-Nord.", "KoKo Bochum",
         ["Kommunales Integrationszentrum Bochum"], [eltern], ["sek1"], [bz["Bochum-Nord"]], D(2017, 9, 1), None,
         ["C"], 5000),
        ("Studienorientierung mit UniverCity", "Schnuppertage und Beratung an den Bochumer Hochschulen für "
         "Schüler*innen der Oberstufe.", "KAoA", ["Hochschulnetzwerk UniverCity Bochum"], [sek2], ["sek2", "higher"],
         [stadt], D(2016, 8, 1), None, ["A"], 20000),
        ("Berufsorientierung für neu zugewanderte Jugendliche", "Berufsorientierung mit Sprachförderung in "
         "Internationalen Förderklassen.", "Bildungskoordination Neuzugewanderte",
         ["Kommunales Integrationszentrum Bochum"], [neu], ["sek1", "transition"], [stadt], D(2016, 9, 1),
         D(2021, 8, 31), ["B"], 150000),
        ("Datenbasierte Übergangsbilanz für das Steuerungsgremium", "Jährliche Auswertung der Anschlüsse aus den "
         "Anschlussvereinbarungen für das Steuerungsgremium.", "KoKo Bochum", [koko], [lehr], ["transition"], [stadt],
         D(2017, 1, 1), None, ["D", "B.1"], 25000),
        ("Fortbildung für StuBO", "Qualifizierung der Studien- und Berufswahlkoordinator*innen.", "KAoA",
         [koko, "Schulamt für die Stadt Bochum (untere Schulaufsicht)"], [lehr], ["sek1"], [stadt], D(2016, 8, 1),
         None, ["A", "D"], 18000),
        ("Kooperation mit der Kommunalen Koordinierungsstelle Herne", "Abgestimmte Angebote und gemeinsame "
         "Berufsorientierungsmessen mit Herne.", "KoKo Bochum", [koko], [sek1, betriebe], ["sek1"], [stadt],
         D(2017, 1, 1), None, ["D"], None),
    ]
    _measures(tenant, measures, progs, A, {**o, **{n: _org(tenant, n) for n in [koko]}})

    review = StrategyReview.objects.filter(tenant=tenant, title__startswith="Strategieklausur 2016").first()
    if review is None:
        review = services.review_create(
            period=period, title="Strategieklausur 2016 des Steuerungsgremiums KAoA", held_on=D(2016, 2, 15),
            body=steering, is_demo=True,
            participants="Steuerungsgremium KAoA Bochum, Oberbürgermeister (eingeladen), Moderation: G.I.B.",
        )
        services.review_decision_add(review=review, kind="focus",
                                     text="Schwerpunkte: Systematisierung des Übergangs und Attraktivität des "
                                          "Dualen Systems.")
        services.review_decision_add(review=review, kind="other",
                                     text="Die strategischen Ziele werden in den Facharbeitsgruppen "
                                          "operationalisiert; Umsetzung ab dem Schuljahr 2016/2017.")
        services.review_decision_add(review=review, kind="other",
                                     text="Vorstellung der Zielformulierungen im Ausschuss für Schule und Bildung.")
        services.review_close(review=review, summary=(
            "Zwischenbilanz der ersten beiden Jahre: Die Gremienstrukturen werden von allen Beteiligten als sinnvoll "
            "bewertet. Für alle vier Handlungsfelder wurden strategische Ziele formuliert; Schwerpunkte sind die "
            "Systematisierung des Übergangs und die Attraktivität des Dualen Systems."))


def demo_load() -> list[str]:
    with audit_actor(None, "Demo"), transaction.atomic():
        programmes = {}
        for name, short, level, funder, land, since in PROGRAMMES:
            programmes[short] = services.programme_ensure(
                name=name, short_name=short, funder_level=level, funder=funder, land_code=land, start_year=since)
        groups = {name: services.target_group_ensure(name=name, order=order) for name, order in TARGET_GROUPS}
        kassel = Tenant.objects.filter(slug="olov-kassel").first()
        bochum = Tenant.objects.filter(slug="bochum").first()
        if kassel:
            _kassel(kassel, groups, programmes)
        if bochum:
            _bochum(bochum, groups, programmes)
    count = Measure.objects.filter(is_demo=True).count()
    return [f"Strategie: Kassel „Regionale Strategie 2017–2020“, Bochum KAoA-Handlungsfelder, {count} Demo-Maßnahmen"]
