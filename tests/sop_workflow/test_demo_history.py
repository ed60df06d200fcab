"""The demo's past: on a fresh `make run` the report, its chart and the archive look as they will after
months of use, and the archive verifies."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

from sop_workflow.clock import WorkCalendar
from sop_workflow.demo import demo_password
from sop_workflow.demo_history import HISTORY
from sop_workflow.models import ArsipPersetujuan, ConceptAuthoring
from tests.conftest import PASSWORD
from tests.sop_workflow.admin_helpers import login

pytestmark = pytest.mark.django_db

#: Kabag HTH reads the report (any SOP role may).
ROLE_USER = "kabaghth"


def in_office_hours(calendar: WorkCalendar, moment: dt.datetime) -> bool:
    interval = calendar.open_interval(moment.astimezone(dt.timezone(dt.timedelta(hours=7))).date())
    return interval is not None and interval[0] <= moment <= interval[1]


def test_the_demo_has_a_past_that_walked_its_chains_and_verifies(home_page):
    get_user_model().objects.create_superuser("admin", "admin@kpu.test", PASSWORD)
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    assert f"{len(HISTORY)} konten dengan riwayat SOP" in out.getvalue()

    records = list(ArsipPersetujuan.objects.order_by("sequence"))
    assert len(records) >= 25
    now = timezone.now()
    # Over past weeks, in the order the archive numbers them.
    assert all(record.created_at < now - dt.timedelta(days=1) for record in records)
    assert records[0].created_at < now - dt.timedelta(days=21)
    assert [record.created_at for record in records] == sorted(record.created_at for record in records)
    # Every step started and ended in office hours; some were late, most were not.
    calendar = WorkCalendar.load()
    steps = [step for record in records for step in record.steps]
    for step in steps:
        for moment in (step["started_at"], step["finished_at"]):
            assert in_office_hours(calendar, dt.datetime.fromisoformat(moment)), step
    late = sum(1 for step in steps if step["within_standard"] is False)
    assert 0 < late < len(steps) / 3
    # The stories a newcomer should find.
    outside = [record for record in records if record.outside_sop]
    assert len(outside) == 1 and len(outside[0].bypass_reason) > 20
    cancelled = [record for record in records if record.outcome == ArsipPersetujuan.OUTCOME_CANCELLED]
    assert len(cancelled) == 1 and "logistik" in cancelled[0].reason
    resubmitted = [r for r in records if any(s["decision"] == "minta perbaikan" for s in r.steps)]
    assert len(resubmitted) == 1 and resubmitted[0].outcome == ArsipPersetujuan.OUTCOME_PUBLISHED
    assert any(step.get("corrected") for step in steps)
    assert {record.chain_name for record in records} >= {"SOP Ringkas", "SOP Lengkap"}
    assert all(record.authoring for record in records if not record.outside_sop)
    assert ConceptAuthoring.objects.count() >= len(records) - 1

    verification = io.StringIO()
    call_command("sop_verify_archive", stdout=verification)
    assert "OK: rantai arsip persetujuan utuh" in verification.getvalue()
    assert "cocok dengan hash yang tercatat" in verification.getvalue()

    # The report's default period (the last 30 days) has figures for every step of both chains.
    client = login(_user(ROLE_USER), demo_password())
    html = client.get(reverse("sop_kepatuhan")).content.decode()
    assert "belum ada langkah selesai" not in html
    since = (timezone.localdate() - dt.timedelta(days=60)).isoformat()
    html = client.get(reverse("sop_kepatuhan"), {"finished_at_from": since}).content.decode()
    assert "1 alur dibatalkan" in html and "1 penerbitan di luar SOP" in html

    # The published past is public; loading again adds nothing.
    published = [record for record in records if record.outcome == ArsipPersetujuan.OUTCOME_PUBLISHED]
    assert len(published) == len(HISTORY) - 1  # all but the withdrawn one
    assert Page.objects.filter(pk__in=[record.page_id for record in published], live=True).count() == len(
        published
    )
    call_command("load_demo_content", stdout=io.StringIO())
    assert ArsipPersetujuan.objects.count() == len(records)


def _user(username):
    return get_user_model().objects.get(username=username)
