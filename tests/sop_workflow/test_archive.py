"""The approval archive: a frozen, tamper-evident record of every publication, printable and exportable."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from freezegun import freeze_time
from pypdf import PdfReader

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import Page

from sop_workflow.models import ArchiveImmutable, ArsipPersetujuan
from sop_workflow.sop import ROLES, SOP_IDENTITY, Role
from tests import factories
from tests.conftest import PASSWORD
from tests.sop_workflow.admin_helpers import act, edit, login, submit

pytestmark = pytest.mark.django_db

SHORT_CHAIN_ROLES = [Role.PENGELOLA, Role.WEB_ADMIN, Role.TEKMAS, Role.KABAG_HTH, Role.WEB_ADMIN]
WIB = dt.timezone(dt.timedelta(hours=7))


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def index(home_page):
    return factories.BeritaIndexPageFactory(parent=home_page)


def make_draft(index, sop_users, title="Rapat pleno rekapitulasi suara"):
    page = factories.BeritaPageFactory(parent=index, title=title, owner=sop_users[Role.PENGAMPU])
    page.unpublish()
    page.save_revision(user=sop_users[Role.PENGAMPU])
    return page


@pytest.fixture
def draft(index, sop_users):
    return make_draft(index, sop_users)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("super", "super@kpu.test", PASSWORD)


def publish_through_chain(page, sop_users, with_changes_round=False, day=23):
    """A Monday (23 November 2026) in office hours: the short chain, each step a few minutes apart.

    With ``with_changes_round``, Tekmas first sends the concept back and the author resubmits.
    """
    with freeze_time(at(day, 9, 0)):
        submit(login(sop_users[Role.PENGAMPU]), page)
    moment = at(day, 9, 0)
    for position, role in enumerate(SHORT_CHAIN_ROLES):
        if with_changes_round and role == Role.TEKMAS:
            moment += dt.timedelta(minutes=10)
            with freeze_time(moment):
                act(login(sop_users[role]), page, "reject", comment="Perbaiki judul dan sumber data.")
            moment += dt.timedelta(minutes=20)
            with freeze_time(moment):
                submit(login(sop_users[Role.PENGAMPU]), page)
        # The web admin's validation takes 45 minutes (over its 5-minute standard); others take 3.
        moment += dt.timedelta(minutes=45 if position == 1 else 3)
        with freeze_time(moment):
            response = act(login(sop_users[role]), page, "approve", comment=f"oke {role.value}")
            assert response.status_code == 302
    assert Page.objects.get(pk=page.pk).live


def test_full_chain_freezes_one_record_with_every_step(draft, sop_users):
    publish_through_chain(draft, sop_users)
    record = ArsipPersetujuan.objects.get()
    assert record.title == "Rapat pleno rekapitulasi suara"
    assert (record.kind_key, record.kind_label) == ("berita", "Berita")
    assert record.chain_name == "SOP Ringkas"
    assert not record.outside_sop
    assert record.page_id == draft.pk
    assert record.revision_id == Page.objects.get(pk=draft.pk).live_revision_id
    assert record.url.endswith(draft.url)
    assert (record.sop_number, record.sop_effective_on) == (SOP_IDENTITY.number, SOP_IDENTITY.effective_on)
    assert record.published_by_username == "webadmin"
    assert record.submitted_by_username == "pengampu"

    steps = record.steps
    assert [s["step_key"] for s in steps] == ["terima", "validasi", "tekmas", "kabag", "unggah"]
    assert [s["role"] for s in steps] == [ROLES[r].group_name for r in SHORT_CHAIN_ROLES]
    usernames = ["pengelola", "webadmin", "tekmas", "kabaghth", "webadmin"]
    assert [s["person_username"] for s in steps] == usernames
    assert [s["person_name"] for s in steps] == ["Pengelola", "Webadmin", "Tekmas", "Kabaghth", "Webadmin"]
    assert {s["decision"] for s in steps} == {"disetujui"}
    assert steps[2]["comment"] == "oke R4"
    assert [s["standard_minutes"] for s in steps] == [5, 5, 30, 30, 5]
    # Terima: 09.00-09.03; validasi 09.03-09.48 (45 minutes, over its 5); the rest 3 minutes each.
    assert dt.datetime.fromisoformat(steps[0]["started_at"]) == at(23, 9, 0)
    assert dt.datetime.fromisoformat(steps[0]["finished_at"]) == at(23, 9, 3)
    assert dt.datetime.fromisoformat(steps[1]["finished_at"]) == at(23, 9, 48)
    assert [s["wall_seconds"] for s in steps] == [180, 2700, 180, 180, 180]
    assert [s["office_seconds"] for s in steps] == [180, 2700, 180, 180, 180]
    assert [s["within_standard"] for s in steps] == [True, False, True, True, True]


def test_a_request_changes_round_is_kept_in_the_record(draft, sop_users):
    publish_through_chain(draft, sop_users, with_changes_round=True)
    steps = ArsipPersetujuan.objects.get().steps
    assert [(s["step_key"], s["decision"]) for s in steps] == [
        ("terima", "disetujui"),
        ("validasi", "disetujui"),
        ("tekmas", "minta perbaikan"),
        ("tekmas", "disetujui"),
        ("kabag", "disetujui"),
        ("unggah", "disetujui"),
    ]
    rejected = steps[2]
    assert rejected["comment"] == "Perbaiki judul dan sumber data."
    assert rejected["person_username"] == "tekmas"
    assert dt.datetime.fromisoformat(rejected["finished_at"]) == at(23, 9, 58)
    # The resubmitted step's clock starts again at the resubmission (10.18).
    assert dt.datetime.fromisoformat(steps[3]["started_at"]) == at(23, 10, 18)


def test_office_hours_duration_excludes_the_night(draft, sop_users):
    """Received Monday 15.55, approved Tuesday 07.35: 10 office minutes, against a 5-minute standard."""
    with freeze_time(at(23, 15, 55)):
        submit(login(sop_users[Role.PENGAMPU]), draft)
    with freeze_time(at(24, 7, 35)):
        act(login(sop_users[Role.PENGELOLA]), draft, "approve")
    moment = at(24, 7, 35)
    for role in SHORT_CHAIN_ROLES[1:]:
        moment += dt.timedelta(minutes=1)
        with freeze_time(moment):
            act(login(sop_users[role]), draft, "approve")
    first = ArsipPersetujuan.objects.get().steps[0]
    assert first["wall_seconds"] == (15 * 60 + 40) * 60
    assert first["office_seconds"] == 10 * 60
    assert first["within_standard"] is False


def test_superuser_publication_outside_the_chain_freezes_a_di_luar_sop_record(draft, superuser):
    reason = "Pengumuman darurat bencana banjir di lokasi TPS, atas perintah Ketua."
    with freeze_time(at(25, 20, 15)):
        edit(login(superuser), draft, "action-publish", sop_bypass_reason=reason)
    assert Page.objects.get(pk=draft.pk).live
    record = ArsipPersetujuan.objects.get()
    assert record.outside_sop
    assert record.bypass_reason == reason
    assert record.published_by_username == "super"
    assert record.steps == []
    assert record.created_at == at(25, 20, 15)


def test_a_refused_publication_freezes_no_record(draft, superuser, sop_users):
    edit(login(superuser), draft, "action-publish", sop_bypass_reason="")  # no reason: refused
    edit(login(sop_users[Role.WEB_ADMIN]), draft, "action-publish")
    assert not Page.objects.get(pk=draft.pk).live
    assert not ArsipPersetujuan.objects.exists()


def test_records_survive_the_deletion_of_the_page(draft, sop_users):
    publish_through_chain(draft, sop_users)
    Page.objects.get(pk=draft.pk).delete()
    record = ArsipPersetujuan.objects.get()
    assert record.title == "Rapat pleno rekapitulasi suara"
    assert len(record.steps) == 5
    assert record.compute_hash() == record.record_hash


def test_records_refuse_update_and_delete(draft, sop_users):
    publish_through_chain(draft, sop_users)
    record = ArsipPersetujuan.objects.get()
    record.title = "Judul lain"
    with pytest.raises(ArchiveImmutable):
        record.save()
    with pytest.raises(ArchiveImmutable):
        record.delete()
    with pytest.raises(ArchiveImmutable):
        ArsipPersetujuan.objects.filter(pk=record.pk).update(title="Judul lain")
    with pytest.raises(ArchiveImmutable):
        ArsipPersetujuan.objects.all().delete()
    assert ArsipPersetujuan.objects.get().title == "Rapat pleno rekapitulasi suara"


def publish_three(index, sop_users):
    titles = ["Berita pertama", "Berita kedua", "Berita ketiga"]
    for title in titles:
        publish_through_chain(make_draft(index, sop_users, title), sop_users)
    return list(ArsipPersetujuan.objects.order_by("sequence"))


def verify() -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("sop_verify_archive", stdout=out)
    except Exception as error:  # CommandError: exits non-zero from the command line
        return False, str(error)
    return True, out.getvalue()


def test_records_form_a_hash_chain_and_verification_passes(index, sop_users):
    records = publish_three(index, sop_users)
    assert [r.sequence for r in records] == [1, 2, 3]
    assert records[0].previous_hash == "0" * 64
    assert records[1].previous_hash == records[0].record_hash
    assert records[2].previous_hash == records[1].record_hash
    ok, output = verify()
    assert ok and "OK" in output and "3 catatan" in output


def test_verification_names_the_record_whose_content_was_altered_in_the_database(index, sop_users):
    records = publish_three(index, sop_users)
    second = records[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sop_workflow_arsippersetujuan SET published_by_username = %s WHERE id = %s",
            ["orang-lain", second.pk],
        )
    ok, message = verify()
    assert not ok
    assert f"id {second.pk}" in message and "Berita kedua" in message and "hash isi tidak cocok" in message


def test_verification_names_a_broken_link_when_a_hash_is_rewritten(index, sop_users):
    records = publish_three(index, sop_users)
    second = records[1]
    # A forger changes the record and recomputes its own hash: the next record's link then breaks.
    forged = ArsipPersetujuan.objects.get(pk=second.pk)
    forged.steps[0]["person_name"] = "Orang Lain"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sop_workflow_arsippersetujuan SET steps = %s, record_hash = %s WHERE id = %s",
            [json.dumps(forged.steps), forged.compute_hash(), second.pk],
        )
    ok, message = verify()
    assert not ok
    assert f"id {records[2].pk}" in message and "Berita ketiga" in message
    assert "tautan rantai putus" in message


def test_verification_notices_a_deleted_last_record(index, sop_users):
    records = publish_three(index, sop_users)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sop_workflow_arsippersetujuan WHERE id = %s", [records[2].pk])
    ok, message = verify()
    assert not ok and "#3" in message


# --- the admin area ----------------------------------------------------------------------------
@pytest.fixture
def published(draft, sop_users):
    publish_through_chain(draft, sop_users, with_changes_round=True)
    return ArsipPersetujuan.objects.get()


def archive_urls(record) -> list[str]:
    return [
        reverse("sop_arsip:index"),
        reverse("sop_arsip:detail", args=[record.pk]),
        reverse("sop_arsip:pdf", args=[record.pk]),
        reverse("sop_arsip:csv", args=[record.pk]),
        reverse("sop_arsip:zip"),
    ]


def test_every_role_member_and_superusers_can_read_the_archive(published, sop_users, superuser):
    for user in [*sop_users.values(), superuser]:
        client = login(user)
        for url in archive_urls(published):
            assert client.get(url).status_code == 200, (user.username, url)
        assert "Arsip Persetujuan" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_anonymous_and_users_outside_the_sop_groups_are_refused(client, published):
    User = get_user_model()
    plain = User.objects.create_user("biasa", password=PASSWORD)  # no admin access at all
    editor = User.objects.create_user("editor", password=PASSWORD)  # admin access, no SOP group
    outsiders = Group.objects.create(name="Tamu admin")
    outsiders.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(outsiders)
    for url in archive_urls(published):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url, url
        for user in (plain, editor):
            response = login(user).get(url)
            assert response.status_code in (302, 403), (user.username, url)
            assert b"Rapat pleno" not in response.content and b"%PDF" not in response.content
            if response.status_code == 302:
                # refused: to the dashboard, the login, or the 2FA step an outsider cannot pass
                assert (
                    response.url in ("/admin/", "/admin/login/")
                    or "/login/" in response.url
                    or (response.url.startswith(reverse("akun_verify")))
                )
    assert "Arsip Persetujuan" not in login(editor).get(reverse("wagtailadmin_home")).content.decode()


def test_there_is_no_edit_or_delete_screen(published, superuser):
    client = login(superuser)
    for suffix in ("edit/", "delete/", "hapus/", "ubah/"):
        url = reverse("sop_arsip:detail", args=[published.pk]) + suffix
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    html = client.get(reverse("sop_arsip:detail", args=[published.pk])).content.decode()
    assert "Hapus" not in html
    assert ArsipPersetujuan.objects.count() == 1


def test_detail_screen_shows_every_step(published, sop_users):
    html = login(sop_users[Role.KOMISIONER]).get(reverse("sop_arsip:detail", args=[published.pk])).content
    html = html.decode()
    assert "Rapat pleno rekapitulasi suara" in html
    assert "Perbaiki judul dan sumber data." in html
    assert html.count("minta perbaikan") == 1
    assert html.count("disetujui") == 5
    assert "23 November 2026 pukul 09.00 WIB" in html
    assert "melebihi mutu baku" in html
    assert ROLES[Role.TEKMAS].group_name in html
    assert published.record_hash in html


def test_list_filters_by_date_range_and_kind_with_bounded_queries(index, sop_users, superuser, home_page):
    publish_through_chain(make_draft(index, sop_users, "Berita awal bulan"), sop_users, day=2)
    artikel_index = factories.ArtikelIndexPageFactory(parent=home_page)
    artikel = factories.ArtikelPageFactory(parent=artikel_index, title="Artikel pemilih pemula")
    artikel.unpublish()
    artikel.save_revision()
    with freeze_time(at(25, 20)):
        edit(
            login(superuser), artikel, "action-publish", sop_bypass_reason="Perintah Ketua, keadaan darurat."
        )
    client = login(sop_users[Role.TEKMAS])
    url = reverse("sop_arsip:index")

    html = client.get(url).content.decode()
    assert "Berita awal bulan" in html and "Artikel pemilih pemula" in html
    assert "DI LUAR SOP" in html
    html = client.get(url, {"created_at_from": "2026-11-20", "created_at_to": "2026-11-30"}).content.decode()
    assert "Berita awal bulan" not in html and "Artikel pemilih pemula" in html
    html = client.get(url, {"kind_key": "berita"}).content.decode()
    assert "Berita awal bulan" in html and "Artikel pemilih pemula" not in html

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for number in range(3):
        publish_through_chain(make_draft(index, sop_users, f"Berita tambahan {number}"), sop_users)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_lembar_persetujuan_pdf_holds_identity_content_steps_and_hash(published, sop_users):
    with freeze_time(at(30, 14, 5)):
        response = login(sop_users[Role.SEKRETARIS]).get(reverse("sop_arsip:pdf", args=[published.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    text = " ".join(pdf_text(response.content).split())
    assert "KOMISI PEMILIHAN UMUM PROVINSI JAWA TENGAH" in text
    assert "LEMBAR PERSETUJUAN" in text
    assert SOP_IDENTITY.number in text
    assert "Rapat pleno rekapitulasi suara" in text
    assert "SOP Ringkas" in text
    for name in ("Pengelola", "Webadmin", "Tekmas", "Kabaghth"):
        assert name in text
    for role in (Role.PENGELOLA, Role.TEKMAS, Role.KABAG_HTH):
        assert ROLES[role].group_name in text
    assert "minta perbaikan" in text and "Perbaiki judul dan sumber data." in text
    assert "23 November 2026 pukul 09.00 WIB" in text
    assert "5 menit, melebihi" in text  # the web admin's validation took 45 minutes
    assert "Dicetak pada 30 November 2026 pukul 14.05 WIB" in text
    assert published.record_hash in text.replace(" ", "")


def test_di_luar_sop_pdf_names_the_person_and_the_reason(draft, superuser):
    reason = "Pengumuman darurat bencana banjir di lokasi TPS, atas perintah Ketua."
    edit(login(superuser), draft, "action-publish", sop_bypass_reason=reason)
    record = ArsipPersetujuan.objects.get()
    text = " ".join(
        pdf_text(login(superuser).get(reverse("sop_arsip:pdf", args=[record.pk])).content).split()
    )
    assert "DI LUAR SOP" in text and reason in text and "super" in text


@pytest.mark.parametrize("with_changes_round", [False, True])
def test_a_short_chain_lembar_fits_on_one_page(draft, sop_users, with_changes_round):
    publish_through_chain(draft, sop_users, with_changes_round=with_changes_round)
    record = ArsipPersetujuan.objects.get()
    pdf = login(sop_users[Role.KABAG_HTH]).get(reverse("sop_arsip:pdf", args=[record.pk])).content
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Mengetahui" in text and record.record_hash in text.replace("\n", "")


def test_record_csv_has_one_row_per_step(published, sop_users):
    response = login(sop_users[Role.WEB_ADMIN]).get(reverse("sop_arsip:csv", args=[published.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0].keys()) == [
        "No. arsip",
        "Judul",
        "Jenis",
        "Alur SOP",
        "Di luar SOP",
        "Alasan di luar SOP",
        "Urutan",
        "Langkah",
        "Peran",
        "Nama",
        "Nama pengguna",
        "Keputusan",
        "Komentar",
        "Mulai",
        "Selesai",
        "Durasi",
        "Durasi jam kerja",
        "Mutu baku (menit)",
        "Hasil",
        "ID revisi dinilai",
        "Hash revisi dinilai",
        "ID revisi diterima",
        "Dikoreksi",
        "Perubahan",
        "Hasil alur",
        "Diakhiri oleh",
        "Alasan pembatalan",
    ]
    assert len(rows) == 7  # writing the concept, then the six approval steps
    concept, *steps = rows
    assert concept["Langkah"] == "Pengampu Konsep: menyusun konsep"
    assert concept["Keputusan"] == "konsep diajukan" and concept["Nama pengguna"] == "pengampu"
    assert [row["Keputusan"] for row in steps].count("minta perbaikan") == 1
    assert steps[1]["Nama pengguna"] == "webadmin" and steps[1]["Hasil"] == "melebihi mutu baku"
    assert steps[0]["Mulai"] == "23 November 2026 pukul 09.00 WIB"
    assert steps[2]["Peran"] == ROLES[Role.TEKMAS].group_name


def test_date_range_downloads_as_one_zip_of_pdfs_with_an_index(index, sop_users):
    publish_through_chain(make_draft(index, sop_users, "Berita awal bulan"), sop_users, day=2)
    publish_through_chain(make_draft(index, sop_users, "Berita pertama"), sop_users)
    publish_through_chain(make_draft(index, sop_users, "Berita kedua"), sop_users)
    response = login(sop_users[Role.KABAG_HTH]).get(
        reverse("sop_arsip:zip"), {"created_at_from": "2026-11-20", "created_at_to": "2026-11-30"}
    )
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    pdfs = [name for name in names if name.endswith(".pdf")]
    assert len(pdfs) == 2 and "index.csv" in names
    index_rows = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    assert [row["Judul"] for row in index_rows] == ["Berita pertama", "Berita kedua"]
    assert sorted(row["Berkas PDF"] for row in index_rows) == sorted(pdfs)
    assert {"No. arsip", "Diterbitkan pada", "Jenis", "Alur SOP", "Di luar SOP", "Hash catatan"} <= set(
        index_rows[0]
    )
    for row in index_rows:
        assert row["Judul"] in " ".join(pdf_text(archive.read(row["Berkas PDF"])).split())


def test_the_list_exports_as_csv_and_xlsx(published, sop_users):
    client = login(sop_users[Role.PENGELOLA])
    response = client.get(reverse("sop_arsip:index"), {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows[0]["Judul"] == "Rapat pleno rekapitulasi suara"
    assert rows[0]["Diterbitkan pada"] == "23 November 2026 pukul 10.27 WIB"
    assert rows[0]["Di luar SOP"] == "tidak"
    response = client.get(reverse("sop_arsip:index"), {"export": "xlsx"})
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"
