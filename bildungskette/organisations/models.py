"""Organisation (Akteur) and Person (Ansprechperson)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bildungskette.core.audit import audited
from bildungskette.core.models import Tenant, TenantOwned


class OrganisationType(models.TextChoices):
    KOMMUNE = "kommune", _("Kommune / Amt")
    AGENTUR_FUER_ARBEIT = "agentur", _("Agentur für Arbeit")
    JOBCENTER = "jobcenter", _("Jobcenter")
    SCHULAMT = "schulamt", _("Staatliches Schulamt / Schulaufsicht")
    SCHULE = "schule", _("Schule")
    BERUFLICHE_SCHULE = "berufliche_schule", _("Berufliche Schule / Berufskolleg")
    IHK = "ihk", _("Industrie- und Handelskammer")
    HWK = "hwk", _("Handwerkskammer")
    KREISHANDWERKERSCHAFT = "kreishandwerkerschaft", _("Kreishandwerkerschaft")
    HOCHSCHULE = "hochschule", _("Hochschule")
    TRAEGER = "traeger", _("Bildungsträger / freier Träger")
    BETRIEB = "betrieb", _("Betrieb / Unternehmen")
    SOZIALPARTNER = "sozialpartner", _("Sozialpartner (Gewerkschaft, Arbeitgeberverband)")
    LANDESPROGRAMM = "landesprogramm", _("Landesprogramm / Landesstelle")
    JUGENDAMT = "jugendamt", _("Jugendamt")
    INTEGRATIONSZENTRUM = "integrationszentrum", _("Kommunales Integrationszentrum")
    STIFTUNG = "stiftung", _("Stiftung")
    JUGENDBERUFSAGENTUR = "jugendberufsagentur", _("Jugendberufsagentur")
    HOCHSCHULNETZWERK = "hochschulnetzwerk", _("Hochschulnetzwerk")
    SONSTIGE = "sonstige", _("Sonstige")


SCHOOL_TYPES = {OrganisationType.SCHULE, OrganisationType.BERUFLICHE_SCHULE}


@audited
class Organisation(models.Model):
    """An actor. ``tenant`` is empty for shared reference data (e.g. schools from official lists)."""

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("Mandant"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="organisations",
        help_text=_("Leer: gemeinsame Stammdaten aus amtlichen Verzeichnissen, für alle Mandanten sichtbar."),
    )
    name = models.CharField(_("Name"), max_length=300)
    short_name = models.CharField(_("Kurzname"), max_length=80, blank=True)
    type = models.CharField(_("Art"), max_length=30, choices=OrganisationType.choices, db_index=True)
    subtypes = models.JSONField(
        _("Schulformen / Unterarten"), default=list, blank=True,
        help_text=_("z. B. die Schulformen einer Schule mit mehreren Bildungsgängen"),
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("gehört zu"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="units",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("Gebiet"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="organisations",
    )
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=5, blank=True)
    city = models.CharField(_("Ort"), max_length=120, blank=True)
    latitude = models.FloatField(_("Breite"), null=True, blank=True)
    longitude = models.FloatField(_("Länge"), null=True, blank=True)
    website = models.URLField(_("Website"), blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=60, blank=True)
    external_id = models.CharField(
        _("externe Kennung"), max_length=60, blank=True, db_index=True,
        help_text=_("z. B. NRW-Schulnummer oder Kennung im Quellverzeichnis"),
    )
    source = models.CharField(_("Quelle und Lizenz"), max_length=300, blank=True)
    facts = models.JSONField(_("weitere Angaben aus der Quelle"), default=dict, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~models.Q(external_id=""), name="unique_organisation_external_id"
            )
        ]
        indexes = [models.Index(fields=["tenant", "type"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_school(self) -> bool:
        return self.type in SCHOOL_TYPES


@audited
class Person(TenantOwned):
    """A contact person of an organisation (not a user account). Listed publicly only with consent."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("Organisation"), on_delete=models.CASCADE, related_name="people"
    )
    name = models.CharField(_("Name"), max_length=200)
    function = models.CharField(_("Funktion"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=60, blank=True)
    consent_to_list = models.BooleanField(
        _("Einwilligung zur Veröffentlichung"), default=False,
        help_text=_("Nur mit Einwilligung wird die Person öffentlich oder für andere Mandanten angezeigt."),
    )
    consent_date = models.DateField(_("Einwilligung am"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Ansprechperson")
        verbose_name_plural = _("Ansprechpersonen")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"
