"""The demo content a newcomer sees: every page renders publicly and opens in the admin editor."""

import pytest

from django.core.management import call_command
from django.db import transaction

from wagtail.models import Page

from sop_workflow.models import ArsipPersetujuan
from tests.conftest import ensure_baseline

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo loaded once for this file, in a transaction rolled back after its last test; each test
    runs in a savepoint inside it (pytest-django), so none sees another's changes."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_baseline()
        call_command("load_demo_content", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded, db):
    return Page.objects.filter(depth__gte=2).specific()


def test_every_demo_page_renders_publicly(client, demo):
    pages = [page for page in demo if page.live]
    assert len(pages) >= 16
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, (page.url, response.status_code)
        html = response.content.decode()
        assert page.title in html, page.url
        assert '<meta property="og:title"' in html, page.url
        assert f'<meta property="og:url" content="{page.full_url}">' in html, page.url


def test_demo_drafts_waiting_in_the_sop_chain_are_not_public(client, demo):
    drafts = [page for page in demo if not page.live]
    assert len(drafts) >= 5
    withdrawn = set(
        ArsipPersetujuan.objects.filter(outcome=ArsipPersetujuan.OUTCOME_CANCELLED).values_list(
            "page_id", flat=True
        )
    )
    for page in drafts:
        assert page.workflow_in_progress or page.current_workflow_state is not None or page.pk in withdrawn, (
            page.title
        )
        assert client.get(page.url).status_code == 404, page.url


def test_every_demo_page_opens_in_the_admin_editor(admin_client, demo):
    for page in demo:
        response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, (page.url, response.status_code)


def test_every_kind_has_at_least_five_demo_items(demo):
    from kpu_pages.models.base import IndexPage

    indexes = [page for page in demo if isinstance(page, IndexPage)]
    assert indexes
    for index in indexes:
        assert index.get_items().count() >= 5, index.title
