"""Profil section, Kontak, and PPID with its Daftar Informasi Publik."""

import html as htmllib
import re

import pytest

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from kpu_pages.models import (
    AnggotaKomisioner,
    AnggotaPage,
    BeritaIndexPage,
    DaftarInformasiPublikPage,
    HomePage,
    KategoriInformasi,
    KontakPage,
    PPIDPage,
    ProfilPage,
    StandardPage,
    StrukturOrganisasiPage,
)
from kpu_pages.models.standard import tel_href
from tests import factories

pytestmark = pytest.mark.django_db

DIP_HEADINGS = [
    "No.",
    "Ringkasan Isi Informasi",
    "Pejabat/Unit/Satker yang Menguasai Informasi",
    "Penanggung Jawab Pembuatan/Penerbitan Informasi",
    "Waktu dan Tempat Pembuatan Informasi",
    "Bentuk Informasi yang Tersedia",
    "Jangka Waktu Penyimpanan/Retensi Arsip",
    "Jenis Media yang Memuat Informasi",
]
CATEGORY_LABELS = [
    "Informasi yang Wajib Disediakan dan Diumumkan Secara Berkala",
    "Informasi yang Wajib Diumumkan Secara Serta Merta",
    "Informasi yang Wajib Tersedia Setiap Saat",
    "Informasi yang Dikecualikan",
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx), response.content.decode()


def text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


# --- where each page type may be created ---------------------------------------------------
ALLOWED = {
    ProfilPage: {HomePage},
    KontakPage: {HomePage},
    PPIDPage: {HomePage},
    StandardPage: {ProfilPage, PPIDPage},
    AnggotaPage: {ProfilPage},
    StrukturOrganisasiPage: {ProfilPage},
    DaftarInformasiPublikPage: {PPIDPage},
}
PARENTS = [HomePage, ProfilPage, PPIDPage, BeritaIndexPage, StandardPage, KontakPage, AnggotaPage]


@pytest.mark.parametrize("model", list(ALLOWED), ids=lambda m: m.__name__)
def test_each_page_type_is_created_only_under_its_allowed_parents(model):
    for parent_model in PARENTS:
        expected = parent_model in ALLOWED[model]
        assert model.can_create_at(parent_model()) is expected, (model.__name__, parent_model.__name__)


def test_home_offers_profil_kontak_and_ppid_once_each(home_page):
    for model in (ProfilPage, KontakPage, PPIDPage):
        assert model.can_create_at(home_page)
    factories.ProfilPageFactory(parent=home_page)
    factories.KontakPageFactory(parent=home_page)
    factories.PPIDPageFactory(parent=home_page)
    for model in (ProfilPage, KontakPage, PPIDPage):
        assert not model.can_create_at(home_page), model.__name__


def test_profil_holds_one_anggota_and_one_struktur_page(home_page):
    profil = factories.ProfilPageFactory(parent=home_page)
    assert AnggotaPage.can_create_at(profil) and StrukturOrganisasiPage.can_create_at(profil)
    factories.AnggotaPageFactory(parent=profil)
    factories.StrukturOrganisasiPageFactory(parent=profil)
    assert not AnggotaPage.can_create_at(profil)
    assert not StrukturOrganisasiPage.can_create_at(profil)
    assert StandardPage.can_create_at(profil)


# --- Profil --------------------------------------------------------------------------------
def test_profil_landing_links_its_children_in_order_with_bounded_queries(client, home_page):
    profil = factories.ProfilPageFactory(parent=home_page, intro="<p>Mengenal KPU Jawa Tengah.</p>")
    factories.StandardPageFactory(parent=profil, title="Visi dan Misi", intro="Arah lembaga.")
    factories.AnggotaPageFactory(parent=profil)
    factories.StrukturOrganisasiPageFactory(parent=profil)
    few, _ = count_queries(client, profil.url)  # one query per page type, so all three types here
    for n in range(6):
        factories.StandardPageFactory(parent=profil, title=f"Halaman tambahan {n}")
    draft = factories.StandardPageFactory(parent=profil, title="Konsep belum terbit")
    draft.unpublish()
    many, html = count_queries(client, profil.url)
    assert many <= few, f"{many} queries for 9 children vs {few} for 3"
    assert "Mengenal KPU Jawa Tengah." in html
    titles = [text(t) for t in re.findall(r'section-links__title"><a href="[^"]+">(.*?)</a>', html)]
    assert titles[:4] == ["Visi dan Misi", "Anggota", "Struktur Organisasi", "Halaman tambahan 0"]
    assert len(titles) == 9
    assert "Konsep belum terbit" not in html
    assert "Arah lembaga." in html


def test_standard_page_renders_body_and_section_navigation(client, home_page):
    profil = factories.ProfilPageFactory(parent=home_page)
    visi = factories.StandardPageFactory(
        parent=profil,
        title="Visi dan Misi",
        body=[("paragraph", "<h2>Visi</h2><p>Menjadi penyelenggara pemilu yang mandiri.</p>")],
    )
    factories.StandardPageFactory(parent=profil, title="Tugas dan Fungsi")
    response = client.get(visi.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Visi dan Misi</h1>" in html
    assert "Menjadi penyelenggara pemilu yang mandiri." in html
    nav = re.search(r'<nav class="section-nav".*?</nav>', html, re.S).group(0)
    assert "Tugas dan Fungsi" in nav
    assert re.search(r'aria-current="page">Visi dan Misi<', nav)
    assert 'aria-label="Jejak navigasi"' in html


def test_anggota_page_is_a_card_grid_with_alt_text_and_bounded_queries(client, home_page):
    profil = factories.ProfilPageFactory(parent=home_page)
    page = factories.AnggotaPageFactory(parent=profil)
    photo = factories.ImageFactory()

    def add(n):
        for _ in range(n):
            photo = factories.ImageFactory()
            factories.AnggotaKomisionerFactory(page=page, foto=photo, foto_alt="Foto resmi")

    factories.AnggotaKomisionerFactory(
        page=page,
        nama="Dr. Handayani Wulandari, S.H.",
        jabatan="Ketua",
        divisi="Divisi Keuangan dan Logistik",
        foto=photo,
        foto_alt="Foto resmi Ketua KPU Jawa Tengah",
        bio="Pengajar hukum tata negara.",
    )
    add(1)
    client.get(page.url)  # warm renditions
    few, _ = count_queries(client, page.url)
    add(8)
    client.get(page.url)
    many, html = count_queries(client, page.url)
    assert many <= few, f"{many} queries for 10 members vs {few} for 2"
    assert html.count('<article class="member-card"') == 10
    first = re.search(r'<article class="member-card".*?</article>', html, re.S).group(0)
    assert '<h2 class="member-card__name" id="anggota-1">Dr. Handayani Wulandari, S.H.</h2>' in first
    assert "Ketua" in first and "Divisi Keuangan dan Logistik" in first
    assert 'alt="Foto resmi Ketua KPU Jawa Tengah"' in first
    assert "Pengajar hukum tata negara." in first
    assert "image/webp" in first and "srcset=" in first


def test_member_photo_without_alt_text_is_refused_in_indonesian():
    member = AnggotaKomisioner(nama="Ahmad", jabatan="Anggota", foto=factories.ImageFactory(), foto_alt=" ")
    with pytest.raises(ValidationError) as exc:
        member.clean()
    assert exc.value.message_dict["foto_alt"] == ["Isi teks alternatif untuk foto anggota ini."]


def test_admin_refuses_a_member_photo_without_alt_and_creates_nothing(admin_client, home_page):
    profil = factories.ProfilPageFactory(parent=home_page)
    photo = factories.ImageFactory()
    data = nested_form_data(
        {
            "title": "Anggota",
            "slug": "anggota",
            "intro": "Ketua dan anggota.",
            "anggota": inline_formset(
                [{"nama": "Bambang", "jabatan": "Anggota", "divisi": "", "foto": photo.pk, "foto_alt": ""}],
                min=1,
            ),
        }
    )
    response = admin_client.post(f"/admin/pages/add/kpu_pages/anggotapage/{profil.pk}/", data)
    assert response.status_code == 200
    assert "Isi teks alternatif untuk foto anggota ini." in response.content.decode()
    assert not AnggotaPage.objects.exists()


def test_struktur_organisasi_shows_chart_with_long_description_and_text_version(client, home_page):
    profil = factories.ProfilPageFactory(parent=home_page)
    page = factories.StrukturOrganisasiPageFactory(
        parent=profil,
        gambar=factories.ImageFactory(),
        gambar_alt="Bagan struktur organisasi KPU Jawa Tengah",
        gambar_deskripsi="Ketua membawahi Sekretaris, yang membawahi empat bagian.",
        struktur="<ul><li>Ketua<ul><li>Sekretaris<ul><li>Bagian Hukum dan SDM</li></ul></li></ul></li></ul>",
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'alt="Bagan struktur organisasi KPU Jawa Tengah"' in html
    assert 'aria-describedby="deskripsi-bagan"' in html and 'id="deskripsi-bagan"' in html
    assert "Ketua membawahi Sekretaris, yang membawahi empat bagian." in html
    assert "<li>Bagian Hukum dan SDM</li>" in html


@pytest.mark.parametrize(
    ("alt", "description", "field", "message"),
    [
        ("", "Uraian bagan.", "gambar_alt", "Isi teks alternatif untuk bagan."),
        ("Bagan", "  ", "gambar_deskripsi", "Isi deskripsi panjang bagan"),
    ],
)
def test_struktur_chart_without_alt_or_description_is_refused(home_page, alt, description, field, message):
    profil = factories.ProfilPageFactory(parent=home_page)
    page = StrukturOrganisasiPage(
        title="Struktur Organisasi",
        struktur="<p>Ketua</p>",
        gambar=factories.ImageFactory(),
        gambar_alt=alt,
        gambar_deskripsi=description,
    )
    with pytest.raises(ValidationError) as exc:
        profil.add_child(instance=page)
    assert message in " ".join(exc.value.message_dict[field])
    assert not StrukturOrganisasiPage.objects.exists()


def test_admin_edit_clearing_chart_alt_is_refused_and_keeps_saved_text(admin_client, home_page):
    profil = factories.ProfilPageFactory(parent=home_page)
    page = factories.StrukturOrganisasiPageFactory(
        parent=profil,
        gambar=factories.ImageFactory(),
        gambar_alt="Bagan lama",
        gambar_deskripsi="Uraian lama.",
    )
    data = nested_form_data(
        {
            "title": "Struktur Organisasi",
            "slug": "struktur-organisasi",
            "intro": "",
            "gambar": page.gambar_id,
            "gambar_alt": "",
            "gambar_deskripsi": "Uraian baru.",
            "struktur": rich_text("<ul><li>Ketua</li></ul>"),
        }
    )
    response = admin_client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 200
    assert "Isi teks alternatif untuk bagan." in response.content.decode()
    page.refresh_from_db()
    assert page.gambar_alt == "Bagan lama"
    assert page.get_latest_revision_as_object().gambar_deskripsi == "Uraian lama."


# --- Kontak --------------------------------------------------------------------------------
def test_kontak_shows_the_official_identity_by_default(client, home_page):
    page = factories.KontakPageFactory(parent=home_page)
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    main = html.split('id="konten"', 1)[1].split("</main>", 1)[0]
    address = re.search(r"<address>(.*?)</address>", main, re.S).group(1)
    assert "Jl. Veteran No. 1 A" in address and "Kota Semarang" in address
    assert '<a href="tel:+62248413393">(024) 8413393</a>' in address
    assert "(024) 8413391" in address
    assert '<a href="mailto:kpu.jatengprov@kpu.go.id">kpu.jatengprov@kpu.go.id</a>' in address
    assert "Jam layanan" in main and "pukul 08.00" in main
    assert "<iframe" not in html


def test_kontak_values_entered_by_an_editor_replace_the_defaults(client, home_page):
    page = factories.KontakPageFactory(
        parent=home_page,
        telepon="(024) 7654321",
        email="ppid.jateng@kpu.go.id",
        jam_layanan="Senin–Jumat: pukul 07.30–16.00 WIB",
        peta=factories.ImageFactory(),
        peta_alt="Denah kantor di Jl. Veteran, dekat Simpang Lima",
    )
    html = client.get(page.url).content.decode()
    assert '<a href="tel:+62247654321">(024) 7654321</a>' in html
    assert 'href="mailto:ppid.jateng@kpu.go.id"' in html
    assert "pukul 07.30–16.00 WIB" in html
    assert 'alt="Denah kantor di Jl. Veteran, dekat Simpang Lima"' in html
    assert "Jl. Veteran No. 1 A" in html  # address still from the identity


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"telepon": "telepon kantor"}, "telepon", "Nomor hanya boleh berisi angka"),
        ({"email": "bukan-surel"}, "email", "alamat email yang valid"),
        ({"peta_alt": ""}, "peta_alt", "Isi teks alternatif untuk peta lokasi."),
    ],
)
def test_kontak_bad_input_is_refused_in_indonesian(home_page, fields, field, message):
    page = KontakPage(title="Kontak", slug="kontak", peta=factories.ImageFactory(), peta_alt="Denah")
    for name, value in fields.items():
        setattr(page, name, value)
    with pytest.raises(ValidationError) as exc:
        home_page.add_child(instance=page)
    assert message in " ".join(exc.value.message_dict[field])


@pytest.mark.parametrize(
    ("number", "href"),
    [
        ("(024) 8413393", "+62248413393"),
        ("+62 24 841-3393", "+62248413393"),
        ("0812 3456 7890", "+6281234567890"),
    ],
)
def test_tel_links_use_the_international_form(number, href):
    assert tel_href(number) == href


# --- PPID and DIP --------------------------------------------------------------------------
def test_ppid_landing_shows_body_children_and_links(client, home_page):
    ppid = factories.PPIDPageFactory(
        parent=home_page,
        intro="<p>Layanan informasi publik.</p>",
        body=[("paragraph", "<p>Setiap orang berhak memperoleh informasi publik.</p>")],
        tautan=[("tautan", {"page": None, "url": "https://ppid.kpu.go.id/", "label": "PPID KPU RI"})],
    )
    factories.StandardPageFactory(parent=ppid, title="Tata Cara Permohonan Informasi")
    factories.DaftarInformasiPublikPageFactory(parent=ppid)
    response = client.get(ppid.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Setiap orang berhak memperoleh informasi publik." in html
    assert "Tata Cara Permohonan Informasi" in html and "Daftar Informasi Publik" in html
    assert '<a href="https://ppid.kpu.go.id/" rel="noopener">PPID KPU RI</a>' in html


def test_ppid_link_needs_exactly_one_target():
    from kpu_pages.models.standard import LinkBlock

    with pytest.raises(ValidationError) as exc:
        LinkBlock().clean({"page": None, "url": "", "label": "Formulir"})
    assert "Pilih satu: halaman atau alamat URL." in str(exc.value.block_errors["url"])


def make_dip(home_page, per_category: int, document=None):
    ppid = factories.PPIDPageFactory(parent=home_page)
    dip = factories.DaftarInformasiPublikPageFactory(parent=ppid)
    add_entries(dip, per_category, document)
    return dip


def add_entries(dip, per_category, document=None):
    for kategori in KategoriInformasi.values:
        for _ in range(per_category):
            has_doc = kategori != KategoriInformasi.DIKECUALIKAN
            factories.InformasiPublikFactory(
                page=dip, kategori=kategori, dokumen=document if has_doc else None
            )


def test_dip_shows_four_category_tables_with_the_seven_columns_in_order(client, home_page):
    dip = make_dip(home_page, 0)
    factories.InformasiPublikFactory(page=dip, kategori="berkala", ringkasan="Laporan Keuangan")
    factories.InformasiPublikFactory(page=dip, kategori="berkala", ringkasan="Profil KPU")
    factories.InformasiPublikFactory(
        page=dip, kategori="serta-merta", ringkasan="Informasi bencana di lokasi TPS", bentuk="elektronik"
    )
    factories.InformasiPublikFactory(page=dip, kategori="dikecualikan", ringkasan="Data pribadi pemilih")
    response = client.get(dip.url)
    assert response.status_code == 200
    html = response.content.decode()

    captions = [text(c) for c in re.findall(r"<caption[^>]*>(.*?)</caption>", html, re.S)]
    shown = [CATEGORY_LABELS[0], CATEGORY_LABELS[1], CATEGORY_LABELS[3]]  # the empty one has no table
    assert [c.split(" (")[0] for c in captions] == shown
    assert captions[0].startswith(f"{CATEGORY_LABELS[0]} (2 informasi)")
    for table in re.findall(r"<table.*?</table>", html, re.S):
        headings = [text(h) for h in re.findall(r'<th scope="col">(.*?)</th>', table, re.S)]
        assert headings == DIP_HEADINGS

    # every category has a heading, even the empty one, and the table of contents counts them
    toc = re.search(r'<nav class="dip-toc".*?</nav>', html, re.S).group(0)
    toc_items = [text(li) for li in re.findall(r"<li>(.*?)</li>", toc, re.S)]
    assert toc_items == [
        f"{CATEGORY_LABELS[0]} (2 informasi)",
        f"{CATEGORY_LABELS[1]} (1 informasi)",
        f"{CATEGORY_LABELS[2]} (0 informasi)",
        f"{CATEGORY_LABELS[3]} (1 informasi)",
    ]
    for key in ("berkala", "serta-merta", "setiap-saat", "dikecualikan"):
        assert f'href="#{key}"' in toc and f'id="{key}"' in html
    assert "Belum ada informasi pada kategori ini." in html

    # rows are numbered in editor order; the scroll region is focusable and labelled
    first = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", first, re.S)
    assert [text(re.search(r"<td>(.*?)</td>", r).group(1)) for r in rows] == ["1", "2"]
    assert "Laporan Keuangan" in rows[0] and "Profil KPU" in rows[1]
    assert 'class="table-scroll" role="region" aria-labelledby="tabel-berkala" tabindex="0"' in html
    assert "Elektronik" in html


def test_dip_page_queries_do_not_grow_with_the_number_of_entries(client, home_page):
    document = factories.DocumentFactory()
    dip = make_dip(home_page, 1, document)
    few, _ = count_queries(client, dip.url)
    add_entries(dip, 15, document)
    many, html = count_queries(client, dip.url)
    assert many <= few, f"{many} queries for 64 entries vs {few} for 4"
    assert html.count("<tr>") == 64 + 4  # entries + one header row per table
    assert "Unduh dokumen" in html


def test_excluded_information_cannot_carry_a_link_or_document():
    entry = factories.InformasiPublikFactory.build(
        kategori="dikecualikan", tautan="https://contoh.go.id/data"
    )
    with pytest.raises(ValidationError) as exc:
        entry.clean()
    assert "tidak boleh diberi tautan atau dokumen" in " ".join(exc.value.message_dict["tautan"])
    factories.InformasiPublikFactory.build(kategori="berkala", tautan="https://contoh.go.id/data").clean()


def test_dip_preview_shows_unsaved_entries(admin_client, home_page):
    dip = make_dip(home_page, 0)
    dip.entri.add(factories.InformasiPublikFactory.build(ringkasan="Entri yang belum disimpan"))
    html = dip.make_preview_request().content.decode()
    assert "Entri yang belum disimpan" in html


# --- demo ----------------------------------------------------------------------------------
def test_demo_loader_is_idempotent_and_every_demo_page_renders(client, home_page):
    from kpu_pages.demo import standar

    created = standar.load(home_page)
    assert created == 11  # pages below the two section indexes, which get_or_create_index adds
    assert standar.load(HomePage.objects.get(pk=home_page.pk)) == 0

    profil = ProfilPage.objects.get()
    ppid = PPIDPage.objects.get()
    pages = [profil, ppid, KontakPage.objects.get(), *profil.get_descendants(), *ppid.get_descendants()]
    assert len(pages) == created + 2
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert htmllib.escape(page.title) in response.content.decode()

    assert AnggotaPage.objects.get().anggota.count() == 5
    dip = DaftarInformasiPublikPage.objects.get()
    for category in dip.categories():
        assert category["count"] >= 5, category["label"]
    assert profil.get_items().count() >= 5 and ppid.get_items().count() >= 5
