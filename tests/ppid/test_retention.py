"""Identity scans are deleted once their retention period has passed (``manage.py ppid_purge_identity``),
and not a day before; an open objection keeps the scan; the command is idempotent."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from freezegun import freeze_time

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from ppid.models import InformationRequest, Objection
from ppid.rules import Role
from tests.ppid.test_admin_support import make_request, ppid_users
from tests.sop_workflow.admin_helpers import login

pytestmark = pytest.mark.django_db


def purge(*args) -> str:
    out = io.StringIO()
    call_command("ppid_purge_identity", *args, stdout=out)
    return out.getvalue()


def stored(name: str) -> Path:
    return Path(settings.STORAGES["ppid_private"]["OPTIONS"]["location"]) / name


def test_a_scan_is_deleted_after_its_period_and_not_before(django_capture_on_commit_callbacks):
    users = ppid_users()
    with freeze_time("2026-01-05 09:00:00+07:00"):
        req = make_request()
    with freeze_time("2026-01-12 10:00:00+07:00"):
        req.record_answer(decision="tidak-dikuasai", answer="Tidak dikuasai.", user=users[Role.PPID])
    name = req.identity_scan.name
    assert req.identity_retained_until().isoformat() == "2027-01-12"

    with freeze_time("2027-01-12 23:00:00+07:00"), django_capture_on_commit_callbacks(execute=True):
        assert "0 pindaian identitas dihapus" in purge()  # the last day of the period
    assert stored(name).exists()

    with freeze_time("2027-01-13 01:00:00+07:00"):
        assert f"{req.number}: disimpan sampai 12-01-2027" in purge("--dry-run")
        assert stored(name).exists()
        with django_capture_on_commit_callbacks(execute=True):
            assert "1 pindaian identitas dihapus" in purge()
            assert "0 pindaian identitas dihapus" in purge()
        req.refresh_from_db()
        assert not req.identity_scan and req.identity_deleted_at is not None
        assert not stored(name).exists()
        client = login(users[Role.PPID])
        page = client.get(reverse("ppid_permohonan:detail", args=[req.pk])).content.decode()
        assert (
            "Dihapus pada 13 Januari 2027" in page
            and "Pindaian identitas dihapus (masa simpan berakhir)" in page
        )
        assert client.get(reverse("ppid_permohonan:identity", args=[req.pk])).status_code == 404


def test_an_objection_extends_the_period_and_an_open_one_keeps_the_scan(django_capture_on_commit_callbacks):
    users = ppid_users()
    with freeze_time("2026-01-05 09:00:00+07:00"):
        req = make_request()
    with freeze_time("2027-01-20 09:00:00+07:00"):
        unanswered = make_request(email="lain@contoh.id")  # due 3 February 2027
    with freeze_time("2026-01-12 10:00:00+07:00"):
        req.record_answer(
            decision="ditolak", answer="Ditolak.", user=users[Role.PPID], legal_basis="Pasal 17"
        )
        objection = Objection.receive(request=req, ground="a", reason="Keberatan.")
    with freeze_time("2027-02-01 09:00:00+07:00"), django_capture_on_commit_callbacks(execute=True):
        assert "0 pindaian identitas dihapus" in purge()  # the objection is still open
    with freeze_time("2027-02-01 10:00:00+07:00"):
        objection.record_answer(
            decision="ditolak",
            answer="Dikuatkan.",
            user=users[Role.SUPERIOR],
            superior_name="R",
            superior_position="S",
        )
    with freeze_time("2028-01-31 09:00:00+07:00"), django_capture_on_commit_callbacks(execute=True):
        assert "0 pindaian identitas dihapus" in purge()  # kept a year after the objection's answer
    with freeze_time("2028-02-02 09:00:00+07:00"), django_capture_on_commit_callbacks(execute=True):
        assert "1 pindaian identitas dihapus" in purge()
    assert InformationRequest.objects.get(pk=req.pk).identity_deleted_at is not None
    # a request never answered keeps its scan until a period after its deadline (3 February 2028)
    assert InformationRequest.objects.get(pk=unanswered.pk).identity_scan


def test_a_request_never_answered_keeps_its_scan_a_period_after_its_deadline(
    django_capture_on_commit_callbacks,
):
    with freeze_time("2026-01-05 09:00:00+07:00"):
        req = make_request()
    name = req.identity_scan.name
    assert req.due_on.isoformat() == "2026-01-19"
    with freeze_time("2026-01-19 12:00:00+07:00"):
        assert req.identity_retained_until() is None  # still within its deadline
    with freeze_time("2026-01-20 12:00:00+07:00"):
        assert req.identity_retained_until().isoformat() == "2027-01-19"
    with freeze_time("2027-01-20 08:00:00+07:00"), django_capture_on_commit_callbacks(execute=True):
        assert "1 pindaian identitas dihapus" in purge()
    assert not stored(name).exists()
