"""The compliance report on a phone: the chart fits the screen and its text stays legible."""

import datetime as dt
import os

import pytest

from django.utils import timezone

from sop_workflow.sop import Chain, Role
from tests import factories
from tests.browser.helpers import log_in
from tests.browser.test_accessibility import AXE, WCAG_TAGS
from tests.sop_workflow.test_compliance_report import finished_step, workflow_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chart_is_readable_on_a_390px_phone(live_server, phone, home_page, sop_users):
    author = sop_users[Role.PENGAMPU]
    index = factories.ArtikelIndexPageFactory(parent=home_page)
    artikel = factories.ArtikelPageFactory(parent=index, title="Artikel", owner=author)
    state = workflow_state(artikel, Chain.LONG, author)
    end = timezone.now() - dt.timedelta(days=1)
    for key, minutes in (("terima", 3), ("validasi", 9), ("tekmas", 25), ("komisioner", 2 * 24 * 60 + 47)):
        finished_step(state, key, end - dt.timedelta(minutes=minutes), end)

    page = phone()
    log_in(page, live_server.url, sop_users[Role.KABAG_HTH])
    page.goto(f"{live_server.url}/admin/reports/kepatuhan-sop/")
    chart = page.get_by_role("img", name="Median waktu kerja per langkah SOP dibandingkan mutu baku")
    chart.wait_for()
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    # The drawing's 13-unit text, scaled to the rendered width, stays at 11 CSS pixels or more.
    assert box["width"] / 360 * 13 >= 11, box
    texts = chart.locator("text")
    assert any("Komisioner" in label for label in texts.all_text_contents())
    for i in range(texts.count()):
        text, text_box = texts.nth(i).text_content(), texts.nth(i).bounding_box()
        # Inside the drawing (an SVG clips what overflows it) and legible.
        assert box["x"] <= text_box["x"] and text_box["x"] + text_box["width"] <= box["x"] + box["width"], (
            text
        )
        assert text_box["height"] >= 11, (text, text_box)
    if AXE.exists():  # the report's own content (Wagtail's admin frame is Wagtail's)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async (tags) => await axe.run('#listing-results', {runOnly: {type: 'tag', values: tags}})",
            WCAG_TAGS,
        )
        assert not [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    if os.environ.get("SCREENSHOT"):
        page.screenshot(path=os.environ["SCREENSHOT"], full_page=True)
