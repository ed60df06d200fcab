"""The admin's "forgot password" page sends a limited number of mails, and never tells who has an account.

Posted as an anonymous visitor to Wagtail's own /admin/password_reset/, counting the mails that leave.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from freezegun import freeze_time

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from kpu_site.settings.base import client_ip_settings
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PER_ACCOUNT = 3
PER_ADDRESS = 10


@pytest.fixture(autouse=True)
def _fresh_counts():
    """The counts live in the cache, which outlives a test's database transaction."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock():
    with freeze_time(timezone.now()) as frozen:
        yield frozen


def make_account(name: str):
    return get_user_model().objects.create_user(name, f"{name}@kpu.test", PASSWORD)


def ask_reset(email: str, address: str = "10.0.0.1", **headers):
    """The form filled in and sent; the page the visitor then sees."""
    return Client(REMOTE_ADDR=address, **headers).post(
        reverse("wagtailadmin_password_reset"), {"email": email}, follow=True
    )


def visible_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def mails_to(email: str) -> int:
    return sum(email in message.to for message in mail.outbox)


def test_one_account_gets_at_most_three_mails_an_hour(clock):
    make_account("penulis")
    for _ in range(8):
        ask_reset("penulis@kpu.test")
    assert mails_to("penulis@kpu.test") == PER_ACCOUNT

    clock.tick(timedelta(minutes=61))
    ask_reset("penulis@kpu.test")
    assert mails_to("penulis@kpu.test") == PER_ACCOUNT + 1, "an hour later the account may ask again"


def test_the_account_limit_holds_from_any_address(clock):
    make_account("penulis")
    for number in range(8):
        ask_reset("penulis@kpu.test", address=f"10.0.1.{number}")
    assert mails_to("penulis@kpu.test") == PER_ACCOUNT


def test_one_client_address_gets_at_most_ten_mails_an_hour(clock):
    for number in range(12):
        make_account(f"staf{number}")
    for number in range(12):
        ask_reset(f"staf{number}@kpu.test")
    assert len(mail.outbox) == PER_ADDRESS

    ask_reset("staf11@kpu.test", address="10.0.0.2")
    assert mails_to("staf11@kpu.test") == 1, "another address is not held back by the first one"

    clock.tick(timedelta(minutes=61))
    ask_reset("staf10@kpu.test")
    assert mails_to("staf10@kpu.test") == 1, "an hour later the first address may ask again"


@pytest.mark.parametrize("proxies", [0, 1])
def test_a_forged_forwarded_for_header_buys_no_extra_mails(proxies):
    """Without a proxy the header is ignored; behind one, a header the client wrote itself is one entry
    too long and the address falls back to the proxy's (kpu_site.settings.base.client_ip_settings)."""
    for number in range(12):
        make_account(f"staf{number}")
    with override_settings(**client_ip_settings(proxies)):
        for number in range(12):
            forged = f"198.51.100.{number}, 203.0.113.9" if proxies else f"198.51.100.{number}"
            ask_reset(f"staf{number}@kpu.test", address="127.0.0.1", HTTP_X_FORWARDED_FOR=forged)
    assert len(mail.outbox) == PER_ADDRESS


def test_a_held_back_request_and_an_unknown_address_get_the_same_page_as_a_sent_one():
    make_account("penulis")
    sent = ask_reset("penulis@kpu.test")
    for _ in range(PER_ACCOUNT - 1):
        ask_reset("penulis@kpu.test")
    assert mails_to("penulis@kpu.test") == PER_ACCOUNT
    held_back = ask_reset("penulis@kpu.test")
    unknown = ask_reset("tidak-ada@kpu.test")
    assert mails_to("penulis@kpu.test") == PER_ACCOUNT and mails_to("tidak-ada@kpu.test") == 0

    for response in (held_back, unknown):
        assert response.status_code == sent.status_code == 200
        assert response.redirect_chain == sent.redirect_chain
        assert visible_text(response) == visible_text(sent)
    assert "/admin/password_reset/done/" in sent.redirect_chain[-1][0]


def test_a_sent_mail_still_carries_a_working_reset_link():
    make_account("penulis")
    ask_reset("penulis@kpu.test")
    assert mails_to("penulis@kpu.test") == 1
    link = re.search(r"http://testserver(/admin/password_reset/confirm/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    response = Client().get(link.group(1), follow=True)
    assert response.status_code == 200 and 'name="new_password1"' in response.content.decode()
