"""Region: one tree keyed by official keys, plus groupings outside the tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bildungskette.core.audit import audited
from bildungskette.core.models import Tenant


class RegionKind(models.TextChoices):
    BUND = "bund", _("Bund")
    LAND = "land", _("Land")
    REGIERUNGSBEZIRK = "regbez", _("Regierungsbezirk")
    STATISTISCHE_REGION = "statregion", _("Statistische Region")
    KREIS = "kreis", _("Kreis / kreisfreie Stadt")
    GEMEINDE = "gemeinde", _("Gemeinde")
    STADTTEIL = "stadtteil", _("Stadtteil / Sozialraum")
    AGENTURBEZIRK = "agenturbezirk", _("Agenturbezirk")
    GROUP = "group", _("Gebietsgruppe")


# Depth in the official tree; regions outside it have none.
TREE_LEVEL = {
    RegionKind.BUND: 0,
    RegionKind.LAND: 1,
    RegionKind.REGIERUNGSBEZIRK: 2,
    RegionKind.STATISTISCHE_REGION: 2,
    RegionKind.KREIS: 3,
    RegionKind.GEMEINDE: 4,
    RegionKind.STADTTEIL: 5,
}
OUTSIDE_TREE = {RegionKind.AGENTURBEZIRK, RegionKind.GROUP}


@audited
class Region(models.Model):
    """Any area. ``code`` is the official key where there is one (DG, 06, 066, 06611, 06611000)."""

    code = models.CharField(_("Schlüssel"), max_length=40, unique=True)
    ars = models.CharField(_("Regionalschlüssel (ARS)"), max_length=12, blank=True, db_index=True)
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=RegionKind.choices, db_index=True)
    designation = models.CharField(
        _("Bezeichnung"), max_length=80, blank=True, help_text=_("amtlich, z. B. Kreisfreie Stadt, Landkreis")
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("übergeordnet"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    members = models.ManyToManyField(
        "self", verbose_name=_("Mitglieder"), symmetrical=False, blank=True, related_name="groups",
        help_text=_("Nur für Gebietsgruppen und Agenturbezirke: die Gebiete, aus denen sie bestehen."),
    )
    tenant = models.ForeignKey(
        Tenant, verbose_name=_("Mandant"), on_delete=models.CASCADE, null=True, blank=True, related_name="regions",
        help_text=_("Leer für amtliche Gebiete; gesetzt für eigene Stadtteile und Gruppen eines Mandanten."),
    )
    population = models.PositiveIntegerField(_("Bevölkerung"), null=True, blank=True)
    population_male = models.PositiveIntegerField(_("männlich"), null=True, blank=True)
    population_female = models.PositiveIntegerField(_("weiblich"), null=True, blank=True)
    population_date = models.DateField(_("Stichtag Bevölkerung"), null=True, blank=True)
    area_km2 = models.DecimalField(_("Fläche (km²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=5, blank=True)
    centre_lat = models.FloatField(_("Mittelpunkt Breite"), null=True, blank=True)
    centre_lon = models.FloatField(_("Mittelpunkt Länge"), null=True, blank=True)
    boundary = models.JSONField(_("Grenze (GeoJSON-Geometrie)"), null=True, blank=True)
    # Bounding box of the boundary, for a cheap pre-filter before the exact point-in-polygon test.
    bbox_west = models.FloatField(_("Begrenzung West"), null=True, blank=True)
    bbox_south = models.FloatField(_("Begrenzung Süd"), null=True, blank=True)
    bbox_east = models.FloatField(_("Begrenzung Ost"), null=True, blank=True)
    bbox_north = models.FloatField(_("Begrenzung Nord"), null=True, blank=True)
    nuts = models.CharField(_("NUTS"), max_length=5, blank=True)
    source = models.CharField(_("Quelle"), max_length=300, blank=True)
    # Territorial changes: a former Kreis (e.g. Osterode am Harz until 31.10.2016) keeps its key for
    # old statistics; ``successors`` are the regions of today that cover its territory.
    valid_from = models.DateField(_("gültig ab"), null=True, blank=True)
    valid_until = models.DateField(_("gültig bis"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self", verbose_name=_("Nachfolger"), symmetrical=False, blank=True, related_name="predecessors",
        help_text=_("Gebiete, die das Gebiet eines aufgelösten Gebiets heute umfassen."),
    )

    class Meta:
        verbose_name = _("Gebiet")
        verbose_name_plural = _("Gebiete")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["kind", "bbox_west", "bbox_east"]),
            models.Index(fields=["parent", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})" if self.kind not in OUTSIDE_TREE else self.name

    @property
    def title(self) -> str:
        """The name as people need to read it: Kreise share names (Kassel is a kreisfreie Stadt and a
        Landkreis), so a Kreis carries its designation; so does a Regierungsbezirk (Kassel again) and
        a former region (with the year it ended)."""
        text = self.name
        if self.kind in (RegionKind.KREIS, RegionKind.REGIERUNGSBEZIRK) and self.designation:
            text = f"{self.name} ({self.designation})"
        if self.valid_until is not None:
            text = f"{text}, bis {self.valid_until.year}"
        return text

    @property
    def is_historical(self) -> bool:
        return self.valid_until is not None

    @property
    def ags(self) -> str:
        """The 8-digit AGS of a Gemeinde, or the official key of a higher level."""
        return self.code if self.kind in TREE_LEVEL and self.kind != RegionKind.STADTTEIL else ""

    @property
    def level(self) -> int | None:
        return TREE_LEVEL.get(self.kind)

    @property
    def density(self) -> float | None:
        if self.population and self.area_km2:
            return float(self.population) / float(self.area_km2)
        return None


class TenantArea(models.Model):
    """The regions a tenant is responsible for (e.g. OloV-Region Kassel = Stadt + Landkreis Kassel)."""

    tenant = models.ForeignKey(Tenant, verbose_name=_("Mandant"), on_delete=models.CASCADE, related_name="areas")
    region = models.ForeignKey(Region, verbose_name=_("Gebiet"), on_delete=models.CASCADE,
                               related_name="tenant_areas")
    is_primary = models.BooleanField(_("Hauptgebiet"), default=False)

    class Meta:
        verbose_name = _("Zuständigkeitsgebiet")
        verbose_name_plural = _("Zuständigkeitsgebiete")
        constraints = [models.UniqueConstraint(fields=["tenant", "region"], name="unique_tenant_area")]

    def __str__(self) -> str:
        return f"{self.tenant}: {self.region}"
