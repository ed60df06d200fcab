"""An image's renditions are made when it is stored, not by its first reader (kpu_pages/renditions.py).

Uploads go through the admin as the author (Pengampu); pages are read by an anonymous client. The
test settings turn the feature off for the rest of the suite (it costs every test image twelve
renditions); these tests turn it on.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Collection

from kpu_pages.renditions import template_filter_specs
from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import login

pytestmark = pytest.mark.django_db

Image = get_image_model()
Rendition = Image.get_rendition_model()

IMAGE_TAG = re.compile(r"{%\s*(?:image|srcset_image|picture)\s+(.*?)%}", re.S)


@pytest.fixture(autouse=True)
def renditions_on_upload(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.KPU_RENDITIONS_ON_UPLOAD = True
    # Wagtail caches renditions by image id; an earlier test's image had the same id
    Rendition.cache_backend.clear()


@pytest.fixture
def author(sop_users, django_capture_on_commit_callbacks):
    """The author's admin client; renditions are made when the upload's transaction commits, which
    the test's own transaction would otherwise hold back."""
    client = login(sop_users[Role.PENGAMPU])

    class Committing:
        def post(self, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(*args, **kwargs)

    return Committing()


def specs_in_template_files() -> set[str]:
    """The same specs found another way: the tags' text in the template files, expanded as Wagtail does."""
    base = Path(django_settings.BASE_DIR)
    paths = [*base.glob("templates/**/*.html"), *base.glob("*/templates/**/*.html")]
    found = set()
    for path in paths:
        for arguments in IMAGE_TAG.findall(path.read_text()):
            specs = []
            for word in arguments.split()[1:]:  # after the image expression
                if "=" in word or word == "as":
                    break
                specs.append(word)
            found.update(Filter.expand_spec(specs))
    return found


def specs_of(image) -> set[str]:
    return set(Rendition.objects.filter(image=image).values_list("filter_spec", flat=True))


def upload(client, title="Rapat pleno", size=(640, 360), color=(139, 20, 20)) -> Image:
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": title,
            "file": SimpleUploadedFile("rapat.png", factories.png_bytes(*size, color=color), "image/png"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    return Image.objects.get(title=title)


def test_the_specs_are_every_size_the_templates_ask_for():
    specs = set(template_filter_specs())
    assert specs == specs_in_template_files()
    # the sizes readers see most: listing cards, a news photo in its srcset, share previews
    assert {"fill-400x225|format-webp", "format-webp|width-800", "fill-1200x630|format-jpeg"} <= specs


def test_an_upload_has_every_rendition_before_its_first_reader(author, home_page):
    image = upload(author)
    assert specs_of(image) == set(template_filter_specs())

    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(
        parent=index, feature_image=image, feature_image_alt="Suasana rapat pleno"
    )
    made = Rendition.objects.count()
    reader = Client()
    detail = reader.get(page.url).content.decode()
    listing = reader.get(index.url).content.decode()
    assert image.get_rendition("format-webp|width-800").url in detail
    assert image.get_rendition("fill-400x225|format-webp").url in listing
    assert Rendition.objects.count() == made, "a reader's request made a rendition"


def test_multiple_upload_makes_them_too(author):
    response = author.post(
        reverse("wagtailimages:add_multiple"),
        {
            "files[]": SimpleUploadedFile("pleno.png", factories.png_bytes(), "image/png"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.json()["success"] is True
    assert specs_of(Image.objects.get()) == set(template_filter_specs())


def test_replacing_the_file_makes_them_again_from_the_new_file(author):
    image = upload(author, size=(640, 360))
    old = set(Rendition.objects.filter(image=image).values_list("pk", flat=True))
    response = author.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {
            "title": image.title,
            "file": SimpleUploadedFile("baru.png", factories.png_bytes(1000, 500), "image/png"),
            "collection": image.collection_id,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    renditions = Rendition.objects.filter(image=image)
    assert not old & set(renditions.values_list("pk", flat=True))
    assert specs_of(image) == set(template_filter_specs())
    assert renditions.get(filter_spec="format-webp|width-800").width == 800  # from the 1000 px file


def test_moving_the_focal_point_makes_the_cropped_sizes_for_it(author):
    image = upload(author)
    response = author.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {
            "title": image.title,
            "collection": image.collection_id,
            "focal_point_x": 100,
            "focal_point_y": 100,
            "focal_point_width": 50,
            "focal_point_height": 50,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    image.refresh_from_db()
    for spec in template_filter_specs():
        key = Filter(spec=spec).get_cache_key(image)
        assert Rendition.objects.filter(image=image, filter_spec=spec, focal_point_key=key).exists(), spec


def test_editing_only_the_title_does_not_remake_anything(author):
    image = upload(author)
    Rendition.objects.filter(image=image, filter_spec="format-webp|width-400").delete()
    response = author.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {"title": "Rapat pleno (judul baru)", "collection": image.collection_id},
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    assert "format-webp|width-400" not in specs_of(image)  # left to the first reader, as before


def test_an_upload_whose_renditions_fail_is_kept_and_the_failure_logged(author, monkeypatch, caplog):
    from kpu_pages import renditions

    monkeypatch.setattr(renditions, "template_filter_specs", lambda: ("bukan-ukuran-apa-pun",))
    image = upload(author)  # a 302 to the image listing: the upload succeeded
    assert Image.objects.filter(pk=image.pk).exists()
    assert specs_of(image) == set()
    assert f"Rendisi gambar {image.pk} belum dapat dibuat sekarang" in caplog.text


def test_a_template_that_cannot_be_compiled_is_a_system_check_error(settings, tmp_path):
    from kpu_pages.renditions import check_template_filter_specs

    assert check_template_filter_specs() == []  # the site's own templates
    (tmp_path / "rusak.html").write_text("{% load wagtailimages_tags %}{% image %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    template_filter_specs.cache_clear()
    try:
        errors = check_template_filter_specs()
    finally:
        template_filter_specs.cache_clear()
    assert [error.id for error in errors] == ["kpu_pages.E001"]
    assert "Ukuran rendisi tidak dapat dibaca dari templat situs" in errors[0].msg


def test_the_command_makes_what_is_missing_and_reports_an_unreadable_original(settings, capsys, caplog):
    settings.KPU_RENDITIONS_ON_UPLOAD = False  # stored as before this feature: no renditions
    kept, lost = factories.ImageFactory(title="Foto utuh"), factories.ImageFactory(title="Foto hilang")
    lost.file.storage.delete(lost.file.name)  # its original is gone from storage
    assert not Rendition.objects.exists()

    call_command("make_renditions")  # one broken image does not stop a deployment
    specs = set(template_filter_specs())
    output = capsys.readouterr()
    assert f"2 gambar diperiksa, {len(specs)} ukuran, {len(specs)} rendisi dibuat." in output.out
    assert "1 gambar belum dapat dibuat rendisinya" in output.err
    with pytest.raises(CommandError, match="1 gambar belum dapat dibuat rendisinya"):
        call_command("make_renditions", "--strict")
    assert specs_of(kept) == specs
    assert specs_of(lost) == set()
    assert f"Rendisi gambar {lost.pk} belum dapat dibuat sekarang" in caplog.text
    assert Image.objects.filter(pk=lost.pk).exists()  # the image itself is kept

    lost.delete()
    call_command("make_renditions")
    assert f"1 gambar diperiksa, {len(specs)} ukuran, 0 rendisi dibuat." in capsys.readouterr().out
