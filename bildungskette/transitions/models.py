"""Übergangsmanagement: catalogues (KAoA, OloV), schools, pseudonymised students, career-orientation
activities, company events and bookings, next steps (Anschluss), follow-up, consent, access log and
the precomputed cohort statistics.

Person-level data lives only in ``Student`` and the rows that point to it; every read of it goes
through ``selectors`` (scoped to the user's school) and is written to ``AccessLogEntry``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bildungskette.core.audit import audited
from bildungskette.core.models import TenantOwned

# ---------------------------------------------------------------------------------------------
# Catalogues (shared reference data, versioned per Land)
# ---------------------------------------------------------------------------------------------


class CatalogueKind(models.TextChoices):
    KAOA = "kaoa", _("KAoA-Standardelemente (NRW)")
    OLOV = "olov", _("OloV-Qualitätsstandards (Hessen)")


@audited
class Catalogue(models.Model):
    """One version of a Land's catalogue. A changed source file becomes a new version;
    records made against an older version keep pointing at it."""

    kind = models.CharField(_("Art"), max_length=10, choices=CatalogueKind.choices)
    land_code = models.CharField(_("Land (Schlüssel)"), max_length=2)
    version = models.PositiveIntegerField(_("Version"), default=1)
    title = models.CharField(_("Titel"), max_length=200)
    source = models.TextField(_("Quelle und Lizenz"), blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    is_current = models.BooleanField(_("aktuelle Version"), default=True)
    notes = models.TextField(_("Hinweise"), blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Katalog")
        verbose_name_plural = _("Kataloge")
        ordering = ["land_code", "kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "land_code", "version"],
                                               name="unique_catalogue_version")]

    def __str__(self) -> str:
        return f"{self.title} (Version {self.version})"


class ElementLevel(models.TextChoices):
    CATEGORY = "category", _("Kategorie / Prozess")
    FEATURE = "feature", _("Merkmal / Qualitätsstandard")
    SUBFEATURE = "subfeature", _("Zusatzmerkmal")
    LEVEL4 = "level4", _("Ebene 4")


@audited
class StandardElement(models.Model):
    """A KAoA Kategorie, Merkmal, Zusatzmerkmal or Ebene-4 entry, or an OloV process/standard."""

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="elements")
    level = models.CharField(_("Ebene"), max_length=12, choices=ElementLevel.choices)
    code = models.CharField(_("Kürzel"), max_length=30)
    title = models.TextField(_("Bezeichnung"))
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    option_type = models.CharField(_("Optionsart"), max_length=20, blank=True)
    grades = models.JSONField(_("Jahrgänge"), default=list, blank=True)
    symbol = models.CharField(_("Bezeichner in der Quelle"), max_length=40, blank=True)
    source_id = models.CharField(_("ID in der Quelle"), max_length=20, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Standardelement")
        verbose_name_plural = _("Standardelemente")
        ordering = ["catalogue", "position"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "code"], name="unique_element_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


@audited
class OccupationalField(models.Model):
    """Berufsfeld (KAoA ``berufsfelder.csv``), used for Berufsfelderkundung and events."""

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="fields")
    code = models.CharField(_("Kürzel"), max_length=20)
    title = models.CharField(_("Bezeichnung"), max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Berufsfeld")
        verbose_name_plural = _("Berufsfelder")
        ordering = ["catalogue", "position"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "code"], name="unique_field_code")]

    def __str__(self) -> str:
        return self.title


class IabeSector(models.TextChoices):
    """Sectors of the integrierte Ausbildungsberichterstattung (domain README § 2)."""

    I = "I", _("I Berufsausbildung")  # noqa: E741
    II = "II", _("II Integration in Ausbildung (Übergangsbereich)")
    III = "III", _("III Erwerb der Hochschulzugangsberechtigung")
    IV = "IV", _("IV Studium")
    NONE = "", _("außerhalb der iABE-Sektoren")


class Outcome(models.TextChoices):
    """The three-way split NCCIS steers by. "unknown" is never merged with "no next step"."""

    KNOWN = "known", _("Anschluss bekannt")
    NO_NEXT_STEP = "none", _("noch kein Anschluss")
    UNKNOWN = "unknown", _("Verbleib unbekannt")


@audited
class DestinationOption(models.Model):
    """An Anschlussoption with its mapping to an iABE sector and to known / no next step / unknown."""

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="destinations")
    code = models.CharField(_("Kürzel"), max_length=20)
    title = models.TextField(_("Bezeichnung"))
    allowed_for = models.JSONField(_("zulässig für (Zusatzmerkmale SBO 10.7)"), default=list, blank=True)
    stages = models.JSONField(_("Stufen"), default=list, blank=True)
    iabe_sector = models.CharField(_("iABE-Sektor"), max_length=3, choices=IabeSector.choices, blank=True)
    outcome = models.CharField(_("Zuordnung"), max_length=10, choices=Outcome.choices, default=Outcome.KNOWN)
    group = models.CharField(_("Gruppe"), max_length=60, blank=True)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(_("auswählbar"), default=True)

    class Meta:
        verbose_name = _("Anschlussoption")
        verbose_name_plural = _("Anschlussoptionen")
        ordering = ["catalogue", "position"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "code"], name="unique_destination_code")]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"


# ---------------------------------------------------------------------------------------------
# Tenant policy: disclosure rule, consent age, retention
# ---------------------------------------------------------------------------------------------


class DisclosureMethod(models.TextChoices):
    MIN_CELL = "min_cell", _("Mindestfallzahl mit sekundärer Sperrung")
    ROUND_3 = "round3", _("Rundung auf Vielfache von 3")
    ROUND_5 = "round5", _("Rundung auf Vielfache von 5")
    ROUND_10 = "round10", _("Rundung auf Vielfache von 10")


@audited
class TransitionPolicy(TenantOwned):
    """What the tenant decided for its transition data: disclosure rule, age of self-consent,
    retention per purpose. One per tenant; created with safe defaults on first use."""

    disclosure_method = models.CharField(_("Geheimhaltungsregel"), max_length=10, choices=DisclosureMethod.choices,
                                         default=DisclosureMethod.MIN_CELL)
    min_cell = models.PositiveSmallIntegerField(_("Mindestfallzahl"), default=3)
    self_consent_age = models.PositiveSmallIntegerField(
        _("Alter für eigene Einwilligung"), default=14,
        help_text=_("NRW: ab 14 Jahren in der Regel allein (Domänenreferenz § 5); je Land anpassbar."))
    follow_up_retention_months = models.PositiveSmallIntegerField(
        _("Nachverfolgung löschen nach (Monaten nach Schulaustritt)"), default=6)
    handover_retention_months = models.PositiveSmallIntegerField(
        _("Übermittlungen löschen nach (Monaten nach Erhebung, § 31a SGB III)"), default=6)
    student_retention_months = models.PositiveSmallIntegerField(
        _("Schülerdatensatz löschen nach (Monaten nach Schulaustritt)"), default=36)
    access_log_retention_months = models.PositiveSmallIntegerField(_("Zugriffsprotokoll aufbewahren (Monate)"),
                                                                   default=24)

    class Meta:
        verbose_name = _("Datenschutz- und Statistikregeln")
        verbose_name_plural = _("Datenschutz- und Statistikregeln")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="unique_transition_policy")]

    def __str__(self) -> str:
        return f"{self.tenant}: {self.get_disclosure_method_display()}"


# ---------------------------------------------------------------------------------------------
# Schools and students
# ---------------------------------------------------------------------------------------------


@audited
class School(TenantOwned):
    """A school in the tenant's transition management. The school itself is an ``Organisation``
    (shared reference data from the official lists)."""

    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("Schule"),
                                     on_delete=models.PROTECT, related_name="transition_schools")
    stadtteil = models.ForeignKey("regions.Region", verbose_name=_("Stadtteil"), on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    names_enabled = models.BooleanField(
        _("Klarnamen speichern"), default=False,
        help_text=_("Aus: nur Pseudonyme. Ein: Vor- und Nachname werden verschlüsselt gespeichert und sind nur "
                    "für diese Schule lesbar."))
    final_grade = models.PositiveSmallIntegerField(_("Abschlussjahrgang"), default=10)
    is_synthetic = models.BooleanField(_("synthetische Demodaten"), default=False)

    class Meta:
        verbose_name = _("Schule im Übergangsmanagement")
        verbose_name_plural = _("Schulen im Übergangsmanagement")
        constraints = [models.UniqueConstraint(fields=["tenant", "organisation"], name="unique_transition_school")]

    def __str__(self) -> str:
        return str(self.organisation)


class Gender(models.TextChoices):
    UNSTATED = "", _("keine Angabe")
    FEMALE = "w", _("weiblich")
    MALE = "m", _("männlich")
    DIVERSE = "d", _("divers")


class Qualification(models.TextChoices):
    NONE = "ohne", _("ohne Abschluss")
    FOERDER = "foerder", _("Förderschulabschluss")
    HSA = "hsa", _("Hauptschulabschluss / Erster Schulabschluss")
    QHSA = "qhsa", _("qualifizierender Hauptschulabschluss / erweiterter Erster Schulabschluss")
    RSA = "rsa", _("Realschulabschluss / Mittlerer Schulabschluss")
    FHR = "fhr", _("Fachhochschulreife")
    AHR = "ahr", _("Allgemeine Hochschulreife")


class StudentStatus(models.TextChoices):
    ACTIVE = "active", _("an der Schule")
    LEFT = "left", _("abgegangen")


@audited(exclude=("first_name_enc", "last_name_enc", "source_key"), person_level=True)
class Student(TenantOwned):
    """A pseudonymised young person: only what transition work needs. Names are optional and
    encrypted with the school's key (see ``pseudonyms``)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="students")
    pseudonym = models.CharField(_("Pseudonym"), max_length=20)
    source_key = models.CharField(max_length=64, blank=True,
                                  help_text="keyed hash of the class-list identity; makes re-imports idempotent")
    grade = models.PositiveSmallIntegerField(_("Jahrgang"))
    class_name = models.CharField(_("Klasse"), max_length=20)
    gender = models.CharField(_("Geschlecht"), max_length=1, choices=Gender.choices, blank=True)
    expected_qualification = models.CharField(_("angestrebter Abschluss"), max_length=10,
                                              choices=Qualification.choices, blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=StudentStatus.choices,
                              default=StudentStatus.ACTIVE)
    leaving_year = models.PositiveSmallIntegerField(_("Abgangsjahr"), null=True, blank=True, db_index=True)
    left_on = models.DateField(_("abgegangen am"), null=True, blank=True)
    synthetic = models.BooleanField(_("synthetisch"), default=False)
    first_name_enc = models.TextField(blank=True)
    last_name_enc = models.TextField(blank=True)
    handover_objection_on = models.DateField(_("Widerspruch gegen Übermittlung am"), null=True, blank=True)
    # Current planned and actual next step, kept in step with Destination by services (fast gap
    # views and statistics over a million records).
    planned_option = models.ForeignKey(DestinationOption, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+")
    actual_option = models.ForeignKey(DestinationOption, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    actual_outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    actual_sector = models.CharField(max_length=3, choices=IabeSector.choices, blank=True)
    actual_field = models.ForeignKey(OccupationalField, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Schüler*in")
        verbose_name_plural = _("Schüler*innen")
        ordering = ["class_name", "pseudonym"]
        constraints = [models.UniqueConstraint(fields=["school", "pseudonym"], name="unique_student_pseudonym")]
        indexes = [
            models.Index(fields=["school", "status", "grade", "class_name"]),
            models.Index(fields=["tenant", "status", "leaving_year"]),
            # Covers the cohort-statistics GROUP BY in its order: the engine streams the groups
            # from the index instead of sorting a million rows.
            models.Index(fields=["status", "tenant", "school", "leaving_year", "actual_outcome", "actual_sector",
                                 "gender", "actual_field", "synthetic"], name="transitions_student_cohort"),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class ActivityKind(models.TextChoices):
    POTENTIAL_ANALYSIS = "potential", _("Potenzialanalyse")
    BFE = "bfe", _("Berufsfelderkundung")
    INTERNSHIP = "internship", _("Betriebspraktikum")
    PRACTICE_COURSE = "practice", _("Praxiskurs")
    COUNSELLING_BA = "counsel_ba", _("Beratung durch die Berufsberatung der BA")
    COUNSELLING_OTHER = "counsel", _("Beratung (Schule oder andere)")
    APPLICATION_TRAINING = "application", _("Bewerbungstraining")
    EVENT = "event", _("Teilnahme an einer Veranstaltung")


# Activities in which the young person meets a company (gap view: "no encounter with a company").
COMPANY_ENCOUNTER_KINDS = {ActivityKind.BFE, ActivityKind.INTERNSHIP, ActivityKind.PRACTICE_COURSE,
                           ActivityKind.EVENT}


@audited(person_level=True)
class Activity(TenantOwned):
    """One career-orientation activity of one student."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("Art"), max_length=12, choices=ActivityKind.choices)
    element = models.ForeignKey(StandardElement, verbose_name=_("Standardelement"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+")
    on_date = models.DateField(_("Datum"))
    occupational_field = models.ForeignKey(OccupationalField, verbose_name=_("Berufsfeld"),
                                           on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    occupation = models.CharField(_("Beruf"), max_length=200, blank=True)
    provider = models.ForeignKey("organisations.Organisation", verbose_name=_("Betrieb / Anbieter"),
                                 on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    event = models.ForeignKey("Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.CharField(_("Notiz"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("BO-Aktivität")
        verbose_name_plural = _("BO-Aktivitäten")
        ordering = ["-on_date", "-id"]
        indexes = [models.Index(fields=["student", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on_date:%d.%m.%Y}"


# ---------------------------------------------------------------------------------------------
# Events, bookings, company access
# ---------------------------------------------------------------------------------------------


class EventKind(models.TextChoices):
    EVENT = "event", _("Veranstaltung (z. B. E-Craft)")
    BFE_PLACE = "bfe", _("Berufsfelderkundungsplatz")


@audited
class Event(TenantOwned):
    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("Betrieb / Anbieter"),
                                     on_delete=models.CASCADE, related_name="transition_events")
    kind = models.CharField(_("Art"), max_length=10, choices=EventKind.choices, default=EventKind.EVENT)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    occupational_field = models.ForeignKey(OccupationalField, verbose_name=_("Berufsfeld"),
                                           on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    location = models.CharField(_("Ort"), max_length=300)
    capacity = models.PositiveIntegerField(_("Plätze"))
    is_public = models.BooleanField(_("öffentlich"), default=True)
    is_synthetic = models.BooleanField(_("synthetische Demodaten"), default=False)

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        ordering = ["starts_at", "title"]

    def __str__(self) -> str:
        return self.title


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("angefragt")
    CONFIRMED = "confirmed", _("bestätigt")
    WAITLISTED = "waitlist", _("Warteliste")
    CANCELLED = "cancelled", _("storniert")


class SharedName(models.TextChoices):
    PSEUDONYM = "pseudonym", _("nur Pseudonym")
    FIRST_NAME = "first_name", _("Vorname")


@audited(person_level=True)
class Booking(TenantOwned):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="bookings")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="bookings")
    status = models.CharField(_("Status"), max_length=10, choices=BookingStatus.choices,
                              default=BookingStatus.REQUESTED)
    shared_name = models.CharField(_("für den Betrieb sichtbar"), max_length=12, choices=SharedName.choices,
                                   default=SharedName.PSEUDONYM)
    attended = models.BooleanField(_("teilgenommen"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Buchung")
        verbose_name_plural = _("Buchungen")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "student"], name="unique_booking")]

    def __str__(self) -> str:
        return f"Buchung {self.pk}"


@audited
class CompanyContact(TenantOwned):
    """Somebody at a company or provider who manages its events through an e-mailed link."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE,
                                     related_name="transition_contacts")
    name = models.CharField(_("Name"), max_length=200)
    email = models.EmailField(_("E-Mail"))
    is_active = models.BooleanField(_("aktiv"), default=True)
    link_generation = models.PositiveIntegerField(default=1, help_text="raising it invalidates every sent link")
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Ansprechperson im Betrieb")
        verbose_name_plural = _("Ansprechpersonen im Betrieb")
        constraints = [models.UniqueConstraint(fields=["tenant", "organisation", "email"],
                                               name="unique_company_contact")]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


# ---------------------------------------------------------------------------------------------
# Next steps, follow-up, consent, handover
# ---------------------------------------------------------------------------------------------


class DestinationKind(models.TextChoices):
    PLANNED = "planned", _("geplant (Anschlussvereinbarung)")
    ACTUAL = "actual", _("tatsächlich")


class DestinationSource(models.TextChoices):
    SCHOOL = "school", _("Schule")
    AGENCY = "agency", _("Agentur für Arbeit")
    SELF_REPORT = "self", _("Selbstauskunft")
    FOLLOW_UP = "follow_up", _("Nachverfolgungsgespräch")


class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", _("bestätigt")
    LIKELY = "likely", _("wahrscheinlich")
    UNCERTAIN = "uncertain", _("unsicher")


@audited(person_level=True)
class Destination(TenantOwned):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="destinations")
    kind = models.CharField(_("Art"), max_length=10, choices=DestinationKind.choices)
    option = models.ForeignKey(DestinationOption, verbose_name=_("Anschluss"), on_delete=models.PROTECT,
                               related_name="+")
    occupational_field = models.ForeignKey(OccupationalField, verbose_name=_("Berufsfeld"),
                                           on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    occupation = models.CharField(_("Beruf / Bildungsgang"), max_length=200, blank=True)
    # The training company, where known: lets a matching event count contracts "with one of its companies".
    provider = models.ForeignKey("organisations.Organisation", verbose_name=_("Ausbildungsbetrieb"),
                                 on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    on_date = models.DateField(_("Datum"))
    source = models.CharField(_("Quelle"), max_length=10, choices=DestinationSource.choices,
                              default=DestinationSource.SCHOOL)
    confidence = models.CharField(_("Verlässlichkeit"), max_length=10, choices=Confidence.choices,
                                  default=Confidence.CONFIRMED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Anschluss")
        verbose_name_plural = _("Anschlüsse")
        ordering = ["-on_date", "-id"]
        indexes = [models.Index(fields=["student", "kind", "-on_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.option.code}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("offen")
    DONE = "done", _("erledigt")


@audited(person_level=True)
class FollowUp(TenantOwned):
    """Nachverfolgung of a young person whose next step is unknown or missing."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="follow_ups")
    reason = models.CharField(_("Anlass"), max_length=10, choices=[
        (Outcome.UNKNOWN, _("Verbleib unbekannt")), (Outcome.NO_NEXT_STEP, _("noch kein Anschluss"))])
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("zuständig"), on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="+")
    due_on = models.DateField(_("fällig am"))
    status = models.CharField(_("Status"), max_length=10, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.OPEN)
    notes = models.TextField(_("Notizen"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Nachverfolgung")
        verbose_name_plural = _("Nachverfolgungen")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"Nachverfolgung {self.pk}"


class Purpose(models.TextChoices):
    CAREER_ORIENTATION = "orientation", _("Berufsorientierung an der Schule")
    FOLLOW_UP = "follow_up", _("Nachverfolgung nach Schulaustritt")
    HANDOVER = "handover", _("Übermittlung an Berufsberatung / Jugendberufsagentur")
    COMPANY_SHARING = "company", _("Vorname an Betriebe weitergeben")
    NAMES = "names", _("Speicherung des Klarnamens")


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)")
    SCHOOL_LAW = "school_law", _("Schulgesetz / öffentliche Aufgabe (Art. 6 Abs. 1 lit. e DSGVO)")
    SGB_III_31A = "sgb3_31a", _("§ 31a SGB III (Übermittlung an die Agentur für Arbeit, Widerspruch möglich)")


class ConsentGiver(models.TextChoices):
    STUDENT = "student", _("die junge Person selbst")
    GUARDIAN = "guardian", _("Erziehungsberechtigte")


@audited(person_level=True)
class Consent(TenantOwned):
    """Purpose and legal basis of processing for one student; consent with version, date, giver
    and withdrawal."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("Zweck"), max_length=12, choices=Purpose.choices)
    legal_basis = models.CharField(_("Rechtsgrundlage"), max_length=12, choices=LegalBasis.choices)
    text_version = models.CharField(_("Version des Einwilligungstexts"), max_length=30, blank=True)
    given_on = models.DateField(_("erteilt / erfasst am"))
    given_by = models.CharField(_("erteilt von"), max_length=10, choices=ConsentGiver.choices, blank=True)
    age_at_consent = models.PositiveSmallIntegerField(_("Alter bei Einwilligung"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    withdrawn_on = models.DateField(_("widerrufen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Rechtsgrundlage / Einwilligung")
        verbose_name_plural = _("Rechtsgrundlagen / Einwilligungen")
        ordering = ["purpose", "-given_on"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.get_legal_basis_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class HandoverRecipient(models.TextChoices):
    CAREER_GUIDANCE = "ba", _("Berufsberatung der Agentur für Arbeit")
    YOUTH_AGENCY = "jba", _("Jugendberufsagentur")


@audited(person_level=True)
class Handover(TenantOwned):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="handovers")
    recipient = models.CharField(_("an"), max_length=5, choices=HandoverRecipient.choices)
    # RESTRICT, not PROTECT: a consent cannot be deleted under its handover, but erasing the pupil
    # (Art. 17, retention) removes both in one step; PROTECT refused that.
    consent = models.ForeignKey(Consent, verbose_name=_("Grundlage"), on_delete=models.RESTRICT, related_name="+")
    handed_over_on = models.DateField(_("übermittelt am"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("Übermittlung")
        verbose_name_plural = _("Übermittlungen")
        ordering = ["-handed_over_on"]

    def __str__(self) -> str:
        return f"Übermittlung {self.pk} ({self.get_recipient_display()})"


# ---------------------------------------------------------------------------------------------
# Access log and statistics
# ---------------------------------------------------------------------------------------------


class AccessAction(models.TextChoices):
    VIEW_STUDENT = "student", _("Einzelansicht")
    VIEW_LIST = "list", _("Liste")
    EXPORT = "export", _("Auskunft (Art. 15)")
    ERASE = "erase", _("Löschung (Art. 17)")
    API = "api", _("Schnittstelle")
    COMPANY = "company", _("Betriebsportal")
    IMPORT = "import", _("Klassenlisten-Import")


class AccessLogEntry(TenantOwned):
    """Every read of person-level data: who, when, which page, which students (ids only).

    Not audited itself (it is the log) and never shows names."""

    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    what = models.CharField(max_length=200)
    student_ids = models.JSONField(default=list)
    record_count = models.PositiveIntegerField(default=0)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Zugriff auf personenbezogene Daten")
        verbose_name_plural = _("Zugriffsprotokoll")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["tenant", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.actor_label} {self.get_action_display()}"


class StatLevel(models.TextChoices):
    SCHOOL = "school", _("Schule")
    STADTTEIL = "stadtteil", _("Stadtteil")
    TENANT = "tenant", _("gesamt")


class CohortStatistic(TenantOwned):
    """Precomputed counts of leavers by year, area, outcome, iABE sector, gender and occupational
    field. Raw counts: the disclosure rule is applied whenever a figure leaves the school level.
    Survives the deletion of the person records it was computed from."""

    year = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10, choices=StatLevel.choices)
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    stadtteil = models.ForeignKey("regions.Region", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    outcome = models.CharField(max_length=10, blank=True)
    sector = models.CharField(max_length=3, blank=True)
    gender = models.CharField(max_length=1, blank=True)
    field_code = models.CharField(max_length=20, blank=True)
    count = models.PositiveIntegerField()
    synthetic = models.BooleanField(default=False)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Kohortenstatistik")
        verbose_name_plural = _("Kohortenstatistik")
        indexes = [models.Index(fields=["tenant", "level", "year"])]
