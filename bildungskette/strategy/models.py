"""Strategy: periods, fields of action, the goal tree with indicators and targets, measures and
funding programmes, goal agreements, the strategy review and the overlap decisions.

Statuses of goals are never stored as typed-in facts: they are computed from the data
(``progress.py``); a manual assessment (``GoalAssessment``) stands beside the computed one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bildungskette.core.audit import audited
from bildungskette.core.models import Tenant, TenantOwned

from .progress import Direction, Rollup, Status

DEMO_HELP = _("Beispieldaten der Demo (keine realen Angaben); werden als „Demo-Daten“ gekennzeichnet.")


class PeriodStatus(models.TextChoices):
    DRAFT = "draft", _("in Vorbereitung")
    ACTIVE = "active", _("gültig")
    ARCHIVED = "archived", _("abgeschlossen (nur lesbar)")


@audited
class StrategyPeriod(TenantOwned):
    """A strategy with its validity, e.g. "Regionale Strategie 2017–2020". Archived ones are read-only."""

    name = models.CharField(_("Name"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("von (Jahr)"))
    end_year = models.PositiveSmallIntegerField(_("bis (Jahr)"))
    status = models.CharField(_("Stand"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.ACTIVE)
    description = models.TextField(_("Beschreibung"), blank=True)
    leitziel = models.TextField(
        _("Leitziel"), blank=True, help_text=_("Die übergreifende Zielsetzung, z. B. aus einem Ratsbeschluss.")
    )
    predecessor = models.ForeignKey(
        "self", verbose_name=_("Vorgängerstrategie"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="successors",
    )
    is_demo = models.BooleanField(_("Demo-Daten"), default=False, help_text=DEMO_HELP)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Strategie")
        verbose_name_plural = _("Strategien")
        ordering = ["-start_year", "name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="strategy_unique_period_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.status == PeriodStatus.ARCHIVED


@audited
class FieldOfAction(TenantOwned):
    """A Handlungsfeld, e.g. one of the four KAoA fields."""

    period = models.ForeignKey(StrategyPeriod, verbose_name=_("Strategie"), on_delete=models.CASCADE,
                               related_name="fields_of_action")
    code = models.CharField(_("Nummer"), max_length=20, blank=True)
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    is_focus = models.BooleanField(_("Schwerpunkt"), default=False,
                                   help_text=_("Schwerpunkt der laufenden Strategieperiode"))
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        ordering = ["period", "order", "code", "name"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class GoalLevel(models.TextChoices):
    STRATEGIC = "strategic", _("strategisches Ziel (Oberziel)")
    OPERATIONAL = "operational", _("operatives Ziel")


@audited
class Goal(TenantOwned):
    """One node of the goal tree. Children roll up into their parent."""

    period = models.ForeignKey(StrategyPeriod, verbose_name=_("Strategie"), on_delete=models.CASCADE,
                               related_name="goals")
    field_of_action = models.ForeignKey(FieldOfAction, verbose_name=_("Handlungsfeld"), on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="goals")
    parent = models.ForeignKey("self", verbose_name=_("übergeordnetes Ziel"), on_delete=models.CASCADE,
                               null=True, blank=True, related_name="children")
    level = models.CharField(_("Ebene"), max_length=20, choices=GoalLevel.choices, default=GoalLevel.STRATEGIC)
    code = models.CharField(_("Nummer"), max_length=20, help_text=_("z. B. 2.1.3"))
    title = models.CharField(_("Ziel"), max_length=400)
    description = models.TextField(_("Erläuterung"), blank=True)
    body = models.ForeignKey(
        "network.Body", verbose_name=_("zuständiges Gremium"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="strategy_goals",
        help_text=_("Das Gremium, dem das Ziel gehört; seine Mitglieder können es lesen."),
    )
    responsible_organisations = models.ManyToManyField(
        "organisations.Organisation", verbose_name=_("verantwortliche Organisationen"), blank=True,
        related_name="strategy_goals",
    )
    rollup = models.CharField(
        _("Zusammenfassung der Unterziele"), max_length=10,
        choices=[(Rollup.AVERAGE.value, _("Mittelwert")), (Rollup.WEIGHTED.value, _("gewichteter Mittelwert"))],
        default=Rollup.AVERAGE.value,
    )
    weight = models.DecimalField(_("Gewicht im übergeordneten Ziel"), max_digits=6, decimal_places=2, default=1)
    previous_version = models.ForeignKey(
        "self", verbose_name=_("Fassung der Vorgängerstrategie"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="later_versions",
    )
    is_demo = models.BooleanField(_("Demo-Daten"), default=False, help_text=DEMO_HELP)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        ordering = ["period", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["period", "code"], name="strategy_unique_goal_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


@audited
class GoalIndicator(TenantOwned):
    """An indicator that measures a goal: baseline, target, direction, optional intermediate targets.

    Its data come from the monitoring (``indicator`` + ``region``) or, where the monitoring has no
    such figure, from the observations recorded with it (each with its source).
    """

    goal = models.ForeignKey(Goal, verbose_name=_("Ziel"), on_delete=models.CASCADE, related_name="indicators")
    label = models.CharField(_("Bezeichnung"), max_length=250)
    indicator = models.ForeignKey(
        "monitoring.Indicator", verbose_name=_("Indikator aus dem Bildungsmonitoring"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="goal_links",
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("Gebiet"), on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+")
    unit = models.CharField(_("Einheit"), max_length=40, blank=True)
    direction = models.CharField(
        _("Richtung"), max_length=10,
        choices=[(Direction.INCREASE.value, _("soll steigen")), (Direction.DECREASE.value, _("soll sinken"))],
        default=Direction.INCREASE.value,
    )
    baseline_year = models.PositiveSmallIntegerField(_("Ausgangsjahr"))
    baseline_value = models.DecimalField(_("Ausgangswert"), max_digits=16, decimal_places=4)
    target_year = models.PositiveSmallIntegerField(_("Zieljahr"))
    target_value = models.DecimalField(_("Zielwert"), max_digits=16, decimal_places=4)
    weight = models.DecimalField(_("Gewicht"), max_digits=6, decimal_places=2, default=1)
    source_note = models.CharField(_("Quelle der eigenen Werte"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Zielindikator")
        verbose_name_plural = _("Zielindikatoren")
        ordering = ["goal", "order", "id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.goal.code})"


@audited
class IntermediateTarget(TenantOwned):
    goal_indicator = models.ForeignKey(GoalIndicator, on_delete=models.CASCADE, related_name="intermediate_targets")
    year = models.PositiveSmallIntegerField(_("Jahr"))
    value = models.DecimalField(_("Zwischenziel"), max_digits=16, decimal_places=4)

    class Meta:
        verbose_name = _("Zwischenziel")
        verbose_name_plural = _("Zwischenziele")
        ordering = ["goal_indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["goal_indicator", "year"], name="strategy_unique_interim")]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


@audited
class IndicatorObservation(TenantOwned):
    """A value of a goal indicator recorded here because the monitoring does not hold it."""

    goal_indicator = models.ForeignKey(GoalIndicator, on_delete=models.CASCADE, related_name="observations")
    year = models.PositiveSmallIntegerField(_("Jahr"))
    value = models.DecimalField(_("Wert"), max_digits=16, decimal_places=4)
    source = models.CharField(_("Quelle"), max_length=300)
    is_synthetic = models.BooleanField(_("synthetisch"), default=False,
                                       help_text=_("Erfundener Beispielwert (Demo); wird so gekennzeichnet."))

    class Meta:
        verbose_name = _("eigener Indikatorwert")
        verbose_name_plural = _("eigene Indikatorwerte")
        ordering = ["goal_indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["goal_indicator", "year"], name="strategy_unique_obs")]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


STATUS_CHOICES = [
    (Status.ACHIEVED.value, _("Ziel erreicht")),
    (Status.ON_TRACK.value, _("auf Kurs")),
    (Status.MODERATE.value, _("mäßiger Fortschritt")),
    (Status.OFF_TRACK.value, _("nicht auf Kurs")),
    (Status.INSUFFICIENT.value, _("Daten reichen nicht aus")),
]


@audited
class GoalAssessment(TenantOwned):
    """A dated, justified assessment by people. Shown beside the computed status, never instead."""

    goal = models.ForeignKey(Goal, verbose_name=_("Ziel"), on_delete=models.CASCADE, related_name="assessments")
    status = models.CharField(_("Einschätzung"), max_length=20, choices=STATUS_CHOICES)
    justification = models.TextField(_("Begründung"))
    assessed_on = models.DateField(_("Datum der Einschätzung"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("erfasst von"), on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+")
    review = models.ForeignKey("StrategyReview", verbose_name=_("Strategieklausur"), on_delete=models.CASCADE,
                               null=True, blank=True, related_name="assessments")
    # What the data said at the time, so a later reader sees the assessment in its context.
    computed_status = models.CharField(_("berechneter Stand damals"), max_length=20, choices=STATUS_CHOICES,
                                       blank=True)
    computed_explanation = models.TextField(_("Begründung der Berechnung damals"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Einschätzung")
        verbose_name_plural = _("Einschätzungen")
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], condition=models.Q(review__isnull=False),
                                    name="strategy_one_assessment_per_review_goal"),
        ]

    def __str__(self) -> str:
        return f"{self.goal.code}: {self.get_status_display()} ({self.assessed_on:%d.%m.%Y})"


class FunderLevel(models.TextChoices):
    EU = "eu", _("EU")
    BUND = "bund", _("Bund")
    LAND = "land", _("Land")
    KOMMUNE = "kommune", _("Kommune")
    STIFTUNG = "stiftung", _("Stiftung")
    SONSTIGE = "sonstige", _("Sonstige")


@audited
class Programme(models.Model):
    """A funding programme (Förderprogramm). ``tenant`` empty = shared catalogue entry (OloV, KAoA …)."""

    tenant = models.ForeignKey(Tenant, verbose_name=_("Mandant"), on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+")
    name = models.CharField(_("Name"), max_length=250)
    short_name = models.CharField(_("Kurzname"), max_length=80, blank=True)
    funder_level = models.CharField(_("Ebene des Fördergebers"), max_length=10, choices=FunderLevel.choices)
    funder = models.CharField(_("Fördergeber"), max_length=200, blank=True)
    land_code = models.CharField(_("Land (Schlüssel)"), max_length=2, blank=True,
                                 help_text=_("Für Landesprogramme: z. B. 06 Hessen, 05 Nordrhein-Westfalen"))
    description = models.TextField(_("Beschreibung"), blank=True)
    website = models.URLField(_("Website"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("seit"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("bis"), null=True, blank=True)

    class Meta:
        verbose_name = _("Förderprogramm")
        verbose_name_plural = _("Förderprogramme")
        ordering = ["funder_level", "name"]

    def __str__(self) -> str:
        return self.short_name or self.name


@audited
class TargetGroup(models.Model):
    """A Zielgruppe. ``tenant`` empty = shared catalogue."""

    tenant = models.ForeignKey(Tenant, verbose_name=_("Mandant"), on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+")
    name = models.CharField(_("Name"), max_length=150)
    description = models.CharField(_("Beschreibung"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Zielgruppe")
        verbose_name_plural = _("Zielgruppen")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class EducationStage(models.TextChoices):
    EARLY = "early", _("Frühkindliche Bildung")
    PRIMARY = "primary", _("Grundschule")
    SECONDARY_1 = "sek1", _("Sekundarstufe I")
    SECONDARY_2 = "sek2", _("Sekundarstufe II / Hochschulreife")
    TRANSITION = "transition", _("Übergang Schule–Beruf")
    VOCATIONAL = "vocational", _("Berufliche Ausbildung")
    HIGHER = "higher", _("Hochschule")
    ADULT = "adult", _("Weiterbildung / Erwachsene")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("geplant")
    RUNNING = "running", _("läuft")
    COMPLETED = "completed", _("abgeschlossen")
    STOPPED = "stopped", _("beendet / eingestellt")


@audited
class Measure(TenantOwned):
    """A Maßnahme: something actors do for one or more goals, often funded by a programme."""

    title = models.CharField(_("Titel"), max_length=250)
    description = models.TextField(_("Beschreibung"), blank=True)
    programme = models.ForeignKey(Programme, verbose_name=_("Förderprogramm"), on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="measures")
    responsible_organisations = models.ManyToManyField(
        "organisations.Organisation", verbose_name=_("verantwortliche Organisationen"), blank=True,
        related_name="strategy_measures",
    )
    budget = models.DecimalField(_("Budget (Euro)"), max_digits=14, decimal_places=2, null=True, blank=True)
    budget_note = models.CharField(_("Anmerkung zum Budget"), max_length=200, blank=True)
    start_date = models.DateField(_("Beginn"), null=True, blank=True)
    end_date = models.DateField(_("Ende"), null=True, blank=True)
    target_groups = models.ManyToManyField(TargetGroup, verbose_name=_("Zielgruppen"), blank=True,
                                           related_name="measures")
    education_stages = models.JSONField(_("Bildungsphasen"), default=list, blank=True)
    regions = models.ManyToManyField("regions.Region", verbose_name=_("Gebiete / Stadtteile"), blank=True,
                                     related_name="strategy_measures")
    schools = models.ManyToManyField("organisations.Organisation", verbose_name=_("beteiligte Schulen"), blank=True,
                                     related_name="strategy_measures_at_school")
    status = models.CharField(_("Stand"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.RUNNING)
    goals = models.ManyToManyField(Goal, verbose_name=_("dient den Zielen"), blank=True, related_name="measures")
    is_demo = models.BooleanField(_("Demo-Daten"), default=False, help_text=DEMO_HELP)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def stage_labels(self) -> list[str]:
        labels = dict(EducationStage.choices)
        return [str(labels.get(s, s)) for s in self.education_stages]


@audited
class MeasureMilestone(TenantOwned):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("Meilenstein"), max_length=250)
    due_on = models.DateField(_("geplant bis"), null=True, blank=True)
    done_on = models.DateField(_("erreicht am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["measure", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


@audited
class MeasureOutput(TenantOwned):
    """An output and its number, e.g. "Teilnehmende Jugendliche: 240 (2019)"."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="outputs")
    label = models.CharField(_("Leistung"), max_length=200)
    value = models.DecimalField(_("Anzahl"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("Einheit"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("Jahr"), null=True, blank=True)

    class Meta:
        verbose_name = _("Leistung")
        verbose_name_plural = _("Leistungen")
        ordering = ["measure", "year", "label"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"


@audited
class GoalAgreement(TenantOwned):
    """A Zielvereinbarung, e.g. the OloV regionale Zielvereinbarung of the Steuerungsgruppe."""

    title = models.CharField(_("Titel"), max_length=250)
    period = models.ForeignKey(StrategyPeriod, verbose_name=_("Strategie"), on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="agreements")
    body = models.ForeignKey("network.Body", verbose_name=_("vereinbart im Gremium"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="goal_agreements")
    start_date = models.DateField(_("gültig ab"))
    end_date = models.DateField(_("gültig bis"), null=True, blank=True)
    signed_on = models.DateField(_("unterzeichnet am"), null=True, blank=True)
    description = models.TextField(_("Gegenstand"), blank=True)
    goals = models.ManyToManyField(Goal, verbose_name=_("vereinbarte Ziele"), blank=True, related_name="agreements")
    standards = models.JSONField(
        _("gewählte Qualitätsstandards"), default=list, blank=True,
        help_text=_("z. B. OloV-Standards BO1 … BO7 oder KAoA-Standardelemente"),
    )
    is_demo = models.BooleanField(_("Demo-Daten"), default=False, help_text=DEMO_HELP)

    class Meta:
        verbose_name = _("Zielvereinbarung")
        verbose_name_plural = _("Zielvereinbarungen")
        ordering = ["-start_date", "title"]

    def __str__(self) -> str:
        return self.title


@audited
class AgreementParty(TenantOwned):
    agreement = models.ForeignKey(GoalAgreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("Partei"),
                                     on_delete=models.CASCADE, related_name="goal_agreement_parties")
    contribution = models.TextField(_("Beitrag"), blank=True)

    class Meta:
        verbose_name = _("Vertragspartei")
        verbose_name_plural = _("Vertragsparteien")
        ordering = ["agreement", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["agreement", "organisation"], name="strategy_unique_party")]

    def __str__(self) -> str:
        return str(self.organisation)


class OverlapDecisionKind(models.TextChoices):
    DISMISSED = "dismissed", _("keine Überschneidung (verworfen)")
    MERGE = "merge", _("zusammenlegen")
    COORDINATE = "coordinate", _("abstimmen / koordinieren")
    KEEP = "keep", _("bewusst beibehalten")


@audited
class OverlapDecision(TenantOwned):
    """What the coordination decided about a flagged pair of measures (``measure_a.pk < measure_b.pk``)."""

    measure_a = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    measure_b = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(_("Entscheidung"), max_length=12, choices=OverlapDecisionKind.choices)
    note = models.TextField(_("Begründung / Vereinbarung"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_on = models.DateField(_("entschieden am"))
    score = models.FloatField(_("Ähnlichkeit bei der Entscheidung"), null=True, blank=True)

    class Meta:
        verbose_name = _("Entscheidung zu einer Überschneidung")
        verbose_name_plural = _("Entscheidungen zu Überschneidungen")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["measure_a", "measure_b"], name="strategy_unique_overlap_pair"),
            models.CheckConstraint(condition=models.Q(measure_a__lt=models.F("measure_b")),
                                   name="strategy_overlap_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_a} / {self.measure_b}: {self.get_decision_display()}"


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("läuft")
    CLOSED = "closed", _("abgeschlossen")


@audited
class StrategyReview(TenantOwned):
    """A Strategieklausur / Zwischenbilanz: goals walked through with their data, assessed, decided."""

    period = models.ForeignKey(StrategyPeriod, verbose_name=_("Strategie"), on_delete=models.CASCADE,
                               related_name="reviews")
    title = models.CharField(_("Titel"), max_length=250)
    body = models.ForeignKey("network.Body", verbose_name=_("Gremium"), on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="strategy_reviews")
    held_on = models.DateField(_("Datum"))
    participants = models.TextField(_("Teilnehmende"), blank=True)
    summary = models.TextField(_("Zusammenfassung für den Ausschuss"), blank=True)
    status = models.CharField(_("Stand"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    is_demo = models.BooleanField(_("Demo-Daten"), default=False, help_text=DEMO_HELP)

    class Meta:
        verbose_name = _("Strategieklausur")
        verbose_name_plural = _("Strategieklausuren")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ReviewDecisionKind(models.TextChoices):
    GOAL_NEW = "goal_new", _("neues Ziel")
    GOAL_CHANGED = "goal_changed", _("Ziel geändert")
    GOAL_DROPPED = "goal_dropped", _("Ziel entfällt")
    FOCUS = "focus", _("Schwerpunkt")
    MEASURE = "measure", _("Maßnahme")
    OTHER = "other", _("sonstiger Beschluss")


@audited
class ReviewDecision(TenantOwned):
    review = models.ForeignKey(StrategyReview, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("Art"), max_length=15, choices=ReviewDecisionKind.choices)
    goal = models.ForeignKey(Goal, verbose_name=_("Ziel"), on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="review_decisions")
    text = models.TextField(_("Beschluss"))
    previous_text = models.TextField(_("bisherige Fassung"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Beschluss der Klausur")
        verbose_name_plural = _("Beschlüsse der Klausur")
        ordering = ["review", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"
