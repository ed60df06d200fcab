"""Objections from the status page: only for the session's proved request, only on the grounds its
state allows (art. 35(1)), only within 30 working days of the ground arising (art. 36(1))."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from ppid.models import InformationRequest, Objection
from ppid.rules import Decision, ObjectionGround
from tests.ppid.test_public_filing import (  # noqa: F401 - fixtures: the flood counters, the PPID staff
    STATUS_URL,
    _fresh_budgets,
    error_summary,
    page_text,
    ppid_staff,
)
from tests.ppid.test_public_status import prove, receive

pytestmark = pytest.mark.django_db

OBJECTION_URL = "/layanan-informasi/keberatan/"
OBJECTION_RECEIPT_URL = "/layanan-informasi/keberatan/terkirim/"
EMAIL = "budi@contoh.id"


def at(moment: str):
    return freeze_time(f"{moment}+07:00")


def offered(response) -> list[str]:
    html = response.content.decode()
    return [ground.value for ground in ObjectionGround if f'name="ground" value="{ground.value}"' in html]


@pytest.fixture
def request_of_4_december(db) -> InformationRequest:
    """Received Friday 4 December 2026; due Friday 18 December (10 working days)."""
    with at("2026-12-04 09:00:00"):
        return receive()


def test_an_objection_needs_a_proved_request(client):
    response = client.get(OBJECTION_URL)
    assert response.status_code == 302
    assert response["Location"] == f"{STATUS_URL}?keberatan=1"
    text = page_text(client.get(response["Location"]))
    assert "Untuk mengajukan keberatan, buka dulu status permohonan Anda" in text


def test_no_objection_while_the_request_is_within_its_deadline(client, request_of_4_december):
    with at("2026-12-10 10:00:00"):
        prove(client, request_of_4_december.number, EMAIL)
        assert "Ajukan keberatan" not in page_text(client.get(STATUS_URL))
        page = client.get(OBJECTION_URL)
        assert "Keberatan belum dapat diajukan" in page_text(page)
        refused = client.post(OBJECTION_URL, {"ground": "c", "reason": "Belum dijawab."})
        assert refused.status_code == 403
    assert Objection.objects.count() == 0


@pytest.mark.usefixtures("ppid_staff")
def test_an_unanswered_request_past_its_deadline_allows_ground_c_only(
    client, request_of_4_december, mailoutbox, django_capture_on_commit_callbacks
):
    with at("2026-12-21 10:00:00"):
        prove(client, request_of_4_december.number, EMAIL)
        status = page_text(client.get(STATUS_URL))
        assert "Belum dijawab, melewati batas waktu" in status
        assert "Ajukan keberatan" in status
        form = client.get(OBJECTION_URL)
        assert offered(form) == ["c"]

        wrong = client.post(OBJECTION_URL, {"ground": "a", "reason": "Ditolak."})
        assert "Alasan ini tidak sesuai dengan keadaan permohonan Anda." in error_summary(wrong)
        missing = client.post(OBJECTION_URL, {"ground": "c", "reason": ""})
        assert "Tuliskan uraian keberatan Anda." in error_summary(missing)
        assert Objection.objects.count() == 0

        with django_capture_on_commit_callbacks(execute=True):
            filed = client.post(
                OBJECTION_URL, {"ground": "c", "reason": "Sampai batas waktu belum ada jawaban."}
            )
        assert filed.status_code == 302
        assert filed["Location"] == OBJECTION_RECEIPT_URL
        objection = Objection.objects.get()
        assert (objection.number, objection.ground, objection.request) == (
            "KB-2026-00001",
            "c",
            request_of_4_december,
        )
        receipt = page_text(client.get(OBJECTION_RECEIPT_URL))
    assert "Keberatan Anda sudah diterima" in receipt
    assert "KB-2026-00001" in receipt
    assert "Komisi Informasi Provinsi Jawa Tengah" in receipt
    assert objection.due_on.strftime("%Y") in receipt

    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {"Budi@Contoh.id", "atasanppid@kpu.test"}  # not the desk, not the PPID
    to_requester = by_address["Budi@Contoh.id"]
    assert to_requester.subject == (
        f"[KPU Jateng] Tanda bukti keberatan KB-2026-00001 atas permohonan {request_of_4_december.number}"
    )
    to_superior = by_address["atasanppid@kpu.test"]
    assert f"http://testserver/admin/ppid/keberatan/{objection.pk}/" in to_superior.body
    assert "Sampai batas waktu belum ada jawaban." in to_superior.body


def test_the_window_closes_30_working_days_after_the_ground_arose(client, request_of_4_december):
    with at("2026-12-21 10:00:00"):
        deadline = request_of_4_december.objection_deadline()
    assert deadline > dt.date(2027, 1, 25)  # 30 working days after Friday 18 December
    with at(f"{deadline:%Y-%m-%d} 16:00:00"):
        prove(client, request_of_4_december.number, EMAIL)
        assert offered(client.get(OBJECTION_URL)) == ["c"]
    next_day = deadline + dt.timedelta(days=1)
    with at(f"{next_day:%Y-%m-%d} 08:00:00"):
        prove(client, request_of_4_december.number, EMAIL)
        status = page_text(client.get(STATUS_URL))
        assert "Batas waktu pengajuan keberatan atas permohonan ini berakhir pada" in status
        assert "Ajukan keberatan" not in status
        refused = client.post(OBJECTION_URL, {"ground": "c", "reason": "Terlambat sehari."})
        assert refused.status_code == 403
        text = page_text(refused)
        assert "Batas waktu keberatan sudah berakhir" in text
        assert "30 hari kerja setelah alasannya muncul" in text
        assert "Terlambat sehari." in text  # what was typed is shown back, nothing saved
    assert Objection.objects.count() == 0


def test_a_refusal_answered_on_time_allows_the_grounds_of_a_refusal(client, request_of_4_december):
    with at("2026-12-15 10:00:00"):
        request_of_4_december.record_answer(
            decision=Decision.REFUSED,
            answer="Dikecualikan.",
            legal_basis="Pasal 17 huruf h UU 14/2008",
            user=None,
        )
    with at("2026-12-16 10:00:00"):
        prove(client, request_of_4_december.number, EMAIL)
        # a (refused under the exceptions), b, e, f (a copy was asked for); not c, d or g
        assert offered(client.get(OBJECTION_URL)) == ["a", "b", "e", "f"]
        typed = "Informasi ini tidak termasuk yang dikecualikan."
        response = client.post(OBJECTION_URL, {"ground": "", "reason": typed})
        assert "Pilih alasan keberatan." in error_summary(response)
        assert typed in response.content.decode()
        assert client.post(OBJECTION_URL, {"ground": "a", "reason": typed}).status_code == 302
        # The same ground is not offered twice; the others still are.
        again = client.get(OBJECTION_URL)
        assert offered(again) == ["b", "e", "f"]
        assert "sudah Anda ajukan" in page_text(again)


def test_a_late_answer_allows_ground_g(client, request_of_4_december):
    with at("2026-12-22 10:00:00"):  # after Friday 18 December
        request_of_4_december.record_answer(decision=Decision.GIVEN, answer="Terlampir.", user=None)
    with at("2026-12-23 10:00:00"):
        prove(client, request_of_4_december.number, EMAIL)
        assert offered(client.get(OBJECTION_URL)) == ["d", "e", "f", "g"]
        response = client.post(OBJECTION_URL, {"ground": "g", "reason": "Jawaban datang terlambat."})
        assert response.status_code == 302
    assert Objection.objects.get().ground == "g"


def test_an_objection_sent_just_after_the_last_day_is_refused(client, request_of_4_december):
    with at("2026-12-15 10:00:00"):
        request_of_4_december.record_answer(decision=Decision.NOT_HELD, answer="Tidak dikuasai.", user=None)
        deadline = request_of_4_december.objection_deadline()
    with at(f"{deadline:%Y-%m-%d} 23:50:00"):
        prove(client, request_of_4_december.number, EMAIL)
        assert offered(client.get(OBJECTION_URL)) == ["b", "e", "f"]
    with at(f"{deadline + dt.timedelta(days=1):%Y-%m-%d} 00:05:00"):
        prove(client, request_of_4_december.number, EMAIL)
        response = client.post(OBJECTION_URL, {"ground": "b", "reason": "Informasi berkala."})
        assert response.status_code == 403
        assert "Batas waktu keberatan sudah berakhir" in page_text(response)
    assert Objection.objects.count() == 0
