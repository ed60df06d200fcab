"""factory_boy factories for every model the tests create. One place, shared by all test modules."""

import datetime as dt
import io

import factory
import wagtail_factories
from PIL import Image as PILImage

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wagtail.models import Collection

from kpu_pages import models


def png_bytes(width: int = 640, height: int = 360, color=(139, 20, 20)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def root_collection() -> Collection:
    """Uploads land in the root collection, as in the admin (wagtail-factories makes a new root each time)."""
    return Collection.get_first_root_node()


class ImageFactory(wagtail_factories.ImageFactory):
    collection = factory.LazyFunction(root_collection)
    title = factory.Sequence(lambda n: f"Foto {n}")
    file = factory.LazyFunction(lambda: SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png"))


class DocumentFactory(wagtail_factories.DocumentFactory):
    collection = factory.LazyFunction(root_collection)
    title = factory.Sequence(lambda n: f"Dokumen {n}")
    file = factory.LazyFunction(
        lambda: SimpleUploadedFile("dokumen.pdf", b"%PDF-1.4\n%EOF\n", content_type="application/pdf")
    )


class BeritaIndexPageFactory(wagtail_factories.PageFactory):
    title = "Berita"
    slug = "berita"

    class Meta:
        model = models.BeritaIndexPage


class LiputanKegiatanIndexPageFactory(wagtail_factories.PageFactory):
    title = "Liputan Kegiatan"
    slug = "liputan-kegiatan"

    class Meta:
        model = models.LiputanKegiatanIndexPage


class ArtikelIndexPageFactory(wagtail_factories.PageFactory):
    title = "Artikel"
    slug = "artikel"

    class Meta:
        model = models.ArtikelIndexPage


class NewsFactoryBase(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"KPU Jateng menggelar rapat koordinasi ke-{n}")
    tanggal = factory.Sequence(lambda n: timezone.now() - dt.timedelta(hours=n))
    kota = "Semarang"
    lead = "KPU Provinsi Jawa Tengah menggelar rapat koordinasi persiapan pemilihan."


class BeritaPageFactory(NewsFactoryBase):
    class Meta:
        model = models.BeritaPage


class LiputanKegiatanPageFactory(NewsFactoryBase):
    tanggal_kegiatan = factory.LazyFunction(lambda: timezone.localdate())
    tempat_kegiatan = "Aula KPU Provinsi Jawa Tengah"

    class Meta:
        model = models.LiputanKegiatanPage


class ArtikelPageFactory(NewsFactoryBase):
    penulis = "Dr. Siti Rahayu"
    bio_penulis = "Anggota KPU Provinsi Jawa Tengah."

    class Meta:
        model = models.ArtikelPage


# --- standar: Profil, Kontak, PPID ---------------------------------------------------------
class ProfilPageFactory(wagtail_factories.PageFactory):
    title = "Profil"
    slug = "profil"

    class Meta:
        model = models.ProfilPage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Halaman standar {n}")
    intro = "Ringkasan halaman untuk pembaca."

    class Meta:
        model = models.StandardPage


class AnggotaPageFactory(wagtail_factories.PageFactory):
    title = "Anggota"
    slug = "anggota"
    intro = "Ketua dan anggota KPU Provinsi Jawa Tengah."

    class Meta:
        model = models.AnggotaPage


class AnggotaKomisionerFactory(factory.django.DjangoModelFactory):
    nama = factory.Sequence(lambda n: f"Komisioner Nomor {n}, S.H.")
    jabatan = "Anggota"
    divisi = "Divisi Teknis Penyelenggaraan"
    bio = "Berpengalaman di bidang kepemiluan."
    sort_order = factory.Sequence(lambda n: n)  # as the admin's InlinePanel numbers them

    class Meta:
        model = models.AnggotaKomisioner


class StrukturOrganisasiPageFactory(wagtail_factories.PageFactory):
    title = "Struktur Organisasi"
    slug = "struktur-organisasi"
    struktur = "<ul><li>Ketua dan Anggota<ul><li>Sekretaris</li></ul></li></ul>"

    class Meta:
        model = models.StrukturOrganisasiPage


class KontakPageFactory(wagtail_factories.PageFactory):
    title = "Kontak"
    slug = "kontak"

    class Meta:
        model = models.KontakPage


class PPIDPageFactory(wagtail_factories.PageFactory):
    title = "PPID"
    slug = "ppid"

    class Meta:
        model = models.PPIDPage


class DaftarInformasiPublikPageFactory(wagtail_factories.PageFactory):
    title = "Daftar Informasi Publik"
    slug = "daftar-informasi-publik"

    class Meta:
        model = models.DaftarInformasiPublikPage


class InformasiPublikFactory(factory.django.DjangoModelFactory):
    sort_order = factory.Sequence(lambda n: n)
    kategori = models.KategoriInformasi.BERKALA
    ringkasan = factory.Sequence(lambda n: f"Laporan keuangan semester {n}")
    penguasa = "Subbagian Keuangan"
    penanggung_jawab = "Sekretaris KPU Provinsi Jawa Tengah"
    waktu_tempat = "Setiap semester, Kantor KPU Provinsi Jawa Tengah"
    bentuk = "cetak-elektronik"
    retensi = "10 tahun"
    jenis_media = "Situs web"
    periode_pembaruan = factory.LazyAttribute(lambda o: "semester" if o.kategori == "berkala" else "")
    diperbarui_pada = factory.LazyFunction(timezone.localdate)
    dasar_hukum_pengecualian = factory.LazyAttribute(
        lambda o: "Pasal 17 huruf h Undang-Undang Nomor 14 Tahun 2008" if o.kategori == "dikecualikan" else ""
    )
    uji_konsekuensi = factory.LazyAttribute(
        lambda o: "Membuka informasi ini mengungkap rahasia pribadi." if o.kategori == "dikecualikan" else ""
    )
    jangka_waktu_pengecualian = factory.LazyAttribute(
        lambda o: "Tanpa batas waktu" if o.kategori == "dikecualikan" else ""
    )

    class Meta:
        model = models.InformasiPublik


class RegulasiIndexPageFactory(wagtail_factories.PageFactory):
    title = "Regulasi"
    slug = "regulasi"

    class Meta:
        model = models.RegulasiIndexPage


class RegulasiPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(
        lambda n: f"Keputusan KPU Provinsi Jawa Tengah Nomor {n}/PL.02.1-Kpt/33/Prov/2024 tentang Penetapan"
    )
    jenis = "kepkpu-prov"
    nomor = factory.Sequence(lambda n: f"{n}/PL.02.1-Kpt/33/Prov/2024")
    tahun = 2024
    tanggal_penetapan = factory.Sequence(lambda n: dt.date(2024, 1, 1) + dt.timedelta(days=n))
    subjek = "PEMILU - DATA PEMILIH"
    abstrak = "Menetapkan pedoman teknis bagi KPU Kabupaten/Kota se-Jawa Tengah."
    dokumen = factory.SubFactory(DocumentFactory)

    class Meta:
        model = models.RegulasiPage


# --- Pengumuman, Dokumentasi, Bahan Sosialisasi ---------------------------------------------
class PengumumanIndexPageFactory(wagtail_factories.PageFactory):
    title = "Pengumuman"
    slug = "pengumuman"

    class Meta:
        model = models.PengumumanIndexPage


class PengumumanPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Pengumuman rekrutmen anggota PPS gelombang {n}")
    nomor_surat = factory.Sequence(lambda n: f"{100 + n}/PP.04.1-Pu/33/2026")
    tanggal = factory.LazyFunction(timezone.localdate)
    perihal = "Pendaftaran calon anggota Panitia Pemungutan Suara."
    jenis = "rekrutmen"

    class Meta:
        model = models.PengumumanPage


class DokumentasiIndexPageFactory(wagtail_factories.PageFactory):
    title = "Dokumentasi"
    slug = "dokumentasi"

    class Meta:
        model = models.DokumentasiIndexPage


class DokumentasiPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Rapat pleno terbuka ke-{n}")
    tanggal_kegiatan = factory.Sequence(lambda n: timezone.localdate() - dt.timedelta(days=n))
    tempat = "Aula KPU Provinsi Jawa Tengah"
    deskripsi = "Rapat pleno terbuka penetapan rekapitulasi daftar pemilih berkelanjutan."

    class Meta:
        model = models.DokumentasiPage


def gallery_photos(images, alt: str = "Peserta rapat pleno di aula") -> list:
    """StreamField data for DokumentasiPage.galeri: one photo block per image."""
    return [
        ("photo", {"image": image, "alt_text": f"{alt} {n}", "caption": f"Keterangan {n}", "credit": "Humas"})
        for n, image in enumerate(images)
    ]


class BahanSosialisasiIndexPageFactory(wagtail_factories.PageFactory):
    title = "Bahan Sosialisasi"
    slug = "bahan-sosialisasi"

    class Meta:
        model = models.BahanSosialisasiIndexPage


class BahanSosialisasiPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Poster ajakan memilih nomor {n}")
    jenis_bahan = "poster"
    sasaran = factory.LazyFunction(lambda: ["umum"])
    deskripsi = "Poster ajakan datang ke TPS."

    class Meta:
        model = models.BahanSosialisasiPage


# --- Data ----------------------------------------------------------------------------------
def data_document(content: bytes | str, name: str = "data.csv", title: str | None = None):
    """A Wagtail document holding a data table file (CSV text is encoded as UTF-8)."""
    if isinstance(content, str):
        content = content.encode("utf-8")
    return DocumentFactory(title=title or name, file=SimpleUploadedFile(name, content))


def data_table(title: str, document) -> models.DataTable:
    """A parsed (unsaved) table for a Data page, as the admin form would produce it."""
    table = models.DataTable(title=title, document=document)
    table.load_document()
    return table


class DataIndexPageFactory(wagtail_factories.PageFactory):
    title = "Data"
    slug = "data"

    class Meta:
        model = models.DataIndexPage


class DataPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Rekapitulasi data pemilih ke-{n}")
    as_of = factory.Sequence(lambda n: dt.date(2026, 9, 20) - dt.timedelta(days=n))
    basis = "Berita Acara Rapat Pleno Nomor 12/PL.02.1-BA/33/2026"
    level = "provinsi"
    description = "Rekapitulasi daftar pemilih tetap per kabupaten/kota di Jawa Tengah."

    class Meta:
        model = models.DataPage
