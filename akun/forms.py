"""The sign-in forms: Wagtail's login with a labelled password, its password reset with a mail limit,
and the 2FA steps' code forms."""

from axes.helpers import get_client_ip_address

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from akun import password_reset

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


class PasswordResetForm(WagtailPasswordResetForm):
    """Wagtail's password reset form, sending no more mails than ``akun.password_reset`` allows
    (WAGTAILADMIN_USER_PASSWORD_RESET_FORM). A request over a limit is answered with the same page as
    any other, only without the mail, so the page never tells whether an address has an account."""

    client_address = None

    def save(self, *args, request=None, **kwargs):
        self.client_address = get_client_ip_address(request) if request is not None else None
        return super().save(*args, request=request, **kwargs)

    def get_users(self, email):
        for user in super().get_users(email):
            if password_reset.may_send(user.pk, self.client_address):
                yield user
