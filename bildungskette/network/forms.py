"""Forms of the network area. Choices are always limited to the tenant's own data."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bildungskette.core.timing import PastDateConfirmMixin, started_or_refuse
from bildungskette.core.uploads import LimitedFileField
from bildungskette.core.versioning import StaleSaveMixin
from bildungskette.organisations.models import Organisation, OrganisationType, Person

from .models import (
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    Attendance,
    Body,
    Commitment,
    CommitmentStatus,
    CooperationAgreement,
    Decision,
    Meeting,
    Membership,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def tenant_organisations(tenant):
    return Organisation.objects.filter(tenant=tenant).order_by("name")


def _full_names(*fields) -> None:
    """Organisations are listed by their full name in choices (short names repeat across tenants)."""
    for field in fields:
        field.label_from_instance = lambda org: org.name


class BodyForm(StaleSaveMixin, forms.ModelForm):
    key_partner_types = forms.MultipleChoiceField(
        label=_("Schlüsselpartner"),
        choices=OrganisationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Arten von Organisationen, die mit einem aktiven Mitglied vertreten sein sollen."),
    )

    class Meta:
        model = Body
        fields = [
            "name",
            "short_name",
            "type",
            "parent",
            "mandate",
            "field_of_action",
            "is_public",
            "founded_on",
            "dissolved_on",
            "email",
            "key_partner_types",
        ]
        widgets = {"founded_on": DATE, "dissolved_on": DATE, "mandate": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Body.objects.filter(tenant=tenant)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class MembershipForm(StaleSaveMixin, forms.ModelForm):
    external_id = forms.CharField(
        label=_("oder Kennung aus dem Schulverzeichnis"),
        required=False,
        max_length=60,
        help_text=_("z. B. HE-9203 oder NRW-123456, um eine Schule aus den amtlichen Listen aufzunehmen."),
    )

    class Meta:
        model = Membership
        fields = ["organisation", "role", "start_date", "end_date", "voting_right", "delegates", "deputies", "note"]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "delegates": forms.CheckboxSelectMultiple,
            "deputies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = tenant_organisations(tenant)
        self.fields["organisation"].required = False
        _full_names(self.fields["organisation"])
        people = (
            Person.objects.filter(tenant=tenant).select_related("organisation").order_by("organisation__name", "name")
        )
        if self.instance.pk:
            people = people.filter(organisation=self.instance.organisation)
            self.fields["organisation"].disabled = True
            del self.fields["external_id"]
        self.fields["delegates"].queryset = people
        self.fields["deputies"].queryset = people

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            return data
        external_id = (data.get("external_id") or "").strip()
        if external_id and not data.get("organisation"):
            org = Organisation.objects.filter(external_id__iexact=external_id, tenant__isnull=True).first()
            if org is None:
                self.add_error("external_id", _("Keine Schule mit dieser Kennung gefunden."))
            data["organisation"] = org
        if not data.get("organisation"):
            self.add_error("organisation", _("Bitte eine Organisation wählen."))
        for person in list(data.get("delegates") or []) + list(data.get("deputies") or []):
            if data.get("organisation") and person.organisation_id != data["organisation"].pk:
                self.add_error("delegates", _("%(p)s gehört nicht zu dieser Organisation.") % {"p": person.name})
        return data


class MeetingForm(StaleSaveMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "location", "video_url", "invitation_text"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME, "invitation_text": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("Das Ende liegt vor dem Beginn."))
        if not data.get("location") and not data.get("video_url"):
            self.add_error("location", _("Bitte einen Ort oder einen Videokonferenz-Link angeben."))
        return data


class AgendaItemForm(StaleSaveMixin, forms.ModelForm):
    document = LimitedFileField(kind="dokument", label=_("Unterlage anhängen"), required=False)

    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "parent",
            "presenter",
            "presenter_organisation",
            "duration_minutes",
            "description",
            "is_public",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = meeting.agenda_items.filter(parent__isnull=True)
        self.fields["parent"].label = _("als Unterpunkt von")
        self.fields["presenter_organisation"].queryset = tenant_organisations(meeting.tenant)
        _full_names(self.fields["presenter_organisation"])


class MinutesForm(StaleSaveMixin, forms.Form):
    """Minutes text per agenda item, general notes; attendance comes as one radio group per member."""

    minutes_taker = forms.CharField(label=_("Protokoll geführt von"), required=False, max_length=200)
    minutes_summary = forms.CharField(
        label=_("Allgemeine Notizen"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, meeting, numbered_items, members, **kwargs):
        super().__init__(*args, version_of=meeting, **kwargs)
        self.meeting = meeting
        self.item_fields = []
        for number, item, _kids in numbered_items:
            name = f"item_{item.pk}"
            self.fields[name] = forms.CharField(
                label=_("TOP %(n)s: %(t)s") % {"n": number, "t": item.title},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=item.minutes,
            )
            self.item_fields.append((item, name))
        self.fields["minutes_summary"].initial = meeting.minutes_summary
        self.fields["minutes_taker"].initial = meeting.minutes_taker
        current = {a.organisation_id: a.status for a in meeting.attendances.all()}
        self.attendance_rows = [
            {
                "id": m.organisation_id,
                "name": m.organisation.name,
                "status": (self.data.get(f"att_{m.organisation_id}") if self.is_bound else None)
                or current.get(m.organisation_id, ""),
                # Not recorded yet reads as absent (as the radio buttons show it).
                "current": current.get(m.organisation_id) or "absent",
            }
            for m in members
        ]

    def version_state(self) -> dict[str, object]:
        state = super().version_state()
        state["attendance"] = sorted((row["id"], row["current"]) for row in self.attendance_rows)
        return state

    def _version_label(self, name: str) -> str:
        return str(_("Anwesenheit")) if name == "attendance" else super()._version_label(name)

    def _version_display(self, name: str, value) -> str:
        if name == "attendance":
            labels = dict(Attendance.Status.choices)
            return ", ".join(f"{row['name']}: {labels.get(row['current'], _('abwesend'))}"
                             for row in self.attendance_rows)
        return super()._version_display(name, value)

    def clean(self):
        from .services import NOT_STARTED_MINUTES

        data = super().clean()
        started_or_refuse(self.meeting.starts_at, message=str(NOT_STARTED_MINUTES))
        return data

    def attendance(self) -> dict[str, set[int]]:
        """{"present": {org ids}, "excused": {...}} from the radio groups (anything else: absent)."""
        result = {"present": set(), "excused": set()}
        for row in self.attendance_rows:
            value = self.data.get(f"att_{row['id']}")
            if value in result:
                result[value].add(row["id"])
        return result


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["agenda_item", "text", "reference", "votes_yes", "votes_no", "votes_abstain", "is_public"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        self.fields["reference"].help_text = _("leer: wird fortlaufend vergeben")
        for name in ("votes_yes", "votes_no", "votes_abstain"):
            self.fields[name].help_text = _("nur bei Abstimmung")


class ActionItemForm(PastDateConfirmMixin, forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "decision", "agenda_item", "owner_organisation", "owner_person", "due_date", "description"]
        widgets = {"due_date": DATE, "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = meeting.decisions.all()
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        member_ids = meeting.body.memberships.values("organisation_id")
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(
            Q(tenant=meeting.tenant) | Q(pk__in=member_ids)
        ).order_by("name")
        self.fields["owner_organisation"].required = True
        _full_names(self.fields["owner_organisation"])
        self.fields["owner_person"].queryset = Person.objects.filter(tenant=meeting.tenant).select_related(
            "organisation"
        )

    def clean(self):
        data = super().clean()
        person, org = data.get("owner_person"), data.get("owner_organisation")
        if person and org and person.organisation_id != org.pk:
            self.add_error("owner_person", _("Die Person gehört nicht zur verantwortlichen Organisation."))
        return data


class ActionItemStatusForm(StaleSaveMixin, forms.Form):
    status = forms.ChoiceField(label=_("Stand"), choices=ActionItemStatus.choices)
    progress_note = forms.CharField(label=_("Sachstand"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AgreementForm(StaleSaveMixin, forms.ModelForm):
    class Meta:
        model = CooperationAgreement
        fields = [
            "title",
            "subject",
            "parties",
            "body",
            "signed_on",
            "signed_at_place",
            "valid_from",
            "valid_until",
            "review_on",
            "reminder_days",
            "status",
            "is_public",
            "source",
        ]
        widgets = {
            "signed_on": DATE,
            "valid_from": DATE,
            "valid_until": DATE,
            "review_on": DATE,
            "subject": forms.Textarea(attrs={"rows": 3}),
            "parties": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = tenant_organisations(tenant)
        _full_names(self.fields["parties"])
        self.fields["body"].queryset = Body.objects.filter(tenant=tenant)

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("Das Ende der Gültigkeit liegt vor ihrem Beginn."))
        return data


class CommitmentForm(PastDateConfirmMixin, forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["party", "text", "due_date"]
        widgets = {"due_date": DATE, "text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = agreement.parties.all()
        _full_names(self.fields["party"])


class CommitmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Stand"), choices=CommitmentStatus.choices)
    evidence = forms.CharField(label=_("Nachweis"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence_url = forms.URLField(label=_("Nachweis (Link)"), required=False)
    document = LimitedFileField(kind="dokument", label=_("Nachweis als Datei"), required=False)


class ChairRotationForm(StaleSaveMixin, forms.Form):
    """Who takes turns in the chair, in this order (two to four organisations), one term each."""

    starts_on = forms.DateField(label=_("Beginn der ersten Amtszeit"), widget=DATE)
    term_months = forms.IntegerField(label=_("Amtszeit in Monaten"), min_value=1, max_value=120, initial=12)
    first = forms.ModelChoiceField(label=_("1. Vorsitz"), queryset=Organisation.objects.none())
    second = forms.ModelChoiceField(label=_("2. Vorsitz"), queryset=Organisation.objects.none())
    third = forms.ModelChoiceField(
        label=_("3. Vorsitz (optional)"), queryset=Organisation.objects.none(), required=False
    )
    fourth = forms.ModelChoiceField(
        label=_("4. Vorsitz (optional)"), queryset=Organisation.objects.none(), required=False
    )
    description = forms.CharField(label=_("Beschreibung"), max_length=300, required=False)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        members = Organisation.objects.filter(body_memberships__body=body).distinct().order_by("name")
        for name in ("first", "second", "third", "fourth"):
            self.fields[name].queryset = members
            _full_names(self.fields[name])

    def organisations(self) -> list:
        return [self.cleaned_data[n] for n in ("first", "second", "third", "fourth") if self.cleaned_data.get(n)]

    def clean(self):
        data = super().clean()
        chosen = [data.get(n) for n in ("first", "second", "third", "fourth") if data.get(n)]
        if len({o.pk for o in chosen}) != len(chosen):
            raise forms.ValidationError(_("Jede Organisation nur einmal in die Reihenfolge aufnehmen."))
        return data


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Bezeichnung"), max_length=300, required=False)
    file = LimitedFileField(kind="dokument", label=_("Datei"))
