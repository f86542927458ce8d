from django import forms
from django.utils.translation import gettext_lazy as _

from bildungskette.core.uploads import LimitedFileField


class StadtteilUploadForm(forms.Form):
    file = LimitedFileField(kind="stadtteile", label=_("GeoJSON-Datei"),
                            help_text=_("FeatureCollection mit Flächen (WGS84); höchstens 10 MB."))
    name_property = forms.CharField(label=_("Eigenschaft mit dem Namen"), initial="name", max_length=60)
    key_property = forms.CharField(
        label=_("Eigenschaft mit dem Schlüssel"), required=False, max_length=60,
        help_text=_("Optional; sonst dient der Name als Schlüssel."),
    )
