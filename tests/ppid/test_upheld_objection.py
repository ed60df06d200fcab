"""An upheld objection is followed up: the PPID is told, provides the information from the request's
screen (the original decision and document stay, the follow-up document is kept beside them), the
dashboard lists what still waits, the requester is told and downloads both documents."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ppid.admin.requests import followup_entries
from ppid.models import InformationRequest, Objection, private_storage
from ppid.rules import Role
from sop_workflow.sop import Role as SOPRole
from tests.ppid.test_admin_support import make_request, pdf_bytes, png_bytes, ppid_users
from tests.sop_workflow.admin_helpers import assert_refused, login

pytestmark = pytest.mark.django_db

BUTTON = "Berikan informasi (tindak lanjut keberatan)"
NOTE = "Rekap DPT per kabupaten terlampir, tanpa data pribadi, sesuai tanggapan Atasan PPID."


def refused_and_objected(users, decision: str = "ditolak", document=None):
    with freeze_time("2026-11-02 09:00:00+07:00"):
        req = make_request()
    with freeze_time("2026-11-09 14:00:00+07:00"):
        req.record_answer(
            decision=decision,
            answer="Data pribadi dikecualikan.",
            user=users[Role.PPID],
            legal_basis="Pasal 17 huruf h UU 14/2008",
            document=document,
        )
    with freeze_time("2026-11-11 10:00:00+07:00"):
        objection = Objection.receive(request=req, ground="a", reason="Yang saya minta hanya data agregat.")
    return req, objection


def answer_objection(client, objection, decision: str, capture):
    with capture(execute=True):
        return client.post(
            reverse("ppid_keberatan:answer", args=[objection.pk]),
            {
                "decision": decision,
                "answer": "Data agregat wajib diberikan; data pribadi tetap dikecualikan.",
                "superior_name": "Retno Wulandari",
                "superior_position": "Sekretaris KPU Provinsi Jawa Tengah",
            },
        )


def upload(name: str = "rekap-dpt.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content if content is not None else pdf_bytes("Rekap DPT"), "application/pdf"
    )


def test_an_upheld_objection_is_followed_up_by_the_ppid(mailoutbox, django_capture_on_commit_callbacks):
    cache.clear()
    users = ppid_users()
    req, objection = refused_and_objected(users)
    detail_url = reverse("ppid_permohonan:detail", args=[req.pk])
    followup_url = reverse("ppid_permohonan:followup", args=[req.pk])

    with freeze_time("2026-11-20 10:00:00+07:00"):
        superior = login(users[Role.SUPERIOR])
        form = superior.get(reverse("ppid_keberatan:answer", args=[objection.pk])).content.decode()
        # the warning stands above the save button
        assert form.index("Tanggapan tidak dapat diubah setelah disimpan") < form.index("Simpan tanggapan")
        response = answer_objection(superior, objection, "diterima", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert "PPID diberi tahu lewat email" in str(list(get_messages(response.wsgi_request))[-1])

    # the requester gets the answer, the PPID group the task; the desk and the superior nothing more
    assert sorted(address for email in mailoutbox for address in email.to) == [
        "ppid@kpu.test",
        "siti@contoh.id",
    ]
    (task,) = [email for email in mailoutbox if email.to == ["ppid@kpu.test"]]
    assert task.subject.startswith("[KPU Jateng] ") and objection.number in task.subject
    assert req.number in task.subject and "wajib memberikan informasi" in task.body
    assert settings.WAGTAILADMIN_BASE_URL.rstrip("/") + detail_url in task.body
    mailoutbox.clear()

    with freeze_time("2026-11-23 09:00:00+07:00"):
        ppid = login(users[Role.PPID])
        dashboard = ppid.get(reverse("wagtailadmin_home")).content.decode()
        assert "Keberatan diterima: PPID wajib memberikan informasi" in dashboard
        assert "1 menunggu tindak lanjut PPID" in dashboard and detail_url in dashboard
        queue = ppid.get(reverse("ppid_permohonan:index")).content.decode()
        assert "Keberatan diterima: informasi belum diberikan" in queue
        detail = ppid.get(detail_url).content.decode()
        assert BUTTON in detail and followup_url in detail
        assert "PPID wajib memberikan informasinya kepada pemohon." in detail

        # nothing typed is lost: the errors are explained, a good document is held
        empty = ppid.post(followup_url, {"note": ""}).content.decode()
        assert "Lampirkan dokumen informasi yang diberikan kepada pemohon" in empty
        assert "Tuliskan catatan untuk pemohon." in empty
        disguised = ppid.post(followup_url, {"note": NOTE, "document": upload("rekap.pdf", png_bytes())})
        assert (
            "Berkas “rekap.pdf” ditolak" in disguised.content.decode() and NOTE in disguised.content.decode()
        )
        first = ppid.post(followup_url, {"note": "Pendek", "document": upload()})
        assert "Terlalu singkat" in first.content.decode() and "rekap-dpt.pdf" in first.content.decode()
        token = first.context["form"].data["held_document"]
        page = first.content.decode()
        assert page.index("tidak dapat diubah setelah disimpan") < page.index("Simpan dan beri tahu pemohon")

        with django_capture_on_commit_callbacks(execute=True):
            saved = ppid.post(followup_url, {"note": NOTE, "held_document": token})
    assert saved.status_code == 302 and saved.url == detail_url

    # the original decision stays; the document is the request's follow-up document, private
    req.refresh_from_db()
    assert req.decision == "ditolak" and req.answer == "Data pribadi dikecualikan."
    assert req.status == InformationRequest.Status.ANSWERED and req.answered_by == users[Role.PPID]
    assert not req.answer_document and req.followup_objection == objection
    assert req.followup_document.name.startswith("tindak-lanjut/")
    assert req.followup_document.read().startswith(b"%PDF")
    objection.refresh_from_db()
    assert objection.decision == "diterima" and objection.requester_response == ""

    # the requester is told, with the status page where the document is downloaded
    (told,) = mailoutbox
    assert told.to == ["siti@contoh.id"] and req.number in told.subject and objection.number in told.subject
    assert NOTE in told.body and "/layanan-informasi/status/" in told.body
    requester = Client()
    requester.post("/layanan-informasi/status/", {"number": req.number, "email": "siti@contoh.id"})
    download = requester.get(f"/layanan-informasi/dokumen/{req.number}/tindak-lanjut/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    # refused without a document: there is no answer document to offer
    assert requester.get(f"/layanan-informasi/dokumen/{req.number}/").status_code == 404

    with freeze_time("2026-11-23 09:30:00+07:00"):
        detail = ppid.get(detail_url).content.decode()
        assert BUTTON not in detail and "Permohonan ditolak" in detail
        assert "Informasi diberikan sebagai tindak lanjut keberatan" in detail and NOTE in detail
        dashboard = ppid.get(reverse("wagtailadmin_home")).content.decode()
        assert "Tidak ada keberatan diterima yang menunggu tindak lanjut." in dashboard
        register = ppid.get(reverse("ppid_keberatan:detail", args=[objection.pk])).content.decode()
        assert "Informasi diberikan pada 23 November 2026" in register
        again = ppid.post(followup_url, {"note": NOTE, "document": upload()})
    assert "Tidak ada keberatan yang diterima" in str(list(get_messages(again.wsgi_request))[-1])
    assert len(mailoutbox) == 1


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_upheld_in_part_keeps_both_documents_for_the_requester(
    sop_users, mailoutbox, django_capture_on_commit_callbacks
):
    """Given in part with document A, objection upheld in part, followed up with document B: the
    requester's status page offers A and B, each its own bytes; nobody else gets either."""
    cache.clear()
    users = ppid_users()
    first, second = pdf_bytes("Dokumen A: sebagian"), pdf_bytes("Dokumen B: tindak lanjut")
    req, objection = refused_and_objected(users, decision="sebagian", document=upload("sebagian.pdf", first))
    answer_document = req.answer_document.name
    answer_objection(
        login(users[Role.SUPERIOR]), objection, "diterima-sebagian", django_capture_on_commit_callbacks
    )
    mailoutbox.clear()
    ppid = login(users[Role.PPID])
    with django_capture_on_commit_callbacks(execute=True):
        response = ppid.post(
            reverse("ppid_permohonan:followup", args=[req.pk]),
            {"note": NOTE, "document": upload("tindak-lanjut.pdf", second)},
        )
    assert response.status_code == 302
    req.refresh_from_db()
    # the answer and its document stay; the follow-up's is kept beside it, both private
    assert req.decision == "sebagian" and req.answer_document.name == answer_document
    assert req.followup_document.name.startswith("tindak-lanjut/") and req.followup_objection == objection
    assert private_storage().exists(answer_document) and private_storage().exists(req.followup_document.name)
    # the log entry names the document
    entry = followup_entries().get(object_id=str(objection.pk))
    assert entry.data["document"] == req.followup_document.name and entry.data["previous_document"] == ""

    # the email still points to the status page
    (told,) = mailoutbox
    assert told.to == ["siti@contoh.id"] and "/layanan-informasi/status/" in told.body

    answer_url = f"/layanan-informasi/dokumen/{req.number}/"
    followup_url = f"/layanan-informasi/dokumen/{req.number}/tindak-lanjut/"
    requester = Client()
    requester.post("/layanan-informasi/status/", {"number": req.number, "email": "siti@contoh.id"})
    status = requester.get("/layanan-informasi/status/").content.decode()
    assert f'href="{answer_url}"' in status and f'href="{followup_url}"' in status
    assert "Dokumen informasi yang diberikan bersama jawaban (PDF)" in status
    assert f"Dokumen tindak lanjut keberatan {objection.number} (PDF)" in status
    assert "/media/" not in status
    answered = requester.get(answer_url)
    assert answered["Content-Disposition"] == f'attachment; filename="informasi-{req.number}.pdf"'
    assert "no-store" in answered["Cache-Control"] and body(answered) == first
    followed = requester.get(followup_url)
    assert (
        followed["Content-Disposition"] == f'attachment; filename="informasi-tindak-lanjut-{req.number}.pdf"'
    )
    assert "no-store" in followed["Cache-Control"] and body(followed) == second

    # a stranger's session, and a session that proved another request, get 404 on both
    other = make_request(email="lain@contoh.id", with_scan=False)
    another = Client()
    another.post("/layanan-informasi/status/", {"number": other.number, "email": "lain@contoh.id"})
    for client in (Client(), another):
        for url in (answer_url, followup_url):
            assert client.get(url).status_code == 404, url

    # the PPID's request page links both, each streaming its own bytes
    admin_answer = reverse("ppid_permohonan:document", args=[req.pk])
    admin_followup = reverse("ppid_permohonan:followup_document", args=[req.pk])
    detail = ppid.get(reverse("ppid_permohonan:detail", args=[req.pk])).content.decode()
    assert admin_answer in detail and admin_followup in detail
    assert "Unduh dokumen jawaban" in detail and "Unduh dokumen tindak lanjut keberatan" in detail
    assert f"Dokumen tindak lanjut keberatan {objection.number}" in detail
    assert body(ppid.get(admin_answer)) == first
    opened = ppid.get(admin_followup)
    assert "no-store" in opened["Cache-Control"] and body(opened) == second
    history = ppid.get(reverse("ppid_permohonan:detail", args=[req.pk])).content.decode()
    assert "Dokumen tindak lanjut keberatan dibuka" in history

    # an SOP role outside the PPID groups gets neither from the admin (refused alike: Wagtail turns
    # the PermissionDenied into a redirect to the dashboard)
    outsider = login(sop_users[SOPRole.WEB_ADMIN])
    refusals = [outsider.get(url) for url in (admin_answer, admin_followup)]
    for refused in refusals:
        assert_refused(refused)
        assert first not in refused.content and second not in refused.content
    assert refusals[0].status_code == refusals[1].status_code
    assert refusals[0].get("Location") == refusals[1].get("Location")


def test_only_the_ppid_follows_up_and_only_an_upheld_objection(
    mailoutbox, django_capture_on_commit_callbacks
):
    users = ppid_users()
    req, objection = refused_and_objected(users)
    followup_url = reverse("ppid_permohonan:followup", args=[req.pk])
    ppid = login(users[Role.PPID])

    # not yet answered, then dismissed: nothing to follow up, no email to the PPID
    early = ppid.get(followup_url)
    assert "Tidak ada keberatan yang diterima" in str(list(get_messages(early.wsgi_request))[-1])
    answer_objection(login(users[Role.SUPERIOR]), objection, "ditolak", django_capture_on_commit_callbacks)
    assert [email.to for email in mailoutbox] == [["siti@contoh.id"]]
    assert BUTTON not in ppid.get(reverse("ppid_permohonan:detail", args=[req.pk])).content.decode()
    late = ppid.post(followup_url, {"note": NOTE, "document": upload()})
    assert late.status_code == 302
    req.refresh_from_db()
    assert not req.answer_document and not req.followup_document

    # upheld: the desk and the superior may not provide it
    second = Objection.receive(request=req, ground="e", reason="Keberatan kedua atas permohonan yang sama.")
    answer_objection(login(users[Role.SUPERIOR]), second, "diterima", django_capture_on_commit_callbacks)
    for role in (Role.DESK, Role.SUPERIOR):
        client = login(users[role])
        detail = client.get(reverse("ppid_permohonan:detail", args=[req.pk])).content.decode()
        assert BUTTON not in detail and "Hanya kelompok PPID yang dapat mencatatnya." in detail
        assert_refused(client.get(followup_url))
        assert_refused(client.post(followup_url, {"note": NOTE, "document": upload()}))
    req.refresh_from_db()
    assert not req.answer_document and not req.followup_document


def test_the_answer_form_warns_above_its_save_button():
    users = ppid_users()
    req = make_request()
    page = login(users[Role.PPID]).get(reverse("ppid_permohonan:answer", args=[req.pk])).content.decode()
    assert page.index("Jawaban tidak dapat diubah setelah disimpan") < page.index("Simpan jawaban")
