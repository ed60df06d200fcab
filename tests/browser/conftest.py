import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI at {CHROMIUM} (.ci/run installs Debian's chromium)")
        pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
    # itself between browser steps are safe here. Set only while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def phone(browser):
    """A fresh phone-sized browser context per person."""
    contexts = []

    def new_phone():
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", is_mobile=True)
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield new_phone
    for context in contexts:
        context.close()


@pytest.fixture
def demo_content_site(live_server, tmp_path, settings, monkeypatch):
    """The live server with the demo content loaded; returns its base URL."""
    from django.core.management import call_command

    from wagtail.models import Site

    from tests.conftest import ensure_baseline

    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("DEMO_PASSWORD", "sandi-demo-uji")
    ensure_baseline()
    call_command("load_demo_content", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=live_server.thread.port)
    return live_server.url
