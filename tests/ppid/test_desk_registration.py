"""The desk registers a request received in person, by letter or by email ("Catat permohonan"): the
same number, deadline and receipt email as a request filed online, the channel kept, the staff member
named in the history; a letter's deadline counts from its receipt date; every bad input refused in
Indonesian with what was typed kept and nothing saved; only the desk and the PPID may register."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from html import unescape
from pathlib import Path

import pytest
from freezegun import freeze_time

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from wagtail.models import ModelLogEntry

from kpu_site.dates import WIB
from ppid.models import InformationRequest
from ppid.rules import Channel, Role
from tests.ppid.test_admin_actions import messages_of
from tests.ppid.test_admin_support import ppid_users
from tests.ppid.test_public_filing import (
    PDF_BYTES,
    TYPED,
    answered_challenge,
    checked,
    field_value,
    make_user,
    page_text,
    scan,
)
from tests.sop_workflow.admin_helpers import assert_refused, login

pytestmark = pytest.mark.django_db

CREATE_URL = "/admin/ppid/permohonan/baru/"
INDEX_URL = "/admin/ppid/permohonan/"


def desk_data(**changes) -> dict:
    """What the desk types for a walk-in requester, with the KTP scanned (PDF)."""
    data = {**TYPED, "channel": "datang-langsung", "identity_scan": scan()}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def field_error(response, name: str) -> str:
    """The error shown with a field (Wagtail's error block, named by the field's aria-describedby)."""
    html = response.content.decode()
    found = re.search(rf'id="id_{name}-galat">(.*?)</div>', html, re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split()) if found else ""


def private_files() -> set[str]:
    root = Path(settings.PPID_PRIVATE_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def test_the_url_is_the_viewsets_create_view():
    assert reverse("ppid_permohonan:create") == CREATE_URL


def test_the_desk_and_the_ppid_may_register_and_the_superior_may_not():
    users = ppid_users()
    assert users[Role.DESK].has_perm("ppid.register_request")
    assert users[Role.PPID].has_perm("ppid.register_request")
    assert not users[Role.SUPERIOR].has_perm("ppid.register_request")


def test_the_desk_registers_a_walk_in_request_across_a_weekend(
    mailoutbox, django_capture_on_commit_callbacks
):
    users = ppid_users()
    desk = users[Role.DESK]
    with freeze_time("2026-12-04 15:00:00+07:00"):  # Friday afternoon: the weekend follows
        client = login(desk)
        form = client.get(CREATE_URL)
        assert form.status_code == 200
        assert "Catat permohonan" in page_text(form)
        assert "paling lambat 18 Desember 2026" in page_text(form)  # the deadline if received today
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(CREATE_URL, desk_data())

        req = InformationRequest.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("ppid_permohonan:detail", args=[req.pk])
        message = messages_of(response)[-1]
        assert "Permohonan PI-2026-00001 tercatat (datang langsung)" in message
        assert "Batas waktu jawaban: 18 Desember 2026" in message
        assert "Tanda bukti dikirim ke siti@contoh.id" in message

        assert req.number == "PI-2026-00001"
        assert req.channel == Channel.WALK_IN
        assert req.received_at == dt.datetime(2026, 12, 4, 15, 0, tzinfo=WIB)
        assert req.due_on == dt.date(2026, 12, 18)  # 10 working days from Monday 7 December
        assert req.first_due_on == req.due_on
        assert (req.name, req.phone, req.access_method, req.delivery) == (
            "Siti Aminah",
            "0812 3456 7890",
            "salinan",
            "email",
        )
        assert req.identity_scan.name.startswith("identitas/")
        assert req.identity_scan.read() == PDF_BYTES
        assert not req.identity_scan.path.startswith(str(settings.MEDIA_ROOT))

        # the receipt, as a request filed online gets it; the PPID is told, the desk member who
        # registered it is not
        receipt, staff = mailoutbox
        assert receipt.to == ["siti@contoh.id"]
        assert receipt.subject == "[KPU Jateng] Tanda bukti permohonan informasi PI-2026-00001"
        assert "Jumat, 18 Desember 2026" in receipt.body
        assert staff.to == [users[Role.PPID].email]
        assert "dicatat di meja layanan (datang langsung)" in staff.body
        assert "lewat situs" not in staff.body

        # in the queue with its number, deadline and channel
        queue = page_text(client.get(INDEX_URL))
        assert "PI-2026-00001" in queue and "18 Desember 2026" in queue
        assert "4 Desember 2026 · datang langsung" in queue

        # the history names the desk member who registered it
        detail = page_text(client.get(reverse("ppid_permohonan:detail", args=[req.pk])))
        history = detail[detail.index("Riwayat") :]
        assert "Permohonan diterima dengan nomor PI-2026-00001 (datang langsung)" in history
        assert "Dicatat di meja layanan: permohonan datang langsung (Petugas Uji)" in history
    entry = ModelLogEntry.objects.get(action="ppid.register")
    assert entry.user == desk and entry.object_id == str(req.pk)
    assert entry.data == {"channel": "datang-langsung", "received_on": "2026-12-04"}


def test_a_letter_received_earlier_counts_from_its_date_and_may_come_without_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    users = ppid_users()
    with freeze_time("2026-12-09 10:00:00+07:00"):  # Wednesday; the letter came on Thursday 3 December
        client = login(users[Role.PPID])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(CREATE_URL, desk_data(channel="surat", received_on="2026-12-03", email=""))
        assert response.status_code == 302
        req = InformationRequest.objects.get()
        assert req.channel == Channel.LETTER and req.email == ""
        assert req.received_at == dt.datetime(2026, 12, 3, 7, 30, tzinfo=WIB)  # the office's opening
        assert req.due_on == dt.date(2026, 12, 17)  # 10 working days from Friday 4 December
        message = messages_of(response)[-1]
        assert "(lewat surat)" in message and "Batas waktu jawaban: 17 Desember 2026" in message
        assert "sejak diterima 3 Desember 2026" in message
        assert "Pemohon tidak memberikan email" in message
        (staff,) = mailoutbox  # no receipt without an address; the desk is told
        assert staff.to == [users[Role.DESK].email]
        assert "dicatat di meja layanan (lewat surat)" in staff.body
        detail = page_text(client.get(reverse("ppid_permohonan:detail", args=[req.pk])))
        assert (
            "Dicatat di meja layanan: permohonan lewat surat, surat diterima 3 Desember 2026 (PPID Uji)"
            in detail
        )
        assert "tidak memberikan email" in detail

        # answered later, the requester without an address is simply not written to
        with django_capture_on_commit_callbacks(execute=True):
            answered = client.post(
                reverse("ppid_permohonan:answer", args=[req.pk]),
                {"decision": "tidak-dikuasai", "answer": "Informasi ini dikuasai Dinas Sosial."},
            )
        assert answered.status_code == 302
        req.refresh_from_db()
        assert req.is_answered and [message.to for message in mailoutbox] == [[users[Role.DESK].email]]


def test_a_letter_received_today_counts_from_now():
    users = ppid_users()
    with freeze_time("2026-12-09 10:00:00+07:00"):
        client = login(users[Role.DESK])
        response = client.post(CREATE_URL, desk_data(channel="surat", received_on="2026-12-09"))
        assert response.status_code == 302
    req = InformationRequest.objects.get()
    assert req.received_at == dt.datetime(2026, 12, 9, 10, 0, tzinfo=WIB)
    assert req.due_on == dt.date(2026, 12, 23)


def test_a_received_on_a_closed_day_counts_from_the_next_working_day():
    users = ppid_users()
    with freeze_time("2026-12-09 10:00:00+07:00"):
        client = login(users[Role.DESK])
        response = client.post(CREATE_URL, desk_data(channel="surat", received_on="05-12-2026"))
        assert response.status_code == 302
    req = InformationRequest.objects.get()
    assert req.received_at == dt.datetime(2026, 12, 5, 7, 30, tzinfo=WIB)  # a Saturday
    assert req.due_on == dt.date(2026, 12, 18)  # 10 working days from Monday 7 December


def test_a_letter_received_long_ago_is_still_registered_and_overdue_at_once():
    users = ppid_users()
    with freeze_time("2026-12-09 10:00:00+07:00"):
        client = login(users[Role.DESK])
        response = client.post(CREATE_URL, desk_data(channel="surat", received_on="2026-11-16"))
        assert response.status_code == 302
        assert "Batas waktunya sudah lewat" in messages_of(response)[-1]
        req = InformationRequest.objects.get()
        assert req.due_on == dt.date(2026, 11, 30) and req.is_overdue()
        # a letter found months later is registered with its own date all the same
        response = client.post(CREATE_URL, desk_data(channel="surat", received_on="2026-03-02"))
        assert response.status_code == 302
        late = InformationRequest.objects.exclude(pk=req.pk).get()
        assert late.due_on == dt.date(2026, 3, 16) and late.is_overdue()
        # an email read weeks late counts from the day it came in, not from the day it is registered
        response = client.post(CREATE_URL, desk_data(channel="email", received_on="2026-11-18"))
        assert response.status_code == 302
        mailed = InformationRequest.objects.get(channel="email")
        assert mailed.received_on == dt.date(2026, 11, 18) and mailed.due_on == dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"channel": "surat", "received_on": "2026-12-10"},
            "received_on",
            "Tanggal diterima tidak boleh setelah hari ini (9 Desember 2026).",
        ),
        (
            {"channel": "surat", "received_on": "2024-12-31"},
            "received_on",
            "Tanggal ini terlalu jauh ke belakang: paling awal 1 Januari 2025.",
        ),
        (
            {"channel": "surat", "received_on": ""},
            "received_on",
            "Isi tanggal surat atau email diterima kantor",
        ),
        (
            {"channel": "email"},
            "received_on",
            "Isi tanggal surat atau email diterima kantor",
        ),
        (
            {"channel": "surat", "received_on": "31-02-2026"},
            "received_on",
            "Tanggal belum benar.",
        ),
        (
            {"channel": "datang-langsung", "received_on": "2026-12-08"},
            "received_on",
            "Permohonan yang datang langsung diterima hari ini: kosongkan tanggalnya",
        ),
        ({"channel": None}, "channel", "Pilih cara permohonan diterima: datang langsung, surat, atau email."),
        ({"channel": "daring"}, "channel", "Pilih salah satu cara yang tersedia"),
    ],
)
def test_a_wrong_channel_or_letter_date_is_refused(changes, field, message):
    users = ppid_users()
    with freeze_time("2026-12-09 10:00:00+07:00"):
        client = login(users[Role.DESK])
        before = private_files()
        response = client.post(CREATE_URL, desk_data(**changes))
    assert response.status_code == 200
    text = page_text(response)
    assert message in field_error(response, field)  # on its field, and in the list at the top
    assert "Permohonan belum tercatat" in text and text.count(message) == 2
    assert field_value(response, "name") == "Siti Aminah"
    assert field_value(response, "information") == TYPED["information"]
    # the scan was fine but is not kept: the staff member is told to choose it again
    assert "Pilih lagi berkas pindaian identitas (“ktp.pdf”)" in text
    assert InformationRequest.objects.count() == 0
    assert private_files() == before


def test_a_bad_scan_and_missing_fields_are_refused_with_what_was_typed_kept():
    users = ppid_users()
    client = login(users[Role.DESK])
    before = private_files()
    fake = scan("ktp.pdf", b"MZ\x90\x00 not a scan at all " * 10, "application/pdf")
    response = client.post(
        CREATE_URL,
        desk_data(
            identity_scan=fake,
            name="",
            occupation="",
            email="siti@",
            phone="12ab",
            access_method="salinan",
            copy_format=None,
            consent=None,
        ),
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Berkas “ktp.pdf” ditolak" in text
    assert "Isi nama lengkap pemohon." in text
    assert "Isi pekerjaan pemohon." in text
    assert "Alamat email belum benar. Contoh penulisan: nama@contoh.id." in text
    assert "Nomor telepon hanya berisi angka" in text
    assert "Pilih bentuk salinan: elektronik (softcopy) atau cetak (hardcopy)." in text
    assert "Centang pernyataan ini setelah pemohon diberi tahu" in text
    assert "pilih berkasnya lagi" in text
    assert field_error(response, "identity_scan").startswith("Berkas “ktp.pdf” ditolak")
    assert field_error(response, "name") == "Isi nama lengkap pemohon."
    assert field_error(response, "email") == "Alamat email belum benar. Contoh penulisan: nama@contoh.id."
    # what was typed stays; the file input is empty (browsers never refill it)
    assert field_value(response, "address") == TYPED["address"]
    assert field_value(response, "email") == "siti@"
    assert field_value(response, "phone") == "12ab"
    assert field_value(response, "purpose") == TYPED["purpose"]
    assert checked(response, "channel") == ["datang-langsung"]
    assert checked(response, "delivery") == ["email"]
    assert field_value(response, "identity_scan") == ""
    # each message is announced with its field
    assert 'aria-describedby="id_occupation-galat"' in response.content.decode()
    assert 'id="id_occupation-galat"' in response.content.decode()
    assert InformationRequest.objects.count() == 0
    assert private_files() == before


def test_a_missing_scan_is_refused():
    users = ppid_users()
    client = login(users[Role.DESK])
    response = client.post(CREATE_URL, desk_data(identity_scan=None))
    assert response.status_code == 200
    assert "Pilih berkas pindaian KTP (atau akta pendirian untuk badan hukum)." in page_text(response)
    assert InformationRequest.objects.count() == 0


def test_the_desk_form_has_no_challenge_and_no_flood_limit():
    users = ppid_users()
    client = login(users[Role.DESK])
    form = client.get(CREATE_URL).content.decode()
    assert 'name="challenge_answer"' not in form and 'name="website"' not in form
    for number in range(1, 8):  # more than the public form's hourly limit per address
        response = client.post(CREATE_URL, desk_data(name=f"Pemohon {number}"))
        assert response.status_code == 302
    assert InformationRequest.objects.count() == 7
    assert sorted(InformationRequest.objects.values_list("sequence", flat=True)) == list(range(1, 8))


def test_others_can_neither_open_nor_post_the_form(client):
    users = ppid_users()
    outsiders = [login(users[Role.SUPERIOR]), login(make_user("pengampu", sop_group="Web Admin"))]
    for outsider in outsiders:
        assert_refused(outsider.get(CREATE_URL))
        assert_refused(outsider.post(CREATE_URL, desk_data()))
    anonymous = client.get(CREATE_URL)
    assert anonymous.status_code == 302 and "/login/" in anonymous.url
    anonymous = client.post(CREATE_URL, desk_data())
    assert anonymous.status_code == 302 and "/login/" in anonymous.url
    assert InformationRequest.objects.count() == 0
    assert ModelLogEntry.objects.filter(action="ppid.register").count() == 0


def test_the_button_is_shown_only_to_who_may_register():
    users = ppid_users()
    for role in (Role.DESK, Role.PPID):
        page = login(users[role]).get(INDEX_URL).content.decode()
        assert f'href="{CREATE_URL}"' in page and "Catat permohonan" in page
    page = login(users[Role.SUPERIOR]).get(INDEX_URL)
    assert page.status_code == 200
    assert CREATE_URL not in page.content.decode() and "Catat permohonan" not in page.content.decode()


def test_the_dashboard_offers_registration_to_who_may_register():
    """On a phone the admin menu is collapsed: the desk registers a request from the dashboard."""
    users = ppid_users()
    link = f'href="{CREATE_URL}"'
    for role in (Role.DESK, Role.PPID):
        dashboard = login(users[role]).get(reverse("wagtailadmin_home"))
        assert "Layanan informasi: menunggu jawaban" in page_text(dashboard)
        assert link in dashboard.content.decode() and "Catat permohonan" in page_text(dashboard)
    dashboard = login(users[Role.SUPERIOR]).get(reverse("wagtailadmin_home"))
    assert "Layanan informasi: menunggu jawaban" in page_text(dashboard)
    assert link not in dashboard.content.decode() and "Catat permohonan" not in page_text(dashboard)


def test_a_request_filed_online_is_marked_as_such(client, django_capture_on_commit_callbacks):
    cache.clear()
    data = {**TYPED, **answered_challenge(), "identity_scan": scan()}
    response = client.post("/layanan-informasi/permohonan/", data)
    cache.clear()
    assert response.status_code == 302
    req = InformationRequest.objects.get()
    assert req.channel == Channel.ONLINE and req.get_channel_display() == "Formulir daring"
    assert not ModelLogEntry.objects.filter(action="ppid.register").exists()


def test_the_private_root_is_outside_the_media():
    assert not os.path.realpath(settings.PPID_PRIVATE_ROOT).startswith(os.path.realpath(settings.MEDIA_ROOT))


def test_a_letter_registered_late_keeps_its_scan_and_its_objection_window():
    """The office's delay in registering a letter takes nothing from the requester: the identity scan is
    kept while the request awaits its answer, and the objection window opens on registration."""
    users = ppid_users()
    with freeze_time("2026-12-09 10:00:00+07:00"):
        client = login(users[Role.DESK])
        response = client.post(CREATE_URL, desk_data(channel="surat", received_on="2025-11-03"))
        assert response.status_code == 302
        req = InformationRequest.objects.get()
        assert req.is_overdue() and req.due_on == dt.date(2025, 11, 17)
        # the ground "not answered" arises today, so the 30 working days run from today
        assert req.objection_ground_arose_on() == dt.date(2026, 12, 9)
        assert req.objection_deadline() > dt.date(2027, 1, 1)
        # kept for a year from its registration, not from a deadline a year gone
        assert req.identity_retained_until() == dt.date(2027, 12, 9)
        call_command("ppid_purge_identity", stdout=io.StringIO())
        req.refresh_from_db()
        assert req.identity_scan and req.identity_deleted_at is None
