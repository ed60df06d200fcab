"""Uploads through the Wagtail admin, as the author (Pengampu) who uploads: judged by content.

Every refusal shows an Indonesian message on the form and leaves nothing behind: no database row and
no file in storage. Real files are made here: a PDF by ReportLab, an XLSX by openpyxl, a DOCX and an
ODT as the zips they are, PNGs by Pillow (one a decompression bomb).
"""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from PIL import Image as PILImage

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from sop_workflow.sop import Role
from tests.sop_workflow.admin_helpers import login

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image = get_image_model()


# --- Real files ---------------------------------------------------------------------------------
def pdf_bytes() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    sheet = canvas.Canvas(out)
    sheet.drawString(72, 720, "Pengumuman DPT Jawa Tengah")
    sheet.save()
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Kabupaten", "Pemilih"])
    book.active.append(["Kota Semarang", 1200000])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_bytes(main_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def plain_zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("rahasia.txt", "bukan dokumen")
    return out.getvalue()


def png_bytes(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, (139, 20, 20)).save(out, "PNG")
    return out.getvalue()


def bomb_png_bytes() -> bytes:
    # 20000 x 20000 = 400 million pixels of one colour: a few hundred KB compressed.
    out = io.BytesIO()
    PILImage.new("1", (20000, 20000), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"PE\x00\x00"
    + b"\x00" * 200
)


@pytest.fixture
def author(sop_users):
    return login(sop_users[Role.PENGAMPU])


def stored_files() -> set[str]:
    from django.conf import settings

    found = set()
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found.update(os.path.join(root, name) for name in files)
    return found


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


def add_document(client, name, content):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Lampiran uji",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


ACCEPTED_DOCUMENTS = [
    ("pengumuman.pdf", pdf_bytes),
    ("rekap.xlsx", xlsx_bytes),
    ("surat.docx", docx_bytes),
    ("notulen.odt", odt_bytes),
    ("foto.png", png_bytes),
    ("rekap.csv", lambda: "Kabupaten;Pemilih\nKota Semarang;1200000\nKab. Demak;Ä\n".encode("latin-1")),
]


@pytest.mark.parametrize(("name", "make"), ACCEPTED_DOCUMENTS, ids=[n for n, _ in ACCEPTED_DOCUMENTS])
def test_genuine_documents_are_accepted(author, name, make):
    response = add_document(author, name, make())
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get()
    assert document.file.name.endswith(os.path.splitext(name)[1])
    assert len(stored_files()) == 1


REFUSED_DOCUMENTS = [
    ("halaman.pdf", lambda: HTML_PAGE, "isinya jenis yang tidak dikenal"),
    ("program.pdf", lambda: EXE, "isinya berkas EXE"),
    ("arsip.docx", plain_zip_bytes, "isinya bukan dokumen .docx yang sah"),
    ("lembar.xlsx", docx_bytes, "namanya .xlsx, tetapi isinya berkas DOCX"),
    ("halaman.docx", lambda: HTML_PAGE, "isinya jenis yang tidak dikenal"),
    ("foto.png", pdf_bytes, "isinya berkas PDF"),
    ("gambar.svg", lambda: SVG_WITH_SCRIPT, "jenis berkas tidak diizinkan"),
    ("halaman.html", lambda: HTML_PAGE, "jenis berkas tidak diizinkan"),
    ("program.exe", lambda: EXE, "jenis berkas tidak diizinkan"),
    ("data.csv", lambda: b"a,b\x00c\n", "harus berupa teks"),
    ("data.csv", lambda: HTML_PAGE, "berisi HTML atau SVG"),
    ("kosong.pdf", lambda: b"", "Berkas yang dikirimkan kosong"),
]


@pytest.mark.parametrize(
    ("name", "make", "message"), REFUSED_DOCUMENTS, ids=[f"{n}-{m[:12]}" for n, _, m in REFUSED_DOCUMENTS]
)
def test_documents_that_are_not_what_they_claim_are_refused_and_nothing_is_kept(author, name, make, message):
    response = add_document(author, name, make())
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text, text[text.find("error") - 200 : text.find("error") + 800]
    assert not Document.objects.exists()
    assert stored_files() == set()


def test_an_oversize_document_is_refused_with_its_size(author, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 200 * 1024
    response = add_document(author, "besar.pdf", pdf_bytes() + b"%" * (300 * 1024))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Berkas terlalu besar" in text or "melebihi batas" in text
    assert not Document.objects.exists()
    assert stored_files() == set()


def test_multiple_upload_refuses_by_content_too(author):
    response = author.post(
        reverse("wagtaildocs:add_multiple"),
        {
            "files[]": SimpleUploadedFile("program.pdf", EXE),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 200
    payload = response.json()
    assert payload["success"] is False
    assert "isinya berkas EXE" in payload["error_message"]
    assert not Document.objects.exists()
    assert stored_files() == set()

    ok = author.post(
        reverse("wagtaildocs:add_multiple"),
        {
            "files[]": SimpleUploadedFile("pengumuman.pdf", pdf_bytes()),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert ok.json()["success"] is True
    assert Document.objects.count() == 1


def test_chooser_upload_refuses_by_content_too(author):
    response = author.post(
        reverse("wagtaildocs_chooser:create"),
        {
            "document-chooser-upload-title": "Lampiran",
            "document-chooser-upload-file": SimpleUploadedFile("halaman.pdf", HTML_PAGE),
            "document-chooser-upload-collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 200
    assert response.json()["step"] == "reshow_creation_form"
    assert "Berkas “halaman.pdf” ditolak" in response.json()["htmlFragment"]
    assert not Document.objects.exists()
    assert stored_files() == set()


def test_replacing_a_documents_file_with_a_fake_keeps_the_original(author):
    assert add_document(author, "pengumuman.pdf", pdf_bytes()).status_code == 302
    document = Document.objects.get()
    original_name, original_files = document.file.name, stored_files()
    response = author.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {
            "title": "Lampiran uji",
            "file": SimpleUploadedFile("pengganti.pdf", HTML_PAGE),
            "collection": document.collection_id,
        },
    )
    assert response.status_code == 200
    assert "Berkas “pengganti.pdf” ditolak" in response.content.decode()
    document.refresh_from_db()
    assert document.file.name == original_name
    assert stored_files() == original_files


# --- Images -------------------------------------------------------------------------------------
def add_image(client, name, content):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Foto uji",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_a_genuine_png_is_accepted(author):
    response = add_image(author, "foto.png", png_bytes())
    assert response.status_code == 302
    assert Image.objects.get().width == 40


REFUSED_IMAGES = [
    ("gambar.svg", lambda: SVG_WITH_SCRIPT, "Jenis gambar tidak diizinkan"),
    ("halaman.png", lambda: HTML_PAGE, "Isi berkas bukan gambar .png"),
    ("lampiran.jpg", pdf_bytes, "bukan gambar yang dapat dibaca"),
    ("foto.jpg", png_bytes, "Isi berkas bukan gambar .jpeg"),
    ("bom.png", bomb_png_bytes, "terlalu banyak piksel"),
]


@pytest.mark.parametrize(("name", "make", "message"), REFUSED_IMAGES, ids=[n for n, _, _ in REFUSED_IMAGES])
def test_bad_images_are_refused_and_nothing_is_kept(author, name, make, message):
    response = add_image(author, name, make())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files() == set()


def test_an_oversize_image_is_refused(author, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    response = add_image(author, "foto.png", png_bytes((400, 400)))
    assert "Gambar terlalu besar" in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files() == set()


def test_multiple_image_upload_refuses_a_bomb(author):
    response = author.post(
        reverse("wagtailimages:add_multiple"),
        {
            "files[]": SimpleUploadedFile("bom.png", bomb_png_bytes()),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    payload = response.json()
    assert payload["success"] is False
    assert "terlalu banyak piksel" in payload["error_message"]
    assert not Image.objects.exists()
    assert stored_files() == set()
