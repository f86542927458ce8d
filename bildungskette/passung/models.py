"""Passung: training-market figures by occupation × region, a tenant's occupation groups, Messe allocation,
training places published by companies (live, not official), and tour-style matching events."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bildungskette.core.audit import audited
from bildungskette.core.models import TenantOwned

from . import indicators

COUNT_FIELDS = ["bewerber", "stellen", "naa", "naa_ausserbetrieblich", "unbesetzt", "unversorgt", "alternative"]


class OccupationGroup(TenantOwned):
    """A tenant's saved selection of KldB 2010 codes, e.g. "klimarelevante Berufe im Handwerk"."""

    name = models.CharField(_("Bezeichnung"), max_length=200)
    kldb_codes = models.JSONField(_("KldB-2010-Schlüssel"), default=list)
    description = models.TextField(_("Beschreibung"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Berufsgruppe (Auswahl)")
        verbose_name_plural = _("Berufsgruppen (Auswahl)")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="passung_group_unique_name")]

    def __str__(self) -> str:
        return self.name


class PassungFigure(models.Model):
    """One occupation × region × Berichtsjahr (status 30 September) of the BA/BIBB statistics.

    Counts are ``None`` when missing; ``secret`` lists the fields the source withheld (``*``)."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    kldb = models.CharField(_("KldB 2010"), max_length=5, db_index=True)
    year = models.PositiveSmallIntegerField(_("Berichtsjahr (Ende)"))
    bewerber = models.PositiveIntegerField(_("Bewerber*innen"), null=True, blank=True)
    bewerber_weiblich = models.PositiveIntegerField(_("darunter Frauen"), null=True, blank=True)
    stellen = models.PositiveIntegerField(_("gemeldete Stellen"), null=True, blank=True)
    naa = models.PositiveIntegerField(_("neue Verträge (NAA)"), null=True, blank=True)
    naa_ausserbetrieblich = models.PositiveIntegerField(_("außerbetriebliche NAA"), null=True, blank=True)
    unbesetzt = models.PositiveIntegerField(_("unbesetzte Stellen"), null=True, blank=True)
    unversorgt = models.PositiveIntegerField(_("unversorgte Bewerber*innen"), null=True, blank=True)
    alternative = models.PositiveIntegerField(_("mit Alternative"), null=True, blank=True)
    secret = models.JSONField(_("geheim gehaltene Felder"), default=list, blank=True)
    is_synthetic = models.BooleanField(_("synthetische Demodaten"), default=False)
    source = models.CharField(_("Quelle"), max_length=300)

    class Meta:
        verbose_name = _("Passungszahl")
        verbose_name_plural = _("Passungszahlen")
        constraints = [
            models.UniqueConstraint(fields=["region", "kldb", "year"], name="passung_figure_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kldb} {self.region} {self.year}"

    def counts(self) -> dict:
        """The counts as the indicator functions want them (``indicators.SECRET`` for withheld ones)."""
        return {
            f: (indicators.SECRET if f in self.secret else getattr(self, f)) for f in COUNT_FIELDS
        }


class Messe(TenantOwned):
    """A Messe-style matching event: pupils name companies, the allocation gives each up to k talks."""

    event = models.OneToOneField(
        "transitions.Event", verbose_name=_("Veranstaltung"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="messe",
    )
    title = models.CharField(_("Titel"), max_length=200)
    slots_per_pupil = models.PositiveSmallIntegerField(_("Gespräche je Schüler*in (k)"), default=3)
    seed = models.PositiveIntegerField(_("Losnummer (Startwert)"), default=2026)
    is_synthetic = models.BooleanField(_("synthetische Demodaten"), default=False)
    allocated_at = models.DateTimeField(_("zuletzt zugeteilt"), null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("Ausbildungsmesse")
        verbose_name_plural = _("Ausbildungsmessen")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class MesseCompany(models.Model):
    messe = models.ForeignKey(Messe, on_delete=models.CASCADE, related_name="companies")
    name = models.CharField(_("Betrieb"), max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kldb = models.CharField(_("KldB 2010 (Schwerpunkt)"), max_length=5, blank=True)
    slots = models.PositiveSmallIntegerField(_("Zeitfenster"), default=3)
    capacity_per_slot = models.PositiveSmallIntegerField(_("Plätze je Zeitfenster"), default=10)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["messe", "name"], name="passung_messe_company_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def capacity(self) -> int:
        return self.slots * self.capacity_per_slot


class MessePupil(models.Model):
    """A pupil at the Messe, by pseudonym only; ``wishes`` are MesseCompany ids in order of preference."""

    messe = models.ForeignKey(Messe, on_delete=models.CASCADE, related_name="pupils")
    pseudonym = models.CharField(_("Pseudonym"), max_length=20)
    student = models.ForeignKey(
        "transitions.Student", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    wishes = models.JSONField(_("Wunschbetriebe"), default=list)

    class Meta:
        ordering = ["pseudonym"]
        constraints = [models.UniqueConstraint(fields=["messe", "pseudonym"], name="passung_messe_pupil_unique")]

    def __str__(self) -> str:
        return self.pseudonym


class MesseAssignment(models.Model):
    messe = models.ForeignKey(Messe, on_delete=models.CASCADE, related_name="assignments")
    pupil = models.ForeignKey(MessePupil, on_delete=models.CASCADE, related_name="assignments")
    company = models.ForeignKey(MesseCompany, on_delete=models.CASCADE, related_name="assignments")
    wish_rank = models.PositiveSmallIntegerField(_("Wunsch Nr."), null=True, blank=True)

    class Meta:
        ordering = ["pupil__pseudonym", "wish_rank"]
        constraints = [models.UniqueConstraint(fields=["pupil", "company"], name="passung_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.pupil} → {self.company}"


# ---------------------------------------------------------------------------------------------
# Training places published by companies (live reports, never official statistics)
# ---------------------------------------------------------------------------------------------

MAX_PLACES_PER_ENTRY = 200


@audited
class TrainingPlace(TenantOwned):
    """Berufsausbildungsstellen a company reports itself through its e-mail link: shown on the public
    Lernortkarte (as an offer at the company's site) and counted in the "live, not official" view."""

    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("Betrieb"),
                                     on_delete=models.CASCADE, related_name="+")
    kldb = models.CharField(_("Beruf (KldB 2010)"), max_length=5)
    title = models.CharField(_("Berufsbezeichnung"), max_length=200, blank=True,
                             help_text=_("z. B. Elektroniker*in für Energie- und Gebäudetechnik"))
    starts_on = models.DateField(_("Ausbildungsbeginn"))
    places = models.PositiveSmallIntegerField(
        _("Anzahl Plätze"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PLACES_PER_ENTRY)])
    housing_help = models.BooleanField(_("Hilfe bei der Wohnungssuche / Azubi-Wohnen"), default=False)
    site = models.ForeignKey("places.LearningPlace", verbose_name=_("Lernort (Standort)"),
                             on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    site_created = models.BooleanField(default=False, help_text="the site was created for these places: "
                                       "it disappears with the last of them")
    offer = models.OneToOneField("places.Offer", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    contact = models.ForeignKey("transitions.CompanyContact", verbose_name=_("gemeldet von"),
                                on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("synthetische Demodaten"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Ausbildungsplatz (Meldung eines Betriebs)")
        verbose_name_plural = _("Ausbildungsplätze (Meldungen der Betriebe)")
        ordering = ["starts_on", "kldb"]
        indexes = [models.Index(fields=["tenant", "withdrawn_at", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.title or self.kldb} ({self.organisation})"

    @property
    def is_current(self) -> bool:
        """Published: not withdrawn and not yet begun."""
        return self.withdrawn_at is None and self.starts_on >= timezone.localdate()


# ---------------------------------------------------------------------------------------------
# Tour-style matching events (e.g. Nacht der Ausbildung): one transitions Event per tour
# ---------------------------------------------------------------------------------------------


@audited
class Tour(TenantOwned):
    """A bus tour to companies. Registration runs through the tour's Event (bookings with capacity
    and waiting list); ``series`` groups the tours of one evening."""

    event = models.OneToOneField("transitions.Event", verbose_name=_("Veranstaltung (Anmeldung)"),
                                 on_delete=models.CASCADE, related_name="tour")
    series = models.CharField(_("Veranstaltungsreihe"), max_length=200,
                              help_text=_("z. B. Nacht der Ausbildung 2027"))
    is_synthetic = models.BooleanField(_("synthetische Demodaten"), default=False)

    class Meta:
        verbose_name = _("Tour")
        verbose_name_plural = _("Touren")
        ordering = ["series", "event__starts_at", "event__title"]

    def __str__(self) -> str:
        return str(self.event)


class TourStop(models.Model):
    """A departure point (where pupils board) or a company the tour visits, in route order."""

    class Kind(models.TextChoices):
        DEPARTURE = "departure", _("Abfahrtsort")
        COMPANY = "company", _("Betrieb")

    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="stops")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"))
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("Betrieb"),
                                     on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    place_name = models.CharField(_("Ort"), max_length=200, blank=True)
    at = models.TimeField(_("Uhrzeit"), null=True, blank=True)

    class Meta:
        verbose_name = _("Tour-Station")
        verbose_name_plural = _("Tour-Stationen")
        ordering = ["tour", "position"]
        constraints = [
            models.UniqueConstraint(fields=["tour", "position"], name="passung_tourstop_unique_position"),
            models.CheckConstraint(
                condition=(models.Q(kind="company", organisation__isnull=False)
                           | models.Q(kind="departure", organisation__isnull=True) & ~models.Q(place_name="")),
                name="passung_tourstop_kind_target"),
        ]

    def __str__(self) -> str:
        return self.place_name or str(self.organisation)
