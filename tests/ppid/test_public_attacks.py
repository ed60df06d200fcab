"""Attacks on the public forms: the challenge read from its own token, the per-address budget and
X-Forwarded-For, the receipt email as a relay of a stranger's text to any address."""

from __future__ import annotations

import json
import re

import pytest

from django.core import signing
from django.core.cache import cache
from django.test import override_settings

from ppid import challenge
from ppid.models import InformationRequest
from tests.ppid.test_public_filing import FORM_URL, STATUS_URL, TYPED, form_data, scan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_budgets():
    cache.clear()
    yield
    cache.clear()


def robot_answer(token: str) -> str:
    """What a robot reads from the token alone, with no secret key and without the question text."""
    payload = json.loads(signing.b64_decode(token.split(":")[0].encode()))
    if not {"a", "b", "op"} <= payload.keys():
        return ""  # nothing in the token to compute from
    return str(payload["a"] - payload["b"] if payload["op"] == "-" else payload["a"] + payload["b"])


def test_the_challenge_token_does_not_carry_its_own_answer(client):
    page = client.get(FORM_URL).content.decode()
    token = re.search(r'name="challenge" value="([^"]+)"', page).group(1)
    # The token is signed, not encrypted: anyone can base64-decode the operands and the operation.
    assert robot_answer(token) != str(challenge.answer_for(token)), "the answer is readable in the token"


@override_settings(PPID_CHALLENGE_MIN_SECONDS=0)  # a robot simply waits; only the reading is tested
def test_a_robot_reading_only_the_token_cannot_file(client):
    page = client.get(FORM_URL).content.decode()
    token = re.search(r'name="challenge" value="([^"]+)"', page).group(1)
    data = {
        **TYPED,
        "identity_scan": scan(),
        "challenge": token,
        "challenge_answer": robot_answer(token),
        "website": "",
    }
    client.post(FORM_URL, data)
    assert InformationRequest.objects.count() == 0


def test_a_forged_x_forwarded_for_does_not_reset_the_status_guess_budget(client):
    """Expected to hold (FORWARDED_FOR_PROXIES=0: the header is ignored)."""
    codes = []
    for n in range(12):
        response = client.post(
            STATUS_URL,
            {"number": f"PI-2026-{n + 1:05d}", "email": "korban@contoh.id"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}",
        )
        codes.append(response.status_code)
    assert 429 in codes, codes


@override_settings(FORWARDED_FOR_PROXIES=1)
def test_behind_one_proxy_a_client_supplied_entry_does_not_reset_the_budget(client):
    """Expected to hold: the proxy appends the real address; the client's own entries are ignored."""
    codes = []
    for n in range(12):
        response = client.post(
            STATUS_URL,
            {"number": f"PI-2026-{n + 1:05d}", "email": "korban@contoh.id"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}, 198.51.100.7",
        )
        codes.append(response.status_code)
    assert 429 in codes, codes


def test_the_receipt_does_not_relay_a_strangers_text_to_any_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """Anyone can make the commission's mail server send their own text (and link) to any address:
    the receipt goes to an unverified address and repeats the name and the request text."""
    phishing = (
        "Akun pajak Anda diblokir. Verifikasi sekarang di https://kpu-jateng-verifikasi.example/login "
        "sebelum 24 jam."
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            FORM_URL,
            form_data(email="korban@contoh.id", name="Bapak Direktur", information=phishing),
        )
    assert response.status_code == 302
    (receipt,) = [mail for mail in mailoutbox if mail.to == ["korban@contoh.id"]]
    assert "kpu-jateng-verifikasi.example" not in receipt.body
