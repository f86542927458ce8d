"""Forms: a company's training places (through its e-mail link) and the tours of a matching evening."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bildungskette.core.versioning import StaleSaveMixin
from bildungskette.monitoring.importers.kldb import kldb_titles

from .models import MAX_PLACES_PER_ENTRY


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


def kldb_choices() -> list[tuple[str, str]]:
    """Berufsgattungen (5 digits) of KldB 2010, for the searchable list (the first digit of the
    tail is the Anforderungsniveau; Ausbildungsberufe are mostly level 2 "fachlich ausgerichtet")."""
    return [(code, f"{code} {title}") for code, title in kldb_titles().items() if len(code) in (3, 5)]


class TrainingPlaceForm(StaleSaveMixin, forms.Form):
    occupation = forms.CharField(
        label=_("Beruf (KldB 2010)"), max_length=250,
        help_text=_("Tippen Sie einen Teil der Bezeichnung oder den Schlüssel und wählen Sie aus der Liste, "
                    "z. B. „26212 Berufe in der Bauelektrik“ oder „342 Klempnerei, Sanitär, Heizung, "
                    "Klimatechnik“."),
        widget=forms.TextInput(attrs={"list": "kldb-liste", "autocomplete": "off"}))
    title = forms.CharField(label=_("Berufsbezeichnung im Betrieb"), max_length=200, required=False,
                            help_text=_("z. B. Elektroniker*in für Energie- und Gebäudetechnik"))
    starts_on = forms.DateField(label=_("Ausbildungsbeginn"), widget=DateInput())
    places = forms.IntegerField(label=_("Anzahl Plätze"), min_value=1, max_value=MAX_PLACES_PER_ENTRY)
    housing_help = forms.BooleanField(label=_("Wir helfen bei der Wohnungssuche (Azubi-Wohnen)"), required=False)
    street = forms.CharField(label=_("Straße und Hausnummer des Ausbildungsorts"), max_length=200)
    postcode = forms.RegexField(label=_("PLZ"), regex=r"^\d{5}$", max_length=5,
                                error_messages={"invalid": _("Bitte eine fünfstellige PLZ angeben.")})
    city = forms.CharField(label=_("Ort"), max_length=120)
    latitude = forms.FloatField(label=_("Breite"), required=False, min_value=47.2, max_value=55.1,
                                help_text=_("Optional: ohne Angabe gilt zunächst der Mittelpunkt der Gemeinde; "
                                            "danach lässt sich die Position auf der Karte setzen."))
    longitude = forms.FloatField(label=_("Länge"), required=False, min_value=5.8, max_value=15.1)

    def clean_occupation(self) -> str:
        value = self.cleaned_data["occupation"].strip()
        code = value.split(" ", 1)[0]
        if code not in kldb_titles():
            raise forms.ValidationError(_("Bitte einen Beruf aus der Liste wählen (KldB-2010-Schlüssel vorn)."))
        return code

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Bitte Breite und Länge gemeinsam angeben oder beide leer lassen."))
        return data


def training_place_initial(place) -> dict:
    titles = kldb_titles()
    site = place.site
    return {
        "occupation": f"{place.kldb} {titles.get(place.kldb, '')}".strip(), "title": place.title,
        "starts_on": place.starts_on, "places": place.places, "housing_help": place.housing_help,
        "street": site.street if site else "", "postcode": site.postcode if site else "",
        "city": site.city if site else "", "latitude": site.latitude if site else None,
        "longitude": site.longitude if site else None,
    }
