"""The queue, a request and the answer form in a real browser, on a phone (390 px) and a desktop (1280 px),
with the demo data: readable without sideways scrolling of the page, the queue's and the objection
register's tables scrolled sideways in their own box to their last column; screenshots kept for review
(``PPID_SHOTS_DIR``, else the test's temporary directory)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from ppid.models import InformationRequest
from ppid.rules import ROLES, Decision, Role
from tests.browser.helpers import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {390: 844, 1280: 900}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def reach_last_column(page, width: int) -> None:
    """On a phone the table's last column is out of sight until the reader swipes its box sideways."""
    last = page.locator(".ppid-table-scroll thead th").last
    if width < 600:
        expect(last).not_to_be_in_viewport()
        page.locator(".ppid-table-scroll").hover()
        page.mouse.wheel(2000, 0)
    expect(last).to_be_in_viewport(ratio=0.9)


def shoot(page, path: Path, width: int, height: int) -> None:
    """The whole screen: the admin scrolls inside its main area, so the window is made as tall first."""
    full = page.evaluate(
        "Math.max(document.documentElement.scrollHeight, ...[...document.querySelectorAll('main, main *')]"
        ".map((element) => element.scrollHeight))"
    )
    page.set_viewport_size({"width": width, "height": max(height, min(full + 80, 6000))})
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": width, "height": height})


def test_the_ppid_works_the_queue_on_a_phone_and_a_desktop(
    browser, live_server, settings, tmp_path, monkeypatch
):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    call_command("load_ppid_demo", stdout=io.StringIO())
    shots = Path(os.environ.get("PPID_SHOTS_DIR") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    user = get_user_model().objects.get(username=ROLES[Role.PPID].demo_username)
    overdue = next(req for req in InformationRequest.objects.all() if req.is_overdue())
    refused = InformationRequest.objects.filter(decision=Decision.REFUSED).order_by("pk").first()
    base = live_server.url

    for width, height in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
        context.set_default_timeout(20_000)
        page = context.new_page()
        log_in(page, base, user)

        page.goto(base + reverse("ppid_permohonan:index"))
        assert page.get_by_role("heading", name="Permohonan informasi").first.is_visible()
        assert page.get_by_text("terlambat", exact=False).first.is_visible()
        assert page_width(page) <= width + 1, f"the queue scrolls sideways at {width} px"
        shoot(page, shots / f"ppid-admin-antrean-{width}.png", width, height)
        reach_last_column(page, width)

        page.goto(base + reverse("ppid_keberatan:index"))
        assert page_width(page) <= width + 1, f"the objection register scrolls sideways at {width} px"
        reach_last_column(page, width)
        shoot(page, shots / f"ppid-admin-keberatan-{width}.png", width, height)

        page.goto(base + reverse("ppid_permohonan:detail", args=[refused.pk]))
        assert page.get_by_text("Uji konsekuensi", exact=True).is_visible()
        assert page_width(page) <= width + 1, f"the detail scrolls sideways at {width} px"
        shoot(page, shots / f"ppid-admin-rincian-{width}.png", width, height)

        page.goto(base + reverse("ppid_permohonan:answer", args=[overdue.pk]))
        page.get_by_label("Permohonan ditolak").check()
        page.get_by_label("Penjelasan jawaban").fill("Data pribadi pemilih tidak dapat diberikan.")
        page.get_by_role("button", name="Simpan jawaban dan kirim pemberitahuan").click()
        page.wait_for_load_state()
        assert page.get_by_text("Tuliskan dasar hukum untuk keputusan").is_visible()
        assert (
            page.get_by_label("Penjelasan jawaban").input_value()
            == "Data pribadi pemilih tidak dapat diberikan."
        )
        assert page_width(page) <= width + 1, f"the answer form scrolls sideways at {width} px"
        shoot(page, shots / f"ppid-admin-jawab-{width}.png", width, height)
        context.close()
    overdue.refresh_from_db()
    assert not overdue.is_answered
