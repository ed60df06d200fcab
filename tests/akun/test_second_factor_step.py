"""The code step as a person on a phone meets it: a code already used, the number pad, a new session."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from freezegun import freeze_time

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sop_workflow.sop import Role
from tests.conftest import PASSWORD
from tests.otp import otp_code_for, totp_code

LOCKED = "Akun dikunci sementara"
ALREADY_USED = "Kode ini sudah dipakai untuk masuk"


def password_step(user) -> Client:
    client = Client(REMOTE_ADDR="10.0.0.7")
    response = client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def clock():
    # at the start of a 30-s step, so that "the same step" lasts through the test's requests
    start = timezone.now().replace(microsecond=0)
    start -= timedelta(seconds=start.second % 30)
    with freeze_time(start) as frozen:
        yield frozen


def test_a_code_used_a_moment_ago_is_explained_and_does_not_lock_the_account(sop_users, clock):
    user = sop_users[Role.KOMISIONER]
    code = otp_code_for(user)
    first = password_step(user)
    assert first.post(reverse("akun_verify"), {"code": code}).url == reverse("wagtailadmin_home")
    first.post(reverse("wagtailadmin_logout"))

    # The same person signs in again on another phone, within the same half minute: the app still
    # shows the code just used. More tries than the lockout allows, and a few seconds apart.
    second = password_step(user)
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 1):
        response = second.post(reverse("akun_verify"), {"code": code})
        assert response.status_code == 200
        page = text(response)
        assert ALREADY_USED in page
        assert "kode berikutnya" in page
        assert "Kode salah" not in page and "Tunggu 1 detik" not in page
        assert f'value="{code}"' not in page  # the field is empty, ready for the next code
        clock.tick(timedelta(seconds=2))
    assert second.get(reverse("wagtailadmin_home")).status_code == 302  # not signed in by it

    # The app's next code goes through at once: no lockout, no throttle delay.
    clock.tick(timedelta(seconds=30))
    response = second.post(reverse("akun_verify"), {"code": totp_code(user.totpdevice_set.get().key)})
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert second.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_wrong_code_is_still_called_wrong_and_still_counts(sop_users, clock):
    user = sop_users[Role.PENGELOLA]
    code = otp_code_for(user)
    client = password_step(user)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        response = client.post(reverse("akun_verify"), {"code": wrong})
        assert "Kode salah" in text(response) and ALREADY_USED not in text(response)
        clock.tick(timedelta(seconds=60))
    response = client.post(reverse("akun_verify"), {"code": wrong})
    assert response.status_code == 429 and LOCKED in text(response)


def field_tag(html: str) -> str:
    return re.search(r'<input[^>]*name="code"[^>]*>', html).group(0)


def test_the_code_field_opens_the_number_pad_and_takes_the_code_from_the_app(sop_users):
    user = sop_users[Role.TEKMAS]
    otp_code_for(user)
    field = field_tag(text(password_step(user).get(reverse("akun_verify"))))
    assert 'inputmode="numeric"' in field
    assert 'autocomplete="one-time-code"' in field
    assert 'pattern="[0-9]*"' in field


def test_a_recovery_code_has_its_own_field_with_letters(sop_users):
    """Recovery codes have letters: they get a field with the full keyboard, one tap away."""
    from akun import devices

    user = sop_users[Role.SEKRETARIS]
    otp_code_for(user)
    codes = devices.new_recovery_codes(user)
    client = password_step(user)
    page = text(client.get(reverse("akun_verify")))
    link = re.search(r'<a href="([^"]+)">Ponsel hilang\? Masuk dengan kode pemulihan</a>', page)
    assert link
    recovery_page = text(client.get(link.group(1).replace("&amp;", "&")))
    field = field_tag(recovery_page)
    assert "inputmode" not in field and "pattern" not in field
    assert "Kode pemulihan" in recovery_page
    response = client.post(reverse("akun_verify"), {"code": codes[0], "cara": "pemulihan"})
    assert response.status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_the_session_id_changes_when_the_code_is_accepted(sop_users):
    user = sop_users[Role.WEB_ADMIN]
    code = otp_code_for(user)
    client = password_step(user)
    cookie = settings.SESSION_COOKIE_NAME
    after_password = client.cookies[cookie].value
    client.get(reverse("akun_verify"))
    assert client.cookies[cookie].value == after_password  # nothing else rotates it on the way

    response = client.post(reverse("akun_verify"), {"code": code})
    assert response.status_code == 302
    after_code = client.cookies[cookie].value
    assert after_code and after_code != after_password
    assert client.get(reverse("wagtailadmin_home")).status_code == 200

    # the id from before the second step opens nothing
    stale = Client()
    stale.cookies[cookie] = after_password
    assert stale.get(reverse("wagtailadmin_home")).status_code == 302


def test_the_session_id_changes_when_an_app_is_enrolled(sop_users):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = sop_users[Role.PENGAMPU]
    client = password_step(user)
    client.get(reverse("akun_enrol"))
    cookie = settings.SESSION_COOKIE_NAME
    after_password = client.cookies[cookie].value
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(reverse("akun_enrol"), {"code": totp_code(device.key)})
    assert client.cookies[cookie].value != after_password
