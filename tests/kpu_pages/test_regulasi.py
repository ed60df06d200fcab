"""Regulasi (JDIH): where pages live, the filtered listing, the detail page, relations, validation
and the demo content (the JDIHN JSON feed: test_jdihn.py)."""

import datetime as dt
import json
import re

import pytest

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from kpu_pages.models import (
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
