"""The Content-Security-Policy in Debian's Chromium: every public page type and the admin editor with
its preview load with zero policy violations, and still work (chart, search, preview, userbar)."""

import pytest

from tests.browser.helpers import log_in, public_paths
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Runs before any page script (through the DevTools protocol, so the policy does not apply to it).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


class ViolationRecorder:
    """Collects violations from every frame's event listener and from the console."""

    def __init__(self, context):
        self.console = []
        context.add_init_script(RECORD_VIOLATIONS)
        context.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def collect(self, page) -> list[str]:
        found = list(self.console)
        for frame in page.frames:
            try:
                found += frame.evaluate("() => window.__violations || []")
            except Exception:  # noqa: BLE001, S112 -- a frame that navigated away has nothing to report
                continue
        self.console.clear()
        return found


def test_public_pages_load_without_a_single_csp_violation(demo_content_site, browser):
    base = demo_content_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    recorder = ViolationRecorder(context)
    page = context.new_page()
    failures = {}
    headers = {}
    for path in public_paths():
        response = page.goto(base + path, wait_until="load")
        headers[path] = response.headers.get("content-security-policy", "")
        found = recorder.collect(page)
        if found:
            failures[path] = found
    assert not failures, failures
    assert all(
        "script-src 'self';" in policy or policy.endswith("script-src 'self'") for policy in headers.values()
    )
    assert not [path for path, policy in headers.items() if "unsafe-inline" in policy]
    assert all("frame-ancestors 'none'" in policy for policy in headers.values())

    # Still works under the policy: the Data chart is drawn with its stylesheet colours and sizes ...
    from kpu_pages.models import DataPage

    data_page = DataPage.objects.live().public().order_by("pk").first()
    page.goto(base + data_page.url)
    chart = page.locator("figure.data-chart svg").first
    assert chart.is_visible()
    assert chart.bounding_box()["width"] > 200
    assert page.locator("figure.data-chart rect").count() > 0
    # ... the stylesheet applies (the header has its brand colour, not the browser's white) ...
    background = page.evaluate(
        "() => getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert background not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    # ... and the header search form takes the reader to the results.
    page.fill("#header-q", "pemilih")
    page.press("#header-q", "Enter")
    page.wait_for_url("**/cari/?q=pemilih")
    assert page.locator("main h1").first.is_visible()
    assert recorder.collect(page) == []
    context.close()


def test_admin_editor_and_preview_load_without_csp_violations(demo_content_site, browser):
    from django.contrib.auth import get_user_model

    from kpu_pages.models import BeritaPage

    base = demo_content_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    recorder = ViolationRecorder(context)
    page = context.new_page()
    # An administrator: edits any page (the SOP roles' own screens are covered by the SOP tests).
    editor = get_user_model().objects.create_superuser("csp-admin", password=PASSWORD, email="csp@kpu.test")
    log_in(page, base, editor)
    assert recorder.collect(page) == []

    berita = BeritaPage.objects.live().order_by("pk").first()
    response = page.goto(f"{base}/admin/pages/{berita.pk}/edit/", wait_until="networkidle")
    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
    assert page.locator("#id_title").input_value() == berita.title
    assert recorder.collect(page) == []

    # The preview side panel frames the page from the admin: allowed by frame-ancestors 'self'.
    page.locator("button[data-side-panel-toggle='preview']").click()
    # Wagtail swaps in a fresh iframe once the preview has loaded: locate it anew each time.
    page.wait_for_function(
        """() => { const frames = document.querySelectorAll('iframe.w-preview__iframe');
                   return frames.length === 1 && (frames[0].src || '').includes('/preview/'); }"""
    )
    heading = page.frame_locator("iframe.w-preview__iframe").locator("main h1").first
    heading.wait_for(state="attached")
    assert berita.title in heading.text_content()
    assert recorder.collect(page) == []

    # A logged-in editor on the public site sees Wagtail's userbar, under the strict public policy.
    page.goto(base + berita.url, wait_until="networkidle")
    assert page.locator("wagtail-userbar").count() == 1
    assert recorder.collect(page) == []
    context.close()
