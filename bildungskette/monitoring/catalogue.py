"""The built-in catalogue: statistics the indicators need, the official indicators, validation rules.

Definitions follow the domain notes (BIBB § 86 BBiG indicators, the municipal ratios of
seed 000, Quote ohne Hauptschulabschluss from table 21111-02-06-4, iABE sectors). Structured by the
nine areas of the Anwendungsleitfaden; its official indicator codes were not found, so
``official_code`` stays empty for now.
"""

from __future__ import annotations

from .models import ValidationRule
from .services import breakdown_ensure, indicator_ensure, statistic_ensure

LEAVERS = "21111-02-06-4.absolvierende-abgehende-allgemeinbildender-schulen-nach-dem-abschluss"
LEAVERS_VOC = "21121-02-02-4.absolvierende-abgehende"

BREAKDOWNS = {
    "ba-status": (
        "BA-Status am 30.09.",
        [
            ("einmuendend", "einmündende Bewerber*innen"),
            ("andere-ehemalige", "andere ehemalige Bewerber*innen"),
            ("mit-alternative", "Bewerber*innen mit Alternative zum 30.09."),
            ("unversorgt", "unversorgte Bewerber*innen"),
            ("versorgt", "versorgte Bewerber*innen (einmündend, andere ehemalige, mit Alternative)", True),
        ],
    ),
    "stellenart": ("Art der Stelle", [("betrieblich", "betrieblich"), ("ausserbetrieblich", "außerbetrieblich")]),
    "iabe-sektor": (
        "iABE-Sektor",
        [
            ("berufsabschluss", "I Berufsausbildung (Berufsabschluss)"),
            ("uebergangsbereich", "II Integration in Ausbildung (Übergangsbereich)"),
            ("hochschulreife", "III Erwerb der Hochschulzugangsberechtigung"),
            ("studium", "IV Studium"),
            ("unbekannt", "unbekannte Übergänge (statistischer Rest)"),
        ],
    ),
    "altersgruppe": ("Altersgruppe", [("u25", "unter 25 Jahre")]),
    "sgb2-status": (
        "Status SGB II",
        [("arbeitsuchend", "darunter arbeitsuchend", True), ("arbeitslos", "darunter arbeitslos", True)],
    ),
    "abschlussart": (
        "Abschlussart",
        [
            ("ohne-hauptschulabschluss", "ohne Hauptschulabschluss"),
            ("mit-hauptschulabschluss", "mit Hauptschulabschluss"),
            ("mit-mittlerem-abschluss", "mit Mittlerem Abschluss"),
            ("dar-schulischer-teil-der-fachhochschulreife", "dar. schulischer Teil der Fachhochschulreife", True),
            ("mit-fachhochschulreife", "mit Fachhochschulreife"),
            ("mit-allgemeiner-hochschulreife", "mit allgemeiner Hochschulreife"),
        ],
    ),
    "geschlecht": ("Geschlecht", [("weiblich", "weiblich")]),
}

STATISTICS = [
    # code, name, unit, aggregation, breakdowns, description
    (
        "ba.bewerber",
        "Gemeldete Bewerber*innen für Berufsausbildungsstellen",
        "Anzahl",
        "sum",
        ["ba-status"],
        "BA-Ausbildungsmarktstatistik, kumuliert seit 1. Oktober; Status am 30. September.",
    ),
    (
        "ba.stellen",
        "Gemeldete Berufsausbildungsstellen",
        "Anzahl",
        "sum",
        ["stellenart"],
        "BA-Ausbildungsmarktstatistik, kumuliert seit 1. Oktober.",
    ),
    (
        "ba.stellen.unbesetzt",
        "Unbesetzte Berufsausbildungsstellen",
        "Anzahl",
        "sum",
        [],
        "Gemeldete Stellen, die am 30. September (bzw. zum Berichtsmonat) noch unbesetzt sind.",
    ),
    (
        "bibb.naa",
        "Neu abgeschlossene Ausbildungsverträge (NAA)",
        "Anzahl",
        "sum",
        ["stellenart"],
        "BIBB-Erhebung zum 30. September: 1. Oktober bis 30. September, am 30. September noch bestehend.",
    ),
    (
        "iabe.anteil",
        "Anteil an den Übergängen (iABE)",
        "%",
        "none",
        ["iabe-sektor"],
        "Integrierte Ausbildungsberichterstattung; veröffentlichte Anteile.",
    ),
    (
        "sgb2.elb",
        "Erwerbsfähige Leistungsberechtigte (SGB II)",
        "Anzahl",
        "sum",
        ["altersgruppe", "sgb2-status"],
        "Statistik der BA, Grundsicherung für Arbeitsuchende.",
    ),
    (
        "sgb2.hilfequote",
        "SGB-II-Hilfequote",
        "%",
        "none",
        ["altersgruppe"],
        "Leistungsberechtigte je 100 Einwohner*innen der Altersgruppe (veröffentlichte Quote).",
    ),
    ("ba.arbeitslose", "Arbeitslose (SGB II und SGB III)", "Anzahl", "sum", ["altersgruppe"], ""),
    (
        "ba.alq",
        "Arbeitslosenquote (bezogen auf alle zivilen Erwerbspersonen)",
        "%",
        "none",
        ["altersgruppe"],
        "Veröffentlichte Quote der Statistik der BA.",
    ),
    (
        LEAVERS,
        "Absolvierende/Abgehende allgemeinbildender Schulen nach dem Abschluss",
        "Anzahl",
        "sum",
        ["abschlussart", "geschlecht"],
        "Regionalstatistik 21111-02-06-4.",
    ),
]

E, D = "E", "D"
BA = "Statistik der BA; BIBB-Erhebung zum 30.09."

INDICATORS = [
    # Berufliche Bildung: BIBB § 86 BBiG
    dict(
        code="angebot",
        name="Ausbildungsplatzangebot",
        short_name="Angebot",
        theme=E,
        numerator='wert("bibb.naa") + wert("ba.stellen.unbesetzt")',
        unit="Plätze",
        decimals=0,
        direction="up",
        order=10,
        source_note="bibb.de/de/4377.php",
        explanation="Neu abgeschlossene Ausbildungsverträge plus am 30.09. unbesetzte gemeldete Stellen.",
    ),
    dict(
        code="angebot-betrieblich",
        name="Betriebliches Ausbildungsplatzangebot",
        short_name="betr. Angebot",
        theme=E,
        numerator='wert("bibb.naa") - wert("bibb.naa", stellenart="ausserbetrieblich") + wert("ba.stellen.unbesetzt")',
        unit="Plätze",
        decimals=0,
        direction="up",
        order=11,
        source_note="bibb.de/de/178253.php",
        explanation="NAA ohne außerbetriebliche NAA plus unbesetzte Stellen.",
    ),
    dict(
        code="nachfrage-klassisch",
        name="Ausbildungsplatznachfrage (klassisch)",
        short_name="Nachfrage kl.",
        theme=E,
        numerator='wert("bibb.naa") + wert("ba.bewerber", ba_status="unversorgt")',
        unit="Personen",
        decimals=0,
        order=12,
        source_note="bibb.de/de/5241.htm",
        explanation="NAA plus unversorgte Bewerber*innen am 30.09.",
    ),
    dict(
        code="nachfrage-erweitert",
        name="Ausbildungsplatznachfrage (erweitert)",
        short_name="Nachfrage erw.",
        theme=E,
        numerator='wert("bibb.naa") + wert("ba.bewerber", ba_status=["unversorgt", "mit-alternative"])',
        unit="Personen",
        decimals=0,
        order=13,
        source_note="bibb.de/de/5241.htm",
        explanation="NAA plus unversorgte Bewerber*innen plus Bewerber*innen mit Alternative zum 30.09.",
    ),
    dict(
        code="anr",
        name="Angebots-Nachfrage-Relation (ANR, klassisch)",
        short_name="ANR",
        theme=E,
        numerator='indikator("angebot")',
        denominator='indikator("nachfrage-klassisch")',
        factor=100,
        unit="Angebote je 100 Nachfragende",
        decimals=1,
        direction="up",
        order=14,
        source_note="bibb.de/de/4377.php",
        explanation="Angebot je 100 Nachfragende (klassische Nachfrage). Immer zusammen mit der eANR lesen.",
        approximation_note="BIBB veröffentlicht die ANR nur für Agenturbezirke und Länder; auf Kreisebene "
        "ist sie eine eigene Näherung.",
    ),
    dict(
        code="eanr",
        name="Erweiterte Angebots-Nachfrage-Relation (eANR)",
        short_name="eANR",
        theme=E,
        numerator='indikator("angebot")',
        denominator='indikator("nachfrage-erweitert")',
        factor=100,
        unit="Angebote je 100 Nachfragende",
        decimals=1,
        direction="up",
        order=15,
        source_note="bibb.de/de/4377.php",
        explanation="Angebot je 100 Nachfragende (erweiterte Nachfrage). Immer zusammen mit der ANR lesen.",
        approximation_note="BIBB veröffentlicht die eANR nur für Agenturbezirke und Länder; auf Kreisebene "
        "ist sie eine eigene Näherung.",
    ),
    dict(
        code="auba",
        name="Anteil unbesetzter betrieblicher Ausbildungsstellen (AubA)",
        short_name="Besetzungsprobleme",
        theme=E,
        numerator='wert("ba.stellen.unbesetzt")',
        denominator='indikator("angebot-betrieblich")',
        factor=100,
        unit="%",
        decimals=1,
        direction="down",
        order=16,
        source_note="bibb.de/de/178253.php",
        explanation="Unbesetzte Stellen je 100 Plätze des betrieblichen Angebots (Besetzungsprobleme).",
    ),
    dict(
        code="versorgungsprobleme",
        name="Versorgungsprobleme (Anteil noch suchender Bewerber*innen)",
        short_name="Versorgungsprobleme",
        theme=E,
        numerator='wert("ba.bewerber", ba_status=["unversorgt", "mit-alternative"])',
        denominator='indikator("nachfrage-erweitert")',
        factor=100,
        unit="%",
        decimals=1,
        direction="down",
        order=17,
        source_note="bibb.de/datenreport/de/2022/161707.php (Nenner abgeleitet, nicht zitiert)",
        explanation="Noch suchende Bewerber*innen (unversorgt + mit Alternative) je 100 Nachfragende (erweitert).",
    ),
    dict(
        code="index-passungsprobleme",
        name="Index der Passungsprobleme",
        short_name="Passungsprobleme",
        theme=E,
        numerator='indikator("auba") * indikator("versorgungsprobleme")',
        unit="Index (0–10.000)",
        decimals=0,
        direction="down",
        order=18,
        source_note="bibb.de/de/178265.php",
        explanation="AubA (%) × Versorgungsprobleme (%); 0, wenn nur eine Art von Problem vorliegt.",
    ),
    dict(
        code="ungenutztes-vertragspotenzial",
        name="Ungenutztes Vertragspotenzial",
        short_name="ungenutztes Potenzial",
        theme=E,
        numerator='min(wert("ba.stellen.unbesetzt"), wert("ba.bewerber", ba_status=["unversorgt", "mit-alternative"]))',
        unit="Verträge",
        decimals=0,
        direction="down",
        order=19,
        source_note="bibb.de/datenreport/de/2022/161707.php (aus dem Beispiel 2021 abgeleitet)",
        explanation="Kleinere der beiden Zahlen: unbesetzte Stellen und noch suchende Bewerber*innen.",
    ),
    # The municipal ratios of seed 000 (Kassel, OloV-Forum 2019)
    dict(
        code="stellen-je-bewerber",
        name="Berufsausbildungsstellen je Bewerber*in",
        short_name="Stellen je Bewerber",
        theme=E,
        numerator='wert("ba.stellen", stellenart="betrieblich")',
        denominator='wert("ba.bewerber")',
        unit="Stellen je Bewerber*in",
        decimals=2,
        direction="up",
        order=20,
        source_note="Stadt Kassel, OloV-Forum 2019 (nur betriebliche Stellen)",
        explanation="Gemeldete betriebliche Berufsausbildungsstellen je gemeldete Bewerber*in.",
    ),
    dict(
        code="unbesetzte-je-unversorgte",
        name="Unbesetzte Stellen je unversorgter Bewerber*in",
        short_name="unbesetzt je unversorgt",
        theme=E,
        numerator='wert("ba.stellen.unbesetzt")',
        denominator='wert("ba.bewerber", ba_status="unversorgt")',
        unit="Stellen je Bewerber*in",
        decimals=2,
        order=21,
        source_note="Stadt Kassel, OloV-Forum 2019",
        explanation="Über 1: mehr offene Stellen als unversorgte Bewerber*innen (Besetzungsprobleme).",
    ),
    # Allgemeinbildende Schulen
    dict(
        code="quote-ohne-hsa",
        name="Quote der Abgänger*innen ohne Hauptschulabschluss",
        short_name="ohne HSA",
        theme=D,
        numerator=f'wert("{LEAVERS}", abschlussart="ohne-hauptschulabschluss")',
        denominator=f'wert("{LEAVERS}")',
        factor=100,
        unit="%",
        decimals=1,
        direction="down",
        order=10,
        source_note="Regionalstatistik 21111-02-06-4",
        explanation="Abgänger*innen ohne Hauptschulabschluss je 100 Absolvierende/Abgehende allgemeinbildender "
        "Schulen.",
    ),
]
for _order, (_cat, _label) in enumerate(
    [
        ("mit-hauptschulabschluss", "mit Hauptschulabschluss"),
        ("mit-mittlerem-abschluss", "mit Mittlerem Abschluss"),
        ("mit-fachhochschulreife", "mit Fachhochschulreife"),
        ("mit-allgemeiner-hochschulreife", "mit allgemeiner Hochschulreife"),
        ("dar-schulischer-teil-der-fachhochschulreife", "dar. schulischer Teil der Fachhochschulreife"),
    ],
    start=11,
):
    INDICATORS.append(
        dict(
            code=f"anteil-{_cat}"[:80],
            name=f"Anteil Absolvierende/Abgehende {_label}",
            short_name=_label,
            theme=D,
            indicator_type="ueberblick",
            numerator=f'wert("{LEAVERS}", abschlussart="{_cat}")',
            denominator=f'wert("{LEAVERS}")',
            factor=100,
            unit="%",
            decimals=1,
            order=_order,
            source_note="Regionalstatistik 21111-02-06-4",
            explanation="Verteilung der Abschlussarten; die fünf Arten ohne „darunter“ ergeben zusammen 100 %."
            + (" Der schulische Teil der FHR ist ein „darunter“, nicht additiv." if _cat.startswith("dar") else ""),
        )
    )
for _order, (_cat, _label) in enumerate(
    [
        ("berufsabschluss", "Übergänge in Berufsausbildung (Sektor I)"),
        ("uebergangsbereich", "Übergänge in den Übergangsbereich (Sektor II)"),
        ("hochschulreife", "Übergänge in Hochschulreife (Sektor III)"),
        ("unbekannt", "unbekannte Übergänge"),
    ],
    start=30,
):
    INDICATORS.append(
        dict(
            code=f"iabe-{_cat}",
            name=f"iABE: {_label}",
            short_name=_label,
            theme=E,
            indicator_type="ueberblick",
            numerator=f'wert("iabe.anteil", iabe_sektor="{_cat}")',
            unit="%",
            decimals=1,
            order=_order,
            direction="down" if _cat in ("uebergangsbereich", "unbekannt") else "neutral",
            source_note="Integrierte Ausbildungsberichterstattung (iABE), Hessen",
            explanation=(
                "„Unbekannte Übergänge“ sind ein statistischer Rest (z. B. FSJ, Umzug, Gesundheitsschulen) "
                "und nicht dasselbe wie „ohne Anschluss“."
                if _cat == "unbekannt"
                else "Anteil an allen Übergängen der Schulabgänger*innen (veröffentlichter Anteil)."
            ),
        )
    )
INDICATORS += [
    dict(
        code="jugendarbeitslosenquote",
        name="Jugendarbeitslosenquote (unter 25 Jahre)",
        short_name="Jugendarbeitslosigkeit",
        theme="A",
        numerator='wert("ba.alq", altersgruppe="u25")',
        unit="%",
        decimals=1,
        direction="down",
        order=10,
        source_note="Statistik der BA",
        explanation="Arbeitslose unter 25 Jahren je 100 zivile Erwerbspersonen der Altersgruppe (veröffentlicht).",
    ),
    dict(
        code="sgb2-hilfequote-u25",
        name="SGB-II-Hilfequote unter 25 Jahre",
        short_name="Hilfequote u25",
        theme="A",
        numerator='wert("sgb2.hilfequote", altersgruppe="u25")',
        unit="%",
        decimals=1,
        direction="down",
        order=11,
        source_note="Statistik der BA",
        explanation="Erwerbsfähige Leistungsberechtigte unter 25 je 100 Einwohner*innen der Altersgruppe.",
    ),
    dict(
        code="sgb2-elb-u25",
        name="Erwerbsfähige Leistungsberechtigte SGB II unter 25",
        short_name="eLb u25",
        theme="A",
        indicator_type="ueberblick",
        numerator='wert("sgb2.elb", altersgruppe="u25")',
        unit="Personen",
        decimals=0,
        direction="down",
        order=12,
        source_note="Statistik der BA",
    ),
]

RULES = [
    (
        "ba-status-summe",
        "BA-Statusgruppen ergeben alle Bewerber*innen",
        'wert("ba.bewerber", ba_status=["einmuendend", "andere-ehemalige", "mit-alternative", "unversorgt"])',
        'wert("ba.bewerber")',
    ),
    (
        "ba-versorgt-summe",
        "Versorgte und unversorgte Bewerber*innen ergeben alle Bewerber*innen",
        'wert("ba.bewerber", ba_status=["versorgt", "unversorgt"])',
        'wert("ba.bewerber")',
    ),
    (
        "abschlussarten-summe",
        "Die fünf Abschlussarten ergeben alle Absolvierenden/Abgehenden",
        f'wert("{LEAVERS}", abschlussart=["ohne-hauptschulabschluss", "mit-hauptschulabschluss", '
        f'"mit-mittlerem-abschluss", "mit-fachhochschulreife", "mit-allgemeiner-hochschulreife"])',
        f'wert("{LEAVERS}")',
    ),
]


def catalogue_load() -> int:
    """Create or update the built-in statistics, indicators and rules (idempotent). Returns #indicators."""
    breakdowns = {
        code: breakdown_ensure(code=code, name=name, categories=cats) for code, (name, cats) in BREAKDOWNS.items()
    }
    for code, name, unit, aggregation, bds, description in STATISTICS:
        statistic_ensure(
            code=code,
            name=name,
            unit=unit,
            aggregation=aggregation,
            breakdowns=[breakdowns[b] for b in bds],
            description=description,
        )
    for spec in INDICATORS:
        indicator_ensure(**spec)
    for code, name, left, right in RULES:
        ValidationRule.objects.update_or_create(code=code, defaults={"name": name, "left": left, "right": right})
    area_catalogue_load()
    return len(INDICATORS)


# --------------------------------------------------------------------------- all areas of the Leitfaden
#
# Indicators for every area of the Anwendungsleitfaden, with the official tables that feed them.
# The Leitfaden's own indicator numbering was not found, so the codes below are our own stable
# codes (``official_code`` stays empty). A table code is "checked" when this project has it as a
# real file (bildungskette/data/genesis, tests/monitoring/fixtures/genesis) or when a public source
# naming the code and its content was found (``TABLE_EVIDENCE``, searched 2026-11-30); the others
# stay marked "nicht geprüft" on the catalogue page.

TABLES = {
    # code: (title, publisher, checked)
    "12411-01-01-4": ("Bevölkerungsstand: Bevölkerung nach Geschlecht, Stichtag 31.12.", "Regionalstatistik", True),
    "12411-02-03-4": ("Bevölkerung nach Geschlecht und Altersgruppen (17), Stichtag 31.12.", "Regionalstatistik",
                      True),
    "12411-03-03-4": ("Bevölkerung nach Geschlecht, Nationalität und Altersgruppen, Stichtag 31.12.",
                      "Regionalstatistik", True),
    # 22541-01-01-4 is the old four-yearly survey of facilities (Einrichtungen, genehmigte Plätze, tätige
    # Personen; last Stichtag 31.12.2002), not children by age: no indicator uses it any more.
    "22541-01-01-4": ("Kindertageseinrichtungen, genehmigte Plätze, tätige Personen (bis Stichtag 31.12.2002)",
                      "Regionalstatistik", True),
    "22543-03-01-4": ("Betreute Kinder unter 3 Jahren und Betreuungsquoten nach Art der Kindertagesbetreuung, "
                      "Stichtag 01.03.", "Regionalstatistik", True),
    "22543-01-01-4": ("Kinder in Kindertagesbetreuung, Betreuungsquote 3 bis unter 6 Jahre", "Regionalstatistik",
                      False),
    "21111-01-03-4": ("Schulen, Schüler*innen nach Schularten (Kreise)", "Regionalstatistik", True),
    "21111-02-06-4": ("Absolvierende/Abgehende allgemeinbildender Schulen nach Abschluss", "Regionalstatistik",
                      True),
    "21121-01-05-4": ("Schüler*innen an beruflichen Schulen (Kreise)", "Regionalstatistik", True),
    "21121-02-02-4": ("Absolvierende/Abgehende beruflicher Schulen", "Regionalstatistik", True),
    "21311-01-01-4": ("Studierende nach Hochschulstandort, Geschlecht, Nationalität (Wintersemester)",
                      "Regionalstatistik", True),
    "KMK-GANZTAG": ("KMK: Allgemeinbildende Schulen in Ganztagsform (Länderstatistik, keine GENESIS-Tabelle)",
                    "KMK", False),
    "BA-SGB2": ("Statistik der BA: Grundsicherung für Arbeitsuchende (SGB II), Kreise", "Statistik der BA", False),
    "DIE-VHS": ("DIE: Volkshochschul-Statistik (keine GENESIS-Tabelle)", "DIE", False),
    "DBS": ("Deutsche Bibliotheksstatistik (keine GENESIS-Tabelle)", "hbz", False),
    "BILDUNGSKETTE-NETZWERK": ("Netzwerk-Modul dieser Installation (Gremien, Mitglieder, Sitzungen)",
                               "Bildungskette", False),
}

# Where a code without a real file here was confirmed (public sources found with the search tool).
TABLE_EVIDENCE = {
    "12411-01-01-4": "Originaldatei in bildungskette/data/genesis (Regionalstatistik-Download).",
    "21111-01-03-4": "Originaldatei in bildungskette/data/genesis.",
    "21111-02-06-4": "Originaldatei in bildungskette/data/genesis.",
    "21121-02-02-4": "Originaldatei in bildungskette/data/genesis.",
    "12411-02-03-4": "Regionalstatistik-Abruf operation=table&code=12411-02-03-4 und Titel „Bevölkerung nach "
                     "Geschlecht und Altersgruppen (17)“ in mehreren öffentlichen Repositorien (u. a. "
                     "Bildungsmonitoring-Auswertungen mit Regionalstatistik-Downloads, DL-DE 2.0).",
    "12411-03-03-4": "Öffentliche ETL-Skripte zur Regionaldatenbank: „Population by gender, nationality, and age "
                     "groups (Reference date: Dec 31)“, Tabelle 12411-03-03-4, Kreise und kreisfreie Städte.",
    "22541-01-01-4": "Öffentliche Quellinventare eines Regionalstatistik-Projekts: Einrichtungen, genehmigte Plätze "
                     "und tätige Personen der Kindertagesbetreuung, Berichtsjahr 2002 – also keine Kinderzahlen.",
    "22543-03-01-4": "„Betreute Kinder unter 3 Jahren und Betreuungsquoten nach Art der Kindertagesbetreuung“ "
                     "(Spiegel auf opendata.hessen.de) und Abruf 22543-03-01-4-B (Merkmal KIND36 Betreuungsquote, "
                     "Stichtag 01.03.) in öffentlichen Auswertungen.",
    "21121-01-05-4": "Regionalstatistik-Abruf 21121-01-05-4-B als „vocational enrollment“ (Schüler*innen an "
                     "beruflichen Schulen) in einem öffentlichen Projekt; der amtliche Titel wurde nicht gefunden.",
    "21311-01-01-4": "Beispiel der Bibliothek pystatis (Regionalstatistik-Tabelle 21311-01-01-4) und öffentliche "
                     "Auswertungen „Statistik der Studierenden … nach Geschlecht und Nationalität, Wintersemester“.",
}

AREA_STATISTICS = [
    ("kita.betreuungsquote", "Betreuungsquote Kindertagesbetreuung", "%", "none", ["kita-alter"],
     "Kinder in Tageseinrichtungen/Tagespflege je 100 Kinder der Altersgruppe (u3: 22543-03-01-4; "
     "3 bis unter 6: Tabellencode nicht belegt)."),
    ("schule.ganztag.anteil", "Schüler*innen im Ganztagsbetrieb", "%", "none", [],
     "KMK-Ganztagsschulstatistik; auf Kreisebene nur aus Landesdaten."),
    ("schule.foerderbedarf", "Schüler*innen mit sonderpädagogischem Förderbedarf", "Anzahl", "sum", ["foerderort"],
     "Länderdaten (Schulstatistik der Länder); Förderschulen vs. inklusive Beschulung."),
    ("schule.schueler-klasse-1-10", "Schüler*innen der Klassen 1–10 (Vollzeitschulpflicht)", "Anzahl", "sum", [],
     "Bezugsgröße der Förderquote."),
    ("schule.uebergang-sek1", "Übergänge von der Grundschule in Schularten der Sek I", "Anzahl", "sum",
     ["schulart-sek1"], "Länderdaten (Schulstatistik); Kreisebene aus der Schulstatistik des Landes."),
    ("berufsschule.schueler", "Schüler*innen an beruflichen Schulen", "Anzahl", "sum", ["iabe-sektor"],
     "21121-01-05-4, den iABE-Sektoren zugeordnet."),
    ("hochschule.studierende", "Studierende am Hochschulstandort", "Anzahl", "sum", [], "21311-01-01-4."),
    ("vhs.unterrichtsstunden", "VHS-Unterrichtsstunden", "Stunden", "sum", [], "DIE Volkshochschul-Statistik."),
    ("bibliothek.entleihungen", "Entleihungen öffentlicher Bibliotheken", "Anzahl", "sum", [],
     "Deutsche Bibliotheksstatistik."),
    ("bevoelkerung.altersgruppe", "Bevölkerung nach Altersgruppen", "Anzahl", "sum", ["altersgruppe"],
     "12411-02-03-4."),
    ("bevoelkerung.gesamt", "Bevölkerung insgesamt", "Anzahl", "sum", [], "12411-01-01-4."),
    ("bevoelkerung.auslaendisch", "Ausländische Bevölkerung", "Anzahl", "sum", [], "12411-03-03-4."),
    ("netzwerk.gremien", "Aktive Bildungsgremien", "Anzahl", "sum", [], "Netzwerk-Modul der Installation."),
]

AREA_BREAKDOWNS = {
    "kita-alter": ("Altersgruppe (Kita)", [("u3", "unter 3 Jahre"), ("3-6", "3 bis unter 6 Jahre")]),
    "foerderort": ("Förderort", [("foerderschule", "Förderschule"), ("inklusiv", "allgemeine Schule (inklusiv)")]),
    "schulart-sek1": (
        "Schulart Sek I",
        [("gymnasium", "Gymnasium"), ("realschule", "Realschule"), ("hauptschule", "Hauptschule"),
         ("gesamtschule", "Gesamtschule"), ("foerderschule", "Förderschule")],
    ),
}

# indicator code -> feeding tables (also for the indicators defined above)
INDICATOR_TABLES = {
    "quote-ohne-hsa": ["21111-02-06-4"],
    "anteil-mit-hauptschulabschluss": ["21111-02-06-4"],
    "anteil-mit-mittlerem-abschluss": ["21111-02-06-4"],
    "anteil-mit-fachhochschulreife": ["21111-02-06-4"],
    "anteil-mit-allgemeiner-hochschulreife": ["21111-02-06-4"],
    "sgb2-hilfequote-u25": ["BA-SGB2"],
    "sgb2-elb-u25": ["BA-SGB2"],
}

AREA_INDICATORS = [
    dict(code="bevoelkerung-gesamt", name="Bevölkerung insgesamt", theme="A", indicator_type="ueberblick",
         numerator='wert("bevoelkerung.gesamt")', unit="Personen", decimals=0, order=1,
         tables=["12411-01-01-4"]),
    dict(code="anteil-auslaendisch", name="Anteil ausländischer Bevölkerung", theme="A", indicator_type="kern",
         numerator='wert("bevoelkerung.auslaendisch")', denominator='wert("bevoelkerung.gesamt")', factor=100,
         unit="%", decimals=1, order=2, tables=["12411-03-03-4", "12411-01-01-4"]),
    dict(code="anteil-unter-25", name="Anteil der Bevölkerung unter 25 Jahren", theme="A", indicator_type="ergaenzung",
         numerator='wert("bevoelkerung.altersgruppe", altersgruppe="u25")', denominator='wert("bevoelkerung.gesamt")',
         factor=100, unit="%", decimals=1, order=3, tables=["12411-02-03-4", "12411-01-01-4"]),
    dict(code="schueler-je-schulart", name="Schüler*innen an allgemeinbildenden Schulen (Überblick nach Schularten)",
         theme="B", indicator_type="ueberblick", numerator='wert("schule.schueler-klasse-1-10")', unit="Personen",
         decimals=0, order=1, tables=["21111-01-03-4"]),
    dict(code="kita-betreuungsquote-u3", name="Betreuungsquote unter 3 Jahre", theme="C", indicator_type="kern",
         numerator='wert("kita.betreuungsquote", kita_alter="u3")', unit="%", decimals=1, order=1,
         tables=["22543-03-01-4"]),
    dict(code="kita-betreuungsquote-3-6", name="Betreuungsquote 3 bis unter 6 Jahre", theme="C",
         indicator_type="kern", numerator='wert("kita.betreuungsquote", kita_alter="3-6")', unit="%", decimals=1,
         order=2, tables=["22543-01-01-4"]),
    dict(code="ganztag-anteil", name="Anteil der Schüler*innen im Ganztagsbetrieb", theme="D",
         indicator_type="ueberblick", numerator='wert("schule.ganztag.anteil")', unit="%", decimals=1, order=20,
         tables=["KMK-GANZTAG"]),
    dict(code="foerderquote", name="Förderquote", theme="D", indicator_type="kern",
         numerator='wert("schule.foerderbedarf")', denominator='wert("schule.schueler-klasse-1-10")', factor=100,
         unit="%", decimals=1, order=21, tables=["21111-01-03-4"],
         explanation="Schüler*innen mit sonderpädagogischem Förderbedarf je 100 Schüler*innen der Klassen 1–10."),
    dict(code="inklusionsanteil", name="Inklusionsanteil", theme="D", indicator_type="kern",
         numerator='wert("schule.foerderbedarf", foerderort="inklusiv")', denominator='wert("schule.foerderbedarf")',
         factor=100, unit="%", decimals=1, order=22, tables=["21111-01-03-4"],
         explanation="Anteil der Schüler*innen mit Förderbedarf, die eine allgemeine Schule besuchen."),
    dict(code="uebergang-gymnasium", name="Übergangsquote auf das Gymnasium (Sek I)", theme="D",
         indicator_type="ueberblick", numerator='wert("schule.uebergang-sek1", schulart_sek1="gymnasium")',
         denominator='wert("schule.uebergang-sek1")', factor=100, unit="%", decimals=1, order=23,
         tables=["21111-01-03-4"]),
    dict(code="berufsschule-anteil-uebergangsbereich", name="Anteil der Schüler*innen beruflicher Schulen im "
         "Übergangsbereich", theme="E", indicator_type="kern",
         numerator='wert("berufsschule.schueler", iabe_sektor="uebergangsbereich")',
         denominator='wert("berufsschule.schueler")', factor=100, unit="%", decimals=1, order=40,
         tables=["21121-01-05-4", "21121-02-02-4"]),
    dict(code="studierende", name="Studierende am Hochschulstandort", theme="F", indicator_type="kern",
         numerator='wert("hochschule.studierende")', unit="Personen", decimals=0, order=1, tables=["21311-01-01-4"]),
    dict(code="studierende-je-1000", name="Studierende je 1.000 Einwohner*innen", theme="F",
         indicator_type="ueberblick", numerator='wert("hochschule.studierende")',
         denominator='wert("bevoelkerung.gesamt")', factor=1000, unit="je 1.000", decimals=1, order=2,
         tables=["21311-01-01-4", "12411-01-01-4"]),
    dict(code="vhs-stunden-je-1000", name="VHS-Unterrichtsstunden je 1.000 Einwohner*innen", theme="G",
         indicator_type="kern", numerator='wert("vhs.unterrichtsstunden")', denominator='wert("bevoelkerung.gesamt")',
         factor=1000, unit="je 1.000", decimals=1, order=1, tables=["DIE-VHS", "12411-01-01-4"]),
    dict(code="bibliothek-entleihungen-je-ew", name="Entleihungen öffentlicher Bibliotheken je Einwohner*in",
         theme="H", indicator_type="ergaenzung", numerator='wert("bibliothek.entleihungen")',
         denominator='wert("bevoelkerung.gesamt")', unit="je Einw.", decimals=2, order=1,
         tables=["DBS", "12411-01-01-4"]),
    dict(code="netzwerk-gremien", name="Aktive Bildungsgremien", theme="I", indicator_type="ueberblick",
         numerator='wert("netzwerk.gremien")', unit="Gremien", decimals=0, order=1,
         tables=["BILDUNGSKETTE-NETZWERK"]),
]


def area_catalogue_load() -> int:
    """The indicators of every Leitfaden area (idempotent); returns how many."""
    breakdowns = {
        code: breakdown_ensure(code=code, name=name, categories=cats) for code, (name, cats) in AREA_BREAKDOWNS.items()
    }
    from .models import Breakdown

    for code, name, unit, aggregation, bds, description in AREA_STATISTICS:
        statistic_ensure(
            code=code, name=name, unit=unit, aggregation=aggregation, description=description,
            breakdowns=[breakdowns.get(b) or Breakdown.objects.get(code=b) for b in bds],
        )
    for spec in AREA_INDICATORS:
        fields = {k: v for k, v in spec.items() if k != "tables"}
        fields.setdefault("source_note", "eigene Kennung (Leitfaden-Nummer nicht gefunden)")
        indicator_ensure(**fields)
    return len(AREA_INDICATORS)


def indicator_tables(code: str) -> list[str]:
    for spec in AREA_INDICATORS:
        if spec["code"] == code:
            return list(spec["tables"])
    if code.startswith("iabe-"):
        return ["iABE"]
    return INDICATOR_TABLES.get(code, ["BA"] if code in _BA_CODES else [])


_BA_CODES = {"angebot", "angebot-betrieblich", "nachfrage-klassisch", "nachfrage-erweitert", "anr", "eanr", "auba",
             "versorgungsprobleme", "index-passungsprobleme", "ungenutztes-vertragspotenzial", "stellen-je-bewerber",
             "unbesetzte-je-unversorgte", "jugendarbeitslosenquote"}
TABLES["BA"] = ("Statistik der BA: Ausbildungsmarkt / Arbeitsmarkt, Kreise", "Statistik der BA", False)
TABLES["iABE"] = ("Integrierte Ausbildungsberichterstattung (iABE) des Landes", "Statistisches Landesamt", False)
