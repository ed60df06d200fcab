"""The public statistics and the admin report in Chromium, on a 390 px phone and a 1280 px screen: the
tables fit without pushing the page sideways, numbers sit right-aligned, the chart fits and reads, and
the pages pass axe's WCAG checks. ``SCREENSHOT_DIR=<dir>`` keeps a full-page screenshot of each."""

from __future__ import annotations

import os

import pytest

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from ppid.rules import ROLES, Role
from ppid.setup import setup_groups
from tests.browser.helpers import log_in
from tests.browser.test_accessibility import AXE, WCAG_TAGS
from tests.conftest import PASSWORD
from tests.ppid.test_report import make_known_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 900}}
CHART_NAME = "Permohonan informasi yang diterima per bulan, tahun 2026"

#: per table: its width against its scrolling region's, and each number cell's alignment
LAYOUT = """() => ({
  pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
  tables: [...document.querySelectorAll('main table')].map((table) => ({
    caption: table.caption ? table.caption.textContent.trim() : '',
    overflow: table.getBoundingClientRect().width - table.parentElement.getBoundingClientRect().width,
    alignments: [...table.querySelectorAll('td.num, td[style*="text-align:end"]')].map(
      (cell) => getComputedStyle(cell).textAlign),
  })),
})"""


def context_for(browser, size: str, **extra):  # noqa: F811
    options = {"viewport": SIZES[size], "locale": "id-ID", **extra}
    if size == "390":
        options["is_mobile"] = True
    context = browser.new_context(**options)
    context.set_default_timeout(20_000)
    return context


def check_layout(page, size: str) -> None:
    layout = page.evaluate(LAYOUT)
    assert layout["pageOverflow"] <= 0, layout["pageOverflow"]
    assert layout["tables"]
    for table in layout["tables"]:
        assert table["overflow"] <= 1, (size, table["caption"], table["overflow"])
        assert table["alignments"] and set(table["alignments"]) <= {"right", "end"}, table


def check_chart(page, size: str) -> None:
    chart = page.get_by_role("img", name=CHART_NAME)
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= SIZES[size]["width"], box
    texts = chart.locator("text")
    assert texts.count() == 24  # a month and its count, twelve times
    for index in range(texts.count()):
        text_box = texts.nth(index).bounding_box()
        assert text_box["x"] + text_box["width"] <= box["x"] + box["width"] + 0.5
        assert text_box["height"] >= 11, (size, texts.nth(index).text_content(), text_box)


def check_axe(page, selector: str) -> None:
    if not AXE.exists():
        return
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        f"async (tags) => await axe.run('{selector}', {{runOnly: {{type: 'tag', values: tags}}}})", WCAG_TAGS
    )
    assert not [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def screenshot(page, name: str, inner_scroll: bool = False) -> None:
    """A full-page screenshot; Wagtail's admin scrolls inside its layout, so there the window is made
    as tall as the content first."""
    if not os.environ.get("SCREENSHOT_DIR"):
        return
    if inner_scroll:
        height = page.evaluate("Math.max(...[...document.querySelectorAll('*')].map((e) => e.scrollHeight))")
        page.set_viewport_size({"width": page.viewport_size["width"], "height": min(height + 100, 12_000)})
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], name), full_page=True)


@pytest.mark.parametrize("size", SIZES)
def test_public_statistics_fit_and_read_on_phone_and_screen(size, live_server, browser):  # noqa: F811
    make_known_year()
    context = context_for(browser, size)
    violations = []
    context.on(
        "console", lambda message: "Content Security Policy" in message.text and violations.append(message)
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/layanan-informasi/statistik/2026/")
    assert page.get_by_role("heading", level=1).text_content() == "Layanan informasi tahun 2026"
    check_layout(page, size)
    check_chart(page, size)
    screenshot(page, f"statistik-2026-{size}.png")
    page.goto(f"{live_server.url}/layanan-informasi/statistik/")
    page.get_by_role("link", name="Statistik tahun 2026").wait_for()
    screenshot(page, f"statistik-indeks-{size}.png")
    assert not violations, [message.text for message in violations]
    context.close()
    # axe is injected as an inline script, which the site's policy rightly refuses: a second visit without it.
    context = context_for(browser, size, bypass_csp=True)
    page = context.new_page()
    for path in ("statistik/2026/", "statistik/"):
        page.goto(f"{live_server.url}/layanan-informasi/{path}")
        check_axe(page, "main")
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_admin_report_fits_on_phone_and_screen(size, live_server, browser):  # noqa: F811
    make_known_year()
    setup_groups(apps)  # a transactional test before this one flushed the groups the migration made
    user = get_user_model().objects.create_user("uji-ppid", password=PASSWORD, email="ppid@kpu.test")
    user.groups.add(Group.objects.get(name=ROLES[Role.PPID].group_name))
    context = context_for(browser, size)
    page = context.new_page()
    log_in(page, live_server.url, user)
    page.goto(f"{live_server.url}/admin/ppid/laporan/?tahun=2026")
    page.get_by_role("heading", name="Laporan layanan informasi tahun 2026").wait_for()
    check_layout(page, size)
    check_chart(page, size)
    check_axe(page, "#listing-results")
    screenshot(page, f"laporan-admin-2026-{size}.png", inner_scroll=True)
    context.close()
