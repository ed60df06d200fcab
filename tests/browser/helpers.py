"""Shared steps for the browser tests."""

from tests.conftest import PASSWORD
from tests.otp import ensure_device, otp_code_for


def log_in(page, base_url, user):
    """Sign in to the Wagtail admin as a person would: the password form, then the 2FA code form.

    The user gets a confirmed TOTP device if they have none (as if enrolled earlier); the code typed
    is the one their authenticator app would show now.
    """
    ensure_device(user)  # enrolled earlier: the password leads to the code form, not to enrolment
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/2fa/verifikasi/**")
    page.fill("#id_code", otp_code_for(user))
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def public_paths() -> list[str]:
    """One URL of every public page type: home, search, 404, the fixed pages, each index and detail."""
    from kpu_pages.kinds import KINDS

    paths = ["/", "/cari/?q=pemilih", "/halaman-yang-tidak-ada/", "/profil/", "/kontak/", "/ppid/"]
    for kind in KINDS.values():
        paths.append(kind.index_path)
        detail = kind.model.objects.live().public().order_by("pk").first()
        if detail:
            paths.append(detail.url)
    return paths
