"""Reminders before a deadline and escalation at it, each sent once (``manage.py ppid_remind``)."""

from __future__ import annotations

import io

import pytest
from freezegun import freeze_time

from django.core.management import call_command

from ppid.models import Objection, Reminder
from ppid.rules import Role
from tests.ppid.test_admin_support import make_request, ppid_users

pytestmark = pytest.mark.django_db


def remind(*args) -> str:
    out = io.StringIO()
    call_command("ppid_remind", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def sent_to(mailoutbox) -> list[tuple[str, str]]:
    return sorted((message.to[0], message.subject) for message in mailoutbox)


def test_the_ppid_is_reminded_once_before_the_deadline_and_both_are_told_at_it(
    mailoutbox, django_capture_on_commit_callbacks
):
    users = ppid_users()
    with freeze_time("2026-11-02 09:00:00+07:00"):  # due Monday 16 November
        req = make_request()

    with freeze_time("2026-11-11 09:00:00+07:00"), django_capture_on_commit_callbacks(execute=True):
        assert "0 pengingat, 0 eskalasi" in remind()  # three working days before: nothing yet
    assert mailoutbox == []

    with freeze_time("2026-11-12 09:00:00+07:00"), django_capture_on_commit_callbacks(execute=True):
        assert "1 pengingat, 0 eskalasi" in remind()  # Thursday: two working days before Monday
        assert "0 pengingat, 0 eskalasi" in remind()
    ((address, subject),) = sent_to(mailoutbox)
    assert address == users[Role.PPID].email
    assert subject == (
        f"[KPU Jateng] Pengingat: permohonan informasi {req.number} harus dijawab paling lambat "
        "16 November 2026"
    )
    body = mailoutbox[0].body
    assert "2 hari kerja lagi" in body and f"http://testserver/admin/ppid/permohonan/{req.pk}/" in body
    assert "Siti Aminah" not in body  # staff emails carry no personal data

    mailoutbox.clear()
    with freeze_time("2026-11-16 08:00:00+07:00"), django_capture_on_commit_callbacks(execute=True):
        assert "0 pengingat, 1 eskalasi" in remind()
        assert "0 pengingat, 0 eskalasi" in remind()
    assert [address for address, _subject in sent_to(mailoutbox)] == sorted(
        [users[Role.PPID].email, users[Role.SUPERIOR].email]
    )
    assert all(
        "Eskalasi" in subject and "mencapai batas waktu 16 November 2026" in subject
        for _a, subject in sent_to(mailoutbox)
    )
    assert set(Reminder.objects.values_list("key", flat=True)) == {
        f"{req.number}:menjelang:2026-11-16",
        f"{req.number}:batas:2026-11-16",
    }


def test_an_extended_request_is_reminded_again_before_its_new_deadline(
    mailoutbox, django_capture_on_commit_callbacks
):
    users = ppid_users()
    with freeze_time("2026-11-02 09:00:00+07:00"):
        req = make_request()
    with freeze_time("2026-11-12 09:00:00+07:00"), django_capture_on_commit_callbacks(execute=True):
        remind()
        req.extend("Arsip masih dihimpun.", users[Role.PPID])  # due Wednesday 25 November
    with freeze_time("2026-11-16 09:00:00+07:00"), django_capture_on_commit_callbacks(execute=True):
        assert "0 pengingat, 0 eskalasi" in remind()  # the first deadline no longer counts
    with freeze_time("2026-11-23 09:00:00+07:00"), django_capture_on_commit_callbacks(execute=True):
        assert "1 pengingat, 0 eskalasi" in remind()
    assert "25 November 2026" in mailoutbox[-1].subject


def test_an_answered_request_is_never_reminded(mailoutbox, django_capture_on_commit_callbacks):
    users = ppid_users()
    with freeze_time("2026-11-02 09:00:00+07:00"):
        req = make_request()
        req.record_answer(decision="tidak-dikuasai", answer="Tidak dikuasai.", user=users[Role.PPID])
    with freeze_time("2026-11-20 09:00:00+07:00"), django_capture_on_commit_callbacks(execute=True):
        assert "0 pengingat, 0 eskalasi" in remind()
    assert mailoutbox == []


def test_the_superior_is_reminded_of_an_objection_and_both_are_told_at_its_deadline(
    mailoutbox, django_capture_on_commit_callbacks
):
    users = ppid_users()
    with freeze_time("2026-11-02 09:00:00+07:00"):
        req = make_request()
        req.record_answer(
            decision="ditolak", answer="Ditolak.", user=users[Role.PPID], legal_basis="Pasal 17"
        )
        objection = Objection.receive(request=req, ground="a", reason="Keberatan.")  # due 14 December
    with freeze_time("2026-12-10 09:00:00+07:00"), django_capture_on_commit_callbacks(execute=True):
        assert "1 pengingat, 0 eskalasi" in remind()
    ((address, subject),) = sent_to(mailoutbox)
    assert address == users[Role.SUPERIOR].email and objection.number in subject and "keberatan" in subject
    mailoutbox.clear()
    with freeze_time("2026-12-15 09:00:00+07:00"), django_capture_on_commit_callbacks(execute=True):
        assert "0 pengingat, 1 eskalasi" in remind()  # the day after: the escalation still goes, once
        assert "0 pengingat, 0 eskalasi" in remind()
    assert sorted(address for address, _subject in sent_to(mailoutbox)) == sorted(
        [users[Role.SUPERIOR].email, users[Role.PPID].email]
    )
    assert "melewati batas waktu 14 Desember 2026" in mailoutbox[0].subject


def test_a_dry_run_says_what_would_go_and_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    users = ppid_users()
    with freeze_time("2026-11-02 09:00:00+07:00"):
        req = make_request()
    with freeze_time("2026-11-16 09:00:00+07:00"), django_capture_on_commit_callbacks(execute=True):
        output = remind("--dry-run")
    assert f"eskalasi: permohonan {req.number}, batas waktu 16 November 2026 -> PPID, Atasan PPID" in output
    assert users[Role.SUPERIOR].email in output
    assert "akan dikirim (uji coba" in output and "pengingat DIP akan dikirim (uji coba)" in output
    assert mailoutbox == [] and not Reminder.objects.exists()
