"""Bildungsmonitoring: sources, statistics, breakdowns, periods, values with flags, indicators.

DHIS2's idea, kept small: one value table keyed by statistic × region × period × breakdown
categories; indicators are formulas over statistics (data, not stored numbers).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from bildungskette.core.audit import audited
from bildungskette.core.models import Tenant
from bildungskette.regions.models import Region


class Flag(models.TextChoices):
    """Special values of the official statistics (Zeichenerklärung). Never stored as 0."""

    NONE = "", _("Wert")
    NOTHING = "-", _("nichts vorhanden (genau null)")
    LESS_THAN_HALF = "0", _("weniger als die Hälfte der kleinsten Einheit")
    SECRET = ".", _("Zahlenwert unbekannt oder geheim zu halten")
    NOT_YET = "...", _("Angabe fällt später an")
    UNRELIABLE = "/", _("Keine Angabe, da Zahlenwert nicht sicher genug")
    NOT_APPLICABLE = "x", _("Tabellenfach gesperrt, weil Aussage nicht sinnvoll")
    LIMITED = "()", _("Aussagewert eingeschränkt")
    PROVISIONAL = "p", _("vorläufige Zahl")
    REVISED = "r", _("berichtigte Zahl")
    ESTIMATED = "s", _("geschätzte Zahl")
    FINAL = "e", _("endgültige Zahl")


# Flags that accompany a usable number; all others mean "no number".
FLAGS_WITH_NUMBER = {"", "-", "()", "p", "r", "s", "e"}


@audited
class Source(models.Model):
    """Where values come from: publisher, table, licence and the line every chart must carry."""

    tenant = models.ForeignKey(
        Tenant,
        verbose_name=_("Mandant"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leer für amtliche, allgemein sichtbare Quellen."),
    )
    code = models.SlugField(_("Kennung"), max_length=80, unique=True)
    publisher = models.CharField(_("Herausgeber"), max_length=200)
    table_code = models.CharField(_("Tabellencode"), max_length=60, blank=True, db_index=True)
    title = models.CharField(_("Titel"), max_length=500)
    licence = models.CharField(_("Lizenz"), max_length=200, blank=True)
    attribution = models.CharField(_("Quellenangabe"), max_length=500)
    url = models.URLField(_("Adresse"), blank=True)
    published_on = models.DateField(_("Stand / veröffentlicht"), null=True, blank=True)
    retrieved_on = models.DateField(_("abgerufen am"), null=True, blank=True)
    footnotes = models.TextField(_("Fußnoten"), blank=True)
    rounding_note = models.CharField(_("Rundung"), max_length=300, blank=True)
    is_synthetic = models.BooleanField(_("synthetisch"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Quelle")
        verbose_name_plural = _("Quellen")
        ordering = ["publisher", "table_code", "title"]

    def __str__(self) -> str:
        return f"{self.table_code} – {self.title}" if self.table_code else self.title

    @cached_property
    def data_state(self) -> str:
        """ "Datenstand: Stand 21.03.2020, importiert 30.11.2026 10:15 (Import 12)" – what this source's
        figures are: the table's own "Stand" and the import that last stored them."""
        parts = []
        if self.published_on:
            parts.append(f"Stand {self.published_on:%d.%m.%Y}")
        if hasattr(self, "last_import_pk"):  # annotated by figures.sources_for: no query per source
            run_pk, finished_at = self.last_import_pk, self.last_import_finished_at
        else:
            run = self.imports.filter(status=ImportStatus.DONE).order_by("-finished_at", "-id").first()
            run_pk, finished_at = (run.pk, run.finished_at) if run is not None else (None, None)
        if run_pk is not None and finished_at:
            parts.append(f"importiert {timezone.localtime(finished_at):%d.%m.%Y %H:%M} (Import {run_pk})")
        return f"Datenstand: {', '.join(parts)}" if parts else ""

    @property
    def line_with_state(self) -> str:
        return " · ".join(p for p in (self.line, self.data_state) if p)

    @property
    def line(self) -> str:
        """The attribution line shown under every chart, table and file."""
        parts = [self.attribution]
        if self.licence and self.licence not in self.attribution:
            parts.append(self.licence)
        if self.is_synthetic:
            parts.insert(0, "SYNTHETISCHE DATEN")
        return " · ".join(p for p in parts if p)


class Aggregation(models.TextChoices):
    SUM = "sum", _("summierbar (Anzahl)")
    NONE = "none", _("nicht summierbar (Quote, Mittelwert)")


@audited
class Statistic(models.Model):
    """A counted or measured thing (Merkmal), e.g. "gemeldete Bewerber"."""

    code = models.CharField(_("Kennung"), max_length=160, unique=True)
    name = models.CharField(_("Name"), max_length=300)
    unit = models.CharField(_("Einheit"), max_length=40, default="Anzahl")
    aggregation = models.CharField(
        _("Aggregation"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("Quelle"),
        on_delete=models.PROTECT,
        related_name="statistics",
        null=True,
        blank=True,
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    breakdowns = models.ManyToManyField(
        "Breakdown", verbose_name=_("Aufgliederungen"), blank=True, related_name="statistics"
    )
    # Raised by every write of its values (services.values_upsert) to a number above every statistic's:
    # stored indicator results remember the sum over their inputs and are used only while it holds.
    data_version = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("Merkmal")
        verbose_name_plural = _("Merkmale")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Breakdown(models.Model):
    """A dimension values are broken down by: Geschlecht, Abschlussart, Schulart, BA-Status …"""

    code = models.SlugField(_("Kennung"), max_length=80, unique=True)
    name = models.CharField(_("Name"), max_length=200)

    class Meta:
        verbose_name = _("Aufgliederung")
        verbose_name_plural = _("Aufgliederungen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CategoryRole(models.TextChoices):
    """Totals ("Insgesamt") are never categories: they are the value without category key."""

    PART = "part", _("Teil (summierbar)")
    SUBTOTAL = "subtotal", _("Zwischensumme („zusammen“)")
    SUBSET = "subset", _("Teilmenge („darunter“)")


class Category(models.Model):
    """One Ausprägung of a breakdown (weiblich; ohne Hauptschulabschluss; KldB 2010 code …)."""

    breakdown = models.ForeignKey(Breakdown, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(_("Kennung"), max_length=80)
    name = models.CharField(_("Name"), max_length=300)
    order = models.PositiveIntegerField(default=0)
    # A "darunter" (of which) category is not additive with its siblings.
    is_subtotal = models.BooleanField(_("„darunter“ (nicht additiv)"), default=False)
    # How the category relates to its siblings; only "part" categories may be summed (see Role).
    role = models.CharField(_("Rolle"), max_length=10, choices=CategoryRole.choices, default=CategoryRole.PART)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Teilmenge von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subsets",
        help_text=_("Leer: Teilmenge der Gesamtzahl („Insgesamt“)."),
    )

    class Meta:
        verbose_name = _("Ausprägung")
        verbose_name_plural = _("Ausprägungen")
        ordering = ["breakdown", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["breakdown", "code"], name="monitoring_unique_category")]

    def __str__(self) -> str:
        return self.name


class PeriodKind(models.TextChoices):
    CALENDAR_YEAR = "year", _("Kalenderjahr")
    SCHOOL_YEAR = "school_year", _("Schuljahr")
    REPORTING_YEAR = "reporting_year", _("Berichtsjahr (Okt.–Sep.)")
    MONTH = "month", _("Monat")
    REFERENCE_DATE = "date", _("Stichtag")
    QUARTER = "quarter", _("Quartal")
    HALF_YEAR = "half_year", _("Halbjahr")
    SEMESTER = "semester", _("Semester")


class Period(models.Model):
    """A time a value refers to. ``code``: 2023 · 2022/23 · BJ2018/19 · 2019-08 · 2019-09-30."""

    code = models.CharField(_("Kennung"), max_length=20, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=PeriodKind.choices)
    label = models.CharField(_("Bezeichnung"), max_length=80)
    start = models.DateField(_("Beginn"))
    end = models.DateField(_("Ende"))
    # The year a period is shown under in time series (end year; school year 2022/23 → 2023).
    year = models.PositiveSmallIntegerField(_("Jahr"), db_index=True)

    class Meta:
        verbose_name = _("Zeitraum")
        verbose_name_plural = _("Zeiträume")
        ordering = ["end", "kind"]

    def __str__(self) -> str:
        return self.label


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Vorschau")
    QUEUED = "queued", _("wartet")
    RUNNING = "running", _("läuft")
    DONE = "done", _("fertig")
    REJECTED = "rejected", _("abgelehnt")


class ImportRun(models.Model):
    """One import of one file: the original file is kept, with the report and who did it."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    format = models.CharField(_("Format"), max_length=60)
    file = models.FileField(_("Datei"), upload_to="monitoring/imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("Dateiname"), max_length=300)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    source = models.ForeignKey(Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports")
    status = models.CharField(_("Status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW)
    progress = models.PositiveSmallIntegerField(_("Fortschritt (%)"), default=0)
    preview = models.JSONField(_("Vorschau"), default=dict, blank=True)
    report = models.JSONField(_("Bericht"), default=dict, blank=True)
    options = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Import")
        verbose_name_plural = _("Importe")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class Value(models.Model):
    """statistic × region × period × categories → number or null, plus the official flag.

    ``categories`` is the canonical key of the breakdown categories, ``breakdown=category`` pairs
    sorted by breakdown code and joined with ``;`` ("" = total). Totals ("Insgesamt") are never
    part of the key, so a filter for the total is ``categories=""``.
    """

    statistic = models.ForeignKey(Statistic, on_delete=models.CASCADE, related_name="values")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    categories = models.CharField(max_length=300, blank=True, default="")
    value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    flag = models.CharField(max_length=3, choices=Flag.choices, blank=True, default="")
    rounded = models.BooleanField(default=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="values")
    import_run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # True once a later import changed the value or flag: the earlier ones are ValueRevisions.
    revised = models.BooleanField(_("revidiert"), default=False, db_default=False)

    class Meta:
        verbose_name = _("Wert")
        verbose_name_plural = _("Werte")
        constraints = [
            models.UniqueConstraint(
                fields=["statistic", "region", "period", "categories"],
                condition=Q(tenant__isnull=True),
                name="monitoring_value_unique_shared",
            ),
            models.UniqueConstraint(
                fields=["statistic", "region", "period", "categories", "tenant"],
                condition=Q(tenant__isnull=False),
                name="monitoring_value_unique_tenant",
            ),
        ]
        # tenant last: "which periods (regions) has this statistic" is an index-only probe (issue #14).
        indexes = [
            models.Index(fields=["statistic", "period", "categories", "tenant"], name="monitoring_value_stat_per_ten")
        ]

    def __str__(self) -> str:
        key = f"{self.statistic_id}/{self.region_id}/{self.period_id}/{self.categories}"
        return f"{key}: {self.value}{self.flag}"


class ValueRevision(models.Model):
    """An earlier state of a value, kept when a re-import changed it (official figures are revised).

    ``valid_from`` is when that state was stored (its import's end), ``superseded_at`` when the next
    import replaced it. A value "as of" a data state T is the revision with valid_from ≤ T < superseded_at,
    or the current value if it was stored at or before T.
    """

    value_row = models.ForeignKey(Value, on_delete=models.CASCADE, related_name="revisions")
    value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    flag = models.CharField(max_length=3, choices=Flag.choices, blank=True, default="")
    rounded = models.BooleanField(default=False)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    import_run = models.ForeignKey(
        ImportRun, verbose_name=_("Import"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(_("Datei"), max_length=300, blank=True)
    valid_from = models.DateTimeField(_("gültig ab"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("ersetzt am"))
    superseded_by = models.ForeignKey(
        ImportRun, verbose_name=_("ersetzt durch"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("frühere Fassung eines Werts")
        verbose_name_plural = _("frühere Fassungen von Werten")
        ordering = ["value_row", "-superseded_at", "-id"]
        indexes = [models.Index(fields=["value_row", "superseded_at"], name="monitoring_revision_row")]

    def __str__(self) -> str:
        return f"{self.value_row_id}: {self.value}{self.flag} (bis {self.superseded_at:%d.%m.%Y})"


class Theme(models.TextChoices):
    """The nine areas of the Anwendungsleitfaden / Kommunale Bildungsdatenbank."""

    FRAMEWORK = "A", _("Rahmenbedingungen")
    BASICS = "B", _("Grundinformationen zur Bildung")
    EARLY = "C", _("Frühkindliche Bildung")
    SCHOOLS = "D", _("Allgemeinbildende Schulen")
    VOCATIONAL = "E", _("Berufliche Bildung")
    HIGHER = "F", _("Hochschulen")
    FURTHER = "G", _("Weiterbildung")
    NONFORMAL = "H", _("Non-formale und informelle Lernwelten")
    NETWORKS = "I", _("Bildungsnetzwerke/-beratung")


class IndicatorType(models.TextChoices):
    CORE = "kern", _("Kernindikator")
    OVERVIEW = "ueberblick", _("Überblicksindikator")
    SUPPLEMENT = "ergaenzung", _("Ergänzungsindikator")


class Direction(models.TextChoices):
    HIGHER_BETTER = "up", _("höher ist besser")
    LOWER_BETTER = "down", _("niedriger ist besser")
    NEUTRAL = "neutral", _("keine Wertung")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("öffentlich")
    INTERNAL = "internal", _("intern (nur Mandant)")


@audited
class Indicator(models.Model):
    """A formula over statistics: numerator / denominator × factor. Built-ins have no tenant."""

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("Mandant"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code = models.SlugField(_("Kennung"), max_length=80, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    short_name = models.CharField(_("Kurzname"), max_length=60, blank=True)
    theme = models.CharField(_("Themenfeld"), max_length=1, choices=Theme.choices, default=Theme.VOCATIONAL)
    indicator_type = models.CharField(
        _("Indikatortyp"), max_length=12, choices=IndicatorType.choices, default=IndicatorType.CORE
    )
    official_code = models.CharField(_("Kennziffer Anwendungsleitfaden"), max_length=30, blank=True)
    numerator = models.TextField(_("Zähler"))
    denominator = models.TextField(_("Nenner"), blank=True)
    factor = models.DecimalField(_("Faktor"), max_digits=12, decimal_places=4, default=1)
    unit = models.CharField(_("Einheit"), max_length=40, blank=True)
    decimals = models.PositiveSmallIntegerField(_("Nachkommastellen"), default=1)
    direction = models.CharField(_("Richtung"), max_length=10, choices=Direction.choices, default=Direction.NEUTRAL)
    explanation = models.TextField(_("Erläuterung"), blank=True)
    source_note = models.CharField(_("Quelle der Definition"), max_length=300, blank=True)
    visibility = models.CharField(
        _("Sichtbarkeit"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    approximation_note = models.CharField(_("Hinweis (Näherung)"), max_length=300, blank=True)
    order = models.PositiveIntegerField(default=100)
    # Set by the first recompute: only then do pages look for stored results (IndicatorValue) at all.
    has_stored_results = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["theme", "order", "name"]

    def __str__(self) -> str:
        return self.name


@audited
class ValidationRule(models.Model):
    """A consistency check: left expression must equal right expression (e.g. status groups = total)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    code = models.SlugField(_("Kennung"), max_length=80, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    left = models.TextField(_("linke Seite"))
    right = models.TextField(_("rechte Seite"))
    tolerance = models.DecimalField(_("Toleranz"), max_digits=12, decimal_places=4, default=0)

    class Meta:
        verbose_name = _("Prüfregel")
        verbose_name_plural = _("Prüfregeln")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@audited
class ColumnMapping(models.Model):
    """A named mapping of the columns of any CSV/XLSX file to statistic, region, period and value."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    name = models.SlugField(_("Name"), max_length=80)
    label = models.CharField(_("Bezeichnung"), max_length=200, blank=True)
    definition = models.JSONField(_("Zuordnung"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Spaltenzuordnung")
        verbose_name_plural = _("Spaltenzuordnungen")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="monitoring_unique_mapping")]

    def __str__(self) -> str:
        return self.label or self.name


# Sources that refresh themselves (subscriptions, refresh runs, notices, Agenturbezirke).
from .sources.models import (  # noqa: E402, F401
    AgencyDistrictMember,
    DataNotice,
    IndicatorFollow,
    RefreshOutcome,
    RefreshRun,
    SourceCredential,
    Subscription,
)


class IndicatorValue(models.Model):
    """A stored indicator result: indicator × region × period, written by ``indicator_values_recompute``
    (monitoring/recompute.py). ``value`` is the engine's exact Decimal as text ("" = kein Wert, with
    the reason); the inputs of a result are traced only when someone asks for the explanation."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    value = models.CharField(max_length=80, blank=True)
    reason = models.TextField(blank=True)
    flags = models.CharField(max_length=12, blank=True)  # observation flags, space-separated, fixed order
    rounded_inputs = models.BooleanField(default=False)
    source_ids = models.CharField(max_length=300, blank=True)  # comma-separated, ascending
    # What the result was computed from: the formula (hash, with tenant) and the sum of the input
    # statistics' data_version. A result whose stamp no longer matches is stale and never shown.
    formula_hash = models.CharField(max_length=64, blank=True)
    inputs_version = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("gespeichertes Indikatorergebnis")
        verbose_name_plural = _("gespeicherte Indikatorergebnisse")
        indexes = [models.Index(fields=["indicator", "region", "period"], name="monitoring_indvalue_key")]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.region_id}/{self.period_id}: {self.value or self.reason}"
