"""Media in an S3-compatible bucket (moto's standalone S3-API server on 127.0.0.1, no mocked client).

Settings come from base.py read with the S3_* variables set, so the endpoint, region and keys
really reach django-storages. Uploads go through the Wagtail admin as a superuser.
"""

import contextlib
import json
import re
import uuid
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest

from django.conf import settings
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, CollectionViewRestriction, Page

from tests import factories
from tests.envsettings import base_settings
from tests.servers import fetch, moto_s3_server
from tests.sop_workflow.admin_helpers import login

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

REGION = "ap-southeast-3"  # Jakarta
PDF = b"%PDF-1.4\n% Keputusan KPU Provinsi Jawa Tengah\n%EOF\n"


@pytest.fixture(scope="module")
def s3_endpoint():
    with moto_s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def bucket(s3_endpoint):
    with media_bucket(s3_endpoint) as name:
        yield name


@contextlib.contextmanager
def media_bucket(s3_endpoint):
    """A new bucket on the server, set up as production does, and the site's media in it."""
    name = f"kpu-media-{uuid.uuid4().hex[:8]}"
    probe = base_settings(
        {
            "S3_BUCKET": name,
            "S3_ENDPOINT_URL": s3_endpoint,
            "S3_ACCESS_KEY_ID": "kpu-akses",
            "S3_SECRET_ACCESS_KEY": "kpu-rahasia",
            "S3_REGION": REGION,
        }
    )
    storages = {"default": probe.STORAGES["default"], "staticfiles": settings.STORAGES["staticfiles"]}
    with override_settings(
        STORAGES=storages,
        WAGTAILDOCS_SERVE_METHOD=probe.WAGTAILDOCS_SERVE_METHOD,
        S3_BUCKET=name,
        S3_REGION=REGION,
    ):
        call_command("setup_media_bucket", stdout=open("/dev/null", "w"))  # noqa: SIM115
        caches["default"].clear()  # Wagtail caches renditions; ids repeat between tests
        yield name


@pytest.fixture
def s3(s3_endpoint):
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id="kpu-akses",
        aws_secret_access_key="kpu-rahasia",
    )


@pytest.fixture
def admin_client(db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("kepala", "kepala@kpu.test", "kata-sandi-uji-123")
    return login(user)


def upload_image(client, title="Rapat pleno terbuka") -> Image:
    response = client.post(
        "/admin/images/add/",
        {
            "title": title,
            "file": SimpleUploadedFile("rapat-pleno.png", factories.png_bytes(), content_type="image/png"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Image.objects.get(title=title)


def upload_document(client, title="Keputusan KPU", collection=None) -> Document:
    response = client.post(
        "/admin/documents/add/",
        {
            "title": title,
            "file": SimpleUploadedFile("keputusan.pdf", PDF, content_type="application/pdf"),
            "collection": (collection or Collection.get_first_root_node()).pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Document.objects.get(title=title)


def page_using(home_page, document) -> Page:
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(
        parent=index, body=[("document", {"document": document, "title": "Lampiran keputusan"})]
    )
    page.unpublish()
    page.save_revision()
    return page


def keys(s3, bucket) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_base_settings_build_the_private_s3_storage_from_the_environment(s3_endpoint):
    probe = base_settings(
        {
            "S3_BUCKET": "media",
            "S3_ENDPOINT_URL": s3_endpoint,
            "S3_ACCESS_KEY_ID": "a",
            "S3_SECRET_ACCESS_KEY": "b",
            "S3_REGION": REGION,
            "S3_SIGNED_URL_SECONDS": "45",
        }
    )
    options = probe.STORAGES["default"]["OPTIONS"]
    assert probe.STORAGES["default"]["BACKEND"] == "kpu_site.storage.MediaStorage"
    assert options["endpoint_url"] == s3_endpoint
    assert options["region_name"] == REGION
    assert (options["access_key"], options["secret_key"]) == ("a", "b")
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["querystring_expire"] == 45
    assert probe.WAGTAILDOCS_SERVE_METHOD == "redirect"  # after the checks, never "direct"
    assert base_settings({}).WAGTAILDOCS_SERVE_METHOD == "serve_view"


def test_uploads_through_the_admin_land_in_the_bucket_and_images_are_served_through_the_site(
    bucket, s3, admin_client
):
    image = upload_image(admin_client)
    document = upload_document(admin_client)
    rendition = image.get_rendition("fill-120x80")

    stored = keys(s3, bucket)
    assert image.file.name in stored
    assert document.file.name in stored
    assert rendition.file.name in stored
    assert image.file.name.startswith("original_images/")
    assert rendition.file.name.startswith("images/")

    # Pages link to the site, which checks the image before it hands out a signed URL of the bucket.
    assert rendition.url == f"/media/{rendition.file.name}"
    assert image.file.url == f"/media/{image.file.name}"
    assert Client().get(rendition.url).status_code == 404  # no live page uses it yet
    response = admin_client.get(rendition.url)  # a user of the Images library
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-cache"
    location = response["Location"]
    assert location.startswith(f"{s3.meta.endpoint_url}/{bucket}/images/")
    assert parse_qs(urlsplit(location).query)["X-Amz-Expires"] == ["60"]
    status, headers, body = fetch(location)
    assert status == 200
    assert body[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_published_pages_image_redirects_to_a_signed_url_and_an_unpublished_ones_is_404(
    bucket, admin_client, home_page, django_capture_on_commit_callbacks
):
    from sop_workflow.enforcement import publish_allowed

    image = upload_image(admin_client)
    rendition = image.get_rendition("fill-120x80")
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(parent=index, feature_image=image, feature_image_alt="Rapat pleno")
    page.unpublish()
    page.save_revision()
    public = Client()
    assert public.get(rendition.url).status_code == 404
    assert public.get(image.file.url).status_code == 404

    with django_capture_on_commit_callbacks(execute=True), publish_allowed("test"):
        page.save_revision().publish()
    for url in (rendition.url, image.file.url):
        response = public.get(url)
        assert response.status_code == 302, url
        # a shared cache may keep the redirect, but never beyond its signed URL's lifetime (60 s)
        assert response["Cache-Control"] == "public, max-age=30"
        status, _, body = fetch(response["Location"])
        assert status == 200 and body[:8] == b"\x89PNG\r\n\x1a\n"

    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=page.pk).specific.unpublish()
    assert public.get(rendition.url).status_code == 404


def test_bucket_objects_are_refused_without_a_signature(bucket, s3, admin_client):
    image = upload_image(admin_client)
    document = upload_document(admin_client)
    rendition = image.get_rendition("fill-120x80")
    base = f"{s3.meta.endpoint_url}/{bucket}/"
    assert fetch(base + document.file.name)[0] == 403
    assert fetch(base + image.file.name)[0] == 403
    assert fetch(base + rendition.file.name)[0] == 403  # renditions too: the bucket has no public prefix


def test_setup_removes_the_public_renditions_policy_of_older_releases(bucket, s3, admin_client):
    image = upload_image(admin_client)
    rendition = image.get_rendition("fill-120x80")
    legacy = {
        "Sid": "PublicRenditions",
        "Effect": "Allow",
        "Principal": "*",
        "Action": ["s3:GetObject"],
        "Resource": [f"arn:aws:s3:::{bucket}/images/*"],
    }
    operators_own = {
        "Sid": "Backup",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:user/cadangan"},
        "Action": ["s3:GetObject"],
        "Resource": [f"arn:aws:s3:::{bucket}/*"],
    }
    base = f"{s3.meta.endpoint_url}/{bucket}/"
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [legacy]}))
    assert fetch(base + rendition.file.name)[0] == 200  # as an older release left it
    call_command("setup_media_bucket", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert fetch(base + rendition.file.name)[0] == 403
    with pytest.raises(s3.exceptions.ClientError):
        s3.get_bucket_policy(Bucket=bucket)

    # The operator's own statements are kept.
    policy = {"Version": "2012-10-17", "Statement": [legacy, operators_own]}
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    call_command("setup_media_bucket", stdout=open("/dev/null", "w"))  # noqa: SIM115
    kept = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
    assert [statement["Sid"] for statement in kept] == ["Backup"]
    # (no fetch here: moto lets an anonymous request through any Allow, whatever its principal)


def test_an_unpublished_pages_document_is_404_and_a_published_one_redirects_to_a_short_signed_url(
    bucket, admin_client, home_page
):
    document = upload_document(admin_client)
    page = page_using(home_page, document)
    public = Client()

    response = public.get(document.url)
    assert response.status_code == 404
    assert "private" in response["Cache-Control"]

    page.get_latest_revision().publish()
    response = public.get(document.url)
    assert response.status_code == 302
    assert "private" in response["Cache-Control"]  # no proxy keeps the signed redirect
    location = response["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    status, _, body = fetch(location)
    assert status == 200
    assert body == PDF

    Page.objects.get(pk=page.pk).specific.unpublish()
    assert public.get(document.url).status_code == 404


def test_a_document_in_a_private_collection_is_refused_to_anonymous_users(
    bucket, s3, admin_client, home_page
):
    root = Collection.get_first_root_node()
    internal = root.add_child(name="Internal sekretariat")
    CollectionViewRestriction.objects.create(
        collection=internal, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = upload_document(admin_client, title="Nota dinas internal", collection=internal)
    page = page_using(home_page, document)
    page.get_latest_revision().publish()

    response = Client().get(document.url)
    assert response.status_code == 302
    # To the login page, not to the bucket.
    assert response["Location"].startswith("/_util/login/?next=/documents/")
    assert s3.meta.endpoint_url not in response["Location"]
    # A logged-in editor gets the file.
    response = admin_client.get(document.url)
    assert response.status_code == 302
    assert fetch(response["Location"])[2] == PDF


def load_script(name: str):
    import importlib.machinery
    import importlib.util

    from tests.servers import REPO

    loader = importlib.machinery.SourceFileLoader(f"kpu_{name}", str(REPO / "bin" / name))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


def test_backup_copies_the_bucket_and_restore_fills_a_new_one(
    bucket, s3, s3_endpoint, admin_client, tmp_path
):
    image = upload_image(admin_client)
    document = upload_document(admin_client)
    image.get_rendition("fill-120x80")
    original = {key: s3.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys(s3, bucket)}
    assert len(original) == 3

    source, files = load_script("backup").backup_media(settings, tmp_path)
    assert (source, files) == (f"s3:{bucket}", 3)
    assert (tmp_path / "media" / document.file.name).read_bytes() == PDF

    new_bucket = f"kpu-pulih-{uuid.uuid4().hex[:8]}"
    probe = base_settings(
        {
            "S3_BUCKET": new_bucket,
            "S3_ENDPOINT_URL": s3_endpoint,
            "S3_ACCESS_KEY_ID": "kpu-akses",
            "S3_SECRET_ACCESS_KEY": "kpu-rahasia",
            "S3_REGION": REGION,
        }
    )
    storages = {"default": probe.STORAGES["default"], "staticfiles": settings.STORAGES["staticfiles"]}
    with override_settings(STORAGES=storages, S3_BUCKET=new_bucket):
        call_command("setup_media_bucket", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert load_script("restore").restore_media(settings, tmp_path) == 3
    restored = {key: s3.get_object(Bucket=new_bucket, Key=key)["Body"].read() for key in keys(s3, new_bucket)}
    assert restored == original
    head = s3.head_object(Bucket=new_bucket, Key=document.file.name)
    assert head["ContentType"] == "application/pdf"


# --- The S3 server stopped (issue 8, faults) ---------------------------------------------------
def test_with_the_s3_server_stopped_uploads_fail_clearly_and_published_pages_still_render(
    home_page, sop_users
):
    from django.contrib.auth import get_user_model

    from tests.conftest import PASSWORD

    get_user_model().objects.create_superuser("kepala", "kepala@kpu.test", PASSWORD)
    index = factories.BeritaIndexPageFactory(parent=home_page, title="Berita", slug="berita")
    with contextlib.ExitStack() as server:
        endpoint = server.enter_context(moto_s3_server())
        with media_bucket(endpoint):
            stop_s3_while_the_site_runs(server, endpoint, index)


def stop_s3_while_the_site_runs(server: contextlib.ExitStack, endpoint: str, index) -> None:
    from django.contrib.auth import get_user_model

    from tests.sop_workflow.admin_helpers import login

    admin = login(get_user_model().objects.get(username="kepala"))
    image = upload_image(admin)
    page = factories.BeritaPageFactory(
        parent=index, slug="rapat-pleno", feature_image=image, feature_image_alt="Suasana rapat pleno"
    )
    second = factories.BeritaPageFactory(
        parent=index, slug="tanpa-rendisi", feature_image=upload_image(admin, "Foto kedua"),
        feature_image_alt="Foto kedua",
    )  # fmt: skip
    first_render = Client().get(page.url)  # renditions generated now, while S3 answers
    assert first_render.status_code == 200
    rendition_urls = set(re.findall(r'/media/images/[^"\s]+', first_render.content.decode()))
    assert rendition_urls, "the page shows no image"
    assert endpoint not in first_render.content.decode()  # pages link to the site, never the bucket
    images, documents = Image.objects.count(), Document.objects.count()

    server.close()  # the S3 server stops: nothing listens on its port any more
    with pytest.raises(OSError):
        fetch(endpoint + "/moto-api/", timeout=2)

    # Published pages render as before, with the same image URLs, and those still answer with a signed
    # redirect (made locally): no S3 call is needed.
    response = Client().get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Suasana rapat pleno" in html
    assert set(re.findall(r'/media/images/[^"\s]+', html)) == rendition_urls
    for url in rendition_urls:
        answer = Client().get(url.replace("&amp;", "&"))
        assert answer.status_code == 302 and answer["Location"].startswith(endpoint), url
    # A rendition not made yet cannot be made: the page still renders, only that picture is missing.
    caches["default"].clear()
    response = Client().get(second.url)
    assert response.status_code == 200
    assert "Foto kedua" in response.content.decode()

    # Uploads fail with a clear message on the form, and nothing is half-saved.
    for path, name, content, kind in (
        ("/admin/images/add/", "rapat.png", factories.png_bytes(), "image/png"),
        ("/admin/documents/add/", "keputusan.pdf", PDF, "application/pdf"),
    ):
        response = admin.post(
            path,
            {
                "title": "Unggahan saat S3 mati",
                "file": SimpleUploadedFile(name, content, content_type=kind),
                "collection": Collection.get_first_root_node().pk,
            },
            follow=True,
        )
        assert response.status_code == 200, path
        assert response.redirect_chain[-1][0] == path
        assert "server penyimpanan berkas sedang tidak dapat dihubungi" in response.content.decode()
    assert (Image.objects.count(), Document.objects.count()) == (images, documents)
    assert not Image.objects.filter(title="Unggahan saat S3 mati").exists()
    assert not Document.objects.filter(title="Unggahan saat S3 mati").exists()
