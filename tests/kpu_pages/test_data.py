"""Data pages: CSV/XLSX tables parsed on save, shown as accessible tables and charts, downloadable."""

import csv
import datetime as dt
import io
import re

import pytest

from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wagtail.documents.models import Document
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from kpu_pages.data_tables import MAX_BYTES, format_number, parse_number, read_bytes
from kpu_pages.data_tables import parse_grid as _parse_grid
from kpu_pages.models import BeritaIndexPage, DataIndexPage, DataPage, HomePage
from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import login

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "Wilayah,Laki-laki,Perempuan,Jumlah Pemilih\n"
    'Kota Semarang,"612.345","640.222","1.252.567"\n'
    'Kab. Cilacap,"790.001","781.000","1.571.001"\n'
    '33.72,"201.000","212.500","413.500"\n'
    'Jumlah,"1.603.346","1.633.722","3.237.068"\n'
)


def parse(content: bytes | str, name: str = "data.csv"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return _parse_grid(read_bytes(content, name))


def message_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def xlsx(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def data_index(home_page):
    return factories.DataIndexPageFactory(parent=home_page)


def make_page(index, content=GOOD_CSV, name="dpt.csv", **kwargs):
    tables = [factories.data_table("DPT per kabupaten/kota", factories.data_document(content, name))]
    return factories.DataPageFactory(parent=index, tables=tables, **kwargs)


# --- page tree ---------------------------------------------------------------------------------
def test_data_pages_are_created_only_under_the_data_index():
    assert DataPage.can_create_at(DataIndexPage())
    assert not DataPage.can_create_at(HomePage())
    assert not DataPage.can_create_at(BeritaIndexPage())
    assert DataIndexPage.can_create_at(HomePage())
    assert not DataIndexPage.can_create_at(DataIndexPage())


# --- parsing -----------------------------------------------------------------------------------
def test_indonesian_numbers_are_read_and_written_the_indonesian_way():
    assert parse_number("1.234.567") == 1234567
    assert parse_number("12,5") == 12.5
    assert parse_number("1.234,75") == 1234.75
    assert parse_number("12a") is None
    assert parse_number("12.5") is None  # a dot groups thousands: ambiguous, refused
    assert format_number(1234567) == "1.234.567"
    assert format_number(12.5) == "12,5"


def test_csv_with_bom_semicolons_and_indonesian_numbers_parses():
    content = (
        "\ufeffWilayah;Jumlah Pemilih;Persentase\r\n"
        "Kota Semarang;1.252.567;12,5\r\n"
        "Kabupaten Cilacap;1.571.001;7\r\n"
    )
    table = parse(content)
    assert table.headers == ["Wilayah", "Jumlah Pemilih", "Persentase"]
    assert table.numeric == [False, True, True]
    assert table.rows == [
        {"kode": "33.74", "nama": "Kota Semarang", "values": [1252567, 12.5]},
        {"kode": "33.01", "nama": "Kabupaten Cilacap", "values": [1571001, 7]},
    ]


def test_windows_1252_csv_parses_with_its_accented_header():
    content = 'Wilayah;Catatan – sumber;Jumlah\nKota Tegal;Rekap café;"1.000"\n'.encode("cp1252")
    table = parse(content)
    assert table.headers[1] == "Catatan – sumber"
    assert table.rows[0]["values"] == ["Rekap café", 1000]


def test_wilayah_is_matched_by_code_short_name_and_abbreviation_and_total_row_kept():
    table = parse(GOOD_CSV + "")
    assert [row["nama"] for row in table.rows] == ["Kota Semarang", "Kabupaten Cilacap", "Kota Surakarta"]
    assert table.total == {"label": "Jumlah", "values": [1603346, 1633722, 3237068]}
    assert parse("Wilayah,Jumlah\nCilacap,5\n3374,6\n").rows[1]["nama"] == "Kota Semarang"


def test_xlsx_first_sheet_parses_with_native_numbers():
    content = xlsx(
        [["Wilayah", "Jumlah TPS", "Rata-rata"], ["Kota Magelang", 245, 410.5], ["Total", 245, None]]
    )
    table = parse(content, "tps.xlsx")
    assert table.rows == [{"kode": "33.71", "nama": "Kota Magelang", "values": [245, 410.5]}]
    assert table.total["values"] == [245, None]


def test_xlsx_with_too_many_columns_is_refused_without_reading_them_all():
    content = xlsx([["Wilayah", *(f"Kolom {n}" for n in range(60))], ["Kota Tegal", *range(60)]])
    with pytest.raises(ValidationError) as excinfo:
        parse(content, "lebar.xlsx")
    assert "Baris 1: terlalu banyak kolom (paling banyak 50)." in message_of(excinfo)


def _rows(n: int) -> str:
    names = ["Kota Semarang", "Kota Tegal", "Kota Magelang", "Kota Salatiga", "Kota Pekalongan"]
    return "".join(f"{names[i]},{i + 1}\n" for i in range(n))


MALFORMED = [
    pytest.param(
        "Wilayah,Jumlah Pemilih\n" + _rows(5) + "Kota Surakarta,12a\n",
        "a.csv",
        'Baris 7, kolom "Jumlah Pemilih": "12a" bukan angka.',
        id="not-a-number",
    ),
    pytest.param(
        "Wilayah,Jumlah\n" + _rows(2) + "Kota Atlantis,3\n",
        "a.csv",
        'Baris 4, kolom "Wilayah": "Kota Atlantis" tidak dikenal sebagai kabupaten/kota di Jawa Tengah.',
        id="unknown-wilayah",
    ),
    pytest.param(
        "Wilayah,Jumlah\nSemarang,3\n",
        "a.csv",
        'Baris 2, kolom "Wilayah": "Semarang" bisa berarti Kabupaten Semarang atau Kota Semarang',
        id="ambiguous-wilayah",
    ),
    pytest.param(
        "Wilayah,Jumlah\nKota Tegal,1\nkota tegal,2\n",
        "a.csv",
        'Baris 3, kolom "Wilayah": Kota Tegal sudah ada di baris 2.',
        id="duplicated-wilayah",
    ),
    pytest.param(
        "Wilayah,Jumlah\nJumlah,3\nKota Tegal,3\n",
        "a.csv",
        'Baris 2, kolom "Wilayah": baris "Jumlah" harus menjadi baris terakhir.',
        id="total-not-last",
    ),
    pytest.param(
        "Wilayah,Jumlah,Laki-laki,jumlah\nKota Tegal,1,2,3\n",
        "a.csv",
        'Baris 1, kolom 4: judul kolom "jumlah" sudah dipakai di kolom 2.',
        id="duplicated-header",
    ),
    pytest.param(
        "Wilayah,Jumlah,Laki-laki\nKota Tegal,1,2\nKota Magelang,3\n",
        "a.csv",
        "Baris 3: berisi 2 kolom, padahal judul kolom ada 3.",
        id="ragged-row",
    ),
    pytest.param("", "a.csv", 'Berkas "a.csv" kosong.', id="empty-file"),
    pytest.param("Wilayah,Jumlah\n\n", "a.csv", "belum ada baris data", id="no-data-rows"),
    pytest.param(b"%PDF-1.4\n%EOF\n", "a.csv", "isinya PDF, bukan teks CSV", id="pdf-named-csv"),
    pytest.param(b"%PDF-1.4\n%EOF\n", "a.pdf", 'Berkas "a.pdf" bukan CSV atau XLSX.', id="pdf"),
    pytest.param("Wilayah,Jumlah\n", "a.xlsx", "isinya bukan berkas Excel XLSX", id="csv-named-xlsx"),
    pytest.param(
        "Wilayah,Jumlah\n" + "Kota Tegal,1\n" * 5001,
        "a.csv",
        "lebih dari 5000 baris data",
        id="too-many-rows",
    ),
]


@pytest.mark.parametrize(("content", "name", "expected"), MALFORMED)
def test_malformed_file_gives_a_clear_message_naming_row_and_column(content, name, expected):
    with pytest.raises(ValidationError) as excinfo:
        parse(content, name)
    assert expected in message_of(excinfo)


def test_file_over_the_size_limit_is_refused_before_parsing(data_index):
    document = factories.data_document("Wilayah,Jumlah\n" + "Kota Tegal,1\n" * (MAX_BYTES // 12 + 10))
    table = DataPage(title="x").tables.model(title="Besar", document=document)
    with pytest.raises(ValidationError) as excinfo:
        table.full_clean(exclude=["page"])
    assert "terlalu besar (lebih dari 5 MB)" in " ".join(excinfo.value.message_dict["document"])


# --- admin -------------------------------------------------------------------------------------
def _edit_data(page, table, document, title="DPT per kabupaten/kota"):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "as_of": "2026-09-20",
            "level": "provinsi",
            "basis": page.basis,
            "description": page.description,
            "tables": inline_formset(
                [{"id": table.pk, "title": title, "document": document.pk, "ORDER": "1"}], initial=1, min=1
            ),
            "comments": inline_formset([]),
        }
    )


def test_malformed_upload_in_admin_shows_message_on_the_field_and_saves_nothing(admin_client, data_index):
    page = make_page(data_index)
    page.save_revision().publish()
    table = page.tables.get()
    revisions = Revision.objects.filter(object_id=str(page.pk)).count()
    bad = factories.data_document("Wilayah,Jumlah Pemilih\n" + _rows(5) + "Kota Surakarta,12a\n", "rusak.csv")

    response = admin_client.post(f"/admin/pages/{page.pk}/edit/", _edit_data(page, table, bad, "Tabel baru"))

    assert response.status_code == 200
    html = response.content.decode()
    message = "Baris 7, kolom &quot;Jumlah Pemilih&quot;: &quot;12a&quot; bukan angka."
    # shown on the table's document field, not only somewhere on the page
    assert re.search(r'tabel-0-child-document-errors">.{0,800}?' + re.escape(message), html, re.S)
    assert Revision.objects.filter(object_id=str(page.pk)).count() == revisions
    table.refresh_from_db()
    assert table.title == "DPT per kabupaten/kota"
    assert table.document_id != bad.pk
    assert table.data["rows"][0]["nama"] == "Kota Semarang"


def test_valid_upload_in_admin_stores_parsed_rows_in_the_new_revision(admin_client, data_index):
    page = make_page(data_index)
    table = page.tables.get()
    good = factories.data_document('Wilayah;Jumlah\nKota Salatiga;"150.321"\n', "baru.csv")

    response = admin_client.post(f"/admin/pages/{page.pk}/edit/", _edit_data(page, table, good, "Tabel baru"))

    assert response.status_code == 302
    latest = DataPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    stored = latest.tables.all()[0]
    assert stored.title == "Tabel baru"
    assert stored.data["rows"] == [{"kode": "33.73", "nama": "Kota Salatiga", "values": [150321]}]


# --- public pages ------------------------------------------------------------------------------
def test_detail_shows_an_accessible_table_with_indonesian_numbers(client, data_index):
    page = make_page(data_index, title="Rekapitulasi DPT Pilkada 2026", as_of=dt.date(2026, 9, 20))
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rekapitulasi DPT Pilkada 2026" in html
    assert "<caption" in html and "DPT per kabupaten/kota" in html
    assert '<th scope="col" class="num">Jumlah Pemilih</th>' in html
    assert '<th scope="row">Kota Semarang</th>' in html
    assert '<td class="num">1.252.567</td>' in html
    assert re.search(r'class="table-wrap" role="region" aria-labelledby="[^"]+" tabindex="0"', html)
    assert "Berita Acara Rapat Pleno Nomor 12/PL.02.1-BA/33/2026" in html
    assert "20 September 2026" in html


def test_detail_draws_a_labelled_svg_bar_chart_of_the_first_numeric_column(client, data_index):
    page = make_page(data_index)
    html = client.get(page.url).content.decode()
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert 'aria-label="Grafik batang Laki-laki per kabupaten/kota.' in svg
    assert "<title>Grafik batang Laki-laki per kabupaten/kota</title>" in svg
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert len(widths) == 3  # one bar per kabupaten/kota, the Jumlah row is not drawn
    assert widths[1] == max(widths)  # Cilacap has the most men
    assert "<script" not in svg


def test_csv_download_matches_the_table_and_opens_in_excel(client, data_index):
    page = make_page(data_index, title="Rekap DPT")
    response = client.get(page.url + "unduh/1.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="rekap-dpt-tabel-1.csv"'
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows == [
        ["Wilayah", "Laki-laki", "Perempuan", "Jumlah Pemilih"],
        ["Kota Semarang", "612345", "640222", "1252567"],
        ["Kabupaten Cilacap", "790001", "781000", "1571001"],
        ["Kota Surakarta", "201000", "212500", "413500"],
        ["Jumlah", "1603346", "1633722", "3237068"],
    ]
    assert client.get(page.url + "unduh/2.csv").status_code == 404
    assert client.get(page.url + "unduh/0.csv").status_code == 404


def test_original_file_is_offered_for_download(client, data_index):
    page = make_page(data_index)
    document = page.tables.get().document
    html = client.get(page.url).content.decode()
    assert f'href="{document.url}"' in html
    assert "Unduh berkas asli" in html
    assert f'href="{page.url}unduh/1.csv"' in html


def test_public_page_does_not_read_the_file_again(client, data_index):
    page = make_page(data_index)
    document = page.tables.get().document
    document.file.delete(save=False)  # the stored rows must be enough
    response = client.get(page.url)
    assert response.status_code == 200
    assert "1.252.567" in response.content.decode()


def test_listing_is_newest_first_paginated_and_bounded_in_queries(client, data_index):
    for _ in range(3):
        make_page(data_index)
    url = data_index.url

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx), response

    few, _ = measure()
    for _ in range(9):
        make_page(data_index)
    many, response = measure()
    assert many <= few, f"{many} queries for 10 items vs {few} for 3"
    html = response.content.decode()
    titles = re.findall(r'card__title"><a href="[^"]+">([^<]+)<', html)
    assert len(titles) == 10
    assert titles[0] == DataPage.objects.live().order_by("-as_of").first().title
    assert "Halaman 1 dari 2" in html


def test_detail_queries_do_not_grow_with_the_number_of_tables(client, data_index):
    one = make_page(data_index)
    documents = [factories.data_document(GOOD_CSV, f"t{n}.csv") for n in range(4)]
    four = factories.DataPageFactory(
        parent=data_index, tables=[factories.data_table(f"Tabel {n}", doc) for n, doc in enumerate(documents)]
    )

    def count(page):
        client.get(page.url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page.url).status_code == 200
        return len(ctx)

    assert count(four) <= count(one)


# --- demo ------------------------------------------------------------------------------------
def test_demo_loader_is_idempotent_and_every_demo_data_page_renders(client, home_page):
    from kpu_pages.demo import data

    created = data.load(home_page)
    assert created >= 5
    assert data.load(HomePage.objects.get(pk=home_page.pk)) == 0
    pages = DataPage.objects.live()
    assert pages.count() == created
    dpt = pages.get(title="Rekapitulasi DPT Pilkada 2026 per Kabupaten/Kota")
    assert len(dpt.tables.first().data["rows"]) == 35
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert page.title in response.content.decode()
        assert client.get(page.url + "unduh/1.csv").status_code == 200
    assert client.get("/data/").status_code == 200


def test_editor_preview_shows_the_rows_of_a_newly_uploaded_file(admin_client, data_index):
    page = make_page(data_index)
    table = page.tables.get()
    new = factories.data_document('Wilayah;Jumlah\nKota Pekalongan;"98.765"\n', "baru.csv")
    url = f"/admin/pages/{page.pk}/edit/preview/"
    response = admin_client.post(url, _edit_data(page, table, new, "Tabel pratinjau"))
    assert response.json()["is_valid"] is True
    html = admin_client.get(url).content.decode()
    assert '<th scope="row">Kota Pekalongan</th>' in html
    assert "98.765" in html
    assert '<th scope="row">Kota Semarang</th>' not in html


# --- bad files through the admin, as the author ----------------------------------------------------
def _xlsx_parts(parts: dict[str, bytes]) -> bytes:
    """A ZIP with these parts, for XLSX files no spreadsheet program would write."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    return buffer.getvalue()


def _xlsx_bomb() -> bytes:
    """A normal workbook plus a shared-strings part of 40 MB of one repeated string: a few KB packed."""
    import zipfile

    buffer = io.BytesIO(xlsx([["Wilayah", "Jumlah"], ["Kota Tegal", 1]]))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings2.xml", b"<si><t>a</t></si>" * (40 * 1024 * 1024 // 17))
    return buffer.getvalue()


def _xlsx_with_formula() -> bytes:
    return xlsx([["Wilayah", "Laki-laki", "Perempuan", "Jumlah"], ["Kota Tegal", 10, 12, "=B2+C2"]])


BAD_UPLOADS = [
    pytest.param(
        'Wilayah,Jumlah\nKota Tegal,"12\nKota Magelang,3\n',
        "kutip.csv",
        "tanda kutip tidak tertutup atau format CSV rusak",
        id="unclosed-quote",
    ),
    pytest.param(
        "Wilayah,Jumlah,Laki-laki\nKota Tegal,1,2\nKota Magelang,3\n",
        "ragged.csv",
        "Baris 3: berisi 2 kolom, padahal judul kolom ada 3.",
        id="ragged-rows",
    ),
    pytest.param("Wilayah;Jumlah\n", "judul.csv", "hanya berisi judul kolom", id="only-a-header"),
    # the storage may rename the file (kosong_AbC123.csv), so the name is not part of the expectation
    pytest.param(b"", "kosong.csv", '" kosong.', id="empty"),
    pytest.param(bytes(range(256)) * 8, "acak.csv", "bukan teks CSV (isinya biner)", id="binary-garbage"),
    pytest.param(
        b"PK\x03\x04 bukan zip", "rusak.xlsx", "rusak dan tidak dapat dibuka sebagai XLSX", id="corrupt"
    ),
    pytest.param(
        _xlsx_parts({"xl/workbook.xml": b"<workbook>tidak lengkap", "[Content_Types].xml": b"<x/>"}),
        "setengah.xlsx",
        "tidak dapat dibaca sebagai XLSX",
        id="corrupt-workbook",
    ),
    pytest.param(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"EncryptedPackage",
        "terkunci.xlsx",
        "dilindungi kata sandi atau berformat Excel 97-2003",
        id="password-protected",
    ),
    pytest.param(
        _xlsx_bomb(), "bom.xlsx", "terlalu besar setelah dibuka (lebih dari 25 MB isi)", id="zip-bomb"
    ),
    pytest.param(
        _xlsx_with_formula(),
        "rumus.xlsx",
        "baris 2, kolom 4: sel berisi rumus =B2+C2 tanpa hasil yang tersimpan",
        id="formula-without-value",
    ),
    pytest.param(
        "Wilayah,Jumlah\n" + "Kota Tegal,1\n" * (MAX_BYTES // 12 + 10),
        "besar.csv",
        "terlalu besar (lebih dari 5 MB)",
        id="over-5-mb",
    ),
]


@pytest.fixture
def authors_live_page(data_index, sop_users):
    author = sop_users[Role.PENGAMPU]
    page = make_page(data_index, owner=author)
    page.save_revision(user=author).publish()
    return author, DataPage.objects.get(pk=page.pk)


@pytest.mark.parametrize(("content", "name", "expected"), BAD_UPLOADS)
def test_bad_file_through_the_admin_names_the_problem_and_changes_nothing(
    authors_live_page, content, name, expected
):
    author, page = authors_live_page
    table = page.tables.get()
    latest = page.get_latest_revision()
    revisions = Revision.objects.filter(object_id=str(page.pk)).count()
    documents = Document.objects.count()
    bad = factories.data_document(content, name)

    response = login(author).post(f"/admin/pages/{page.pk}/edit/", _edit_data(page, table, bad, "Tabel baru"))

    assert response.status_code == 200
    html = response.content.decode()
    errors = re.search(r'tabel-0-child-document-errors">(.{0,1500})', html, re.S).group(1)
    assert expected.replace('"', "&quot;") in errors
    # the saved page is untouched: no new revision, the same latest revision, the same live table
    assert Revision.objects.filter(object_id=str(page.pk)).count() == revisions
    assert DataPage.objects.get(pk=page.pk).get_latest_revision().pk == latest.pk
    assert Document.objects.count() == documents + 1  # only the upload itself, in the library
    table.refresh_from_db()
    assert (table.title, table.document_id) == ("DPT per kabupaten/kota", page.tables.get().document_id)
    assert table.data["rows"][0]["nama"] == "Kota Semarang"
    assert "Kota Semarang" in Client().get(page.url).content.decode()


ENCODINGS = [
    pytest.param("utf-8-sig", id="utf-8-bom"),
    pytest.param("cp1252", id="windows-1252"),
    pytest.param("latin-1", id="latin-1"),
    pytest.param("utf-16", id="utf-16-bom"),
]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_csv_in_each_common_encoding_is_read_with_its_accents(encoding):
    content = "Wilayah;Jumlah Pemilih;Keterangan\nKota Tegal;1.234;Pemutakhiran café ×2\n".encode(encoding)
    table = parse(content, "pemilih.csv")
    assert table.headers == ["Wilayah", "Jumlah Pemilih", "Keterangan"]
    assert table.rows == [{"kode": "33.76", "nama": "Kota Tegal", "values": [1234, "Pemutakhiran café ×2"]}]


def test_xlsx_with_several_sheets_reads_the_first_sheet_only():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Wilayah", "Jumlah"])
    workbook.active.append(["Kota Tegal", 5])
    other = workbook.create_sheet("Catatan")
    other.append(["Kota Atlantis", "bukan data"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = parse(buffer.getvalue(), "dua-lembar.xlsx")
    assert table.rows == [{"kode": "33.76", "nama": "Kota Tegal", "values": [5]}]


def test_xlsx_declaring_a_sheet_of_a_million_rows_and_16384_columns_reads_only_its_cells():
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx([["Wilayah", "Jumlah"], ["Kota Tegal", 7]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:B2" />' in content
                content = content.replace(b'ref="A1:B2"', b'ref="A1:XFD1048576"')
            archive.writestr(info.filename, content)
    assert read_bytes(buffer.getvalue(), "luas.xlsx") == [["Wilayah", "Jumlah"], ["Kota Tegal", 7]]


# --- numbers line up ---------------------------------------------------------------------------
TPS_CSV = (
    "Wilayah,Jumlah TPS,Rata-rata Pemilih per TPS,Keterangan\n"
    'Kota Semarang,"3.120","8",lengkap\n'
    'Kab. Cilacap,"2.950","7,1",lengkap\n'
    '33.72,"1.004","12,25",-\n'
    'Jumlah,"7.074","9",\n'
)


def test_numbers_of_a_column_show_the_same_decimals_and_sit_on_the_right(client, data_index):
    page = make_page(data_index, content=TPS_CSV, name="tps.csv", title="TPS per kabupaten/kota")
    html = client.get(page.url).content.decode()
    body = html[html.index("<tbody>") : html.index("</tfoot>")]
    rows = [re.findall(r"<td([^>]*)>([^<]*)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)]
    averages = [cells[1][1] for cells in rows]
    assert averages == ["8,00", "7,10", "12,25", "9,00"]  # the total row too
    assert [cells[0][1] for cells in rows] == ["3.120", "2.950", "1.004", "7.074"]  # whole numbers stay whole
    for cells in rows:
        assert cells[0][0] == cells[1][0] == ' class="num"'  # right-aligned (static/css/site.css)
        assert cells[2][0] == ""  # the text column stays on the left


def test_chart_values_are_written_like_their_column(client, data_index):
    page = make_page(
        data_index, content='Wilayah,Rata-rata\nKota Semarang,8\nKab. Cilacap,"7,1"\n', name="r.csv"
    )
    svg = re.search(r"<svg[^>]*>.*?</svg>", client.get(page.url).content.decode(), re.S).group(0)
    assert re.findall(r'class="data-chart__value">([^<]*)<', svg) == ["8,0", "7,1"]
