"""The sign-in forms: Wagtail's login with a labelled password, and the 2FA steps' code forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

#: what a phone needs to open its number pad and offer the code from an SMS or app autofill
NUMERIC_CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "pattern": "[0-9]*",
    "autofocus": True,
}


class CodeForm(forms.Form):
    """The code from the authenticator app; a recovery code typed here is still accepted."""

    code = forms.CharField(
        label=_("Kode 6 digit dari aplikasi"),
        max_length=32,
        error_messages={"required": _("Masukkan kode.")},
        widget=forms.TextInput(attrs=NUMERIC_CODE_ATTRS),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


class RecoveryCodeForm(CodeForm):
    """A recovery code: letters and digits, so the full keyboard."""

    code = forms.CharField(
        label=_("Kode pemulihan"),
        max_length=32,
        error_messages={"required": _("Masukkan salah satu kode pemulihan Anda.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false", "autofocus": True}
        ),
    )


class EnrolForm(CodeForm):
    code = forms.CharField(
        label=_("Kode 6 digit dari aplikasi"),
        max_length=6,
        error_messages={"required": _("Masukkan kode 6 digit dari aplikasi autentikator.")},
        widget=forms.TextInput(attrs=NUMERIC_CODE_ATTRS),
    )


class LoginForm(WagtailLoginForm):
    """Wagtail's login form with a labelled password field: Wagtail gives it none, so Django showed
    the field's name, "Password", in English whatever the language (WAGTAILADMIN_USER_LOGIN_FORM)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
