"""Forms of the transition area (labels in German, every field with a visible label)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bildungskette.core.timing import PastDateConfirmMixin
from bildungskette.core.uploads import LimitedFileField
from bildungskette.core.versioning import StaleSaveMixin
from bildungskette.organisations.models import OrganisationType

from .models import (
    ActivityKind,
    Confidence,
    ConsentGiver,
    DestinationKind,
    DestinationSource,
    DisclosureMethod,
    EventKind,
    Gender,
    HandoverRecipient,
    LegalBasis,
    Purpose,
    Qualification,
    SharedName,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art der Aktivität"), choices=ActivityKind.choices)
    on_date = forms.DateField(label=_("Datum"), widget=DateInput(), initial=timezone.localdate)
    occupational_field = forms.ModelChoiceField(label=_("Berufsfeld"), queryset=None, required=False,
                                                help_text=_("Bei Berufsfelderkundung bitte angeben."))
    occupation = forms.CharField(label=_("Beruf"), max_length=200, required=False,
                                 help_text=_("Bei einem Praktikum: der Beruf."))
    provider = forms.ModelChoiceField(label=_("Betrieb / Anbieter"), queryset=None, required=False)
    note = forms.CharField(label=_("Notiz (ohne Gesundheits- oder Familiendaten)"), max_length=300, required=False)

    def __init__(self, *args, fields_qs=None, providers_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupational_field"].queryset = fields_qs
        self.fields["provider"].queryset = providers_qs

    def clean(self):
        data = super().clean()
        if data.get("kind") == ActivityKind.BFE and not data.get("occupational_field"):
            self.add_error("occupational_field", _("Eine Berufsfelderkundung braucht ein Berufsfeld."))
        if data.get("kind") == ActivityKind.INTERNSHIP and not data.get("occupation"):
            self.add_error("occupation", _("Ein Praktikum braucht den Beruf."))
        return data


class DestinationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art"), choices=DestinationKind.choices)
    option = forms.ModelChoiceField(label=_("Anschluss"), queryset=None)
    on_date = forms.DateField(label=_("Datum"), widget=DateInput(), initial=timezone.localdate)
    occupational_field = forms.ModelChoiceField(label=_("Berufsfeld"), queryset=None, required=False)
    occupation = forms.CharField(label=_("Beruf / Bildungsgang"), max_length=200, required=False)
    provider = forms.ModelChoiceField(label=_("Ausbildungsbetrieb"), queryset=None, required=False,
                                      help_text=_("Bei einem Ausbildungsvertrag: der Betrieb, falls bekannt."))
    source = forms.ChoiceField(label=_("Quelle"), choices=DestinationSource.choices)
    confidence = forms.ChoiceField(label=_("Verlässlichkeit"), choices=Confidence.choices)

    def __init__(self, *args, options_qs=None, fields_qs=None, providers_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].queryset = options_qs
        self.fields["option"].label_from_instance = lambda o: f"{o.code} – {o.title}"
        self.fields["occupational_field"].queryset = fields_qs
        if providers_qs is None:
            self.fields.pop("provider")
        else:
            self.fields["provider"].queryset = providers_qs


class ClassDestinationForm(forms.Form):
    """One select per student: the planned next step for a whole class at once."""

    on_date = forms.DateField(label=_("Datum der Anschlussvereinbarung"), widget=DateInput(),
                              initial=timezone.localdate)

    def __init__(self, *args, students=(), options_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.students = list(students)
        for student in self.students:
            field = forms.ModelChoiceField(label=student.pseudonym, queryset=options_qs, required=False,
                                           initial=student.planned_option_id)
            field.label_from_instance = lambda o: f"{o.code} – {o.title}"
            self.fields[f"s{student.pk}"] = field


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Zweck"), choices=Purpose.choices)
    legal_basis = forms.ChoiceField(label=_("Rechtsgrundlage"), choices=LegalBasis.choices)
    given_on = forms.DateField(label=_("erteilt / erfasst am"), widget=DateInput(), initial=timezone.localdate)
    text_version = forms.CharField(label=_("Version des Einwilligungstexts"), max_length=30, required=False)
    given_by = forms.ChoiceField(label=_("erteilt von"), choices=[("", "—")] + ConsentGiver.choices, required=False)
    age_at_consent = forms.IntegerField(label=_("Alter bei Einwilligung"), min_value=5, max_value=30, required=False)


class HandoverForm(forms.Form):
    recipient = forms.ChoiceField(label=_("Übergabe an"), choices=HandoverRecipient.choices)


class FollowUpForm(PastDateConfirmMixin, StaleSaveMixin, forms.Form):
    past_date_fields = ("due_on",)

    due_on = forms.DateField(label=_("fällig am"), widget=DateInput())
    notes = forms.CharField(label=_("Notizen"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    close = forms.BooleanField(label=_("erledigt"), required=False)


class ClassListUploadForm(forms.Form):
    file = LimitedFileField(kind="klassenliste", label=_("Klassenliste (CSV)"), help_text=_(
        "Spalten: Nachname; Vorname; Geburtsdatum (optional); Jahrgang; Klasse; Geschlecht (w/m/d, optional); "
        "Abschluss (optional, z. B. HSA, RSA). Namen werden beim Import durch Pseudonyme ersetzt."))


class StudentForm(forms.Form):
    grade = forms.IntegerField(label=_("Jahrgang"), min_value=5, max_value=13)
    class_name = forms.CharField(label=_("Klasse"), max_length=20)
    gender = forms.ChoiceField(label=_("Geschlecht"), choices=Gender.choices, required=False)
    expected_qualification = forms.ChoiceField(label=_("angestrebter Abschluss"),
                                               choices=[("", "—")] + Qualification.choices, required=False)


class SchoolSettingsForm(StaleSaveMixin, forms.Form):
    names_enabled = forms.BooleanField(label=_("Klarnamen verschlüsselt speichern (nur für diese Schule lesbar)"),
                                       required=False)
    final_grade = forms.IntegerField(label=_("Abschlussjahrgang"), min_value=9, max_value=13)


class EventForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Betrieb / Anbieter"), queryset=None)
    kind = forms.ChoiceField(label=_("Art"), choices=EventKind.choices)
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(label=_("Beschreibung"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    occupational_field = forms.ModelChoiceField(label=_("Berufsfeld"), queryset=None, required=False)
    starts_at = forms.DateTimeField(label=_("Beginn"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ende"), widget=DateTimeInput())
    location = forms.CharField(label=_("Ort"), max_length=300)
    capacity = forms.IntegerField(label=_("Plätze"), min_value=1, max_value=2000)
    is_public = forms.BooleanField(label=_("öffentlich anzeigen"), required=False, initial=True)

    def __init__(self, *args, organisations_qs=None, fields_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_qs
        self.fields["occupational_field"].queryset = fields_qs

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("Das Ende muss nach dem Beginn liegen."))
        return data


class BookingForm(forms.Form):
    shared_name = forms.ChoiceField(label=_("Für den Betrieb sichtbar"), choices=SharedName.choices,
                                    initial=SharedName.PSEUDONYM)


class CompanyLinkForm(forms.Form):
    email = forms.EmailField(label=_("Ihre E-Mail-Adresse"))


class CompanyColleagueForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-Mail"))


class CompanyContactForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Betrieb / Anbieter"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-Mail"))

    def __init__(self, *args, organisations_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_qs


class PolicyForm(StaleSaveMixin, forms.Form):
    disclosure_method = forms.ChoiceField(label=_("Geheimhaltungsregel"), choices=DisclosureMethod.choices)
    min_cell = forms.IntegerField(label=_("Mindestfallzahl"), min_value=2, max_value=20)
    self_consent_age = forms.IntegerField(label=_("Alter für eigene Einwilligung"), min_value=12, max_value=18)
    follow_up_retention_months = forms.IntegerField(label=_("Nachverfolgung löschen nach (Monaten)"), min_value=1,
                                                    max_value=60)
    handover_retention_months = forms.IntegerField(label=_("Übermittlungen löschen nach (Monaten)"), min_value=1,
                                                   max_value=6,
                                                   help_text=_("§ 31a SGB III: spätestens nach 6 Monaten."))
    student_retention_months = forms.IntegerField(label=_("Schülerdatensätze löschen nach (Monaten)"), min_value=1,
                                                  max_value=120)


COMPANY_TYPES = [OrganisationType.BETRIEB, OrganisationType.TRAEGER, OrganisationType.HWK, OrganisationType.IHK,
                 OrganisationType.KREISHANDWERKERSCHAFT, OrganisationType.HOCHSCHULE,
                 OrganisationType.AGENTUR_FUER_ARBEIT]
