"""Pengumuman, Dokumentasi and Bahan Sosialisasi: placement, listings, detail pages, validation."""

import datetime as dt
import re

import pytest
from freezegun import freeze_time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from kpu_pages.models import (
    BahanSosialisasiBerkas,
    BahanSosialisasiIndexPage,
    BahanSosialisasiPage,
    BeritaIndexPage,
    DokumentasiIndexPage,
    DokumentasiPage,
    HomePage,
    PengumumanIndexPage,
    PengumumanLampiran,
    PengumumanPage,
)
from tests import factories

pytestmark = pytest.mark.django_db

KINDS = [
    (PengumumanIndexPage, PengumumanPage),
    (DokumentasiIndexPage, DokumentasiPage),
    (BahanSosialisasiIndexPage, BahanSosialisasiPage),
]


def card_titles(html: str) -> list[str]:
    return re.findall(r'card__title"><a href="[^"]+">([^<]+)<', html)


def queries_for(client, url: str):
    """Number of queries for a warm GET of ``url`` (renditions already generated), and the response."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response


# --- placement ------------------------------------------------------------------------------
@pytest.mark.parametrize(("index_model", "page_model"), KINDS)
def test_each_kind_is_created_only_under_its_own_index(index_model, page_model):
    assert page_model.can_create_at(index_model())
    assert not page_model.can_create_at(HomePage())
    assert not page_model.can_create_at(BeritaIndexPage())
    assert index_model.can_create_at(HomePage())
    assert not index_model.can_create_at(BeritaIndexPage())
    for other_index, _ in KINDS:
        if other_index is not index_model:
            assert not page_model.can_create_at(other_index())


# --- Pengumuman -----------------------------------------------------------------------------
def test_pengumuman_listing_puts_current_pinned_first_then_newest(client, home_page):
    index = factories.PengumumanIndexPageFactory(parent=home_page)
    today = dt.date(2026, 3, 10)
    day = dt.timedelta(days=1)
    with freeze_time("2026-03-10 03:00:00"):
        factories.PengumumanPageFactory(parent=index, title="Lama biasa", tanggal=today - 5 * day)
        factories.PengumumanPageFactory(
            parent=index, title="Lama disematkan", tanggal=today - 10 * day, disematkan=True
        )
        factories.PengumumanPageFactory(parent=index, title="Terbaru biasa", tanggal=today - day)
        factories.PengumumanPageFactory(
            parent=index,
            title="Disematkan tetapi berakhir",
            tanggal=today - 2 * day,
            berlaku_sampai=today - day,
            disematkan=True,
        )
        html = client.get(index.url).content.decode()
    expected = ["Lama disematkan", "Terbaru biasa", "Disematkan tetapi berakhir", "Lama biasa"]
    assert card_titles(html) == expected
    assert html.count(">Disematkan<") == 1


def test_pengumuman_expiry_is_marked_in_words_using_jakarta_dates(client, home_page):
    index = factories.PengumumanIndexPageFactory(parent=home_page)
    page = factories.PengumumanPageFactory(
        parent=index,
        title="Pendaftaran calon anggota PPK",
        tanggal=dt.date(2026, 1, 5),
        berlaku_sampai=dt.date(2026, 1, 20),
    )
    # 20 January 16:59 UTC is still 20 January 23:59 in Semarang: valid on its last day.
    with freeze_time("2026-01-20 16:59:00"):
        listing = client.get(index.url).content.decode()
        detail = client.get(page.url).content.decode()
    assert "Sudah berakhir" not in listing and "Sudah berakhir" not in detail
    assert "Berlaku sampai 20 Januari 2026" in listing
    # 20 January 17:01 UTC is already 21 January in Semarang.
    with freeze_time("2026-01-20 17:01:00"):
        listing = client.get(index.url).content.decode()
        detail = client.get(page.url).content.decode()
    assert "Sudah berakhir" in listing
    assert "Sudah berakhir" in detail
    assert "Berlaku sampai 20 Januari 2026" not in listing


def test_pengumuman_detail_shows_letter_facts_and_attachments_with_type_and_size(client, home_page):
    index = factories.PengumumanIndexPageFactory(parent=home_page)
    document = factories.DocumentFactory(title="Formulir pendaftaran")
    page = factories.PengumumanPageFactory(
        parent=index,
        title="Rekrutmen anggota PPK",
        nomor_surat="123/PP.04.1-Pu/33/2026",
        tanggal=dt.date(2026, 2, 3),
        perihal="Pendaftaran calon anggota PPK se-Jawa Tengah",
        jenis="rekrutmen",
        berlaku_sampai=dt.date(2099, 2, 17),
        lampiran=[PengumumanLampiran(document=document, judul="Formulir pendaftaran calon anggota PPK")],
    )
    html = client.get(page.url).content.decode()
    assert "123/PP.04.1-Pu/33/2026" in html
    assert "3 Februari 2026" in html
    assert "Pendaftaran calon anggota PPK se-Jawa Tengah" in html
    assert "Rekrutmen badan ad hoc" in html
    assert "Berlaku sampai" in html and "17 Februari 2099" in html
    assert "Formulir pendaftaran calon anggota PPK</a>" in html
    assert re.search(r"\(PDF, \d+\xa0(bita|byte)", html), "file type and size shown"


def test_pengumuman_listing_and_detail_queries_are_bounded(client, home_page):
    index = factories.PengumumanIndexPageFactory(parent=home_page)
    for _ in range(3):
        factories.PengumumanPageFactory(parent=index)
    few, _ = queries_for(client, index.url)
    for _ in range(9):
        factories.PengumumanPageFactory(parent=index, disematkan=True)
    many, response = queries_for(client, index.url)
    assert many <= few, f"{many} queries for 10 items vs {few} for 3"
    assert len(card_titles(response.content.decode())) == 10

    def detail_with(n: int):
        page = factories.PengumumanPageFactory(
            parent=index,
            lampiran=[PengumumanLampiran(document=factories.DocumentFactory()) for _ in range(n)],
        )
        return queries_for(client, page.url)[0]

    assert detail_with(5) <= detail_with(1)


def test_pengumuman_valid_until_before_date_is_refused_in_indonesian(admin_client, home_page):
    index = factories.PengumumanIndexPageFactory(parent=home_page)
    data = nested_form_data(
        {
            "title": "Pengumuman salah tanggal",
            "slug": "pengumuman-salah-tanggal",
            "nomor_surat": "1/PP.04.1-Pu/33/2026",
            "tanggal": "2026-03-10",
            "perihal": "Uji",
            "jenis": "pengumuman",
            "berlaku_sampai": "2026-03-01",
            "body": streamfield([]),
            "lampiran": inline_formset([]),
        }
    )
    response = admin_client.post(f"/admin/pages/add/kpu_pages/pengumumanpage/{index.pk}/", data)
    assert response.status_code == 200
    assert "tidak boleh sebelum tanggal pengumuman" in response.content.decode()
    assert not PengumumanPage.objects.exists()

    data["berlaku_sampai"] = "2026-03-31"
    response = admin_client.post(f"/admin/pages/add/kpu_pages/pengumumanpage/{index.pk}/", data)
    assert response.status_code == 302
    assert PengumumanPage.objects.get().berlaku_sampai == dt.date(2026, 3, 31)


def test_home_page_shows_pinned_current_announcements_first_and_hides_expired(client, home_page):
    index = factories.PengumumanIndexPageFactory(parent=home_page)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    factories.PengumumanPageFactory(parent=index, title="Biasa terbaru")
    factories.PengumumanPageFactory(
        parent=index, title="Penting lama", tanggal=yesterday - dt.timedelta(days=30), disematkan=True
    )
    factories.PengumumanPageFactory(
        parent=index,
        title="Sudah lewat",
        tanggal=yesterday - dt.timedelta(days=3),
        berlaku_sampai=yesterday - dt.timedelta(days=1),
    )
    shown = [item.title for item in PengumumanPage.objects.pinned_and_latest(5)]
    assert shown == ["Penting lama", "Biasa terbaru"]
    html = client.get("/").content.decode()
    assert html.index("Penting lama") < html.index("Biasa terbaru")
    assert "Sudah lewat" not in html


def test_pengumuman_rss_lists_announcements_with_their_subject(client, home_page):
    index = factories.PengumumanIndexPageFactory(parent=home_page)
    factories.PengumumanPageFactory(parent=index, title="Rekrutmen PPK", perihal="Pendaftaran calon PPK")
    response = client.get("/pengumuman/rss/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Rekrutmen PPK</title>" in body
    assert "Pendaftaran calon PPK" in body


# --- Dokumentasi ----------------------------------------------------------------------------
def test_dokumentasi_listing_shows_cover_from_first_photo_in_bounded_queries(client, home_page):
    index = factories.DokumentasiIndexPageFactory(parent=home_page)
    images = [factories.ImageFactory() for _ in range(2)]

    def add(n: int):
        for _ in range(n):
            factories.DokumentasiPageFactory(parent=index, galeri=factories.gallery_photos(images))

    add(3)
    few, _ = queries_for(client, index.url)
    add(9)
    many, response = queries_for(client, index.url)
    assert many <= few, f"{many} queries for 10 items vs {few} for 3"
    html = response.content.decode()
    assert len(card_titles(html)) == 10
    assert html.count('alt="Peserta rapat pleno di aula 0"') == 10
    page = DokumentasiPage.objects.first()
    assert page.cover_image == images[0]


def test_dokumentasi_cover_follows_the_published_gallery(home_page):
    index = factories.DokumentasiIndexPageFactory(parent=home_page)
    first, second = factories.ImageFactory(), factories.ImageFactory()
    page = factories.DokumentasiPageFactory(parent=index, galeri=factories.gallery_photos([first]))
    assert page.cover_image == first
    page.galeri = factories.gallery_photos([second, first])
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.cover_image == second


def test_dokumentasi_gallery_is_a_lazy_webp_grid_with_srcset_in_bounded_queries(client, home_page):
    index = factories.DokumentasiIndexPageFactory(parent=home_page)

    def detail_with(n: int):
        images = [factories.ImageFactory() for _ in range(n)]
        page = factories.DokumentasiPageFactory(
            parent=index, title=f"Pleno dengan {n} foto", galeri=factories.gallery_photos(images)
        )
        return queries_for(client, page.url)

    few, _ = detail_with(2)
    many, response = detail_with(6)
    assert many <= few, f"{many} queries for 6 photos vs {few} for 2"
    html = response.content.decode()
    assert 'class="gallery"' in html
    assert html.count('type="image/webp"') == 6
    assert html.count('loading="lazy"') >= 6
    assert "srcset=" in html and " 400w" in html
    assert 'alt="Peserta rapat pleno di aula 5"' in html
    assert "Foto: Humas" in html


def test_dokumentasi_gallery_photo_without_alt_text_is_refused(admin_client, home_page):
    index = factories.DokumentasiIndexPageFactory(parent=home_page)
    image = factories.ImageFactory()
    data = nested_form_data(
        {
            "title": "Dokumentasi tanpa alt",
            "slug": "dokumentasi-tanpa-alt",
            "tanggal_kegiatan": "2026-03-10",
            "tempat": "Semarang",
            "deskripsi": "Rapat pleno.",
            "galeri": streamfield(
                [("photo", {"image": image.pk, "alt_text": "", "caption": "Pleno", "credit": ""})]
            ),
        }
    )
    data["action-submit"] = "submit"  # nobody creates and publishes in one go: submitting validates all
    url = f"/admin/pages/add/kpu_pages/dokumentasipage/{index.pk}/"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert not DokumentasiPage.objects.exists()
    # Wagtail's own Indonesian message, shown on the alt text field of that photo
    assert re.search(r"Kolom ini\s+(harus|wajib) diisi", response.content.decode())

    data["galeri-0-value-alt_text"] = "Peserta rapat pleno"
    assert admin_client.post(url, data).status_code == 302
    assert DokumentasiPage.objects.get().cover_image_alt == "Peserta rapat pleno"


# --- Bahan Sosialisasi ----------------------------------------------------------------------
def make_bahan(index, **kwargs):
    return factories.BahanSosialisasiPageFactory(parent=index, **kwargs)


def test_bahan_sosialisasi_filters_narrow_the_list_and_bad_values_are_ignored(client, home_page):
    index = factories.BahanSosialisasiIndexPageFactory(parent=home_page)
    make_bahan(index, title="Ayo Cek DPT Online", jenis_bahan="poster", sasaran=["umum"])
    make_bahan(index, title="Leaflet Hak Pilih Disabilitas", jenis_bahan="leaflet", sasaran=["disabilitas"])
    make_bahan(index, title="Pemilih Pemula Cerdas", jenis_bahan="poster", sasaran=["pemula", "perempuan"])

    def titles(query: str) -> set[str]:
        response = client.get(index.url + query)
        assert response.status_code == 200
        return set(card_titles(response.content.decode()))

    everything = {"Ayo Cek DPT Online", "Leaflet Hak Pilih Disabilitas", "Pemilih Pemula Cerdas"}
    assert titles("") == everything
    assert titles("?jenis=poster") == {"Ayo Cek DPT Online", "Pemilih Pemula Cerdas"}
    assert titles("?sasaran=disabilitas") == {"Leaflet Hak Pilih Disabilitas"}
    assert titles("?sasaran=perempuan") == {"Pemilih Pemula Cerdas"}
    assert titles("?jenis=poster&sasaran=pemula") == {"Pemilih Pemula Cerdas"}
    assert titles("?jenis=leaflet&sasaran=pemula") == set()
    assert titles("?jenis=bukan-jenis&sasaran=%3Cscript%3E") == everything
    assert titles("?sasaran=pemula&halaman=abc") == {"Pemilih Pemula Cerdas"}
    html = client.get(index.url + "?jenis=poster").content.decode()
    assert '<label for="f-jenis">Jenis bahan</label>' in html
    assert '<label for="f-sasaran">Sasaran pemilih</label>' in html
    assert '<option value="poster" selected>' in html
    empty = client.get(index.url + "?jenis=leaflet&sasaran=pemula").content.decode()
    assert "Tidak ada bahan sosialisasi yang sesuai saringan." in empty


def test_bahan_sosialisasi_listing_and_detail_queries_are_bounded(client, home_page):
    index = factories.BahanSosialisasiIndexPageFactory(parent=home_page)
    image = factories.ImageFactory()

    def add(n: int):
        for _ in range(n):
            make_bahan(
                index,
                berkas=[
                    BahanSosialisasiBerkas(judul="Poster A3", gambar=image, teks_alternatif="Isi poster"),
                    BahanSosialisasiBerkas(
                        judul="PDF", dokumen=factories.DocumentFactory(), teks_alternatif="Isi PDF"
                    ),
                ],
            )

    add(3)
    few, _ = queries_for(client, index.url)
    add(9)
    many, response = queries_for(client, index.url)
    assert many <= few, f"{many} queries for 10 items vs {few} for 3"
    assert len(card_titles(response.content.decode())) == 10

    def detail_with(n: int):
        files = [
            BahanSosialisasiBerkas(
                judul=f"Poster {k}",
                gambar=factories.ImageFactory(),
                dokumen=factories.DocumentFactory(),
                teks_alternatif=f"Poster {k} berisi ajakan memilih.",
            )
            for k in range(n)
        ]
        return queries_for(client, make_bahan(index, berkas=files).url)

    few, _ = detail_with(1)
    many, response = detail_with(4)
    assert many <= few, f"{many} queries for 4 files vs {few} for 1"
    html = response.content.decode()
    assert "Teks alternatif / ringkasan isi" in html
    assert "Poster 3 berisi ajakan memilih." in html
    assert re.search(r"\(PDF, \d+\xa0(bita|byte)", html)
    assert 'type="image/webp"' in html


def bahan_form(index, berkas: dict):
    data = nested_form_data(
        {
            "title": "Poster Ayo Memilih",
            "slug": "poster-ayo-memilih",
            "jenis_bahan": "poster",
            "deskripsi": "Poster ajakan.",
            "berkas": inline_formset([berkas]),
            "video": streamfield([]),
        }
    )
    data["sasaran"] = ["pemula", "umum"]
    data["action-publish"] = "publish"
    return data


def test_bahan_sosialisasi_file_without_text_alternative_is_refused(admin_client, home_page):
    index = factories.BahanSosialisasiIndexPageFactory(parent=home_page)
    image = factories.ImageFactory()
    url = f"/admin/pages/add/kpu_pages/bahansosialisasipage/{index.pk}/"
    berkas = {"judul": "Poster A3", "gambar": image.pk, "dokumen": "", "teks_alternatif": "   "}
    response = admin_client.post(url, bahan_form(index, berkas))
    assert response.status_code == 200
    assert not BahanSosialisasiPage.objects.exists()
    html = response.content.decode()
    assert "Isi teks alternatif / ringkasan isi, untuk pembaca yang tidak dapat melihat" in html

    berkas.update(gambar="", teks_alternatif="Poster berisi ajakan memilih.")
    response = admin_client.post(url, bahan_form(index, berkas))
    assert response.status_code == 200
    assert "Pilih dokumen atau gambar untuk berkas ini." in response.content.decode()
    assert not BahanSosialisasiPage.objects.exists()

    berkas.update(gambar=image.pk)
    assert admin_client.post(url, bahan_form(index, berkas)).status_code == 302
    page = BahanSosialisasiPage.objects.get()
    assert page.sasaran == ["pemula", "umum"]
    assert page.berkas.get().teks_alternatif == "Poster berisi ajakan memilih."


def test_bahan_sosialisasi_file_model_refuses_missing_text_alternative():
    from django.core.exceptions import ValidationError

    berkas = BahanSosialisasiBerkas(judul="Poster", teks_alternatif="")
    with pytest.raises(ValidationError) as exc:
        berkas.clean()
    assert "Isi teks alternatif / ringkasan isi" in str(exc.value)
    assert "Pilih dokumen atau gambar" in str(exc.value)


# --- demo -----------------------------------------------------------------------------------
def test_demo_loader_is_idempotent_and_every_page_renders(client, home_page):
    from kpu_pages.demo import pengumuman

    created = pengumuman.load(home_page)
    assert created >= 15
    assert pengumuman.load(HomePage.objects.get(pk=home_page.pk)) == 0
    for model in (PengumumanPage, DokumentasiPage, BahanSosialisasiPage):
        assert model.objects.live().count() >= 5, model
    assert PengumumanPage.objects.filter(disematkan=True).exists()
    assert any(page.sudah_berakhir for page in PengumumanPage.objects.all())
    assert all(page.cover_image_id for page in DokumentasiPage.objects.all())
    pages = Page.objects.filter(
        content_type__app_label="kpu_pages",
        content_type__model__in=[
            "pengumumanindexpage",
            "pengumumanpage",
            "dokumentasiindexpage",
            "dokumentasipage",
            "bahansosialisasiindexpage",
            "bahansosialisasipage",
        ],
    )
    assert pages.count() >= 18
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert page.title in response.content.decode()
