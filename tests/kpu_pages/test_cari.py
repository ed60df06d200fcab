"""Site search (/cari/), the content-kind registry, sitemap.xml, robots.txt and the error pages."""

import datetime as dt
import html as html_lib
import re
import xml.etree.ElementTree as ET

import pytest

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone

from wagtail.models import Page, PageViewRestriction

from kpu_pages import kinds
from kpu_site import urls as site_urls
from tests import factories

pytestmark = pytest.mark.django_db

SEARCH = "/cari/"


def paragraph(text: str):
    return [("paragraph", f"<p>{text}</p>")]


@pytest.fixture
def indexes(home_page):
    return {
        "berita": factories.BeritaIndexPageFactory(parent=home_page),
        "artikel": factories.ArtikelIndexPageFactory(parent=home_page),
        "liputan": factories.LiputanKegiatanIndexPageFactory(parent=home_page),
    }


def published(page):
    """Publish through a revision, as an editor would (sets first/last_published_at)."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def berita(indexes, **kwargs):
    return published(factories.BeritaPageFactory(parent=indexes["berita"], **kwargs))


def artikel(indexes, **kwargs):
    return published(factories.ArtikelPageFactory(parent=indexes["artikel"], **kwargs))


def liputan(indexes, **kwargs):
    return published(factories.LiputanKegiatanPageFactory(parent=indexes["liputan"], **kwargs))


def result_titles(response) -> list[str]:
    html = response.content.decode()
    return [
        html_lib.unescape(title)
        for title in re.findall(r'search-result__title"><a href="[^"]+">([^<]+)</a>', html)
    ]


def search(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response


# --- The content-kind registry ------------------------------------------------------------
def test_registry_declares_the_eight_sop_kinds_once_with_their_models_and_listings():
    assert list(kinds.KINDS) == [
        "berita",
        "liputan-kegiatan",
        "artikel",
        "pengumuman",
        "regulasi",
        "data",
        "dokumentasi",
        "bahan-sosialisasi",
    ]
    berita_kind = kinds.KINDS["berita"]
    assert (berita_kind.label, berita_kind.model_label, berita_kind.index_path) == (
        "Berita",
        "kpu_pages.BeritaPage",
        "/berita/",
    )
    assert kinds.KINDS["bahan-sosialisasi"].model_label == "kpu_pages.BahanSosialisasiPage"
    for key, kind in kinds.KINDS.items():
        assert kind.key == key
        assert kind.index_path == f"/{key}/"


def test_registry_matches_the_sop_chain_routing():
    from sop_workflow.sop import KIND_CHAINS

    assert set(kinds.KINDS) == set(KIND_CHAINS)


def test_kinds_without_an_installed_model_are_skipped_not_errors():
    for key, kind in kinds.KINDS.items():
        try:
            apps.get_model(kind.model_label)
            installed = True
        except LookupError:
            installed = False
        assert (kinds.get_kind(key) is not None) == installed
        assert (kind in list(kinds.available_kinds())) == installed
    assert [k.key for k in kinds.available_kinds()][:1] == ["berita"]
    assert kinds.get_kind("tidak-ada") is None
    assert kinds.get_kind(None) is None
    ghost = kinds.Kind("hantu", "Hantu", "kpu_pages.HantuPage", "/hantu/")
    assert ghost.model is None and not ghost.is_available


def test_kind_of_a_page_and_its_date_field(indexes):
    page = berita(indexes)
    assert kinds.kind_for_page(page).key == "berita"
    assert kinds.kind_for_page(artikel(indexes)).key == "artikel"
    assert kinds.kind_for_page(indexes["berita"]) is None
    assert kinds.KINDS["berita"].date_of(page) == page.tanggal
    # a declared date field the model lacks falls back to first publication
    odd = kinds.Kind("x", "X", "kpu_pages.BeritaPage", "/x/", date_field="tanggal_tidak_ada")
    assert odd.date_field_name() == "first_published_at"


# --- Search -------------------------------------------------------------------------------
def test_empty_query_shows_an_accessible_form_and_a_hint(client, indexes):
    berita(indexes, title="Rapat koordinasi")
    response = search(client)
    html = response.content.decode()
    assert 'role="search"' in html
    assert '<label for="cari-q">Kata kunci</label>' in html
    assert '<label for="cari-jenis">Jenis konten</label>' in html
    assert '<label for="cari-tahun">Tahun</label>' in html
    assert "Ketik satu kata atau lebih" in html
    assert "Ditemukan" not in html
    assert result_titles(response) == []
    assert response["X-Robots-Tag"] == "noindex"


def test_search_finds_berita_and_artikel_by_title_and_body_words(client, indexes):
    b = berita(indexes, title="Rekapitulasi suara Kabupaten Wonosobo", body=paragraph("Saksi hadir lengkap."))
    a = artikel(
        indexes,
        title="Menjaga integritas penyelenggara",
        lead="Catatan tentang etika.",
        body=paragraph("Prinsip kemandirian penyelenggara harus dijaga di Wonosobo."),
    )
    berita(indexes, title="Sosialisasi di Blora", body=paragraph("Warga antusias."))

    assert result_titles(search(client, q="rekapitulasi")) == [b.title]
    assert result_titles(search(client, q="kemandirian")) == [a.title]  # body only
    found = search(client, q="wonosobo")
    assert sorted(result_titles(found)) == sorted([b.title, a.title])
    html = found.content.decode()
    assert "Ditemukan 2 hasil untuk “wonosobo”" in html
    # each result: kind label, title link, date, snippet with the word marked
    assert '<p class="search-result__kind">Berita</p>' in html
    assert '<p class="search-result__kind">Artikel</p>' in html
    assert f'<a href="{b.url}">{b.title}</a>' in html
    assert f'<time datetime="{timezone.localtime(b.tanggal).isoformat()}">' in html
    assert "Catatan tentang etika." in html
    # all words must match
    assert result_titles(search(client, q="wonosobo kemandirian")) == [a.title]
    assert "Ditemukan 0 hasil" in search(client, q="wonosobo kemandirian blora").content.decode()


def test_search_shows_snippet_with_query_words_marked(client, indexes):
    berita(indexes, title="Rapat pleno", lead="Rapat pleno terbuka digelar di Kota Semarang.")
    html = search(client, q="semarang").content.decode()
    assert (
        '<p class="search-result__snippet">Rapat pleno terbuka digelar di Kota <mark>Semarang</mark>.</p>'
        in html
    )


def test_highlight_escapes_text_and_never_breaks_entities():
    from kpu_pages.search import highlight

    assert highlight("KPU & Bawaslu <b>", "amp bawaslu") == "KPU &amp; <mark>Bawaslu</mark> &lt;b&gt;"
    assert highlight("Pemilihan, pemilih", "pemilih") == "<mark>Pemilih</mark>an, <mark>pemilih</mark>"
    assert highlight("<i>x</i>", "") == "&lt;i&gt;x&lt;/i&gt;"


def test_drafts_and_private_pages_are_not_found(client, indexes):
    live = berita(indexes, title="Jadwal kampanye terbuka")
    draft = berita(indexes, title="Jadwal kampanye rahasia draf")
    draft.unpublish()
    private = berita(indexes, title="Jadwal kampanye internal")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="rahasia")
    assert result_titles(search(client, q="jadwal kampanye")) == [live.title]


def test_kind_filter_narrows_results(client, indexes):
    b = berita(indexes, title="Pemutakhiran data pemilih berkelanjutan")
    a = artikel(indexes, title="Mengapa pemutakhiran data penting")
    assert len(result_titles(search(client, q="pemutakhiran"))) == 2
    assert result_titles(search(client, q="pemutakhiran", jenis="berita")) == [b.title]
    response = search(client, q="pemutakhiran", jenis="artikel")
    assert result_titles(response) == [a.title]
    html = response.content.decode()
    assert "dalam Artikel" in html
    assert '<option value="artikel" selected>Artikel</option>' in html


def test_year_filter_uses_the_kinds_own_date(client, indexes):
    tz = timezone.get_current_timezone()
    old = berita(
        indexes, title="Debat publik calon gubernur 2018", tanggal=dt.datetime(2018, 6, 1, tzinfo=tz)
    )
    new = berita(
        indexes, title="Debat publik calon gubernur 2024", tanggal=dt.datetime(2024, 11, 1, tzinfo=tz)
    )
    # both were first published today; the year a reader sees is the Berita's own date
    assert old.first_published_at.year == timezone.now().year
    assert result_titles(search(client, q="debat", tahun="2018")) == [old.title]
    assert result_titles(search(client, q="debat", tahun="2024", jenis="berita")) == [new.title]
    assert result_titles(search(client, q="debat", tahun="2020")) == []
    # last moments of the year in Jakarta still count for that year
    edge = berita(
        indexes, title="Debat malam tahun baru", tanggal=dt.datetime(2018, 12, 31, 23, 30, tzinfo=tz)
    )
    assert sorted(result_titles(search(client, q="debat", tahun="2018"))) == sorted([old.title, edge.title])
    html = search(client, q="debat", tahun="2024").content.decode()
    assert "tahun 2024" in html
    assert '<option value="2024" selected>2024</option>' in html


def test_year_filter_on_pages_of_no_kind_uses_first_publication(client, indexes):
    published(indexes["berita"])  # the listing page "Berita": no kind of its own, no date but publication
    this_year = str(timezone.localdate().year)
    assert result_titles(search(client, q="berita")) == ["Berita"]
    assert result_titles(search(client, q="berita", tahun=this_year)) == ["Berita"]
    assert result_titles(search(client, q="berita", tahun="2019")) == []
    assert result_titles(search(client, q="berita", jenis="berita")) == []


def test_results_are_paginated(client, indexes):
    for n in range(12):
        berita(indexes, title=f"Bimbingan teknis PPK gelombang {n}")
    first = search(client, q="bimbingan")
    assert len(result_titles(first)) == 10
    html = first.content.decode()
    assert "Ditemukan 12 hasil" in html
    assert "Halaman 1 dari 2" in html
    assert 'href="?q=bimbingan&amp;halaman=2"' in html
    second = search(client, q="bimbingan", halaman="2")
    assert len(result_titles(second)) == 2
    assert set(result_titles(first)).isdisjoint(result_titles(second))
    assert len(result_titles(search(client, q="bimbingan", halaman="999"))) == 2  # last page


@pytest.mark.parametrize(
    "params",
    [
        {"q": "rapat", "jenis": "tidak-ada"},
        {"q": "rapat", "jenis": "pengumuman"},
        {"q": "rapat", "jenis": ["berita", "artikel"]},
        {"q": "rapat", "tahun": "abc"},
        {"q": "rapat", "tahun": "99999"},
        {"q": "rapat", "tahun": "1800"},
        {"q": "rapat", "tahun": "２０２４"},
        {"q": "rapat", "halaman": "-1"},
        {"q": "rapat", "halaman": "0"},
        {"q": "rapat", "halaman": "1e400"},
        {"q": "rapat", "halaman": "9" * 5000},
        {"q": "rapat", "halaman": "abc"},
        {"q": "rapat\x00pleno"},
        {"q": "'\"&|!:*()<>\\ -"},
        {"q": "rapat & | ! :* 'a' \\"},
        {"q": '"rapat'},
        {"q": '"rapat pleno"'},
        {"q": "-rapat"},
        {"q": "x" * 5000},
        {"q": ["rapat", "pleno"]},
    ],
)
def test_bad_parameters_are_ignored_gracefully(client, indexes, params):
    berita(indexes, title="Rapat pleno terbuka")
    response = client.get(SEARCH, params)
    assert response.status_code == 200


def test_unknown_kind_and_bad_year_are_ignored_not_emptying_results(client, indexes):
    b = berita(indexes, title="Rapat pleno terbuka")
    for params in ({"jenis": "tidak-ada"}, {"tahun": "abc"}, {"halaman": "abc"}, {"halaman": "999999"}):
        assert result_titles(search(client, q="rapat", **params)) == [b.title], params


def test_results_stop_at_the_last_reachable_page(client, indexes, monkeypatch):
    from kpu_pages import search as search_module

    monkeypatch.setattr(search_module, "MAX_PAGE", 2)
    for n in range(25):
        berita(indexes, title=f"Sosialisasi pemilih pemula sesi {n}")
    last = search(client, q="sosialisasi", halaman="2").content.decode()
    assert "Ditemukan 25 hasil" in last
    assert "Halaman 2 dari 2" in last
    assert 'rel="next"' not in last
    assert "Halaman 2 dari 2" in search(client, q="sosialisasi", halaman="3").content.decode()


def test_relevance_first_for_few_matches_newest_first_beyond_the_ranked_limit(client, indexes, monkeypatch):
    """A word in most items (thousands of matches at scale) is not ranked match by match: the
    reader gets the newest first and is told so; a narrower search is ranked by relevance."""
    from kpu_pages import search as search_module

    monkeypatch.setattr(search_module, "RANKED_LIMIT", 5)
    start = timezone.now() - dt.timedelta(days=30)
    titled = None
    for n in range(7):
        if n == 0:  # the oldest has the word in its title: the best match by relevance
            page = berita(indexes, title="Sosialisasi tahapan pemilihan", body=paragraph("Kegiatan pertama."))
            titled = page
        else:
            page = berita(indexes, title=f"Kegiatan ke-{n}", body=paragraph(f"Materi sosialisasi sesi {n}."))
        type(page).objects.filter(pk=page.pk).update(first_published_at=start + dt.timedelta(days=n))

    many = search(client, q="sosialisasi").content.decode()
    assert "Ditemukan lebih dari 5 hasil untuk “sosialisasi”." in many
    assert "Hasil diurutkan dari yang terbaru" in many
    assert result_titles(search(client, q="sosialisasi"))[:3] == [
        "Kegiatan ke-6",
        "Kegiatan ke-5",
        "Kegiatan ke-4",
    ]

    monkeypatch.setattr(search_module, "RANKED_LIMIT", 500)
    few = search(client, q="sosialisasi")
    assert "Ditemukan 7 hasil" in few.content.decode()
    assert "dari yang terbaru" not in few.content.decode()
    if connection.vendor == "postgresql":  # title weight B over body D; SQLite's FTS5 weighs them alike
        assert result_titles(few)[0] == titled.title  # the best match first although it is the oldest


def test_year_filter_keeps_its_year_both_ranked_and_newest_first(client, indexes, monkeypatch):
    """With a year, the matches beyond the ranked limit are walked newest first, and the few are
    ranked: both only ever show that year's items, by each kind's own date."""
    from kpu_pages import search as search_module

    tz = timezone.get_current_timezone()

    def day(year, month, number):
        return dt.datetime(year, month, number, tzinfo=tz)

    in_year = [
        berita(
            indexes, title=f"Rekapitulasi suara kecamatan {n}", tanggal=dt.datetime(2023, 3, n + 1, tzinfo=tz)
        )
        for n in range(4)
    ]
    in_year.append(
        liputan(indexes, title="Liputan rekapitulasi", tanggal=dt.datetime(2023, 11, 2, tzinfo=tz))
    )
    for n in range(3):  # other years, published last: the newest pages of the site
        berita(indexes, title=f"Rekapitulasi suara ulang {n}", tanggal=day(2024, 2, n + 1))
    start = timezone.now() - dt.timedelta(days=30)
    for n, page in enumerate(in_year):
        type(page).objects.filter(pk=page.pk).update(first_published_at=start + dt.timedelta(days=n))

    monkeypatch.setattr(search_module, "RANKED_LIMIT", 3)
    many = search(client, q="rekapitulasi", tahun="2023")
    assert "Ditemukan lebih dari 3 hasil" in many.content.decode()
    assert result_titles(many) == [page.title for page in reversed(in_year)][:3]

    monkeypatch.setattr(search_module, "RANKED_LIMIT", 500)
    few = search(client, q="rekapitulasi", tahun="2023")
    assert "Ditemukan 5 hasil" in few.content.decode()
    assert sorted(result_titles(few)) == sorted(page.title for page in in_year)
    assert result_titles(search(client, q="rekapitulasi", tahun="2023", jenis="liputan-kegiatan")) == [
        in_year[-1].title
    ]


def test_query_is_limited_in_length_and_escaped(client, indexes):
    response = search(client, q="pemilu " + "x" * 300)
    html = response.content.decode()
    assert "hanya 100 karakter pertama" in html
    assert 'maxlength="100"' in html
    assert "x" * 101 not in html
    html = search(client, q="<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_phrase_in_quotes_must_match_in_order(client, indexes):
    right = berita(indexes, title="Daftar pemilih tetap ditetapkan")
    berita(indexes, title="Pemilih baru wajib cek daftar tetap")
    assert result_titles(search(client, q='"daftar pemilih tetap"')) == [right.title]


def test_search_results_page_is_bounded_in_queries(client, indexes):
    image = factories.ImageFactory()

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = search(client, q="verifikasi")
        return len(ctx), response

    berita(indexes, title="Verifikasi faktual partai 1", feature_image=image, feature_image_alt="Foto")
    artikel(indexes, title="Verifikasi faktual: catatan 1")
    liputan(indexes, title="Liputan verifikasi 1")
    search(client, q="verifikasi")  # warm caches (site, content types)
    few, response = measure()
    assert len(result_titles(response)) == 3
    for n in range(2, 6):
        berita(indexes, title=f"Verifikasi faktual partai {n}", feature_image=image, feature_image_alt="Foto")
        artikel(indexes, title=f"Verifikasi faktual: catatan {n}")
        liputan(indexes, title=f"Liputan verifikasi {n}")
    many, response = measure()
    assert len(result_titles(response)) == 10
    assert many <= few, f"{many} queries for 10 results vs {few} for 3"
    with CaptureQueriesContext(connection) as ctx:
        search(client, q="verifikasi", jenis="berita", tahun=str(timezone.localdate().year))
    assert len(ctx) <= few


def test_results_of_several_kinds_cost_no_more_queries_than_of_one(client, indexes):
    """The specific items of every kind on a results page come in one query, whatever the mix."""

    def queries(**params) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = search(client, **params)
        assert result_titles(response)
        return len(ctx)

    berita(indexes, title="Debat publik pertama", lead="Ringkasan debat pertama.")
    berita(indexes, title="Debat publik kedua")
    artikel(indexes, title="Catatan debat publik")
    liputan(indexes, title="Liputan debat publik")
    queries(q="debat")  # warm caches (site, content types)
    one_kind = queries(q="debat", jenis="berita")
    three_kinds = queries(q="debat")
    assert three_kinds <= one_kind, f"{three_kinds} queries for three kinds vs {one_kind} for one"
    html = search(client, q="debat").content.decode()
    for label in ("Berita", "Artikel", "Liputan Kegiatan"):
        assert label in html
    assert "Ringkasan <mark>debat</mark> pertama." in html  # the kind's own summary field


def test_a_page_whose_kind_row_is_missing_is_listed_plainly_not_an_error(client, indexes):
    """A damaged database (a page row left without its Berita row) must not break search."""
    damaged = berita(indexes, title="Verifikasi dokumen rusak")
    berita(indexes, title="Verifikasi dokumen utuh")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM kpu_pages_beritapage WHERE page_ptr_id = %s", [damaged.pk])
    assert sorted(result_titles(search(client, q="verifikasi"))) == sorted(
        ["Verifikasi dokumen rusak", "Verifikasi dokumen utuh"]
    )


# --- PostgreSQL: the indonesian text-search configuration ---------------------------------
def test_indonesian_stemming_on_postgresql(client, indexes, settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Stemming needs PostgreSQL's 'indonesian' text-search configuration; SQLite's FTS5 backend "
            "matches whole words only. CI runs this on PostgreSQL (DATABASE_URL=postgres://...)."
        )
    assert settings.WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] == "indonesian"
    pemilihan = berita(
        indexes,
        title="Tahapan pemilihan gubernur dimulai",
        lead="KPU Provinsi Jawa Tengah mengumumkan jadwal.",
        body=paragraph("Tahapan berjalan sesuai jadwal."),
    )
    pemilunya = artikel(
        indexes,
        title="Catatan seorang relawan demokrasi",
        lead="Pengalaman menjadi relawan.",
        body=paragraph("Pemilunya berlangsung tertib dan para peserta berkampanye dengan damai."),
    )
    berita(indexes, title="Rapat anggaran", lead="Pembahasan anggaran tahun depan.")
    # "memilih" and "pemilihan" share the stem "pilih"
    assert result_titles(search(client, q="memilih")) == [pemilihan.title]
    assert result_titles(search(client, q="dipilih")) == [pemilihan.title]
    # "pemilu" finds "Pemilunya" (suffix -nya), "kampanye" finds "berkampanye" (prefix ber-)
    assert result_titles(search(client, q="pemilu")) == [pemilunya.title]
    assert result_titles(search(client, q="kampanye")) == [pemilunya.title]
    # the stem is applied to the index and the query alike: check the SQL really uses the config
    with CaptureQueriesContext(connection) as ctx:
        search(client, q="pemilihan")
    sql = "\n".join(query["sql"] for query in ctx.captured_queries)
    assert "to_tsquery('indonesian'::regconfig" in sql or "'indonesian'::regconfig" in sql
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT body::text FROM wagtailsearch_indexentry WHERE object_id = %s AND content_type_id = %s",
            [str(pemilunya.pk), pemilunya.content_type_id],
        )
        (body_vector,) = cursor.fetchone()
    assert "'pilu'" in body_vector and "'kampanye'" in body_vector
    assert "pemilunya" not in body_vector


# --- sitemap.xml and robots.txt -----------------------------------------------------------
def test_sitemap_lists_live_pages_with_lastmod_and_not_drafts(client, indexes):
    live = berita(indexes, title="Berita terbit")
    draft = berita(indexes, title="Berita draf")
    draft.unpublish()
    private = berita(indexes, title="Berita internal")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="rahasia")
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    files = [loc.text for loc in ET.fromstring(index.content).findall("s:sitemap/s:loc", ns)]
    assert files == ["http://testserver/sitemap-halaman.xml"]
    response = client.get("/sitemap-halaman.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    entries = {
        url.findtext("s:loc", namespaces=ns): url.findtext("s:lastmod", namespaces=ns)
        for url in root.findall("s:url", ns)
    }
    assert live.full_url in entries
    assert indexes["berita"].full_url in entries
    assert draft.full_url not in entries
    assert private.full_url not in entries
    assert entries[live.full_url] == timezone.localtime(live.last_published_at).date().isoformat()


def test_sitemap_index_splits_many_pages_into_files_and_refuses_pages_beyond_the_last(
    client, indexes, monkeypatch
):
    from kpu_pages.sitemaps import PageSitemap

    monkeypatch.setattr(PageSitemap, "limit", 3)
    for number in range(4):
        berita(indexes, title=f"Berita nomor {number}")
    live_urls = {page.full_url for page in Page.objects.live().public().filter(depth__gt=1)}
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ET.fromstring(client.get("/sitemap.xml").content)
    files = [loc.text.removeprefix("http://testserver") for loc in index.findall("s:sitemap/s:loc", ns)]
    expected_files = -(-len(live_urls) // 3)
    assert files == ["/sitemap-halaman.xml"] + [
        f"/sitemap-halaman.xml?p={n}" for n in range(2, expected_files + 1)
    ]
    listed = []
    for url in files:
        root = ET.fromstring(client.get(url).content)
        urls = [loc.text for loc in root.findall("s:url/s:loc", ns)]
        assert 1 <= len(urls) <= 3, url
        listed += urls
    assert sorted(listed) == sorted(live_urls)  # every live page once, no gaps or repeats
    assert client.get(f"/sitemap-halaman.xml?p={expected_files + 1}").status_code == 404
    assert client.get("/sitemap-halaman.xml?p=abc").status_code == 404
    assert client.get("/sitemap-lain.xml").status_code == 404


def test_robots_txt_allows_all_but_admin_and_search_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /cari/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /" not in lines
    assert client.head("/robots.txt").status_code == 200


# --- Error pages --------------------------------------------------------------------------
def test_404_page_is_in_indonesian(client, home_page, settings):
    settings.DEBUG = False
    response = client.get("/halaman-yang-tidak-ada/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman tidak ditemukan" in html
    assert 'lang="id"' in html
    assert 'role="search"' in html


def broken_view(request):
    raise RuntimeError("kesalahan uji")


urlpatterns = [path("rusak/", broken_view), *site_urls.urlpatterns]
handler500 = site_urls.handler500


@pytest.mark.urls(__name__)
def test_500_page_is_static_indonesian_and_needs_no_database(client, home_page, django_assert_num_queries):
    client.raise_request_exception = False
    response = client.get("/rusak/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Terjadi gangguan pada server" in html
    assert 'lang="id"' in html
    assert "kesalahan uji" not in html  # no details leak

    from django.test import RequestFactory

    from kpu_pages.views import server_error

    with django_assert_num_queries(0):
        direct = server_error(RequestFactory().get("/"))
    assert direct.status_code == 500
    assert "Terjadi gangguan pada server" in direct.content.decode()


def test_site_uses_the_static_500_handler():
    assert site_urls.handler500 == "kpu_pages.views.server_error"


def test_500_handler_answers_even_without_its_template(settings):
    from django.test import RequestFactory

    from kpu_pages.views import server_error

    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False}]
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Terjadi gangguan pada server" in response.content.decode()


def test_search_page_is_served_before_wagtails_catch_all(client, home_page):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert "<h1>Pencarian</h1>" in response.content.decode()


def test_search_over_the_demo_content_finds_every_kind(client, home_page):
    from django.core.management import call_command

    call_command("load_demo_content", verbosity=0)
    response = search(client, q="KPU")
    html = response.content.decode()
    assert len(result_titles(response)) == 10
    for kind in kinds.available_kinds():
        item = kind.model.objects.live().public().order_by("pk").first()
        assert item is not None, kind.key
        word = max(re.findall(r"[^\W\d_]+", item.title), key=len)
        kind_response = search(client, q=word, jenis=kind.key)
        assert item.title in result_titles(kind_response), (kind.key, word)
        assert f'<p class="search-result__kind">{kind.label}</p>' in kind_response.content.decode()
    assert "Halaman 1 dari" in html
