"""The written notices read back from the PDF (pypdf): numbers, Indonesian dates, decision, legal basis,
consequence test, and the way to the Komisi Informasi; downloaded by staff from the admin."""

from __future__ import annotations

import io
import re

import pytest
from freezegun import freeze_time
from pypdf import PdfReader

from django.urls import reverse

from ppid import notices
from ppid.models import Objection
from ppid.rules import Role
from tests.ppid.test_admin_support import make_request, ppid_users
from tests.sop_workflow.admin_helpers import login

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def refused(db):
    users = ppid_users()
    with freeze_time("2026-12-04 09:00:00+07:00"):  # Friday: due Friday 18 December
        req = make_request()
    with freeze_time("2026-12-10 10:00:00+07:00"):
        req.extend("Dokumen masih dihimpun dari arsip.", users[Role.PPID])  # due Tuesday 29 December
    with freeze_time("2026-12-22 14:00:00+07:00"):
        req.record_answer(
            decision="ditolak",
            answer="Permohonan menyangkut data pribadi pemilih.",
            user=users[Role.PPID],
            legal_basis="Pasal 17 huruf h angka 2 UU 14/2008",
            consequence_test="Membuka NIK pemilih dapat disalahgunakan untuk pencurian identitas.",
        )
    return users, req


def test_the_answer_notice_reads_back_with_its_dates_and_reasons(refused):
    _users, req = refused
    text = text_of(notices.request_notice(req))
    for expected in (
        "PEMBERITAHUAN TERTULIS",
        f"Nomor registrasi: {req.number}",
        "KOMISI PEMILIHAN UMUM PROVINSI JAWA TENGAH",
        "Tanggal diterima 4 Desember 2026",
        "Batas waktu jawaban 29 Desember 2026 (diperpanjang dari 18 Desember 2026)",
        "Tanggal dijawab 22 Desember 2026 (tepat waktu)",
        "Keputusan Permohonan ditolak",
        "Dasar hukum Pasal 17 huruf h angka 2 UU 14/2008",
        "Uji konsekuensi Membuka NIK pemilih dapat disalahgunakan",
        "Siti Aminah",
        "Semarang, 22 Desember 2026",
    ):
        assert expected in text, expected
    # thirty working days after 22 December 2026 (no holidays recorded): 2 February 2027
    assert "paling lambat tanggal 2 Februari 2027" in text


def test_the_extension_notice_names_both_deadlines_and_the_reason(refused):
    _users, req = refused
    text = text_of(notices.extension_notice(req))
    for expected in (
        "PEMBERITAHUAN PERPANJANGAN WAKTU",
        f"Nomor registrasi: {req.number}",
        "Tanggal diterima 4 Desember 2026",
        "Batas waktu semula 18 Desember 2026",
        "Tanggal perpanjangan 10 Desember 2026",
        "Batas waktu baru 29 Desember 2026",
        "Dokumen masih dihimpun dari arsip.",
        "diperpanjang 7 hari kerja",
    ):
        assert expected in text, expected


def test_the_objection_notice_gives_the_last_day_for_the_commission(refused):
    users, req = refused
    with freeze_time("2027-01-05 10:00:00+07:00"):
        objection = Objection.receive(request=req, ground="a", reason="Saya hanya meminta data agregat.")
    with freeze_time("2027-01-15 15:00:00+07:00"):  # Friday
        objection.record_answer(
            decision="diterima-sebagian",
            answer="Data agregat wajib diberikan.",
            user=users[Role.SUPERIOR],
            superior_name="Retno Wulandari",
            superior_position="Sekretaris KPU Provinsi Jawa Tengah",
        )
    text = text_of(notices.objection_notice(objection))
    for expected in (
        "TANGGAPAN ATASAN PPID ATAS KEBERATAN",
        f"Nomor registrasi: {objection.number}",
        f"Nomor permohonan informasi {req.number}",
        "Tanggal keberatan diterima 5 Januari 2027",
        "Tanggal ditanggapi 15 Januari 2027",
        "Keputusan Keberatan diterima sebagian",
        "Retno Wulandari",
        "Komisi Informasi Provinsi Jawa Tengah",
        "14 hari kerja",
        # fourteen working days after Friday 15 January 2027: Thursday 4 February 2027
        "paling lambat tanggal 4 Februari 2027",
    ):
        assert expected in text, expected


def test_staff_download_the_notices_and_none_exists_before_its_event(refused):
    users, req = refused
    client = login(users[Role.DESK])
    for kind in ("jawaban", "perpanjangan"):
        response = client.get(reverse("ppid_permohonan:notice", args=[req.pk, kind]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert f"pemberitahuan-{kind}-{req.number}.pdf" in response["Content-Disposition"]
        assert req.number in text_of(response.content)
    fresh = make_request(email="baru@contoh.id")
    for kind in ("jawaban", "perpanjangan", "lain"):
        assert client.get(reverse("ppid_permohonan:notice", args=[fresh.pk, kind])).status_code == 404
    objection = Objection.receive(request=req, ground="a", reason="Keberatan.")
    assert client.get(reverse("ppid_keberatan:notice", args=[objection.pk])).status_code == 404
