"""Wagtail's own workflow emails (English, to superusers and the submitter) never go out beside the SOP's."""

import pytest

from django.contrib.auth import get_user_model
from django.core import mail

from wagtail.users.models import UserProfile

from sop_workflow.notifications import WAGTAIL_WORKFLOW_PREFERENCES
from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import act, current_step, login, submit

pytestmark = pytest.mark.django_db

#: Words of Wagtail's workflow email subjects (wagtailadmin/notifications/workflow_state_*_subject.txt).
WAGTAIL_SUBJECT_WORDS = ("has been submitted", "has been approved", "has been rejected", "workflow")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("super", "super@kpu.test", "kata-sandi-uji-123")


@pytest.fixture
def draft(home_page, sop_users):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(
        parent=index, title="Rapat pleno terbuka", owner=sop_users[Role.PENGAMPU]
    )
    page.unpublish()
    return page


def test_no_wagtail_workflow_email_for_submit_approve_or_reject(
    draft, sop_users, superuser, django_capture_on_commit_callbacks
):
    author = login(sop_users[Role.PENGAMPU])
    with django_capture_on_commit_callbacks(execute=True):
        submit(author, draft)  # Wagtail's "submitted" goes to every superuser
        act(login(sop_users[Role.PENGELOLA]), draft, "reject", comment="Lengkapi nama pembicara.")
        submit(author, draft)  # Wagtail's "rejected" and "approved" go to the submitter
        for role in (Role.PENGELOLA, Role.WEB_ADMIN, Role.TEKMAS, Role.KABAG_HTH, Role.WEB_ADMIN):
            act(login(sop_users[role]), draft, "approve")
    assert current_step(draft) is None
    draft.refresh_from_db()
    assert draft.live

    subjects = [message.subject for message in mail.outbox]
    assert any("Menunggu tinjauan" in subject for subject in subjects)
    assert any("Perlu perbaikan" in subject for subject in subjects)
    assert any("Telah terbit" in subject for subject in subjects)
    assert all(subject.startswith("[KPU Jateng] ") for subject in subjects), subjects
    assert not [s for s in subjects if any(word in s.lower() for word in WAGTAIL_SUBJECT_WORDS)]
    assert "super@kpu.test" not in {address for message in mail.outbox for address in message.to}


def test_the_workflow_switches_of_the_notification_preferences_stay_off(sop_users):
    """Saved from the account screen or anywhere else, they stay off: the SOP's emails replace them."""
    profile = UserProfile.get_for_user(sop_users[Role.PENGAMPU])
    for preference in WAGTAIL_WORKFLOW_PREFERENCES:
        setattr(profile, preference, True)
    profile.save()
    profile.refresh_from_db()
    assert not any(getattr(profile, preference) for preference in WAGTAIL_WORKFLOW_PREFERENCES)
    assert profile.updated_comments_notifications  # Wagtail's comment emails are not the SOP's business


@pytest.mark.parametrize("role", [Role.PENGELOLA, Role.KOMISIONER])
def test_an_approver_sees_no_workflow_switch(sop_users, role):
    """Approvers hold no page permission of their own: Wagtail shows them no notification switch."""
    page = login(sop_users[role]).get("/admin/account/").content.decode()
    assert 'name="name_email-email"' in page
    assert 'name="notifications-' not in page


def test_the_account_screen_shows_no_switch_that_would_not_stick(sop_users):
    """The author sees why SOP emails cannot be turned off, and only the comment switch, which sticks."""
    role = Role.PENGAMPU
    client = login(sop_users[role])
    page = client.get("/admin/account/").content.decode()
    assert "tidak dapat dimatikan di sini" in page
    for preference in WAGTAIL_WORKFLOW_PREFERENCES:
        assert f'name="notifications-{preference}"' not in page
    assert 'name="notifications-updated_comments_notifications"' in page

    form = {
        "name_email-first_name": "Nama",
        "name_email-last_name": "Baru",
        "name_email-email": sop_users[role].email,
        "locale-preferred_language": "id",
        "locale-current_time_zone": "Asia/Jakarta",
        "theme-theme": "system",
        "theme-density": "default",
        "theme-contrast": "system",
    }  # the comment switch left unticked
    response = client.post("/admin/account/", form, follow=True)
    assert response.status_code == 200
    profile = UserProfile.get_for_user(sop_users[role])
    profile.refresh_from_db()
    assert not profile.updated_comments_notifications
    page = client.get("/admin/account/").content.decode()
    assert 'name="notifications-updated_comments_notifications"' in page
    form["notifications-updated_comments_notifications"] = "on"
    client.post("/admin/account/", form)
    profile.refresh_from_db()
    assert profile.updated_comments_notifications
    assert sop_users[role].__class__.objects.get(pk=sop_users[role].pk).first_name == "Nama"
