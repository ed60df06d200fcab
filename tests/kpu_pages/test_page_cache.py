"""The page cache (kpu_site.caching): anonymous readers get cached pages, nobody gets stale ones."""

import os
import subprocess
import time
import uuid

import pytest
import redis

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from kpu_site.caching.backend import UNKNOWN, KeyWatcher, stop_watchers
from kpu_site.caching.generation import GENERATION_KEY
from tests import factories
from tests.kpu_pages import page_changes as change
from tests.servers import PYTHON, REPO, free_port, redis_server
from tests.sop_workflow.admin_helpers import login

pytestmark = pytest.mark.django_db

WATCHED = [
    "detail",
    "/berita/",
    "/berita/?page=1",
    "/",
    "/berita/rss/",
    "/sitemap-halaman.xml",
    "/cari/?q=rapat",
]


def get(client, url):
    response = client.get(url)
    return response, response.content.decode()


def warm(client, urls):
    """Request each URL twice: the second answer must come from the cache."""
    for url in urls:
        client.get(url)
        response = client.get(url)
        assert response["X-Cache"] == "HIT", url


def test_second_anonymous_request_is_a_hit(client, page_cache, news):
    _, item = news
    for url in [
        item.url,
        "/berita/",
        "/berita/?page=1",
        "/",
        "/berita/rss/",
        "/sitemap.xml",
        "/sitemap-halaman.xml",
    ]:
        first, first_body = get(client, url)
        second, second_body = get(client, url)
        assert (first.status_code, first["X-Cache"]) == (200, "MISS"), url
        assert (second.status_code, second["X-Cache"]) == (200, "HIT"), url
        assert second_body == first_body
        assert second["Content-Type"] == first["Content-Type"]
        assert "s-maxage=300" in second["Cache-Control"]
    assert client.head("/berita/")["X-Cache"] == "HIT"


def test_query_strings_are_cached_separately(client, page_cache, news):
    assert client.get("/berita/?page=1")["X-Cache"] == "MISS"
    assert client.get("/berita/?page=2")["X-Cache"] == "MISS"
    assert client.get("/berita/?page=1")["X-Cache"] == "HIT"


def test_not_found_and_redirects_are_cached_too(client, page_cache, news):
    assert client.get("/tidak-ada/").status_code == 404
    response = client.get("/tidak-ada/")
    assert (response.status_code, response["X-Cache"]) == (404, "HIT")
    assert client.get("/berita").status_code == 301
    response = client.get("/berita")
    assert (response.status_code, response["X-Cache"], response["Location"]) == (301, "HIT", "/berita/")


def test_cache_is_off_when_page_cache_seconds_is_zero(client, settings, news):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/berita/")
    assert "X-Cache" not in client.get("/berita/")


def test_logged_in_editor_is_never_served_nor_stored(client, page_cache, news):
    _, item = news
    editor = get_user_model().objects.create_superuser("redaktur", "redaktur@kpu.test", "kata-sandi-uji-123")
    warm(client, [item.url])
    editor_client = login(editor)
    for _ in range(2):
        response, body = get(editor_client, item.url)
        assert response["X-Cache"] == "BYPASS"
        assert "wagtail-userbar" in body  # the editor's own page, with the admin bar
    cache.clear()
    anonymous, body = get(Client(), item.url)
    assert anonymous["X-Cache"] == "MISS"
    assert "wagtail-userbar" not in body


def test_search_results_are_cached_per_query(client, page_cache, news):
    first, body = get(client, "/cari/?q=rapat")
    assert first["X-Cache"] == "MISS"
    assert "Rapat pleno rekapitulasi suara" in body
    again, cached = get(client, "/cari/?q=rapat")
    assert again["X-Cache"] == "HIT"
    assert cached == body
    other, other_body = get(client, "/cari/?q=anggaran")
    assert other["X-Cache"] == "MISS"
    assert "Rapat pleno rekapitulasi suara" not in other_body
    too_long = "/cari/?q=" + "rapat+" * 100  # longer than MAX_URL_LENGTH: answered, never stored
    assert client.get(too_long)["X-Cache"] == "MISS"
    assert client.get(too_long)["X-Cache"] == "MISS"


def test_admin_and_cookie_carrying_requests_bypass(client, page_cache, news):
    assert client.get("/admin/")["X-Cache"] == "BYPASS"
    assert Client(headers={"Cookie": "sessionid=abc"}).get("/")["X-Cache"] == "BYPASS"
    client.get("/")
    assert Client(headers={"Cookie": "csrftoken=abc"}).get("/")["X-Cache"] == "HIT"


def test_previews_are_never_cached(client, page_cache, news):
    _, item = news
    editor = get_user_model().objects.create_superuser("redaktur", "redaktur@kpu.test", "kata-sandi-uji-123")
    warm(client, [item.url])
    item.title = "Judul draf yang belum disetujui"
    item.save_revision()
    editor_client = login(editor)
    for url in [f"/admin/pages/{item.pk}/view_draft/", f"/admin/pages/{item.pk}/edit/preview/"]:
        for _ in range(2):
            response = editor_client.get(url)
            assert response["X-Cache"] == "BYPASS", url
    draft = editor_client.get(f"/admin/pages/{item.pk}/view_draft/").content.decode()
    assert "Judul draf yang belum disetujui" in draft
    response, body = get(client, item.url)
    assert response["X-Cache"] == "HIT"
    assert "Judul draf yang belum disetujui" not in body
    assert "Rapat pleno rekapitulasi suara" in body


@pytest.mark.parametrize("action", change.ALL, ids=lambda f: f.__name__)
def test_change_invalidates_detail_listing_home_feed_and_sitemap(
    client, page_cache, news, home_page, action, django_capture_on_commit_callbacks
):
    index, item = news
    archive = factories.BeritaIndexPageFactory(parent=home_page, title="Arsip berita", slug="arsip-berita")
    old_url = item.url
    urls = [old_url if url == "detail" else url for url in WATCHED]
    warm(client, urls)
    before = {url: client.get(url).content for url in urls}

    with django_capture_on_commit_callbacks(execute=True):
        action(item, archive)

    for url in urls:
        response = client.get(url)
        assert response["X-Cache"] == "MISS", url
        assert response.content != before[url], f"{url} still shows the old content"
    # and what they show now is the change
    detail = client.get(old_url)
    home = client.get("/").content.decode()
    listing = client.get("/berita/").content.decode()
    sitemap = client.get("/sitemap-halaman.xml").content.decode()
    if action is change.publish:
        assert "Hasil rapat pleno ditetapkan" in detail.content.decode()
        assert "Hasil rapat pleno ditetapkan" in home
        assert "Hasil rapat pleno ditetapkan" in listing
        assert "Hasil rapat pleno ditetapkan" in client.get("/berita/rss/").content.decode()
    else:
        assert "Rapat pleno rekapitulasi suara" not in listing
        assert old_url not in sitemap
    if action is change.move:  # Wagtail leaves a permanent redirect behind
        moved_to = "/arsip-berita/rapat-pleno-rekapitulasi-suara/"
        assert (detail.status_code, detail["Location"]) == (301, moved_to)
        assert "/arsip-berita/" in sitemap
        assert "/arsip-berita/" in home
    else:
        assert detail.status_code == (200 if action is change.publish else 404)
    if action in (change.unpublish, change.delete):
        assert "Rapat pleno rekapitulasi suara" not in home


def test_nothing_is_invalidated_before_the_publication_commits(
    client, page_cache, news, django_capture_on_commit_callbacks
):
    _, item = news
    warm(client, [item.url])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        item.title = "Hasil rapat pleno ditetapkan"
        item.save_revision().publish()
        assert client.get(item.url)["X-Cache"] == "HIT"
    assert callbacks, "the bump waits for the commit"
    for callback in callbacks:
        callback()
    assert client.get(item.url)["X-Cache"] == "MISS"


def test_image_and_snippet_changes_invalidate(client, page_cache, news, django_capture_on_commit_callbacks):
    warm(client, ["/"])
    with django_capture_on_commit_callbacks(execute=True):
        image = factories.ImageFactory()
    assert client.get("/")["X-Cache"] == "MISS"
    warm(client, ["/"])
    with django_capture_on_commit_callbacks(execute=True):
        image.title = "Foto rapat pleno"
        image.save()
    assert client.get("/")["X-Cache"] == "MISS"
    # Wagtail fills in an image's size and hash lazily, even while rendering a public page: no bump
    warm(client, ["/"])
    with django_capture_on_commit_callbacks(execute=True):
        image.save(update_fields=["file_hash"])
    assert client.get("/")["X-Cache"] == "HIT"
    from kpu_pages.models import Pemilu

    warm(client, ["/"])
    with django_capture_on_commit_callbacks(execute=True):
        Pemilu.objects.create(nama="Pemilihan Gubernur Jawa Tengah 2029", jenis="pilgub", tahun=2029)
    assert client.get("/")["X-Cache"] == "MISS"


def test_a_workers_own_copy_lasts_a_minute_then_the_shared_cache_is_asked_again(client, page_cache, news):
    from freezegun import freeze_time

    from django.test import RequestFactory

    from kpu_site.caching.middleware import LOCAL_SECONDS, cache_key

    with freeze_time("2029-02-14 08:00:00") as clock:
        warm(client, ["/berita/"])
        assert cache.delete(cache_key(RequestFactory().get("/berita/")))
        # the shared entry is gone (expired there), the worker's copy still answers for a while
        assert client.get("/berita/")["X-Cache"] == "HIT"
        clock.tick(LOCAL_SECONDS + 1)
        assert client.get("/berita/")["X-Cache"] == "MISS"
        assert client.get("/berita/")["X-Cache"] == "HIT"


def test_lost_generation_restarts_above_every_old_one(client, page_cache, news):
    client.get("/")
    old = cache.get(GENERATION_KEY)
    assert old > 10**18  # from the clock, not 1
    cache.delete(GENERATION_KEY)
    assert client.get("/")["X-Cache"] == "MISS"
    assert cache.get(GENERATION_KEY) > old


def _redis_cache(url, prefix):
    return {
        "default": {
            "BACKEND": "kpu_site.caching.backend.FailOpenRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {
                "socket_connect_timeout": 1,
                "socket_timeout": 1,
                "WATCHED_KEYS": [GENERATION_KEY],
            },
        }
    }


def test_real_redis_serves_hits(client, settings, news):
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = _redis_cache("redis://127.0.0.1:6379/0", prefix)
    settings.PAGE_CACHE_SECONDS = 300
    try:
        assert client.get("/berita/")["X-Cache"] == "MISS"
        assert client.get("/berita/")["X-Cache"] == "HIT"
        assert redis.Redis.from_url("redis://127.0.0.1:6379/0").keys(f"{prefix}:*")
    finally:
        server = redis.Redis.from_url("redis://127.0.0.1:6379/0")
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)


def test_site_still_answers_when_redis_is_down(client, settings, news, django_capture_on_commit_callbacks):
    _, item = news
    settings.CACHES = _redis_cache(f"redis://127.0.0.1:{free_port()}/0", "dead")
    settings.PAGE_CACHE_SECONDS = 300
    for url in ["/", "/berita/", item.url, "/berita/rss/", "/sitemap.xml", "/sitemap-halaman.xml"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Cache"] == "MISS"
    with django_capture_on_commit_callbacks(execute=True):
        item.title = "Hasil rapat pleno ditetapkan"
        item.save_revision().publish()  # the bump fails quietly
    assert "Hasil rapat pleno ditetapkan" in client.get(item.url).content.decode()


# --- Hits kept in the worker, told of changes over Redis pub/sub ------------------------------------
@pytest.fixture
def live_redis(settings):
    """A throwaway Redis as the cache, with the generation watched: (redis-server process, port)."""
    with redis_server() as (proc, port):
        settings.CACHES = _redis_cache(f"redis://127.0.0.1:{port}/0", "kpu-uji")
        settings.PAGE_CACHE_SECONDS = 300
        try:
            yield proc, port
        finally:
            stop_watchers()


def wait_until_watching(timeout=5.0):
    """Until this process knows the generation without asking Redis."""
    deadline = time.monotonic() + timeout
    while cache._local(GENERATION_KEY, None) is UNKNOWN:
        assert time.monotonic() < deadline, "the generation watcher never subscribed"
        time.sleep(0.02)


def test_hits_kept_in_the_worker_cost_no_redis_command(client, live_redis, news):
    _, port = live_redis
    server = redis.Redis(port=port)
    warm(client, ["/berita/", "/"])
    wait_until_watching()
    before = server.info("stats")["total_commands_processed"]
    for _ in range(40):
        assert client.get("/berita/")["X-Cache"] == "HIT"
        assert client.get("/")["X-Cache"] == "HIT"
    used = server.info("stats")["total_commands_processed"] - before
    # 80 hits; what Redis saw is the INFO itself and the watcher's once-a-second check
    assert used <= 6, used


BUMP = "from kpu_site.caching.generation import bump_generation; bump_generation()"


def test_a_bump_by_another_process_reaches_the_worker_copy_at_once(client, live_redis, news, monkeypatch):
    _, port = live_redis
    monkeypatch.setattr(KeyWatcher, "REFRESH_SECONDS", 60.0)  # only the announcement can tell it
    warm(client, ["/berita/"])
    wait_until_watching()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kpu_site.settings.dev",
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "CACHE_KEY_PREFIX": "kpu-uji",
    }
    subprocess.run(  # noqa: S603 - another process publishes, as another gunicorn worker would
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", BUMP],
        cwd=REPO,
        env=env,
        check=True,
        timeout=60,
    )
    deadline = time.monotonic() + 2
    while client.get("/berita/")["X-Cache"] == "HIT":
        assert time.monotonic() < deadline, "the worker kept serving its copy after another process bumped"
        time.sleep(0.02)
    assert client.get("/berita/")["X-Cache"] == "HIT"  # stored again under the new generation


def test_worker_copy_is_not_served_once_redis_is_gone(
    client, live_redis, news, django_capture_on_commit_callbacks
):
    proc, _ = live_redis
    _, item = news
    warm(client, [item.url])
    wait_until_watching()
    proc.terminate()
    proc.wait(timeout=10)
    with django_capture_on_commit_callbacks(execute=True):
        item.title = "Hasil rapat pleno ditetapkan"
        item.save_revision().publish()  # the bump cannot reach Redis
    deadline = time.monotonic() + 3
    while True:
        response, body = get(client, item.url)
        if response["X-Cache"] == "MISS":
            break
        assert time.monotonic() < deadline, "the worker kept serving its copy without Redis"
        time.sleep(0.05)
    assert response.status_code == 200
    assert "Hasil rapat pleno ditetapkan" in body


def test_a_bump_purges_the_reverse_proxy_at_once_and_again_once_workers_have_heard(home_page, settings):
    """A worker hears of a bump over Redis a few milliseconds late; a reader's request it served in
    between carried the old page into the (already purged) proxy. The second purge drops it."""
    import http.server
    import threading

    from kpu_site.caching import generation, purge

    purges: list[tuple[str, float]] = []

    class Sink(http.server.BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 - the HTTP method's name
            purges.append((self.path, time.monotonic()))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Sink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings.WAGTAILFRONTENDCACHE = {
            "proxy": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
            }
        }
        started = time.monotonic()
        generation.bump_generation()
        assert [path for path, _ in purges] == ["/"]  # at once, before the bump returns
        deadline = time.monotonic() + 5
        while len(purges) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [path for path, _ in purges] == ["/", "/"]
        assert purges[1][1] - started >= purge.PURGE_AGAIN_SECONDS
    finally:
        server.shutdown()
        server.server_close()
