"""WCAG 2.1 A/AA (axe-core in Debian's Chromium) on the admin screens the SOP roles use for reviewing.

A reviewer with work waiting, some of it late, walks the dashboard, the edit screen with the approve
and request-changes dialogs open, the workflow history, Kepatuhan SOP and Arsip Persetujuan at each of
``WIDTHS``; the author reads the histories of a published page. Each screen is checked whole, as
itself (no redirect), with no axe rule turned off. SCREENSHOT_DIR=<dir> keeps a PNG of each.
"""

import datetime as dt
import os
from pathlib import Path

import pytest

from django.core.management import call_command
from django.utils import timezone

from tests.browser.helpers import log_in
from tests.browser.test_accessibility import AXE, axe_violations
from tests.conftest import PASSWORD, ensure_baseline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)
WAITING_TITLE = "Draf: Menjaga Integritas Data Pemilih di Era Digital"  # at the Sekretaris's step


@pytest.fixture
def review_site(live_server, tmp_path, settings, monkeypatch):
    """Demo content and accounts (password PASSWORD), an Artikel late at the Sekretaris's step, and
    one Artikel published through the whole chain (so the archive holds a record)."""
    from wagtail.models import Page, Site, TaskState

    from kpu_pages.models import ArtikelPage
    from sop_workflow.demo import load_demo_users

    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("axe-core is required in CI (make install runs npm ci)")
        pytest.skip("axe-core is not installed (npm ci)")
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    ensure_baseline()
    call_command("load_demo_content", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=live_server.thread.port)
    users = {user.username: user for user in load_demo_users(PASSWORD).values()}

    waiting = ArtikelPage.objects.get(title=WAITING_TITLE)
    # Late: the step started three working days ago (the standard is 30 office minutes).
    TaskState.objects.filter(pk=waiting.current_workflow_task_state.pk).update(
        started_at=timezone.now() - dt.timedelta(days=3)
    )

    published = ArtikelPage.objects.get(title="Draf: Partisipasi Pemilih Perempuan di Jawa Tengah")
    state = published.current_workflow_state
    while state.status == state.STATUS_IN_PROGRESS:
        task_state = state.current_task_state
        task = task_state.task.specific
        reviewer = next(u for u in users.values() if task.user_is_reviewer(published, u, state))
        task.on_action(task_state, reviewer, "approve", comment="Sudah sesuai.")
        state.refresh_from_db()
    assert Page.objects.get(pk=published.pk).live
    return {
        "url": live_server.url,
        "reviewer": users["sekretaris"],
        "author": users["pengampu"],
        "waiting": waiting,
        "published": published,
    }


def screens(site):
    """(name, path, what to do on the screen before the check) for every screen the reviewer uses."""
    from sop_workflow.models import ArsipPersetujuan

    waiting = site["waiting"]
    state = waiting.workflow_states.order_by("-created_at").first()
    record = ArsipPersetujuan.objects.order_by("-pk").first()
    assert record is not None, "the archive holds no record"

    def open_dialog(label):
        def action(page):
            row = page.locator("#awaiting-review-section tr", has_text=WAITING_TITLE)
            row.locator("[data-w-dropdown-target='toggle']").click()
            page.get_by_role("button", name=label, exact=True).filter(visible=True).click()
            page.locator(".modal textarea").wait_for()

        return action

    return [
        ("dasbor", "/admin/", None),
        ("dialog-setujui", "/admin/", open_dialog("Setujui dengan komentar")),
        ("dialog-minta-perbaikan", "/admin/", open_dialog("Minta perbaikan…")),
        ("edit-dalam-moderasi", f"/admin/pages/{waiting.pk}/edit/", None),
        # The reviewer follows the workflow of the page at their step; its page history (revisions)
        # is for those who may edit the page (docs/security.md, "Hak akses"), so the author reads it.
        ("riwayat-alur", f"/admin/pages/{waiting.pk}/workflow_history/", None),
        ("riwayat-alur-rinci", f"/admin/pages/{waiting.pk}/workflow_history/detail/{state.pk}/", None),
        ("kepatuhan-sop", "/admin/reports/kepatuhan-sop/", None),
        ("arsip", "/admin/sop/arsip/", None),
        ("arsip-rinci", f"/admin/sop/arsip/{record.pk}/", None),
    ]


def author_screens(site):
    """The author's view of the page the chain published: its history and its whole workflow."""
    published = site["published"]
    state = published.workflow_states.order_by("-created_at").first()
    return [
        ("penulis-riwayat-halaman", f"/admin/pages/{published.pk}/history/", None),
        ("penulis-riwayat-alur", f"/admin/pages/{published.pk}/workflow_history/", None),
        (
            "penulis-riwayat-alur-rinci",
            f"/admin/pages/{published.pk}/workflow_history/detail/{state.pk}/",
            None,
        ),
    ]


def settle(page):
    """Wait for the screen's transitions (a dialog or a message fading in) to end: axe measures colours
    as drawn, and a half-faded error message fails contrast. Long decorative loops (Wagtail's 25 s
    "ping" on the help badge) are not waited for."""
    page.evaluate(
        """() => Promise.all(document.getAnimations()
            .filter((a) => a.effect && a.effect.getComputedTiming().endTime <= 2000)
            .map((a) => a.finished.catch(() => null)))"""
    )


def test_review_screens_have_no_wcag_violations(review_site, browser):
    shots = os.environ.get("SCREENSHOT_DIR")
    failures = {}
    walks = [("reviewer", screens(review_site)), ("author", author_screens(review_site))]
    for width, (who, walk) in ((width, walk) for width in WIDTHS for walk in walks):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
        context.set_default_timeout(20_000)
        page = context.new_page()
        log_in(page, review_site["url"], review_site[who])
        for name, path, action in walk:
            response = page.goto(review_site["url"] + path)
            assert response.status == 200, (path, response.status)
            # Wagtail answers a refused screen with a redirect to the dashboard and an error message.
            assert page.url == review_site["url"] + path, (path, "redirected to", page.url)
            refusals = page.locator(".messages .error")
            assert not refusals.count(), (path, refusals.all_inner_texts())
            if action:
                try:
                    action(page)
                except Exception as exc:  # noqa: BLE001 - reported with the other failures below
                    if shots:
                        page.screenshot(path=f"{shots}/{name}-{width}-failed.png", full_page=True)
                        Path(f"{shots}/{name}-{width}-failed.html").write_text(page.content())
                    failures[f"{width}px {name}"] = [f"could not open: {exc}"]
                    continue
            settle(page)
            if name == "dasbor":  # the panels the brief names are really there
                assert page.get_by_text("Menunggu tinjauan Anda").count()
                assert page.get_by_text("Terlambat di seluruh SOP").count()
                assert page.get_by_text(WAITING_TITLE).count()
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{shots}/{name}-{width}.png", full_page=True)
            violations = axe_violations(page)
            if violations:
                failures[f"{width}px {name} {path}"] = violations
        context.close()
    assert not failures, "\n".join(f"{where}: {v}" for where, vs in failures.items() for v in vs)
