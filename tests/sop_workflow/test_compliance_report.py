"""The SOP compliance report ("Kepatuhan SOP"): figures, filters, exports, chart, access and query bound."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html import unescape

import pytest
from freezegun import freeze_time

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import Page, PageLogEntry, TaskState, Workflow, WorkflowState

from sop_workflow.bypass import BYPASS_ACTION
from sop_workflow.clock import WIB
from sop_workflow.compliance import percentile
from sop_workflow.models import SOPTask, SOPTaskState
from sop_workflow.sop import CHAINS, SOP_IDENTITY, Chain, Role, chain_steps
from tests import factories
from tests.conftest import PASSWORD
from tests.sop_workflow.admin_helpers import act, assert_refused, submit
from tests.sop_workflow.admin_helpers import login as admin_login
from tests.sop_workflow.test_admin_indonesian import recorder  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

URL = "/admin/reports/kepatuhan-sop/"
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=WIB)  # a Friday; the default period is 29-10 .. 27-11


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    """2026: 23 November is a Monday, 24 a Tuesday (office 07.30-16.00)."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=WIB)


def workflow_state(page, chain: Chain, user) -> WorkflowState:
    return WorkflowState.objects.create(
        content_type=page.content_type,
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=str(page.pk),
        workflow=Workflow.objects.get(name=CHAINS[chain].workflow_name),
        status=WorkflowState.STATUS_APPROVED,
        requested_by=user,
    )


def finished_step(state, step_key, started, finished, status=TaskState.STATUS_APPROVED, standard=None):
    """A step with chosen times: started_at is auto_now_add, so it is set afterwards."""
    page = Page.objects.get(pk=state.object_id).specific
    task_state = SOPTaskState.objects.create(
        workflow_state=state,
        revision=page.latest_revision or page.save_revision(),
        task=SOPTask.objects.get(step_key=step_key),
        status=status,
        finished_at=finished,
        standard_minutes=standard,
    )
    SOPTaskState.objects.filter(pk=task_state.pk).update(started_at=started)
    return task_state


#: (started, finished) of eight "terima" steps (standard 5 minutes) on articles.
#: Office minutes: 1, 2, 3, 4, 5, 5, 5, 12 -> median 4,5; p90 5 + 0,3 * 7 = 7,1; 7 of 8 within = 87,5%.
#: Wall minutes: 1, 2, 5, 5, 933, 934, 935, 942 -> median (5 + 933) / 2 = 469 = 7 jam 49 menit.
TERIMA_TIMES = [
    (at(23, 9), at(23, 9, 1)),
    (at(23, 9), at(23, 9, 2)),
    (at(23, 15, 59), at(24, 7, 32)),  # 1 minute on Monday, 2 on Tuesday morning
    (at(23, 15, 58), at(24, 7, 32)),
    (at(23, 10), at(23, 10, 5)),
    (at(23, 15, 57), at(24, 7, 32)),
    (at(23, 11), at(23, 11, 5)),
    (at(23, 15, 55), at(24, 7, 37)),  # 12 office minutes: late
]


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("admin", "admin@kpu.test", PASSWORD)


@pytest.fixture
def data(home_page, sop_users):
    """Known finished steps on articles (long chain) and a berita (short chain), and bypass publications."""
    author = sop_users[Role.PENGAMPU]
    artikel_index = factories.ArtikelIndexPageFactory(parent=home_page)
    berita_index = factories.BeritaIndexPageFactory(parent=home_page)
    artikel = factories.ArtikelPageFactory(parent=artikel_index, title="Artikel pemilih pemula", owner=author)
    artikel2 = factories.ArtikelPageFactory(parent=artikel_index, title="Artikel kedua", owner=author)
    berita = factories.BeritaPageFactory(parent=berita_index, title="Berita rapat pleno", owner=author)
    long_state = workflow_state(artikel, Chain.LONG, author)
    short_state = workflow_state(berita, Chain.SHORT, author)
    for started, finished in TERIMA_TIMES:
        finished_step(long_state, "terima", started, finished)
    # Sent back for correction: the approver's work, counted. Cancelled: not counted.
    finished_step(long_state, "validasi", at(24, 8), at(24, 8, 8), TaskState.STATUS_REJECTED, standard=10)
    finished_step(long_state, "validasi", at(24, 9), at(24, 9, 40), TaskState.STATUS_CANCELLED)
    # In progress: not finished, not counted.
    SOPTaskState.objects.create(
        workflow_state=long_state,
        revision=artikel.save_revision(),
        task=SOPTask.objects.get(step_key="kabag"),
        status=TaskState.STATUS_IN_PROGRESS,
    )
    # The berita, on the short chain: a late "terima" (30 minutes).
    finished_step(short_state, "terima", at(23, 12), at(23, 12, 30))
    # An old step, before the default period.
    finished_step(long_state, "tekmas", at(1, 9, month=9), at(1, 9, 20, month=9))
    # Publications outside the chain: two articles and a berita in the period, one article in September.
    for page, when in (
        (artikel, at(25, 10)),
        (artikel2, at(26, 10)),
        (berita, at(26, 11)),
        (artikel, at(2, 10, month=9)),
    ):
        PageLogEntry.objects.log_action(
            page, BYPASS_ACTION, user=sop_users[Role.WEB_ADMIN], data={"reason": "darurat"}, timestamp=when
        )
    return {"artikel": artikel, "berita": berita}


def login(user):
    """Sign in at NOW, when the report is read: a session lasts one working shift from its login."""
    with freeze_time(NOW):
        return admin_login(user)


def get(client, params=""):
    with freeze_time(NOW):
        return client.get(URL + params)


def get_path(client, path):
    """Any admin URL, requested at NOW too: the session began at NOW and lasts one shift from it."""
    with freeze_time(NOW):
        return client.get(path)


def rows(response) -> dict[str, list[str]]:
    """The step table's rows as text, keyed by the row header ("2. Pengelola Website: terima konsep")."""
    html = response.content.decode()
    table = html.split('class="listing sop-kepatuhan__tabel"')[1]
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        raw = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        cells = [unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell))).strip() for cell in raw]
        if cells and cells[0][:1].isdigit():
            found[cells[0]] = cells
    return found


TERIMA = "2. Pengelola Website: terima konsep"
VALIDASI = "3. Web Admin: koreksi & validasi"
TEKMAS = "4. Sub Koordinator Subbag Tekmas: koreksi & persetujuan"


def outside_count(response) -> str:
    html = response.content.decode()
    return re.search(r'class="sop-kepatuhan__di-luar-sop">\s*<strong>(\d+)</strong>', html).group(1)


# --- figures ------------------------------------------------------------------------------------
def test_percentile_interpolates_like_excel():
    assert percentile([1, 2, 3, 4, 5, 5, 5, 12], 0.5) == 4.5
    assert percentile([1, 2, 3, 4, 5, 5, 5, 12], 0.9) == pytest.approx(7.1)
    assert percentile([7], 0.9) == 7


def test_report_figures_for_known_steps(data, superuser):
    response = get(login(superuser))
    assert response.status_code == 200
    table = rows(response)
    # All periods default to the last 30 days; no kind or chain filter: the berita's step counts too.
    assert table[TERIMA][1] == "Pengelola Website"
    assert table[TERIMA][2] == "9"
    # Validasi: one step sent back after 8 minutes, judged by the 10 minutes recorded when it started.
    assert table[VALIDASI][2:] == [
        "1",
        "8 menit",
        "8 menit",
        "8 menit",
        "5 menit berbeda; tercatat pada langkah: 10 menit",
        "100% (1 dari 1)",
        "0",
    ]
    assert table[TEKMAS][2] == "0"  # the September step is outside the default period
    assert outside_count(response) == "3"


def test_report_figures_for_articles_exactly(data, superuser):
    response = get(login(superuser), "?kind=artikel")
    table = rows(response)
    assert table[TERIMA][2:] == [
        "8",
        "4,5 menit",
        "7,1 menit",
        "7 jam 49 menit",
        "5 menit",
        "87,5% (7 dari 8)",
        "0",
    ]
    assert outside_count(response) == "2"


def test_filters_by_kind_chain_and_period_change_the_figures(data, superuser):
    client = login(superuser)
    berita = rows(get(client, "?kind=berita"))
    assert berita[TERIMA][2:4] == ["1", "30 menit"]
    assert berita[TERIMA][7] == "0% (0 dari 1)"

    short = get(client, "?chain=short")
    assert rows(short)[TERIMA][2] == "1"
    assert "6. Sekretaris: koreksi & persetujuan" not in rows(short)  # not a step of SOP Ringkas
    assert outside_count(short) == "1"
    long = get(client, "?chain=long")
    assert rows(long)[TERIMA][2] == "8"
    assert "6. Sekretaris: koreksi & persetujuan" in rows(long)
    assert outside_count(long) == "2"

    september = get(client, "?finished_at_from=01-09-2026&finished_at_to=30-09-2026")
    table = rows(september)
    assert table[TERIMA][2] == "0"
    assert table[TEKMAS][2:4] == ["1", "20 menit"]
    assert outside_count(september) == "1"
    assert "periode 01-09-2026 s.d. 30-09-2026" in september.content.decode()


def test_default_period_is_the_last_30_days(data, superuser):
    response = get(login(superuser))
    assert "periode 29-10-2026 s.d. 27-11-2026" in response.content.decode()
    with freeze_time(dt.datetime(2027, 1, 15, 12, tzinfo=WIB)):
        later = admin_login(superuser).get(URL)
    assert rows(later)[TERIMA][2] == "0"
    assert outside_count(later) == "0"


def test_a_revised_standard_is_shown_with_the_recorded_one(data, superuser):
    SOPTask.objects.filter(step_key="terima").update(standard_minutes=10)
    table = rows(get(login(superuser), "?kind=artikel"))
    assert table[TERIMA][6] == "10 menit berbeda; tercatat pada langkah: 5 menit"
    assert table[TERIMA][7] == "87,5% (7 dari 8)"  # still judged by the standard recorded on each step


# --- exports ------------------------------------------------------------------------------------
HEADINGS = [
    "Baris",
    "Nomor langkah SOP",
    "Langkah",
    "Peran",
    "Jumlah selesai",
    "Median jam kerja (menit)",
    "Persentil ke-90 jam kerja (menit)",
    "Median waktu nyata (menit)",
    "Mutu baku berlaku (menit)",
    "Mutu baku tercatat (menit)",
    "Dalam mutu baku (%)",
    "Tertunda melewati mutu baku",
]


PREAMBLE_ROWS = 4  # period, filters, SOP number, a blank line; then the table


def csv_text(response) -> str:
    """The CSV as text, after checking it opens with a UTF-8 byte order mark (Excel reads it as UTF-8)."""
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    return raw.decode("utf-8-sig")


def csv_table(response) -> list[list[str]]:
    """The CSV's table (headings first), read with ";" between fields as Indonesian Excel reads it."""
    lines = list(csv.reader(io.StringIO(csv_text(response)), delimiter=";"))
    assert lines[PREAMBLE_ROWS - 1] == []
    return lines[PREAMBLE_ROWS:]


def test_csv_export_opens_with_bom_period_filters_and_sop_number(data, superuser):
    period = "finished_at_from=01-11-2026&finished_at_to=30-11-2026"
    response = get(login(superuser), f"?kind=artikel&chain=long&{period}&export=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeffPeriode (tanggal selesai);01-11-2026 s.d. 30-11-2026\r\n".encode())
    text = raw.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[1] == f"Filter;jenis Artikel, alur {CHAINS[Chain.LONG].workflow_name}"
    assert lines[2] == f"Nomor SOP;{SOP_IDENTITY.number}"
    assert lines[3] == ""
    assert lines[4].startswith("Baris;Nomor langkah SOP;Langkah;")
    assert list(csv.reader(io.StringIO(text), delimiter=";"))[PREAMBLE_ROWS] == HEADINGS


def test_csv_export_without_filters_says_so(data, superuser):
    lines = list(csv.reader(io.StringIO(csv_text(get(login(superuser), "?export=csv"))), delimiter=";"))
    assert lines[0] == ["Periode (tanggal selesai)", "29-10-2026 s.d. 27-11-2026"]  # the last 30 days
    assert lines[1] == ["Filter", "semua jenis konten, semua alur"]


def test_csv_export_has_the_figures(data, superuser):
    response = get(login(superuser), "?kind=artikel&export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = csv_table(response)
    assert lines[0] == HEADINGS
    terima = next(line for line in lines if line[1] == "2")
    assert terima == [
        "Langkah",
        "2",
        "Pengelola Website: terima konsep",
        "Pengelola Website",
        "8",
        "4,5",
        "7,1",
        "469,0",
        "5",
        "5",
        "87,5",
        "0",
    ]
    web_admin = next(line for line in lines if line[0] == "Peran" and line[3] == "Web Admin")
    assert web_admin[4] == "1"  # the role's steps 3 and 11 together
    assert lines[-1][0] == "Di luar SOP" and lines[-1][4] == "2"


def test_xlsx_export_has_the_figures(data, superuser):
    from openpyxl import load_workbook

    response = get(login(superuser), "?kind=artikel&export=xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Kepatuhan SOP"]
    sheet = workbook.active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:2] == ("Periode (tanggal selesai)", "29-10-2026 s.d. 27-11-2026")
    assert values[1][:2] == ("Filter", "jenis Artikel, semua alur")
    assert values[2][:2] == ("Nomor SOP", SOP_IDENTITY.number)
    assert all(value is None for value in values[3])
    assert list(values[PREAMBLE_ROWS]) == HEADINGS
    terima = next(row for row in values if row[1] == 2)
    assert terima[4:] == (8, 4.5, 7.1, 469.0, 5, 5, 87.5, 0)
    # Numbers are stored as numbers, not as text, so a spreadsheet can compute with them.
    cells = next(row for row in sheet.iter_rows() if row[1].value == 2)
    assert [cell.data_type for cell in cells[4:]] == ["n"] * 8
    assert values[-1][0] == "Di luar SOP" and values[-1][4] == 2


# --- chart --------------------------------------------------------------------------------------
def test_chart_is_an_accessible_inline_svg(data, superuser):
    html = get(login(superuser), "?kind=artikel").content.decode()
    svg = re.search(r"<svg[^>]*sop-kepatuhan__chart.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert 'aria-labelledby="kepatuhan-grafik-judul kepatuhan-grafik-uraian"' in svg
    assert (
        '<title id="kepatuhan-grafik-judul">Median waktu kerja per langkah SOP dibandingkan mutu baku</title>'
        in svg
    )
    assert "<desc" in svg and "tabel" in svg
    assert 'width="100%"' in svg and 'viewBox="0 0 360 ' in svg
    assert ">median 4,5 menit: memenuhi</text>" in svg and ">mutu baku 5 menit</text>" in svg
    assert "<script" not in html.split('id="listing-results"')[1].split("</svg>")[0]
    # Numbers in SVG attributes are never localised ("12,5" would break the drawing).
    assert not re.search(r'(?:width|x|x1|x2)="\d+,\d', svg)

    late = get(login(superuser), "?kind=berita").content.decode()
    assert ">median 30 menit: melebihi</text>" in late


def test_chart_labels_are_not_larger_than_headings_and_table_headings_wrap(data, superuser):
    html = get(login(superuser), "?kind=artikel").content.decode()
    svg_tag = re.search(r"<svg[^>]*sop-kepatuhan__chart[^>]*>", html, re.S).group(0)
    # The 360-unit drawing is scaled to at most max-width: 13-unit text must stay under the 22 px of
    # the w-h3 headings (1.375rem) and about the table's text.
    max_width_rem = float(re.search(r"max-width:([\d.]+)rem", svg_tag).group(1))
    label_px = 13 * max_width_rem * 16 / 360
    assert label_px <= 16
    # Wagtail's listing headings do not wrap; these nine may, so the table fits at 1280 px.
    table = html.split('class="listing sop-kepatuhan__tabel"')[1].split("</thead>")[0]
    headings = re.findall(r"<th scope=\"col\"([^>]*)>", table)
    assert len(headings) == 9 and all("white-space:normal" in attrs for attrs in headings)


# --- access -------------------------------------------------------------------------------------
ALLOWED = [Role.WEB_ADMIN, Role.TEKMAS, Role.KABAG_HTH, Role.SEKRETARIS, Role.KOMISIONER]
REFUSED = [Role.PENGAMPU, Role.PENGELOLA]


@pytest.mark.parametrize("role", ALLOWED)
def test_leadership_and_web_admin_open_the_report_and_see_it_in_the_menu(role, sop_users):
    client = login(sop_users[role])
    assert get(client).status_code == 200
    assert get(client, "?export=csv").status_code == 200
    assert "kepatuhan-sop" in get_path(client, reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_are_refused_by_direct_url_and_have_no_menu_item(role, sop_users):
    client = login(sop_users[role])
    assert_refused(get(client))
    assert_refused(get(client, "?export=xlsx"))
    assert_refused(get_path(client, "/admin/reports/kepatuhan-sop/results/"))
    assert "kepatuhan-sop" not in get_path(client, reverse("wagtailadmin_home")).content.decode()


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response.url


def test_superuser_sees_the_menu_item(superuser):
    html = get_path(login(superuser), reverse("wagtailadmin_home")).content.decode()
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    assert "Kepatuhan SOP" in json.dumps(json.loads(props), ensure_ascii=False)


# --- bounded queries ----------------------------------------------------------------------------
def test_query_count_does_not_grow_with_steps(data, superuser):
    client = login(superuser)
    get(client)  # warm caches (content types, site, settings)
    with CaptureQueriesContext(connection) as few:
        assert get(client).status_code == 200
    author = data["artikel"].owner
    state = WorkflowState.objects.filter(object_id=str(data["artikel"].pk)).first()
    for index in range(30):
        finished_step(state, "kabag", at(25, 9), at(25, 9, index + 1))
    page = factories.ArtikelPageFactory(parent=data["artikel"].get_parent(), owner=author)
    other = workflow_state(page, Chain.LONG, author)
    for index in range(10):
        finished_step(other, "komisioner", at(25, 10), at(25, 10, index + 1))
    with CaptureQueriesContext(connection) as many:
        response = get(client)
    assert rows(response)["5. Kabag HTH: koreksi & persetujuan"][2] == "30"
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    with CaptureQueriesContext(connection) as export:
        get(client, "?export=xlsx")
    assert len(export) <= len(few)


# --- through the admin --------------------------------------------------------------------------
def test_a_concept_driven_through_the_admin_shows_in_the_report(home_page, sop_users, superuser):
    """Each approver acts 10 office minutes after the step starts: steps of 5 minutes are late."""
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(parent=index, title="Berita uji", owner=sop_users[Role.PENGAMPU])
    page.unpublish()
    page.save_revision(user=sop_users[Role.PENGAMPU])
    moment = at(23, 8)
    with freeze_time(moment):
        assert submit(login(sop_users[Role.PENGAMPU]), page).status_code == 302
    for role in [step.role for step in chain_steps(Chain.SHORT)]:
        moment += dt.timedelta(minutes=10)
        with freeze_time(moment):
            assert act(login(sop_users[role]), page, "approve").status_code == 302
    table = rows(get(login(superuser), "?chain=short"))
    assert table[TERIMA][2:4] == ["1", "10 menit"]
    assert table[TERIMA][7] == "0% (0 dari 1)"  # standard 5 minutes
    assert table[TEKMAS][7] == "100% (1 dari 1)"  # standard 30 minutes
    assert table["11. Web Admin: unggah"][2] == "1"


# --- language -----------------------------------------------------------------------------------
def test_report_screens_read_in_indonesian(data, superuser, recorder):  # noqa: F811
    client = login(superuser)
    for where, params in (
        ("laporan", ""),
        ("laporan tersaring", "?kind=artikel&chain=long&finished_at_from=01-11-2026"),
        ("laporan tanggal salah", "?finished_at_from=bukan-tanggal"),
    ):
        recorder.where = where
        response = get(client, params)
        assert response.status_code == 200
    recorder.where = "hasil"
    with freeze_time(NOW):
        assert client.get(URL + "results/?kind=berita&_w_filter_fragment=1").status_code == 200
    assert not recorder.untranslated, dict(recorder.untranslated)


# --- late steps still pending, and runs that ended unpublished ------------------------------------
def concept(index, author, title):
    page = factories.BeritaPageFactory(parent=index, title=title, owner=author)
    page.unpublish()
    page.save_revision(user=author)
    return page


def test_a_step_pending_past_its_standard_and_a_cancelled_run_are_counted(home_page, sop_users, superuser):
    """Nothing finished "terima" in time, yet one concept has waited there since Monday: not 100%."""
    from sop_workflow.archive import ending_run

    author = sop_users[Role.PENGAMPU]
    index = factories.BeritaIndexPageFactory(parent=home_page)
    waiting = concept(index, author, "Berita menunggu")
    withdrawn = concept(index, author, "Berita ditarik")
    fresh = concept(index, author, "Berita baru diajukan")
    with freeze_time(at(23, 9)):
        submit(admin_login(author), waiting)
        submit(admin_login(author), withdrawn)
    with freeze_time(at(23, 9, 3)):
        act(admin_login(sop_users[Role.PENGELOLA]), withdrawn, "approve")
    with freeze_time(at(24, 10)):
        state = WorkflowState.objects.get(object_id=str(withdrawn.pk))
        with ending_run("cancelled", "Data belum final."):
            state.cancel(user=author)
    with freeze_time(NOW - dt.timedelta(minutes=2)):  # two minutes at "terima": not late yet
        submit(admin_login(author), fresh)

    response = get(login(superuser), "?chain=short")
    table = rows(response)
    # One "terima" finished within 3 minutes; one has waited four days: 1 of 2 within the standard.
    assert table[TERIMA][2] == "1"
    assert table[TERIMA][7] == "50% (1 dari 2)"
    assert table[TERIMA][8] == "1"
    assert rows(response)["3. Web Admin: koreksi & validasi"][8] == "0"  # cancelled with the run
    html = unescape(re.sub(r"\s+", " ", response.content.decode()))
    assert "1 langkah tertunda melewati mutu baku" in html
    assert "1 alur dibatalkan, 0 alur dimulai ulang" in html
    assert '<td class="sop-kepatuhan__jumlah-batal">1</td>' in html
    assert ">mutu baku 5 menit · 1 tertunda terlambat</text>" in html  # the chart says so too
    assert re.search(r'class="sop-kepatuhan__jumlah">.*?50% <small>\(1 dari 2\)</small>', html)

    lines = csv_table(get(login(superuser), "?chain=short&export=csv"))
    assert lines[0][-1] == "Tertunda melewati mutu baku"
    terima = next(line for line in lines if line[1] == "2")
    assert terima[4] == "1" and terima[-2] == "50,0" and terima[-1] == "1"
    cancelled = next(line for line in lines if line[0] == "Alur dibatalkan")
    assert cancelled[4] == "1"

    # The period filter: in September nothing was pending yet, and nothing was cancelled.
    september = get(login(superuser), "?chain=short&finished_at_from=01-09-2026&finished_at_to=30-09-2026")
    assert rows(september)[TERIMA][8] == "0"
    assert "0 alur dibatalkan" in unescape(re.sub(r"\s+", " ", september.content.decode()))
