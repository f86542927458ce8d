"""make mutation: mutmut over the code that protects people and figures, one module at a time,
each with only its relevant tests; writes the scores and the surviving mutants to docs/testing.md.

Usage: ``python mutation/run.py [module ...]`` (default: all modules below). Each module runs in its
own copy of the project under ``var/mutation/<module>/`` (mutmut 3 mutates a ``mutants/`` copy and
reads its settings from ``[tool.mutmut]`` in pyproject.toml, so each module gets its own). Tests
use a kept SQLite test database (``--reuse-db``) so the official regions are imported once, not
once per mutant. Results are kept per module in ``mutation/results/<module>.json``; the report
in docs/testing.md is rebuilt from all kept results, so modules can be run separately.

Too slow for CI (minutes per module); run it before calling an issue on these modules resolved.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "var" / "mutation"
RESULTS = ROOT / "mutation" / "results"
DOC = ROOT / "docs" / "testing.md"
MARK_BEGIN = "<!-- mutation-results:begin -->"
MARK_END = "<!-- mutation-results:end -->"


@dataclass
class Module:
    name: str
    path: str  # the file to mutate
    functions: list[str]  # function names (or Class.method); fnmatch patterns
    tests: list[str]
    what: str
    pytest_args: tuple[str, ...] = ()  # e.g. ("-k", "not slow") to leave out tests that do not reach the code


T = "tests/transitions/"
M = "tests/monitoring/"
MODULES = [
    Module("disclosure", "bildungskette/transitions/disclosure.py", ["*"],
           [T + "test_disclosure.py", T + "test_disclosure_boundaries.py"],
           "Geheimhaltung: Mindestfallzahl, sekundäre Sperrung, Rundung"),
    Module("formula", "bildungskette/monitoring/formula.py", ["*"],
           [M + "test_formula_mutants.py"], "Formelsprache: Prüfung und Auswertung"),
    Module("indicator-engine", "bildungskette/monitoring/selectors.py",
           ["ValueIndex.*", "_evaluate", "indicators_evaluate", "_group_members", "indicator_compute",
            "indicator_results"],
           [M + "test_formula_mutants.py", M + "test_indicators.py"], "Indikator-Berechnung",
           # Loading the whole demo and the catalogue command take 15 s and check no figure of the engine.
           ("-k", "not demo_is_idempotent and not fresh_installation")),
    Module("values-upsert", "bildungskette/monitoring/services.py", ["values_upsert", "categories_key"],
           [M + "test_import_mutants.py", M + "test_revisions.py"], "Werte speichern (Import, Wiederimport)",
           ("-k", "not 20000 and (mutants or reimport or data_state_did_not)")),
    Module("importer-store", "bildungskette/monitoring/importers/__init__.py", ["dataset_store"],
           [M + "test_import_mutants.py", M + "test_dataset_store.py"], "Import in einer Transaktion",
           ("-k", "not 20000 and not corrected_file")),
    Module("retention-erasure", "bildungskette/transitions/services.py",
           ["months_before", "retention_apply", "student_erase", "_audit_scrub", "_log_targets_for_students",
            "_scrub_targets"],
           [T + "test_retention_boundaries.py"], "Löschfristen und Art.-17-Löschung"),
    Module("transitions-scoping", "bildungskette/transitions/selectors.py",
           ["schools_managed_by", "students_visible_to", "school_get", "student_get", "can_see_aggregates"],
           ["tests/core/test_scoping_roles.py", T + "test_scoping.py"], "Übergänge: wer sieht welche Schüler*innen",
           ("-k", "pupils or superuser or tenant_permissions or selector or cannot")),
    Module("transitions-rules", "bildungskette/transitions/rules.py", ["*"],
           ["tests/core/test_scoping_roles.py"], "Übergänge: Berechtigungen"),
    # The predicate factories (role_predicate, own_role_predicate, tenant_wide_role_predicate,
    # add_person_level_perm) run once, when the module is imported: mutmut switches a mutant on only in
    # the test process after that, so no test could ever see one of theirs. What they build is checked
    # role by role (tests/core/test_app_rules.py); the checks they call are mutated here.
    Module("core-rules", "bildungskette/core/rules.py",
           ["object_tenant", "has_role_in_object_tenant", "has_tenant_wide_role", "acts_for_organisation"],
           ["tests/core/test_scoping_roles.py", "tests/core/test_permissions.py", "tests/core/test_predicates.py"],
           "Gemeinsame Rollenprädikate"),
    Module("oparl-filters", "bildungskette/network/oparl.py", ["_filter_dates"],
           ["tests/network/test_oparl_filters.py"], "OParl: created/modified-Filter"),
    Module("places-filters", "bildungskette/places/selectors.py",
           ["places_public", "offer_list", "entries_due_for_verification", "verification_due_date",
            "provider_organisation_ids"],
           ["tests/places/test_boundaries.py", "tests/places/test_filters.py"],
           "Lernortkarte: Filter, Erinnerungen, Anbieter"),
    # The rules and scoping selectors of every app (who may do / see what). Module-level add_perm lines
    # are no mutmut targets (it mutates function bodies only); tests/core/test_app_rules.py checks them
    # per role against own and foreign objects.
    Module("places-rules", "bildungskette/places/rules.py", ["*"],
           ["tests/core/test_app_rules.py"], "Lernortkarte: Berechtigungen (Anbieter, Koordination)"),
    Module("network-rules", "bildungskette/network/rules.py", ["*"],
           ["tests/network/test_rules.py"], "Netzwerk: Berechtigungen"),
    Module("strategy-rules", "bildungskette/strategy/rules.py", ["*"],
           ["tests/strategy/test_permissions.py"], "Strategie: Berechtigungen"),
    Module("monitoring-rules", "bildungskette/monitoring/rules.py", ["*"],
           ["tests/core/test_app_rules.py"], "Monitoring: Berechtigungen"),
    Module("organisations-rules", "bildungskette/organisations/rules.py", ["*"],
           ["tests/core/test_permissions.py"], "Organisationen: Berechtigungen"),
    Module("reports-rules", "bildungskette/reports/rules.py", ["*"],
           ["tests/core/test_app_rules.py"], "Berichte: Berechtigungen"),
    Module("regions-rules", "bildungskette/regions/rules.py", ["*"],
           ["tests/core/test_app_rules.py"], "Regionen: Berechtigungen"),
    Module("core-scoping", "bildungskette/core/selectors.py",
           ["user_tenants", "user_role_assignments", "user_roles", "user_organisation_ids"],
           ["tests/core/test_app_rules.py"], "Rollen eines Kontos je Mandant"),
    Module("network-scoping", "bildungskette/network/selectors.py",
           ["sees_whole_tenant", "member_body_ids", "bodies_visible_to", "meetings_visible_to",
            "action_items_visible_to", "agreements_visible_to"],
           ["tests/network/test_scoping_selectors.py", "tests/network/test_rules.py"],
           "Netzwerk: wer sieht welche Gremien, Sitzungen, Aufgaben, Vereinbarungen"),
    Module("strategy-scoping", "bildungskette/strategy/selectors.py",
           ["body_ids_of_organisations", "partner_body_ids", "goals_visible_to", "goal_ids_readable",
            "measures_visible_to"],
           ["tests/strategy/test_scoping_selectors.py", "tests/strategy/test_permissions.py"],
           "Strategie: wer sieht welche Ziele und Maßnahmen"),
    Module("monitoring-scoping", "bildungskette/monitoring/selectors.py",
           ["sources_visible_to", "statistics_visible_to", "indicators_visible_to"],
           ["tests/core/test_app_rules.py"], "Monitoring: Quellen, Statistiken, Indikatoren je Mandant"),
    Module("organisations-scoping", "bildungskette/organisations/selectors.py",
           ["organisations_visible_to", "people_visible_to"],
           ["tests/core/test_tenant_isolation.py", "tests/core/test_app_rules.py"],
           "Organisationen und Kontaktpersonen je Mandant"),
    Module("places-scoping", "bildungskette/places/selectors.py",
           ["operator_choices", "offer_place_choices", "_created_by", "provider_entries", "review_queue",
            "review_queue_count"],
           ["tests/core/test_app_rules.py"], "Lernortkarte: Einträge der Anbieter, Prüfliste je Mandant"),
    Module("reports-scoping", "bildungskette/reports/selectors.py", ["reports_of_tenant", "can_edit_reports"],
           ["tests/core/test_app_rules.py"], "Berichte je Mandant"),
    Module("regions-scoping", "bildungskette/regions/selectors.py", ["regions_visible_to", "tenant_regions"],
           ["tests/core/test_app_rules.py"], "Regionen: amtliche und eigene"),
    # Importers: values and flags of official tables, Lernorte, class lists.
    Module("genesis-keys", "bildungskette/monitoring/importers/genesis.py",
           ["time_parse", "_month_of", "_quarter_of", "land_key", "genesis_region_keys", "genesis_regions_resolve",
            "multiple_of", "genesis_rounded_lands"],
           [M + "test_genesis.py", M + "test_genesis_layout.py", M + "test_genesis_keys.py"],
           "GENESIS: Zeiträume, Länder, Regionalschlüssel, gerundete Länder"),
    Module("genesis-labels", "bildungskette/monitoring/importers/genesis.py",
           ["_is_total", "category_kind", "_singular", "title_variables", "_is_unit_row", "_is_time_label_row",
            "_is_time_row", "_is_region_row", "_title_statistic", "_title_period", "_school_year", "_span",
            "_containing_mark", "_leftover_name"],
           [M + "test_genesis_labels.py", M + "test_genesis_layout.py", M + "test_genesis.py"],
           "GENESIS: Wörter einer Tabelle (Summen, Merkmale, Einheiten, Zeit, Teilsummen)"),
    Module("ba-reader", "bildungskette/monitoring/importers/ba.py", ["*"],
           [M + "test_importers_other.py", M + "test_ba_reader.py"], "BA-Ausbildungsmarkt: Spalten, Zahlen, Berufe"),
    Module("ffcsv-reader", "bildungskette/monitoring/importers/ffcsv.py", ["*"],
           [M + "test_importers_other.py", M + "test_ffcsv_reader.py"], "GENESIS-Flatfile (alt und neu, ZIP)"),
    Module("mapping-importer", "bildungskette/monitoring/importers/mapping.py", ["*"],
           [M + "test_importers_other.py", M + "test_mapping_importer.py"], "Eigene Tabellen über eine Zuordnung"),
    Module("value-parse", "bildungskette/monitoring/services.py", ["value_parse", "number_check"],
           [M + "test_value_parse.py"], "Zellwerte und Kennzeichen der amtlichen Statistik"),
    Module("places-importers", "bildungskette/places/importers.py", ["*"],
           ["tests/places/test_importers.py", "tests/places/test_importer_details.py"],
           "Lernorte: Schullisten, CSV, GeoJSON"),
    Module("transitions-importers", "bildungskette/transitions/importers.py",
           ["class_list_parse", "class_list_run", "_kaoa_validate", "kaoa_import", "_split"],
           [T + "test_class_list.py", T + "test_catalogues.py"],
           "Klassenlisten und KAoA: Pseudonymisierung, Zeilenfehler"),
]


# Mutants that cannot change behaviour, with the reason; matched by module and the mutated line
# (mutant numbers change when the file changes, the line does not).
_PK_FIRST = ("values_list(flat=True) ohne Feldnamen liefert das erste Feld des Modells, den Primärschlüssel: "
             "dieselbe Liste wie values_list(\"pk\", flat=True).")
_FIRST_PART = "Gelesen wird nur das erste Stück; wie oft danach noch geteilt wird, ändert es nicht."
_CODEC_CASE = "Python findet Zeichensätze ohne Rücksicht auf Groß- und Kleinschreibung: derselbe Codec."
_VALUE_PRESELECT = ("Nur eine Vorauswahl der gelesenen Werte (Gebiete, Zeiträume, Kategorien); ohne sie liest "
                    "ValueIndex alle Werte der Merkmale, zugeordnet wird über den vollen Schlüssel.")
_POOL = ("Nur das Vorladen des Indikatorenkatalogs; ohne ihn lädt _compile die Indikatoren selbst: dieselben "
         "Indikatoren, mehr Abfragen.")
_GUARD = ("Nur eine Abkürzung: ohne Mandanten oder ohne Anmeldung liefern auch die Zeilen danach nichts (keine "
          "Organisationen, kein Mandant, filter(tenant=None) findet nichts) – der Schutz ist doppelt.")
_RELATED = "Nur das Mitladen verbundener Zeilen (select_related): dieselben Daten, mehr Abfragen."
_GET_MODEL = "apps.get_model findet Modellnamen ohne Rücksicht auf Groß- und Kleinschreibung: dasselbe Modell."
_TITLE = ("Jede Quelle hat einen Titel (source_ensure verlangt ihn, sonst scheitert der Import vorher): der "
          "Ersatzwert wird nie gebraucht.")
_IGNORECASE = "Der Ausdruck wird mit re.IGNORECASE verglichen: Groß- und Kleinschreibung im Muster ändern nichts."
_OWN_CODES = ("Region.code ist eindeutig, und Gebiete eines Mandanten tragen dessen Kürzel im Schlüssel "
              "(olov-kassel:…): ein amtlicher Schlüssel trifft nie ein eigenes Gebiet.")
_PARENT_FOUND = ("Der Ersatzwert wird nie gebraucht: key[:2] (das Land) steht vorher geprüft in parents und ist kürzer "
                 "als jeder fehlende Schlüssel, also findet next() immer einen Eintrag.")
_MEMORY = "Nur wie viel auf einmal im Speicher liegt (ganze Datei, Datensätze behalten): dasselbe Ergebnis."
_FMT = "Der Parameter fmt wird nicht gelesen (das Dataset nennt sein Format selbst): jeder Vorgabewert wirkt gleich."
_FALSY = "Der Wert wird nur als Wahrheitswert gelesen; \"\" und None sind beide falsch."
_INTERN = ("Nur der Schlüssel, unter dem gleiche Texte einmal gespeichert werden; gespeichert wird derselbe Wert. "
           "Ein anderer Schlüssel spart weniger Speicher, ändert aber keinen Datensatz.")
_PADDING = ("Wertspalten haben mindestens zwei „__“, also drei Teile: die angehängten Ersatzteile werden nie "
            "gelesen.")
_TOTAL_ONE = ("Eine Summe von genau 1 über nicht negative Zählungen hat genau eine Zelle 1; die wird primär "
              "gesperrt, und die zweite Sperrung ihrer Zeile bzw. Spalte kann nur die Summe selbst treffen (die "
              "einzige andere Zahl ungleich 0, eine 0 wird nie gewählt). Die Summe ist also auch ohne diese Regel "
              "verborgen.")
_CACHE_KEY = ("Der Name des Zwischenspeichers am Benutzerobjekt wird nur in dieser Funktion gelesen und "
              "geschrieben; jeder andere Schlüssel wirkt gleich.")
_PRESELECT = ("Nur eine Vorauswahl der vorhandenen Werte; zugeordnet wird über den vollen Schlüssel (Merkmal, "
              "Gebiet, Zeitraum, Kategorien), weitere gelesene Zeilen ändern nichts.")
_BATCH = "Nur die Größe der Schreibpakete; geschrieben werden dieselben Zeilen."
_LOOKUP_CACHE = ("Nur der Zwischenspeicher schon gefundener Codes; ohne ihn wird der Code erneut in der Datenbank "
                 "gesucht, mit demselben Ergebnis.")
_FIRST_COLUMN = ("values_list(flat=True) ohne Feldnamen liefert die erste Spalte, den Primärschlüssel – dasselbe wie "
                 "values_list(\"pk\", flat=True).")
_NAMES_SET = ("names hat immer „region“ und „period“ (indicators_evaluate setzt beide für jede Berechnung); der "
              "Ersatzwert von get() wird nie gebraucht.")
_MEMBER_NAMES = ("Jedes Mitglied einer Gruppe steht in member_names (aus derselben Abfrage wie die Mitgliederliste, "
                 "einziger Aufrufer von add_members); der Ersatzname wird nie gebraucht.")
_SELECT_RELATED = "select_related spart nur Abfragen; das Ergebnis ist dasselbe."
_GRADE_SET = ("„Jahrgang“ ist Pflichtspalte (vorher geprüft): jede Zeile hat den Schlüssel „grade“, der "
              "Ersatzwert von get() wird nie gebraucht.")
_NO_COLON = ("Ein Text ohne Doppelpunkt ergibt nach partition(\":\")[2] immer \"\"; die Schule fehlt in beiden "
             "Fällen.")
_GET_MODEL = "apps.get_model sucht den Modellnamen ohne Rücksicht auf Groß- und Kleinschreibung."
EQUIVALENT = {
    ("disclosure", "changed = None"): "None ist wie False falsch: am Schleifenanfang endet die Schleife gleich; "
    "nach einer Zeilenergänzung prüft die Spaltenschleife im selben Durchlauf nach (siehe `changed = False`).",
    ("disclosure", "changed = False"): "Eine Zeilenergänzung ändert keine andere Zeile; ihre Spalte wird im "
    "selben Durchlauf geprüft und setzt `changed` selbst, wenn sie etwas ergänzt.",
    ("disclosure", "line = [(i, j) for i in range(len(rows)) if j <= len(rows[i])]"): "Nur bei ungleich "
    "langen Zeilen verschieden; die scheitern schon bei den Spaltensummen (Tabellen sind rechteckig).",
    ("values-upsert", "*, source: Source, rows: Iterable[dict], tenant=None, import_run=None, batch_size: int = 5001"):
    "Nur die Größe der Schreibpakete; das Ergebnis ist dasselbe.",
    ("values-upsert", "value = Decimal(value) if (isinstance(value, int)) and False else Decimal(str(value))"):
    "Für jede ganze Zahl n ist Decimal(str(n)) == Decimal(n); nur bool ergäbe „True“, und kein Importer "
    "liefert bool als Wert.",
    ("values-upsert", "if value.as_tuple().exponent <= -6:"): "Bei genau 6 Nachkommastellen ändert das "
    "Runden auf 6 Stellen nichts.",
    ("values-upsert", "if value.as_tuple().exponent < +6:"): "Auf 6 Nachkommastellen gebracht behält eine Zahl "
    "mit höchstens 6 Nachkommastellen ihren Wert (12 == 12.000000); die Spalte hat ohnehin 6 Nachkommastellen.",
    ("values-upsert", 'bool(row.get("rounded", None)),'): "bool(None) ist False wie bool(False).",
    ("values-upsert", 'bool(row.get("rounded", )),'): "bool(None) ist False wie bool(False).",
    ("values-upsert", "-statistic_id__in={p[0] for p in prepared},"): _PRESELECT,
    ("values-upsert", "-period_id__in={p[2] for p in prepared},"): _PRESELECT,
    ("values-upsert", "-region_id__in={p[1] for p in prepared},"): _PRESELECT,
    ("values-upsert", "qs = qs.filter(tenant=tenant) if (tenant is not None) or True else "
     "qs.filter(tenant__isnull=True)"): "filter(tenant=None) ist in Django dasselbe wie tenant__isnull=True.",
    ("values-upsert", "chunk_size=None"): "Nur die Größe der Lesepakete; gelesen werden dieselben Zeilen.",
    ("values-upsert", "chunk_size=20001"): "Nur die Größe der Lesepakete; gelesen werden dieselben Zeilen.",
    ("values-upsert", 'changed, ["value", "flag", "rounded", "source", "import_run", "revised"], batch_size=None'):
    _BATCH,
    ("values-upsert", 'changed, ["value", "flag", "rounded", "source", "import_run", "revised"], )'): _BATCH,
    ("values-upsert", 'Value.objects.bulk_update(kept, ["value", "flag", "rounded", "source", "import_run"], '
     'batch_size=None)'): _BATCH,
    ("values-upsert", 'Value.objects.bulk_update(kept, ["value", "flag", "rounded", "source", "import_run"], )'):
    _BATCH,
    ("values-upsert", "ValueRevision.objects.bulk_create(revisions, batch_size=None)"): _BATCH,
    ("values-upsert", "ValueRevision.objects.bulk_create(revisions, )"): _BATCH,
    ("values-upsert", "stat_id = stat.pk if hasattr(stat, \"pk\") else stats.get(None)"): _LOOKUP_CACHE,
    ("values-upsert", "region_id = region.pk if hasattr(region, \"pk\") else regions.get(None)"): _LOOKUP_CACHE,
    ("values-upsert", "period_id = period.pk if hasattr(period, \"pk\") else periods.get(None)"): _LOOKUP_CACHE,
    ("values-upsert", 'found = Statistic.objects.filter(code=stat).values_list(flat=True).first()'): _FIRST_COLUMN,
    ("values-upsert", 'found = Region.objects.filter(code=region).values_list(flat=True).first()'): _FIRST_COLUMN,
    ("values-upsert", 'flag = row.get("flag", None) or ""'): "None or \"\" ist \"\" wie \"\" or \"\".",
    ("values-upsert", 'flag = row.get("flag", ) or ""'): "None or \"\" ist \"\" wie \"\" or \"\".",
    ("indicator-engine", 'f"{names.get(\'region\', None)} nicht aus den Mitgliedsgebieten zusammenfassen."'):
    _NAMES_SET,
    ("indicator-engine", 'f"{self.label(stat, key)} fehlt für {\', \'.join(lacking)} ('
     '{names.get(\'period\', None)}"'):
    _NAMES_SET,
    ("indicator-engine", 'f"{statistic_origin(stat, prefix=\'; \')}): die Summe für '
     '{names.get(\'region\', None)} wäre "'):
    _NAMES_SET,
    ("indicator-engine", 'f"{names.get(\'region\', )} nicht aus den Mitgliedsgebieten zusammenfassen."'):
    _NAMES_SET,
    ("indicator-engine", 'f"{self.label(stat, key)} fehlt für {\', \'.join(lacking)} ('
     '{names.get(\'period\', )}"'):
    _NAMES_SET,
    ("indicator-engine", 'f"{statistic_origin(stat, prefix=\'; \')}): die Summe für '
     '{names.get(\'region\', )} wäre "'):
    _NAMES_SET,
    ("indicator-engine", 'f"'
     '{names.get(\'region\', \'XXXX\')} nicht aus den Mitgliedsgebieten zusammenfassen."'):
    _NAMES_SET,
    ("indicator-engine", 'f"{self.label(stat, key)} fehlt für {\', \'.join(lacking)} ('
     '{names.get(\'period\', \'XXXX\')}"'):
    _NAMES_SET,
    ("indicator-engine", 'f"{statistic_origin(stat, prefix=\'; \')}): die Summe für '
     '{names.get(\'region\', \'XXXX\')} wäre "'):
    _NAMES_SET,
    ("indicator-engine", 'member_names = {**names, "region": self.member_names.get(member, None)}'):
    _MEMBER_NAMES,
    ("indicator-engine", 'member_names = {**names, "region": self.member_names.get(member, )}'):
    _MEMBER_NAMES,
    ("indicator-engine", 'member_names = {**names, "region": self.member_names.get(member, str(None))}'):
    _MEMBER_NAMES,
    ("indicator-engine", 'pool = ""'): "Ohne indikator(…)-Verweise liest _compile den Katalog nie; mit Verweisen "
    "wird pool vorher neu gesetzt.",
    ("indicator-engine", "pool = None"): "Ohne vorab geladenen Katalog lädt _compile ihn selbst: dieselben "
    "Indikatoren, nur eine Abfrage mehr.",
    ("indicator-engine", "if key or self._category_names is None:"): "Lädt die Kategorienamen nur früher oder "
    "öfter; statistic_label liest sie nur bei Kategorien, der Text bleibt derselbe.",
    ("retention-erasure", 'ids = list(follow_ups.values_list(flat=True))'): _PK_FIRST,
    ("retention-erasure", 'ids = list(Handover.objects.filter(tenant=t, handed_over_on__lt=handover_cutoff)'
     '.values_list(flat=True))'): _PK_FIRST,
    ("retention-erasure", 'targets.append((label, list(model.objects.filter(student_id__in=student_ids)'
     '.values_list(flat=True))))'): _PK_FIRST,
    ("places-importers", 'for mapping in SchoolFormMapping.objects.select_related(None):'): "select_related(None) "
    "lädt die Kategorie erst beim Zugriff: dieselben Einträge, nur mehr Abfragen.",
    ("places-importers", 'if len(batch) > STORE_BATCH:'): "Nur die Größe der Schreibpakete (2000 oder 2001 Zeilen); "
    "gespeichert wird dasselbe in derselben Transaktion.",
    ("places-importers", 'point = ""'): "point wird nur als Wahrheitswert gelesen (point if point else (None, None)); "
    "\"\" und None sind beide falsch.",
    ("places-importers", 'fmt = options.get("format") or "XXXX"'): "Ohne Format kein Doppelpunkt: die Zuordnung "
    "bleibt leer wie bei \"\".",
    ("places-importers", 'columns = {c.strip().strip(\'XX"XX\') for c in re.split(r"[;,]", head)}'): "head ist klein "
    "geschrieben: ein großes X kommt nie vor, es wird also nur \" abgeschnitten wie vorher.",
    ("places-importers", 'head = fh.read(1000).decode("utf-8-sig", errors="replace").split("\\n", None)[0].lower()'):
    _FIRST_PART,
    ("places-importers", 'head = fh.read(1000).decode("utf-8-sig", errors="replace").split("\\n", )[0].lower()'):
    _FIRST_PART,
    ("places-importers", 'head = fh.read(1000).decode("utf-8-sig", errors="replace").split("\\n", 2)[0].lower()'):
    _FIRST_PART,
    ("places-importers", 'head = fh.read(1000).decode("UTF-8-SIG", errors="replace").split("\\n", 1)[0].lower()'):
    _CODEC_CASE,
    ("places-importers", 'head = fh.read(4000).decode("UTF-8", errors="replace")'): _CODEC_CASE,
    ("places-importers", 'head = fh.read(4000).decode(errors="replace")'): "bytes.decode() liest ohne Angabe UTF-8.",
    ("indicator-engine", "region_ids = None"): _VALUE_PRESELECT,
    ("indicator-engine", "region_ids=None,"): _VALUE_PRESELECT,
    ("indicator-engine", "period_ids=None,"): _VALUE_PRESELECT,
    ("indicator-engine", "category_keys=None,"): _VALUE_PRESELECT,
    ("indicator-engine", "-category_keys={k for t in terms for k in t.keys()},"): _VALUE_PRESELECT,
    ("indicator-engine", "period_ids={p.pk for p in periods} if (periods is not None) and False else None,"):
    _VALUE_PRESELECT,
    ("indicator-engine", "formula_parse(i.numerator).indicators and (i.denominator.strip() and "
     "formula_parse(i.denominator).indicators)"): _POOL,
    ("indicator-engine", "_compile(indicator, compiled, None)"): _POOL,
    ("indicator-engine", "_compile(indicator, compiled, )"): _POOL,
    ("indicator-engine", '{r.pk: r.title for r in Region.objects.filter(pk__in=member_ids).defer("boundary")} if '
     '(member_ids) or True else {}'): "Ohne Mitglieder liefert die Abfrage mit leerer Liste dasselbe leere Wörterbuch.",
    ("indicator-engine", '{r.pk: r.title for r in Region.objects.filter(pk__in=member_ids).defer(None)} if '
     'member_ids else {}'): "defer(None) lädt nur die Grenze mit; gelesen werden Schlüssel und Titel wie vorher.",
    ("indicator-engine", 'self.stats = {s.code: s for s in Statistic.objects.filter(code__in=statistic_codes)'
     '.select_related(None)}'): "Ohne select_related wird die Quelle erst beim Zugriff geladen: dieselben Daten, "
    "mehr Abfragen.",
    ("indicator-engine", "qs = qs.filter(tenant__isnull=True) if (tenant is None) and False else "
     "qs.filter(Q(tenant__isnull=True) | Q(tenant=tenant))"): "Ohne Mandant ist Q(tenant=None) in Django "
    "tenant__isnull=True: dieselbe Auswahl.",
    ("indicator-engine", "f\"{self.label(stat, key)} liegt für {names.get('region', None)}, "
     "{names.get('period', '')} \""):
    _NAMES_SET,
    ("indicator-engine", "f\"{self.label(stat, key)} liegt für {names.get('region', )}, {names.get('period', '')} \""):
    _NAMES_SET,
    ("indicator-engine", "f\"{self.label(stat, key)} liegt für {names.get('region', 'XXXX')}, "
     "{names.get('period', '')} \""): _NAMES_SET,
    ("indicator-engine", "f\"{self.label(stat, key)} liegt für {names.get('region', '')}, "
     "{names.get('period', None)} \""):
    _NAMES_SET,
    ("indicator-engine", "f\"{self.label(stat, key)} liegt für {names.get('region', '')}, {names.get('period', )} \""):
    _NAMES_SET,
    ("indicator-engine", "f\"{self.label(stat, key)} liegt für {names.get('region', '')}, "
     "{names.get('period', 'XXXX')} \""): _NAMES_SET,
    ("transitions-scoping", "if tenant is None and not user.is_authenticated:"): _GUARD,
    ("transitions-scoping", 'return School.objects.filter(tenant=tenant, organisation_id__in=org_ids)'
     '.select_related(None)'): _RELATED,
    ("transitions-scoping", '"school__organisation", "planned_option", "actual_option", ).filter(pk=pk).first()'):
    _RELATED,
    ("transitions-scoping", '"planned_option", "actual_option", "actual_field").filter(pk=pk).first()'): _RELATED,
    ("transitions-scoping", '"school__organisation", "actual_option", "actual_field").filter(pk=pk).first()'):
    _RELATED,
    ("transitions-scoping", '"school__organisation", "planned_option", "actual_field").filter(pk=pk).first()'):
    _RELATED,
    ("strategy-rules", 'if goal is None or not user.is_authenticated and not hasattr(goal, "body_id"):'): _GUARD,
    ("importer-store", 'report = ImportReport(importer=dataset.format, source=filename or '
     'dataset.source.get("title", None))'): _TITLE,
    ("importer-store", 'report = ImportReport(importer=dataset.format, source=filename or '
     'dataset.source.get("title", ))'): _TITLE,
    ("importer-store", 'report = ImportReport(importer=dataset.format, source=filename or dataset.source.get("title", '
     '"XXXX"))'): _TITLE,
    ("importer-store", "report.notes = dataset.prepare()"): "Vor prepare() ist die Liste der Hinweise immer leer: "
    "+= und = ergeben dasselbe.",
    ("places-filters", 'qs = offers_public().select_related("place", "provider").prefetch_related(None)'): _RELATED,
    ("places-filters", 'qs = offers_public().select_related("provider").prefetch_related("topics")'): _RELATED,
    ("places-filters", 'qs = offers_public().select_related("place", ).prefetch_related("topics")'): _RELATED,
    ("genesis-keys", 'if m := re.fullmatch(r"([1-4])\\.\\s*quartal|quartal\\s*([1-4])|q([1-4])", t, '
     're.IGNORECASE):'): _IGNORECASE,
    ("genesis-keys", 'if m := re.fullmatch(r"([1-4])\\.\\s*QUARTAL|QUARTAL\\s*([1-4])|Q([1-4])", t, '
     're.IGNORECASE):'): _IGNORECASE,
    ("genesis-keys", 'if m := re.fullmatch(r"([12])\\.\\s*halbjahr", t, re.IGNORECASE):'): _IGNORECASE,
    ("genesis-keys", 'if m := re.fullmatch(r"([12])\\.\\s*HALBJAHR", t, re.IGNORECASE):'): _IGNORECASE,
    ("genesis-keys", 'parents = dict(Region.objects.filter(tenant__isnull=True).values_list("code", "pk"))'):
    "Nur eine Vorauswahl: parents wird nur mit Präfixen der fehlenden Schlüssel gelesen, mehr Zeilen ändern nichts.",
    ("genesis-keys", 'existing = dict(Region.objects.filter(code__in=keys, ).values_list("code", "pk"))'): _OWN_CODES,
    ("genesis-keys", 'parents = dict(Region.objects.filter(code__in=prefixes, ).values_list("code", "pk"))'):
    _OWN_CODES,
    ("genesis-keys", 'parent_code = next((key[:n] for n in (5, 3, 2) if n < len(key) and key[:n] in parents), '
     'None)'): _PARENT_FOUND,
    ("genesis-keys", 'parent_code = next((key[:n] for n in (5, 3, 2) if n < len(key) and key[:n] in parents), )'):
    _PARENT_FOUND,
    ("genesis-keys", 'parent_code = next((key[:n] for n in (5, 3, 2) if n < len(key) and key[:n] in parents), '
     'key[:3])'): _PARENT_FOUND,
    ("genesis-keys", 'parent_code = next((key[:n] for n in (5, 3, 3) if n < len(key) and key[:n] in parents), '
     'key[:2])'): "Ohne Kreis und Regierungsbezirk findet auch die zweite 3 nichts; dann greift der Ersatz key[:2], "
    "das Land, wie vorher.",
    ("genesis-keys", 'parent_code = next((key[:n] for n in (5, 3, 2) if n <= len(key) and key[:n] in parents), '
     'key[:2])'): "key[:len(key)] ist der fehlende Schlüssel selbst, der noch nicht in parents steht: er wird nie "
    "gewählt.",
    ("ffcsv-reader", 'return fh.read(None)'): _MEMORY,
    ("ffcsv-reader", 'def ffcsv_dataset(path: Path, *, tenant=None, '
     'fmt: str = "XXffcsvXX", **options) -> Dataset:'): _FMT,
    ("ffcsv-reader", 'consume=None,'): _MEMORY,
    ("ffcsv-reader", 'def ffcsv_dataset(path: Path, *, tenant=None, fmt: str = "FFCSV", **options) -> Dataset:'): _FMT,
    ("ffcsv-reader", 'consume=False,'): _MEMORY,
    ("ffcsv-reader", 'first = head_first_line(_head(path), "ISO-8859-1").lstrip("\\ufeffï»¿")'): _CODEC_CASE,
    ("ffcsv-reader", 'month = sub = ""'): _FALSY,
    ("ffcsv-reader", 'vcode, vlabel, unit = (col.split("__") + ["XXXX", ""])[:3]'): _PADDING,
    ("ffcsv-reader", 'vcode, vlabel, unit = (col.split("__") + ["", "XXXX"])[:3]'): _PADDING,
    ("ffcsv-reader", 'unit=shared.setdefault(unit or "XXAnzahlXX", unit or "Anzahl"),'): _INTERN,
    ("ffcsv-reader", 'unit=shared.setdefault(unit or "anzahl", unit or "Anzahl"),'): _INTERN,
    ("ffcsv-reader", 'unit=shared.setdefault(unit or "ANZAHL", unit or "Anzahl"),'): _INTERN,
    ("ffcsv-reader", 'region=shared.setdefault(region or "XXDGXX", region or "DG"),'): _INTERN,
    ("ffcsv-reader", 'region=shared.setdefault(region or "dg", region or "DG"),'): _INTERN,
    ("ffcsv-reader", 'period=shared.setdefault(("XXperiodXX", period), _school_year(period, table.title)),'): _INTERN,
    ("ffcsv-reader", 'period=shared.setdefault(("PERIOD", period), _school_year(period, table.title)),'): _INTERN,
    ("ffcsv-reader", 'table = ParsedTable(table_code=table_code, title=None)'): _FALSY,
    ("disclosure", "suppressed |= {(i, n_cols) for i, t in enumerate(row_totals) if 1 < t < min_cell}"): _TOTAL_ONE,
    ("disclosure", "suppressed |= {(n_rows, j) for j, t in enumerate(col_totals) if 1 < t < min_cell}"): _TOTAL_ONE,
    ("disclosure", "if 1 < total < min_cell:"): _TOTAL_ONE,
    ("oparl-filters", "raise Http404(None)"): "Der Text einer Http404 erscheint nur mit DEBUG; die Antwort "
    "bleibt 404 ohne Daten.",
    ("strategy-rules", 'if goal is None and not user.is_authenticated or not hasattr(goal, "body_id"):'): "None hat "
    "kein body_id: `not hasattr(None, …)` ist wahr, das Ergebnis bleibt False; anonyme Konten haben "
    "keine Organisation.",
    ("strategy-rules", "if obj is None and not user.is_authenticated:"): "Ohne Objekt ist der Mandant None, ohne "
    "Anmeldung gibt es keine Organisationen: beides endet gleich bei `if not orgs: return False`.",
    ("value-parse", 'rounded = number.quantize(Decimal("0.000001")) if (number.as_tuple().exponent < -6) or True '
     'else number'): "Auf 6 Stellen quantisiert hat eine Zahl mit höchstens 6 Nachkommastellen nach normalize() "
    "dieselben Ziffern (unter 10^14 bleibt sie in der Genauigkeit des Kontexts).",
    ("value-parse", 'rounded = number.quantize(Decimal("0.000001")) if number.as_tuple().exponent <= -6 else number'):
    "Bei genau 6 Nachkommastellen ändert das Quantisieren nichts (siehe oben).",
    ("value-parse", 'rounded = number.quantize(Decimal("0.000001")) if number.as_tuple().exponent < +6 else number'):
    "Quantisieren auf 6 Stellen ändert die gültigen Ziffern nach normalize() nicht (siehe oben).",
    ("value-parse", "digits = rounded.normalize().as_tuple().digits if (rounded) or True else ()"): "Null hat "
    "normalisiert eine Ziffer; 1 ≤ 15, das Ergebnis bleibt gleich.",
    ("value-parse", 'text = (raw or "XXXX").strip()'): "Leerer und fehlender Text werden beide als "
    "„weder Zahl noch Sonderzeichen“ abgelehnt.",
    ("value-parse", 'if text and text[-1] in "prse" and len(text) >= 1:'): "Ein einzelnes p, r, s oder e ist "
    "selbst ein Kennzeichen und wird vorher zurückgegeben.",
    ("regions-scoping", 'areas = TenantArea.objects.filter(tenant=tenant).select_related(None).order_by("-is_primary", '
     '"region__code")'): "select_related spart nur Abfragen; das Ergebnis ist dasselbe.",
    ("reports-scoping", 'return Report.objects.filter(tenant=tenant).select_related("region") if (tenant) or True '
     'else Report.objects.none()'): "Report.tenant ist Pflicht: `filter(tenant=None)` ist ebenso leer wie none().",
    ("reports-scoping", 'return Report.objects.filter(tenant=tenant).select_related(None) if tenant else '
     'Report.objects.none()'): "select_related spart nur Abfragen; das Ergebnis ist dasselbe.",
    ("places-scoping", 'return LearningPlace.objects.filter(q).select_related(None).order_by("name")'): _SELECT_RELATED,
    ("places-scoping", '.select_related(None).order_by("name"))'): _SELECT_RELATED,
    ("places-scoping", '.select_related(None).order_by("title"))'): _SELECT_RELATED,
    ("places-scoping", '.select_related("offer", "submitted_by").order_by("submitted_at"))'): _SELECT_RELATED,
    ("places-scoping", '.select_related("place", "submitted_by").order_by("submitted_at"))'): _SELECT_RELATED,
    ("places-scoping", '.select_related("place", "offer", ).order_by("submitted_at"))'): _SELECT_RELATED,
    ("places-scoping", '.select_related("operator").order_by("created_at"))'): _SELECT_RELATED,
    ("places-scoping", '.select_related("category", ).order_by("created_at"))'): _SELECT_RELATED,
    ("places-scoping", '.select_related("provider").order_by("created_at"))'): _SELECT_RELATED,
    ("places-scoping", '.select_related("place", ).order_by("created_at"))'): _SELECT_RELATED,
    ("transitions-importers", 'grade_text = rec.get("grade", )'): _GRADE_SET,
    ("transitions-importers", 'grade_text = rec.get("grade", None)'): _GRADE_SET,
    ("transitions-importers", 'grade_text = rec.get("grade", "XXXX")'): _GRADE_SET,
    ("transitions-importers", 'def class_list_run(path: Path, *, tenant=None, format: str = "XXXX", **options) '
     '-> ImportReport:'): _NO_COLON,
    ("transitions-importers", 'school_ref = (format or "XXXX").partition(":")[2]  # not `_, _, ref = …`: that would '
     'hide gettext\'s `_`'): _NO_COLON,
    ("transitions-importers", 'result = class_list_import(school=school, raw=Path(path).read_bytes(), )'):
    "actor=None ist der Vorgabewert von class_list_import.",
    ("strategy-scoping", 'cache = user.__dict__.setdefault(None, {})'): _CACHE_KEY,
    ("strategy-scoping", 'cache = user.__dict__.setdefault("XX_strategy_body_cacheXX", {})'): _CACHE_KEY,
    ("strategy-scoping", 'cache = user.__dict__.setdefault("_STRATEGY_BODY_CACHE", {})'): _CACHE_KEY,
    ("strategy-scoping", 'membership = apps.get_model("network", "membership")'): _GET_MODEL,
    ("strategy-scoping", 'membership = apps.get_model("network", "MEMBERSHIP")'): _GET_MODEL,
    ("strategy-scoping", 'owned = set(goals_visible_to(user, tenant).values_list(flat=True))'):
    "values_list(flat=True) ohne Feldnamen liefert die erste Spalte, die id des Ziels – dasselbe wie "
    "values_list(\"id\", flat=True).",
    ("strategy-scoping", "if not organisation_ids and not network_available():"): "Ohne Organisationen ergibt die "
    "Abfrage mit organisation_id__in=[] ebenfalls keine Gremien.",
    ("strategy-scoping", 'if "partner" in user_roles(user, tenant) or network_available():'): "Ohne Partnerrolle "
    "liefert partner_body_ids keine Gremien (nur Organisationen der Rolle partner), ohne Netzwerk-App "
    "body_ids_of_organisations keine: das Ergebnis ist in beiden Fällen leer.",
    ("strategy-scoping", "if tenant is None and not user.is_authenticated:"): "Ziele und Maßnahmen haben immer einen "
    "Mandanten: filter(tenant=None) ist leer; anonyme Konten haben keine Rollen und Organisationen.",
    ("network-scoping", 'cache = user.__dict__.setdefault("_NETWORK_BODY_CACHE", {})'): _CACHE_KEY,
    ("network-scoping", 'cache = user.__dict__.setdefault("XX_network_body_cacheXX", {})'): _CACHE_KEY,
    ("network-scoping", 'cache = user.__dict__.setdefault(None, {})'): _CACHE_KEY,
    ("core-scoping", 'cache = user.__dict__.setdefault("_ROLE_CACHE", {})'): _CACHE_KEY,
    ("core-scoping", 'cache = user.__dict__.setdefault("XX_role_cacheXX", {})'): _CACHE_KEY,
    ("core-scoping", 'cache = user.__dict__.setdefault(None, {})'): _CACHE_KEY,
    ("core-scoping", 'RoleAssignment.objects.filter(user=user, tenant=tenant).select_related(None)'):
    "select_related spart nur Abfragen; das Ergebnis ist dasselbe.",
    ("formula", "return sum(values, )"): "summe(…) hat immer mindestens ein Argument (Prüfung beim Parsen); "
    "0 + Decimal ist dieselbe Decimal.",
}


def _equivalent(module: str, diff: str) -> str:
    """Matched by the added line; a mutant that only removes an argument (no added line of its own, or
    just the closing bracket) is matched by the removed line, written with a leading ``-``."""
    for line in diff.splitlines():
        if line.startswith("+"):
            reason = EQUIVALENT.get((module, line[1:].strip()))
            if reason:
                return reason
    added = {line[1:].strip() for line in diff.splitlines() if line.startswith("+")}
    if not added <= {")", "),", ""}:
        return ""
    for line in diff.splitlines():
        if line.startswith("-"):
            reason = EQUIVALENT.get((module, "-" + line[1:].strip()))
            if reason:
                return reason
    return ""


def _module_name(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".").removesuffix(".__init__")


def _mutant_matches(key: str, module: Module) -> bool:
    """mutmut 3 names mutants ``pkg.mod.x_func__mutmut_3`` and ``pkg.mod.xǁClassǁmethod__mutmut_3``."""
    prefix = _module_name(module.path) + "."
    if not key.startswith(prefix):
        return False
    local = key[len(prefix):].rsplit("__mutmut_", 1)[0]
    if local.startswith("xǁ"):
        name = local[2:].replace("ǁ", ".")
    else:
        name = local[2:] if local.startswith("x_") else local
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in module.functions)


def _prepare(module: Module) -> Path:
    work = WORK / module.name
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "bildungskette", work / "bildungskette", ignore=ignore)
    shutil.copytree(ROOT / "tests", work / "tests", ignore=ignore)
    _undecorate_predicates(work / module.path)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    config = {
        "source_paths": ["bildungskette"],
        "only_mutate": [module.path],
        "pytest_add_cli_args_test_selection": [*module.tests, *module.pytest_args],
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "--reuse-db", "-x", "-q"],
        "timeout_multiplier": 5.0,
    }
    lines = ["", "[tool.mutmut]"] + [f"{k} = {json.dumps(v)}" for k, v in config.items()]
    (work / "pyproject.toml").write_text(pyproject + "\n".join(lines) + "\n", encoding="utf-8")
    return work


def _undecorate_predicates(path: Path) -> None:
    """mutmut 3 never mutates a decorated function, so every ``@rules.predicate`` would be invisible.
    In the copy, ``@rules.predicate def f(...)`` becomes ``def f(...)`` followed by
    ``f = rules.predicate(f)`` – the same object at the same place, now with a mutable body."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    found = []
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef) and len(node.decorator_list) == 1:
            deco = node.decorator_list[0]
            if ast.unparse(deco) == "rules.predicate":
                found.append((deco.lineno, node.end_lineno, node.name))
    for deco_line, end_line, name in reversed(found):  # bottom up: line numbers above stay valid
        lines.insert(end_line, f"{name} = rules.predicate({name})")
        del lines[deco_line - 1]
    if found:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _environment(work: Path) -> dict:
    env = dict(os.environ)
    env.update({
        "BILDUNGSKETTE_ENV": "test",
        "BILDUNGSKETTE_DATA_DIR": str(_data_dir()),
        "DATABASE_TEST_NAME": str(work / "test-db.sqlite3"),
    })
    env.pop("DATABASE_URL", None)
    return env


def _data_dir() -> Path:
    """The reference data folder as the product resolves it (the copy under var/ would not find it)."""
    os.environ.setdefault("BILDUNGSKETTE_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bildungskette.config.settings")
    sys.path.insert(0, str(ROOT))
    from django.conf import settings

    return Path(settings.DATA_DIR).resolve()


def _globs(module: Module) -> list[str]:
    prefix = _module_name(module.path) + "."
    out = []
    for pattern in module.functions:
        if pattern == "*":
            out.append(prefix + "*")
        elif "." in pattern:
            cls, method = pattern.split(".", 1)
            out.append(f"{prefix}xǁ{cls}ǁ{method}__mutmut_*")
        else:
            out.append(f"{prefix}x_{pattern}__mutmut_*")
    return out


def run_module(module: Module, timeout: int, collect_only: bool = False) -> dict:
    """Run mutmut for one module (or, with ``collect_only``, read the results of an earlier run)."""
    work = WORK / module.name if collect_only else _prepare(module)
    env = _environment(work)
    mutmut = Path(sys.executable).with_name("mutmut")
    started = time.monotonic()
    log = work / "mutmut.log"
    timed_out = False
    if collect_only:
        timed_out = "timed out" in log.read_text(errors="replace")[:100] if log.exists() else False
    else:
        try:
            proc = subprocess.run([str(mutmut), "run", "--max-children", "1", *_globs(module)], cwd=work, env=env,
                                  capture_output=True, text=True, timeout=timeout)
            log.write_text(proc.stdout[-5000:] + proc.stderr[-5000:])
        except subprocess.TimeoutExpired as exc:
            timed_out = True
            tail = (exc.stdout or b"")[-3000:]
            log.write_text(f"timed out after {timeout} s\n{tail!r}")
    meta = work / "mutants" / (module.path + ".meta")
    if not meta.exists():
        raise SystemExit(f"{module.name}: mutmut produced no mutants; see {log}")
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    statuses = {key: _status(code) for key, code in codes.items() if _mutant_matches(key, module)}
    survivors = {}
    for key, status in sorted(statuses.items()):
        if status in ("survived", "no tests", "suspicious"):
            shown = subprocess.run([str(mutmut), "show", key], cwd=work, env=env, capture_output=True, text=True)
            diff = _short_diff(shown.stdout)
            survivors[key] = {"status": status, "diff": diff, "equivalent": _equivalent(module.name, diff)}
    # A mutant that makes the tests hang (endless loop) is caught: the suite would never pass.
    killed = sum(1 for s in statuses.values() if s in ("killed", "timeout"))
    tested = sum(1 for s in statuses.values() if s != "not checked")
    equivalent = sum(1 for s in survivors.values() if s["equivalent"])
    result = {
        "module": module.name, "path": module.path, "functions": module.functions, "tests": module.tests,
        "what": module.what, "mutants": len(statuses), "tested": tested, "killed": killed,
        "not_run": len(statuses) - tested, "equivalent": equivalent,
        "score": round(100.0 * killed / (tested - equivalent), 1) if tested > equivalent else None,
        "seconds": None if collect_only else round(time.monotonic() - started), "timed_out": timed_out,
        "ran_on": time.strftime("%Y-%m-%d"), "survivors": survivors,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{module.name}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    return result


def _status(code) -> str:
    if code is None:
        return "not checked"
    # mutmut's own meaning of the exit codes (mutmut/stats.py); a mutant no test reaches counts as not killed.
    return {0: "survived", 1: "killed", 3: "killed", 5: "no tests", 33: "no tests", 34: "skipped",
            35: "suspicious", 36: "timeout", 37: "killed", -24: "timeout", 24: "timeout", 152: "timeout",
            255: "timeout", -11: "segfault", -9: "segfault"}.get(code, "suspicious")


def _short_diff(text: str) -> str:
    lines = [line for line in text.splitlines() if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))]
    return "\n".join(lines[:6])


def report() -> None:
    results = [json.loads(p.read_text()) for p in sorted(RESULTS.glob("*.json"))]
    for r in results:  # the table of equivalent mutants may have grown since the run
        for s in r["survivors"].values():
            s["equivalent"] = _equivalent(r["module"], s["diff"])
        r["equivalent"] = sum(1 for s in r["survivors"].values() if s["equivalent"])
        tested = r["tested"] - r["equivalent"]
        r["score"] = round(100.0 * r["killed"] / tested, 1) if tested > 0 else None
    order = {m.name: i for i, m in enumerate(MODULES)}
    results.sort(key=lambda r: order.get(r["module"], 99))
    out = [MARK_BEGIN, "", "| Modul | Datei (Funktionen) | Tests | Mutanten | getötet | äquivalent | überlebt "
           "| Score | Laufzeit | Lauf |", "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in results:
        funcs = ", ".join(r["functions"])
        tests = ", ".join(f"`{t.removeprefix('tests/')}`" for t in r["tests"])
        score = f"{r['score']:.1f} %" if r["score"] is not None else "–"
        extra = " (abgebrochen)" if r["timed_out"] else ""
        if r["not_run"]:
            extra += f", {r['not_run']} nicht gelaufen"
        equivalent = r.get("equivalent", 0)
        seconds = r["seconds"] or "?"
        out.append(f"| {r['module']} | `{r['path']}` ({funcs}) | {tests} | {r['tested']} | {r['killed']} | "
                   f"{equivalent} | {r['tested'] - r['killed'] - equivalent} | {score} | {seconds} s{extra} "
                   f"| {r['ran_on']} |")
    out.append("")
    for r in results:
        if not r["survivors"]:
            continue
        out.append(f"#### Nicht getötete Mutanten: {r['module']}")
        out.append("")
        for key, s in r["survivors"].items():
            note = f" – äquivalent: {s['equivalent']}" if s.get("equivalent") else ""
            out.append(f"- `{key.rsplit('.', 1)[-1]}` ({s['status']}){note}")
            out.append("")
            out.append("  ```diff")
            out.extend("  " + line for line in s["diff"].splitlines())
            out.append("  ```")
        out.append("")
    out.append(MARK_END)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Testing\n\n{MARK_BEGIN}\n{MARK_END}\n"
    head, _, rest = text.partition(MARK_BEGIN)
    _, _, tail = rest.partition(MARK_END)
    DOC.write_text(head + "\n".join(out) + tail, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=", ".join(m.name for m in MODULES))
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per module (default 1800)")
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("--collect", action="store_true", help="read the results of an earlier (timed-out) run")
    args = parser.parse_args()
    if not args.report_only:
        chosen = [m for m in MODULES if not args.modules or m.name in args.modules]
        unknown = set(args.modules) - {m.name for m in MODULES}
        if unknown:
            raise SystemExit(f"unknown modules: {sorted(unknown)}")
        for module in chosen:
            print(f"== {module.name}: {module.path}", flush=True)
            r = run_module(module, args.timeout, collect_only=args.collect)
            print(f"   {r['killed']}/{r['tested']} killed ({r['score']} %), {r['not_run']} not run, "
                  f"{r['seconds']} s", flush=True)
    report()
    print(f"Wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
