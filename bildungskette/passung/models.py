"""Passung: training-market figures by occupation × region, a tenant's occupation groups, Messe allocation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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
