from django import forms
from django.utils.translation import gettext_lazy as _

from bildungskette.core.versioning import StaleSaveMixin
from bildungskette.monitoring.social_index import INPUTS as SOCIAL_INDEX_INPUTS

from .models import BlockKind, Template
from .selectors import DATASHEET_SECTIONS

MAP_MEASURES = [("index", "Sozialindex")] + [(i.key, f"{i.label} (%)") for i in SOCIAL_INDEX_INPUTS]


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    region = forms.CharField(label=_("Gebiet (Regionalschlüssel)"), max_length=20, initial="06611")
    template = forms.ChoiceField(label=_("Vorlage"), choices=Template.choices)


class BlockForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art des Blocks"), choices=BlockKind.choices)
    title = forms.CharField(label=_("Überschrift"), max_length=200, required=False)
    text = forms.CharField(label=_("Text (Markdown)"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
                           help_text=_("## Überschrift, - Aufzählung, **fett**, *kursiv*, [Text](https://…)"))
    indicator_code = forms.ChoiceField(label=_("Indikator"), required=False)
    section = forms.ChoiceField(label=_("Datenblatt-Abschnitt"), required=False,
                                choices=[("", "–")] + [(s, s) for s in DATASHEET_SECTIONS])
    map_measure = forms.ChoiceField(label=_("Kartenmerkmal"), required=False, choices=MAP_MEASURES,
                                    help_text=_("Nur für die Karte der Stadtteile."))
    alt_text = forms.CharField(label=_("Textalternative (leer: automatisch)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, indicators=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"].choices = [("", "–")] + [(i.code, i.name) for i in indicators]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in (BlockKind.CHART, BlockKind.TABLE) and not data.get("indicator_code"):
            self.add_error("indicator_code", _("Bitte einen Indikator wählen."))
        if kind == BlockKind.DATASHEET and not data.get("section"):
            self.add_error("section", _("Bitte einen Abschnitt wählen."))
        # The map's measure is stored in ``section`` (a block shows one section or one measure).
        measure = data.pop("map_measure", "") or "index"
        if kind == BlockKind.CHOROPLETH:
            data["section"] = measure
        if kind == BlockKind.TEXT and not data.get("text", "").strip():
            self.add_error("text", _("Bitte Text eingeben."))
        return data


class BlockEditForm(BlockForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 2}))


class ReportMetaForm(StaleSaveMixin, forms.Form):
    """Title and area of a draft; the view passes the report as ``version_of`` (stale saves refused)."""

    title = forms.CharField(label=_("Titel"), max_length=200)
    region = forms.CharField(label=_("Gebiet (Regionalschlüssel)"), max_length=20)
    has_synthetic = forms.BooleanField(label=_("Enthält synthetische Teile (wird im Bericht angezeigt)"),
                                       required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
