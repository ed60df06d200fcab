"""The SOP clock where a step is seen (dashboard, edit screen), reminders and escalation.

November 2026: the 20th is a Friday, 21-22 the weekend, 23 a Monday, 24 a Tuesday. Office hours are
the default working week (Monday-Thursday 07.30-16.00, Friday 07.30-16.30 WIB).
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from io import StringIO

import pytest
from freezegun import freeze_time

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import Page

from sop_workflow.clock import WIB
from sop_workflow.models import HariLibur, SOPReminder
from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import act, current_step, login, submit

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("wagtailadmin_home")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def berita_index(home_page):
    return factories.BeritaIndexPageFactory(parent=home_page)


@pytest.fixture
def new_berita(berita_index, sop_users):
    def make(title: str):
        page = factories.BeritaPageFactory(parent=berita_index, title=title, owner=sop_users[Role.PENGAMPU])
        page.unpublish()
        return page

    return make


def submitted(new_berita, sop_users, title: str):
    """A Berita (short chain) submitted by its author through the admin, at the frozen time."""
    page = new_berita(title)
    assert submit(login(sop_users[Role.PENGAMPU]), page).status_code == 302
    assert current_step(page) == "terima"
    return page


def remind(capture, *args: str) -> tuple[str, list]:
    """Run ``manage.py sop_remind``; return its output and the emails it sent."""
    before = len(mail.outbox)
    out = StringIO()
    with capture(execute=True):
        call_command("sop_remind", *args, stdout=out, stderr=StringIO())
    return out.getvalue(), mail.outbox[before:]


def panel(html: str, panel_id: str) -> str:
    match = re.search(rf'<section[^>]*id="{panel_id}-section".*?</section>', html, re.S)
    return match.group(0) if match else ""


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# --- time left / late where a step is seen -------------------------------------------------------


def test_late_step_reads_late_on_the_reviewers_dashboard_and_edit_screen(new_berita, sop_users):
    with freeze_time(at(23, 9)) as frozen:
        page = submitted(new_berita, sop_users, "Rapat pleno rekapitulasi")
        reviewer = login(sop_users[Role.PENGELOLA])

        frozen.move_to(at(23, 9, 2))
        awaiting = text(panel(reviewer.get(DASHBOARD).content.decode(), "awaiting-review"))
        assert "Menunggu tinjauan Anda" in awaiting
        assert "Rapat pleno rekapitulasi" in awaiting
        assert "Berita" in awaiting
        assert "Pengelola Website: terima konsep" in awaiting
        assert "sisa 3 menit" in awaiting

        frozen.move_to(at(23, 9, 12))
        awaiting = text(panel(reviewer.get(DASHBOARD).content.decode(), "awaiting-review"))
        assert "terlambat 7 menit" in awaiting
        edit = text(reviewer.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode())
        assert "Langkah Pengelola Website: terlambat 7 menit" in edit
        assert "mutu baku 5 menit jam kerja" in edit


def test_the_author_sees_the_clock_on_dashboard_and_edit_screen_but_no_review_row(new_berita, sop_users):
    with freeze_time(at(23, 9)) as frozen:
        page = submitted(new_berita, sop_users, "Sosialisasi pemilih pemula")
        author = login(sop_users[Role.PENGAMPU])
        frozen.move_to(at(23, 9, 1))
        dashboard = author.get(DASHBOARD).content.decode()
        assert panel(dashboard, "awaiting-review") == ""
        mine = text(panel(dashboard, "objects-in-workflow"))
        assert "Sosialisasi pemilih pemula Menunggu Pengelola Website: terima konsep sisa 4 menit" in mine
        edit = text(author.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode())
        assert "Langkah Pengelola Website: sisa 4 menit" in edit


def test_awaiting_review_lists_the_most_urgent_first(new_berita, sop_users):
    with freeze_time(at(23, 9)) as frozen:
        submitted(new_berita, sop_users, "Pertama diajukan")
        frozen.move_to(at(23, 9, 2))
        submitted(new_berita, sop_users, "Kedua diajukan")
        frozen.move_to(at(23, 9, 4))
        submitted(new_berita, sop_users, "Ketiga diajukan")
        frozen.move_to(at(23, 9, 6))
        dashboard = login(sop_users[Role.PENGELOLA]).get(DASHBOARD).content.decode()
        awaiting = text(panel(dashboard, "awaiting-review"))
    positions = [awaiting.index(title) for title in ("Pertama", "Kedua", "Ketiga")]
    assert positions == sorted(positions), awaiting
    assert "Pertama diajukan Berita Pengelola Website: terima konsep ⚠ terlambat 1 menit" in awaiting
    assert "Ketiga diajukan Berita Pengelola Website: terima konsep sisa 3 menit" in awaiting


def test_awaiting_review_keeps_the_approve_dropdown_and_it_approves(new_berita, sop_users):
    with freeze_time(at(23, 9)):
        page = submitted(new_berita, sop_users, "Tombol setujui")
        reviewer = login(sop_users[Role.PENGELOLA])
        awaiting = panel(reviewer.get(DASHBOARD).content.decode(), "awaiting-review")
        assert "data-w-dropdown-target" in awaiting
        task_state = Page.objects.get(pk=page.pk).current_workflow_task_state
        approve_url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
        assert f'data-workflow-action-url="{approve_url}"' in awaiting
        assert ">Setujui</button>" in awaiting
        assert reviewer.post(approve_url, {}).status_code == 302
    assert current_step(page) == "validasi"


def test_the_author_in_the_steps_role_is_not_asked_to_review_own_concept(new_berita, sop_users):
    author = sop_users[Role.PENGAMPU]
    author.groups.add(*sop_users[Role.PENGELOLA].groups.all())
    with freeze_time(at(23, 9)):
        submitted(new_berita, sop_users, "Konsep sendiri")
        assert panel(login(author).get(DASHBOARD).content.decode(), "awaiting-review") == ""


# --- "Terlambat di seluruh SOP" -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        (Role.WEB_ADMIN, True),
        (Role.KABAG_HTH, True),
        (Role.SEKRETARIS, True),
        ("superuser", True),
        (Role.PENGAMPU, False),
        (Role.PENGELOLA, False),
        (Role.TEKMAS, False),
        (Role.KOMISIONER, False),
    ],
)
def test_overdue_panel_is_shown_to_web_admin_kabag_sekretaris_only(
    new_berita, sop_users, django_user_model, who, sees
):
    from tests.conftest import PASSWORD

    with freeze_time(at(23, 9)) as frozen:
        submitted(new_berita, sop_users, "Terlambat di langkah terima")
        frozen.move_to(at(23, 10, 5))
        if who == "superuser":
            user = django_user_model.objects.create_superuser("admin", "admin@kpu.test", PASSWORD)
        else:
            user = sop_users[who]
        overdue = text(panel(login(user).get(DASHBOARD).content.decode(), "sop-overdue"))
    if not sees:
        assert overdue == ""
        return
    assert "Terlambat di seluruh SOP" in overdue
    assert "Terlambat di langkah terima" in overdue
    assert "Pengelola Website: terima konsep" in overdue  # step
    assert "terlambat 1 jam" in overdue  # 65 office minutes against 5
    assert "Pengelola" in overdue  # who it waits for: the Pengelola Website member


def test_overdue_panel_lists_only_late_steps(new_berita, sop_users):
    with freeze_time(at(23, 9)) as frozen:
        submitted(new_berita, sop_users, "Sudah terlambat")
        frozen.move_to(at(23, 9, 10))
        submitted(new_berita, sop_users, "Masih dalam waktu")
        frozen.move_to(at(23, 9, 12))
        overdue = text(panel(login(sop_users[Role.KABAG_HTH]).get(DASHBOARD).content.decode(), "sop-overdue"))
    assert "Sudah terlambat" in overdue
    assert "Masih dalam waktu" not in overdue


# --- reminders and escalation -----------------------------------------------------------------------


def test_a_late_step_is_reminded_once_to_its_role_not_to_the_author(
    new_berita, sop_users, django_capture_on_commit_callbacks
):
    author = sop_users[Role.PENGAMPU]
    author.groups.add(*sop_users[Role.PENGELOLA].groups.all())  # the author also manages the website
    with freeze_time(at(23, 9)) as frozen:
        page = submitted(new_berita, sop_users, "Pengumuman DPT")
        frozen.move_to(at(23, 9, 4))
        out, sent = remind(django_capture_on_commit_callbacks)
        assert sent == []
        assert "0 pengingat, 0 eskalasi dikirim" in out

        frozen.move_to(at(23, 9, 6))
        out, sent = remind(django_capture_on_commit_callbacks)
        assert "1 pengingat, 0 eskalasi dikirim" in out
        assert [m.to for m in sent] == [["pengelola@kpu.test"]]
        assert "Pengingat: Pengumuman DPT melewati mutu baku" in sent[0].subject
        assert "Terlambat : 1 menit" in sent[0].body
        assert f"http://testserver/admin/pages/{page.pk}/edit/" in sent[0].body

        frozen.move_to(at(23, 9, 8))
        out, sent = remind(django_capture_on_commit_callbacks)
        assert sent == []
        assert "0 pengingat, 0 eskalasi dikirim" in out
    assert SOPReminder.objects.filter(threshold="late").count() == 1


def test_escalation_at_twice_the_standard_goes_once_to_the_next_role(
    new_berita, sop_users, django_capture_on_commit_callbacks
):
    with freeze_time(at(23, 9)) as frozen:
        page = submitted(new_berita, sop_users, "Hasil rekapitulasi")
        frozen.move_to(at(23, 9, 7))
        _, sent = remind(django_capture_on_commit_callbacks)
        assert [m.to for m in sent] == [["pengelola@kpu.test"]]

        frozen.move_to(at(23, 9, 10))  # exactly twice the standard: not yet past it
        _, sent = remind(django_capture_on_commit_callbacks)
        assert sent == []

        frozen.move_to(at(23, 9, 11))
        out, sent = remind(django_capture_on_commit_callbacks)
        assert "0 pengingat, 1 eskalasi dikirim" in out
        assert [m.to for m in sent] == [["webadmin@kpu.test"]]  # the next step of the chain: Web Admin
        body = sent[0].body
        assert "Eskalasi" in sent[0].subject and "Hasil rekapitulasi" in sent[0].subject
        assert "Pengelola Website: terima konsep" in body
        assert "Terlambat : 6 menit" in body
        assert "Menunggu : Pengelola" in body
        assert f"http://testserver/admin/pages/{page.pk}/edit/" in body

        frozen.move_to(at(23, 11))
        out, sent = remind(django_capture_on_commit_callbacks)
        assert sent == []


def test_a_step_far_past_both_thresholds_gets_reminder_and_escalation_in_one_run(
    new_berita, sop_users, django_capture_on_commit_callbacks
):
    with freeze_time(at(23, 9)) as frozen:
        page = submitted(new_berita, sop_users, "Langsung dua")
        for role in (Role.PENGELOLA, Role.WEB_ADMIN):
            act(login(sop_users[role]), page, "approve")
        assert current_step(page) == "tekmas"
        frozen.move_to(at(23, 11))
        out, sent = remind(django_capture_on_commit_callbacks)
    assert "1 pengingat, 1 eskalasi dikirim" in out
    assert sorted(m.to[0] for m in sent) == ["kabaghth2@kpu.test", "kabaghth@kpu.test", "tekmas@kpu.test"]


def test_the_last_step_escalates_to_kabag_hth(new_berita, sop_users, django_capture_on_commit_callbacks):
    with freeze_time(at(23, 9)) as frozen:
        page = submitted(new_berita, sop_users, "Siap unggah")
        for role in (Role.PENGELOLA, Role.WEB_ADMIN, Role.TEKMAS, Role.KABAG_HTH):
            act(login(sop_users[role]), page, "approve")
        assert current_step(page) == "unggah"
        frozen.move_to(at(23, 9, 20))
        _, sent = remind(django_capture_on_commit_callbacks)
    escalations = sorted(m.to[0] for m in sent if "Eskalasi" in m.subject)
    assert escalations == ["kabaghth2@kpu.test", "kabaghth@kpu.test"]


def test_dry_run_sends_and_records_nothing(new_berita, sop_users, django_capture_on_commit_callbacks):
    with freeze_time(at(23, 9)) as frozen:
        submitted(new_berita, sop_users, "Uji coba")
        frozen.move_to(at(23, 9, 30))
        out, sent = remind(django_capture_on_commit_callbacks, "--dry-run")
        assert sent == []
        assert "1 pengingat, 1 eskalasi akan dikirim" in out
        assert "pengelola@kpu.test" in out and "webadmin@kpu.test" in out
        assert not SOPReminder.objects.exists()
        _, sent = remind(django_capture_on_commit_callbacks)
        assert len(sent) == 2


def tekmas_step_started_friday_1620(new_berita, sop_users):
    with freeze_time(at(20, 16)) as frozen:
        page = submitted(new_berita, sop_users, "Konsep Jumat sore")
        act(login(sop_users[Role.PENGELOLA]), page, "approve")
        frozen.move_to(at(20, 16, 20))
        act(login(sop_users[Role.WEB_ADMIN]), page, "approve")
    assert current_step(page) == "tekmas"  # 30-minute standard
    return page


def test_office_hours_a_step_started_friday_1620_is_late_only_on_monday_0751(
    new_berita, sop_users, django_capture_on_commit_callbacks
):
    page = tekmas_step_started_friday_1620(new_berita, sop_users)
    reviewer = login(sop_users[Role.TEKMAS])
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    with freeze_time(at(21, 12)) as frozen:  # Saturday
        assert "sisa 20 menit" in text(panel(reviewer.get(DASHBOARD).content.decode(), "awaiting-review"))
        out, sent = remind(django_capture_on_commit_callbacks)
        assert sent == [] and "0 pengingat" in out

        frozen.move_to(at(23, 7, 49))  # Monday, one office minute left
        assert "sisa 1 menit" in text(reviewer.get(edit_url).content.decode())
        assert remind(django_capture_on_commit_callbacks)[1] == []

        frozen.move_to(at(23, 7, 51))
        assert "terlambat 1 menit" in text(reviewer.get(edit_url).content.decode())
        out, sent = remind(django_capture_on_commit_callbacks)
        assert [m.to for m in sent] == [["tekmas@kpu.test"]]
        assert "1 pengingat, 0 eskalasi dikirim" in out


def test_a_holiday_on_monday_moves_the_deadline_to_tuesday(
    new_berita, sop_users, django_capture_on_commit_callbacks
):
    HariLibur.objects.create(tanggal=dt.date(2026, 11, 23), nama="Cuti bersama", jenis="cuti")
    page = tekmas_step_started_friday_1620(new_berita, sop_users)
    reviewer = login(sop_users[Role.TEKMAS])
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    with freeze_time(at(23, 7, 51)) as frozen:
        assert "sisa 20 menit" in text(reviewer.get(edit_url).content.decode())
        assert remind(django_capture_on_commit_callbacks)[1] == []
        frozen.move_to(at(24, 7, 51))
        assert "terlambat 1 menit" in text(reviewer.get(edit_url).content.decode())
        assert [m.to for m in remind(django_capture_on_commit_callbacks)[1]] == [["tekmas@kpu.test"]]


def test_a_finished_step_is_never_reminded(new_berita, sop_users, django_capture_on_commit_callbacks):
    with freeze_time(at(23, 9)) as frozen:
        page = submitted(new_berita, sop_users, "Cepat disetujui")
        frozen.move_to(at(23, 9, 3))
        act(login(sop_users[Role.PENGELOLA]), page, "approve")  # terima done within its standard
        frozen.move_to(at(23, 9, 5))
        act(login(sop_users[Role.WEB_ADMIN]), page, "reject", comment="Judul kurang jelas.")
        assert Page.objects.get(pk=page.pk).current_workflow_state.status == "needs_changes"
        frozen.move_to(at(24, 12))  # both steps would be far past their standards had they not moved on
        out, sent = remind(django_capture_on_commit_callbacks)
    assert sent == []
    assert "0 pengingat, 0 eskalasi dikirim" in out
    assert not SOPReminder.objects.exists()


def test_a_step_that_moved_on_after_being_late_gets_no_escalation(
    new_berita, sop_users, django_capture_on_commit_callbacks
):
    with freeze_time(at(23, 9)) as frozen:
        page = submitted(new_berita, sop_users, "Terlambat lalu disetujui")
        frozen.move_to(at(23, 9, 6))
        assert len(remind(django_capture_on_commit_callbacks)[1]) == 1
        act(login(sop_users[Role.PENGELOLA]), page, "approve")
        frozen.move_to(at(23, 9, 8))
        assert remind(django_capture_on_commit_callbacks)[1] == []  # validasi is within its standard
    assert list(SOPReminder.objects.values_list("threshold", flat=True)) == ["late"]


# --- query bounds ----------------------------------------------------------------------------------


def start_many(new_berita, sop_users, count: int, offset: int = 0) -> None:
    """``count`` Berita in moderation at the first step, started directly (fast)."""
    author = sop_users[Role.PENGAMPU]
    for number in range(offset, offset + count):
        page = new_berita(f"Berita nomor {number}")
        page.save_revision(user=author)
        page.get_workflow().start(page, author)


def count_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_dashboard_queries_do_not_grow_with_items_in_moderation(new_berita, sop_users):
    with freeze_time(at(23, 9)) as frozen:
        start_many(new_berita, sop_users, 3)
        frozen.move_to(at(23, 10))
        reviewer, overseer = login(sop_users[Role.PENGELOLA]), login(sop_users[Role.WEB_ADMIN])
        author = login(sop_users[Role.PENGAMPU])
        reviewer.get(DASHBOARD), overseer.get(DASHBOARD), author.get(DASHBOARD)  # warm caches
        few_reviewer, _ = count_queries(reviewer, DASHBOARD)
        few_overseer, _ = count_queries(overseer, DASHBOARD)
        few_author, _ = count_queries(author, DASHBOARD)

        frozen.move_to(at(23, 9, 1))
        start_many(new_berita, sop_users, 27, offset=3)
        frozen.move_to(at(23, 10))
        many_reviewer, html = count_queries(reviewer, DASHBOARD)
        # the 20 most urgent, then a link to all of them
        awaiting = panel(html, "awaiting-review")
        assert awaiting.count("data-sop-step=") == 20
        assert "Berita nomor 0" in awaiting and "Berita nomor 29" not in awaiting
        assert "Lihat semua (30)" in text(awaiting) and 'href="?semua=tinjauan"' in awaiting
        every_reviewer, html = count_queries(reviewer, DASHBOARD + "?semua=tinjauan")
        assert panel(html, "awaiting-review").count("data-sop-step=") == 30
        assert "Lihat semua" not in text(panel(html, "awaiting-review"))
        many_overseer, html = count_queries(overseer, DASHBOARD)
        assert panel(html, "sop-overdue").count("data-sop-step=") == 20
        assert "Lihat semua (30)" in text(panel(html, "sop-overdue"))
        every_overseer, html = count_queries(overseer, DASHBOARD + "?semua=terlambat")
        assert panel(html, "sop-overdue").count("data-sop-step=") == 30
        many_author, html = count_queries(author, DASHBOARD)
        mine = text(panel(html, "objects-in-workflow"))
        assert len(re.findall(r"terlambat 5[45] menit", mine)) == 20 and "Lihat semua (30)" in mine
        every_author, html = count_queries(author, DASHBOARD + "?semua=diajukan")
        assert len(re.findall(r"terlambat 5[45] menit", text(panel(html, "objects-in-workflow")))) == 30
    assert many_reviewer == few_reviewer == every_reviewer
    assert many_overseer == few_overseer == every_overseer
    assert many_author == few_author
    assert every_author <= few_author + 2  # Wagtail's own query for all, instead of the count and 20


def test_sop_remind_queries_do_not_grow_with_items(new_berita, sop_users):
    with freeze_time(at(23, 9)) as frozen:
        start_many(new_berita, sop_users, 3)
        frozen.move_to(at(23, 10))
        call_command("sop_remind", "--dry-run", stdout=StringIO())  # warm caches (content types, settings)
        with CaptureQueriesContext(connection) as few:
            call_command("sop_remind", "--dry-run", stdout=StringIO())
        frozen.move_to(at(23, 9, 1))
        start_many(new_berita, sop_users, 27, offset=3)
        frozen.move_to(at(23, 10))
        out = StringIO()
        with CaptureQueriesContext(connection) as many:
            call_command("sop_remind", "--dry-run", stdout=out)
    assert "30 pengingat, 30 eskalasi akan dikirim" in out.getvalue()
    assert len(many) == len(few)


# --- sent once, even by concurrent runs ---------------------------------------------------------------


def test_a_notice_recorded_by_another_run_is_not_sent_again(
    new_berita, sop_users, django_capture_on_commit_callbacks
):
    """The unique (step, threshold) row is what stops a second run that read the list before it."""
    from sop_workflow import reminders

    with freeze_time(at(23, 9)):
        submitted(new_berita, sop_users, "Dua proses sekaligus")
    outcome = reminders.remind(now=at(23, 9, 7), dry_run=True)
    [notice] = outcome.sent
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders._send(notice, at(23, 9, 7)) is True
        assert reminders._send(notice, at(23, 9, 8)) is False  # the other run, a moment later
    assert [m.to for m in mail.outbox if "Pengingat" in m.subject] == [["pengelola@kpu.test"]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not settings.IS_POSTGRESQL, reason="row locking is tested on PostgreSQL (CI runs it there)"
)
def test_two_runs_at_the_same_moment_send_one_reminder(home_page, sop_users):
    import threading

    from sop_workflow import reminders

    index = factories.BeritaIndexPageFactory(parent=home_page)
    with freeze_time(at(23, 9)):
        page = factories.BeritaPageFactory(parent=index, title="Balapan", owner=sop_users[Role.PENGAMPU])
        page.unpublish()
        submit(login(sop_users[Role.PENGAMPU]), page)
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    outcomes = []

    def run():
        try:
            barrier.wait(timeout=10)
            outcomes.append(reminders.remind(now=at(23, 9, 7)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == 2
    assert sorted(len(outcome.sent) for outcome in outcomes) == [0, 1]
    assert [m.to for m in mail.outbox if "Pengingat" in m.subject] == [["pengelola@kpu.test"]]
    assert SOPReminder.objects.count() == 1
