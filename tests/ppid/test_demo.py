"""``manage.py load_ppid_demo``: demo accounts per role and requests in every state, true today."""

from __future__ import annotations

import io

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from ppid.models import InformationRequest, Objection
from ppid.rules import ROLES, Decision
from tests.sop_workflow.admin_helpers import login

pytestmark = pytest.mark.django_db

PASSWORD = "sandi-demo-uji"


@pytest.fixture
def demo(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    out = io.StringIO()
    call_command("load_ppid_demo", stdout=out)
    return out.getvalue()


def test_the_demo_has_every_state_today(demo):
    assert "10 permohonan baru" in demo and f"Password: {PASSWORD}" in demo
    requests = list(InformationRequest.objects.all())
    open_ = [req for req in requests if not req.is_answered]
    assert any(not req.is_overdue() and req.extended_at is None for req in open_)  # new
    assert any(req.is_overdue() for req in open_)  # overdue
    assert any(req.extended_at and not req.is_overdue() for req in open_)  # extended
    answered = {req.decision for req in requests if req.is_answered}
    assert answered == set(Decision.values)
    refused = [req for req in requests if req.decision == Decision.REFUSED]
    assert all(req.legal_basis and req.consequence_test for req in refused)
    given = [req for req in requests if req.decision in (Decision.GIVEN, Decision.PARTLY)]
    assert all(req.answer_document for req in given)
    assert all(req.identity_scan for req in requests)
    objections = list(Objection.objects.all())
    assert any(objection.is_answered and objection.commission_deadline() for objection in objections)
    assert any(not objection.is_answered and not objection.is_overdue() for objection in objections)
    # every answer before its deadline, every objection within its window
    assert not any(req.answered_late for req in requests if req.is_answered)
    for objection in objections:
        assert objection.received_on <= objection.request.objection_deadline()


def test_the_demo_is_idempotent_and_its_accounts_sign_in(demo):
    again = io.StringIO()
    call_command("load_ppid_demo", stdout=again)
    assert "0 permohonan baru" in again.getvalue()
    assert InformationRequest.objects.count() == 10
    for info in ROLES.values():
        user = get_user_model().objects.get(username=info.demo_username)
        assert user.groups.filter(name=info.group_name).exists()
        client = login(user, password=PASSWORD)
        assert client.get(reverse("ppid_permohonan:index")).status_code == 200
