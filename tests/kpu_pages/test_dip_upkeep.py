"""The DIP kept current: each row's unit, update period and last update, and the basis of an exclusion.

The rules are checked where an editor meets them, the page editor (a superuser posting the form);
the public DIP shows the last update of every item and the basis of every excluded one.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import import_module

import pytest
from freezegun import freeze_time

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from kpu_pages.models import DaftarInformasiPublikPage, InformasiPublik, PPIDPage
from kpu_pages.models.standard import add_months
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = "2026-11-23 10:00:00+07:00"


def row(**fields) -> dict:
    """One DIP row as the page editor posts it (every field, as the browser sends them)."""
    data = {
        "kategori": "berkala",
        "ringkasan": "Laporan Keuangan semester I",
        "penguasa": "Subbagian Keuangan",
        "penanggung_jawab": "Sekretaris KPU Provinsi Jawa Tengah",
        "waktu_tempat": "Setiap semester, Kantor KPU Provinsi Jawa Tengah",
        "bentuk": "cetak-elektronik",
        "retensi": "10 tahun",
        "jenis_media": "Situs web",
        "tautan": "",
        "dokumen": "",
        "unit_penanggung_jawab": "",
        "periode_pembaruan": "semester",
        "diperbarui_pada": "02-03-2026",
        "dasar_hukum_pengecualian": "",
        "uji_konsekuensi": "",
        "jangka_waktu_pengecualian": "",
    }
    data.update(fields)
    return data


def post_dip(client, page, rows, action: str | None = None):
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": page.intro,
            "keterangan": rich_text("<p>Ditetapkan oleh Atasan PPID.</p>"),
            "entri": inline_formset(rows),
            "comments": inline_formset([]),
        }
    )
    if action:
        data[action] = action
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


@pytest.fixture
def dip(home_page):
    ppid = factories.PPIDPageFactory(parent=home_page)
    return factories.DaftarInformasiPublikPageFactory(parent=ppid)


def errors_of(response) -> str:
    """The page editor's error messages, as text."""
    html = response.content.decode()
    return " ".join(
        re.sub(r"<[^>]+>", "", m) for m in re.findall(r'class="error-message"[^>]*>(.*?)</', html, re.S)
    )


# --- the rules, in the page editor -----------------------------------------------------------------
@freeze_time(TODAY)
def test_a_periodic_item_needs_its_period_and_last_update_and_keeps_what_was_typed(admin_client, dip):
    before = dip.revisions.count()
    response = post_dip(
        admin_client,
        dip,
        [row(ringkasan="Laporan Keuangan tanpa periode", periode_pembaruan="", diperbarui_pada="")],
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pilih periode pembaruan: informasi berkala wajib diperbarui secara berkala." in html
    assert "Isi tanggal terakhir informasi berkala ini diperbarui." in html
    assert "Laporan Keuangan tanpa periode" in html  # what the editor typed is still in the form
    assert dip.revisions.count() == before


@freeze_time(TODAY)
def test_only_a_periodic_item_takes_an_update_period(admin_client, dip):
    response = post_dip(admin_client, dip, [row(kategori="setiap-saat", periode_pembaruan="bulanan")])
    assert response.status_code == 200
    assert "Periode pembaruan hanya untuk informasi berkala." in response.content.decode()


@freeze_time(TODAY)
def test_the_last_update_cannot_be_in_the_future(admin_client, dip):
    response = post_dip(admin_client, dip, [row(diperbarui_pada="24-11-2026")])
    assert response.status_code == 200
    assert "Tanggal terakhir diperbarui tidak boleh melewati hari ini." in response.content.decode()


@freeze_time(TODAY)
def test_an_excluded_item_needs_its_legal_basis_consequence_test_and_period(admin_client, dip):
    excluded = row(
        kategori="dikecualikan",
        ringkasan="Data pribadi pemilih",
        periode_pembaruan="",
        diperbarui_pada="",
        uji_konsekuensi="Membuka NIK memungkinkan pemalsuan identitas.",
    )
    response = post_dip(admin_client, dip, [excluded])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Isi dasar hukum pengecualian informasi ini." in html
    assert "Isi jangka waktu pengecualian informasi ini." in html
    assert "Isi uji konsekuensi" not in html  # given
    assert "Membuka NIK memungkinkan pemalsuan identitas." in html  # kept in the form


@freeze_time(TODAY)
def test_exclusion_fields_are_refused_on_an_item_that_is_not_excluded(admin_client, dip):
    response = post_dip(admin_client, dip, [row(dasar_hukum_pengecualian="Pasal 17 huruf h")])
    assert response.status_code == 200
    assert "Isian ini hanya untuk informasi yang dikecualikan." in response.content.decode()


@freeze_time(TODAY)
def test_a_complete_dip_is_saved_as_a_draft_with_its_unit_period_and_exclusion(admin_client, dip):
    unit = Group.objects.create(name="PPID Pelaksana Bagian Keuangan")
    rows = [
        row(unit_penanggung_jawab=unit.pk),
        row(
            kategori="dikecualikan",
            ringkasan="Data pribadi pemilih",
            periode_pembaruan="",
            diperbarui_pada="",
            dasar_hukum_pengecualian="Pasal 17 huruf h UU 14/2008",
            uji_konsekuensi="Membuka NIK memungkinkan pemalsuan identitas.",
            jangka_waktu_pengecualian="Tanpa batas waktu",
        ),
    ]
    response = post_dip(admin_client, dip, rows)
    assert response.status_code == 302, errors_of(response)
    draft = DaftarInformasiPublikPage.objects.get(pk=dip.pk).get_latest_revision_as_object()
    periodic, excluded = list(draft.entri.all())
    assert periodic.unit_penanggung_jawab == unit
    assert (periodic.periode_pembaruan, periodic.diperbarui_pada) == ("semester", dt.date(2026, 3, 2))
    assert periodic.next_update_due() == dt.date(2026, 9, 2)
    assert excluded.jangka_waktu_pengecualian == "Tanpa batas waktu"
    assert not InformasiPublik.objects.filter(page=dip).exists()  # a draft: the live DIP is unchanged


@pytest.mark.parametrize(
    ("day", "months", "due"),
    [
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),
        (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
        (dt.date(2026, 2, 10), 12, dt.date(2027, 2, 10)),
    ],
)
def test_a_period_ends_on_the_same_day_of_the_month_or_the_months_last(day, months, due):
    assert add_months(day, months) == due


# --- the public DIP ------------------------------------------------------------------------------
def test_the_public_dip_shows_each_items_last_update_and_period_and_the_basis_of_an_exclusion(client, dip):
    factories.InformasiPublikFactory(
        page=dip,
        kategori="berkala",
        ringkasan="Laporan Keuangan",
        periode_pembaruan="semester",
        diperbarui_pada=dt.date(2026, 3, 2),
    )
    factories.InformasiPublikFactory(
        page=dip,
        kategori="setiap-saat",
        ringkasan="Keputusan KPU Provinsi",
        diperbarui_pada=dt.date(2026, 8, 17),
    )
    factories.InformasiPublikFactory(
        page=dip,
        kategori="serta-merta",
        ringkasan="Informasi bencana",
        periode_pembaruan="",
        diperbarui_pada=None,
    )
    factories.InformasiPublikFactory(
        page=dip,
        kategori="dikecualikan",
        ringkasan="Data pribadi pemilih",
        periode_pembaruan="",
        diperbarui_pada=dt.date(2026, 1, 5),
        dasar_hukum_pengecualian="Pasal 17 huruf h Undang-Undang Nomor 14 Tahun 2008",
        uji_konsekuensi="Membuka NIK memungkinkan pemalsuan identitas pemilih.",
        jangka_waktu_pengecualian="Tanpa batas waktu",
    )
    html = client.get(dip.url).content.decode()

    def cell(ringkasan: str) -> str:
        return re.search(rf'<th scope="row">\s*{ringkasan}.*?</th>', html, re.S).group(0)

    periodic = cell("Laporan Keuangan")
    assert 'Terakhir diperbarui: <time datetime="2026-03-02">2 Maret 2026</time>' in periodic
    assert "Periode pembaruan: semester (enam bulan)" in periodic
    assert '<time datetime="2026-08-17">17 Agustus 2026</time>' in cell("Keputusan KPU Provinsi")
    assert "Periode pembaruan" not in cell("Keputusan KPU Provinsi")
    assert "Terakhir diperbarui: belum dicatat" in cell("Informasi bencana")

    excluded = cell("Data pribadi pemilih")
    assert '<time datetime="2026-01-05">5 Januari 2026</time>' in excluded
    assert 'href="#pengecualian-1"' in excluded
    basis = re.search(r'<li id="pengecualian-1">.*?</li>', html, re.S).group(0)
    assert "Data pribadi pemilih" in basis
    assert (
        "<dt><strong>Dasar hukum</strong></dt><dd>Pasal 17 huruf h Undang-Undang Nomor 14 Tahun 2008</dd>"
        in basis
    )
    assert (
        "<dt><strong>Uji konsekuensi</strong></dt>"
        "<dd>Membuka NIK memungkinkan pemalsuan identitas pemilih.</dd>" in basis
    )
    assert "<dt><strong>Jangka waktu pengecualian</strong></dt><dd>Tanpa batas waktu</dd>" in basis
    assert html.count('id="pengecualian-') == 1  # only excluded items carry a basis


# --- rows stored before these fields existed --------------------------------------------------------
def test_the_migration_fills_what_it_knows_and_invents_no_legal_text(dip, client):
    dip.last_published_at = dt.datetime(2026, 4, 30, 20, 0, tzinfo=dt.UTC)  # 1 May 2026 in WIB
    dip.save(update_fields=["last_published_at"])
    periodic = factories.InformasiPublikFactory(
        page=dip, kategori="berkala", periode_pembaruan="", diperbarui_pada=None
    )
    excluded = factories.InformasiPublikFactory(
        page=dip,
        kategori="dikecualikan",
        periode_pembaruan="",
        diperbarui_pada=None,
        dasar_hukum_pengecualian="",
        uji_konsekuensi="",
        jangka_waktu_pengecualian="",
    )
    other = factories.InformasiPublikFactory(
        page=dip, kategori="setiap-saat", periode_pembaruan="", diperbarui_pada=None
    )

    import_module("kpu_pages.migrations.0013_dip_upkeep").fill_existing_rows(apps, None)

    for entry in (periodic, other):
        entry.refresh_from_db()
        entry.full_clean()
    assert (periodic.periode_pembaruan, periodic.diperbarui_pada) == ("semester", dt.date(2026, 5, 1))
    assert (other.periode_pembaruan, other.diperbarui_pada) == ("", None)
    # An excluded row's basis and test are the PPID's to write, through the SOP chain: the migration
    # leaves them empty, the public page shows a dash, and the next edit asks for them.
    excluded.refresh_from_db()
    assert (excluded.dasar_hukum_pengecualian, excluded.uji_konsekuensi) == ("", "")
    with pytest.raises(ValidationError):
        excluded.full_clean()
    assert "Pasal 17 Undang-Undang" not in client.get(dip.url).content.decode()


# --- demo ------------------------------------------------------------------------------------------
def test_demo_dip_rows_are_valid_one_is_overdue_and_the_ppid_pages_cite_the_current_rules(client, home_page):
    from kpu_pages.demo import standar

    standar.load(home_page)
    dip = DaftarInformasiPublikPage.objects.get()
    entries = list(dip.entri.select_related("unit_penanggung_jawab"))
    for entry in entries:
        entry.full_clean()
    today = timezone.localdate()
    overdue = [entry.ringkasan for entry in entries if entry.is_periodic and entry.next_update_due() < today]
    assert overdue == ["Laporan Keuangan (LRA, Neraca, dan Catatan atas Laporan Keuangan)"]
    assert {entry.unit_penanggung_jawab.name for entry in entries if entry.unit_penanggung_jawab} >= {
        "PPID Pelaksana Bagian Keuangan, Umum, dan Logistik"
    }

    ppid = PPIDPage.objects.get()
    pages = [ppid, *ppid.get_children().live().specific()]
    html = {page.slug: client.get(page.url).content.decode() for page in pages}
    for slug, text in html.items():
        assert "Nomor 1 Tahun 2015" not in text and "Nomor 1 Tahun 2010" not in text, slug
    for slug in ("ppid", "profil-ppid"):
        assert "Peraturan KPU Nomor 22 Tahun 2023" in html[slug]
        assert "Peraturan KPU Nomor 11 Tahun 2024 dan Peraturan KPU Nomor 4 Tahun 2025" in html[slug]
        assert "Peraturan Komisi Informasi Nomor 1 Tahun 2021" in html[slug]
    for slug in ("ppid", "tata-cara-permohonan"):
        assert 'href="/layanan-informasi/permohonan/"' in html[slug]
        assert 'href="/layanan-informasi/status/"' in html[slug]
    assert 'href="/layanan-informasi/keberatan/"' in html["tata-cara-keberatan"]
    assert "Terakhir diperbarui:" in html["daftar-informasi-publik"]
