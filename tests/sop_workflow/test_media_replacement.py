"""A file behind published or in-review content is never swapped in place (kpu_site/uploads.py).

Through the admin's own edit screens, as SOP roles and as a superuser: the document of a live Regulasi
and the image of a live Berita keep their bytes (the public still downloads the old file), and so do
files that only a draft in the chain, or a revision a step judged, uses. An unused file can still be
replaced, and a title alone can always be edited.
"""

from __future__ import annotations

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_multi_form
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_multi_form
from wagtail.models import Page

from kpu_site.uploads import (
    DOCUMENT_IN_USE,
    FOCAL_POINT_IN_USE,
    IMAGE_IN_USE,
    SafeDocumentForm,
    SafeImageForm,
)
from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import act, edit, login, submit

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image = get_image_model()

OLD_PDF = b"%PDF-1.4\n% Keputusan KPU yang berlaku\n%EOF\n"
NEW_PDF = b"%PDF-1.4\n% Keputusan KPU yang ditukar diam-diam\n%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()  # the public decision of an image is cached by id; ids repeat between tests


@pytest.fixture
def superuser_client(db):
    from django.contrib.auth import get_user_model

    from tests.conftest import PASSWORD

    return login(get_user_model().objects.create_superuser("kepala", "kepala@kpu.test", PASSWORD))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def replace_document(client, document, content=NEW_PDF, title=None):
    return client.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {
            "title": title or document.title,
            "file": SimpleUploadedFile("pengganti.pdf", content, content_type="application/pdf"),
            "collection": document.collection_id,
        },
    )


def replace_image(client, image, **extra):
    data = {"title": image.title, "collection": image.collection_id, **extra}
    if "file" not in extra:
        data["file"] = SimpleUploadedFile(
            "pengganti.png", factories.png_bytes(320, 180, color=(0, 90, 0)), content_type="image/png"
        )
    return client.post(reverse("wagtailimages:edit", args=[image.pk]), data)


def live_regulasi(home_page):
    document = factories.DocumentFactory(
        title="Keputusan penetapan DPT",
        file=SimpleUploadedFile("keputusan.pdf", OLD_PDF, content_type="application/pdf"),
    )
    factories.RegulasiPageFactory(
        parent=factories.RegulasiIndexPageFactory(parent=home_page), dokumen=document
    )
    return document


def live_berita(home_page, image=None, owner=None):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    return factories.BeritaPageFactory(
        parent=index, feature_image=image, feature_image_alt="Rapat pleno", owner=owner
    )


def assert_refused(response, message):
    assert response.status_code == 200, response.status_code
    assert message in response.content.decode()


# --- Documents ------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", [Role.PENGAMPU, Role.WEB_ADMIN, Role.KOMISIONER])
def test_the_document_of_a_live_regulasi_cannot_be_replaced_by_an_sop_role(home_page, sop_users, role):
    document = live_regulasi(home_page)
    name = document.file.name
    assert_refused(replace_document(login(sop_users[role]), document), DOCUMENT_IN_USE)
    document.refresh_from_db()
    assert document.file.name == name
    response = Client().get(document.url)
    assert response.status_code == 200
    assert body(response) == OLD_PDF


def test_nor_by_a_superuser_and_nothing_else_is_changed(home_page, superuser_client):
    document = live_regulasi(home_page)
    response = replace_document(superuser_client, document, title="Judul baru bersama berkas baru")
    assert_refused(response, DOCUMENT_IN_USE)
    document.refresh_from_db()
    assert document.title == "Keputusan penetapan DPT"
    assert body(Client().get(document.url)) == OLD_PDF


def test_the_title_of_a_document_a_live_page_shows_is_not_changed_in_place(home_page, sop_users):
    # The title is the link text public pages show: it changes through the chain, as a new document.
    document = live_regulasi(home_page)
    before = document.title
    response = login(sop_users[Role.WEB_ADMIN]).post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {"title": "Keputusan penetapan DPT (judul diperbaiki)", "collection": document.collection_id},
    )
    assert response.status_code == 200
    assert "Judul dokumen ini tampil di halaman yang sudah terbit" in response.content.decode()
    document.refresh_from_db()
    assert document.title == before


def test_the_title_of_an_image_in_use_can_still_be_edited(home_page, sop_users):
    image = factories.ImageFactory(title="Foto rapat")
    live_berita(home_page, image)
    response = login(sop_users[Role.WEB_ADMIN]).post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {"title": "Foto rapat pleno", "collection": image.collection_id},
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.title == "Foto rapat pleno"


@pytest.mark.django_db(transaction=True)  # the refusal rolls back the deletion's own transaction
def test_a_file_a_live_page_shows_cannot_be_deleted(home_page, sop_users):
    from django.core.exceptions import PermissionDenied

    document = live_regulasi(home_page)
    image = factories.ImageFactory(title="Foto rapat")
    live_berita(home_page, image)
    client = login(sop_users[Role.KOMISIONER])
    client.post(reverse("wagtaildocs:delete", args=[document.pk]))
    client.post(reverse("wagtailimages:delete", args=[image.pk]))
    assert Document.objects.filter(pk=document.pk).exists() and Image.objects.filter(pk=image.pk).exists()
    with pytest.raises(PermissionDenied):
        image.delete()
    unused = factories.DocumentFactory(title="Tidak dipakai")
    client.post(reverse("wagtaildocs:delete", args=[unused.pk]))
    assert not Document.objects.filter(pk=unused.pk).exists()


def test_an_unused_document_can_still_be_replaced(sop_users):
    document = factories.DocumentFactory(title="Belum dipakai")
    response = replace_document(login(sop_users[Role.PENGAMPU]), document)
    assert response.status_code == 302
    document.refresh_from_db()
    with document.file.open("rb") as stored:
        assert stored.read() == NEW_PDF


def test_the_document_of_a_draft_in_the_chain_cannot_be_replaced(home_page, sop_users):
    from wagtail.test.utils.form_data import streamfield

    index = factories.BeritaIndexPageFactory(parent=home_page)
    document = factories.DocumentFactory(
        title="Lampiran rancangan",
        file=SimpleUploadedFile("lampiran.pdf", OLD_PDF, content_type="application/pdf"),
    )
    page = factories.BeritaPageFactory(parent=index, owner=sop_users[Role.PENGAMPU])  # live, no document
    attached = streamfield([("document", {"document": document.pk, "title": "Lampiran rancangan"})])
    assert submit(login(sop_users[Role.PENGAMPU]), page, body=attached).status_code == 302
    assert Page.objects.get(pk=page.pk).workflow_in_progress
    assert_refused(replace_document(login(sop_users[Role.PENGELOLA]), document), DOCUMENT_IN_USE)
    with Document.objects.get(pk=document.pk).file.open("rb") as stored:
        assert stored.read() == OLD_PDF


def test_multiple_upload_edit_forms_derive_from_the_safe_forms_and_cannot_touch_the_file(
    home_page, sop_users
):
    assert issubclass(get_document_multi_form(Document), SafeDocumentForm)
    assert issubclass(get_image_multi_form(Image), SafeImageForm)
    document = live_regulasi(home_page)
    name = document.file.name
    prefix = f"doc-{document.pk}"
    response = login(sop_users[Role.WEB_ADMIN]).post(
        reverse("wagtaildocs:edit_multiple", args=[document.pk]),
        {
            f"{prefix}-title": "Judul dari unggah banyak",
            f"{prefix}-collection": document.collection_id,
            f"{prefix}-file": SimpleUploadedFile("pengganti.pdf", NEW_PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    document.refresh_from_db()
    assert document.file.name == name  # neither the file nor (in use) the title changes
    assert body(Client().get(document.url)) == OLD_PDF

    image = factories.ImageFactory(title="Foto rapat")
    live_berita(home_page, image)
    original, prefix = image.file.name, f"image-{image.pk}"
    response = login(sop_users[Role.WEB_ADMIN]).post(
        reverse("wagtailimages:edit_multiple", args=[image.pk]),
        {
            f"{prefix}-title": "Foto rapat (unggah banyak)",
            f"{prefix}-collection": image.collection_id,
            f"{prefix}-file": SimpleUploadedFile(
                "lain.png", factories.png_bytes(10, 10), content_type="image/png"
            ),
            f"{prefix}-focal_point_x": 5,
            f"{prefix}-focal_point_y": 5,
            f"{prefix}-focal_point_width": 2,
            f"{prefix}-focal_point_height": 2,
        },
    )
    assert response.status_code == 200 and response.json()["success"] is True
    image.refresh_from_db()
    assert (image.file.name, image.focal_point_x) == (original, None)


# --- Images ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", [Role.PENGAMPU, Role.WEB_ADMIN, "superuser"])
def test_the_image_of_a_live_berita_cannot_be_replaced(home_page, sop_users, superuser_client, who):
    image = factories.ImageFactory(title="Foto rapat pleno")
    old_bytes = image.file.open("rb").read()
    image.file.close()
    live_berita(home_page, image)
    client = superuser_client if who == "superuser" else login(sop_users[who])
    assert_refused(replace_image(client, image), IMAGE_IN_USE)
    image.refresh_from_db()
    assert (image.width, image.height) == (640, 360)
    response = Client().get(image.file.url)
    assert response.status_code == 200
    assert body(response) == old_bytes


def test_the_focal_point_of_a_live_image_cannot_be_moved(home_page, sop_users):
    image = factories.ImageFactory(title="Foto rapat pleno")
    live_berita(home_page, image)
    response = replace_image(
        login(sop_users[Role.WEB_ADMIN]),
        image,
        file="",
        focal_point_x=100,
        focal_point_y=100,
        focal_point_width=50,
        focal_point_height=50,
    )
    assert_refused(response, FOCAL_POINT_IN_USE)
    image.refresh_from_db()
    assert image.focal_point_x is None


def test_the_image_of_a_live_pages_draft_in_the_chain_cannot_be_replaced(home_page, sop_users):
    """The image is only in the draft's revision: the live row (and so the reference index) has none."""
    image = factories.ImageFactory(title="Infografis hasil rekapitulasi")
    page = live_berita(home_page, owner=sop_users[Role.PENGAMPU])
    assert submit(login(sop_users[Role.PENGAMPU]), page, feature_image=image.pk).status_code == 302
    page = Page.objects.get(pk=page.pk)
    assert page.workflow_in_progress
    assert page.specific.feature_image is None  # the live row; the image is in the draft's revision
    assert_refused(replace_image(login(sop_users[Role.PENGELOLA]), image), IMAGE_IN_USE)
    image.refresh_from_db()
    assert (image.width, image.height) == (640, 360)


def test_an_image_a_step_judged_keeps_its_file_after_the_draft_drops_it(home_page, sop_users):
    """Sent back for changes, the author takes the image out: the revision the step judged still shows it."""
    image = factories.ImageFactory(title="Foto yang sudah dinilai")
    page = live_berita(home_page, owner=sop_users[Role.PENGAMPU])
    author = login(sop_users[Role.PENGAMPU])
    assert submit(author, page, feature_image=image.pk).status_code == 302
    assert act(login(sop_users[Role.PENGELOLA]), page, "reject", "Ganti fotonya.").status_code == 302
    assert edit(author, page, feature_image="").status_code == 302
    assert Page.objects.get(pk=page.pk).get_latest_revision_as_object().feature_image is None
    assert_refused(replace_image(author, image), IMAGE_IN_USE)


def test_an_unused_image_can_still_be_replaced(sop_users):
    image = factories.ImageFactory(title="Belum dipakai")
    response = replace_image(login(sop_users[Role.PENGAMPU]), image)
    assert response.status_code == 302, response.content.decode()[:2000]
    image.refresh_from_db()
    assert (image.width, image.height) == (320, 180)


def test_an_image_a_reviewer_added_as_a_correction_keeps_its_file_after_a_send_back(home_page, sop_users):
    """The reviewer corrects the draft at their own step (adds the photo), then sends it back; the
    author drops the photo. The revision that step judged still shows it."""
    image = factories.ImageFactory(title="Foto koreksi pengelola")
    page = live_berita(home_page, owner=sop_users[Role.PENGAMPU])
    author = login(sop_users[Role.PENGAMPU])
    assert submit(author, page).status_code == 302
    reviewer = login(sop_users[Role.PENGELOLA])
    assert edit(reviewer, page, feature_image=image.pk).status_code == 302
    assert (
        act(reviewer, page, "reject", "Fotonya sudah saya pasang, mohon periksa keterangannya.").status_code
        == 302
    )
    assert edit(author, page, feature_image="").status_code == 302
    assert Page.objects.get(pk=page.pk).get_latest_revision_as_object().feature_image is None
    assert_refused(replace_image(author, image), IMAGE_IN_USE)
