"""A draft seen in the admin's preview says so at the top; the live page never does."""

from __future__ import annotations

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.models import Page

from sop_workflow.sop import Role
from tests import factories
from tests.conftest import PASSWORD
from tests.sop_workflow.admin_helpers import login, news_form_data, submit

pytestmark = pytest.mark.django_db

BANNER = "Pratinjau - belum terbit"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("redaktur", "redaktur@kpu.test", PASSWORD)


def test_editors_preview_shows_the_banner_and_the_live_page_does_not(client, home_page, editor):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    item = factories.BeritaPageFactory(parent=index, title="Rapat pleno terbuka")
    admin = login(editor)
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[item.pk])
    data = news_form_data(item, title="Rapat pleno terbuka (draf baru)")
    assert admin.post(preview_url, data).json()["is_valid"]
    preview = admin.get(preview_url).content.decode()
    assert "Rapat pleno terbuka (draf baru)" in preview
    assert BANNER in preview
    # "view draft" from the page's menu too
    assert BANNER in admin.get(reverse("wagtailadmin_pages:view_draft", args=[item.pk])).content.decode()

    live = client.get(item.url).content.decode()
    assert "Rapat pleno terbuka" in live and BANNER not in live
    editor_on_live = admin.get(item.url).content.decode()  # the editor on the public site: userbar, no banner
    assert BANNER not in editor_on_live
    assert "has-userbar" in editor_on_live and "has-userbar" not in live


def test_reviewers_workflow_preview_shows_the_banner(home_page, sop_users):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    author = sop_users[Role.PENGAMPU]
    draft = factories.BeritaPageFactory(parent=index, title="Konsep berita sosialisasi", owner=author)
    draft.unpublish()
    draft.save_revision(user=author)
    assert submit(login(author), draft).status_code == 302
    task_state = Page.objects.get(pk=draft.pk).current_workflow_task_state

    reviewer = login(sop_users[Role.PENGELOLA])
    url = reverse("wagtailadmin_pages:workflow_preview", args=[draft.pk, task_state.task_id])
    response = reviewer.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Konsep berita sosialisasi" in html and BANNER in html
