"""Every admin publish route holds through Wagtail's extension points alone: the permission tester, the
admin hooks and the pre_save guard, with the class-level wrapper of the publish action taken away."""

import datetime as dt

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.log_actions import LogContext
from wagtail.models import Page, PageLogEntry

from sop_workflow import enforcement
from sop_workflow.enforcement import SOPPublishRefused, acting_user
from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import act, edit, login, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def without_the_wrapper(monkeypatch):
    monkeypatch.setattr(PublishPageRevisionAction, "execute", enforcement._original_execute)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("super", "super@kpu.test", "kata-sandi-uji-123")


@pytest.fixture
def draft(home_page, sop_users):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(parent=index, title="Draf rapat pleno", owner=sop_users[Role.PENGAMPU])
    page.unpublish()
    page.save_revision(user=sop_users[Role.PENGAMPU])
    return page


def is_live(page) -> bool:
    return Page.objects.get(pk=page.pk).live


def test_wagtail_names_the_admin_requests_person_in_its_log_context(superuser):
    """The guard learns who publishes in an admin request from Wagtail's LogContext (private API)."""
    assert acting_user() is None
    with LogContext(user=superuser):
        assert acting_user() == superuser


def test_the_admin_api_refuses_a_superuser_without_the_wrapper(draft, sop_users, superuser):
    url = f"/admin/api/main/pages/{draft.pk}/action/publish/"
    for user in (sop_users[Role.WEB_ADMIN], superuser):
        response = login(user).post(url, {}, content_type="application/json")
        assert response.status_code in (403, 404), user
    assert not is_live(draft)


def test_bulk_publish_and_revert_are_refused_without_the_wrapper(draft, sop_users, superuser):
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={draft.pk}"
    login(superuser).post(bulk, {})
    edit(login(superuser), draft, "action-publish")  # no reason
    assert not is_live(draft)


def test_a_reason_given_in_the_editor_is_recorded_without_the_wrapper(draft, superuser):
    reason = "Pengumuman darurat bencana banjir di lokasi TPS, atas perintah Ketua."
    edit(login(superuser), draft, "action-publish", sop_bypass_reason=reason)
    assert is_live(draft)
    entry = PageLogEntry.objects.get(page=draft, action="sop.publish_outside_chain")
    assert entry.user == superuser and entry.data["reason"] == reason


def test_the_chain_publishes_without_the_wrapper(draft, sop_users):
    submit(login(sop_users[Role.PENGAMPU]), draft)
    for role in (Role.PENGELOLA, Role.WEB_ADMIN, Role.TEKMAS, Role.KABAG_HTH, Role.WEB_ADMIN):
        act(login(sop_users[role]), draft, "approve")
    assert is_live(draft)


def test_scheduling_a_publication_is_guarded_like_publishing_it(draft, sop_users):
    page = draft.get_latest_revision_as_object()
    page.go_live_at = timezone.now() + dt.timedelta(days=1)
    revision = page.save_revision(user=sop_users[Role.PENGAMPU])
    with LogContext(user=sop_users[Role.WEB_ADMIN]), pytest.raises(SOPPublishRefused):
        revision.publish(user=sop_users[Role.WEB_ADMIN], skip_permission_checks=True)
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None


def test_the_system_check_fails_when_wagtail_changes_the_wrapped_signature(monkeypatch):
    assert enforcement.check_publish_guard() == []

    def changed(self, skip_permission_checks=False, log_action=True):
        pass

    monkeypatch.setattr(enforcement, "_original_execute", changed)
    assert [error.id for error in enforcement.check_publish_guard()] == ["sop_workflow.E001"]
