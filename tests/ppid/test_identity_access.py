"""Identity scans are personal data: streamed from private storage to the PPID groups only, never cached,
never reachable under /media/ or the private storage's own base URL, every opening in the history."""

from __future__ import annotations

from pathlib import Path

import pytest

from django.conf import settings
from django.test import Client
from django.urls import reverse

from ppid.rules import Role
from sop_workflow.sop import Role as SOPRole
from tests.ppid.test_admin_support import make_request, png_bytes, ppid_users
from tests.sop_workflow.admin_helpers import assert_refused, login

pytestmark = pytest.mark.django_db


def scan_url(req) -> str:
    return reverse("ppid_permohonan:identity", args=[req.pk])


@pytest.mark.parametrize("role", [Role.DESK, Role.PPID, Role.SUPERIOR])
def test_each_ppid_group_opens_the_scan_uncached(role):
    users = ppid_users()
    req = make_request()
    response = login(users[role]).get(scan_url(req))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert "inline" in response["Content-Disposition"] and req.number in response["Content-Disposition"]


def test_every_opening_is_in_the_history():
    users = ppid_users()
    req = make_request()
    client = login(users[Role.DESK])
    b"".join(client.get(scan_url(req)).streaming_content)
    page = client.get(reverse("ppid_permohonan:detail", args=[req.pk])).content.decode()
    history = page[page.index('id="riwayat"') :]
    assert "Pindaian identitas dibuka" in history and "Petugas Uji" in history


def test_an_sop_role_a_superuser_outside_the_groups_and_the_public_get_nothing(sop_users, admin_user):
    ppid_users()
    req = make_request()
    for sop_role in (SOPRole.WEB_ADMIN, SOPRole.SEKRETARIS):
        response = login(sop_users[sop_role]).get(scan_url(req))
        assert_refused(response)
    assert_refused(login(admin_user, password="password").get(scan_url(req)))
    detail = login(admin_user, password="password").get(reverse("ppid_permohonan:detail", args=[req.pk]))
    assert scan_url(req) not in detail.content.decode()
    anonymous = Client().get(scan_url(req))
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous.url


def test_a_guessed_media_or_storage_url_finds_nothing():
    req = make_request()
    name = req.identity_scan.name
    assert name.startswith("identitas/")
    stored = Path(settings.STORAGES["ppid_private"]["OPTIONS"]["location"]) / name
    assert stored.read_bytes() == png_bytes()
    assert not (Path(settings.MEDIA_ROOT) / name).exists()
    client = Client()
    for url in (
        f"{settings.MEDIA_URL}{name}",
        f"{settings.MEDIA_URL}../private/{name}",
        f"/tidak-untuk-umum/{name}",
        req.identity_scan.url,
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert png_bytes() not in response.content


def test_a_missing_scan_answers_404_not_500():
    users = ppid_users()
    req = make_request(with_scan=False)
    assert login(users[Role.PPID]).get(scan_url(req)).status_code == 404
