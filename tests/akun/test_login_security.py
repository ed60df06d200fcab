"""Login security of the admin: lockout, required two-factor step, recovery codes, audit log."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.helpers import get_client_ip_address
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry, PageViewRestriction

from akun import audit
from kpu_site.settings.base import client_ip_settings
from sop_workflow.sop import Role
from tests import factories
from tests.conftest import PASSWORD
from tests.otp import otp_code_for, totp_code
from tests.sop_workflow.admin_helpers import assert_refused, login

LOCKED = "Akun dikunci sementara"


def password_login(user, password=PASSWORD, address="10.0.0.1") -> tuple[Client, object]:
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": password})
    return client, response


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def clock():
    """Frozen time: after a wrong code django-otp makes the device wait (1 s, doubling)."""
    with freeze_time(timezone.now()) as frozen:
        yield frozen


def wait(clock, seconds: int = 2) -> None:
    clock.tick(timedelta(seconds=seconds))


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("ketua", "ketua@kpu.test", PASSWORD)


def recovery_codes_after_enrolment(user) -> tuple[Client, list[str]]:
    client, _ = password_login(user)
    client.get(reverse("akun_enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("akun_enrol"), {"code": totp_code(device.key)}, follow=True)
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", text(response))
    return client, codes


# --- Lockout ---------------------------------------------------------------------------------


def test_lockout_after_five_failures_blocks_even_the_right_password_until_cool_off(sop_users):
    user = sop_users[Role.PENGELOLA]
    with freeze_time("2026-11-25 20:00:00") as clock:
        for _ in range(4):
            _, response = password_login(user, "salah-kata-sandinya")
            assert response.status_code == 200  # the form again, with its error
        _, response = password_login(user, "salah-kata-sandinya")
        assert response.status_code == 429
        assert LOCKED in text(response)
        assert "15 menit" in text(response)

        clock.tick(timedelta(minutes=5))
        client, response = password_login(user)
        assert response.status_code == 429 and LOCKED in text(response)
        assert client.get(reverse("wagtailadmin_home")).status_code == 302  # not signed in

        clock.tick(timedelta(minutes=16))
        _, response = password_login(user)
        assert response.status_code == 302


def test_lockout_is_per_username_and_address_so_an_attacker_cannot_lock_out_an_approver(sop_users):
    approver = sop_users[Role.KOMISIONER]
    for _ in range(5):
        _, response = password_login(approver, "tebakan-penyerang", address="203.0.113.66")
    assert response.status_code == 429
    _, response = password_login(approver, address="198.51.100.7")  # the approver, from the office
    assert response.status_code == 302


def test_the_lockout_on_wagtails_front_end_login_is_the_indonesian_lockout_page(client, home_page, sop_users):
    """A private page sends a signed-out editor to Wagtail's front-end login; too many wrong
    passwords there get the lockout page (drawn with the admin's templates), never a 500."""
    page = factories.BeritaPageFactory(parent=factories.BeritaIndexPageFactory(parent=home_page))
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    login_url = client.get(page.url)["Location"]
    assert login_url.startswith("/_util/login/")
    user = sop_users[Role.PENGELOLA]
    statuses = []
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(login_url, {"username": user.username, "password": "salah-kata-sandinya"})
        statuses.append(response.status_code)
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429, 429]
    assert LOCKED in text(response)


def test_client_address_behind_the_reverse_proxy_is_the_one_nginx_appended(db):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    with override_settings(**client_ip_settings(0)):
        assert get_client_ip_address(request) == "127.0.0.1"  # no proxy: the header is not trusted
    with override_settings(**client_ip_settings(1)):
        assert get_client_ip_address(request) == "203.0.113.9"
        # a client that sends its own X-Forwarded-For does not get to choose its address
        spoofed = RequestFactory().get(
            "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9"
        )
        assert get_client_ip_address(spoofed) != "192.0.2.1"
    with override_settings(**client_ip_settings(2)):  # nginx, then Varnish
        two = RequestFactory().get(
            "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 127.0.0.1"
        )
        assert get_client_ip_address(two) == "203.0.113.9"


# --- Required second factor ------------------------------------------------------------------


@pytest.mark.parametrize("who", [*Role, "superuser"])
def test_every_role_and_the_superuser_must_enrol_before_any_admin_page(sop_users, superuser, who, clock):
    user = superuser if who == "superuser" else sop_users[who]
    client, response = password_login(user)
    assert response.status_code == 302
    for url in [reverse("wagtailadmin_home"), reverse("wagtailadmin_explore_root"), "/admin/reports/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("akun_enrol")), url

    page = client.get(reverse("akun_enrol"))
    html = text(page)
    assert "Aktifkan verifikasi dua langkah" in html
    assert "<svg" in html  # the QR code, inline
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r"data-secret>([A-Z2-7 ]+)<", html).group(1)
    assert len(secret.replace(" ", "")) == 32

    right = totp_code(device.key)
    response = client.post(reverse("akun_enrol"), {"code": f"{(int(right) + 1) % 1_000_000:06d}"})
    assert "Kode tidak cocok" in text(response)
    assert client.get(reverse("wagtailadmin_home")).status_code == 302
    response = client.post(reverse("akun_enrol"), {"code": right})  # at once: the device makes one wait
    assert "Tunggu 1 detik" in text(response)
    wait(clock)

    response = client.post(reverse("akun_enrol"), {"code": totp_code(device.key)}, follow=True)
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", text(response))
    assert len(codes) == 10 and "hanya ditampilkan sekali" in text(response)
    download = client.get(reverse("akun_recovery_codes_download"))
    assert download["Content-Disposition"].startswith("attachment") and codes[0] in text(download)
    response = client.post(reverse("akun_recovery_codes"), {"done": "1"})
    assert response.url == reverse("wagtailadmin_home")
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    # shown once only
    assert codes[0] not in text(client.get(reverse("akun_recovery_codes")))


def test_enrolled_user_must_give_a_current_code_and_a_wrong_one_is_refused(sop_users, clock):
    user = sop_users[Role.TEKMAS]
    code = otp_code_for(user)
    client, _ = password_login(user)
    response = client.get(reverse("wagtailadmin_account"))
    assert response.url.startswith(reverse("akun_verify"))
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post(reverse("akun_verify"), {"code": wrong})
    assert response.status_code == 200 and "Kode salah atau sudah kedaluwarsa" in text(response)
    assert client.get(reverse("wagtailadmin_account")).status_code == 302
    wait(clock)
    response = client.post(
        f"{reverse('akun_verify')}?next={reverse('wagtailadmin_account')}",
        {"code": otp_code_for(user), "next": reverse("wagtailadmin_account")},
    )
    assert response.url == reverse("wagtailadmin_account")
    assert client.get(reverse("wagtailadmin_account")).status_code == 200


def test_half_a_login_opens_nothing_outside_the_admin_either(sop_users, home_page):
    user = sop_users[Role.PENGELOLA]
    otp_code_for(user)
    client, _ = password_login(user)
    assert "wagtail-userbar" not in text(client.get("/"))  # treated as a visitor
    # the 2FA screens' own assets load (a redirect would put a whole page in the icon sprite)
    assert client.get(reverse("wagtailadmin_sprite")).status_code == 200
    assert client.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200
    client.post(reverse("akun_verify"), {"code": otp_code_for(user)})
    assert "wagtail-userbar" in text(client.get("/"))


def test_wrong_codes_count_toward_the_lockout(sop_users, clock):
    user = sop_users[Role.SEKRETARIS]
    otp_code_for(user)
    client, _ = password_login(user)
    for _ in range(4):
        response = client.post(reverse("akun_verify"), {"code": "12345x"})
        assert "Kode salah" in text(response)
        wait(clock, 60)
    response = client.post(reverse("akun_verify"), {"code": "12345x"})
    assert response.status_code == 429 and LOCKED in text(response)
    # signed out, and even the right password and code do not get back in during the cool-off
    assert client.get(reverse("wagtailadmin_home")).status_code == 302
    _, response = password_login(user)
    assert response.status_code == 429


def test_a_recovery_code_works_once_only(sop_users, clock):
    user = sop_users[Role.KABAG_HTH]
    enrolled, codes = recovery_codes_after_enrolment(user)
    enrolled.post(reverse("wagtailadmin_logout"))

    client, _ = password_login(user)
    response = client.post(reverse("akun_verify"), {"code": codes[3].upper()}, follow=True)
    assert response.status_code == 200 and "Sisa kode: 9" in text(response)
    client.post(reverse("wagtailadmin_logout"))

    client, _ = password_login(user)
    response = client.post(reverse("akun_verify"), {"code": codes[3]})
    assert "Kode salah" in text(response)
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


def test_regenerated_recovery_codes_invalidate_the_old_ones(sop_users, clock):
    user = sop_users[Role.WEB_ADMIN]
    client, old = recovery_codes_after_enrolment(user)
    client.post(reverse("akun_recovery_codes"), {"done": "1"})
    page = client.get(reverse("wagtailadmin_account"))
    assert reverse("akun_recovery_codes") in text(page)
    response = client.post(reverse("akun_recovery_codes"), {"regenerate": "1"}, follow=True)
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", text(response))
    assert len(new) == 10 and not set(new) & set(old)
    assert "Kode lama tidak berlaku lagi" in text(response)
    client.post(reverse("wagtailadmin_logout"))

    client, _ = password_login(user)
    assert "Kode salah" in text(client.post(reverse("akun_verify"), {"code": old[0]}))
    wait(clock)
    response = client.post(reverse("akun_verify"), {"code": new[0]})
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_superuser_resets_another_users_second_factor_and_it_is_audited(sop_users, superuser):
    user = sop_users[Role.PENGAMPU]
    otp_code_for(user)
    author = login(user)
    otp_code_for(superuser)
    assert_refused(author.post(reverse("akun_reset", args=[superuser.pk])))
    assert TOTPDevice.objects.filter(user=superuser).exists()  # only a superuser may reset

    admin = login(superuser)
    listing = text(admin.get(reverse("wagtailusers_users:index")))
    assert reverse("akun_reset", args=[user.pk]) in listing
    assert "Reset 2FA" in listing
    response = admin.post(reverse("akun_reset", args=[user.pk]), follow=True)
    assert "direset" in text(response)
    assert not TOTPDevice.objects.filter(user=user).exists()
    entry = ModelLogEntry.objects.get(action=audit.RESET, object_id=str(user.pk))
    assert entry.user == superuser

    client, _ = password_login(user)
    assert client.get(reverse("wagtailadmin_home")).url.startswith(reverse("akun_enrol"))


# --- Passwords and sessions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Pendek-12", "Kata sandi terlalu pendek. Harus mengandung setidaknya 12 karakter."),
        ("qwertyuiop123", "Kata sandi ini terlalu umum."),
        ("20261125202611", "Kata sandi ini seluruhnya terdiri dari angka."),
    ],
)
def test_admin_user_form_refuses_weak_passwords_in_indonesian(superuser, password, message):
    admin = login(superuser)
    response = admin.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "operator",
            "email": "operator@kpu.test",
            "first_name": "Operator",
            "last_name": "Baru",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 200
    assert message in text(response)
    assert not get_user_model().objects.filter(username="operator").exists()


def test_session_ends_after_eight_hours(sop_users):
    user = sop_users[Role.PENGELOLA]
    with freeze_time(timezone.now()) as clock:
        client = login(user)
        clock.tick(timedelta(hours=7, minutes=50))
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
        clock.tick(timedelta(minutes=11))
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 302 and response.url.startswith(reverse("wagtailadmin_login"))


# --- Audit log -------------------------------------------------------------------------------


def test_each_login_event_is_in_the_site_history(sop_users, superuser, clock):
    user = sop_users[Role.PENGELOLA]
    password_login(user, "salah-kata-sandinya")  # login failed
    client, _ = recovery_codes_after_enrolment(user)  # login, 2FA enrolled
    client.post(reverse("akun_recovery_codes"), {"regenerate": "1"})  # codes regenerated
    client.post(reverse("wagtailadmin_logout"))  # logout
    client, _ = password_login(user)
    client.post(reverse("akun_verify"), {"code": "99999x"})  # 2FA failed
    wait(clock)
    client.post(reverse("akun_verify"), {"code": otp_code_for(user)})  # 2FA verified
    client.post(reverse("wagtailadmin_logout"))
    from django_otp.plugins.otp_static.models import StaticToken

    client, _ = password_login(user)
    client.post(reverse("akun_verify"), {"code": StaticToken.objects.filter(device__user=user).first().token})
    for _ in range(5):
        password_login(user, "salah-lagi-berkali", address="203.0.113.5")  # lockout
    admin = login(superuser)
    admin.post(reverse("akun_reset", args=[user.pk]))  # reset

    logged = set(ModelLogEntry.objects.filter(object_id=str(user.pk)).values_list("action", flat=True))
    assert set(audit.LABELS) <= logged, set(audit.LABELS) - logged

    history = text(admin.get(reverse("wagtailadmin_reports:site_history")))
    for label in audit.LABELS.values():
        assert str(label) in history, label
    assert "dari alamat 203.0.113.5" in history
