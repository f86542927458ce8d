from django import forms
from django.utils.translation import gettext_lazy as _

from bildungskette.core.uploads import LimitedFileField
from bildungskette.core.versioning import StaleSaveMixin

from .models import ColumnMapping, Indicator


class IndicatorForm(StaleSaveMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "short_name",
            "theme",
            "indicator_type",
            "official_code",
            "numerator",
            "denominator",
            "factor",
            "unit",
            "decimals",
            "direction",
            "visibility",
            "explanation",
            "source_note",
            "approximation_note",
        ]
        widgets = {
            "numerator": forms.Textarea(attrs={"rows": 2, "spellcheck": "false", "class": "formula"}),
            "denominator": forms.Textarea(attrs={"rows": 2, "spellcheck": "false", "class": "formula"}),
            "explanation": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "numerator": _('z. B. wert("ba.stellen.unbesetzt") oder wert("ba.bewerber", ba_status="unversorgt")'),
            "denominator": _("leer lassen für einen Einzelwert"),
            "factor": _("100 für Prozent"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True


FORMAT_CHOICES = [
    ("auto", _("automatisch erkennen")),
    ("genesis", _("GENESIS/Regionalstatistik – Tabelle (CSV)")),
    ("ffcsv", _("GENESIS – Flatfile (CSV oder ZIP)")),
    ("ba", _("BA – Ausbildungsmarktbilanz (CSV/XLSX)")),
]


class UploadForm(forms.Form):
    file = LimitedFileField(kind="monitoring", label=_("Datei"), help_text=_("CSV, XLSX oder ZIP; höchstens 100 MB."))
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="auto")

    def __init__(self, *args, tenant=None, **kwargs):
        super().__init__(*args, **kwargs)
        mappings = ColumnMapping.objects.filter(tenant=tenant) if tenant else ColumnMapping.objects.none()
        self.fields["format"].choices = FORMAT_CHOICES + [
            (f"mapping:{m.name}", _("Spaltenzuordnung: %(name)s") % {"name": m}) for m in mappings
        ]


class MappingForm(forms.Form):
    """Builds a named column mapping once; it is then offered as an import format."""

    name = forms.SlugField(label=_("Kurzname"), max_length=60, help_text=_("z. B. kita-statistik"))
    label = forms.CharField(label=_("Bezeichnung"), max_length=200)
    region_column = forms.CharField(label=_("Spalte mit dem Regionalschlüssel (AGS)"), max_length=100)
    period_column = forms.CharField(label=_("Spalte mit dem Zeitraum"), max_length=100, required=False)
    period = forms.CharField(
        label=_("oder: fester Zeitraum für die ganze Datei"),
        max_length=20,
        required=False,
        help_text=_("2023, 2022/23, BJ2018/19, 2019-08 oder 2019-09-30"),
    )
    period_kind = forms.ChoiceField(
        label=_("Jahreszahlen in der Zeitraum-Spalte bedeuten"),
        required=False,
        choices=[("", _("Kalenderjahr")), ("school_year", _("Schuljahr (Abgangsjahr)"))],
    )
    values = forms.CharField(
        label=_("Wertspalten"),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "class": "formula"}),
        help_text=_("Eine Zeile je Spalte: Spalte = merkmal.code [aufgliederung=ausprägung] | Name | Einheit"),
    )
    source_title = forms.CharField(label=_("Quelle: Titel"), max_length=300)
    source_publisher = forms.CharField(label=_("Quelle: Herausgeber"), max_length=200)
    source_attribution = forms.CharField(label=_("Quellenangabe (erscheint unter jeder Grafik)"), max_length=300)
    source_licence = forms.CharField(label=_("Lizenz"), max_length=200, required=False)
    is_synthetic = forms.BooleanField(label=_("Die Daten sind synthetisch (Testdaten)"), required=False)

    def definition(self, tenant) -> dict:
        from .importers.mapping import mapping_values_parse
        from .services import slug_code

        data = self.cleaned_data
        return {
            "region_column": data["region_column"],
            "period_column": data["period_column"],
            "period": data["period"],
            "period_kind": data["period_kind"],
            "values": mapping_values_parse(data["values"]),
            "source": {
                "code": slug_code(f"{tenant.slug}-{data['name']}"),
                "title": data["source_title"],
                "publisher": data["source_publisher"],
                "attribution": data["source_attribution"],
                "licence": data["source_licence"],
                "is_synthetic": data["is_synthetic"],
            },
        }
