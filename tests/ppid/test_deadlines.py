"""Deadlines in working days of the office calendar (weekends and HariLibur rows skipped), each with a
frozen clock: the answer (10), the one extension (7 from the first deadline), the objection window (30),
the Atasan PPID's answer (30) and the way to the Komisi Informasi (14), as the admin shows them."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from django.urls import reverse

from ppid.models import Objection
from ppid.rules import Role
from sop_workflow.models import HariLibur
from tests.ppid.test_admin_support import make_request, ppid_users
from tests.sop_workflow.admin_helpers import login

pytestmark = pytest.mark.django_db

HOLIDAYS = {
    dt.date(2026, 12, 24): "Cuti bersama Natal",
    dt.date(2026, 12, 25): "Hari Raya Natal",
    dt.date(2027, 1, 1): "Tahun Baru 2027 Masehi",
    dt.date(2027, 1, 8): "Libur daerah (uji)",
    dt.date(2027, 3, 8): "Libur nasional (uji)",
}


@pytest.fixture
def holidays(db):
    for day, name in HOLIDAYS.items():
        HariLibur.objects.create(tanggal=day, nama=name)


def test_ten_working_days_skip_weekends_and_holidays(holidays):
    # Friday 18 December 2026, after office hours: 21-23 Dec, 28-31 Dec, 4-6 Jan (24, 25 Dec and 1 Jan closed)
    with freeze_time("2026-12-18 16:45:00+07:00"):
        friday = make_request()
    # received on a Saturday or on a holiday: the count starts on the next open day all the same
    with freeze_time("2026-12-19 10:00:00+07:00"):
        saturday = make_request(email="sabtu@contoh.id")
    with freeze_time("2026-12-25 10:00:00+07:00"):
        christmas = make_request(email="natal@contoh.id")
    assert friday.due_on == saturday.due_on == dt.date(2027, 1, 6)
    assert christmas.due_on == dt.date(2027, 1, 12)  # 28 December to 12 January, 1 and 8 January closed


def test_the_one_extension_adds_seven_working_days_to_the_first_deadline(holidays):
    users = ppid_users()
    with freeze_time("2026-12-18 16:45:00+07:00"):
        req = make_request()
    with freeze_time("2027-01-04 09:00:00+07:00"):  # Monday, before the deadline of Wednesday 6 January
        client = login(users[Role.PPID])
        form = client.get(reverse("ppid_permohonan:extend", args=[req.pk])).content.decode()
        # 7, 11, 12, 13, 14, 15, 18 January (Friday 8 January closed)
        assert "dari <strong>6 Januari 2027</strong> menjadi <strong>18 Januari 2027</strong>" in form
        client.post(reverse("ppid_permohonan:extend", args=[req.pk]), {"reason": "Arsip masih dihimpun."})
    req.refresh_from_db()
    assert req.due_on == dt.date(2027, 1, 18)
    with freeze_time("2027-01-15 09:00:00+07:00"):  # Friday: Monday's deadline is one working day away
        client = login(users[Role.PPID])
        queue = client.get(reverse("ppid_permohonan:index")).content.decode()
        assert "18 Januari 2027" in queue and "<strong>1 hari kerja lagi</strong>" in queue
        again = client.post(
            reverse("ppid_permohonan:extend", args=[req.pk]), {"reason": "Masih belum lengkap."}
        )
        assert again.status_code == 302
    req.refresh_from_db()
    assert req.due_on == dt.date(2027, 1, 18)
    with freeze_time("2027-01-20 09:00:00+07:00"):  # Wednesday: two working days late
        queue = login(users[Role.DESK]).get(reverse("ppid_permohonan:index")).content.decode()
        assert "terlambat 2 hari kerja" in queue


def test_the_objection_window_counts_from_the_answer_or_the_missed_deadline(holidays):
    users = ppid_users()
    with freeze_time("2026-12-18 16:45:00+07:00"):
        answered = make_request()
        unanswered = make_request(email="lain@contoh.id")
    with freeze_time("2027-01-04 09:00:00+07:00"):
        unanswered.extend("Arsip masih dihimpun.", users[Role.PPID])  # due Monday 18 January
    with freeze_time("2027-01-15 14:00:00+07:00"):
        answered.record_answer(
            decision="ditolak", answer="Ditolak.", user=users[Role.PPID], legal_basis="Pasal 17"
        )
        # thirty working days after the day of the answer (15 January): 26 February
        assert answered.objection_deadline() == dt.date(2027, 2, 26)
        assert unanswered.objection_deadline() is None  # still within its deadline: no ground yet
        page = (
            login(users[Role.PPID])
            .get(reverse("ppid_permohonan:detail", args=[answered.pk]))
            .content.decode()
        )
        assert "Batas pengajuan keberatan</dt><dd>26 Februari 2027" in page
    with freeze_time("2027-01-19 09:00:00+07:00"):
        # unanswered past Monday 18 January: the ground arises on the 19th, thirty working days after it
        assert unanswered.objection_deadline() == dt.date(2027, 3, 2)


def test_the_superior_answers_within_thirty_working_days_then_fourteen_for_the_commission(holidays):
    users = ppid_users()
    with freeze_time("2027-01-11 09:00:00+07:00"):
        req = make_request()
    with freeze_time("2027-01-20 09:00:00+07:00"):
        req.record_answer(
            decision="ditolak", answer="Ditolak.", user=users[Role.PPID], legal_basis="Pasal 17"
        )
    with freeze_time("2027-02-01 10:00:00+07:00"):  # Monday
        objection = Objection.receive(request=req, ground="a", reason="Saya keberatan.")
    # 2 February to 16 March: 30 working days, Monday 8 March closed
    assert objection.due_on == dt.date(2027, 3, 16)
    with freeze_time("2027-03-16 11:00:00+07:00"):
        client = login(users[Role.SUPERIOR])
        register = client.get(reverse("ppid_keberatan:index")).content.decode()
        assert "16 Maret 2027" in register and "<strong>batas waktu hari ini</strong>" in register
        client.post(
            reverse("ppid_keberatan:answer", args=[objection.pk]),
            {
                "decision": "ditolak",
                "answer": "Keputusan PPID dikuatkan.",
                "superior_name": "Retno Wulandari",
                "superior_position": "Sekretaris",
            },
        )
        objection.refresh_from_db()
        # 17 March to 5 April: fourteen working days
        assert objection.commission_deadline() == dt.date(2027, 4, 5)
        detail = client.get(reverse("ppid_keberatan:detail", args=[objection.pk])).content.decode()
        assert "paling lambat <strong>5 April 2027</strong>" in detail
        assert "dijawab tepat waktu" in client.get(reverse("ppid_keberatan:index")).content.decode()
