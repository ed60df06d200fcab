"""A draft's attachments are not downloadable by the public until the page is published."""

import pytest

from django.test import Client

from wagtail.models import Page
from wagtail.test.utils.form_data import streamfield

from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import act, login, submit

pytestmark = pytest.mark.django_db


def body_with(document):
    return [("document", {"document": document, "title": "Lampiran surat"})]


def test_draft_document_is_404_to_the_public_until_published_and_again_after_unpublish(home_page, sop_users):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    document = factories.DocumentFactory(title="Surat keputusan rahasia sebelum terbit")
    page = factories.BeritaPageFactory(parent=index, body=body_with(document), owner=sop_users[Role.PENGAMPU])
    page.unpublish()
    page.save_revision(user=sop_users[Role.PENGAMPU])
    public = Client()
    assert public.get(document.url).status_code == 404
    # A reviewer can open it to check the draft.
    assert login(sop_users[Role.TEKMAS]).get(document.url).status_code == 200

    page.get_latest_revision().publish()  # as the system, e.g. the chain's last step
    assert Page.objects.get(pk=page.pk).live
    assert public.get(document.url).status_code == 200

    Page.objects.get(pk=page.pk).specific.unpublish()
    assert public.get(document.url).status_code == 404


def test_unused_document_is_not_public(db):
    document = factories.DocumentFactory(title="Dokumen belum dipakai")
    assert Client().get(document.url).status_code == 404


def test_document_goes_public_through_the_chain(home_page, sop_users):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    document = factories.DocumentFactory(title="Lampiran berita")
    page = factories.BeritaPageFactory(parent=index, body=body_with(document), owner=sop_users[Role.PENGAMPU])
    page.unpublish()
    page.save_revision(user=sop_users[Role.PENGAMPU])
    body = streamfield([("document", {"document": document.pk, "title": "Lampiran berita"})])
    submit(login(sop_users[Role.PENGAMPU]), page, body=body)
    for role in (Role.PENGELOLA, Role.WEB_ADMIN, Role.TEKMAS, Role.KABAG_HTH):
        assert Client().get(document.url).status_code == 404
        act(login(sop_users[role]), page, "approve")
    # The final step.
    assert Client().get(document.url).status_code == 404
    act(login(sop_users[Role.WEB_ADMIN]), page, "approve")
    assert Page.objects.get(pk=page.pk).live
    assert Client().get(document.url).status_code == 200
