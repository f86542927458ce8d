from django import forms
from django.utils.translation import gettext_lazy as _

from bildungskette.core.importing import importers
from bildungskette.core.uploads import LimitedFileField
from bildungskette.core.versioning import StaleSaveMixin

from .models import LearningPlace, Offer

TRI_STATE = [("", _("unbekannt")), ("true", _("ja")), ("false", _("nein"))]


class PlaceForm(StaleSaveMixin, forms.ModelForm):
    class Meta:
        model = LearningPlace
        fields = ["name", "category", "description", "street", "postcode", "city", "latitude", "longitude",
                  "phone", "email", "website", "contact_name", "opening_hours", "languages", "target_groups",
                  "age_min", "age_max", "step_free", "accessible_toilet", "induction_loop"]
        widgets = {
            "target_groups": forms.CheckboxSelectMultiple,
            "step_free": forms.Select(choices=TRI_STATE),
            "accessible_toilet": forms.Select(choices=TRI_STATE),
            "induction_loop": forms.Select(choices=TRI_STATE),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"latitude": _("z. B. 51.4818 – ohne Koordinaten erscheint der Ort nur in der Liste.")}

    def __init__(self, *args, operator_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("step_free", "accessible_toilet", "induction_loop"):
            self.fields[name] = forms.NullBooleanField(
                label=self.fields[name].label, required=False,
                widget=forms.Select(choices=TRI_STATE))
        if operator_choices is not None:
            self.fields["operator"] = forms.ModelChoiceField(operator_choices, label=_("Träger / Betreiber"))
            if self.instance.pk and self.instance.operator_id:
                self.initial["operator"] = self.instance.operator_id


class OfferForm(StaleSaveMixin, forms.ModelForm):
    class Meta:
        model = Offer
        fields = ["title", "description", "place", "region", "target_groups", "topics", "age_min", "age_max",
                  "education_stage", "cost", "starts_on", "ends_on", "recurrence", "registration",
                  "funding_programme"]
        widgets = {
            "target_groups": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, place_choices=None, region_choices=None, provider_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if place_choices is not None:
            self.fields["place"].queryset = place_choices
        if region_choices is not None:
            self.fields["region"].queryset = region_choices
        if provider_choices is not None:
            self.fields["provider"] = forms.ModelChoiceField(provider_choices, label=_("Anbieter"))
            if self.instance.pk and self.instance.provider_id:
                self.initial["provider"] = self.instance.provider_id

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("region"):
            raise forms.ValidationError(_("Bitte einen Lernort oder ein Gebiet (regionsweites Angebot) wählen."))
        if data.get("age_min") is not None and data.get("age_max") is not None and data["age_min"] > data["age_max"]:
            self.add_error("age_max", _("Das Höchstalter liegt unter dem Mindestalter."))
        return data


def _format_choices():
    return [("auto", _("automatisch erkennen"))] + [
        (i.format, i.label) for i in importers() if i.format.startswith("places-")
    ]


class ImportForm(forms.Form):
    file = LimitedFileField(kind="lernorte", label=_("Datei"), help_text=_(
        "Schulverzeichnis NRW (CSV), Schulliste Hessen (JSON), eigene CSV- oder GeoJSON-Datei; höchstens 20 MB. "
        "Größere Dateien als 2 MB werden im Hintergrund eingelesen."))
    format = forms.ChoiceField(label=_("Format"), choices=_format_choices)
    mapping = forms.CharField(
        label=_("Spaltenzuordnung"), required=False,
        help_text=_("Nur für eigene Dateien, z. B. name=Einrichtung, kategorie=Art, breite=lat, laenge=lon. "
                    "Eine feste Kategorie: kategorie=bibliothek."),
    )


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("Begründung (bei Ablehnung Pflicht)"), required=False, max_length=500)
