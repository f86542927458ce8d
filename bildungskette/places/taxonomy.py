"""The initial Lernort taxonomy, installed by a data migration and then managed in the admin.

Kept here (not inside the migration) so the demo, the docs and the tests read the same list.
Only codes are relied on by the code; names, colours and mappings may be changed by the tenant admins.
"""

from __future__ import annotations

# code, name, parent code, schema.org type, education stage, age from, age to, colour
CATEGORIES = [
    ("kita", "Kita / Kindertagesstätte", None, "Preschool", "early", 0, 6, "#8a3b8f"),
    ("grundschule", "Grundschule", None, "ElementarySchool", "primary", 6, 10, "#1d6b35"),
    ("weiterfuehrend", "weiterführende Schule", None, "HighSchool", "secondary_1", 10, 19, "#0b4f6c"),
    ("hauptschule", "Hauptschule", "weiterfuehrend", "MiddleSchool", "secondary_1", 10, 16, "#0b4f6c"),
    ("realschule", "Realschule", "weiterfuehrend", "MiddleSchool", "secondary_1", 10, 16, "#0b4f6c"),
    ("gymnasium", "Gymnasium", "weiterfuehrend", "HighSchool", "secondary_2", 10, 19, "#0b4f6c"),
    ("gesamtschule", "Gesamtschule / Integrierte Gesamtschule", "weiterfuehrend", "HighSchool", "secondary_1",
     10, 19, "#0b4f6c"),
    ("sekundarschule", "Sekundarschule / Mittelstufenschule", "weiterfuehrend", "MiddleSchool", "secondary_1",
     10, 16, "#0b4f6c"),
    ("waldorf", "Freie Waldorfschule", "weiterfuehrend", "School", "secondary_1", 6, 19, "#0b4f6c"),
    ("foerderschule", "Förderschule", None, "School", "primary", 6, 21, "#6b4c00"),
    ("beruflich", "berufliche Schule / Berufskolleg", None, "HighSchool", "vocational", 16, 25, "#b8420f"),
    ("zweiter-bildungsweg", "Schule für Erwachsene / Weiterbildungskolleg", None, "School", "adult", 17, None,
     "#5a4a8a"),
    ("hochschule", "Hochschule", None, "CollegeOrUniversity", "higher", 18, None, "#5a4a8a"),
    ("weiterbildung", "Volkshochschule / Weiterbildung", None, "EducationalOrganization", "adult", 16, None,
     "#5a4a8a"),
    ("bibliothek", "Bibliothek", None, "Library", "nonformal", None, None, "#1f5f5b"),
    ("musikschule", "Musikschule", None, "EducationalOrganization", "nonformal", 4, None, "#1f5f5b"),
    ("museum", "Museum", None, "Museum", "nonformal", None, None, "#1f5f5b"),
    ("jugend", "Jugendzentrum / Jugendhilfe", None, "EducationalOrganization", "nonformal", 10, 27, "#1f5f5b"),
    ("beratung", "Beratungsstelle", None, "GovernmentOffice", "transition", 14, None, "#7a2e4a"),
    ("jugendberufsagentur", "Jugendberufsagentur", "beratung", "GovernmentOffice", "transition", 15, 25,
     "#7a2e4a"),
    ("berufsberatung", "Berufsberatung", "beratung", "GovernmentOffice", "transition", 14, 27, "#7a2e4a"),
    ("bildungsberatung", "Bildungsberatung", "beratung", "EducationalOrganization", "adult", 16, None, "#7a2e4a"),
    ("ausbildungsbetrieb", "Ausbildungsbetrieb", None, "LocalBusiness", "vocational", 15, None, "#4d5663"),
    # Housing with pedagogical support for trainees from elsewhere (seed 002: Azubikampus Fulda).
    ("azubiwohnen", "Wohnen und Begleitung für Auszubildende (z. B. Azubikampus)", None, "LodgingBusiness",
     "vocational", 15, 27, "#8a5a00"),
    ("ausserschulisch", "außerschulischer Lernort", None, "EducationalOrganization", "nonformal", None, None,
     "#1f5f5b"),
    ("schule-sonstige", "Schule (sonstige)", None, "School", "", 6, 19, "#4d5663"),
]

# Schulform strings of the official lists (NRW 2024/25, Hessen 2016) → category code.
SCHOOL_FORMS = {
    # NRW
    "Grundschule": "grundschule",
    "Volksschule": "grundschule",
    "Hauptschule": "hauptschule",
    "Realschule": "realschule",
    "Gymnasium": "gymnasium",
    "Gesamtschule": "gesamtschule",
    "Sekundarschule": "sekundarschule",
    "PRIMUS-Schule": "weiterfuehrend",
    "Freie Waldorfschule": "waldorf",
    "Förderschule Grund-/Hauptschule": "foerderschule",
    "Förderschule Realschule/Gymnasium": "foerderschule",
    "Förderschule Berufskolleg": "foerderschule",
    "Berufskolleg": "beruflich",
    "Weiterbildungskolleg": "zweiter-bildungsweg",
    # Hessen (JedeSchule 2016)
    "Grundschulen": "grundschule",
    "Gymnasien": "gymnasium",
    "Förderschulen": "foerderschule",
    "Integrierte Jahrgangs-stufe": "gesamtschule",
    "Förderstufe": "weiterfuehrend",
    "Schulen für Erwachsene": "zweiter-bildungsweg",
    "Mittelstufen-schule": "sekundarschule",
    "Berufliche Schule": "beruflich",
    "Berufliche Schulen": "beruflich",
}
FALLBACK_CATEGORY = "schule-sonstige"

TARGET_GROUPS = [
    ("kinder", "Kinder", 10),
    ("jugendliche", "Jugendliche", 20),
    ("junge-erwachsene", "junge Erwachsene", 30),
    ("erwachsene", "Erwachsene", 40),
    ("eltern", "Eltern und Familien", 50),
    ("senioren", "Seniorinnen und Senioren", 60),
    ("neuzugewanderte", "Neuzugewanderte", 70),
    ("inklusion", "Menschen mit Behinderung", 80),
    ("schulklassen", "Schulklassen und Kitagruppen", 90),
    ("fachkraefte", "Lehr- und Fachkräfte", 100),
    ("betriebe", "Betriebe", 110),
]

# code, name, BNE / climate-relevant (seed 003: BNE-Modellkommune Kassel, klimarelevante Berufe)
TOPICS = [
    ("berufsorientierung", "Berufsorientierung", False),
    ("bne", "Bildung für nachhaltige Entwicklung (BNE)", True),
    ("klimaberufe", "Klimarelevante Berufe (Elektro, SHK, erneuerbare Energien)", True),
    ("mint", "MINT", False),
    ("sprache", "Sprache und Lesen", False),
    ("kultur", "Kunst, Musik und Kultur", False),
    ("demokratie", "Demokratie und Beteiligung", False),
    ("digital", "Digitale Bildung", False),
    ("gesundheit", "Gesundheit und Bewegung", False),
    ("natur", "Natur und Umwelt", True),
]


def taxonomy_install(apps) -> None:
    """Create what is missing; never overwrite what administrators changed. ``apps`` = app registry."""
    category_model = apps.get_model("places", "Category")
    by_code = {c.code: c for c in category_model.objects.all()}
    for order, (code, name, parent, schema_type, stage, age_min, age_max, colour) in enumerate(CATEGORIES):
        if code in by_code:
            continue
        by_code[code] = category_model.objects.create(
            code=code, name=name, parent=by_code.get(parent), schema_type=schema_type, education_stage=stage,
            age_min=age_min, age_max=age_max, colour=colour, order=(order + 1) * 10,
        )
    mapping_model = apps.get_model("places", "SchoolFormMapping")
    known = set(mapping_model.objects.values_list("label", flat=True))
    mapping_model.objects.bulk_create(
        [mapping_model(label=label, category=by_code[code]) for label, code in SCHOOL_FORMS.items()
         if label not in known]
    )
    group_model = apps.get_model("places", "TargetGroup")
    for code, name, order in TARGET_GROUPS:
        group_model.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    topic_model = apps.get_model("places", "Topic")
    for code, name, is_bne in TOPICS:
        topic_model.objects.get_or_create(code=code, defaults={"name": name, "is_bne": is_bne})
