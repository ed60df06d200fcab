"""The objection register: the Atasan PPID answers, the desk records the requester's response."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from django.contrib.messages import get_messages
from django.urls import reverse

from ppid.models import Objection
from ppid.rules import Role
from tests.ppid.test_admin_support import make_request, ppid_users
from tests.sop_workflow.admin_helpers import assert_refused, login

pytestmark = pytest.mark.django_db


def refused_and_objected(users):
    with freeze_time("2026-11-02 09:00:00+07:00"):
        req = make_request(name='=HYPERLINK("http://jahat")')
    with freeze_time("2026-11-09 14:00:00+07:00"):
        req.record_answer(
            decision="ditolak", answer="Data pribadi.", user=users[Role.PPID], legal_basis="Pasal 17 huruf h"
        )
    with freeze_time("2026-11-11 10:00:00+07:00"):  # Wednesday: due 30 working days later
        objection = Objection.receive(request=req, ground="a", reason="Yang saya minta hanya data agregat.")
    return req, objection


def test_the_superior_answers_an_objection(mailoutbox, django_capture_on_commit_callbacks):
    users = ppid_users()
    req, objection = refused_and_objected(users)
    with freeze_time("2026-11-20 10:00:00+07:00"):  # Friday
        client = login(users[Role.SUPERIOR])
        url = reverse("ppid_keberatan:answer", args=[objection.pk])
        form = client.get(url)
        assert form.context["form"].initial["superior_name"] == "Atasan Uji"
        assert "Atasan PPID" in form.context["form"].initial["superior_position"]

        missing = client.post(url, {"decision": "", "answer": "", "superior_name": "Atasan Uji"})
        page = missing.content.decode()
        assert "Pilih keputusan atas keberatan ini." in page and "Tuliskan jabatan Atasan PPID." in page
        assert 'value="Atasan Uji"' in page

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url,
                {
                    "decision": "diterima-sebagian",
                    "answer": "Data agregat per desa wajib diberikan; data pribadi tetap dikecualikan.",
                    "superior_name": "Retno Wulandari",
                    "superior_position": "Sekretaris KPU Provinsi Jawa Tengah",
                },
            )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.decision == "diterima-sebagian" and objection.answered_by == users[Role.SUPERIOR]
    assert objection.superior_name == "Retno Wulandari"
    # the requester gets the answer; the upheld objection also goes to the PPID (test_upheld_objection)
    (email,) = [message for message in mailoutbox if message.to == ["siti@contoh.id"]]
    assert objection.number in email.subject
    # 14 working days after Friday 20 November 2026: Thursday 10 December 2026
    assert "Komisi Informasi Provinsi Jawa Tengah" in email.body and "10 Desember 2026" in email.body
    assert email.attachments[0][0] == f"pemberitahuan-keberatan-{objection.number}.pdf"

    with freeze_time("2026-11-20 10:05:00+07:00"):
        detail = client.get(reverse("ppid_keberatan:detail", args=[objection.pk])).content.decode()
    for text in (
        objection.number,
        "11 November 2026",
        req.number,
        "a. Permohonan informasi ditolak",
        "Keberatan diterima sebagian",
        "20 November 2026",
        "Retno Wulandari, Sekretaris KPU Provinsi Jawa Tengah",
        "10 Desember 2026",
    ):
        assert text in detail, text


def test_only_the_superior_answers_an_objection():
    users = ppid_users()
    _req, objection = refused_and_objected(users)
    for role in (Role.DESK, Role.PPID):
        client = login(users[role])
        url = reverse("ppid_keberatan:answer", args=[objection.pk])
        assert_refused(client.get(url))
        data = {
            "decision": "ditolak",
            "answer": "Dikuatkan seluruhnya.",
            "superior_name": "X",
            "superior_position": "Y",
        }
        assert_refused(client.post(url, data))
    objection.refresh_from_db()
    assert not objection.is_answered


def test_the_desk_records_the_response_once_after_the_answer():
    users = ppid_users()
    _req, objection = refused_and_objected(users)
    desk = login(users[Role.DESK])
    url = reverse("ppid_keberatan:response", args=[objection.pk])
    early = desk.post(url, {"requester_response": "Menerima."})
    assert "belum ditanggapi Atasan PPID" in str(list(get_messages(early.wsgi_request))[-1])

    objection.record_answer(
        decision="ditolak",
        answer="Dikuatkan.",
        user=users[Role.SUPERIOR],
        superior_name="R",
        superior_position="S",
    )
    assert "Tuliskan tanggapan pemohon." in desk.post(url, {"requester_response": ""}).content.decode()
    response = desk.post(url, {"requester_response": "Pemohon menerima tanggapan, disampaikan lewat email."})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.requester_response.startswith("Pemohon menerima") and objection.requester_response_at
    again = desk.post(url, {"requester_response": "Berubah."})
    assert "sudah dicatat" in str(list(get_messages(again.wsgi_request))[-1])
    objection.refresh_from_db()
    assert objection.requester_response.startswith("Pemohon menerima")
    # the PPID group may record it too; the superior's group may not
    assert_refused(login(users[Role.SUPERIOR]).get(url))


def test_the_register_exports_every_column_and_neutralises_formulas():
    users = ppid_users()
    req, objection = refused_and_objected(users)
    objection.record_answer(
        decision="ditolak",
        answer="Dikuatkan.",
        user=users[Role.SUPERIOR],
        superior_name="Retno",
        superior_position="Sekretaris",
    )
    client = login(users[Role.DESK])
    response = client.get(reverse("ppid_keberatan:index"), {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header = text.splitlines()[0]
    for heading in (
        "Nomor registrasi keberatan",
        "Tanggal diterima",
        "Identitas pemohon",
        "Nomor permohonan informasi",
        "Alasan keberatan",
        "Keputusan",
        "Tanggal ditanggapi",
        "Nama Atasan PPID",
        "Jabatan Atasan PPID",
        "Tanggapan pemohon",
    ):
        assert heading in header, heading
    assert objection.number in text and req.number in text and "11 November 2026" in text
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
