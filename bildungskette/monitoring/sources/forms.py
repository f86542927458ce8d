from django import forms
from django.utils.translation import gettext_lazy as _

from .genesis_client import INSTANCES

INSTANCE_CHOICES = [(k, v[0]) for k, v in INSTANCES.items()]


class SubscriptionForm(forms.Form):
    instance = forms.ChoiceField(label=_("Datenbank"), choices=INSTANCE_CHOICES, initial="regionalstatistik")
    table_code = forms.CharField(label=_("Tabellencode"), max_length=60, help_text=_("z. B. 21121-02-02-4"))
    regional_variable = forms.ChoiceField(
        label=_("Regionalmerkmal"),
        required=False,
        choices=[("", _("alle Gebiete")), ("KREISE", "KREISE"), ("DLAND", "DLAND"), ("GEMEIN", "GEMEIN")],
    )
    regional_key = forms.CharField(
        label=_("Regionalschlüssel"), max_length=200, required=False, help_text=_("z. B. 06611 oder 06*")
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("regional_variable")) != bool((data.get("regional_key") or "").strip()):
            raise forms.ValidationError(_("Regionalmerkmal und Regionalschlüssel gehören zusammen."))
        return data


class CredentialForm(forms.Form):
    instance = forms.ChoiceField(label=_("Datenbank"), choices=INSTANCE_CHOICES, initial="regionalstatistik")
    username = forms.CharField(label=_("Benutzername"), max_length=200)
    password = forms.CharField(
        label=_("Passwort"),
        widget=forms.PasswordInput(render_value=False),
        max_length=200,
        help_text=_("Wird verschlüsselt gespeichert und nie wieder angezeigt."),
    )
