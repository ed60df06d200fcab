"""A send-back on a phone: the reviewer asks for changes, the author reads the note in the editor and
resubmits from the obvious action, the chain resumes at that reviewer, and after each approval the
dashboard names the next step; the last one links to the live page."""

import re

import pytest

from wagtail.models import Page

from sop_workflow.sop import Role
from tests import factories
from tests.browser.helpers import log_in
from tests.sop_workflow.admin_helpers import current_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPROVE = re.compile(r"^Setujui( dan terbitkan)?$")


def open_actions(page, title):
    row = page.locator("#awaiting-review-section tr", has_text=title)
    row.locator("[data-w-dropdown-target='toggle']").click()


def approve(new_page, base, user, title) -> str:
    """Approve from the dashboard with one tap; returns the message the dashboard then shows."""
    page = new_page()
    log_in(page, base, user)
    open_actions(page, title)
    with page.expect_navigation():
        page.get_by_role("button", name=APPROVE).filter(visible=True).click()
    page.wait_for_load_state("networkidle")
    message = page.locator(".sop-action-done").inner_text()
    link = page.locator(".sop-action-done a")
    href = link.get_attribute("href") if link.count() else None
    page.context.close()
    return message, href


def test_send_back_and_resubmission_on_a_phone(live_server, phone, home_page, sop_users, settings):
    from wagtail.models import Site

    settings.WAGTAILADMIN_BASE_URL = live_server.url  # BASE_URL: where the public link points
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=live_server.thread.port)
    index = factories.BeritaIndexPageFactory(parent=home_page)
    berita = factories.BeritaPageFactory(
        parent=index, title="Rekapitulasi suara tingkat provinsi", owner=sop_users[Role.PENGAMPU]
    )
    berita.unpublish()
    berita.save_revision(user=sop_users[Role.PENGAMPU])
    base = live_server.url

    author = phone()
    log_in(author, base, sop_users[Role.PENGAMPU])
    author.goto(f"{base}/admin/pages/{berita.pk}/edit/")
    author.locator("footer [data-w-dropdown-target='toggle']").first.click()
    author.locator("button[name='action-submit']").click()
    author.wait_for_load_state("networkidle")

    message, _ = approve(phone, base, sop_users[Role.PENGELOLA], berita.title)
    assert "Langkah berikutnya: Web Admin: koreksi & validasi" in message

    # Web Admin asks for changes, with a note, from the dashboard.
    reviewer = phone()
    log_in(reviewer, base, sop_users[Role.WEB_ADMIN])
    open_actions(reviewer, berita.title)
    reviewer.get_by_role("button", name="Minta perbaikan…").filter(visible=True).click()
    reviewer.locator(".modal textarea").fill("Cantumkan jumlah suara sah per kabupaten.")
    with reviewer.expect_navigation():
        reviewer.locator(".modal button[type=submit]").click()
    reviewer.context.close()
    assert current_step(berita) is None

    # The author reads the note in the editor and resubmits with the action that names the step.
    author.goto(f"{base}/admin/pages/{berita.pk}/edit/")
    assert "Cantumkan jumlah suara sah per kabupaten." in author.locator(".messages").inner_text()
    author.fill("#id_lead", "Jumlah suara sah per kabupaten kini tercantum.")
    author.locator("footer [data-w-dropdown-target='toggle']").first.click()
    resubmit = author.locator("button[name='action-submit']")
    assert "Ajukan ulang ke Web Admin: koreksi & validasi" in resubmit.inner_text()
    assert resubmit.is_visible()
    resubmit.click()
    author.wait_for_load_state("networkidle")
    assert current_step(berita) == "validasi"

    following = {
        Role.WEB_ADMIN: "Sub Koordinator Subbag Tekmas",
        Role.TEKMAS: "Kabag HTH",
        Role.KABAG_HTH: "Web Admin: unggah",
    }
    for role, step in following.items():
        message, _ = approve(phone, base, sop_users[role], berita.title)
        assert f"Langkah berikutnya: {step}" in message, role
    message, href = approve(phone, base, sop_users[Role.WEB_ADMIN], berita.title)
    assert "kini terbit" in message
    public = phone()
    response = public.goto(href)
    assert response.status == 200
    assert "Jumlah suara sah per kabupaten kini tercantum." in public.content()
    assert Page.objects.get(pk=berita.pk).live
