"""Fragments (kpu_site.caching.fragments): the menu and home sections are kept, never stale.

With the page cache off, every request is rendered, but the header menu and home page sections
come from the worker's memory until the next public change. A reader must see a publication,
unpublication, move or deletion on the very next request.
"""

import time

import pytest

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpu_site.caching import fragments
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
            "BACKEND": "kpu_site.caching.backend.FailOpenRedisCache",
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


# --- Routing after a change ---------------------------------------------------------------------
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
    old = client.get(old_url)  # Wagtail's automatic redirect
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
    for _ in range(2):  # asked for the password every time
        body = client.get(item.url).content.decode()
        assert "Rapat pleno rekapitulasi suara</h1>" not in body
        assert 'name="password"' in body
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert "<h1>Rapat pleno rekapitulasi suara</h1>" in client.get(item.url).content.decode()


def test_routable_pages_answer_their_own_urls_alike_every_time(client, fragment_cache, home_page):
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


def test_routes_are_kept_as_plain_values_and_cost_fewer_queries(client, fragment_cache, news):
    """The root page's route (kpu_site.caching.routes): the page a path led to, by id, model and depth."""
    from wagtail.models import Page

    _, item = news
    first, _ = queries(client, item.url)
    kept = [value for key, (_, value) in fragments._entries.items() if key[0] == "route"]
    assert kept == [(item.pk, "kpu_pages.BeritaPage", 2)]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(item.url).status_code == 200
    tree_walks = [q["sql"] for q in captured if f'"{Page._meta.db_table}"."slug" = ' in q["sql"]]
    assert not tree_walks, tree_walks
    assert client.get(item.url + "tidak-ada/").status_code == 404
    assert len([key for key in fragments._entries if key[0] == "route"]) == 1  # a made-up path is not kept


# --- The request's site and its view restrictions -----------------------------------------------
def test_wagtail_takes_the_site_from_the_request(rf, home_page):
    """kpu_site.caching.sites hands Wagtail the request's site through Wagtail's private
    ``request._wagtail_site`` (the one private API of kpu_site/caching): this fails loudly if Wagtail
    stops reading it, for finding the site and for routing from its root page."""
    from wagtail.models import Page, Site

    from kpu_site.caching.sites import SITE_ATTRIBUTE

    site = Site.objects.get(root_page=home_page)
    site.root_page = home_page
    request = rf.get("/", HTTP_HOST="bukan-situs-ini.test")
    setattr(request, SITE_ATTRIBUTE, site)
    with CaptureQueriesContext(connection) as captured:
        assert Site.find_for_request(request) is site
        page, _, _ = Page.route_for_request(request, "")
    assert page is home_page
    assert not captured, [q["sql"] for q in captured]


def test_a_page_costs_one_query_once_its_site_and_route_are_kept(client, fragment_cache, news):
    """The site (kpu_site.caching.sites), the route (routes) and the view restrictions
    (restrictions) are known in the worker: the page's own row is all a request reads."""
    _, item = news
    for url in ("/", item.url):
        for _ in range(2):
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert len(captured) == 1, [q["sql"] for q in captured]
        sql = captured[0]["sql"]
        assert "wagtailcore_site" not in sql
        assert "pageviewrestriction" not in sql


def test_a_view_restriction_on_an_ancestor_applies_below_it_on_the_next_request(
    client, fragment_cache, news, home_page, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    index, item = news
    for _ in range(2):
        assert "<h1>Rapat pleno rekapitulasi suara</h1>" in client.get(item.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=index, restriction_type=PageViewRestriction.PASSWORD, password="rahasia-pleno"
        )
    # a page added below the restricted one later, with no change of generation in between
    later = factories.BeritaPageFactory(parent=index, title="Berita yang menyusul")
    for url in (item.url, later.url, item.url):
        body = client.get(url).content.decode()
        assert 'name="password"' in body, url
        assert "suara</h1>" not in body and "menyusul</h1>" not in body, url
    home = client.get("/")  # the home page stays public
    assert home.status_code == 200
    assert 'name="password"' not in home.content.decode()


def test_an_alias_of_a_restricted_page_stays_restricted(
    client, fragment_cache, news, home_page, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    _, item = news
    other = factories.BeritaIndexPageFactory(parent=home_page, title="Arsip berita", slug="arsip-berita")
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=item, restriction_type=PageViewRestriction.PASSWORD, password="rahasia-pleno"
        )
    alias = item.create_alias(parent=other)
    for _ in range(2):
        body = client.get(alias.url).content.decode()
        assert 'name="password"' in body
        assert "<h1>Rapat pleno rekapitulasi suara</h1>" not in body
