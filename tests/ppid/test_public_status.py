"""The status page: number + email open a request for this session only; the same answer whether a
number exists or not; the notices and the answer document only for the session that proved them."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ppid import rules
from ppid.models import InformationRequest, Objection
from ppid.rules import Decision
from tests.ppid.test_public_filing import (  # noqa: F401 - _fresh_budgets: the flood counters reset
    STATUS_URL,
    _fresh_budgets,
    error_summary,
    field_value,
    page_text,
    scan,
)

pytestmark = pytest.mark.django_db

FIELDS = dict(
    name="Budi Santoso",
    address="Jl. Pemuda 5, Semarang",
    occupation="Wartawan",
    phone="081234567890",
    email="Budi@Contoh.id",
    information="Salinan SK penetapan DCT DPRD Provinsi Jawa Tengah 2024.",
    purpose="Pemberitaan.",
    access_method="salinan",
    copy_format="softcopy",
    delivery="email",
)
NOTICES = "/layanan-informasi/pemberitahuan/"
NOT_FOUND = "Nomor registrasi dan alamat email ini tidak cocok dengan permohonan mana pun."


def receive(**changes) -> InformationRequest:
    return InformationRequest.receive(**{**FIELDS, "identity_scan": scan(), **changes})


def prove(client, number: str, email: str):
    return client.post(STATUS_URL, {"number": number, "email": email})


@pytest.fixture
def answered(db):
    """Received Friday 4 December 2026, extended, answered with a document on 21 December."""
    with freeze_time("2026-12-04 09:00:00+07:00"):
        request = receive()
    with freeze_time("2026-12-16 10:00:00+07:00"):
        request.extend("Dokumen berada di arsip kabupaten dan perlu dipindai.", user=None)
    with freeze_time("2026-12-21 14:00:00+07:00"):
        request.record_answer(
            decision=Decision.GIVEN,
            answer="Salinan SK terlampir.",
            user=None,
            document=SimpleUploadedFile("sk-dct.pdf", b"%PDF-1.4\nSK DCT 2024\n%%EOF\n"),
        )
    return request


def test_the_right_number_and_email_open_the_status(client):
    with freeze_time("2026-12-04 09:00:00+07:00"):
        request = receive()
        response = prove(client, " pi-2026-00001 ", "budi@contoh.ID")
        assert response.status_code == 302
        assert response["Location"] == STATUS_URL
        status = client.get(STATUS_URL)
    text = page_text(status)
    assert f"Status permohonan {request.number}" in text
    assert "Diterima, menunggu jawaban" in text
    assert "Jumat, 18 Desember 2026" in text
    assert "4 Desember 2026, pukul 09.00 WIB" in text
    assert "Salinan SK penetapan DCT" in text
    assert "private" in status["Cache-Control"] and "no-store" in status["Cache-Control"]
    assert status["X-Robots-Tag"] == "noindex"


def test_a_wrong_email_and_an_unknown_number_get_the_same_answer(client):
    receive()
    wrong_email = prove(client, "PI-2026-00001", "orang-lain@contoh.id")
    unknown = prove(client, "PI-2026-09999", "budi@contoh.id")
    for response in (wrong_email, unknown):
        assert response.status_code == 200
        assert NOT_FOUND in error_summary(response)
        assert "Budi Santoso" not in page_text(response)
    assert error_summary(wrong_email) == error_summary(unknown)
    assert field_value(wrong_email, "email") == "orang-lain@contoh.id"  # what was typed stays
    # Nothing was opened for this session.
    assert "Status permohonan PI-" not in page_text(client.get(STATUS_URL))


def test_a_badly_written_number_is_explained(client):
    response = prove(client, "2026/42", "budi@contoh.id")
    assert "Nomor registrasi ditulis seperti PI-2026-00042 atau KB-2026-00003." in error_summary(response)
    response = prove(client, "", "")
    assert "Isi nomor registrasi dari tanda bukti Anda." in error_summary(response)


def test_the_objection_number_opens_its_request_too(client, answered):
    with freeze_time("2026-12-22 09:00:00+07:00"):
        objection = Objection.receive(request=answered, ground="d", reason="Bukan SK yang saya minta.")
        assert prove(client, objection.number, "budi@contoh.id").status_code == 302
        text = page_text(client.get(STATUS_URL))
    assert f"Status permohonan {answered.number}" in text
    assert f"Keberatan {objection.number}" in text
    assert "Menunggu tanggapan Atasan PPID" in text


def test_guessing_is_limited_per_address(client):
    receive()
    for attempt in range(rules.SUBMISSIONS_PER_ADDRESS_PER_HOUR):
        assert prove(client, f"PI-2026-{attempt + 100:05d}", "budi@contoh.id").status_code == 200
    refused = prove(client, "PI-2026-00001", "budi@contoh.id")
    assert refused.status_code == 429
    assert "Terlalu banyak pengiriman" in page_text(refused)
    assert "Status permohonan PI-" not in page_text(client.get(STATUS_URL))


def test_the_status_shows_the_extension_the_answer_and_the_downloads(client, answered):
    with freeze_time("2026-12-22 09:00:00+07:00"):
        prove(client, answered.number, "budi@contoh.id")
        status = client.get(STATUS_URL)
    text = page_text(status)
    assert "Sudah dijawab" in text
    assert "Batas waktu semula Jumat, 18 Desember 2026" in text
    assert "Dokumen berada di arsip kabupaten dan perlu dipindai." in text
    assert "Selasa, 29 Desember 2026 (setelah perpanjangan)" in text
    assert "Informasi diberikan seluruhnya" in text
    assert "Salinan SK terlampir." in text
    html = status.content.decode()
    assert f'href="/layanan-informasi/pemberitahuan/jawaban/{answered.number}.pdf"' in html
    assert f'href="/layanan-informasi/pemberitahuan/perpanjangan/{answered.number}.pdf"' in html
    assert f'href="/layanan-informasi/dokumen/{answered.number}/"' in html
    assert "/media/" not in html
    assert "Ajukan keberatan" in text


def test_notices_and_the_document_reach_only_the_session_that_proved_them(client, answered):
    with freeze_time("2026-12-22 09:00:00+07:00"):
        other_request = receive(email="lain@contoh.id")
        stranger, other = Client(), Client()
        prove(client, answered.number, "budi@contoh.id")
        prove(other, other_request.number, "lain@contoh.id")
        urls = [
            f"/layanan-informasi/pemberitahuan/jawaban/{answered.number}.pdf",
            f"/layanan-informasi/pemberitahuan/perpanjangan/{answered.number}.pdf",
            f"/layanan-informasi/dokumen/{answered.number}/",
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert body.startswith(b"%PDF"), url
            assert stranger.get(url).status_code == 404, url
            assert other.get(url).status_code == 404, url
        document = client.get(urls[2])
        assert document["Content-Disposition"] == f'attachment; filename="informasi-{answered.number}.pdf"'
        assert b"".join(document.streaming_content) == b"%PDF-1.4\nSK DCT 2024\n%%EOF\n"
        # Nothing of it has a public address: not the storage's own URL, not the notice of another kind.
        stored = answered.answer_document.url
        assert not stored.startswith("/media/")
        assert stranger.get(stored).status_code == 404
        assert (
            client.get(f"/layanan-informasi/pemberitahuan/keberatan/{answered.number}.pdf").status_code == 404
        )
        assert client.get(f"/layanan-informasi/pemberitahuan/lain/{answered.number}.pdf").status_code == 404
        # A notice not yet issued is not there either.
        prove(other, other_request.number, "lain@contoh.id")
        assert (
            other.get(f"/layanan-informasi/pemberitahuan/jawaban/{other_request.number}.pdf").status_code
            == 404
        )


def test_the_objection_answer_can_be_downloaded(client, answered):
    with freeze_time("2026-12-22 09:00:00+07:00"):
        objection = Objection.receive(request=answered, ground="d", reason="Bukan SK yang saya minta.")
    with freeze_time("2027-01-05 09:00:00+07:00"):
        objection.record_answer(
            decision="ditolak",
            answer="SK yang diberikan sudah sesuai permohonan.",
            user=None,
            superior_name="Dr. Atasan",
            superior_position="Sekretaris KPU Provinsi Jawa Tengah",
        )
        prove(client, answered.number, "budi@contoh.id")
        text = page_text(client.get(STATUS_URL))
        assert "Keberatan ditolak: keputusan PPID dikuatkan" in text
        assert "Komisi Informasi Provinsi Jawa Tengah paling lambat" in text
        response = client.get(f"/layanan-informasi/pemberitahuan/keberatan/{objection.number}.pdf")
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")
        assert (
            Client().get(f"/layanan-informasi/pemberitahuan/keberatan/{objection.number}.pdf").status_code
            == 404
        )


def test_closing_the_status_forgets_it_on_this_device(client, answered):
    with freeze_time("2026-12-22 09:00:00+07:00"):
        prove(client, answered.number, "budi@contoh.id")
        closed = client.post(STATUS_URL, {"tindakan": "tutup"}, follow=True)
        assert "Status sudah ditutup di perangkat ini." in page_text(closed)
        assert client.get(f"/layanan-informasi/dokumen/{answered.number}/").status_code == 404


def test_a_request_registered_without_email_cannot_be_opened_with_an_empty_or_any_address(client):
    """A walk-in without an address follows its request at the desk: no email opens it online."""
    with freeze_time("2026-12-04 09:00:00+07:00"):
        request = receive(email="", channel="datang-langsung")
        for email in ("", " ", "budi@contoh.id"):
            response = prove(client, request.number, email)
            assert response.status_code == 200, email  # the form again, no way in
        assert request.number not in page_text(client.get(STATUS_URL))
