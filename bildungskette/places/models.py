"""Lernorte (LearningPlace) and their Angebote (Offer), the managed taxonomy they are sorted by,
and the review queue through which providers' own changes go live."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bildungskette.core.audit import audited
from bildungskette.core.models import Tenant


class EducationStage(models.TextChoices):
    """Bildungsphasen along the Bildungskette."""

    EARLY = "early", _("Frühkindliche Bildung")
    PRIMARY = "primary", _("Grundschule / Primarstufe")
    SECONDARY_I = "secondary_1", _("Sekundarstufe I")
    SECONDARY_II = "secondary_2", _("Sekundarstufe II")
    TRANSITION = "transition", _("Übergang Schule – Beruf")
    VOCATIONAL = "vocational", _("Berufliche Bildung")
    HIGHER = "higher", _("Hochschule")
    ADULT = "adult", _("Weiterbildung / Erwachsene")
    NONFORMAL = "nonformal", _("Non-formale und informelle Bildung")


class PublicationStatus(models.TextChoices):
    PUBLISHED = "published", _("veröffentlicht")
    PENDING = "pending", _("wartet auf Prüfung")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


@audited
class Category(models.Model):
    """A node of the managed Lernort taxonomy (e.g. weiterführende Schule › Gymnasium)."""

    code = models.SlugField(_("Kürzel"), max_length=60, unique=True)
    name = models.CharField(_("Name"), max_length=120)
    parent = models.ForeignKey(
        "self", verbose_name=_("Oberkategorie"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="children",
    )
    schema_type = models.CharField(
        _("schema.org-Typ"), max_length=60, default="EducationalOrganization",
        help_text=_("z. B. ElementarySchool, HighSchool, Library, Museum"),
    )
    education_stage = models.CharField(_("Bildungsphase"), max_length=20, choices=EducationStage.choices,
                                       blank=True)
    age_min = models.PositiveSmallIntegerField(_("Alter von"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("Alter bis"), null=True, blank=True)
    colour = models.CharField(_("Farbe (Karte)"), max_length=7, default="#0b4f6c")
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)

    class Meta:
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name


@audited
class SchoolFormMapping(models.Model):
    """Maps a Schulform string from an official directory to a category (managed in the admin)."""

    label = models.CharField(_("Schulform in der Quelle"), max_length=120, unique=True)
    category = models.ForeignKey(Category, verbose_name=_("Kategorie"), on_delete=models.CASCADE,
                                 related_name="school_forms")

    class Meta:
        verbose_name = _("Zuordnung Schulform → Kategorie")
        verbose_name_plural = _("Zuordnungen Schulform → Kategorie")
        ordering = ["label"]

    def __str__(self) -> str:
        return f"{self.label} → {self.category}"


@audited
class TargetGroup(models.Model):
    code = models.SlugField(_("Kürzel"), max_length=60, unique=True)
    name = models.CharField(_("Name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)

    class Meta:
        verbose_name = _("Zielgruppe")
        verbose_name_plural = _("Zielgruppen")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


@audited
class Topic(models.Model):
    code = models.SlugField(_("Kürzel"), max_length=60, unique=True)
    name = models.CharField(_("Name"), max_length=120)
    is_bne = models.BooleanField(
        _("BNE / klimarelevant"), default=False,
        help_text=_("Bildung für nachhaltige Entwicklung oder klimarelevante Berufsfelder"),
    )

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PublicEntry(models.Model):
    """What places and offers share: owner, status, provenance, verification."""

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("Mandant"), on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        help_text=_("Leer: aus amtlichen Verzeichnissen, für alle sichtbar."),
    )
    status = models.CharField(_("Status"), max_length=12, choices=PublicationStatus.choices,
                              default=PublicationStatus.PUBLISHED, db_index=True)
    source = models.CharField(_("Quelle"), max_length=300, blank=True)
    licence = models.CharField(_("Lizenz"), max_length=120, blank=True)
    last_verified = models.DateField(_("zuletzt bestätigt"), null=True, blank=True)
    verification_reminded_at = models.DateTimeField(_("zuletzt erinnert"), null=True, blank=True)
    visible_until = models.DateField(
        _("sichtbar bis"), null=True, blank=True,
        help_text=_("Leer: unbefristet. Danach verschwindet der Eintrag von der öffentlichen Karte (z. B. ein "
                    "Ausbildungsplatz nach seinem Beginn)."),
    )
    is_synthetic = models.BooleanField(
        _("synthetisch (Demo)"), default=False,
        help_text=_("Erfundene Demo-Daten; wird überall als synthetisch gekennzeichnet."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


@audited
class LearningPlace(PublicEntry):
    """A Lernort: a school, Kita, library, museum, counselling office, training company …"""

    name = models.CharField(_("Name"), max_length=300)
    category = models.ForeignKey(Category, verbose_name=_("Kategorie"), on_delete=models.PROTECT,
                                 related_name="places")
    categories = models.ManyToManyField(
        Category, verbose_name=_("alle Kategorien"), blank=True, related_name="places_all",
        help_text=_("Hauptkategorie und weitere (z. B. eine Schule mit mehreren Schulformen)."),
    )
    school_forms = models.JSONField(_("Schulformen laut Quelle"), default=list, blank=True)
    operator = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("Träger / Betreiber"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="learning_places",
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=5, blank=True)
    city = models.CharField(_("Ort"), max_length=120, blank=True)
    latitude = models.FloatField(_("Breite"), null=True, blank=True)
    longitude = models.FloatField(_("Länge"), null=True, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("Gemeinde"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    kreis_code = models.CharField(_("Kreis (Schlüssel)"), max_length=5, blank=True, db_index=True)
    stadtteil = models.ForeignKey(
        "regions.Region", verbose_name=_("Stadtteil"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    region_approximate = models.BooleanField(
        _("Gemeinde genähert"), default=False,
        help_text=_("Gemeinde nach nächstgelegenem Gemeindemittelpunkt bestimmt (keine Gemeindegrenzen)."),
    )
    phone = models.CharField(_("Telefon"), max_length=60, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    website = models.URLField(_("Website"), blank=True)
    contact_name = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    step_free = models.BooleanField(_("stufenloser Zugang"), null=True, blank=True)
    accessible_toilet = models.BooleanField(_("barrierefreies WC"), null=True, blank=True)
    induction_loop = models.BooleanField(_("Induktionsschleife"), null=True, blank=True)
    opening_hours = models.CharField(_("Öffnungszeiten"), max_length=300, blank=True)
    languages = models.CharField(_("Sprachen"), max_length=200, blank=True, help_text=_("z. B. Deutsch, Türkisch"))
    target_groups = models.ManyToManyField(TargetGroup, verbose_name=_("Zielgruppen"), blank=True,
                                           related_name="places")
    age_min = models.PositiveSmallIntegerField(_("Alter von"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("Alter bis"), null=True, blank=True)
    external_id = models.CharField(_("externe Kennung"), max_length=80, blank=True)
    facts = models.JSONField(_("weitere Angaben aus der Quelle"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Lernort")
        verbose_name_plural = _("Lernorte")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], condition=~models.Q(external_id=""),
                                    name="unique_learning_place_external_id"),
        ]
        indexes = [
            models.Index(fields=["status", "latitude", "longitude"]),
            models.Index(fields=["status", "category"]),
            models.Index(fields=["tenant", "status"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        town = " ".join(p for p in (self.postcode, self.city) if p)
        return ", ".join(p for p in (self.street, town) if p)

    @property
    def gemeinde_name(self) -> str:
        """The Gemeinde's name; empty where the official file has none (only "Gemeinde <AGS>")."""
        if self.region_id is None or self.region is None or self.region.name == f"Gemeinde {self.region.code}":
            return ""
        return self.region.name

    @property
    def is_public(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED


@audited
class Offer(PublicEntry):
    """An Angebot at a place, or region-wide when no place is given."""

    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    place = models.ForeignKey(LearningPlace, verbose_name=_("Lernort"), on_delete=models.CASCADE, null=True,
                              blank=True, related_name="offers")
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("Gebiet (regionsweites Angebot)"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    provider = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("Anbieter"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="offers",
    )
    target_groups = models.ManyToManyField(TargetGroup, verbose_name=_("Zielgruppen"), blank=True,
                                           related_name="offers")
    topics = models.ManyToManyField(Topic, verbose_name=_("Themen"), blank=True, related_name="offers")
    age_min = models.PositiveSmallIntegerField(_("Alter von"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("Alter bis"), null=True, blank=True)
    education_stage = models.CharField(_("Bildungsphase"), max_length=20, choices=EducationStage.choices,
                                       blank=True)
    cost = models.CharField(_("Kosten"), max_length=200, blank=True, help_text=_("z. B. kostenfrei, 25 €"))
    starts_on = models.DateField(_("Beginn"), null=True, blank=True)
    ends_on = models.DateField(_("Ende"), null=True, blank=True)
    recurrence = models.CharField(_("Termine / Wiederholung"), max_length=200, blank=True,
                                  help_text=_("z. B. jeden Dienstag 15–17 Uhr"))
    registration = models.CharField(_("Anmeldung"), max_length=300, blank=True,
                                    help_text=_("Kontakt oder Link für die Anmeldung"))
    funding_programme = models.CharField(_("Förderprogramm"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "place"])]

    def __str__(self) -> str:
        return self.title


@audited
class ChangeProposal(models.Model):
    """A provider's change to a published place or offer; goes live when coordination approves it."""

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        APPROVED = "approved", _("übernommen")
        REJECTED = "rejected", _("abgelehnt")

    tenant = models.ForeignKey(Tenant, verbose_name=_("Mandant"), on_delete=models.CASCADE, related_name="+")
    place = models.ForeignKey(LearningPlace, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="proposals")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="proposals")
    changes = models.JSONField(_("Änderungen"), default=dict,
                               help_text=_("Feld → neuer Wert; Mehrfachfelder als Liste von Kürzeln/IDs."))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("Begründung"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Änderungsvorschlag")
        verbose_name_plural = _("Änderungsvorschläge")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.target} ({self.get_status_display()})"

    @property
    def target(self):
        return self.place if self.place_id else self.offer


class BackgroundImport(models.Model):
    """A large Lernort file imported by a background task instead of inside the request."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("wartet")
        RUNNING = "running", _("läuft")
        DONE = "done", _("fertig")
        REJECTED = "rejected", _("abgelehnt")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    file_name = models.CharField(max_length=300)
    stored_path = models.CharField(max_length=500, help_text="removed once the task has run")
    format = models.CharField(max_length=60)
    mapping = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Lernort-Import im Hintergrund")
        verbose_name_plural = _("Lernort-Importe im Hintergrund")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
