"""Security headers on public pages, cached pages, the admin and the 500 page; no inline code in public HTML.

The browser side (zero CSP violations in Chromium, the pages still work) is in
tests/browser/test_content_security_policy.py.
"""

import html5lib
import pytest

from django.core.cache import cache
from django.template.loader import render_to_string

from tests import factories

pytestmark = pytest.mark.django_db

DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
CSV = "Wilayah,Jumlah Pemilih\nKota Semarang,1.252.567\nKab. Cilacap,1.571.001\n"


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def inline_code(html: str) -> list[str]:
    """Everything in ``html`` a strict CSP would block: inline scripts, <style>, style and on* attributes."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.split("}")[-1]
        if tag == "script" and not element.get("src") and element.get("type") not in DATA_SCRIPT_TYPES:
            found.append(f"inline <script>: {''.join(element.itertext())[:60]!r}")
        if tag == "style":
            found.append("<style> element")
        for name in element.attrib:
            name = name.split("}")[-1].lower()
            if name == "style" or name.startswith("on"):
                found.append(f"<{tag} {name}=...>")
    return found


@pytest.fixture
def site_pages(home_page):
    berita_index = factories.BeritaIndexPageFactory(parent=home_page)
    image = factories.ImageFactory()
    berita = factories.BeritaPageFactory(
        parent=berita_index,
        feature_image=image,
        feature_image_alt="Rapat pleno",
        body=[
            ("paragraph", "<p>Isi <b>tebal</b> dan <a href='https://kpu.go.id'>tautan</a>.</p>"),
            ("image", {"image": image, "alt_text": "Rapat", "caption": "Keterangan", "credit": "Humas"}),
            ("quote", {"text": "Kutipan", "attribution": "Ketua"}),
            (
                "table",
                {
                    "data": [["A", "B"], ["1", "2"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Tabel",
                },
            ),
        ],
    )
    data_index = factories.DataIndexPageFactory(parent=home_page)
    table = factories.data_table("DPT", factories.data_document(CSV, "dpt.csv"))
    data = factories.DataPageFactory(parent=data_index, tables=[table])
    return ["/", berita_index.url, berita.url, data_index.url, data.url, "/cari/?q=rapat", "/tidak-ada/"]


def test_public_pages_have_a_strict_policy_and_no_inline_code(client, site_pages):
    for url in site_pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "camera=()" in response.headers["Permissions-Policy"]
        assert inline_code(response.content.decode()) == [], url
    # The Data page still draws its chart, as SVG with presentation attributes, not style.
    assert '<svg role="img"' in client.get(site_pages[4]).content.decode()


def test_a_page_served_from_the_page_cache_carries_the_same_headers(client, settings, site_pages):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    try:
        first = client.get(site_pages[2])
        second = client.get(site_pages[2])
        assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
        assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in second.headers["Content-Security-Policy"]
        assert second.headers["Permissions-Policy"] == first.headers["Permissions-Policy"]
    finally:
        cache.clear()


def test_admin_has_its_own_policy_that_allows_framing_only_by_itself(client):
    response = client.get("/admin/login/")
    policy = directives(response)
    assert policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_the_500_page_needs_no_inline_style():
    html = render_to_string("500.html")
    assert inline_code(html) == []
    assert "site" in html and ".css" in html
    assert "Terjadi gangguan pada server" in html
