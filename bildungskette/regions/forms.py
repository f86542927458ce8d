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


def module_choices() -> list[tuple[str, str]]:
    from django.apps import apps
    from django.conf import settings

    labels = [app.rsplit(".", 1)[1] for app in settings.OPTIONAL_APPS]
    return [(label, apps.get_app_config(label).verbose_name) for label in labels if apps.is_installed(
        f"bildungskette.{label}")]


class TenantOnboardForm(forms.Form):
    """The operator's wizard: name, area, modules, first administrator. Works without JavaScript:
    the region search submits the form, found regions appear as checkboxes."""

    name = forms.CharField(label=_("Name der Kommune"), max_length=200,
                           help_text=_("z. B. Kreis Lippe oder OloV-Region Kassel"))
    search = forms.CharField(label=_("Gebiet suchen (Name oder Schlüssel/AGS)"), required=False, max_length=80)
    regions = forms.MultipleChoiceField(label=_("Gebiet"), required=False, widget=forms.CheckboxSelectMultiple)
    modules = forms.MultipleChoiceField(label=_("Module"), widget=forms.CheckboxSelectMultiple)
    admin_email = forms.EmailField(label=_("E-Mail der ersten Administratorin / des ersten Administrators"))

    def __init__(self, *args, region_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = list(region_choices)
        self.fields["modules"].choices = module_choices()
        if not self.is_bound:
            self.initial.setdefault("modules", [c for c, _label in module_choices()])

    def clean_name(self):
        from django.utils.text import slugify

        from bildungskette.core.models import Tenant

        name = self.cleaned_data["name"].strip()
        if Tenant.objects.filter(name__iexact=name).exists() or Tenant.objects.filter(
                slug=slugify(name)[:60]).exists():
            raise forms.ValidationError(_("Einen Mandanten mit diesem Namen gibt es schon."))
        return name

    def clean_regions(self):
        codes = self.cleaned_data["regions"]
        if not codes:
            raise forms.ValidationError(_("Bitte mindestens ein Gebiet suchen und ankreuzen."))
        return codes
