"""The approval archive: a frozen, tamper-evident record of every publication, printable and exportable."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from freezegun import freeze_time

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

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


def publish_through_chain(page, sop_users, with_changes_round=False):
    """Monday 23 November 2026, office hours: the short chain, each step a few minutes apart.

    With ``with_changes_round``, Tekmas first sends the concept back and the author resubmits.
    """
    with freeze_time(at(23, 9, 0)):
        submit(login(sop_users[Role.PENGAMPU]), page)
    moment = at(23, 9, 0)
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
