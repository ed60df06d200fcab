"""An image no published page shows is reachable by nobody outside the admin (kpu_site/media_views.py).

The embargoed infographic: uploaded by the author through the admin (its renditions made at once) and
used only by a draft. Its original and every rendition answer the site's 404 to the public, and to the
author and reviewers (who see it in the Images library) the picture, never kept by a shared cache.
Published, it is public with a short cache lifetime; unpublished, it is gone again.
"""

from __future__ import annotations

import pytest

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wagtail.images import get_image_model
from wagtail.models import Collection, Page, PageViewRestriction

from sop_workflow.enforcement import publish_allowed
from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import login

pytestmark = pytest.mark.django_db

Image = get_image_model()
Rendition = Image.get_rendition_model()
NOT_FOUND_TEXT = "Halaman tidak ditemukan"  # templates/404.html


@pytest.fixture(autouse=True)
def renditions_on_upload(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.KPU_RENDITIONS_ON_UPLOAD = True
    Rendition.cache_backend.clear()  # Wagtail caches renditions by image id; ids repeat between tests
    cache.clear()  # so does the public decision (kpu_site.media_views)
    yield
    cache.clear()


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run what waits for the commit (renditions of an upload, the cache generation bump of a
    publication): the test's own transaction would hold it back."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def upload(client, committing, title="Infografis hasil rekapitulasi (embargo)") -> Image:
    response = committing(
        client.post,
        reverse("wagtailimages:add"),
        {
            "title": title,
            "file": SimpleUploadedFile("infografis.png", factories.png_bytes(900, 600), "image/png"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    return Image.objects.get(title=title)


def urls_of(image) -> dict[str, str]:
    """Every URL of the image (original and renditions) -> its stored file's name."""
    renditions = {rendition.url: rendition.file.name for rendition in Rendition.objects.filter(image=image)}
    assert len(renditions) > 3, "the upload made no renditions"
    return {image.file.url: image.file.name, **renditions}


def stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as file:
        return file.read()


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def embargoed(home_page, sop_users, committing):
    """(image, draft page): an image the author uploaded, used only by their unpublished draft."""
    author = sop_users[Role.PENGAMPU]
    image = upload(login(author), committing)
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(
        parent=index, owner=author, feature_image=image, feature_image_alt="Infografis hasil rekapitulasi"
    )
    page.unpublish()
    page.save_revision(user=author)
    return image, page


def test_a_drafts_image_is_404_everywhere_until_published_and_again_after_unpublish(
    embargoed, sop_users, committing
):
    image, page = embargoed
    urls = urls_of(image)
    assert all(url.startswith(("/media/images/", "/media/original_images/")) for url in urls)
    public = Client()
    for url in urls:
        response = public.get(url)
        assert response.status_code == 404, url
        assert NOT_FOUND_TEXT in response.content.decode()

    # The author and a reviewer see it (they see it in the Images library), never via a shared cache.
    for role in (Role.PENGAMPU, Role.TEKMAS):
        client = login(sop_users[role])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            assert response["Cache-Control"] == "private, no-cache"
            assert content(response) == stored(urls[url])

    with publish_allowed("test"):
        committing(lambda: page.save_revision().publish())
    for url, name in urls.items():
        response = public.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "public, max-age=300"
        assert content(response) == stored(name)
        # a phone that has it answers for itself: no bytes sent again
        again = public.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert again.status_code == 304

    committing(Page.objects.get(pk=page.pk).specific.unpublish)
    for url in urls:
        assert public.get(url).status_code == 404, url


def test_an_unused_image_is_404_by_any_guessed_path(sop_users, committing):
    image = upload(login(sop_users[Role.PENGAMPU]), committing, title="Foto belum dipakai")
    public = Client()
    for url in urls_of(image):
        assert public.get(url).status_code == 404, url
    stem = image.file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    for guess in (
        f"/media/images/{stem}.fill-400x225.format-webp.webp",
        f"/media/images/{stem}.original.png",
        "/media/original_images/hasil-rekapitulasi.png",
        "/media/images/hasil-rekapitulasi.2e16d0ba.fill-400x225.format-webp.webp",
    ):
        assert public.get(guess).status_code == 404, guess


def test_a_user_without_the_images_library_does_not_see_a_drafts_image(embargoed, db):
    from django.contrib.auth import get_user_model

    image, _ = embargoed
    reader = Client()
    reader.force_login(get_user_model().objects.create_user("warga"))  # signed in, no admin access
    assert reader.get(image.file.url).status_code == 404


def test_an_image_of_a_view_restricted_live_page_is_not_public(embargoed, committing):
    image, page = embargoed
    with publish_allowed("test"):
        committing(lambda: page.save_revision().publish())
    assert Client().get(image.file.url).status_code == 200
    committing(
        PageViewRestriction.objects.create,
        page=page.get_parent(),
        restriction_type=PageViewRestriction.LOGIN,
    )
    assert Client().get(image.file.url).status_code == 404


def test_a_public_image_is_decided_once_per_generation(embargoed, committing, django_assert_num_queries):
    image, page = embargoed
    with publish_allowed("test"):
        committing(lambda: page.save_revision().publish())
    urls = urls_of(image)
    public = Client()
    for url in urls:
        assert public.get(url).status_code == 200
    with django_assert_num_queries(0):
        for url in urls:
            assert public.get(url).status_code == 200


def test_with_media_accel_redirect_nginx_sends_the_file_after_the_same_check(
    embargoed, settings, committing, sop_users
):
    settings.MEDIA_ACCEL_REDIRECT = "/media-internal/"
    image, page = embargoed
    assert Client().get(image.file.url).status_code == 404
    response = login(sop_users[Role.PENGAMPU]).get(image.file.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/media-internal/{image.file.name}"
    assert response["Cache-Control"] == "private, no-cache"
    assert response.content == b""
    with publish_allowed("test"):
        committing(lambda: page.save_revision().publish())
    response = Client().get(image.file.url)
    assert response["X-Accel-Redirect"] == f"/media-internal/{image.file.name}"
    assert response["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize(
    "path",
    [
        "/media/images/",
        "/media/images/../original_images/x.png",
        "/media/images/%2e%2e/%2e%2e/etc/passwd",
        "/media/original_images/..%2f..%2fdb.sqlite3",
        "/media/original_images//etc/passwd",
        "/media/images/a%00b.png",
        "/media/images/a%5C..%5Cb.png",
        "/media/images/" + "a" * 5000 + ".png",
        "/media/images/%ff%fe.png",
        "/media/documents/keputusan.pdf",
    ],
)
def test_odd_paths_are_404_never_500(db, path):
    response = Client().get(path)
    assert response.status_code == 404, (path, response.status_code)
