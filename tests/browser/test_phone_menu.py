"""What a reader meets on a phone (390 px) and on a desktop (1280 px): the header menu reaches every
section, Kontak included; the numbers of a data table line up at their decimal comma."""

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def menu_titles() -> list[str]:
    from wagtail.models import Page

    home = Page.objects.get(depth=2)
    return list(home.get_children().live().public().in_menu().values_list("title", flat=True))


def inside(box, viewport) -> bool:
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
        and box["y"] + box["height"] <= viewport["height"]
    )


def test_phone_menu_opens_to_every_section_including_kontak(demo_content_site, phone):
    base = demo_content_site
    titles = menu_titles()
    assert "Kontak" in titles and len(titles) >= 10

    page = phone()
    page.goto(base + "/")
    toggle = page.locator("summary.site-nav__toggle")
    assert toggle.is_visible() and toggle.inner_text().strip() == "Menu"
    assert inside(toggle.bounding_box(), PHONE)
    # closed: no section link of the menu is on the screen, and none is cut off at the edge
    assert not page.locator(".site-nav__list--menu a").first.is_visible()
    assert not page.locator(".site-nav__list--bar").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # opened from the keyboard, as well as by a tap
    toggle.focus()
    page.keyboard.press("Enter")
    assert page.locator("details.site-nav__menu").evaluate("d => d.open")
    links = page.locator(".site-nav__list--menu a")
    assert links.all_inner_texts() == titles
    for title in titles:
        link = page.locator(".site-nav__list--menu a", has_text=title)
        assert link.is_visible(), title
        assert inside(link.bounding_box(), PHONE), (title, link.bounding_box())
        assert link.evaluate("a => a.scrollWidth <= a.clientWidth"), title  # the whole word shows
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "menu-390.png"))

    # Kontak takes the reader there; the menu closes again with a tap on "Menu"
    page.locator(".site-nav__list--menu a", has_text="Kontak").click()
    page.wait_for_url(base + "/kontak/")
    assert page.locator("h1").first.inner_text().strip() == "Kontak"
    page.locator("summary.site-nav__toggle").click()
    assert page.locator(".site-nav__list--menu a[aria-current=page]").inner_text() == "Kontak"
    page.locator("summary.site-nav__toggle").click()
    assert not page.locator(".site-nav__list--menu a").first.is_visible()


def test_desktop_keeps_the_horizontal_bar(demo_content_site, browser):
    base = demo_content_site
    titles = menu_titles()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + "/")
    assert not page.locator("summary.site-nav__toggle").is_visible()
    links = page.locator(".site-nav__list--bar a")
    assert links.all_inner_texts() == titles
    boxes = [links.nth(n).bounding_box() for n in range(links.count())]
    assert all(inside(box, {"width": 1280, "height": 900}) for box in boxes)
    assert len({round(box["y"]) for box in boxes}) == 1  # one row
    assert [box["x"] for box in boxes] == sorted(box["x"] for box in boxes)  # side by side
    context.close()


#: the x position of the decimal comma in each number of a column that has one
COMMAS = """
table => {
  const columns = {};
  for (const row of table.querySelectorAll('tbody tr, tfoot tr')) {
    row.querySelectorAll('td.num').forEach((cell, index) => {
      const node = cell.firstChild;
      const at = node ? node.textContent.indexOf(',') : -1;
      if (at < 0) return;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + 1);
      (columns[index] = columns[index] || []).push(range.getBoundingClientRect().left);
    });
  }
  return columns;
}
"""


def test_decimal_commas_of_a_data_column_line_up_on_a_phone(demo_content_site, phone):
    from kpu_pages.models import DataPage

    base = demo_content_site
    page = phone()
    checked = 0
    for data_page in DataPage.objects.live().public():
        page.goto(base + data_page.url)
        for table in page.locator("table.data-grid").all():
            rows = table.locator("tbody tr").count()
            for index, lefts in table.evaluate(COMMAS).items():
                assert len(lefts) >= rows, f"{data_page.title}, kolom {index}: not every number has a comma"
                assert max(lefts) - min(lefts) < 1, f"{data_page.title}, kolom {index}: {lefts}"
                checked += 1
    assert checked  # the demo's averages and percentages have one decimal
