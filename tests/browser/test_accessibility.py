"""WCAG 2.1 A/AA in a real browser: axe-core (npm) injected into Debian's Chromium, public pages."""

import os
from pathlib import Path

import pytest

from tests.browser.helpers import public_paths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent.parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Tags the focused element with a stable id and returns it (None when focus is on the page itself).
MARK_ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  if (!el.dataset.kbd) el.dataset.kbd = Math.random().toString(36).slice(2);
  return el.dataset.kbd;
}"""


@pytest.fixture
def demo_site(demo_content_site):
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("axe-core is required in CI (make install runs npm ci)")
        pytest.skip("axe-core is not installed (npm ci)")
    return demo_content_site


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def test_public_pages_have_no_wcag_violations(demo_site, phone, browser):
    failures = {}
    for width in (390, 1280):
        # bypass_csp: axe is injected as an inline script, which the site's policy rightly refuses.
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        page = context.new_page()
        for path in public_paths():
            page.goto(demo_site + path)
            violations = axe_violations(page)
            if violations:
                failures[f"{width}px {path}"] = violations
        context.close()
    assert not failures, "\n".join(f"{where}: {v}" for where, vs in failures.items() for v in vs)


def test_keyboard_reaches_every_link_and_control_on_the_home_page(demo_site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(demo_site + "/")
    focusable = page.evaluate(
        """() => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
            .filter(el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0).length"""
    )
    reached = set()
    first = None
    for _ in range(focusable + 5):
        page.keyboard.press("Tab")
        marker = page.evaluate(MARK_ACTIVE)
        if marker is None:
            continue
        if marker == first:
            break
        first = first or marker
        reached.add(marker)
    context.close()
    assert len(reached) >= focusable, f"Tab reached {len(reached)} of {focusable} focusable elements"


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(demo_site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(demo_site + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Langsung ke konten utama"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "konten"
    context.close()


def test_every_page_type_weighs_at_most_100_kb_of_html_css_and_js(demo_site, browser):
    """Bytes of HTML, CSS and JS received by a fresh browser (no cache) per page; images excluded."""
    weights = {}
    for path in public_paths():
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        finished = []
        page.on("requestfinished", lambda request, finished=finished: finished.append(request))
        page.goto(demo_site + path, wait_until="load")
        third_party = [r.url for r in finished if not r.url.startswith(demo_site)]
        assert not third_party, (path, third_party)
        weights[path] = sum(
            r.sizes()["responseBodySize"]
            for r in finished
            if r.resource_type in ("document", "stylesheet", "script")
        )
        context.close()
    print({path: f"{size / 1024:.1f} KB" for path, size in weights.items()})
    assert min(weights.values()) > 5 * 1024, "nothing measured"
    heavy = {path: size for path, size in weights.items() if size > 100 * 1024}
    assert not heavy, heavy
