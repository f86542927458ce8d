"""Bildungsberichte: a report of chapters (the areas of the Anwendungsleitfaden) of blocks.

Live blocks are pinned to a data state (``data_state``, a point in time of the monitoring
revisions); publishing stores an immutable ``ReportVersion`` whose snapshot is what the public sees.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bildungskette.core.models import Tenant
from bildungskette.monitoring.models import Theme
from bildungskette.regions.models import Region

# The chapters of a report are the nine areas of the Anwendungsleitfaden, as monitoring names them.
Area = Theme


class Template(models.TextChoices):
    FULL = "leitfaden", _("Bildungsbericht nach Anwendungsleitfaden")
    COMMITTEE = "ausschuss", _("Kurzbericht für den Ausschuss")
    TRANSITION = "uebergang", _("Übergangsbericht Schule–Beruf")


class Status(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    REVIEW = "review", _("in Prüfung")
    APPROVED = "approved", _("freigegeben")
    PUBLISHED = "published", _("veröffentlicht")


class BlockKind(models.TextChoices):
    TEXT = "text", _("Text (Markdown)")
    CHART = "chart", _("Indikator: Diagramm")
    TABLE = "table", _("Indikator: Tabelle")
    DATASHEET = "datasheet", _("Datenblatt-Abschnitt")
    CHOROPLETH = "choropleth", _("Karte der Stadtteile (Sozialindex)")
    GOALS = "goals", _("Strategie: Stand der Ziele")
    NETWORK = "network", _("Netzwerk: Kennzahlen")


LIVE_KINDS = {BlockKind.CHART, BlockKind.TABLE, BlockKind.DATASHEET, BlockKind.CHOROPLETH, BlockKind.GOALS,
              BlockKind.NETWORK}
# Kinds whose figures have no value revisions to look back into: their payload is computed once and
# frozen in ``Block.frozen`` at ``data_state``; "Daten aktualisieren" recomputes it.
FROZEN_KINDS = {BlockKind.GOALS, BlockKind.NETWORK}


class Report(models.Model):
    tenant = models.ForeignKey(Tenant, verbose_name=_("Mandant"), on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=120, unique=True)
    title = models.CharField(_("Titel"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("Gebiet"), on_delete=models.PROTECT, related_name="+")
    template = models.CharField(_("Vorlage"), max_length=20, choices=Template.choices, default=Template.FULL)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    lock_version = models.PositiveIntegerField(_("Bearbeitungsstand"), default=1)
    has_synthetic = models.BooleanField(_("enthält synthetische Teile"), default=False)
    last_refresh = models.JSONField(_("Änderungen der letzten Aktualisierung"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Bericht")
        verbose_name_plural = _("Berichte")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class Chapter(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="chapters")
    area = models.CharField(_("Bereich"), max_length=1, choices=Area.choices)
    title = models.CharField(_("Titel"), max_length=200)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Block(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="blocks")
    kind = models.CharField(_("Art"), max_length=12, choices=BlockKind.choices, default=BlockKind.TEXT)
    title = models.CharField(_("Überschrift"), max_length=200, blank=True)
    text = models.TextField(_("Text (Markdown)"), blank=True)
    indicator_code = models.CharField(_("Indikator"), max_length=80, blank=True)
    section = models.CharField(_("Datenblatt-Abschnitt"), max_length=120, blank=True)
    alt_text = models.TextField(_("Textalternative"), blank=True)
    data_state = models.DateTimeField(_("Datenstand"), null=True, blank=True)
    frozen = models.JSONField(_("festgehaltene Zahlen"), default=dict, blank=True)
    order = models.PositiveIntegerField(default=0)
    lock_version = models.PositiveIntegerField(_("Bearbeitungsstand"), default=1)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def is_live(self) -> bool:
        return self.kind in LIVE_KINDS


class Comment(models.Model):
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("Kommentar"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ReportVersion(models.Model):
    """An immutable published version: the snapshot holds every figure as published."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("Fassung"))
    published_at = models.DateTimeField(_("veröffentlicht am"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    snapshot = models.JSONField()

    class Meta:
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")]

    def __str__(self) -> str:
        return f"{self.report} – Fassung {self.number}"

    def save(self, *args, **kwargs):
        if self.pk and ReportVersion.objects.filter(pk=self.pk).exists():
            raise ValueError("Eine veröffentlichte Fassung wird nie geändert.")
        super().save(*args, **kwargs)
