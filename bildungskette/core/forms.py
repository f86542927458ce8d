from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _


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
