"""The PPID's actions through the admin: the one extension and the answer with each decision; the desk
may look but not answer; every refusal in Indonesian, keeping what was typed."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from freezegun import freeze_time

from django.conf import settings
from django.contrib.messages import get_messages
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ppid.models import InformationRequest
from ppid.rules import Role
from tests.ppid.test_admin_support import make_request, pdf_bytes, ppid_users
from tests.sop_workflow.admin_helpers import assert_refused, login

pytestmark = pytest.mark.django_db

REASON = "Informasi yang diminta tersebar di beberapa arsip dan masih dihimpun."


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def document(name: str = "jawaban.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else pdf_bytes(), "application/pdf")


def test_the_desk_sees_the_queue_but_cannot_extend_or_answer():
    users = ppid_users()
    req = make_request()
    desk = login(users[Role.DESK])
    assert desk.get(reverse("ppid_permohonan:detail", args=[req.pk])).status_code == 200
    for name in ("answer", "extend"):
        assert_refused(desk.get(reverse(f"ppid_permohonan:{name}", args=[req.pk])))
    response = desk.post(
        reverse("ppid_permohonan:answer", args=[req.pk]),
        {"decision": "tidak-dikuasai", "answer": "Tidak ada."},
    )
    assert_refused(response)
    assert_refused(desk.post(reverse("ppid_permohonan:extend", args=[req.pk]), {"reason": REASON}))
    req.refresh_from_db()
    assert not req.is_answered and req.extended_at is None


def test_the_ppid_extends_once_and_a_second_extension_is_refused(
    mailoutbox, django_capture_on_commit_callbacks
):
    users = ppid_users()
    with freeze_time("2026-11-02 09:00:00+07:00"):  # Monday: due Monday 16 November
        req = make_request()
    with freeze_time("2026-11-10 10:00:00+07:00"):
        client = login(users[Role.PPID])
        form = client.get(reverse("ppid_permohonan:extend", args=[req.pk])).content.decode()
        assert "16 November 2026" in form and "25 November 2026" in form
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("ppid_permohonan:extend", args=[req.pk]), {"reason": REASON})
        assert response.status_code == 302
        assert "diperpanjang sampai 25 November 2026" in messages_of(response)[-1]
        req.refresh_from_db()
        assert req.due_on == dt.date(2026, 11, 25) and req.extension_reason == REASON
        assert req.status == InformationRequest.Status.EXTENDED and req.extended_by == users[Role.PPID]

        (email,) = mailoutbox
        assert email.to == ["siti@contoh.id"] and email.subject.startswith("[KPU Jateng] ")
        assert "25 November 2026" in email.subject and REASON in email.body
        assert "http://testserver/layanan-informasi/status/" in email.body
        assert email.attachments[0][0] == f"pemberitahuan-perpanjangan-{req.number}.pdf"

        again = client.post(reverse("ppid_permohonan:extend", args=[req.pk]), {"reason": REASON + " Lagi."})
        assert again.status_code == 302
        assert "Perpanjangan hanya boleh satu kali" in messages_of(again)[-1]
        req.refresh_from_db()
        assert req.due_on == dt.date(2026, 11, 25)
        page = client.get(reverse("ppid_permohonan:detail", args=[req.pk])).content.decode()
        assert reverse("ppid_permohonan:extend", args=[req.pk]) not in page
        assert len(mailoutbox) == 1


def test_an_extension_needs_a_written_reason_and_keeps_what_was_typed():
    users = ppid_users()
    req = make_request()
    client = login(users[Role.PPID])
    empty = client.post(reverse("ppid_permohonan:extend", args=[req.pk]), {"reason": ""})
    assert empty.status_code == 200 and "Tuliskan alasan perpanjangan." in empty.content.decode()
    short = client.post(reverse("ppid_permohonan:extend", args=[req.pk]), {"reason": "Sibuk."})
    assert "Terlalu singkat: tuliskan minimal 10 karakter." in short.content.decode()
    assert "Sibuk.</textarea>" in short.content.decode()
    req.refresh_from_db()
    assert req.extended_at is None


def test_no_extension_after_the_answer_or_past_the_deadline():
    users = ppid_users()
    with freeze_time("2026-11-02 09:00:00+07:00"):
        answered = make_request()
        answered.record_answer(decision="tidak-dikuasai", answer="Tidak dikuasai.", user=users[Role.PPID])
        late = make_request(email="lain@contoh.id")
    with freeze_time("2026-11-17 09:00:00+07:00"):  # the day after the deadline of 16 November
        client = login(users[Role.PPID])
        response = client.post(reverse("ppid_permohonan:extend", args=[answered.pk]), {"reason": REASON})
        assert "sudah dijawab" in messages_of(response)[-1]
        response = client.post(reverse("ppid_permohonan:extend", args=[late.pk]), {"reason": REASON})
        assert "sudah lewat pada 16 November 2026" in messages_of(response)[-1]
    for req in (answered, late):
        req.refresh_from_db()
        assert req.extended_at is None


ANSWERS = {
    "diberikan": {"answer": "Informasi terlampir dalam bentuk PDF."},
    "sebagian": {
        "answer": "Jumlah pemilih per desa diberikan; NIK tidak.",
        "legal_basis": "Pasal 17 huruf h UU 14/2008",
        "excluded": "on",
        "consequence_test": "Membuka NIK dapat disalahgunakan untuk pencurian identitas.",
    },
    "tidak-dikuasai": {"answer": "Informasi ini dikuasai Dinas Sosial Kota Semarang."},
    "ditolak": {
        "answer": "Permohonan ditolak karena menyangkut data pribadi.",
        "legal_basis": "Pasal 17 huruf h angka 2 UU 14/2008",
        "excluded": "on",
        "consequence_test": "Membuka data pribadi melanggar hak atas privasi.",
    },
}


@pytest.mark.parametrize("decision", list(ANSWERS))
def test_the_ppid_answers_with_each_decision(decision, mailoutbox, django_capture_on_commit_callbacks):
    users = ppid_users()
    req = make_request()
    client = login(users[Role.PPID])
    data = {"decision": decision, **ANSWERS[decision]}
    if decision in ("diberikan", "sebagian"):
        data["document"] = document()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ppid_permohonan:answer", args=[req.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    req.refresh_from_db()
    assert req.decision == decision and req.is_answered and req.answered_by == users[Role.PPID]
    assert req.answer == ANSWERS[decision]["answer"]
    assert req.legal_basis == ANSWERS[decision].get("legal_basis", "")
    assert req.consequence_test == ANSWERS[decision].get("consequence_test", "")
    if decision in ("diberikan", "sebagian"):
        stored = Path(settings.STORAGES["ppid_private"]["OPTIONS"]["location"]) / req.answer_document.name
        assert stored.read_bytes().startswith(b"%PDF") and not str(stored).startswith(
            str(settings.MEDIA_ROOT)
        )
        download = client.get(reverse("ppid_permohonan:document", args=[req.pk]))
        assert "no-store" in download["Cache-Control"]
        assert b"".join(download.streaming_content).startswith(b"%PDF")
    else:
        assert not req.answer_document
    (email,) = mailoutbox
    assert email.to == ["siti@contoh.id"] and req.number in email.subject
    assert req.get_decision_display() in email.body
    assert "http://testserver/layanan-informasi/status/" in email.body
    assert email.attachments[0][0] == f"pemberitahuan-jawaban-{req.number}.pdf"
    page = client.get(reverse("ppid_permohonan:detail", args=[req.pk])).content.decode()
    assert (
        "Pemberitahuan tertulis (PDF)" in page
        and reverse("ppid_permohonan:answer", args=[req.pk]) not in page
    )


def test_each_decision_asks_for_what_it_needs_in_indonesian_and_keeps_the_typing():
    users = ppid_users()
    req = make_request()
    client = login(users[Role.PPID])
    url = reverse("ppid_permohonan:answer", args=[req.pk])

    nothing = client.post(url, {}).content.decode()
    assert "Pilih keputusan atas permohonan ini." in nothing
    assert "Tuliskan penjelasan jawaban untuk pemohon." in nothing

    refused = client.post(
        url, {"decision": "ditolak", "answer": "Ditolak karena data pribadi.", "excluded": "on"}
    )
    page = refused.content.decode()
    assert "Tuliskan dasar hukum untuk keputusan “Permohonan ditolak”." in page
    assert "Tuliskan uji konsekuensi" in page
    assert "Ditolak karena data pribadi.</textarea>" in page
    assert re.search(r'<input[^>]*value="ditolak"[^>]*checked', page)
    assert re.search(r'<input[^>]*name="excluded"[^>]*checked', page)

    given = client.post(url, {"decision": "diberikan", "answer": "Terlampir."}).content.decode()
    assert "Lampirkan dokumen informasi yang diberikan kepada pemohon" in given

    fake = client.post(
        url,
        {
            "decision": "diberikan",
            "answer": "Informasi terlampir.",
            "document": SimpleUploadedFile(
                "jawaban.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
            ),
        },
    ).content.decode()
    assert "Berkas “jawaban.pdf” ditolak" in fake
    req.refresh_from_db()
    assert not req.is_answered


def test_a_document_sent_with_a_wrong_form_is_not_asked_for_again(django_capture_on_commit_callbacks):
    users = ppid_users()
    req = make_request()
    client = login(users[Role.PPID])
    url = reverse("ppid_permohonan:answer", args=[req.pk])
    first = client.post(
        url,
        {
            "decision": "sebagian",
            "answer": "Sebagian diberikan, sisanya dikecualikan.",
            "document": document("rekap.pdf"),
        },
    )
    page = first.content.decode()
    assert first.status_code == 200 and "Tuliskan dasar hukum" in page
    assert "Berkas <strong>rekap.pdf</strong> sudah diterima" in page
    token = first.context["form"].data["held_document"]
    assert token

    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(
            url,
            {
                "decision": "sebagian",
                "answer": "Sebagian diberikan, sisanya dikecualikan.",
                "legal_basis": "Pasal 17 huruf h UU 14/2008",
                "held_document": token,
            },
        )
    assert second.status_code == 302
    req.refresh_from_db()
    assert req.answer_document.name.startswith("jawaban/") and req.answer_document.name.endswith(".pdf")
    assert req.answer_document.read().startswith(b"%PDF")
    held = signing.loads(token, salt="ppid.answer-document")["name"]
    assert held.startswith("sementara/")
    assert not (Path(settings.STORAGES["ppid_private"]["OPTIONS"]["location"]) / held).exists()


def test_a_held_document_of_another_request_is_not_taken():
    users = ppid_users()
    req, other = make_request(), make_request(email="lain@contoh.id")
    client = login(users[Role.PPID])
    first = client.post(
        reverse("ppid_permohonan:answer", args=[other.pk]),
        {"decision": "diberikan", "answer": "", "document": document()},
    )
    token = first.context["form"].data["held_document"]
    response = client.post(
        reverse("ppid_permohonan:answer", args=[req.pk]),
        {"decision": "diberikan", "answer": "Terlampir dokumennya.", "held_document": token},
    )
    assert "Lampirkan dokumen informasi" in response.content.decode()
    req.refresh_from_db()
    assert not req.is_answered


def test_an_answer_is_given_once():
    users = ppid_users()
    req = make_request()
    req.record_answer(decision="tidak-dikuasai", answer="Tidak dikuasai.", user=users[Role.PPID])
    client = login(users[Role.PPID])
    response = client.post(
        reverse("ppid_permohonan:answer", args=[req.pk]),
        {"decision": "ditolak", "answer": "Berubah pikiran."},
    )
    assert response.status_code == 302 and "Jawaban tidak dapat diubah." in messages_of(response)[-1]
    req.refresh_from_db()
    assert req.decision == "tidak-dikuasai"
