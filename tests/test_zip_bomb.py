"""ZIP bombs (kpu_site/zip_limits.py): refused with an Indonesian message, nothing kept, memory bounded.

The bombs are built here in little memory: the parts each check reads are genuine, followed by a
huge run of spaces packed by repeating one packed block. They go through the admin as the author
uploads them and through a Data page's table; memory is checked by ``tracemalloc`` during the request
and by a separate process under an address-space ceiling, so a check that unpacks a bomb fails there.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import random
import re
import struct
import subprocess
import sys
import tracemalloc
import zipfile
import zlib
from dataclasses import dataclass

import pytest

from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.models import Collection, Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from kpu_pages.models import DataPage
from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import login
from tests.test_uploads import add_document, stored_files, xlsx_bytes

pytestmark = pytest.mark.django_db

Document = get_document_model()
MB = 1024 * 1024
BOMB_MB = 1536  # 1.5 GB unpacked
MEMORY_CEILING = 100 * MB
XLSX_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DOCX_TYPES = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
ODT_TYPE = "application/vnd.oasis.opendocument.text"


# --- building ZIPs by hand ------------------------------------------------------------------------
@functools.cache
def packed_padding(prefix: bytes, megabytes: int) -> tuple[bytes, int]:
    """(raw deflate stream, CRC-32) of ``prefix`` followed by ``megabytes`` MB of spaces."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    spaces = b" " * MB
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    # after a full flush the packer starts afresh, so every further MB of spaces packs to the same bytes
    block = packer.compress(spaces) + packer.flush(zlib.Z_FULL_FLUSH)
    assert packer.compress(spaces) + packer.flush(zlib.Z_FULL_FLUSH) == block
    crc = zlib.crc32(prefix)
    for _ in range(megabytes):
        crc = zlib.crc32(spaces, crc)
    return head + block * megabytes + packer.flush(), crc


@dataclass
class Member:
    name: str
    data: bytes  # as stored
    size: int  # unpacked
    crc: int
    deflated: bool = True
    declared_size: int | None = None  # what the central directory says, if it lies

    @classmethod
    def text(cls, name: str, content: str | bytes) -> Member:
        content = content.encode() if isinstance(content, str) else content
        packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        return cls(name, packer.compress(content) + packer.flush(), len(content), zlib.crc32(content))

    @classmethod
    def padded(cls, name: str, content: str, megabytes: int = BOMB_MB, **kwargs) -> Member:
        """``content`` then ``megabytes`` MB of spaces (still the same XML, or the same ODF mimetype)."""
        data, crc = packed_padding(content.encode(), megabytes)
        return cls(name, data, len(content.encode()) + megabytes * MB, crc, **kwargs)


def zip_of(*members: Member) -> bytes:
    """A ZIP archive (PKWARE APPNOTE 4.3: local headers, central directory, end record)."""
    out, directory = io.BytesIO(), io.BytesIO()
    for member in members:
        name = member.name.encode()
        # version needed, flags, method (8 deflate, 0 stored), time, date (1 January 1980)
        common = (20, 0, 8 if member.deflated else 0, 0, 0x21)
        declared = member.size if member.declared_size is None else member.declared_size
        directory.write(
            struct.pack("<4sH5H3I5H2I", b"PK\x01\x02", 20, *common, member.crc, len(member.data), declared,
                        len(name), 0, 0, 0, 0, 0, out.tell()) + name
        )  # fmt: skip
        out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", *common, member.crc, len(member.data), member.size,
                              len(name), 0) + name)  # fmt: skip
        out.write(member.data)
    start = out.tell()
    out.write(directory.getvalue())
    count = len(members)
    out.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(directory.getvalue()), start, 0))
    return out.getvalue()


def content_types(main_type: str) -> str:
    return (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/main.xml" ContentType="{main_type}"/></Types>'
    )


@functools.cache
def bombs() -> dict[str, bytes]:
    """name -> content: the declaration each check reads is genuine, then 1.5 GB of spaces."""
    return {
        "bom.xlsx": zip_of(
            Member.padded("[Content_Types].xml", content_types(XLSX_TYPES)),
            Member.text("xl/workbook.xml", "<workbook/>"),
        ),
        "bom.docx": zip_of(
            Member.padded("[Content_Types].xml", content_types(DOCX_TYPES)),
            Member.text("word/document.xml", "<w:document/>"),
        ),
        "bom.odt": zip_of(
            Member.padded("mimetype", ODT_TYPE), Member.text("content.xml", "<office:document-content/>")
        ),
        # a directory that says 1 KB for the 1.5 GB member: nothing to refuse in the sizes it declares, and
        # Python's zipfile unpacks the member whole before cutting it to the size declared
        "bohong.xlsx": zip_of(
            Member.padded("[Content_Types].xml", content_types(XLSX_TYPES), declared_size=1024),
            Member.text("xl/workbook.xml", "<workbook/>"),
        ),
    }


REFUSALS = {
    "bom.xlsx": "ditolak: terlalu besar setelah dibuka (lebih dari 256 MB isi).",
    "bom.docx": "ditolak: terlalu besar setelah dibuka (lebih dari 256 MB isi).",
    "bom.odt": "ditolak: terlalu besar setelah dibuka (lebih dari 256 MB isi).",
    "bohong.xlsx": "ditolak: tidak sesuai dengan daftar isi arsipnya (bagian “[Content_Types].xml” lebih",
}

#: the Data page's parser holds a workbook to 25 MB unpacked
TABLE_REFUSALS = {
    "bom.xlsx": "terlalu besar setelah dibuka (lebih dari 25 MB isi).",
    "bohong.xlsx": "tidak sesuai dengan daftar isi arsipnya (bagian “[Content_Types].xml” lebih besar",
}


@contextlib.contextmanager
def python_memory_peak():
    """``tracemalloc``'s peak of Python allocations in the block, in bytes (``["peak"]`` after it)."""
    measured = {}
    tracemalloc.start()
    try:
        yield measured
    finally:
        measured["peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


@pytest.fixture
def author(sop_users):
    return login(sop_users[Role.PENGAMPU])


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


# --- the bombs are real ---------------------------------------------------------------------------
def test_the_bombs_are_zips_that_unpack_to_gigabytes():
    archive = zipfile.ZipFile(io.BytesIO(bombs()["bom.xlsx"]))
    info = archive.getinfo("[Content_Types].xml")
    declaration = content_types(XLSX_TYPES).encode()
    assert (info.file_size, len(bombs()["bom.xlsx"]) < 2 * MB) == (len(declaration) + BOMB_MB * MB, True)
    with archive.open(info) as member:
        assert member.read(MB) == declaration + b" " * (MB - len(declaration))  # and on to 1.5 GB
    liar = zipfile.ZipFile(io.BytesIO(bombs()["bohong.xlsx"]))
    assert liar.getinfo("[Content_Types].xml").file_size == 1024


# --- document uploads -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(REFUSALS))
def test_a_zip_bomb_upload_is_refused_in_indonesian_keeps_nothing_and_stays_small(author, name):
    with python_memory_peak() as memory:
        response = add_document(author, name, bombs()[name])
    assert memory["peak"] < MEMORY_CEILING, f"{memory['peak'] / MB:.0f} MB"
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Berkas “{name}” {REFUSALS[name]}" in html
    assert "Bila berkasnya asli, buka di Word, Excel atau LibreOffice" in html
    assert not Document.objects.exists()
    assert stored_files() == set()


def test_multiple_upload_and_the_choosers_upload_refuse_a_bomb_too(author):
    root = Collection.get_first_root_node().pk
    with python_memory_peak() as memory:
        response = author.post(
            reverse("wagtaildocs:add_multiple"),
            {"files[]": SimpleUploadedFile("bom.xlsx", bombs()["bom.xlsx"]), "collection": root},
        )
    assert memory["peak"] < MEMORY_CEILING, f"{memory['peak'] / MB:.0f} MB"
    assert response.json()["success"] is False
    assert REFUSALS["bom.xlsx"] in response.json()["error_message"]
    # the chooser's upload tab: how a Data page's table gets its file
    response = author.post(
        reverse("wagtaildocs_chooser:create"),
        {
            "document-chooser-upload-title": "Rekap DPT",
            "document-chooser-upload-file": SimpleUploadedFile("bohong.xlsx", bombs()["bohong.xlsx"]),
            "document-chooser-upload-collection": root,
        },
    )
    assert response.json()["step"] == "reshow_creation_form"
    assert REFUSALS["bohong.xlsx"] in response.json()["htmlFragment"]
    assert not Document.objects.exists()
    assert stored_files() == set()


def test_a_member_packed_tighter_than_any_office_file_is_refused(author):
    # 50 MB of spaces: within the total, but packed a thousand times
    docx = zip_of(
        Member.text("[Content_Types].xml", content_types(DOCX_TYPES)),
        Member.padded("word/document.xml", "<w:document/>", 50),
    )
    response = add_document(author, "padat.docx", docx)
    assert "ditolak: mengembang lebih dari 200 kali lipat saat dibuka (bagian “word/document.xml”" in (
        response.content.decode()
    )
    assert not Document.objects.exists()


def test_a_zip_of_too_many_parts_is_refused_before_its_directory_is_read(author):
    parts = [Member.text("[Content_Types].xml", content_types(XLSX_TYPES))]
    parts += [Member.text(f"xl/p{n}.xml", "") for n in range(10_001)]
    response = add_document(author, "banyak.xlsx", zip_of(*parts))
    assert "ditolak: terdiri atas terlalu banyak bagian (lebih dari 10.000)." in response.content.decode()
    assert not Document.objects.exists()


def test_a_damaged_part_is_still_refused_as_a_damaged_archive(author):
    declaration = Member.text("[Content_Types].xml", content_types(DOCX_TYPES))
    declaration.crc ^= 1
    response = add_document(
        author, "rusak.docx", zip_of(declaration, Member.text("word/document.xml", "<w/>"))
    )
    assert "Berkas “rusak.docx” ditolak: isinya bukan dokumen .docx yang sah (arsip rusak)." in (
        response.content.decode()
    )
    assert not Document.objects.exists()


def test_the_limits_are_settings(author, settings):
    settings.ZIP_MAX_UNPACKED_SIZE = 2 * MB
    response = add_document(author, "laporan.docx", genuine_files()["laporan.docx"])
    assert "ditolak: terlalu besar setelah dibuka (lebih dari 2 MB isi)." in response.content.decode()
    settings.ZIP_MAX_UNPACKED_SIZE = 256 * MB
    settings.ZIP_MAX_RATIO = 2
    response = add_document(author, "laporan.docx", genuine_files()["laporan.docx"])
    assert "ditolak: mengembang lebih dari 2 kali lipat saat dibuka (bagian “word/document.xml”" in (
        response.content.decode()
    )
    assert not Document.objects.exists()


# --- genuine files still upload -------------------------------------------------------------------
def results_xlsx(rows: int) -> bytes:
    """A workbook of vote counts per TPS, as big as a province's: openpyxl's workbook, a generated sheet."""
    rng = random.Random(33)
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, source.read(info))
                continue
            with archive.open(info.filename, "w") as sheet:
                sheet.write(
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                )
                for start in range(1, rows + 1, 1000):
                    chunk = []
                    for r in range(start, min(start + 1000, rows + 1)):
                        votes = [rng.randint(0, 150) for _ in range(12)]
                        cells = "".join(
                            f'<c r="{col}{r}"><v>{v}</v></c>'
                            for col, v in zip("DEFGHIJKLMNO", votes, strict=True)
                        )
                        chunk.append(
                            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>Kabupaten {r % 35}</t></is></c>'
                            f'<c r="B{r}" t="inlineStr"><is><t>Kecamatan {r // 300}</t></is></c>'
                            f'<c r="C{r}"><v>{r % 12 + 1}</v></c>{cells}</row>'
                        )
                    sheet.write("".join(chunk).encode())
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


@functools.cache
def genuine_files() -> dict[str, bytes]:
    rng = random.Random(7)
    photo = rng.randbytes(2 * MB)  # a JPEG's bytes do not pack
    paragraphs = "".join(
        f"<w:p><w:r><w:t>Rapat pleno ke-{n} menetapkan {rng.randint(1000, 99999)} pemilih.</w:t></w:r></w:p>"
        for n in range(60_000)
    )
    return {
        "hasil-per-tps.xlsx": results_xlsx(170_000),
        "laporan.docx": zip_of(
            Member.text("[Content_Types].xml", content_types(DOCX_TYPES)),
            Member.text("word/document.xml", f"<w:document><w:body>{paragraphs}</w:body></w:document>"),
            Member("word/media/image1.jpeg", photo, len(photo), zlib.crc32(photo), deflated=False),
        ),
        "notulen.odt": zip_of(
            Member(
                "mimetype", ODT_TYPE.encode(), len(ODT_TYPE), zlib.crc32(ODT_TYPE.encode()), deflated=False
            ),
            Member.text("content.xml", f"<office:document-content>{paragraphs}</office:document-content>"),
        ),
    }


@pytest.mark.parametrize("name", ["hasil-per-tps.xlsx", "laporan.docx", "notulen.odt"])
def test_genuine_office_files_still_upload(author, name):
    content = genuine_files()[name]
    if name.endswith(".xlsx"):  # a province's results per TPS: over 10 MB, and over 50 MB unpacked
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(content)).infolist())
        assert len(content) > 10 * MB and unpacked > 50 * MB, (len(content) / MB, unpacked / MB)
    response = add_document(author, name, content)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Document.objects.get().file.size == len(content)


# --- a Data page's table ---------------------------------------------------------------------------
def data_page_form(page, table, document) -> dict:
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "as_of": "2026-09-20",
            "level": "provinsi",
            "basis": page.basis,
            "description": page.description,
            "tables": inline_formset(
                [{"id": table.pk, "title": "Rekap baru", "document": document.pk, "ORDER": "1"}],
                initial=1,
                min=1,
            ),
            "comments": inline_formset([]),
        }
    )


@pytest.mark.parametrize("name", list(TABLE_REFUSALS))
def test_a_bomb_already_in_the_library_is_refused_on_a_data_page_and_nothing_changes(
    home_page, sop_users, name
):
    author = sop_users[Role.PENGAMPU]
    index = factories.DataIndexPageFactory(parent=home_page)
    table = factories.data_table("DPT", factories.data_document("Wilayah,Jumlah\nKota Tegal,5\n", "dpt.csv"))
    page = factories.DataPageFactory(parent=index, tables=[table], owner=author)
    page.save_revision(user=author).publish()
    page = DataPage.objects.get(pk=page.pk)
    table = page.tables.get()
    revisions = Revision.objects.filter(object_id=str(page.pk)).count()
    # stored before uploads were checked (or by a script): not through the upload form
    bomb = factories.data_document(bombs()[name], name)
    client = login(author)

    with python_memory_peak() as memory:
        response = client.post(f"/admin/pages/{page.pk}/edit/", data_page_form(page, table, bomb))

    assert memory["peak"] < MEMORY_CEILING, f"{memory['peak'] / MB:.0f} MB"
    assert response.status_code == 200
    errors = re.search(r'tabel-0-child-document-errors">(.{0,1500})', response.content.decode(), re.S).group(
        1
    )
    assert TABLE_REFUSALS[name] in errors
    assert Revision.objects.filter(object_id=str(page.pk)).count() == revisions
    table.refresh_from_db()
    assert (table.title, table.data["rows"][0]["nama"]) == ("DPT", "Kota Tegal")


# --- a separate process: its resident memory ------------------------------------------------------
VALIDATE_IN_A_PROCESS = """
import json, os, resource, sys
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from kpu_pages.data_tables import read_bytes
from kpu_site.uploads import validate_document_file

def run(check, name, content):
    try:
        check(content, name)
    except ValidationError as error:
        return " ".join(error.messages)
    return "diterima"

def document(content, name):
    validate_document_file(SimpleUploadedFile(name, content))

files = json.loads(sys.argv[1])
genuine = open(files.pop("genuine.xlsx"), "rb").read()
warm_up = [run(document, "genuine.xlsx", genuine), run(read_bytes, "genuine.xlsx", genuine)]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
with open("/proc/self/status") as status:
    size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
# a guard for the machine: code that unpacks a bomb fails here with MemoryError
resource.setrlimit(resource.RLIMIT_AS, (size + 1024 * 1024 * 1024, resource.RLIM_INFINITY))
answers = {}
for name, path in files.items():
    content = open(path, "rb").read()
    answers[name] = [run(document, name, content), run(read_bytes, name, content)]
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"warm_up": warm_up, "answers": answers, "before": before, "after": after}))
"""


def test_a_process_validating_every_bomb_grows_by_less_than_100_mb(tmp_path):
    files = {"genuine.xlsx": xlsx_bytes(), **bombs()}
    paths = {}
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
        paths[name] = str(tmp_path / name)
    result = subprocess.run(
        [sys.executable, "-c", VALIDATE_IN_A_PROCESS, json.dumps(paths)],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "kpu_site.settings.test"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["warm_up"] == ["diterima", "diterima"]
    for name, (as_document, as_table) in report["answers"].items():
        assert REFUSALS[name].removeprefix("ditolak: ") in as_document, as_document
        if name.endswith(".xlsx"):
            assert TABLE_REFUSALS[name] in as_table, as_table
    growth = report["after"] - report["before"]
    assert growth < MEMORY_CEILING, f"{growth / MB:.0f} MB"
