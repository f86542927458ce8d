"""Sources that refresh themselves: credentials, subscriptions, refresh runs, notices, Agenturbezirke.

Imported at the end of ``monitoring.models`` so Django finds the models in the monitoring app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bildungskette.core.audit import audited
from bildungskette.core.models import Tenant
from bildungskette.regions.models import Region

from .genesis_client import INSTANCES

INSTANCE_CHOICES = [(k, v[0]) for k, v in INSTANCES.items()]


@audited(exclude=("password_encrypted",))
class SourceCredential(models.Model):
    """A tenant's login for one GENESIS instance; the password is stored encrypted (Fernet, key per tenant)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    instance = models.CharField(_("Instanz"), max_length=40, choices=INSTANCE_CHOICES)
    username = models.CharField(_("Benutzername"), max_length=200)
    password_encrypted = models.TextField(_("Passwort (verschlüsselt)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Zugang zu einem Datenbankdienst")
        verbose_name_plural = _("Zugänge zu Datenbankdiensten")
        constraints = [models.UniqueConstraint(fields=["tenant", "instance"], name="monitoring_unique_credential")]

    def __str__(self) -> str:
        return f"{self.tenant}: {self.get_instance_display()}"


@audited
class Subscription(models.Model):
    """A table a tenant follows on a GENESIS instance (with its regional filter)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    instance = models.CharField(_("Instanz"), max_length=40, choices=INSTANCE_CHOICES)
    table_code = models.CharField(_("Tabellencode"), max_length=60)
    regional_variable = models.CharField(_("Regionalmerkmal"), max_length=20, blank=True)
    regional_key = models.CharField(_("Regionalschlüssel"), max_length=200, blank=True)
    startyear = models.CharField(_("ab Jahr"), max_length=4, blank=True)
    endyear = models.CharField(_("bis Jahr"), max_length=4, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)
    stand = models.CharField(_("Stand der zuletzt geholten Daten"), max_length=40, blank=True)
    source = models.ForeignKey(
        "monitoring.Source", on_delete=models.SET_NULL, null=True, blank=True, related_name="subscriptions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        ordering = ["instance", "table_code", "regional_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "instance", "table_code", "regional_variable", "regional_key"],
                name="monitoring_unique_subscription",
            )
        ]

    def __str__(self) -> str:
        where = f" ({self.regional_variable} {self.regional_key})" if self.regional_key else ""
        return f"{self.table_code}{where} – {self.get_instance_display()}"


class RefreshOutcome(models.TextChoices):
    RUNNING = "running", _("läuft")
    NEW_DATA = "new", _("neue Daten übernommen")
    NO_CHANGE = "unchanged", _("keine neueren Daten")
    NO_MATCH = "nomatch", _("keine passenden Daten")
    FAILED = "failed", _("fehlgeschlagen")


class RefreshRun(models.Model):
    """One refresh of one subscription: what was asked, what came back, what changed."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="runs")
    trigger = models.CharField(_("Auslöser"), max_length=20, default="cli")
    outcome = models.CharField(
        _("Ergebnis"), max_length=10, choices=RefreshOutcome.choices, default=RefreshOutcome.RUNNING
    )
    status_code = models.IntegerField(_("Statuscode"), null=True, blank=True)
    message = models.TextField(_("Meldung"), blank=True)
    progress = models.CharField(_("Fortschritt"), max_length=300, blank=True)
    log = models.JSONField(_("Verlauf"), default=list, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    import_run = models.ForeignKey(
        "monitoring.ImportRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Aktualisierung")
        verbose_name_plural = _("Aktualisierungen")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subscription}: {self.get_outcome_display()}"


class IndicatorFollow(models.Model):
    """A person follows an indicator and is told on the start page when new data arrive."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey("monitoring.Indicator", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gefolgter Indikator")
        verbose_name_plural = _("gefolgte Indikatoren")
        constraints = [models.UniqueConstraint(fields=["user", "tenant", "indicator"], name="monitoring_unique_follow")]

    def __str__(self) -> str:
        return f"{self.user} → {self.indicator}"


class DataNotice(models.Model):
    """ "Neue Daten: …" – written when a refresh brought new values; shown to the followers of the indicators."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey("monitoring.Source", on_delete=models.CASCADE, related_name="+")
    refresh_run = models.ForeignKey(RefreshRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    indicators = models.ManyToManyField("monitoring.Indicator", related_name="+", blank=True)
    text = models.CharField(_("Hinweis"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Hinweis auf neue Daten")
        verbose_name_plural = _("Hinweise auf neue Daten")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text


class AgencyDistrictMember(models.Model):
    """Agenturbezirk ↔ Kreis, with validity dates (the 154 Agenturbezirke since 2013 replaced older cuts)."""

    agency = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    kreis = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    valid_from = models.DateField(_("gültig ab"))
    valid_to = models.DateField(_("gültig bis"), null=True, blank=True)
    source = models.CharField(_("Quelle"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Kreis eines Agenturbezirks")
        verbose_name_plural = _("Kreise der Agenturbezirke")
        ordering = ["agency__name", "kreis__code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kreis", "valid_from"], name="monitoring_unique_agency_member")
        ]

    def __str__(self) -> str:
        return f"{self.agency.name} ⊃ {self.kreis.name} ({self.valid_from}–{self.valid_to or ''})"
