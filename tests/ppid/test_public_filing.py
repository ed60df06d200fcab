"""A reader files an information request on the public form: number, receipt on screen and by email,
the desk and the PPID told; every bad input refused in Indonesian with what was typed kept and
nothing saved; floods and robots refused."""

from __future__ import annotations

import io
import re
import time
from html import unescape

import pytest
from freezegun import freeze_time
from PIL import Image

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from ppid import challenge, rules
from ppid.models import InformationRequest
from ppid.rules import ROLES, Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

FORM_URL = "/layanan-informasi/permohonan/"
RECEIPT_URL = "/layanan-informasi/permohonan/terkirim/"
STATUS_URL = "/layanan-informasi/status/"

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

TYPED = {
    "requester_type": "perorangan",
    "name": "Siti Aminah",
    "address": "Jl. Pahlawan No. 1, Semarang",
    "occupation": "Mahasiswa",
    "phone": "0812 3456 7890",
    "email": "siti@contoh.id",
    "information": "Rekapitulasi DPT Pemilu 2024 per kabupaten/kota di Jawa Tengah.",
    "purpose": "Bahan penelitian skripsi tentang partisipasi pemilih.",
    "access_method": "salinan",
    "copy_format": "softcopy",
    "delivery": "email",
    "consent": "on",
}


# --- helpers the other test_public_* modules share ---------------------------------------------------
def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def scan(name="ktp.pdf", content=PDF_BYTES, content_type="application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def answered_challenge(seconds_ago: float = 60) -> dict:
    """The challenge's fields as a person would send them, the form shown ``seconds_ago``."""
    issued = challenge.issue(now=time.time() - seconds_ago)
    return {
        "challenge": issued.token,
        "challenge_answer": str(challenge.answer_for(issued.token)),
        "website": "",
    }


def form_data(**changes) -> dict:
    data = {**TYPED, **answered_challenge(), "identity_scan": scan()}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def file_request(client, **changes):
    """Post the form (a fresh answered challenge each time); returns the response."""
    return client.post(FORM_URL, form_data(**changes))


def page_text(response) -> str:
    """What a person reads: the HTML without tags, entities decoded, spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def field_value(response, name: str) -> str | None:
    html = response.content.decode()
    textarea = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    if textarea:
        return unescape(textarea.group(1)).strip()
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    if tag is None:
        return None
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return unescape(value.group(1)) if value else ""


def checked(response, name: str) -> list[str]:
    html = response.content.decode()
    values = []
    for tag in re.findall(rf'<input[^>]*name="{name}"[^>]*>', html):
        if " checked" in tag:
            value = re.search(r'value="([^"]*)"', tag)
            values.append(value.group(1) if value else "on")  # a checkbox without a value sends "on"
    return values


def error_summary(response) -> str:
    html = response.content.decode()
    found = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split()) if found else ""


def make_user(username: str, role: Role | None = None, sop_group: str | None = None):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@kpu.test", first_name=username.capitalize()
    )
    if role is not None:
        user.groups.add(Group.objects.get(name=ROLES[role].group_name))
    if sop_group is not None:
        user.groups.add(Group.objects.get(name=sop_group))
    return user


@pytest.fixture(autouse=True)
def _fresh_budgets():
    """The flood counters live in the cache (local memory in tests): each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ppid_staff(db):
    return {
        Role.DESK: make_user("petugasinfo", Role.DESK),
        Role.PPID: make_user("ppid", Role.PPID),
        Role.SUPERIOR: make_user("atasanppid", Role.SUPERIOR),
        "sop": make_user("pengampu", sop_group="Web Admin"),
    }


# --- filing -------------------------------------------------------------------------------------
@freeze_time("2026-12-04 09:00:00+07:00")
def test_a_reader_files_a_request_and_gets_a_number_a_receipt_and_an_email(
    client, ppid_staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = file_request(client)
    assert response.status_code == 302
    assert response["Location"] == RECEIPT_URL

    request = InformationRequest.objects.get()
    assert request.number == "PI-2026-00001"
    assert (request.name, request.email, request.access_method) == (
        "Siti Aminah",
        "siti@contoh.id",
        "salinan",
    )
    assert request.identity_scan.storage is not None
    assert request.identity_scan.read() == PDF_BYTES
    assert not request.identity_scan.path.startswith(str(settings.MEDIA_ROOT))

    receipt = client.get(RECEIPT_URL)
    text = page_text(receipt)
    assert "Permohonan Anda sudah diterima" in text
    assert "PI-2026-00001" in text
    assert "4 Desember 2026, pukul 09.00 WIB" in text
    assert "Jumat, 18 Desember 2026" in text  # 10 working days
    assert "Langkah selanjutnya" in text
    assert "nomor registrasi PI-2026-00001 dan alamat email" in text
    assert "no-store" in receipt["Cache-Control"] and "private" in receipt["Cache-Control"]

    to_requester = [message for message in mailoutbox if message.to == ["siti@contoh.id"]]
    assert len(to_requester) == 1
    assert to_requester[0].subject == "[KPU Jateng] Tanda bukti permohonan informasi PI-2026-00001"
    assert "Jumat, 18 Desember 2026" in to_requester[0].body
    assert "http://testserver/layanan-informasi/status/" in to_requester[0].body
    assert to_requester[0].from_email == settings.DEFAULT_FROM_EMAIL

    to_staff = {message.to[0]: message for message in mailoutbox if message.to != ["siti@contoh.id"]}
    assert set(to_staff) == {"petugasinfo@kpu.test", "ppid@kpu.test"}  # not the Atasan PPID, not the SOP
    staff_email = to_staff["petugasinfo@kpu.test"]
    assert staff_email.subject == "[KPU Jateng] Permohonan informasi baru PI-2026-00001"
    assert f"http://testserver/admin/ppid/permohonan/{request.pk}/" in staff_email.body
    assert "Rekapitulasi DPT Pemilu 2024" in staff_email.body


def test_the_reader_who_filed_sees_the_status_at_once(client, django_capture_on_commit_callbacks):
    file_request(client)
    status = client.get(STATUS_URL)
    assert "Status permohonan PI-" in page_text(status)
    assert "Diterima, menunggu jawaban" in page_text(status)


def test_the_form_shown_to_a_person_can_be_answered(client):
    """Through the page itself: the question in words, the token in the form, the fill time."""
    with freeze_time("2026-12-04 09:00:00+07:00") as clock:
        form = client.get(FORM_URL)
        assert form.status_code == 200
        html = form.content.decode()
        token = re.search(r'name="challenge" value="([^"]+)"', html).group(1)
        question = challenge.question(token)
        assert re.fullmatch(r"Berapa [a-z ]+ (ditambah|dikurangi) [a-z ]+\?", question)
        assert question in page_text(form)
        clock.tick(45)
        data = form_data(challenge=token, challenge_answer=challenge.in_words(challenge.answer_for(token)))
        response = client.post(FORM_URL, data)
    assert response.status_code == 302
    assert InformationRequest.objects.count() == 1


def test_the_form_page_is_accessible_and_private(client):
    response = client.get(FORM_URL)
    html = response.content.decode()
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert '<html lang="id">' in html
    assert 'enctype="multipart/form-data"' in html
    assert "<legend>Cara memperoleh informasi</legend>" in html
    assert 'aria-describedby="id_email-petunjuk"' in html
    assert f"dihapus {rules.IDENTITY_RETENTION_DAYS} hari setelah permohonan" in page_text(response)
    assert 'aria-describedby="catatan-penyimpanan"' in html
    # The honeypot is out of reach of people and assistive technology.
    assert re.search(r'<div class="layanan-hp" aria-hidden="true">.*?tabindex="-1"', html, re.S)


# --- bad input --------------------------------------------------------------------------------
def assert_kept(response, **expected):
    for name, value in expected.items():
        assert field_value(response, name) == value, name


def test_missing_fields_are_named_in_indonesian_and_nothing_is_saved(client):
    response = file_request(
        client, name="", phone="", information="", access_method=None, consent=None, identity_scan=None
    )
    assert response.status_code == 200
    assert InformationRequest.objects.count() == 0
    summary = error_summary(response)
    assert summary.startswith("Ada 6 hal yang perlu diperbaiki")
    for message in (
        "Isi nama lengkap Anda.",
        "Isi nomor telepon atau HP Anda.",
        "Pilih berkas pindaian KTP (atau akta pendirian untuk badan hukum).",
        "Tuliskan informasi yang Anda butuhkan.",
        "Pilih cara memperoleh informasi.",
        "Centang pernyataan persetujuan untuk mengirim permohonan.",
    ):
        assert message in summary
    html = response.content.decode()
    # Each message links to its field, and the field names its error for screen readers.
    assert '<a href="#id_name">Isi nama lengkap Anda.</a>' in html
    assert '<a href="#id_access_method_0">Pilih cara memperoleh informasi.</a>' in html
    name_input = re.search(r'<input[^>]*name="name"[^>]*>', html).group(0)
    assert 'aria-describedby="id_name-petunjuk id_name-galat"' in name_input
    assert 'aria-invalid="true"' in name_input
    assert "Perbaiki isian: Permohonan informasi publik" in html
    # Everything typed is still there.
    assert_kept(
        response,
        address="Jl. Pahlawan No. 1, Semarang",
        occupation="Mahasiswa",
        email="siti@contoh.id",
        purpose="Bahan penelitian skripsi tentang partisipasi pemilih.",
    )
    assert checked(response, "requester_type") == ["perorangan"]
    assert checked(response, "copy_format") == ["softcopy"]


def test_an_oversized_scan_is_refused_and_the_reader_is_told_to_choose_it_again(client):
    big = scan("ktp.pdf", PDF_BYTES + b"0" * (rules.IDENTITY_MAX_BYTES + 1024 * 1024))
    response = file_request(client, identity_scan=big)
    assert InformationRequest.objects.count() == 0
    summary = error_summary(response)
    assert "Berkas “ktp.pdf” ditolak: ukurannya 6,0 MB, melebihi batas 5,0 MB." in summary
    assert "lalu pilih lagi" in summary
    assert_kept(response, name="Siti Aminah", information=TYPED["information"], phone="0812 3456 7890")
    assert checked(response, "consent") == ["on"]


def test_a_scan_that_is_not_what_its_name_says_is_refused(client):
    renamed = scan("ktp.pdf", png_bytes(), content_type="application/pdf")
    response = file_request(client, identity_scan=renamed)
    assert InformationRequest.objects.count() == 0
    assert "Berkas “ktp.pdf” ditolak: namanya .pdf, tetapi isinya berkas PNG." in error_summary(response)

    text = scan("ktp.pdf", b"Ini bukan PDF, hanya teks biasa.\n" * 10)
    response = file_request(client, identity_scan=text)
    assert "namanya .pdf, tetapi isinya bukan PDF, JPG, atau PNG" in error_summary(response)

    word = scan("akta.docx", b"PK\x03\x04" + b"\x00" * 100)
    response = file_request(client, identity_scan=word)
    assert "jenis berkas tidak diterima. Unggah pindaian berupa PDF, JPG, atau PNG." in error_summary(
        response
    )

    broken = scan("ktp.png", png_bytes()[:60], content_type="image/png")
    response = file_request(client, identity_scan=broken)
    assert "gambarnya rusak atau tidak dapat dibaca" in error_summary(response)
    assert InformationRequest.objects.count() == 0


def test_a_genuine_photo_of_the_ktp_is_accepted(client):
    response = file_request(client, identity_scan=scan("KTP Siti.PNG", png_bytes(), content_type="image/png"))
    assert response.status_code == 302
    assert InformationRequest.objects.get().identity_scan.name.endswith(".png")


def test_a_copy_needs_its_format_and_delivery(client):
    response = file_request(client, copy_format=None, delivery=None)
    assert InformationRequest.objects.count() == 0
    summary = error_summary(response)
    assert "Pilih bentuk salinan: elektronik (softcopy) atau cetak (hardcopy)." in summary
    assert "Pilih cara mendapatkan salinan." in summary
    assert checked(response, "access_method") == ["salinan"]
    assert_kept(response, information=TYPED["information"])

    response = file_request(client, copy_format="hardcopy", delivery="email")
    assert "Salinan cetak tidak dapat dikirim lewat email." in error_summary(response)
    assert InformationRequest.objects.count() == 0


def test_reading_at_the_office_needs_no_copy_details(client):
    response = file_request(client, access_method="membaca", copy_format="hardcopy", delivery="pos")
    assert response.status_code == 302
    request = InformationRequest.objects.get()
    assert (request.access_method, request.copy_format, request.delivery) == ("membaca", "", "")


def test_a_valid_scan_sent_with_other_errors_must_be_chosen_again_and_the_page_says_so(client):
    response = file_request(client, email="bukan-email")
    assert InformationRequest.objects.count() == 0
    summary = error_summary(response)
    assert "Alamat email belum benar. Contoh penulisan: nama@contoh.id." in summary
    assert "Pilih lagi berkas pindaian identitas Anda (“ktp.pdf”)" in summary
    html = response.content.decode()
    assert 'id="id_identity_scan-catatan"' in html
    assert re.search(r'<input[^>]*type="file"[^>]*aria-describedby="[^"]*id_identity_scan-catatan', html)
    assert_kept(response, email="bukan-email", name="Siti Aminah")


def test_bad_phone_numbers_are_explained(client):
    response = file_request(client, phone="telepon saya")
    assert "Nomor telepon hanya berisi angka" in error_summary(response)
    assert_kept(response, phone="telepon saya")


# --- the challenge and floods ---------------------------------------------------------------------
def test_a_wrong_answer_is_refused_and_a_new_question_asked_with_everything_else_kept(client):
    data = form_data()
    old_token = data["challenge"]
    data["challenge_answer"] = str(challenge.answer_for(old_token) + 1)
    response = client.post(FORM_URL, data)
    assert InformationRequest.objects.count() == 0
    assert (
        "Jawaban pertanyaan pengaman belum benar. Jawab pertanyaan yang baru di bawah ini."
        in error_summary(response)
    )
    new_token = field_value(response, "challenge")
    assert new_token and new_token != old_token
    assert field_value(response, "challenge_answer") == ""
    assert challenge.question(new_token) in page_text(response)
    assert_kept(response, name="Siti Aminah", information=TYPED["information"])


def test_a_form_sent_too_fast_is_refused(client):
    response = file_request(client, **answered_challenge(seconds_ago=1))
    assert InformationRequest.objects.count() == 0
    assert "Formulir terkirim terlalu cepat" in error_summary(response)


def test_a_filled_honeypot_or_a_forged_token_saves_nothing(client):
    response = file_request(client, website="http://spam.example")
    assert "Formulir tidak dapat diproses." in error_summary(response)
    forged = file_request(client, challenge="palsu", challenge_answer="4")
    assert "Pertanyaan pengaman sudah kedaluwarsa." in error_summary(forged)
    assert InformationRequest.objects.count() == 0


def test_an_answered_question_is_not_accepted_twice(client):
    data = form_data()
    assert client.post(FORM_URL, data).status_code == 302
    again = {**data, "identity_scan": scan()}
    response = client.post(FORM_URL, again)
    assert response.status_code == 200
    assert "Pertanyaan pengaman sudah kedaluwarsa." in error_summary(response)
    assert InformationRequest.objects.count() == 1


def test_a_flood_from_one_address_is_refused_politely_with_429(client, mailoutbox):
    for _ in range(rules.SUBMISSIONS_PER_ADDRESS_PER_HOUR):
        assert file_request(client).status_code == 302
    response = file_request(client)
    assert response.status_code == 429
    assert InformationRequest.objects.count() == rules.SUBMISSIONS_PER_ADDRESS_PER_HOUR
    text = page_text(response)
    assert "Terlalu banyak pengiriman" in text
    assert "tidak ada yang tersimpan" in text
    assert int(response["Retry-After"]) > 0
    # Another address is not held back by it.
    assert client.post(FORM_URL, form_data(), REMOTE_ADDR="192.0.2.7").status_code == 302


def test_a_flood_of_bad_submissions_ends_too(client):
    sent = rules.SUBMISSIONS_PER_ADDRESS_PER_HOUR * challenge.SENT_PER_FILED
    for _ in range(sent):
        assert file_request(client, name="").status_code == 200
    assert file_request(client).status_code == 429
    assert InformationRequest.objects.count() == 0


def test_the_budget_is_per_hour(client):
    with freeze_time("2026-12-04 09:05:00+07:00") as clock:
        for _ in range(rules.SUBMISSIONS_PER_ADDRESS_PER_HOUR):
            assert file_request(client).status_code == 302
        assert file_request(client).status_code == 429
        clock.tick(60 * 60)
        assert file_request(client).status_code == 302


def test_the_module_answers_in_words_too():
    assert challenge.parse_answer("dua belas") == 12
    assert challenge.parse_answer(" 12 ") == 12
    assert challenge.parse_answer("Sebelas") == 11
    assert challenge.parse_answer("dua puluh") == 20
    assert challenge.parse_answer("banyak") is None
