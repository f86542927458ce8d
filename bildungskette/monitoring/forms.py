from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ColumnMapping, Indicator


class IndicatorForm(forms.ModelForm):
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
    file = forms.FileField(label=_("Datei"), help_text=_("CSV, XLSX oder ZIP; höchstens 100 MB."))
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="auto")

    def __init__(self, *args, tenant=None, **kwargs):
        super().__init__(*args, **kwargs)
        mappings = ColumnMapping.objects.filter(tenant=tenant) if tenant else ColumnMapping.objects.none()
        self.fields["format"].choices = FORMAT_CHOICES + [
            (f"mapping:{m.name}", _("Spaltenzuordnung: %(name)s") % {"name": m}) for m in mappings
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 100 * 1024 * 1024:
            raise forms.ValidationError(_("Die Datei ist größer als 100 MB."))
        return upload
