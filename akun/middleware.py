"""Until the second factor is verified, a signed-in user reaches only the 2FA step.

``django_otp.middleware.OTPMiddleware`` (before this one) tells whether the session passed a
second factor. A user who has only given the password is sent from every /admin/ URL to the code
form (or to enrolment, without a device yet), except the login, logout, password-reset and 2FA
pages themselves (and their icon sprite and script translations). Outside /admin/ such a
session counts as anonymous: half a login opens nothing.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

OPEN_URL_NAMES = (
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    # the login screens' own assets: icon sprite and JavaScript translations
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "akun_verify",
    "akun_enrol",
)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: tuple[str, ...] | None = None

    def open_paths(self) -> tuple[str, ...]:
        if self._open_paths is None:
            self._open_paths = tuple(reverse(name) for name in OPEN_URL_NAMES)
        return self._open_paths

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        admin_root = reverse("wagtailadmin_home")
        path = request.path_info
        if not path.startswith(admin_root):
            request.user = AnonymousUser()
            return self.get_response(request)
        if path.startswith(self.open_paths()):
            return self.get_response(request)
        from akun.devices import confirmed_app

        step = "akun_verify" if confirmed_app(user) else "akun_enrol"
        target = request.get_full_path() if request.method == "GET" else admin_root
        return redirect(f"{reverse(step)}?{urlencode({'next': target})}")
