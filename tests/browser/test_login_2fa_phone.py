"""Enrolling an authenticator app and logging in with its code, on a phone."""

import os
import re
from base64 import b32decode

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from sop_workflow.sop import Role
from tests.conftest import PASSWORD
from tests.otp import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page, base, user):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_enrol_then_log_in_with_a_code_on_a_390px_phone(live_server, phone, home_page, sop_users):
    user = sop_users[Role.KOMISIONER]
    base = live_server.url
    page = phone()
    password_step(page, base, user)
    page.wait_for_url(re.compile(r".*/admin/2fa/daftar/.*"))
    page.get_by_role("heading", name="Aktifkan verifikasi dua langkah").wait_for()
    qr = page.locator(".akun-qr svg").bounding_box()
    assert qr["x"] >= 0 and qr["x"] + qr["width"] <= 390 and qr["width"] >= 180, qr
    secret = page.locator("[data-secret]").text_content().replace(" ", "")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert bytes.fromhex(device.key) == b32decode(secret)
    # the width of the page is the phone's: nothing to scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.fill("#id_code", "000000" if totp_code(device.key) != "000000" else "111111")
    page.click("form.login-form button[type=submit]")
    page.locator(".messages .error", has_text="Kode tidak cocok").wait_for()
    page.wait_for_timeout(1100)  # django-otp makes the device wait a second after a wrong code
    page.fill("#id_code", totp_code(device.key))
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(f"{base}/admin/2fa/kode-pemulihan/")
    codes = page.locator("[data-recovery-codes] code").all_text_contents()
    assert len(codes) == 10
    page.get_by_role("link", name="Unduh (.txt)").wait_for()
    page.get_by_role("button", name="Saya sudah menyimpan kode ini, lanjutkan").click()
    page.wait_for_url(f"{base}/admin/")
    if os.environ.get("SCREENSHOT"):
        page.screenshot(path=os.environ["SCREENSHOT"], full_page=True)

    # next time: password, then the code from the app
    other = phone()
    password_step(other, base, user)
    other.wait_for_url(re.compile(r".*/admin/2fa/verifikasi/.*"))
    device.refresh_from_db()
    device.last_t -= 1  # the code above was accepted in this 30-s step; the app shows the next one
    device.save(update_fields=["last_t"])
    other.fill("#id_code", totp_code(device.key))
    other.click("form.login-form button[type=submit]")
    other.wait_for_url(f"{base}/admin/")
    other.locator("#main").wait_for()
