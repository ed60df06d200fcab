"""The 2FA steps of the admin login: verify a code, enrol an app, recovery codes, superuser reset."""

from __future__ import annotations

import math
from urllib.parse import urlencode

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from akun import audit, devices
from akun.forms import CodeForm, EnrolForm, RecoveryCodeForm

SESSION_CODES = "akun_recovery_codes"
SESSION_CODES_NEXT = "akun_recovery_codes_next"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def _credentials(user) -> dict:
    return {"username": user.get_username()}


def _locked_out(request, user):
    """End the half-finished login and show the lockout page."""
    credentials = _credentials(user)
    logout(request)
    request.axes_locked_out = True
    return get_lockout_response(request, None, credentials)


def _throttled(device) -> str | None:
    """django-otp's per-device delay after wrong codes (doubling each time), as a message."""
    if device is None:
        return None
    allowed, info = device.verify_is_allowed()
    if allowed or not info or "locked_until" not in info:
        return None
    seconds = max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))
    return _("Terlalu banyak kode salah. Tunggu %(seconds)d detik, lalu masukkan kode yang baru.") % {
        "seconds": seconds
    }


def _count_failure(request, user) -> bool:
    """A wrong code counts toward the same lockout as a wrong password; True if now locked."""
    user_login_failed.send(
        sender=__name__, credentials=_credentials(user), request=request, second_factor=True
    )
    return bool(getattr(request, "axes_locked_out", False))


def _second_factor_accepted(request, device) -> None:
    """Mark the session as verified by ``device``, under a new session id.

    The password step already gave the browser a session; an id seen before the second factor
    (on a shared computer, in a log) must not be the one that is now fully signed in.
    ``django_otp.login`` only stores the device in the session, so the key is cycled here.
    """
    request.session.cycle_key()
    django_otp.login(request, device)


#: ``?cara=pemulihan``: the step asks for a recovery code (full keyboard) instead of the app's code
RECOVERY_MODE = "pemulihan"


def _render_verify(request, form, recovery: bool):
    context = {"form": form, "next": _next_url(request), "recovery": recovery}
    return render(request, "akun/verify.html", context)


def _code_already_used(request, device):
    """The form again, empty for the next code, with a notice rather than an error: nothing was wrong."""
    messages.warning(
        request,
        _(
            "Kode ini sudah dipakai untuk masuk. Tunggu sampai aplikasi autentikator menampilkan kode "
            "berikutnya (kode berganti setiap %(seconds)d detik), lalu masukkan kode yang baru."
        )
        % {"seconds": device.step},
    )
    return _render_verify(request, CodeForm(), recovery=False)


@require_http_methods(["GET", "POST"])
def verify(request):
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    app = devices.confirmed_app(user)
    if app is None:
        return redirect(f"{reverse('akun_enrol')}?{urlencode({'next': _next_url(request)})}")
    if AxesProxyHandler.is_locked(request, _credentials(user)):
        return _locked_out(request, user)
    recovery = RECOVERY_MODE in (request.GET.get("cara"), request.POST.get("cara"))
    form = (RecoveryCodeForm if recovery else CodeForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        from_app = code.isdigit() and not recovery
        if from_app and devices.code_already_used(app, code):
            # typed right, only too soon: neither a failure for the lockout nor for the throttle
            return _code_already_used(request, app)
        waiting = _throttled(app if from_app else devices.recovery_device(user))
        if waiting:
            form.add_error("code", waiting)
            return _render_verify(request, form, recovery)
        device = None
        if from_app:
            device = django_otp.verify_token(user, app.persistent_id, code)
            action = audit.VERIFIED
            if device is None:
                app.refresh_from_db()
                if devices.code_already_used(app, code):  # accepted by a request that just finished
                    return _code_already_used(request, app)
        else:
            recovery_device = devices.recovery_device(user)
            if recovery_device is not None:
                device = django_otp.verify_token(user, recovery_device.persistent_id, code)
            action = audit.RECOVERY_USED
        if device is not None:
            _second_factor_accepted(request, device)
            if action == audit.RECOVERY_USED:
                left = device.token_set.count()
                audit.record(action, user, request, remaining=left)
                messages.warning(
                    request,
                    _("Anda masuk dengan kode pemulihan. Sisa kode: %(left)d. Buat kode baru bila habis.")
                    % {"left": left},
                )
            else:
                audit.record(action, user, request)
            return redirect(_next_url(request))
        audit.record(audit.CODE_FAILED, user, request)
        if _count_failure(request, user):
            return _locked_out(request, user)
        if recovery:
            message = _(
                "Kode pemulihan salah atau sudah pernah dipakai. Setiap kode hanya berlaku sekali; "
                "coba kode lain dari daftar Anda."
            )
        else:
            message = _(
                "Kode salah atau sudah kedaluwarsa. Masukkan kode 6 digit terbaru dari aplikasi "
                "autentikator, atau salah satu kode pemulihan Anda."
            )
        form.add_error("code", message)
    return _render_verify(request, form, recovery)


@require_http_methods(["GET", "POST"])
def enrol(request):
    user = request.user
    if devices.confirmed_app(user) is not None:
        return redirect(f"{reverse('akun_verify')}?{urlencode({'next': _next_url(request)})}")
    if AxesProxyHandler.is_locked(request, _credentials(user)):
        return _locked_out(request, user)
    device = devices.pending_app(user)
    form = EnrolForm(request.POST or None)
    waiting = _throttled(device) if request.method == "POST" and form.is_valid() else None
    if waiting:
        form.add_error("code", waiting)
    elif request.method == "POST" and form.is_valid():
        if django_otp.verify_token(user, device.persistent_id, form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            _second_factor_accepted(request, device)
            audit.record(audit.ENROLLED, user, request)
            request.session[SESSION_CODES] = devices.new_recovery_codes(user)
            request.session[SESSION_CODES_NEXT] = _next_url(request)
            return redirect("akun_recovery_codes")
        audit.record(audit.CODE_FAILED, user, request)
        if _count_failure(request, user):
            return _locked_out(request, user)
        form.add_error(
            "code",
            _("Kode tidak cocok. Pastikan jam ponsel tepat, lalu masukkan kode yang sedang tampil."),
        )
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_svg": devices.qr_svg(device),
        "secret": devices.secret_text(device),
    }
    return render(request, "akun/enrol.html", context)


@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """Shows fresh codes once (kept in the session only until "Selesai"); regenerates them on POST."""
    user = request.user
    if request.method == "POST":
        if "done" in request.POST:
            request.session.pop(SESSION_CODES, None)
            return redirect(request.session.pop(SESSION_CODES_NEXT, None) or reverse("wagtailadmin_home"))
        request.session[SESSION_CODES] = devices.new_recovery_codes(user)
        request.session[SESSION_CODES_NEXT] = reverse("wagtailadmin_home")
        audit.record(audit.RECOVERY_REGENERATED, user, request)
        messages.success(request, _("Kode pemulihan baru dibuat. Kode lama tidak berlaku lagi."))
        return redirect("akun_recovery_codes")
    recovery = devices.recovery_device(user)
    context = {
        "codes": request.session.get(SESSION_CODES),
        "remaining": recovery.token_set.count() if recovery else 0,
    }
    return render(request, "akun/recovery_codes.html", context)


def recovery_codes_download(request):
    codes = request.session.get(SESSION_CODES)
    if not codes:
        messages.error(request, _("Kode pemulihan hanya dapat diunduh sekali, tepat setelah dibuat."))
        return redirect("akun_recovery_codes")
    lines = [
        _("Kode pemulihan admin situs KPU Provinsi Jawa Tengah"),
        _("Akun: %(username)s") % {"username": request.user.get_username()},
        _("Setiap kode hanya dapat dipakai sekali. Simpan di tempat aman."),
        "",
        *codes,
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kode-pemulihan-kpu.txt"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def reset(request, user_id: int):
    """A superuser removes another user's 2FA devices; the user enrols again at the next login."""
    if not request.user.is_superuser:
        raise PermissionDenied
    target = get_object_or_404(get_user_model(), pk=user_id)
    if request.method == "POST":
        devices.remove_all(target)
        audit.record(audit.RESET, target, request, actor=request.user, by=request.user.get_username())
        messages.success(
            request,
            _("Verifikasi dua langkah %(name)s direset. Ia mendaftarkan aplikasi lagi saat masuk nanti.")
            % {"name": target.get_username()},
        )
        return redirect("wagtailusers_users:index")
    has_device = devices.confirmed_app(target) is not None
    return render(request, "akun/reset.html", {"target": target, "has_device": has_device})


def lockout_response(request, original_response=None, credentials=None):
    """axes' lockout page (AXES_LOCKOUT_CALLABLE): Indonesian, in the admin login layout, status 429."""
    from django.conf import settings

    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_timedelta": cool_off,
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "akun/lockout.html", context, status=429)
