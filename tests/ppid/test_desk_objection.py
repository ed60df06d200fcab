"""The desk records an objection handed in at the desk, by letter or by email ("Catat keberatan") for a
requester who cannot use the status page: the public form's grounds and checks, the same number and
Atasan PPID's deadline (from a letter's receipt date), the Atasan PPID told, the requester emailed only
with an address, the staff member named; refused when the window is closed, for a used ground, for bad
input (what was typed kept, nothing saved) and for anyone but the desk and the PPID."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from django.urls import reverse

from wagtail.models import ModelLogEntry

from kpu_site.dates import WIB
from ppid.models import InformationRequest, Objection
from ppid.rules import Role
from tests.ppid.test_admin_actions import messages_of
from tests.ppid.test_admin_support import make_request, ppid_users
from tests.ppid.test_desk_registration import field_error
from tests.ppid.test_public_filing import field_value, make_user, page_text
from tests.sop_workflow.admin_helpers import assert_refused, login

pytestmark = pytest.mark.django_db

REGISTER_URL = "/admin/ppid/keberatan/"
REASON = "Yang saya minta hanya data agregat, tanpa data pribadi."


def url(req: InformationRequest) -> str:
    return f"/admin/ppid/permohonan/{req.pk}/catat-keberatan/"


def detail(req: InformationRequest) -> str:
    return reverse("ppid_permohonan:detail", args=[req.pk])


def refused_walk_in(users, email: str = "") -> InformationRequest:
    """Registered at the desk on Monday 16 November 2026 without email; refused on time on Friday 27
    November (the objection window runs to Friday 8 January 2027)."""
    with freeze_time("2026-11-16 09:00:00+07:00"):
        req = make_request(email=email, channel="datang-langsung")
    with freeze_time("2026-11-27 10:00:00+07:00"):
        req.record_answer(
            decision="ditolak", answer="Data pribadi.", user=users[Role.PPID], legal_basis="Pasal 17 huruf h"
        )
    return req


def objection_data(**changes) -> dict:
    data = {"channel": "datang-langsung", "ground": "a", "reason": REASON, **changes}
    return {key: value for key, value in data.items() if value is not None}


def test_the_url_is_under_the_request():
    assert reverse("ppid_permohonan:objection", args=[7]) == "/admin/ppid/permohonan/7/catat-keberatan/"


def test_the_desk_records_a_walk_in_objection_across_a_weekend(
    mailoutbox, django_capture_on_commit_callbacks
):
    users = ppid_users()
    req = refused_walk_in(users)
    desk = users[Role.DESK]
    with freeze_time("2026-12-04 15:00:00+07:00"):  # Friday afternoon: the weekend follows
        client = login(desk)
        form = client.get(url(req))
        assert form.status_code == 200
        text = page_text(form)
        assert "Catat keberatan" in text and "paling lambat 15 Januari 2027" in text
        assert "8 Januari 2027" in text  # the objection window
        assert "Batas waktu tanggapan Atasan PPID dihitung dari tanggal ini." in text
        assert "Kosongkan untuk yang datang langsung." in text
        # the grounds of a refusal, as the public form offers them (a copy was asked for: f)
        html = form.content.decode()
        offered = [g for g in "abcdefg" if f'name="ground" value="{g}"' in html]
        assert offered == ["a", "b", "e", "f"]
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url(req), objection_data())

        objection = Objection.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("ppid_keberatan:detail", args=[objection.pk])
        assert objection.number == "KB-2026-00001" and objection.request == req
        assert (objection.ground, objection.reason) == ("a", REASON)
        assert objection.received_at == dt.datetime(2026, 12, 4, 15, 0, tzinfo=WIB)
        assert objection.due_on == dt.date(2027, 1, 15)  # 30 working days from Monday 7 December
        message = messages_of(response)[-1]
        assert "Keberatan KB-2026-00001 atas permohonan" in message and "(datang langsung)" in message
        assert "Batas waktu tanggapan Atasan PPID: 15 Januari 2027" in message
        assert "Pemohon tidak memberikan email" in message and "081234567890" in message
        objection_page = page_text(client.get(response["Location"]))
        assert "081234567890 ·" not in objection_page  # no separator before an address that is not there

        # the Atasan PPID is told; the requester without an address is sent nothing
        (superior,) = mailoutbox
        assert superior.to == [users[Role.SUPERIOR].email]
        assert "KB-2026-00001" in superior.body
        assert "dicatat di meja layanan (datang langsung)" in superior.body
        assert "lewat situs" not in superior.body

        # in the register, and in the request's history with the desk member's name
        register = page_text(client.get(REGISTER_URL))
        assert "KB-2026-00001" in register and req.number in register
        history = page_text(client.get(detail(req)))
        history = history[history.index("Riwayat") :]
        assert "Keberatan KB-2026-00001 diterima" in history
        assert "Dicatat di meja layanan: keberatan KB-2026-00001 datang langsung (Petugas Uji)" in history
    entry = ModelLogEntry.objects.get(action="ppid.register_objection")
    assert entry.user == desk and entry.object_id == str(objection.pk)
    assert entry.data == {"channel": "datang-langsung", "received_on": "2026-12-04", "request": req.number}


def test_a_letter_counts_from_its_receipt_date_and_a_requester_with_email_gets_the_receipt(
    mailoutbox, django_capture_on_commit_callbacks
):
    users = ppid_users()
    req = refused_walk_in(users, email="siti@contoh.id")
    with freeze_time("2026-12-09 10:00:00+07:00"):  # Wednesday; the letter came on Saturday 5 December
        client = login(users[Role.PPID])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url(req), objection_data(channel="surat", received_on="2026-12-05", ground="e")
            )
        assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.received_at == dt.datetime(2026, 12, 5, 7, 30, tzinfo=WIB)
    assert objection.due_on == dt.date(2027, 1, 15)  # counted from the next working day, Monday
    assert "Tanda bukti dikirim ke siti@contoh.id" in messages_of(response)[-1]
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        ["siti@contoh.id", users[Role.SUPERIOR].email]
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ground": ""}, "ground", "Pilih alasan keberatan yang diajukan pemohon."),
        ({"ground": "c"}, "ground", "Alasan ini tidak sesuai dengan keadaan permohonan ini."),
        ({"reason": ""}, "reason", "Tuliskan uraian keberatan pemohon."),
        ({"channel": None}, "channel", "Pilih cara keberatan diterima: datang langsung, surat, atau email."),
        ({"channel": "surat"}, "received_on", "Isi tanggal surat atau email diterima kantor"),
        (
            {"channel": "surat", "received_on": "2026-12-10"},
            "received_on",
            "Tanggal diterima tidak boleh setelah hari ini (9 Desember 2026).",
        ),
        (
            {"channel": "email", "received_on": "2026-11-26"},
            "received_on",
            "Tanggal diterima tidak boleh sebelum 27 November 2026",
        ),
        (
            {"channel": "datang-langsung", "received_on": "2026-12-08"},
            "received_on",
            "Keberatan yang datang langsung diterima hari ini",
        ),
    ],
)
def test_bad_input_is_refused_with_what_was_typed_kept(changes, field, message):
    users = ppid_users()
    req = refused_walk_in(users)
    with freeze_time("2026-12-09 10:00:00+07:00"):
        response = login(users[Role.DESK]).post(url(req), objection_data(**changes))
    assert response.status_code == 200
    assert message in field_error(response, field)
    text = page_text(response)
    assert "Keberatan belum tercatat" in text and text.count(message) == 2
    assert field_value(response, "reason") == changes.get("reason", REASON)
    assert Objection.objects.count() == 0


def test_a_ground_already_used_is_refused():
    users = ppid_users()
    req = refused_walk_in(users)
    with freeze_time("2026-12-09 10:00:00+07:00"):
        client = login(users[Role.DESK])
        assert client.post(url(req), objection_data()).status_code == 302
        again = client.post(url(req), objection_data())
        assert again.status_code == 200
        assert "Keberatan dengan alasan a sudah tercatat untuk permohonan ini (KB-2026-00001)" in field_error(
            again, "ground"
        )
        assert field_value(again, "reason") == REASON
    assert Objection.objects.count() == 1


def test_refused_while_the_window_is_not_open():
    users = ppid_users()
    req = refused_walk_in(users)
    with freeze_time("2027-01-11 09:00:00+07:00"):  # the window ended on Friday 8 January
        client = login(users[Role.DESK])
        page = client.get(url(req))
        assert page.status_code == 200
        assert "batas waktu pengajuan keberatan berakhir 8 Januari 2027" in page_text(page)
        assert 'name="ground"' not in page.content.decode()
        posted = client.post(url(req), objection_data())
        assert posted.status_code == 403
        assert "Keberatan belum tercatat" in page_text(posted)
        assert REASON in page_text(posted)  # shown back, to keep
    with freeze_time("2026-11-20 09:00:00+07:00"):  # not answered, its deadline not passed yet
        fresh = make_request(email="", channel="datang-langsung")
        posted = login(users[Role.PPID]).post(url(fresh), objection_data(ground="c"))
        assert posted.status_code == 403
        assert "alasan keberatan belum timbul" in page_text(posted)
    assert Objection.objects.count() == 0


def test_others_can_neither_open_nor_post_the_form(client):
    users = ppid_users()
    req = refused_walk_in(users)
    with freeze_time("2026-12-09 10:00:00+07:00"):
        outsiders = [login(users[Role.SUPERIOR]), login(make_user("pengampu", sop_group="Web Admin"))]
        for outsider in outsiders:
            assert_refused(outsider.get(url(req)))
            assert_refused(outsider.post(url(req), objection_data()))
        for response in (client.get(url(req)), client.post(url(req), objection_data())):
            assert response.status_code == 302 and "/login/" in response.url
    assert Objection.objects.count() == 0
    assert not ModelLogEntry.objects.filter(action="ppid.register_objection").exists()


def test_the_button_is_shown_only_when_allowed():
    users = ppid_users()
    req = refused_walk_in(users)
    link = f'href="{url(req)}"'
    with freeze_time("2026-12-09 10:00:00+07:00"):
        for role in (Role.DESK, Role.PPID):
            assert link in login(users[role]).get(detail(req)).content.decode()
        page = login(users[Role.SUPERIOR]).get(detail(req))
        assert page.status_code == 200 and link not in page.content.decode()
    with freeze_time("2027-01-11 09:00:00+07:00"):  # the window has closed
        assert link not in login(users[Role.DESK]).get(detail(req)).content.decode()
    with freeze_time("2026-11-20 09:00:00+07:00"):  # not answered, within its deadline
        fresh = make_request(email="", channel="datang-langsung")
        assert url(fresh) not in login(users[Role.DESK]).get(detail(fresh)).content.decode()
