"""factory_boy factories for every model the tests create. One place, shared by all test modules."""

import datetime as dt
import io

import factory
import wagtail_factories
from PIL import Image as PILImage

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kpu_pages import models


def png_bytes(width: int = 640, height: int = 360, color=(139, 20, 20)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Foto {n}")
    file = factory.LazyFunction(lambda: SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png"))


class DocumentFactory(wagtail_factories.DocumentFactory):
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
