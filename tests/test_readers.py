"""Readers' requests never load Wagtail's admin; editors' requests get all of it (kpu_site/readers.py)."""

import json

import pytest

from django.conf import settings
from django.urls import get_resolver, reverse

from wagtail.models import PageViewRestriction

from kpu_site.readers import READER_URLCONF
from sop_workflow.sop import Role
from tests.factories import BeritaIndexPageFactory, BeritaPageFactory
from tests.sop_workflow.admin_helpers import login
from tests.test_settings import manage


@pytest.fixture
def news(home_page):
    index = BeritaIndexPageFactory(parent=home_page, title="Berita", slug="berita")
    return BeritaPageFactory(parent=index, title="Rapat pleno terbuka", slug="rapat-pleno")


@pytest.mark.django_db
def test_a_reader_resolves_against_the_public_urls_and_an_editor_against_all(client, news, admin_user):
    response = client.get(news.url)
    assert response.status_code == 200
    assert response.wsgi_request.urlconf == READER_URLCONF
    # the admin's own pages, even before signing in, use the whole URL conf
    response = client.get(reverse("wagtailadmin_login"))
    assert response.status_code == 200
    assert not hasattr(response.wsgi_request, "urlconf")
    # a signed-in editor on a public page: the whole URL conf, and Wagtail's user bar links to the editor
    editor = login(admin_user, password="password")
    response = editor.get(news.url)
    assert response.status_code == 200
    assert not hasattr(response.wsgi_request, "urlconf")
    assert reverse("wagtailadmin_pages:edit", args=[news.pk]) in response.content.decode()


def test_the_public_urls_reverse_as_in_the_whole_url_conf():
    readers, whole = get_resolver(READER_URLCONF), get_resolver()
    names = [name for name in readers.reverse_dict if isinstance(name, str)]
    assert {"wagtail_serve", "search", "sitemap", "kind_feed", "wagtaildocs_serve"} <= set(names)

    def patterns(resolver, name):
        return [possibility for possibility, *_ in resolver.reverse_dict.getlist(name)]

    for name in names:
        assert patterns(readers, name) == patterns(whole, name), name
    # Django's login_required sends a reader to settings.LOGIN_URL: the admin's login, reversed here too
    login_url = reverse(settings.LOGIN_URL, urlconf=READER_URLCONF)
    assert login_url == reverse(settings.LOGIN_URL) == "/admin/login/"


@pytest.mark.django_db
def test_readers_get_the_same_redirects_and_error_pages(client, news):
    # APPEND_SLASH asks the reader's URL conf
    response = client.get(news.url.rstrip("/"))
    assert response.status_code == 301
    assert response["Location"] == news.url
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    assert response.wsgi_request.urlconf == READER_URLCONF
    assert "Halaman tidak ditemukan" in response.content.decode()
    # a page for signed-in users only: Wagtail's own login redirect
    PageViewRestriction.objects.create(page=news, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(news.url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailcore_login") + "?next=")


@pytest.mark.django_db
def test_the_lockout_on_wagtails_front_end_login_is_the_indonesian_lockout_page(client, news, sop_users):
    """A private page sends a signed-out editor to Wagtail's front-end login; too many wrong
    passwords there get the lockout page (drawn with the admin's templates), never a 500."""
    PageViewRestriction.objects.create(page=news, restriction_type=PageViewRestriction.LOGIN)
    login_url = client.get(news.url)["Location"]
    assert login_url.startswith("/_util/login/")
    user = sop_users[Role.PENGELOLA]
    statuses = []
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(login_url, {"username": user.username, "password": "salah-kata-sandinya"})
        statuses.append(response.status_code)
        assert not hasattr(response.wsgi_request, "urlconf")  # the whole URL conf
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429, 429]
    assert "Akun dikunci sementara" in response.content.decode()


def test_an_error_before_resolving_is_drawn_with_the_public_urls(client):
    # A forged Host header: CommonMiddleware (before URL resolution) asks for the host and Django
    # answers 400, drawn with the readers' URL conf (the worker test below: nothing of the admin loaded).
    client.raise_request_exception = False
    response = client.get("/", HTTP_HOST="bukan.kpu.test")
    assert response.status_code == 400
    assert response.wsgi_request.urlconf == READER_URLCONF


# A worker's life in one process: readers first (every page kind of the demo content, search, feeds,
# sitemap, a 404, a stored video embed), then an editor in the admin, its API included.
WORKER = """
import json, sys
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import set_urlconf
from django_otp import DEVICE_ID_SESSION_KEY
from wagtail.embeds.finders import get_finders
from wagtail.models import Page

ADMIN_ONLY = ("wagtail.admin.urls", "wagtail.images.api.admin.views", "wagtail.documents.api.admin.views",
              "rest_framework.serializers", "pydantic", "requests")
reader = Client(raise_request_exception=False)
set_urlconf("kpu_site.urls_readers")  # page.url reverses; here as in a reader's request
paths = ["/", "/cari/?q=pemilihan", "/regulasi/jdihn.json", "/sitemap.xml", "/berita/rss/", "/robots.txt",
         "/tidak-ada/"] + [page.url for page in Page.objects.live().specific() if page.depth > 1]
set_urlconf(None)
statuses = {path: reader.get(path).status_code for path in paths}
statuses["forged host"] = reader.get("/", HTTP_HOST="bukan.kpu.test").status_code
video = reader.get("/berita/video-sosialisasi/").content.decode()
after_readers = {name: name in sys.modules for name in ADMIN_ONLY}

admin = get_user_model().objects.create_superuser("admin", "admin@kpu.test", "kata-sandi-uji-123")
device = admin.totpdevice_set.create(name="app", confirmed=True)
editor = Client()
editor.force_login(admin)
session = editor.session
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.save()
api = {kind: editor.get(f"/admin/api/main/{kind}/") for kind in ("pages", "images", "documents")}
from wagtail.admin.api.urls import admin_api
import wagtail.images.wagtail_hooks as image_hooks, wagtail.documents.wagtail_hooks as document_hooks
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
print(json.dumps({
    "statuses": statuses,
    "video": "https://www.youtube.com/embed/kpu-jateng" in video,
    "finder": type(get_finders()[0]).__name__,
    "after_readers": after_readers,
    "api": {kind: [response.status_code, response.json().get("meta", {}).get("total_count", 0)]
            for kind, response in api.items()},
    "dashboard": editor.get("/admin/").status_code,
    "real_view_sets": [image_hooks.ImagesAdminAPIViewSet is ImagesAdminAPIViewSet,
                       document_hooks.DocumentsAdminAPIViewSet is DocumentsAdminAPIViewSet,
                       admin_api._endpoints["images"] is ImagesAdminAPIViewSet,
                       admin_api._endpoints["documents"] is DocumentsAdminAPIViewSet],
}))
"""

# A news item with a YouTube video, as an editor leaves it: the embed fetched once and stored.
VIDEO = """
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from kpu_pages.models import BeritaIndexPage, BeritaPage
url = "https://www.youtube.com/watch?v=kpu-jateng"
Embed.objects.create(url=url, hash=get_embed_hash(url), type="video", width=640, height=360,
                     html='<iframe src="https://www.youtube.com/embed/kpu-jateng"></iframe>')
index = BeritaIndexPage.objects.get()
index.add_child(instance=BeritaPage(title="Video sosialisasi", slug="video-sosialisasi", lead="Video.",
                                    body=[("embed", {"embed": url, "caption": "Sosialisasi"})]))
"""


def test_a_readers_worker_never_loads_the_admin_and_an_editor_then_gets_all_of_it(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "kpu_site.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    for command in (("migrate", "--noinput"), ("load_demo_content",), ("shell", "--no-imports", "-c", VIDEO)):
        result = manage(*command, env=env, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    result = manage("shell", "--no-imports", "-c", WORKER, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])

    statuses = report["statuses"]
    assert len(statuses) > 20  # every published page of the demo content
    assert statuses.pop("/tidak-ada/") == 404
    assert statuses.pop("forged host") == 400
    assert set(statuses.values()) == {200}, statuses
    assert report["video"], "the stored embed was not shown"
    assert report["finder"] == "LazyOEmbedFinder"
    # all of that without the admin's URLs, its API view sets, DRF's serializers, pydantic or requests
    assert report["after_readers"] == dict.fromkeys(report["after_readers"], False)
    # then the editor: the dashboard and the admin API with Wagtail's own view sets
    assert report["dashboard"] == 200
    assert report["api"]["pages"][0] == 200 and report["api"]["pages"][1] > 20
    assert report["api"]["images"][0] == 200 and report["api"]["images"][1] > 0
    assert report["api"]["documents"][0] == 200 and report["api"]["documents"][1] > 0
    assert report["real_view_sets"] == [True, True, True, True]
