"""Known XSS payloads in every field that renders, publicly and in the admin, come out inert.

Every payload carries a marker ("xss-N"). A page is judged by parsing it as a browser does (html5lib):
no script element whose code carries a marker, no element with an event-handler attribute, no link,
source or form target that is a ``javascript:`` URL, and no element the payload tried to open
(``<img src=x>``, ``<svg onload>``). Escaped text that merely shows the payload is fine.
"""

from __future__ import annotations

import csv
import io
import re

import html5lib
import pytest

from django.core import mail
from django.urls import reverse

from wagtail.test.utils.form_data import rich_text, streamfield

from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import act, login, news_form_data, submit

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '<script>alert("xss-1")</script>',
    '<img src=x onerror=alert("xss-2")>',
    '"><svg onload=alert("xss-3")>',
    "javascript:alert('xss-4')",
    "' onmouseover='alert(\"xss-5\")' x='",
    '</script><script>alert("xss-6")</script>',
    "<a href=\"javascript:alert('xss-7')\">klik</a>",
]
#: for fields of up to 255 characters; ALL (every payload) goes in the long text fields
PAYLOAD = " ".join(PAYLOADS[:5])
ALL = " ".join(PAYLOADS)
#: for fields of 60 characters or fewer
SHORT = '"><img src=x onerror=alert("xss-2")>'
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "srcdoc")
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json", "text/template"}


def executable_findings(html: str) -> list[str]:
    """What in ``html`` a browser would run, or an element the payloads opened."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    found = []
    for element in tree.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.split("}")[-1].lower()
        text = "".join(element.itertext())
        if tag == "script" and "xss-" in text and element.get("type", "").lower() not in DATA_SCRIPT_TYPES:
            found.append(f"<script> running {text[:80]!r}")
        for name, value in element.attrib.items():
            name = name.split("}")[-1].lower()
            if name.startswith("on") and "xss-" in value:
                found.append(f"<{tag} {name}={value[:60]!r}>")
            if name in URL_ATTRIBUTES and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(
                "javascript:"
            ):
                found.append(f"<{tag} {name}={value[:60]!r}>")
        if tag == "img" and element.get("src") == "x":
            found.append("<img src=x> opened by a payload")
        if tag == "svg" and element.get("onload"):
            found.append("<svg onload> opened by a payload")
    return found


def assert_inert(response, where: str, status: int = 200):
    assert response.status_code == status, f"{where}: {response.status_code}"
    html = response.content.decode()
    findings = executable_findings(html)
    assert not findings, f"{where}: {findings}"
    return html


def assert_feed_inert(client, url):
    """RSS readers render each item's description as HTML: it must hold the payload only as text."""
    from xml.etree import ElementTree

    response = client.get(url)
    assert response.status_code == 200
    items = ElementTree.fromstring(response.content).iter("item")
    descriptions = [item.findtext("description") or "" for item in items]
    assert any("xss-" in text for text in descriptions), f"{url}: the payload item is in the feed"
    for text in descriptions:
        assert not executable_findings(text), f"{url}: {text[:200]}"


def test_the_checker_catches_live_payloads():
    """The judge itself can fail: raw payloads in a page are found, escaped ones are not."""
    assert len(executable_findings(f"<p>{ALL}</p>")) >= 5
    from django.utils.html import escape

    assert executable_findings(f"<p>{escape(ALL)}</p><a title='{escape(ALL)}'>x</a>") == []


@pytest.fixture
def admin_client(django_user_model):
    user = django_user_model.objects.create_superuser("xss-admin", "xss@kpu.test", "kata-sandi-uji-123")
    return login(user)


@pytest.fixture
def berita(home_page):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    image = factories.ImageFactory(title=f"Foto {PAYLOAD}")
    document = factories.DocumentFactory(title=f"Dokumen {PAYLOAD}")
    page = factories.BeritaPageFactory(
        parent=index,
        title=f"Rapat {PAYLOAD}",
        seo_title=f"SEO {PAYLOAD}",
        search_description=f"Ringkasan {PAYLOAD}",
        lead=f"Teras {ALL}",
        kota=f"Smg {SHORT}",
        feature_image=image,
        feature_image_alt=f"Alt {PAYLOAD}",
        body=[
            (
                "image",
                {
                    "image": image,
                    "alt_text": f"Alt {PAYLOAD}",
                    "caption": f"Ket {PAYLOAD}",
                    "credit": PAYLOAD,
                },
            ),
            ("quote", {"text": f"Kutipan {ALL}", "attribution": PAYLOAD}),
            ("document", {"document": document, "title": f"Unduh {PAYLOAD}"}),
            (
                "table",
                {
                    "data": [
                        [PAYLOAD, "javascript:alert('xss-4')"],
                        ["<b onclick=alert('xss-8')>x</b>", PAYLOAD],
                    ],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": f"Tabel {PAYLOAD}",
                },
            ),
        ],
    )
    page.tags.add(f"tag {SHORT}")
    page.save_revision().publish()
    return page


def test_news_fields_blocks_and_meta_are_inert_in_every_public_view(client, berita):
    html = assert_inert(client.get(berita.url), "detail")
    # The payload is still shown to the reader, as text.
    assert "alert(&quot;xss-1&quot;)" in html or 'alert("xss-1")' in html
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "</script" not in ld.lower()
    og = re.search(r'<meta property="og:title" content="([^"]*)"', html).group(1)
    assert "<" not in og and '"' not in og
    assert_inert(client.get(berita.get_parent().url), "listing")
    assert_inert(client.get("/"), "home")
    assert_feed_inert(client, "/berita/rss/")
    tag = berita.tags.first()
    assert_inert(client.get(berita.get_parent().url, {"tag": tag.slug}), "tag listing")


def test_search_query_is_echoed_inert(client, berita):
    html = assert_inert(client.get("/cari/", {"q": ALL}), "search")
    assert "xss-1" in html  # echoed as text
    assert_inert(client.get("/cari/", {"q": "Rapat", "jenis": PAYLOAD, "tahun": PAYLOAD}), "search filters")
    assert_inert(client.get(f"/{PAYLOAD}/"), "404 with the payload in the path", status=404)


def test_rich_text_through_the_editor_drops_script_and_javascript_links(admin_client, berita):
    body = (
        f"<p>Isi {PAYLOADS[0]} <a href=\"javascript:alert('xss-7')\">tautan</a>"
        f'<a href="https://kpu.go.id" onclick="alert(\'xss-9\')">KPU</a></p>'
        f"<script>alert('xss-10')</script><iframe src=\"javascript:alert('xss-11')\"></iframe>"
    )
    data = news_form_data(berita, body=streamfield([("paragraph", rich_text(body))]))
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[berita.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    berita.refresh_from_db()
    draft = berita.get_latest_revision_as_object()
    stored = str(draft.body.raw_data)
    assert 'href="javascript:' not in stored, stored
    assert "onclick" not in stored and "<script" not in stored and "<iframe" not in stored, stored
    rendered = str(draft.body)
    assert not executable_findings(rendered), rendered
    assert 'href="https://kpu.go.id"' in rendered  # the good link survives
    assert "xss-1" in rendered  # the typed payload stays, as text
    assert_inert(
        admin_client.get(reverse("wagtailadmin_pages:edit", args=[berita.pk])), "editor with the draft"
    )


def test_admin_listing_edit_and_search_screens_are_inert(admin_client, berita):
    assert_inert(admin_client.get(reverse("wagtailadmin_pages:edit", args=[berita.pk])), "admin edit")
    assert_inert(admin_client.get(reverse("wagtailadmin_explore", args=[berita.get_parent().pk])), "explorer")
    assert_inert(admin_client.get(reverse("wagtailadmin_pages:search"), {"q": PAYLOAD}), "admin search")
    assert_inert(admin_client.get(reverse("wagtailimages:index")), "images")
    assert_inert(admin_client.get(reverse("wagtaildocs:index")), "documents")
    assert_inert(admin_client.get(reverse("wagtailadmin_pages:history", args=[berita.pk])), "history")


def test_regulasi_pengumuman_and_snippets_are_inert(client, admin_client, home_page):
    from kpu_pages.models import Pemilu, Wilayah

    wilayah = Wilayah.objects.order_by("pk").first()
    wilayah.nama = f"Kota {SHORT}"
    wilayah.save()
    regulasi = factories.RegulasiPageFactory(
        parent=factories.RegulasiIndexPageFactory(parent=home_page),
        title=f"Keputusan {PAYLOAD}",
        nomor=SHORT,
        subjek=f"Subjek {PAYLOAD}",
        abstrak=f"Abstrak {ALL}",
    )
    pengumuman = factories.PengumumanPageFactory(
        parent=factories.PengumumanIndexPageFactory(parent=home_page),
        title=f"Pengumuman {PAYLOAD}",
        nomor_surat=SHORT,
        perihal=f"Perihal {PAYLOAD}",
    )
    for page in (regulasi, pengumuman):
        assert_inert(client.get(page.url), type(page).__name__)
        assert_inert(client.get(page.get_parent().url), f"{type(page).__name__} listing")
    assert_inert(
        client.get("/regulasi/", {"q": PAYLOAD, "jenis": PAYLOAD, "tahun": PAYLOAD}), "regulasi filters"
    )
    for feed in ("/pengumuman/rss/", "/regulasi/rss/"):
        assert_feed_inert(client, feed)
    # JSON, never sniffed as HTML: the payload is just a string value there.
    jdihn = client.get("/regulasi/jdihn.json")
    assert jdihn.status_code == 200
    assert jdihn["Content-Type"].startswith("application/json")
    assert jdihn["X-Content-Type-Options"] == "nosniff"
    for model in (Wilayah, Pemilu):
        url = reverse(f"wagtailsnippets_kpu_pages_{model._meta.model_name}:list")
        assert_inert(admin_client.get(url), f"{model.__name__} snippets")


def test_data_page_csv_cells_headers_and_chart_labels_are_inert(client, home_page):
    from kpu_pages.models import Wilayah

    # Rows are matched to Wilayah by code; the chart labels and row headers show the Wilayah's name.
    Wilayah.objects.filter(kode="33.74").update(nama=f"Kota {SHORT}")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(
        [
            ["Wilayah", f"Jumlah {PAYLOADS[1]}"],
            ["33.74", 100],
            ["Kab. Cilacap", 200],
        ]
    )
    index = factories.DataIndexPageFactory(parent=home_page)
    table = factories.data_table(f"Tabel {PAYLOAD}", factories.data_document(out.getvalue(), "dpt.csv"))
    page = factories.DataPageFactory(parent=index, tables=[table], title=f"Data {PAYLOAD}")
    html = assert_inert(client.get(page.url), "data page")
    assert '<svg role="img"' in html  # the chart is still drawn, with its labels as text
    assert "xss-2" in html  # the payload shows, as text
    assert_inert(client.get(index.url), "data listing")


def test_sop_comments_are_inert_in_the_admin_and_in_emails(
    sop_users, home_page, django_capture_on_commit_callbacks
):
    from django.conf import settings

    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(
        parent=index, owner=sop_users[Role.PENGAMPU], title="Draf uji komentar"
    )
    page.unpublish()
    author = login(sop_users[Role.PENGAMPU])
    assert submit(author, page).status_code == 302
    reviewer = login(sop_users[Role.PENGELOLA])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = act(reviewer, page, "reject", comment=f"Perbaiki {ALL}")
    assert response.status_code in (200, 302)
    for url in (
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        reverse("wagtailadmin_pages:history", args=[page.pk]),
        reverse("wagtailadmin_pages:workflow_history", args=[page.pk]),
        reverse("wagtailadmin_home"),
    ):
        assert_inert(author.get(url), url)
    assert mail.outbox, "the author is told about the requested changes"
    for message in mail.outbox:
        for content, kind in getattr(message, "alternatives", []):
            if kind == "text/html":
                assert not executable_findings(content)
    assert settings.DEFAULT_FROM_EMAIL
