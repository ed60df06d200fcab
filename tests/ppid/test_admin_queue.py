"""The queue and the register in the admin: who sees them, what they show, filters and search."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from django.test import Client
from django.urls import reverse

from ppid.models import Objection
from ppid.rules import Role
from sop_workflow.sop import Role as SOPRole
from tests.ppid.test_admin_support import make_request, ppid_users
from tests.sop_workflow.admin_helpers import assert_refused, login

pytestmark = pytest.mark.django_db


def private_urls(req, objection) -> list[str]:
    return [
        reverse("ppid_permohonan:index"),
        reverse("ppid_permohonan:detail", args=[req.pk]),
        reverse("ppid_permohonan:identity", args=[req.pk]),
        reverse("ppid_permohonan:document", args=[req.pk]),
        reverse("ppid_permohonan:followup_document", args=[req.pk]),
        reverse("ppid_permohonan:notice", args=[req.pk, "jawaban"]),
        reverse("ppid_permohonan:answer", args=[req.pk]),
        reverse("ppid_permohonan:extend", args=[req.pk]),
        reverse("ppid_keberatan:index"),
        reverse("ppid_keberatan:detail", args=[objection.pk]),
        reverse("ppid_keberatan:notice", args=[objection.pk]),
        reverse("ppid_keberatan:answer", args=[objection.pk]),
        reverse("ppid_keberatan:response", args=[objection.pk]),
    ]


def answered_with_objection(ppid_user, superior):
    req = make_request()
    req.record_answer(decision="ditolak", answer="Ditolak.", user=ppid_user, legal_basis="Pasal 17 huruf h")
    objection = Objection.receive(request=req, ground="a", reason="Saya keberatan.")
    objection.record_answer(
        decision="ditolak",
        answer="Dikuatkan.",
        user=superior,
        superior_name="Retno",
        superior_position="Sekretaris",
    )
    return req, objection


@pytest.mark.parametrize("role", [Role.DESK, Role.PPID, Role.SUPERIOR])
def test_every_ppid_role_sees_the_menu_the_queue_and_the_register(role):
    users = ppid_users()
    req = make_request(name="Bambang Setiawan")
    Objection.receive(request=req, ground="c", reason="Belum dijawab.")
    client = login(users[role])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Layanan Informasi" in home and "Register keberatan" in home
    panel = home[home.index("Layanan informasi: menunggu jawaban") :]
    assert req.number in panel and "1 menunggu" in panel
    queue = client.get(reverse("ppid_permohonan:index"))
    assert queue.status_code == 200
    assert req.number in queue.content.decode() and "Bambang Setiawan" in queue.content.decode()
    register = client.get(reverse("ppid_keberatan:index"))
    assert register.status_code == 200 and req.number in register.content.decode()


def test_a_superuser_sees_the_queue(admin_client):
    req = make_request()
    assert req.number in admin_client.get(reverse("ppid_permohonan:index")).content.decode()
    detail = admin_client.get(reverse("ppid_permohonan:detail", args=[req.pk])).content.decode()
    assert "Siti Aminah" in detail


@pytest.mark.parametrize("sop_role", [SOPRole.WEB_ADMIN, SOPRole.PENGAMPU, SOPRole.KABAG_HTH])
def test_an_sop_role_gets_nothing_of_the_information_service(sop_users, sop_role):
    users = ppid_users()
    req, objection = answered_with_objection(users[Role.PPID], users[Role.SUPERIOR])
    client = login(sop_users[sop_role])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Layanan Informasi" not in home and "Register keberatan" not in home
    assert "menunggu jawaban" not in home and req.number not in home
    for url in private_urls(req, objection):
        response = client.get(url)
        assert_refused(response)
        assert b"Siti Aminah" not in response.content
    response = client.post(
        reverse("ppid_permohonan:extend", args=[req.pk]), {"reason": "Alasan yang cukup panjang."}
    )
    assert_refused(response)


def test_an_anonymous_visitor_is_sent_to_the_login_page():
    users = ppid_users()
    req, objection = answered_with_objection(users[Role.PPID], users[Role.SUPERIOR])
    client = Client()
    for url in private_urls(req, objection):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("wagtailadmin_login")), url
        assert b"Siti Aminah" not in response.content


def test_no_generic_add_edit_or_delete_screen_exists(admin_client):
    req = make_request()
    page = admin_client.get(reverse("ppid_permohonan:index")).content.decode()
    assert "/admin/ppid/permohonan/new/" not in page and "Tambah permohonan" not in page
    for path in (f"/admin/ppid/permohonan/edit/{req.pk}/", f"/admin/ppid/permohonan/delete/{req.pk}/"):
        assert admin_client.get(path).status_code == 404


def test_the_queue_puts_open_requests_first_and_highlights_the_overdue():
    users = ppid_users()
    with freeze_time("2026-11-02 09:00:00+07:00"):  # Monday; due Monday 16 November
        overdue = make_request(name="Dwi Lestari", email="dwi@contoh.id")
    with freeze_time("2026-11-12 09:00:00+07:00"):  # Thursday; due Thursday 26 November
        soon = make_request(name="Hendro Wibowo", email="hendro@contoh.id")
        done = make_request(name="Maria Ulfa", email="maria@contoh.id")
        done.record_answer(decision="tidak-dikuasai", answer="Tidak dikuasai.", user=users[Role.PPID])
    with freeze_time("2026-11-18 10:00:00+07:00"):  # Wednesday
        client = login(users[Role.DESK])
        page = client.get(reverse("ppid_permohonan:index")).content.decode()
        assert page.index("Dwi Lestari") < page.index("Hendro Wibowo") < page.index("Maria Ulfa")
        assert "16 November 2026" in page and "terlambat 2 hari kerja" in page
        assert (
            'class="w-text-critical-200"><span aria-hidden="true">&#9888;</span> terlambat 2 hari kerja'
            in page
        )
        assert "26 November 2026" in page and "6 hari kerja lagi" in page
        assert "dijawab tepat waktu" in page

        filtered = client.get(reverse("ppid_permohonan:index"), {"deadline": "terlambat"}).content.decode()
        assert overdue.number in filtered and soon.number not in filtered and done.number not in filtered
        answered = client.get(reverse("ppid_permohonan:index"), {"status": "dijawab"}).content.decode()
        assert done.number in answered and overdue.number not in answered
        open_ = client.get(reverse("ppid_permohonan:index"), {"status": "belum-dijawab"}).content.decode()
        assert overdue.number in open_ and soon.number in open_ and done.number not in open_
        found = client.get(reverse("ppid_permohonan:index"), {"q": "hendro"}).content.decode()
        assert soon.number in found and overdue.number not in found

    with freeze_time("2026-11-24 10:00:00+07:00"):  # Tuesday: two working days before Thursday's deadline
        client = login(users[Role.DESK])
        due_soon = client.get(reverse("ppid_permohonan:index"), {"deadline": "segera"}).content.decode()
        assert soon.number in due_soon and overdue.number not in due_soon
        assert "<strong>2 hari kerja lagi</strong>" in due_soon


def test_the_detail_shows_every_field_and_the_history():
    users = ppid_users()
    with freeze_time("2026-11-02 09:00:00+07:00"):
        req = make_request(
            name="Dwi Lestari",
            address="Jl. Menoreh 5\nSemarang",
            occupation="Peneliti",
            phone="0812-555",
            email="dwi@contoh.id",
            information="Laporan dana kampanye 2024.",
            purpose="Penelitian pendanaan politik.",
            access_method="salinan",
            copy_format="hardcopy",
            delivery="pos",
        )
    with freeze_time("2026-11-05 10:00:00+07:00"):
        req.extend("Dokumen tersebar di beberapa arsip.", users[Role.PPID])
    with freeze_time("2026-11-06 10:00:00+07:00"):
        client = login(users[Role.DESK])
        page = client.get(reverse("ppid_permohonan:detail", args=[req.pk])).content.decode()
    for text in (
        req.number,
        "Dwi Lestari",
        "Perorangan",
        "Jl. Menoreh 5<br>Semarang",
        "Peneliti",
        "0812-555",
        "dwi@contoh.id",
        "Laporan dana kampanye 2024.",
        "Penelitian pendanaan politik.",
        "Mendapatkan salinan informasi",
        "Salinan cetak (hardcopy)",
        "Dikirim lewat pos atau kurir",
        "2 November 2026 pukul 09.00 WIB",
        "16 November 2026",  # the first deadline
        "25 November 2026",  # seven working days later
        "Dokumen tersebar di beberapa arsip.",
        "Buka pindaian identitas",
        "Pemberitahuan perpanjangan (PDF)",
    ):
        assert text in page, text
    history = page[page.index('id="riwayat"') :]
    assert history.index("Permohonan diterima dengan nomor") < history.index(
        "Batas waktu diperpanjang sampai"
    )
    # the desk answers nothing: neither button is there
    assert reverse("ppid_permohonan:answer", args=[req.pk]) not in page
    assert reverse("ppid_permohonan:extend", args=[req.pk]) not in page
    assert dt.date(2026, 11, 25) == req.due_on
