from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .models import LegalPages
from .versioning import StaleSaveMixin


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("Benutzername"), widget=forms.TextInput(attrs={"autocomplete": "username",
                                                                                    "autofocus": True}))
    password = forms.CharField(label=_("Passwort"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Einmalcode aus der Authenticator-App"), max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class InvitationForm(forms.Form):
    """A tenant administrator invites a person: the account is created without a password."""

    email = forms.EmailField(label=_("E-Mail-Adresse"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    display_name = forms.CharField(label=_("Name, wie er angezeigt wird"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Rolle"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None, required=False,
        help_text=_("Nur für Übergangsmanagement (die Schule) und Partner (die Organisation)."),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Role

        self.fields["role"].choices = Role.choices
        self.fields["organisation"].queryset = organisations

    def clean(self):
        from .models import Role

        data = super().clean()
        needs_org = data.get("role") in {Role.TRANSITION_MANAGER, Role.PARTNER}
        if needs_org and not data.get("organisation"):
            self.add_error("organisation", _("Für diese Rolle bitte die Organisation wählen."))
        if not needs_org:
            data["organisation"] = None
        return data


class RoleAddForm(InvitationForm):
    """Another role for an existing account."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["email"]
        del self.fields["display_name"]


class InvitationAcceptForm(SetPasswordForm):
    """The invited person chooses a password (German labels; Django's validators apply)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Neues Passwort")
        self.fields["new_password1"].help_text = _(
            "Mindestens 10 Zeichen; nicht nur Ziffern, kein gängiges Passwort und nicht Ihrem Namen ähnlich.")
        self.fields["new_password2"].label = _("Passwort wiederholen")


MARKDOWN_HELP = _("Absätze durch eine Leerzeile, „## “ für Zwischenüberschriften, „- “ für Listen, "
                  "[Text](https://…) für Links. HTML wird nicht übernommen.")
LEGAL_TEXT_MAX = 20_000
FEEDBACK_MAX = 3_000


class LegalPagesForm(StaleSaveMixin, forms.ModelForm):
    """The tenant administration edits its legal pages (texts in the safe Markdown subset)."""

    class Meta:
        model = LegalPages
        fields = ["imprint", "privacy", "accessibility_status", "accessibility_gaps", "accessibility_prepared_on",
                  "accessibility_reviewed_on", "accessibility_method", "feedback_contact", "feedback_email",
                  "arbitration", "easy_language", "sign_language_video_url"]
        widgets = {
            "imprint": forms.Textarea(attrs={"rows": 10}), "privacy": forms.Textarea(attrs={"rows": 14}),
            "accessibility_gaps": forms.Textarea(attrs={"rows": 6}),
            "feedback_contact": forms.Textarea(attrs={"rows": 3}), "arbitration": forms.Textarea(attrs={"rows": 4}),
            "easy_language": forms.Textarea(attrs={"rows": 14}),
            "accessibility_prepared_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "accessibility_reviewed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.show_hidden_initial = False  # set for callable defaults; the version field guards
            if isinstance(field.widget, forms.Textarea):
                field.max_length = LEGAL_TEXT_MAX
                field.validators.append(MaxLengthValidator(LEGAL_TEXT_MAX))
                field.widget.attrs["maxlength"] = LEGAL_TEXT_MAX
                if not field.help_text:
                    field.help_text = MARKDOWN_HELP

    def clean_sign_language_video_url(self):
        url = self.cleaned_data["sign_language_video_url"]
        if url and not url.startswith("https://"):
            raise forms.ValidationError(_("Bitte eine Adresse angeben, die mit https:// beginnt."))
        return url

    def clean(self):
        cleaned = super().clean()
        prepared, reviewed = cleaned.get("accessibility_prepared_on"), cleaned.get("accessibility_reviewed_on")
        if prepared and reviewed and reviewed < prepared:
            self.add_error("accessibility_reviewed_on",
                           _("Die Überprüfung kann nicht vor der Erstellung der Erklärung liegen."))
        return cleaned


class AccessibilityFeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("Welche Barriere ist Ihnen begegnet?"), max_length=FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": FEEDBACK_MAX}),
        help_text=_("Höchstens 3.000 Zeichen."))
    page = forms.CharField(label=_("Auf welcher Seite? (Adresse oder Titel, freiwillig)"), max_length=300,
                           required=False)
    name = forms.CharField(label=_("Ihr Name (freiwillig)"), max_length=150, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Ihre E-Mail-Adresse für eine Antwort (freiwillig)"), required=False,
                             max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
