"""A requester registered at the desk without an email address is sent nothing: the answer, extension,
follow-up and objection forms and their messages tell staff to print the notice (linked), hand it over
or post it as the requester chose, and phone the requester; the written notices tell the requester
how they get it and that the status is asked at the desk by number, not on the status page."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from django.conf import settings
from django.urls import reverse

from ppid import notices
from ppid.models import Objection
from ppid.rules import Role
from tests.ppid.test_admin_actions import REASON, document, messages_of
from tests.ppid.test_admin_support import make_request, ppid_users
from tests.ppid.test_notices import text_of
from tests.ppid.test_public_filing import page_text
from tests.ppid.test_upheld_objection import answer_objection
from tests.sop_workflow.admin_helpers import login

pytestmark = pytest.mark.django_db

PHONE = "081234567890"
NO_EMAIL = "Pemohon tidak memberikan email, jadi tidak ada yang dikirim kepadanya."
EMAILED = "lewat email"


def walk_in(**changes):
    """A request the desk registered without an email address (a printed copy collected at the desk)."""
    fields = {"email": "", "copy_format": "hardcopy", "delivery": "mengambil", **changes}
    return make_request(**fields)


def desk_status(number: str) -> list[str]:
    kpu = settings.KPU_IDENTITY
    return [
        "Saudara tidak mencantumkan alamat email",
        f"tanyakan di meja layanan PPID {kpu['name']}, {kpu['address']}, telepon {kpu['telephone']}",
        f"dengan menyebut nomor registrasi {number}",
    ]


def test_an_answer_with_its_document_tells_staff_to_hand_both_over_and_phone(
    mailoutbox, django_capture_on_commit_callbacks
):
    users = ppid_users()
    req = walk_in()
    client = login(users[Role.PPID])
    url = reverse("ppid_permohonan:answer", args=[req.pk])
    form = page_text(client.get(url))
    assert "Setelah disimpan, cetak pemberitahuan tertulis (PDF), beserta dokumen informasinya" in form
    assert NO_EMAIL in form and f"lewat telepon di {PHONE}" in form
    assert "serahkan saat pemohon datang ke meja layanan, sesuai pilihannya" in form
    assert "Pemohon menerima pemberitahuan tertulis (PDF) lewat email" not in form
    assert "tidak dapat membuka halaman status" in form  # the document's help text

    data = {
        "decision": "diberikan",
        "answer": "Informasi terlampir dalam bentuk PDF.",
        "document": document(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    assert mailoutbox == []
    message = messages_of(response)[-1]
    notice_url = reverse("ppid_permohonan:notice", args=[req.pk, notices.KIND_ANSWER])
    document_url = reverse("ppid_permohonan:document", args=[req.pk])
    assert message.startswith(f"Permohonan {req.number} dijawab: Informasi diberikan seluruhnya. {NO_EMAIL}")
    assert f'Cetak <a href="{notice_url}">pemberitahuan tertulis (PDF)</a> beserta ' in message
    assert f'<a href="{document_url}">dokumen informasinya</a>' in message
    assert f"lalu beri tahu pemohon lewat telepon di {PHONE}." in message
    assert EMAILED not in message
    # the message reaches the screen as a link, not as escaped markup
    detail = client.get(reverse("ppid_permohonan:detail", args=[req.pk])).content.decode()
    assert f'<a href="{notice_url}">pemberitahuan tertulis (PDF)</a>' in detail

    # the notice: the document is handed over with it at the desk; the status is asked there
    req.refresh_from_db()
    text = text_of(client.get(notice_url).content)
    assert (
        "Dokumen informasi Pemberitahuan ini dan dokumen informasinya diserahkan kepada Saudara di meja "
        "layanan PPID, sesuai cara yang Saudara pilih." in text
    )
    for expected in desk_status(req.number):
        assert expected in text, expected
    assert "halaman status permohonan" not in text and "alamat email Saudara" not in text


def test_a_refusal_without_email_is_handed_over_or_posted(mailoutbox, django_capture_on_commit_callbacks):
    users = ppid_users()
    req = walk_in(access_method="membaca", copy_format="", delivery="")  # reads it at the office
    client = login(users[Role.PPID])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ppid_permohonan:answer", args=[req.pk]),
            {"decision": "tidak-dikuasai", "answer": "Informasi ini dikuasai Dinas Sosial."},
        )
    message = messages_of(response)[-1]
    assert "serahkan di meja layanan atau kirim lewat pos ke alamat pemohon" in message
    assert "dokumen informasinya" not in message and mailoutbox == []
    req.refresh_from_db()
    text = text_of(notices.request_notice(req))
    assert "Pemberitahuan ini diserahkan kepada Saudara di meja layanan PPID." in text
    assert "Dokumen informasi" not in text
    for expected in desk_status(req.number):
        assert expected in text, expected


def test_an_extension_without_email_is_posted_as_chosen(mailoutbox, django_capture_on_commit_callbacks):
    users = ppid_users()
    with freeze_time("2026-11-02 09:00:00+07:00"):
        req = walk_in(delivery="pos")
    with freeze_time("2026-11-10 10:00:00+07:00"):
        client = login(users[Role.PPID])
        url = reverse("ppid_permohonan:extend", args=[req.pk])
        form = page_text(client.get(url))
        assert "Setelah disimpan, cetak pemberitahuan perpanjangan (PDF) dan kirim lewat pos" in form
        assert f"lewat telepon di {PHONE}" in form and EMAILED not in form
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"reason": REASON})
    assert mailoutbox == []
    message = messages_of(response)[-1]
    notice_url = reverse("ppid_permohonan:notice", args=[req.pk, notices.KIND_EXTENSION])
    assert message.startswith(f"Batas waktu permohonan {req.number} diperpanjang sampai 25 November 2026.")
    assert f'Cetak <a href="{notice_url}">pemberitahuan perpanjangan (PDF)</a> dan kirim lewat pos' in message
    assert f"telepon di {PHONE}" in message and EMAILED not in message

    req.refresh_from_db()
    text = text_of(notices.extension_notice(req))
    assert (
        "Pemberitahuan ini dikirim kepada Saudara lewat pos atau kurir ke alamat di atas, sesuai cara yang "
        "Saudara pilih." in text
    )
    for expected in desk_status(req.number):
        assert expected in text, expected


def test_a_requester_with_email_is_still_told_by_email(mailoutbox, django_capture_on_commit_callbacks):
    users = ppid_users()
    req = make_request()
    client = login(users[Role.PPID])
    form = page_text(client.get(reverse("ppid_permohonan:answer", args=[req.pk])))
    assert "Pemohon menerima pemberitahuan tertulis (PDF) lewat email." in form and NO_EMAIL not in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ppid_permohonan:answer", args=[req.pk]),
            {"decision": "tidak-dikuasai", "answer": "Informasi ini dikuasai Dinas Sosial."},
        )
    assert messages_of(response)[-1] == (
        f"Permohonan {req.number} dijawab: Informasi tidak dikuasai. Pemohon diberi tahu lewat email, dengan "
        "pemberitahuan tertulis terlampir."
    )
    assert len(mailoutbox) == 1
    req.refresh_from_db()
    text = text_of(notices.request_notice(req))
    assert "tidak mencantumkan alamat email" not in text and "diserahkan kepada Saudara" not in text


def test_an_objection_and_its_follow_up_without_email(mailoutbox, django_capture_on_commit_callbacks):
    users = ppid_users()
    with freeze_time("2026-11-02 09:00:00+07:00"):
        req = walk_in()
    with freeze_time("2026-11-09 14:00:00+07:00"):
        req.record_answer(
            decision="ditolak",
            answer="Data pribadi dikecualikan.",
            user=users[Role.PPID],
            legal_basis="Pasal 17 huruf h UU 14/2008",
        )
    with freeze_time("2026-11-11 10:00:00+07:00"):  # registered at the desk, as the request was
        objection = Objection.receive(request=req, ground="a", reason="Yang saya minta hanya data agregat.")

    with freeze_time("2026-11-20 10:00:00+07:00"):
        superior = login(users[Role.SUPERIOR])
        url = reverse("ppid_keberatan:answer", args=[objection.pk])
        form = page_text(superior.get(url))
        assert f"{NO_EMAIL} Setelah disimpan, cetak tanggapan tertulis (PDF)" in form
        assert f"telepon di {PHONE}" in form
        assert "Pemohon menerima tanggapan tertulis (PDF) lewat email" not in form
        response = answer_objection(superior, objection, "diterima", django_capture_on_commit_callbacks)
    message = messages_of(response)[-1]
    notice_url = reverse("ppid_keberatan:notice", args=[objection.pk])
    assert f'{NO_EMAIL} Cetak <a href="{notice_url}">tanggapan tertulis (PDF)</a>' in message
    assert f"telepon di {PHONE}." in message
    assert message.endswith("PPID diberi tahu lewat email untuk memberikan informasinya kepada pemohon.")
    # only the PPID group is written to, and told to hand the document over
    (task,) = mailoutbox
    assert task.to == [users[Role.PPID].email]
    assert "pemohon tidak memberikan email" in task.body and f"telepon di {PHONE}" in task.body
    objection.refresh_from_db()
    text = text_of(notices.objection_notice(objection))
    assert "Pemberitahuan ini diserahkan kepada Saudara di meja layanan PPID, sesuai cara" in text
    for expected in desk_status(objection.number):
        assert expected in text, expected
    mailoutbox.clear()

    with freeze_time("2026-11-23 09:00:00+07:00"):
        ppid = login(users[Role.PPID])
        url = reverse("ppid_permohonan:followup", args=[req.pk])
        form = page_text(ppid.get(url))
        assert f"{NO_EMAIL} Setelah disimpan, cetak dokumen tindak lanjut keberatan beserta catatan" in form
        assert "Pemohon tidak memberikan email: catatan ini tercatat di riwayat keberatan" in form
        assert "Pemohon menerima email berisi catatan ini" not in form
        note = "Rekap DPT per kabupaten terlampir, tanpa data pribadi."
        with django_capture_on_commit_callbacks(execute=True):
            response = ppid.post(url, {"note": note, "document": document("rekap.pdf")})
    assert response.status_code == 302 and mailoutbox == []
    message = messages_of(response)[-1]
    followup_url = reverse("ppid_permohonan:followup_document", args=[req.pk])
    assert f'Cetak <a href="{followup_url}">dokumen tindak lanjut keberatan</a> beserta catatan' in message
    assert f"telepon di {PHONE}." in message and EMAILED not in message
