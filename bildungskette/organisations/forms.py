from django import forms

from bildungskette.core.versioning import StaleSaveMixin

from .models import Organisation, Person


class OrganisationForm(StaleSaveMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "type", "street", "postcode", "city", "website", "email", "phone"]


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "function", "email", "phone", "consent_to_list", "consent_date"]
        widgets = {"consent_date": forms.DateInput(attrs={"type": "date"})}
