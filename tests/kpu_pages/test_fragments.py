"""Per-worker fragments (kpu_pages.fragments): the menu and home sections are kept, never stale.

With the page cache off, every request is rendered, but the site, header menu and home page sections
come from the worker's memory until the next public change. A reader must see a publication,
unpublication, move or deletion on the very next request.
"""

import time

import pytest

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpu_pages import fragments
from tests import factories
from tests.kpu_pages import page_changes as change

pytestmark = pytest.mark.django_db


@pytest.fixture
def fragment_cache(settings):
    settings.FRAGMENT_CACHE_SECONDS = 300
    settings.PAGE_CACHE_SECONDS = 0
    cache.clear()
    fragments.clear()
    yield settings
    cache.clear()
    fragments.clear()


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_menu_and_home_sections_are_kept_between_requests(client, fragment_cache, news):
    first, first_body = queries(client, "/")
    second, second_body = queries(client, "/")
    assert second_body == first_body
    assert "Rapat pleno rekapitulasi suara" in second_body
    assert second < first, f"{second} queries on the second request, {first} on the first"
    fragment_cache.FRAGMENT_CACHE_SECONDS = 0
    assert queries(client, "/")[0] > second  # off: everything rebuilt each time


@pytest.mark.parametrize("page_cache_seconds", [0, 300], ids=["page-cache-off", "page-cache-on"])
@pytest.mark.parametrize("action", change.ALL, ids=lambda f: f.__name__)
def test_home_page_shows_the_change_on_the_next_request(
    client, fragment_cache, news, home_page, action, page_cache_seconds, django_capture_on_commit_callbacks
):
    fragment_cache.PAGE_CACHE_SECONDS = page_cache_seconds
    _, item = news
    archive = factories.BeritaIndexPageFactory(parent=home_page, title="Arsip berita", slug="arsip-berita")
    for _ in range(2):
        assert "Rapat pleno rekapitulasi suara" in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        action(item, archive)

    home = client.get("/").content.decode()
    if action is change.publish:
        assert "Hasil rapat pleno ditetapkan" in home
    elif action is change.move:
        assert "/arsip-berita/rapat-pleno-rekapitulasi-suara/" in home
    else:
        assert "Rapat pleno rekapitulasi suara" not in home


def test_menu_shows_a_published_page_and_drops_an_unpublished_one(
    client, fragment_cache, news, home_page, django_capture_on_commit_callbacks
):
    def menu():
        html = client.get("/berita/").content.decode()
        return html[html.index('aria-label="Navigasi utama"') : html.index("</nav>")]

    assert "/profil/" not in menu()
    assert "/profil/" not in menu()
    with django_capture_on_commit_callbacks(execute=True):
        profil = factories.ProfilPageFactory(parent=home_page, show_in_menus=True)
        profil.save_revision().publish()
    assert "/profil/" in menu()
    with django_capture_on_commit_callbacks(execute=True):
        profil.unpublish()
    assert "/profil/" not in menu()


def test_menu_marks_the_current_section_for_each_request(client, fragment_cache, news, home_page):
    _, item = news
    factories.ProfilPageFactory(parent=home_page, show_in_menus=True)
    index = item.get_parent()
    index.show_in_menus = True
    index.save_revision().publish()
    fragments.clear()
    client.get("/")
    berita = client.get(item.url).content.decode()
    profil = client.get("/profil/").content.decode()
    assert '<a href="/berita/" aria-current="page">' in berita
    assert '<a href="/berita/" aria-current="page">' not in profil
    assert '<a href="/profil/" aria-current="page">' in profil


def test_fragments_expire_for_what_changes_with_the_clock(client, fragment_cache, news):
    """A change no signal reports (an announcement reaching its end date) shows after the expiry."""
    fragment_cache.FRAGMENT_CACHE_SECONDS = 1
    _, item = news
    client.get("/")
    type(item).objects.filter(pk=item.pk).update(title="Judul yang berubah tanpa sinyal")
    assert "Judul yang berubah tanpa sinyal" not in client.get("/").content.decode()
    time.sleep(1.1)
    assert "Judul yang berubah tanpa sinyal" in client.get("/").content.decode()


def test_nothing_is_kept_when_the_cache_cannot_tell_the_generation(client, fragment_cache, news, settings):
    """Redis down: the generation is unknown, so every request is built from the database."""
    from tests.servers import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "kpu_site.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    _, item = news
    client.get("/")
    type(item).objects.filter(pk=item.pk).update(title="Judul langsung dari basis data")
    assert "Judul langsung dari basis data" in client.get("/").content.decode()


@pytest.mark.parametrize(
    "action", [change.publish, change.unpublish, change.delete], ids=lambda f: f.__name__
)
def test_detail_and_listing_show_the_change_on_the_next_request(
    client, fragment_cache, news, home_page, action, django_capture_on_commit_callbacks
):
    """The head and main parts of each page ({% page_fragment %}) are kept, never past a change."""
    index, item = news
    detail_url = item.url
    for _ in range(2):
        assert "Rapat pleno rekapitulasi suara" in client.get(detail_url).content.decode()
        assert "Rapat pleno rekapitulasi suara" in client.get("/berita/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        action(item, None)

    detail = client.get(detail_url)
    listing = client.get("/berita/").content.decode()
    if action is change.publish:
        body = detail.content.decode()
        assert "<title>Hasil rapat pleno ditetapkan" in body
        assert "<h1>Hasil rapat pleno ditetapkan</h1>" in body
        assert "Hasil rapat pleno ditetapkan" in listing
    else:
        assert detail.status_code == 404
        assert "Rapat pleno rekapitulasi suara" not in listing


def test_detail_page_parts_are_kept_between_requests(client, fragment_cache, news):
    _, item = news
    first, first_body = queries(client, item.url)
    second, second_body = queries(client, item.url)
    assert second_body == first_body
    assert second < first, f"{second} queries on the second request, {first} on the first"


def test_query_strings_and_previews_are_never_kept(client, fragment_cache, news):
    from django.contrib.auth import get_user_model

    from tests.sop_workflow.admin_helpers import PASSWORD, login

    _, item = news
    client.get("/berita/")
    client.get("/berita/?page=1")
    type(item).objects.filter(pk=item.pk).update(title="Judul yang berubah tanpa sinyal")
    assert "Judul yang berubah tanpa sinyal" not in client.get("/berita/").content.decode()  # kept
    assert "Judul yang berubah tanpa sinyal" in client.get("/berita/?page=1").content.decode()

    item.refresh_from_db()
    item.title = "Judul draf yang belum disetujui"
    item.save_revision()
    editor = get_user_model().objects.create_superuser("redaktur", "redaktur@kpu.test", PASSWORD)
    editor_client = login(editor)
    for _ in range(2):
        preview = editor_client.get(f"/admin/pages/{item.pk}/view_draft/").content.decode()
        assert "Judul draf yang belum disetujui" in preview
    public = client.get(item.url).content.decode()
    assert "Judul draf yang belum disetujui" not in public


# --- Routes kept per worker ------------------------------------------------------------------------
def test_kept_pages_are_served_without_a_database_query(client, fragment_cache, news, home_page):
    """Routing (a query per level of the tree) and the view-restriction check are kept per worker;
    what only the page's main part shows (a listing, attachments) is read only when it is rendered."""
    from kpu_pages.models import PengumumanLampiran

    _, item = news
    announcement = factories.PengumumanPageFactory(
        parent=factories.PengumumanIndexPageFactory(parent=home_page),
        lampiran=[PengumumanLampiran(document=factories.DocumentFactory(), judul="Formulir pendaftaran PPK")],
    )
    for url, shown in [
        (item.url, "<h1>Rapat pleno rekapitulasi suara</h1>"),
        ("/berita/", "Rapat pleno rekapitulasi suara"),
        (announcement.url, "Formulir pendaftaran PPK"),
    ]:
        first, first_body = queries(client, url)
        second, second_body = queries(client, url)
        assert second_body == first_body
        assert shown in second_body
        assert first > 0
        assert second == 0, f"{url}: {second} queries for a page already routed in this worker"


def test_a_moved_page_answers_at_its_new_address(
    client, fragment_cache, news, home_page, django_capture_on_commit_callbacks
):
    _, item = news
    old_url = item.url
    for _ in range(2):
        assert client.get(old_url).status_code == 200
    archive = factories.BeritaIndexPageFactory(parent=home_page, title="Arsip berita", slug="arsip-berita")
    with django_capture_on_commit_callbacks(execute=True):
        item.move(archive, pos="last-child")
    old = client.get(old_url)  # Wagtail's automatic redirect, not the kept route
    assert (old.status_code, old["Location"]) == (301, "/arsip-berita/rapat-pleno-rekapitulasi-suara/")
    moved = client.get("/arsip-berita/rapat-pleno-rekapitulasi-suara/")
    assert moved.status_code == 200
    assert "<h1>Rapat pleno rekapitulasi suara</h1>" in moved.content.decode()


def test_a_view_restriction_added_to_a_kept_page_applies_on_the_next_request(
    client, fragment_cache, news, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    _, item = news
    for _ in range(2):
        assert "<h1>Rapat pleno rekapitulasi suara</h1>" in client.get(item.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=item, restriction_type=PageViewRestriction.PASSWORD, password="rahasia-pleno"
        )
    for _ in range(2):  # a restricted page is never kept: asked for the password every time
        body = client.get(item.url).content.decode()
        assert "Rapat pleno rekapitulasi suara</h1>" not in body
        assert 'name="password"' in body
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert "<h1>Rapat pleno rekapitulasi suara</h1>" in client.get(item.url).content.decode()


def test_routable_pages_answer_their_own_urls_from_a_kept_route(client, fragment_cache, home_page):
    """A data page's table download and the JDIHN feed route the rest of the path themselves."""
    from tests.kpu_pages.test_data import make_page

    page = make_page(factories.DataIndexPageFactory(parent=home_page), title="Rekap DPT")
    factories.RegulasiPageFactory(parent=factories.RegulasiIndexPageFactory(parent=home_page))
    for url in (page.url, page.url + "unduh/1.csv", "/regulasi/jdihn.json"):
        first = client.get(url)
        second = client.get(url)
        assert first.status_code == second.status_code == 200, url
        assert second.content == first.content, url
        assert second["Content-Type"] == first["Content-Type"], url
    assert client.get(page.url + "unduh/1.csv")["Content-Disposition"].endswith('rekap-dpt-tabel-1.csv"')
    assert "Rekap DPT</h1>" in client.get(page.url).content.decode()
    assert client.get(page.url + "unduh/2.csv").status_code == 404  # no second table


def test_only_pages_are_kept_and_at_most_max_routes(client, fragment_cache, news, monkeypatch):
    """Made-up URLs are never kept (404); the least recently used route goes first."""
    index, item = news
    other = factories.BeritaPageFactory(parent=index, title="Sosialisasi tahapan pemilihan")
    monkeypatch.setattr(fragments, "MAX_ROUTES", 2)
    for _ in range(2):
        assert client.get("/berita/tidak-ada-halaman-ini/").status_code == 404
    assert not fragments._routes
    for url in (item.url, "/berita/", other.url, item.url):
        assert client.get(url).status_code == 200
    assert len(fragments._routes) == 2
    assert {key[-1] for key in fragments._routes} == {other.url, item.url}
    assert "<h1>Sosialisasi tahapan pemilihan</h1>" in client.get(other.url).content.decode()
