"""A reader on a 390 px phone files an information request with a photo of their KTP, reads the number
on screen, gets the receipt through a real SMTP server, and follows the status with number + email.

``SCREENSHOT_DIR=...`` keeps screenshots of the form with errors, the receipt and the status page at
390 and 1280 px.
"""

from __future__ import annotations

import email
import os
import re
import time
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from PIL import Image
from playwright.sync_api import expect

from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from ppid import challenge
from ppid.models import InformationRequest
from ppid.rules import Decision, Role
from ppid.setup import setup_groups
from tests.browser.test_accessibility import AXE, WCAG_TAGS
from tests.ppid.test_public_filing import make_user
from tests.servers import free_port

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


class Sink:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_sink(settings):
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    try:
        yield sink
    finally:
        controller.stop()


def shoot(page, name: str) -> None:
    """A full-page screenshot at 390 and at 1280 px (when SCREENSHOT_DIR is set)."""
    directory = os.environ.get("SCREENSHOT_DIR")
    if not directory:
        return
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.screenshot(path=os.path.join(directory, f"ppid-{name}-{size['width']}.png"), full_page=True)
    page.set_viewport_size(PHONE)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def messages_to(sink, address: str, timeout: float = 10.0) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [envelope for envelope in sink.envelopes if address in envelope.rcpt_tos]
        if found:
            return [email.message_from_bytes(envelope.content) for envelope in found]
        time.sleep(0.1)
    return []


def answer_the_question(page) -> None:
    token = page.locator("input[name=challenge]").get_attribute("value")
    question = challenge.question(token)
    page.get_by_label(question).fill(str(challenge.answer_for(token)))


def axe_violations(browser, url: str, steps) -> list[str]:
    """WCAG 2.1 A/AA violations of a page after ``steps`` (axe-core injected, so the CSP is bypassed)."""
    if not AXE.exists():
        return []
    found = []
    for size in (PHONE, DESKTOP):
        context = browser.new_context(viewport=size, bypass_csp=True, locale="id-ID")
        page = context.new_page()
        page.goto(url)
        steps(page)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        found += [
            f"{size['width']}px {v['id']}: {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
        ]
        context.close()
    return found


def test_a_reader_files_a_request_on_a_phone_and_follows_its_status(
    live_server, browser, smtp_sink, settings, tmp_path
):
    cache.clear()  # the flood counters of earlier tests
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    setup_groups(apps)  # a transactional test starts from flushed tables
    make_user("petugasinfo", Role.DESK)
    make_user("atasanppid", Role.SUPERIOR)
    ktp = tmp_path / "ktp-siti.png"
    Image.new("RGB", (640, 400), (230, 230, 240)).save(ktp)
    base = live_server.url

    context = browser.new_context(viewport=PHONE, locale="id-ID", is_mobile=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{base}/layanan-informasi/permohonan/")
    assert page.get_by_role("heading", level=1).inner_text() == "Permohonan informasi publik"
    assert fits_the_screen(page)

    # Sent empty: the summary takes the focus, names each field, and each message leads to its field.
    page.get_by_role("button", name="Kirim permohonan").click()
    expect(page.locator("#ringkasan-galat")).to_be_focused()
    summary = page.locator("#ringkasan-galat")
    assert "hal yang perlu diperbaiki" in summary.get_by_role("heading").inner_text()
    summary.get_by_role("link", name="Isi nama lengkap Anda.").click()
    assert page.evaluate("document.activeElement.id") == "id_name"
    assert fits_the_screen(page)
    shoot(page, "permohonan-galat")

    page.get_by_label("Perorangan (lampirkan KTP)").check()
    page.get_by_label("Nama lengkap").fill("Siti Aminah")
    page.get_by_label("Alamat", exact=True).fill("Jl. Pahlawan No. 1, Semarang")
    page.get_by_label("Pekerjaan").fill("Mahasiswa")
    page.get_by_label("Nomor telepon atau HP").fill("081234567890")
    page.get_by_label("Alamat email").fill("siti@contoh.id")
    page.get_by_label("Pindaian identitas", exact=True).set_input_files(str(ktp))
    page.get_by_label("Rincian informasi yang dibutuhkan").fill("Rekapitulasi DPT Pemilu 2024 per kabupaten.")
    page.get_by_label("Tujuan penggunaan informasi").fill("Penelitian skripsi.")
    copy_format = page.get_by_label("Salinan elektronik (softcopy)")
    assert not copy_format.is_visible()  # the copy's options appear once a copy is chosen
    page.get_by_label("Mendapatkan salinan informasi").check()
    copy_format.check()
    page.get_by_label("Dikirim lewat email").check()
    page.get_by_label("Saya memahami cara penyimpanan").check()
    answer_the_question(page)
    page.wait_for_timeout(challenge.MIN_SECONDS * 1000)  # a person takes longer than a robot
    page.get_by_role("button", name="Kirim permohonan").click()
    page.wait_for_url(f"{base}/layanan-informasi/permohonan/terkirim/")

    number = page.locator(".layanan-number").inner_text().strip()
    assert re.fullmatch(r"PI-\d{4}-\d{5}", number)
    request = InformationRequest.objects.get(number=number)
    assert request.identity_scan.read()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"{request.due_on:%Y}" in page.locator(".facts").inner_text()
    assert fits_the_screen(page)
    shoot(page, "tanda-bukti")

    received = messages_to(smtp_sink, "siti@contoh.id")
    assert len(received) == 1
    subject = str(make_header(decode_header(received[0]["Subject"])))
    assert subject == f"[KPU Jateng] Tanda bukti permohonan informasi {number}"
    body = received[0].get_payload(decode=True).decode("utf-8")
    assert number in body
    assert f"{base}/layanan-informasi/status/" in body
    desk = messages_to(smtp_sink, "petugasinfo@kpu.test")
    assert f"{base}/admin/ppid/permohonan/{request.pk}/" in desk[0].get_payload(decode=True).decode("utf-8")

    # Later, on another phone: the status page with number + email.
    later = browser.new_context(viewport=PHONE, locale="id-ID", is_mobile=True).new_page()
    later.goto(f"{base}/layanan-informasi/status/")
    later.get_by_label("Nomor registrasi").fill(number.lower())
    later.get_by_label("Alamat email").fill("orang.lain@contoh.id")
    later.get_by_role("button", name="Lihat status").click()
    assert "tidak cocok dengan permohonan mana pun" in later.locator("#ringkasan-galat").inner_text()
    later.get_by_label("Alamat email").fill("Siti@Contoh.id")
    later.get_by_role("button", name="Lihat status").click()
    later.wait_for_url(f"{base}/layanan-informasi/status/")
    assert later.get_by_role("heading", level=1).inner_text() == f"Status permohonan {number}"
    assert "Diterima, menunggu jawaban" in later.locator("main").inner_text()
    assert fits_the_screen(later)
    shoot(later, "status")

    # The PPID extends, then answers with a document: the same page shows it and offers the files.
    request.extend("Data per kecamatan masih direkap oleh KPU kabupaten/kota.", user=None)
    request.record_answer(
        decision=Decision.PARTLY,
        answer="Rekapitulasi per kabupaten terlampir; data per TPS memuat data pribadi.",
        legal_basis="Pasal 17 huruf h UU 14/2008",
        consequence_test="Membuka NIK pemilih merugikan hak atas perlindungan data pribadi.",
        user=None,
        document=SimpleUploadedFile("rekap.pdf", b"%PDF-1.4\nrekap DPT\n%%EOF\n"),
    )
    later.reload()
    main = later.locator("main").inner_text()
    assert "Sudah dijawab" in main
    assert "Informasi diberikan sebagian" in main
    assert "Data per kecamatan masih direkap" in main
    with later.expect_download() as download:
        later.get_by_role("link", name="Dokumen informasi yang diberikan").click()
    assert download.value.suggested_filename == f"informasi-{number}.pdf"
    notice = later.request.get(
        base + later.get_by_role("link", name="Pemberitahuan tertulis jawaban").get_attribute("href")
    )
    assert notice.status == 200 and notice.body().startswith(b"%PDF")
    assert fits_the_screen(later)
    shoot(later, "status-dijawab")

    later.get_by_role("link", name="Ajukan keberatan").click()
    later.get_by_role("button", name="Kirim keberatan").click()
    expect(later.locator("#ringkasan-galat")).to_be_focused()
    assert "Pilih alasan keberatan." in later.locator("#ringkasan-galat").inner_text()
    assert fits_the_screen(later)
    shoot(later, "keberatan-galat")
    later.get_by_label("a. Permohonan informasi ditolak").check()
    later.get_by_label("Uraian keberatan").fill("Data per TPS tanpa NIK tidak memuat data pribadi.")
    later.get_by_role("button", name="Kirim keberatan").click()
    later.wait_for_url(f"{base}/layanan-informasi/keberatan/terkirim/")
    objection_number = later.locator(".layanan-number").inner_text().strip()
    assert re.fullmatch(r"KB-\d{4}-\d{5}", objection_number)
    assert messages_to(smtp_sink, "atasanppid@kpu.test")
    shoot(later, "keberatan-terkirim")
    later.context.close()
    context.close()

    def send_empty(page):
        page.get_by_role("button", name="Kirim permohonan").click()
        page.wait_for_load_state()

    def open_status(page):
        page.get_by_label("Nomor registrasi").fill(number)
        page.get_by_label("Alamat email").fill("siti@contoh.id")
        page.get_by_role("button", name="Lihat status").click()
        page.wait_for_load_state()

    cache.clear()
    violations = axe_violations(browser, f"{base}/layanan-informasi/permohonan/", send_empty)
    violations += axe_violations(browser, f"{base}/layanan-informasi/status/", open_status)

    def send_empty_objection(page):
        open_status(page)
        page.get_by_role("link", name="Ajukan keberatan").click()
        page.get_by_role("button", name="Kirim keberatan").click()
        page.wait_for_load_state()

    violations += axe_violations(browser, f"{base}/layanan-informasi/status/", send_empty_objection)
    assert not violations, "\n".join(violations)
