"""`make run`'s demo accounts can pass the 2FA step with the printed key; never under production."""

import io
from base64 import b32encode

import pytest

from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from akun.demo import current_code


def test_demo_accounts_log_in_with_the_printed_demo_key(home_page, settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("DEMO_PASSWORD", "sandi-demo-kpu-2026")
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    key = (tmp_path / "demo-totp-key").read_text().strip()
    secret = b32encode(bytes.fromhex(key)).decode()
    assert secret in out.getvalue()
    assert "kode_2fa_demo" in out.getvalue()

    code_out = io.StringIO()
    call_command("kode_2fa_demo", stdout=code_out)
    assert current_code() in code_out.getvalue()

    client = Client()
    client.post(reverse("wagtailadmin_login"), {"username": "komisioner", "password": "sandi-demo-kpu-2026"})
    assert client.get(reverse("wagtailadmin_home")).url.startswith(reverse("akun_verify"))
    response = client.post(reverse("akun_verify"), {"code": current_code()})
    assert response.url == reverse("wagtailadmin_home")
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_demo_2fa_key_is_refused_under_production_settings(settings):
    settings.DEMO_CONTENT_ALLOWED = False
    with pytest.raises(CommandError, match="pengaturan produksi"):
        call_command("kode_2fa_demo", stdout=io.StringIO())
