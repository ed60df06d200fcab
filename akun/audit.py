"""Login and two-factor events in Wagtail's audit log (Laporan > Riwayat situs).

Each event is a ``ModelLogEntry`` on the user it concerns, with the client's address in ``data``.
A failed login for a username that does not exist has no user to hang on: axes keeps those
(``axes.models.AccessAttempt``), and they count toward the lockout all the same.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy

from wagtail.log_actions import LogFormatter
from wagtail.log_actions import log as wagtail_log

LOGIN = "akun.login"
LOGOUT = "akun.logout"
LOGIN_FAILED = "akun.login_failed"
LOCKED_OUT = "akun.locked_out"
ENROLLED = "akun.2fa_enrolled"
VERIFIED = "akun.2fa_verified"
CODE_FAILED = "akun.2fa_failed"
RECOVERY_USED = "akun.recovery_code_used"
RECOVERY_REGENERATED = "akun.recovery_codes_regenerated"
RESET = "akun.2fa_reset"

LABELS = {
    LOGIN: gettext_lazy("Masuk dengan kata sandi"),
    LOGOUT: gettext_lazy("Keluar"),
    LOGIN_FAILED: gettext_lazy("Gagal masuk: kata sandi salah"),
    LOCKED_OUT: gettext_lazy("Akun dikunci sementara: terlalu banyak percobaan gagal"),
    ENROLLED: gettext_lazy("Verifikasi dua langkah didaftarkan"),
    VERIFIED: gettext_lazy("Verifikasi dua langkah berhasil"),
    CODE_FAILED: gettext_lazy("Kode verifikasi dua langkah salah"),
    RECOVERY_USED: gettext_lazy("Kode pemulihan dipakai"),
    RECOVERY_REGENERATED: gettext_lazy("Kode pemulihan dibuat ulang"),
    RESET: gettext_lazy("Verifikasi dua langkah direset oleh superuser"),
}


class AccountEventFormatter(LogFormatter):
    def format_message(self, log_entry):
        data = log_entry.data or {}
        message = str(self.label)
        if data.get("by"):
            message += gettext_lazy(" (oleh %(by)s)") % {"by": data["by"]}
        if data.get("ip"):
            message += gettext_lazy(", dari alamat %(ip)s") % {"ip": data["ip"]}
        return message


def register_actions(actions) -> None:
    for action, label in LABELS.items():
        actions.register_action(action)(type("Formatter", (AccountEventFormatter,), {"label": label}))


_SELF = object()


def _real(obj):
    """request.user is a lazy object (twice: auth, then django-otp); Wagtail's log needs the model."""
    while isinstance(obj, LazyObject):
        if obj._wrapped is empty:
            obj._setup()
        obj = obj._wrapped
    return obj


def record(action: str, user, request=None, actor=_SELF, **data) -> None:
    """Log ``action`` on ``user``; the actor is the user themself unless given (None: nobody)."""
    if request is not None:
        data.setdefault("ip", get_client_ip_address(request))
    user = _real(user)
    wagtail_log(instance=user, action=action, user=user if actor is _SELF else _real(actor), data=data)


def _on_login(sender, request, user, **kwargs):
    record(LOGIN, user, request)


def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(LOGOUT, user, request)


def _user_named(username):
    if not username:
        return None
    return get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username}).first()


def _on_login_failed(sender, credentials, request=None, **kwargs):
    if kwargs.get("second_factor"):
        return  # the 2FA view records its own event
    user = _user_named(credentials.get("username"))
    if user is not None:
        # Nobody is signed in: the attempt has no actor, only a target.
        record(LOGIN_FAILED, user, request, actor=None)


def _on_locked_out(sender, request, username, ip_address, **kwargs):
    user = _user_named(username)
    if user is not None:
        wagtail_log(instance=user, action=LOCKED_OUT, user=None, data={"ip": ip_address})


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="akun_login")
    user_logged_out.connect(_on_logout, dispatch_uid="akun_logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="akun_login_failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="akun_locked_out")
