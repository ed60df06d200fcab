"""Every route around the chain is closed: one test per route, through the admin as a person would."""

import datetime as dt

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.models import Page, PageLogEntry

from sop_workflow.enforcement import SOPPublishRefused
from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import act, edit, login, news_form_data, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(home_page):
    return factories.BeritaIndexPageFactory(parent=home_page)


@pytest.fixture
def draft(index, sop_users):
    page = factories.BeritaPageFactory(
        parent=index, title="Draf berita rapat pleno", owner=sop_users[Role.PENGAMPU]
    )
    page.unpublish()
    page.save_revision(user=sop_users[Role.PENGAMPU])
    return page


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("super", "super@kpu.test", "kata-sandi-uji-123")


def is_live(page) -> bool:
    return Page.objects.get(pk=page.pk).live


def at_last_step(page, sop_users):
    submit(login(sop_users[Role.PENGAMPU]), page)
    for role in (Role.PENGELOLA, Role.WEB_ADMIN, Role.TEKMAS, Role.KABAG_HTH):
        act(login(sop_users[role]), page, "approve")


def test_no_publish_button_for_any_sop_role(draft, sop_users):
    at_last_step(draft, sop_users)
    for role in Role:
        html = (
            login(sop_users[role]).get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
        )
        assert 'name="action-publish"' not in html, role


def test_editor_publish_post_by_a_non_superuser_only_saves_a_draft(draft, sop_users):
    response = edit(login(sop_users[Role.PENGAMPU]), draft, "action-publish", title="Judul diperbarui")
    assert response.status_code == 302
    assert not is_live(draft)
    assert Page.objects.get(pk=draft.pk).draft_title == "Judul diperbarui"


def test_final_approver_cannot_publish_with_the_publish_button(draft, sop_users):
    at_last_step(draft, sop_users)
    edit(login(sop_users[Role.WEB_ADMIN]), draft, "action-publish")
    assert not is_live(draft)


def test_bulk_publish_is_refused_for_roles_and_superusers(draft, sop_users, superuser):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={draft.pk}"
    login(sop_users[Role.WEB_ADMIN]).post(url, {})
    assert not is_live(draft)
    login(superuser).post(url, {})
    assert not is_live(draft)


def test_admin_api_publish_action_is_refused(draft, sop_users, superuser):
    url = f"/admin/api/main/pages/{draft.pk}/action/publish/"
    response = login(sop_users[Role.WEB_ADMIN]).post(url, {}, content_type="application/json")
    assert response.status_code in (403, 404)
    assert not is_live(draft)
    response = login(superuser).post(url, {}, content_type="application/json")
    assert response.status_code == 403
    assert not is_live(draft)


def test_copy_with_publish_copies_is_refused(draft, index, sop_users, superuser):
    live = factories.BeritaPageFactory(parent=index, title="Berita terbit", slug="berita-terbit")
    url = reverse("wagtailadmin_pages:copy", args=[live.pk])
    for user, slug in ((sop_users[Role.PENGAMPU], "salinan-a"), (superuser, "salinan-b")):
        login(user).post(
            url,
            {"new_title": "Salinan", "new_slug": slug, "new_parent_page": index.pk, "publish_copies": "on"},
        )
        copy = Page.objects.filter(slug=slug).first()
        assert copy is None or not copy.live, user


def test_alias_into_the_live_tree_is_refused(index, sop_users, superuser):
    live = factories.BeritaPageFactory(parent=index, title="Berita asli", slug="berita-asli")
    url = reverse("wagtailadmin_pages:copy", args=[live.pk])
    login(superuser).post(
        url, {"new_title": "Alias", "new_slug": "berita-alias", "new_parent_page": index.pk, "alias": "on"}
    )
    assert not Page.objects.filter(alias_of=live).exists()


def test_revert_and_publish_an_old_revision_is_refused(draft, sop_users, superuser):
    old_revision = draft.get_latest_revision()
    url = reverse("wagtailadmin_pages:revisions_revert", args=[draft.pk, old_revision.pk])
    data = news_form_data(draft)
    data["action-publish"] = "action-publish"
    login(sop_users[Role.WEB_ADMIN]).post(url, data)
    assert not is_live(draft)
    login(superuser).post(url, data)  # no reason given
    assert not is_live(draft)


def test_scheduled_publishing_never_publishes_an_unapproved_revision(draft, sop_users):
    past = (timezone.now() - dt.timedelta(minutes=5)).astimezone().strftime("%d-%m-%Y %H:%M")
    edit(login(sop_users[Role.PENGAMPU]), draft, "action-publish", go_live_at=past)
    call_command("publish_scheduled", verbosity=0)
    assert not is_live(draft)


def test_moving_a_draft_into_a_live_section_leaves_it_a_draft(draft, home_page, sop_users, superuser):
    other = factories.LiputanKegiatanIndexPageFactory(parent=home_page)
    other_index = factories.BeritaIndexPageFactory(parent=home_page, slug="berita-2", title="Berita 2")
    url = reverse("wagtailadmin_pages:move_confirm", args=[draft.pk, other_index.pk])
    login(superuser).post(url)
    moved = Page.objects.get(pk=draft.pk)
    assert moved.get_parent().pk == other_index.pk
    assert not moved.live
    assert other.live


def test_unpublish_then_republish_needs_the_chain_again(index, sop_users, superuser):
    page = factories.BeritaPageFactory(parent=index, title="Berita sempat terbit", slug="sempat-terbit")
    page.save_revision()
    page.get_latest_revision().publish()
    login(superuser).post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert not is_live(page)
    edit(login(sop_users[Role.WEB_ADMIN]), page, "action-publish")
    assert not is_live(page)
    edit(login(superuser), page, "action-publish")  # no reason
    assert not is_live(page)


def test_the_publish_action_itself_refuses_a_person_outside_the_chain(draft, sop_users, superuser):
    revision = draft.get_latest_revision()
    for user in (sop_users[Role.WEB_ADMIN], superuser):
        with pytest.raises(SOPPublishRefused):
            PublishPageRevisionAction(revision, user=user).execute(skip_permission_checks=True)
    assert not is_live(draft)


def test_superuser_publishes_outside_the_chain_only_with_a_reason_recorded_in_history(draft, superuser):
    client = login(superuser)
    response = edit(client, draft, "action-publish", sop_bypass_reason="")
    assert not is_live(draft)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("wajib menuliskan alasannya" in m for m in messages)

    reason = "Pengumuman darurat bencana banjir di lokasi TPS, atas perintah Ketua."
    edit(client, draft, "action-publish", sop_bypass_reason=reason)
    assert is_live(draft)
    entry = PageLogEntry.objects.get(page=draft, action="sop.publish_outside_chain")
    assert entry.user == superuser
    assert entry.data["reason"] == reason
    history = client.get(reverse("wagtailadmin_pages:history", args=[draft.pk])).content.decode()
    assert "Diterbitkan di luar SOP" in history
    assert reason in history
