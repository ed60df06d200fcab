"""The short chain in a real browser on a phone: the author submits, each approver approves from the
dashboard, and only then does the Berita appear on the public site."""

import re

import pytest

from sop_workflow.sop import Role
from tests import factories
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPROVE = re.compile(r"^Setujui( dan terbitkan)?$")
SHORT_CHAIN_APPROVERS = [Role.PENGELOLA, Role.WEB_ADMIN, Role.TEKMAS, Role.KABAG_HTH, Role.WEB_ADMIN]


def test_short_chain_in_a_phone_browser(live_server, phone, home_page, sop_users):
    from wagtail.models import Site

    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=live_server.thread.port)
    index = factories.BeritaIndexPageFactory(parent=home_page)
    berita = factories.BeritaPageFactory(
        parent=index, title="Penetapan DPT Pilkada Jawa Tengah", owner=sop_users[Role.PENGAMPU]
    )
    berita.unpublish()
    berita.save_revision(user=sop_users[Role.PENGAMPU])
    base = live_server.url
    public = phone()
    assert public.goto(f"{base}/berita/{berita.slug}/").status == 404

    author = phone()
    log_in(author, base, sop_users[Role.PENGAMPU])
    author.goto(f"{base}/admin/pages/{berita.pk}/edit/")
    author.locator("footer [data-w-dropdown-target='toggle']").first.click()
    author.locator("button[name='action-submit']").click()
    author.wait_for_load_state("networkidle")

    for role in SHORT_CHAIN_APPROVERS:
        approver = phone()
        log_in(approver, base, sop_users[role])
        row = approver.locator("#awaiting-review-section tr", has_text=berita.title)
        row.locator("[data-w-dropdown-target='toggle']").click()
        with approver.expect_navigation():
            approver.get_by_role("button", name=APPROVE).filter(visible=True).click()
        approver.context.close()

    response = public.goto(f"{base}/berita/{berita.slug}/")
    assert response.status == 200
    assert public.locator("h1").inner_text() == berita.title
