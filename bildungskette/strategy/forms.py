"""Forms of the strategy pages (querysets are always limited to what the tenant may use)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bildungskette.core.versioning import StaleSaveMixin
from bildungskette.organisations.selectors import organisations_visible_to
from bildungskette.regions.models import RegionKind
from bildungskette.regions.selectors import regions_visible_to, tenant_kreis_codes, tenant_neighbour_kreis_codes

from .models import (
    STATUS_CHOICES,
    AgreementParty,
    EducationStage,
    Goal,
    GoalAgreement,
    GoalIndicator,
    Measure,
    OverlapDecisionKind,
    ReviewDecisionKind,
    StrategyPeriod,
    StrategyReview,
)
from .selectors import programmes_for, target_groups_for


def _tenant_area_regions(tenant):
    """Regions a measure or indicator of this tenant may refer to: its Kreise, their Gemeinden, its own
    areas, and the neighbouring Kreise (a measure may reach across the border)."""
    codes = tenant_kreis_codes(tenant)
    query = Q(tenant=tenant) | Q(code__in=tenant_neighbour_kreis_codes(tenant), kind=RegionKind.KREIS)
    for code in codes:
        query |= Q(code__startswith=code, tenant__isnull=True, kind__in=[RegionKind.KREIS, RegionKind.GEMEINDE])
    return regions_visible_to(tenant).filter(query).defer("boundary").order_by("kind", "name")


def _tenant_organisations(tenant):
    return organisations_visible_to(tenant).filter(tenant=tenant).order_by("name")


def _bodies(tenant):
    if not apps.is_installed("bildungskette.network"):
        return None
    return apps.get_model("network", "Body").objects.filter(tenant=tenant).order_by("name")


class PeriodForm(forms.ModelForm):
    class Meta:
        model = StrategyPeriod
        fields = ["name", "start_year", "end_year", "leitziel", "description"]
        widgets = {"leitziel": forms.Textarea(attrs={"rows": 3}), "description": forms.Textarea(attrs={"rows": 3})}


class SuccessorForm(forms.Form):
    name = forms.CharField(label=_("Name der neuen Strategie"), max_length=200)
    start_year = forms.IntegerField(label=_("von (Jahr)"), min_value=1990, max_value=2100)
    end_year = forms.IntegerField(label=_("bis (Jahr)"), min_value=1990, max_value=2100)


class GoalForm(StaleSaveMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["code", "title", "description", "level", "parent", "field_of_action", "body",
                  "responsible_organisations", "rollup", "weight", "order"]
        localized_fields = ["weight"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, period: StrategyPeriod, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period
        parents = Goal.objects.filter(period=period).order_by("code")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["field_of_action"].queryset = period.fields_of_action.all()
        bodies = _bodies(period.tenant)
        if bodies is not None:
            self.fields["body"].queryset = bodies
        self.fields["responsible_organisations"].queryset = _tenant_organisations(period.tenant)
        self.fields["responsible_organisations"].widget.attrs["size"] = 8

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not re.fullmatch(r"[0-9A-Za-z]+(\.[0-9A-Za-z]+)*", code):
            raise forms.ValidationError(_("Bitte eine Nummer wie 2 oder 2.1.3 angeben."))
        clash = Goal.objects.filter(period=self.period, code=code).exclude(pk=self.instance.pk or 0)
        if clash.exists():
            raise forms.ValidationError(_("Diese Nummer ist in der Strategie schon vergeben."))
        return code


def parse_year_values(text: str) -> dict[int, Decimal]:
    """"2019: 1,10; 2020: 1,15" → {2019: Decimal("1.10"), 2020: Decimal("1.15")}."""
    result = {}
    for part in re.split(r"[;\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        match = re.fullmatch(r"(\d{4})\s*[:=]\s*(-?[\d.]*\d(?:,\d+)?|-?\d+(?:\.\d+)?)", part)
        if not match:
            raise forms.ValidationError(
                _("„%(part)s“ ist kein Zwischenziel der Form „2019: 1,10“.") % {"part": part})
        raw = match.group(2)
        raw = raw.replace(".", "").replace(",", ".") if "," in raw else raw
        try:
            result[int(match.group(1))] = Decimal(raw)
        except InvalidOperation as exc:
            raise forms.ValidationError(_("„%(part)s“ enthält keine Zahl.") % {"part": part}) from exc
    return result


class GoalIndicatorForm(StaleSaveMixin, forms.ModelForm):
    intermediate = forms.CharField(
        label=_("Zwischenziele"), required=False,
        help_text=_("optional, je Jahr ein Wert, z. B. „2019: 1,10; 2020: 1,15“"),
    )

    class Meta:
        model = GoalIndicator
        fields = ["indicator", "region", "label", "unit", "direction", "baseline_year", "baseline_value",
                  "target_year", "target_value", "weight", "source_note"]
        localized_fields = ["baseline_value", "target_value", "weight"]
        help_texts = {
            "label": _("So erscheint der Indikator beim Ziel, z. B. „Quote ohne Hauptschulabschluss, Stadt Kassel“."),
            "indicator": _("Aus dem Bildungsmonitoring; ohne Auswahl werden eigene Werte mit Quelle erfasst."),
        }

    def __init__(self, *args, tenant, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if apps.is_installed("bildungskette.monitoring"):
            from bildungskette.monitoring.selectors import indicators_visible_to

            self.fields["indicator"].queryset = indicators_visible_to(user, tenant).order_by("name")
        self.fields["region"].queryset = _tenant_area_regions(tenant)
        self.fields["label"].required = False
        if self.instance.pk:
            self.fields["intermediate"].initial = "; ".join(
                f"{t.year}: {str(t.value).rstrip('0').rstrip('.').replace('.', ',')}"
                for t in self.instance.intermediate_targets.all())

    def clean_intermediate(self):
        return parse_year_values(self.cleaned_data.get("intermediate", ""))

    def clean(self):
        data = super().clean()
        base, target = data.get("baseline_year"), data.get("target_year")
        if base and target and target <= base:
            self.add_error("target_year", _("Das Zieljahr muss nach dem Ausgangsjahr liegen."))
        for year in data.get("intermediate") or {}:
            if base and target and not base < year < target:
                self.add_error("intermediate", _("Zwischenziele müssen zwischen Ausgangs- und Zieljahr liegen."))
        if data.get("indicator") and not data.get("region"):
            self.add_error("region", _("Für einen Indikator aus dem Monitoring bitte das Gebiet wählen."))
        if not data.get("label"):
            if data.get("indicator"):
                region = data.get("region")
                data["label"] = f"{data['indicator'].name}{', ' + region.name if region else ''}"
            else:
                self.add_error("label", _("Bitte eine Bezeichnung angeben."))
        return data


class ObservationForm(forms.Form):
    year = forms.IntegerField(label=_("Jahr"), min_value=1990, max_value=2100)
    value = forms.DecimalField(label=_("Wert"), max_digits=16, decimal_places=4, localize=True)
    source = forms.CharField(label=_("Quelle"), max_length=300)
    is_synthetic = forms.BooleanField(label=_("synthetischer Beispielwert"), required=False)


class AssessmentForm(forms.Form):
    status = forms.ChoiceField(label=_("Einschätzung"), choices=STATUS_CHOICES)
    justification = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 3}))
    assessed_on = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))


class ReviewAssessForm(forms.Form):
    status = forms.ChoiceField(label=_("Einschätzung der Runde"), choices=STATUS_CHOICES)
    justification = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 3}))


class MeasureForm(StaleSaveMixin, forms.ModelForm):
    education_stages = forms.MultipleChoiceField(label=_("Bildungsphasen"), choices=EducationStage.choices,
                                                 required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Measure
        fields = ["title", "description", "programme", "responsible_organisations", "budget", "budget_note",
                  "start_date", "end_date", "status", "target_groups", "education_stages", "regions", "schools",
                  "goals"]
        localized_fields = ["budget"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes_for(tenant)
        self.fields["responsible_organisations"].queryset = _tenant_organisations(tenant)
        self.fields["target_groups"].queryset = target_groups_for(tenant)
        self.fields["regions"].queryset = _tenant_area_regions(tenant)
        codes = tenant_kreis_codes(tenant)
        schools = Q(pk__in=[])
        for code in codes:
            schools |= Q(region__code__startswith=code)
        self.fields["schools"].queryset = organisations_visible_to(tenant).filter(
            type__in=["schule", "berufliche_schule"]).filter(schools).order_by("name")
        self.fields["goals"].queryset = Goal.objects.filter(tenant=tenant).exclude(
            period__status="archived").order_by("period", "code")
        for name in ("responsible_organisations", "target_groups", "regions", "schools", "goals"):
            self.fields[name].widget.attrs["size"] = 8

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("Das Ende liegt vor dem Beginn."))
        return data


class OverlapDecisionForm(forms.Form):
    measure_a = forms.IntegerField(widget=forms.HiddenInput)
    measure_b = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Entscheidung"), choices=OverlapDecisionKind.choices)
    note = forms.CharField(label=_("Begründung / Vereinbarung"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.ModelForm):
    class Meta:
        model = StrategyReview
        fields = ["title", "period", "body", "held_on", "participants"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}),
                   "participants": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = StrategyPeriod.objects.filter(tenant=tenant).exclude(status="archived")
        bodies = _bodies(tenant)
        if bodies is not None:
            self.fields["body"].queryset = bodies


class ReviewDecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art"), choices=[c for c in ReviewDecisionKind.choices
                                                      if c[0] not in ("goal_new", "goal_changed")])
    text = forms.CharField(label=_("Beschluss"), widget=forms.Textarea(attrs={"rows": 2}))


class ReviewGoalChangeForm(forms.Form):
    title = forms.CharField(label=_("Neue Fassung des Ziels"), max_length=400)


class ReviewGoalAddForm(forms.Form):
    code = forms.CharField(label=_("Nummer"), max_length=20)
    title = forms.CharField(label=_("Neues Unterziel"), max_length=400)


class ReviewCloseForm(forms.Form):
    summary = forms.CharField(label=_("Zusammenfassung für den Ausschuss"), widget=forms.Textarea(attrs={"rows": 4}))


class AgreementForm(StaleSaveMixin, forms.ModelForm):
    standards_text = forms.CharField(
        label=_("Gewählte Qualitätsstandards"), required=False,
        help_text=_("durch Kommas getrennt, z. B. „BO1, BO5, BO7“ (OloV) oder „SBO 4.1, SBO 10.6“ (KAoA)"),
    )

    class Meta:
        model = GoalAgreement
        fields = ["title", "period", "body", "start_date", "end_date", "signed_on", "description", "goals"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = StrategyPeriod.objects.filter(tenant=tenant)
        bodies = _bodies(tenant)
        if bodies is not None:
            self.fields["body"].queryset = bodies
        self.fields["goals"].queryset = Goal.objects.filter(tenant=tenant).exclude(
            period__status="archived").order_by("period", "code")
        self.fields["goals"].widget.attrs["size"] = 10
        if self.instance.pk:
            self.fields["standards_text"].initial = ", ".join(self.instance.standards)

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("Das Ende liegt vor dem Beginn."))
        data["standards"] = [s.strip() for s in (data.pop("standards_text", "") or "").split(",") if s.strip()]
        return data


class PartyForm(forms.ModelForm):
    class Meta:
        model = AgreementParty
        fields = ["organisation", "contribution"]
        widgets = {"contribution": forms.Textarea(attrs={"rows": 2})}


def party_formset(*, tenant, data=None, instance=None):
    formset_class = forms.inlineformset_factory(GoalAgreement, AgreementParty, form=PartyForm, extra=3,
                                                can_delete=True)
    formset = formset_class(data, instance=instance or GoalAgreement(), prefix="partei")
    for form in formset.forms:
        form.fields["organisation"].queryset = _tenant_organisations(tenant)
    return formset


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Meilenstein"), max_length=250)
    due_on = forms.DateField(label=_("geplant bis"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    done_on = forms.DateField(label=_("erreicht am"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class OutputForm(forms.Form):
    label = forms.CharField(label=_("Leistung"), max_length=200, help_text=_("z. B. Teilnehmende Jugendliche"))
    value = forms.DecimalField(label=_("Anzahl"), max_digits=14, decimal_places=2, localize=True)
    unit = forms.CharField(label=_("Einheit"), max_length=40, required=False)
    year = forms.IntegerField(label=_("Jahr"), min_value=1990, max_value=2100, required=False)
