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


# ---------------------------------------------------------------------------------------------
# Tours (Nacht der Ausbildung): staff with "passung.change" create and change them

TOUR_COMPANY_STOPS = 8


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _departure_lines(text: str) -> list[dict]:
    """One departure point per line, optionally with its time in front: „17:00 Fulda, ZOB“."""
    import datetime
    import re

    stops = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        at = None
        match = re.match(r"^(\d{1,2}):(\d{2})\s+(.*)$", line)
        if match:
            hour, minute = int(match[1]), int(match[2])
            if hour > 23 or minute > 59:
                raise forms.ValidationError(
                    _("Zeile %(n)d: „%(t)s“ ist keine gültige Uhrzeit.") % {"n": number, "t": f"{match[1]}:{match[2]}"})
            at, line = datetime.time(hour, minute), match[3].strip()
        if not line:
            raise forms.ValidationError(_("Zeile %(n)d: Bitte nach der Uhrzeit den Ort angeben.") % {"n": number})
        if len(line) > 200:
            raise forms.ValidationError(_("Zeile %(n)d: höchstens 200 Zeichen je Abfahrtsort.") % {"n": number})
        stops.append({"kind": "departure", "place_name": line, "at": at})
    return stops


class TourForm(StaleSaveMixin, forms.Form):
    """A tour: its event data, the departure points (one per line) and up to ``TOUR_COMPANY_STOPS``
    companies in route order. Works without JavaScript; the company selects are plain selects."""

    series = forms.CharField(label=_("Veranstaltungsreihe"), max_length=200,
                             help_text=_("z. B. Nacht der Ausbildung 2027"))
    title = forms.CharField(label=_("Titel der Tour"), max_length=200)
    organiser = forms.ModelChoiceField(
        label=_("Veranstalter"), queryset=None,
        help_text=_("Organisation, die die Tour anbietet (erscheint bei der Anmeldung)."))
    starts_at = forms.DateTimeField(label=_("Beginn (Datum und Uhrzeit)"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ende (Datum und Uhrzeit)"), widget=DateTimeInput())
    capacity = forms.IntegerField(label=_("Plätze"), min_value=1, max_value=10000,
                                  error_messages={"min_value": _("Eine Tour braucht mindestens einen Platz.")})
    departures = forms.CharField(
        label=_("Abfahrtsorte"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ein Abfahrtsort je Zeile, in der Reihenfolge der Route; die Uhrzeit optional vorn, "
                    "z. B. „17:00 Fulda, ZOB“."),
        error_messages={"required": _("Bitte mindestens einen Abfahrtsort angeben.")})

    def __init__(self, *args, tenant, **kwargs):
        from bildungskette.organisations.models import Organisation, OrganisationType

        # The company stops are built per tenant before the form copies its fields.
        companies = Organisation.objects.filter(tenant=tenant, type=OrganisationType.BETRIEB).order_by("name")
        extra = {}
        for i in range(1, TOUR_COMPANY_STOPS + 1):
            extra[f"company_{i}"] = forms.ModelChoiceField(
                label=_("%(n)d. Betrieb") % {"n": i}, queryset=companies, required=False,
                empty_label=_("– kein Betrieb –"))
            extra[f"company_{i}_at"] = forms.TimeField(label=_("Uhrzeit am %(n)d. Betrieb") % {"n": i},
                                                       required=False, widget=TimeInput())
        self.base_fields = {**self.base_fields, **extra}
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Organisation.objects.filter(tenant=tenant).order_by("name")
        self.company_fields = [(f"company_{i}", f"company_{i}_at") for i in range(1, TOUR_COMPANY_STOPS + 1)]

    def company_rows(self):
        return [(self[c], self[t]) for c, t in self.company_fields]

    def event_fields(self):
        return [self[n] for n in ("series", "title", "organiser", "starts_at", "ends_at", "capacity")]

    def clean_departures(self) -> list[dict]:
        stops = _departure_lines(self.cleaned_data["departures"])
        if not stops:
            raise forms.ValidationError(_("Bitte mindestens einen Abfahrtsort angeben."))
        return stops

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Die Tour muss nach ihrem Beginn enden."))
        for company, at in self.company_fields:
            if data.get(at) and not data.get(company):
                self.add_error(company, _("Zur Uhrzeit fehlt der Betrieb."))
        if not any(data.get(c) for c, _at in self.company_fields):
            self.add_error("company_1", _("Bitte mindestens einen Betrieb als Station wählen."))
        return data

    def stops(self) -> list[dict]:
        data = self.cleaned_data
        return list(data["departures"]) + [
            {"kind": "company", "organisation": data[c], "at": data.get(at)}
            for c, at in self.company_fields if data.get(c)]


def tour_initial(tour) -> dict:
    from django.utils import timezone

    event = tour.event
    initial = {"series": tour.series, "title": event.title, "organiser": event.organisation_id,
               "starts_at": timezone.localtime(event.starts_at), "ends_at": timezone.localtime(event.ends_at),
               "capacity": event.capacity}
    lines = []
    companies = []
    for stop in tour.stops.all():
        if stop.kind == "departure":
            lines.append(f"{stop.at:%H:%M} {stop.place_name}" if stop.at else stop.place_name)
        else:
            companies.append(stop)
    initial["departures"] = "\n".join(lines)
    for i, stop in enumerate(companies[:TOUR_COMPANY_STOPS], start=1):
        initial[f"company_{i}"], initial[f"company_{i}_at"] = stop.organisation_id, stop.at
    return initial
