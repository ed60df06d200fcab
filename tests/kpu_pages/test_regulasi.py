"""Regulasi (JDIH): where pages live, the filtered listing, the detail page, relations, validation,
the JDIHN JSON feed and the demo content."""

import datetime as dt
import json
import re

import pytest

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from kpu_pages.models import (
    JDIHN_FIELDS,
    BeritaIndexPage,
    HomePage,
    RegulasiIndexPage,
    RegulasiPage,
    RegulasiRelasi,
    regulasi,
)
from tests import factories

pytestmark = pytest.mark.django_db

TITLE_RE = re.compile(r'regulasi-item__title"><a href="[^"]+">([^<]+)<')


@pytest.fixture
def index(home_page):
    return factories.RegulasiIndexPageFactory(parent=home_page)


def titles(response) -> list[str]:
    assert response.status_code == 200
    return TITLE_RE.findall(response.content.decode())


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response


def docx_document():
    return factories.DocumentFactory(
        title="Salinan Word",
        file=SimpleUploadedFile("salinan.docx", b"PK\x03\x04word", content_type="application/msword"),
    )


# --- where pages live ------------------------------------------------------------------------
def test_regulasi_is_created_only_under_its_index():
    assert RegulasiIndexPage.can_create_at(HomePage())
    assert RegulasiPage.can_create_at(RegulasiIndexPage())
    assert not RegulasiPage.can_create_at(HomePage())
    assert not RegulasiPage.can_create_at(BeritaIndexPage())
    assert not RegulasiPage.can_create_at(RegulasiPage())


# --- listing ---------------------------------------------------------------------------------
def test_listing_is_newest_first_paginated_keeps_filters_and_is_bounded_in_queries(client, index):
    for _ in range(3):
        factories.RegulasiPageFactory(parent=index)
    url = index.url + "?tahun=2024"
    few, _ = count_queries(client, url)
    for _ in range(10):
        factories.RegulasiPageFactory(parent=index)
    many, response = count_queries(client, url)
    assert many <= few, f"{many} queries for 10 items vs {few} for 3"
    shown = titles(response)
    assert len(shown) == 10
    newest = RegulasiPage.objects.order_by("-tanggal_penetapan").first()
    assert shown[0] == newest.title
    html = response.content.decode()
    assert "Halaman 1 dari 2" in html
    assert 'href="?tahun=2024&amp;halaman=2"' in html
    assert len(titles(client.get(index.url + "?tahun=2024&halaman=2"))) == 3


def test_listing_form_is_labelled_and_uses_get(client, index):
    factories.RegulasiPageFactory(parent=index)
    html = client.get(index.url).content.decode()
    form = re.search(r"<form class=\"regulasi-filter\".*?</form>", html, re.S).group(0)
    assert 'method="get"' in form
    for name in ("jenis", "tahun", "status", "q"):
        assert f'<label for="f-{name}">' in form
        assert f'id="f-{name}" ' in form and f'name="{name}"' in form


@pytest.fixture
def mixed(index):
    # created out of date order, so a listing ordered by creation would fail
    return {
        "kep": factories.RegulasiPageFactory(
            parent=index,
            title="Keputusan KPU Provinsi Jawa Tengah tentang Penetapan Rekapitulasi DPT",
            jenis="kepkpu-prov",
            nomor="12/PL.02.1-Kpt/33/Prov/2023",
            tahun=2023,
            tanggal_penetapan=dt.date(2023, 6, 21),
            status="diubah",
            subjek="PEMILU 2024 - DPT",
        ),
        "se": factories.RegulasiPageFactory(
            parent=index,
            title="Surat Edaran KPU Provinsi Jawa Tengah tentang Coklit Serentak",
            jenis="se-kpu-prov",
            nomor="3",
            tahun=2024,
            tanggal_penetapan=dt.date(2024, 6, 20),
            status="dicabut",
            subjek="PEMILIHAN - COKLIT",
            abstrak="Gerakan pencocokan dan penelitian serentak di setiap desa.",
        ),
        "pkpu": factories.RegulasiPageFactory(
            parent=index,
            title="Peraturan KPU Nomor 7 Tahun 2022 tentang Penyusunan Daftar Pemilih",
            jenis="pkpu",
            nomor="7",
            tahun=2022,
            tanggal_penetapan=dt.date(2022, 10, 11),
            subjek="PEMILU - DAFTAR PEMILIH",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["se", "kep", "pkpu"]),
        ("?jenis=pkpu", ["pkpu"]),
        ("?tahun=2023", ["kep"]),
        ("?status=dicabut", ["se"]),
        ("?status=berlaku", ["pkpu"]),
        ("?q=rekapitulasi", ["kep"]),
        ("?q=desa", ["se"]),  # matches the abstract
        ("?q=7", ["pkpu"]),  # matches the number
        ("?q=KPU+coklit", ["se"]),  # every word must match
        # with another filter the words are checked on the narrowed rows (not through the indexes)
        ("?status=dicabut&q=desa", ["se"]),
        ("?status=berlaku&q=desa", []),
        ("?tahun=2023&q=REKAPITULASI", ["kep"]),
        ("?jenis=pkpu&q=7", ["pkpu"]),
        ("?jenis=kepkpu-prov&tahun=2022", []),
    ],
)
def test_each_filter_narrows_the_list(client, index, mixed, query, expected):
    response = client.get(index.url + query)
    assert titles(response) == [mixed[key].title for key in expected]
    if not expected:
        assert "Tidak ada regulasi yang cocok dengan filter." in response.content.decode()


@pytest.mark.parametrize("query", ["?q=%25", "?q=_", "?q=%25%25+_"])
def test_wildcard_characters_in_the_words_match_only_themselves(client, index, mixed, query):
    assert titles(client.get(index.url + query)) == []


def test_the_listing_searches_the_published_text_not_a_draft(client, index, mixed):
    """An editor's draft does not change what readers find until it is published."""
    page = RegulasiPage.objects.get(pk=mixed["pkpu"].pk)
    page.title = "Peraturan KPU Nomor 7 Tahun 2022 tentang Zonasi Tempat Pemungutan Suara"
    page.abstrak = "Mengatur zonasi TPS."
    revision = page.save_revision()
    assert titles(client.get(index.url + "?q=zonasi")) == []
    assert titles(client.get(index.url + "?q=penyusunan")) == [mixed["pkpu"].title]
    revision.publish()
    assert titles(client.get(index.url + "?q=ZONASI+tps")) == [page.title]
    assert titles(client.get(index.url + "?q=penyusunan")) == []


def test_the_migration_fills_the_search_text_of_existing_regulations(index, mixed):
    from importlib import import_module

    from django.apps import apps as django_apps

    migration = import_module("kpu_pages.migrations.0010_regulasi_teks_pencarian")
    RegulasiPage.objects.update(teks_pencarian="")
    migration.fill_search_text(django_apps, None)
    for page in RegulasiPage.objects.all():
        assert page.teks_pencarian == regulasi.search_text(
            *(getattr(page, name) for name in regulasi.SEARCH_SOURCES)
        )
        assert page.title.lower() in page.teks_pencarian


@pytest.mark.parametrize(
    "query",
    [
        "?tahun=abc",
        "?tahun=99999999999999999999",
        "?tahun=-5",
        "?jenis=bukan-jenis",
        "?status=%3Cscript%3E",
        "?q=" + "x" * 300,
        "?halaman=abc",
        "?halaman=999",
        "?tahun=&jenis=&status=&q=",
        "?tahun=2024&tahun=abc",
    ],
)
def test_bad_filter_values_are_ignored_not_an_error(client, index, mixed, query):
    response = client.get(index.url + query)
    assert response.status_code == 200
    assert len(titles(response)) >= 1
    assert "<script>" not in response.content.decode().split("</header>", 1)[1]


def test_a_bad_value_drops_only_its_own_filter_and_says_so(client, index, mixed):
    response = client.get(index.url + "?tahun=abc&status=dicabut")
    assert titles(response) == [mixed["se"].title]
    assert "Filter tahun tidak dikenali dan diabaikan." in response.content.decode()


# --- detail ----------------------------------------------------------------------------------
def test_detail_shows_metadata_table_abstract_and_downloads(client, index):
    lampiran = factories.DocumentFactory(title="Lampiran DPT")
    page = factories.RegulasiPageFactory(
        parent=index,
        title="Keputusan KPU Provinsi Jawa Tengah Nomor 45/PL.02.1-Kpt/33/Prov/2023 tentang DPT",
        nomor="45/PL.02.1-Kpt/33/Prov/2023",
        tahun=2023,
        tanggal_penetapan=dt.date(2023, 6, 21),
        tanggal_pengundangan=dt.date(2023, 6, 22),
        sumber="BD 2023 (5)",
        abstrak="Menetapkan rekapitulasi daftar pemilih tetap.",
        lampiran=[("lampiran", {"judul": "Lampiran I - Rekapitulasi DPT", "dokumen": lampiran})],
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption>Metadata dokumen hukum</caption>" in html
    for label, value in [
        ("Nomor", "45/PL.02.1-Kpt/33/Prov/2023"),
        ("Tahun", "2023"),
        ("Jenis/bentuk", "Keputusan KPU Provinsi"),
        ("Singkatan jenis", "Kepkpu Prov"),  # filled in from the jenis
        ("Tanggal penetapan", "21 Juni 2023"),
        ("Sumber", "BD 2023 (5)"),
        ("T.E.U. badan", "Komisi Pemilihan Umum Provinsi Jawa Tengah"),
        ("Bahasa", "Indonesia"),
        ("Status", "Berlaku"),
    ]:
        assert re.search(
            rf'<th scope="row">{re.escape(label)}</th><td>(<time[^>]*>)?{re.escape(value)}', html
        ), label
    assert "Menetapkan rekapitulasi daftar pemilih tetap." in html
    assert f'href="{page.dokumen.url}"' in html
    assert f'href="{lampiran.url}"' in html and "Lampiran I - Rekapitulasi DPT" in html


def test_relations_show_in_both_directions_with_links(client, index):
    old = factories.RegulasiPageFactory(
        parent=index, title="Keputusan lama tentang pedoman", status="dicabut"
    )
    amended = factories.RegulasiPageFactory(parent=index, title="Keputusan tentang DPT", status="diubah")
    new = factories.RegulasiPageFactory(
        parent=index,
        title="Keputusan baru tentang pedoman",
        relasi=[
            RegulasiRelasi(jenis="mencabut", target=old),
            RegulasiRelasi(jenis="mengubah", target=amended, keterangan="Lampiran I"),
        ],
    )
    new_html = client.get(new.url).content.decode()
    assert re.search(
        rf'<dt>Mencabut</dt><dd><a href="{old.url}">Keputusan lama tentang pedoman</a>', new_html
    )
    assert re.search(rf'<dt>Mengubah</dt><dd><a href="{amended.url}">Keputusan tentang DPT</a>', new_html)
    old_html = client.get(old.url).content.decode()
    assert re.search(
        rf'<dt>Dicabut oleh</dt><dd><a href="{new.url}">Keputusan baru tentang pedoman</a>', old_html
    )
    assert "Regulasi ini telah dicabut oleh" in old_html
    amended_html = client.get(amended.url).content.decode()
    assert re.search(rf'<dt>Diubah oleh</dt><dd><a href="{new.url}">', amended_html)
    assert "(Lampiran I)" in amended_html

    new.unpublish()
    assert "Dicabut oleh" not in client.get(old.url).content.decode()


def test_detail_queries_do_not_grow_with_relations_and_attachments(client, index):
    def build(n: int):
        targets = [factories.RegulasiPageFactory(parent=index) for _ in range(n)]
        docs = [factories.DocumentFactory() for _ in range(n)]
        page = factories.RegulasiPageFactory(
            parent=index,
            relasi=[RegulasiRelasi(jenis="mengubah", target=t) for t in targets],
            lampiran=[("lampiran", {"judul": f"Lampiran {d.pk}", "dokumen": d}) for d in docs],
        )
        for _ in range(n):
            factories.RegulasiPageFactory(
                parent=index, relasi=[RegulasiRelasi(jenis="mencabut", target=page)]
            )
        return page

    small, large = build(1), build(5)
    client.get(small.url)
    few, _ = count_queries(client, small.url)
    many, response = count_queries(client, large.url)
    assert response.content.decode().count("<dd>") == 10
    assert many <= few, f"{many} queries with 5 relations each way vs {few} with 1"


def test_home_page_lists_latest_regulations(client, index):
    page = factories.RegulasiPageFactory(parent=index, title="Peraturan KPU tentang Kampanye")
    html = client.get("/").content.decode()
    assert "Regulasi terbaru" in html and f'href="{page.url}"' in html


def test_regulasi_rss_feed_lists_live_regulations(client, index):
    factories.RegulasiPageFactory(parent=index, title="Peraturan KPU tentang Dana Kampanye")
    response = client.get("/regulasi/rss/")
    assert response.status_code == 200
    assert "Peraturan KPU tentang Dana Kampanye" in response.content.decode()


# --- validation ------------------------------------------------------------------------------
def make(index, **fields):
    page = factories.RegulasiPageFactory.build(**fields)
    page.dokumen = fields.get("dokumen") or factories.DocumentFactory()
    index.add_child(instance=page)
    return page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"tahun": 1900}, "tahun", "Tahun harus antara 1945 dan"),
        ({"tahun": dt.date.today().year + 2}, "tahun", "Tahun harus antara 1945 dan"),
        (
            {"tanggal_penetapan": dt.date(2024, 5, 2), "tanggal_pengundangan": dt.date(2024, 5, 1)},
            "tanggal_pengundangan",
            "Tanggal pengundangan tidak boleh sebelum tanggal penetapan (2 Mei 2024).",
        ),
        ({"nomor": ""}, "nomor", "Isi nomor untuk peraturan atau putusan."),
    ],
)
def test_invalid_metadata_is_refused_in_indonesian(index, fields, field, message):
    with pytest.raises(ValidationError) as exc:
        make(index, **fields)
    assert any(message in text for text in exc.value.message_dict[field])
    assert not RegulasiPage.objects.exists()


def test_main_file_must_be_a_pdf(index):
    with pytest.raises(ValidationError) as exc:
        make(index, dokumen=docx_document())
    assert exc.value.message_dict["dokumen"] == [
        "Berkas utama harus PDF. Dokumen yang dipilih berformat DOCX."
    ]
    fake = factories.DocumentFactory(
        title="Palsu", file=SimpleUploadedFile("palsu.pdf", b"<html>bukan pdf</html>")
    )
    with pytest.raises(ValidationError) as exc:
        make(index, dokumen=fake)
    assert "bukan PDF yang sah" in exc.value.message_dict["dokumen"][0]


def test_monograph_needs_no_number(index):
    page = make(index, tipe_dokumen="monografi", jenis="monografi", nomor="")
    assert page.pk and page.singkatan_jenis == ""


def admin_post_data(page, **overrides):
    data = {
        "title": page.title,
        "slug": page.slug,
        "judul_lengkap": "",
        "tipe_dokumen": page.tipe_dokumen,
        "jenis": page.jenis,
        "singkatan_jenis": page.singkatan_jenis,
        "nomor": page.nomor,
        "tahun": str(page.tahun),
        "status": page.status,
        "tempat_penetapan": page.tempat_penetapan,
        "tanggal_penetapan": page.tanggal_penetapan.isoformat(),
        "tanggal_pengundangan": "",
        "sumber": page.sumber,
        "abstrak": page.abstrak,
        "dokumen": str(page.dokumen_id),
        "lampiran": streamfield([]),
        "teu_badan": page.teu_badan,
        "subjek": page.subjek,
        "bidang_hukum": "",
        "pemrakarsa": "",
        "penandatangan": "",
        "bahasa": page.bahasa,
        "lokasi": page.lokasi,
        "relasi": inline_formset([]),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
    }
    data.update(overrides)
    return nested_form_data(data)


def test_editor_forms_open_in_the_admin(admin_client, index):
    add_url = f"/admin/pages/add/kpu_pages/regulasipage/{index.pk}/"
    response = admin_client.get(add_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tanggal pengundangan" in html or "tanggal pengundangan" in html
    assert "Mengubah / mencabut regulasi lain" in html
    assert admin_client.get(f"/admin/pages/{index.pk}/edit/").status_code == 200


def test_preview_shows_unsaved_relations(admin_client, index):
    old = factories.RegulasiPageFactory(parent=index, title="Keputusan lama yang akan dicabut")
    page = factories.RegulasiPageFactory(parent=index)
    page.relasi = [RegulasiRelasi(jenis="mencabut", target=old)]
    html = page.make_preview_request().content.decode()
    assert re.search(rf'<dt>Mencabut</dt><dd><a href="{old.url}">Keputusan lama yang akan dicabut</a>', html)


def test_admin_saves_a_valid_edit(admin_client, index):
    page = factories.RegulasiPageFactory(parent=index)
    response = admin_client.post(
        f"/admin/pages/{page.pk}/edit/", admin_post_data(page, subjek="PEMILU - KAMPANYE")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().subjek == "PEMILU - KAMPANYE"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"tahun": "1800"}, "Tahun harus antara 1945 dan"),
        (
            {"tanggal_pengundangan": "2000-01-01"},
            "Tanggal pengundangan tidak boleh sebelum tanggal penetapan",
        ),
        ({"dokumen": "DOCX"}, "Berkas utama harus PDF"),
        ({"relasi": "SELF"}, "Regulasi tidak dapat mengubah atau mencabut dirinya sendiri."),
    ],
)
def test_admin_shows_indonesian_error_and_saves_nothing(admin_client, index, overrides, message):
    page = factories.RegulasiPageFactory(parent=index, subjek="SUBJEK ASLI")
    if overrides.get("dokumen") == "DOCX":
        overrides = {"dokumen": str(docx_document().pk)}
    if overrides.get("relasi") == "SELF":
        overrides = {"relasi": inline_formset([{"jenis": "mengubah", "target": page.pk, "keterangan": ""}])}
    revisions = page.revisions.count()
    response = admin_client.post(
        f"/admin/pages/{page.pk}/edit/", admin_post_data(page, subjek="SUBJEK BARU", **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert page.revisions.count() == revisions
    page.refresh_from_db()
    assert page.subjek == "SUBJEK ASLI"


# --- JDIHN feed ------------------------------------------------------------------------------
def test_jdihn_feed_validates_and_lists_only_live_public_regulations(client, index):
    live = factories.RegulasiPageFactory(
        parent=index,
        title="Peraturan KPU Nomor 7 Tahun 2022 tentang Daftar Pemilih",
        jenis="pkpu",
        nomor="7",
        tahun=2022,
        tanggal_penetapan=dt.date(2022, 10, 11),
        sumber="BN 2022 (1044)",
    )
    draft = factories.RegulasiPageFactory(parent=index, title="Rancangan keputusan")
    draft.unpublish()
    private = factories.RegulasiPageFactory(parent=index, title="Keputusan internal")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/regulasi/jdihn.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content.decode("utf-8"))
    assert isinstance(data, list)
    assert [item["judul"] for item in data] == [live.title]
    for item in data:
        assert list(item) == list(JDIHN_FIELDS)
        assert all(isinstance(value, str) for value in item.values())
        dt.date.fromisoformat(item["tanggal_penetapan"])
    item = data[0]
    assert item["idData"] == str(live.pk)
    assert item["tanggal_penetapan"] == "2022-10-11"
    assert item["tahun_pengundangan"] == "2022"
    assert item["jenis"] == "Peraturan KPU" and item["singkatanJenis"] == "PKPU"
    assert item["noPeraturan"] == "7" and item["sumber"] == "BN 2022 (1044)"
    assert item["status"] == "Berlaku"
    assert item["fileDownload"].endswith(".pdf")
    assert item["urlDownload"].startswith("http") and item["urlDownload"].endswith(item["fileDownload"])
    assert item["urlDetailPeraturan"] == live.full_url


def test_jdihn_feed_urls_are_the_ones_wagtail_gives_the_page_and_its_document(client, index):
    from django.core.files.uploadedfile import SimpleUploadedFile

    odd_name = SimpleUploadedFile("Salinan PKPU 7 (final) #2 revisi & ú.pdf", b"%PDF-1.4\n%EOF\n")
    with_document = factories.RegulasiPageFactory(parent=index, dokumen__file=odd_name)
    without = factories.RegulasiPageFactory(parent=index, slug="tanpa-berkas")
    # A regulation whose PDF is gone (a live page's file can no longer be deleted from the library,
    # sop_workflow.media, but rows from before that rule, or a database restore, may lack one).
    type(without).objects.filter(pk=without.pk).update(dokumen=None)
    feed = {item["idData"]: item for item in json.loads(client.get("/regulasi/jdihn.json").content)}
    document = with_document.dokumen
    item = feed[str(with_document.pk)]
    assert item["urlDownload"] == "http://localhost" + document.url
    assert client.get(document.url).status_code == 200  # the link serves the file
    assert item["fileDownload"] == document.filename
    assert item["urlDetailPeraturan"] == with_document.full_url
    assert client.get(item["urlDetailPeraturan"].removeprefix("http://localhost")).status_code == 200
    assert feed[str(without.pk)]["urlDownload"] == feed[str(without.pk)]["fileDownload"] == ""
    assert feed[str(without.pk)]["urlDetailPeraturan"] == without.full_url


def test_a_long_jdihn_feed_is_streamed_in_batches_with_the_same_items(client, index, monkeypatch, settings):
    from kpu_pages.models import regulasi

    for year in range(2015, 2022):
        factories.RegulasiPageFactory(parent=index, tahun=year, tanggal_penetapan=dt.date(year, 3, 1))
    short = client.get("/regulasi/jdihn.json")
    assert not short.streaming  # up to one page of items: one ordinary (cacheable) answer
    expected = json.loads(short.content)

    monkeypatch.setattr(regulasi, "JDIHN_PAGE_SIZE", 3)
    settings.PAGE_CACHE_SECONDS = 300
    response = client.get("/regulasi/jdihn.json")
    assert response.streaming
    assert response["Content-Type"] == "application/json; charset=utf-8"
    chunks = [chunk.decode() for chunk in response.streaming_content]
    assert len(chunks) == 1 + 3 + 1  # "[", batches of 3, 3 and 1 items, "]"
    assert json.loads("".join(chunks)) == expected  # the same list, newest first
    assert [item["tahun_pengundangan"] for item in expected] == [str(y) for y in range(2021, 2014, -1)]
    assert client.get("/regulasi/jdihn.json")["X-Cache"] == "MISS"  # never kept by the page cache


@pytest.mark.django_db(transaction=True)  # autocommit, as in production
@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")  # a cursor closed too late
def test_a_harvester_that_stops_reading_leaves_no_cursor_open(client, index, monkeypatch):
    """The stream reads its rows through a server-side cursor on PostgreSQL; a harvester hanging up
    mid-feed must not leave it open on the worker's connection (with its rows kept aside)."""
    from django.db import connection

    from kpu_pages.models import regulasi

    def open_cursors() -> list[bool]:
        """Whether each open cursor of the stream is WITH HOLD (its whole result written aside first)."""
        if connection.vendor != "postgresql":
            return []
        with connection.cursor() as cursor:
            cursor.execute("SELECT is_holdable FROM pg_cursors WHERE name LIKE '_django_curs_%%'")
            return [row[0] for row in cursor.fetchall()]

    for year in range(2015, 2022):
        factories.RegulasiPageFactory(parent=index, tahun=year, tanggal_penetapan=dt.date(year, 3, 1))
    monkeypatch.setattr(regulasi, "JDIHN_PAGE_SIZE", 3)
    response = client.get("/regulasi/jdihn.json")
    chunks = iter(response.streaming_content)
    assert next(chunks) == b"["
    first_batch = next(chunks)
    assert [item["tahun_pengundangan"] for item in json.loads(b"[" + first_batch + b"]")] == [
        "2021",
        "2020",
        "2019",
    ]
    if connection.vendor == "postgresql":
        # streaming: the rows come through one server-side cursor, inside a transaction, so
        # PostgreSQL hands them out as they are read instead of writing the whole result aside first
        assert open_cursors() == [False]
    assert connection.in_atomic_block
    response.close()  # what the WSGI server does when the client goes away
    assert open_cursors() == []
    assert not connection.in_atomic_block  # the worker's connection is back in autocommit


def test_jdihn_feed_queries_do_not_grow_with_items(client, index):
    for _ in range(2):
        factories.RegulasiPageFactory(parent=index)
    few, _ = count_queries(client, "/regulasi/jdihn.json")
    for _ in range(8):
        factories.RegulasiPageFactory(parent=index)
    many, response = count_queries(client, "/regulasi/jdihn.json")
    assert len(json.loads(response.content)) == 10
    assert many <= few


def test_json_route_is_404_for_pages_without_it(client, index):
    assert client.get("/regulasi/lain.json").status_code == 404
    assert client.get("/tidak-ada/jdihn.json").status_code == 404


# --- search ----------------------------------------------------------------------------------
def test_search_finds_regulations_by_subject_and_filters_by_year(index):
    match = factories.RegulasiPageFactory(parent=index, subjek="PEMILU - DANA KAMPANYE", tahun=2024)
    factories.RegulasiPageFactory(parent=index, subjek="PEMILU - LOGISTIK", tahun=2024)
    found = list(RegulasiPage.objects.live().filter(tahun=2024).search("kampanye"))
    assert found == [match]


# --- demo ------------------------------------------------------------------------------------
def test_demo_loader_is_idempotent_and_every_page_renders(client, home_page):
    from kpu_pages.demo import regulasi as demo

    created = demo.load(home_page)
    assert created >= 5
    assert demo.load(HomePage.objects.get(pk=home_page.pk)) == 0
    pages = list(RegulasiPage.objects.live())
    assert len(pages) == created
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert page.title in response.content.decode()
    assert client.get("/regulasi/").status_code == 200
    assert RegulasiRelasi.objects.filter(jenis="mencabut").exists()
    assert RegulasiRelasi.objects.filter(jenis="mengubah").exists()
    feed = json.loads(client.get("/regulasi/jdihn.json").content)
    assert len(feed) == created


def test_jdihn_feed_pages_on_request_with_next_link_and_indonesian_404_beyond_the_last(
    client, index, monkeypatch
):
    from kpu_pages.models import regulasi

    monkeypatch.setattr(regulasi, "JDIHN_PAGE_SIZE", 2)
    for year in (2020, 2021, 2022):
        factories.RegulasiPageFactory(parent=index, tahun=year, tanggal_penetapan=dt.date(year, 5, 1))
    whole = client.get("/regulasi/jdihn.json")
    everything = json.loads(b"".join(whole.streaming_content))  # longer than a page: streamed
    assert len(everything) == 3  # without ?halaman= the harvest gets the whole list, as before

    first = client.get("/regulasi/jdihn.json?halaman=1")
    second = client.get("/regulasi/jdihn.json?halaman=2")
    assert first["X-Total-Count"] == second["X-Total-Count"] == "3"
    assert first["Link"] == '<http://testserver/regulasi/jdihn.json?halaman=2>; rel="next"'
    assert "Link" not in second
    paged = json.loads(first.content) + json.loads(second.content)
    assert paged == everything
    assert all(list(item) == list(JDIHN_FIELDS) for item in paged)

    for bad in ("3", "0", "abc"):
        response = client.get(f"/regulasi/jdihn.json?halaman={bad}")
        assert response.status_code == 404, bad
        assert response["Content-Type"] == "application/json; charset=utf-8"
        message = json.loads(response.content)["galat"]
        assert message == f"Halaman {bad} tidak ada: umpan JDIHN ini memiliki 2 halaman."


def test_listing_stops_at_its_last_page_with_a_pointer_to_search(client, index, monkeypatch):
    from kpu_pages.models.base import ListingPaginator

    monkeypatch.setattr(ListingPaginator, "max_pages", 2)
    for number in range(25):
        factories.RegulasiPageFactory(
            parent=index, tanggal_penetapan=dt.date(2000, 1, 1) + dt.timedelta(days=number)
        )
    newest_first = list(
        RegulasiPage.objects.live()
        .order_by("-tanggal_penetapan", "-tahun", "-pk")
        .values_list("title", flat=True)
    )
    response = client.get("/regulasi/?halaman=3")  # beyond the limit: the deepest page, not an error
    assert response.status_code == 200
    html = response.content.decode()
    assert titles(response) == newest_first[10:20]
    assert "Halaman 2 dari 2" in html
    assert "Lebih dari 20 regulasi." in html
    assert "Daftar ini hanya menampilkan 20 item terbaru" in html and 'href="/cari/"' in html
    first = client.get("/regulasi/").content.decode()
    assert "Halaman 1 dari 2" in first and "Daftar ini hanya menampilkan" in first
