"""The shared Redis cache: values round-trip through a real Redis, and a dead Redis costs little.

Each test starts its own redis-server on a free port (nothing kept on disk) and stops it itself.
"""

import time

import pytest
import redis

from django.core.cache import cache
from django.test import Client, override_settings

from kpu_site.caching import backend as cache_backend
from sop_workflow.sop import Role
from tests.envsettings import base_settings
from tests.otp import otp_code_for
from tests.servers import free_port, redis_server

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def redis_settings(port: int) -> dict:
    probe = base_settings({"REDIS_URL": f"redis://127.0.0.1:{port}/0"})
    return {"CACHES": probe.CACHES, "SESSION_ENGINE": probe.SESSION_ENGINE}


@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("kepala", "kepala@kpu.test", "kata-sandi-uji-123")


def admin_login(client: Client) -> None:
    response = client.post(
        "/admin/login/", {"username": "kepala", "password": "kata-sandi-uji-123", "next": "/admin/"}
    )
    assert response.status_code == 302, response.content[:500]
    from django.contrib.auth import get_user_model

    kepala = get_user_model().objects.get(username="kepala")
    response = client.post("/admin/2fa/verifikasi/", {"code": otp_code_for(kepala)})
    assert response.status_code == 302, response.content[:500]
    assert client.get("/admin/").status_code == 200


def test_redis_url_selects_the_fail_open_cache_and_cached_db_sessions():
    probe = base_settings({"REDIS_URL": "redis://127.0.0.1:6379/3", "REDIS_SOCKET_TIMEOUT": "0.2"})
    assert probe.CACHES["default"]["BACKEND"] == "kpu_site.caching.backend.FailOpenRedisCache"
    assert probe.CACHES["default"]["OPTIONS"]["socket_timeout"] == 0.2
    assert probe.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    without = base_settings({})
    assert without.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert without.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_values_round_trip_through_a_live_redis(home_page):
    with redis_server() as (_, port), override_settings(**redis_settings(port)):
        cache.set("pemilu", {"tahun": 2029}, 60)
        assert cache.get("pemilu") == {"tahun": 2029}
        assert cache.get_many(["pemilu", "tidak-ada"]) == {"pemilu": {"tahun": 2029}}
        assert cache.add("hitung", 1)
        assert cache.incr("hitung") == 2
        # It really is in Redis, under the site's prefix.
        assert any(b"pemilu" in key for key in redis.Redis(port=port).keys("kpu:*"))
        cache.delete("pemilu")
        assert cache.get("pemilu", "kosong") == "kosong"


def test_every_cache_operation_answers_as_djangos_own_redis_cache(home_page):
    """The fail-open backend is built on redis-py, not on Django's RedisCache: same answers, same data."""
    from django.core.cache.backends.redis import RedisCache

    from kpu_site.caching.backend import FailOpenRedisCache

    def run(backend) -> list:
        answers = [
            backend.set("a", {"tahun": 2029}, 60),
            backend.get("a"),
            backend.get("tidak-ada", "kosong"),
            backend.add("a", "lain"),
            backend.add("b", 1),
            backend.incr("b", 5),
            backend.decr("b"),
            backend.has_key("b"),
            backend.set_many({"c": "tiga", "d": [4], "e": 5}, 60),
            backend.get_many(["a", "c", "d", "e", "tidak-ada"]),
            backend.touch("c", None),
            backend.touch("tidak-ada", 10),
            backend.set("f", "nol", 0),
            backend.has_key("f"),
            backend.add("g", "nol", 0),
            backend.has_key("g"),
            backend.set("h", True, None),
            backend.get("h"),
            backend.set("v", "dua", version=2),
            backend.get("v"),
            backend.get("v", version=2),
            backend.delete("a"),
            backend.delete("a"),
            backend.delete_many(["c", "d"]),
            backend.get_many(["c", "d", "e"]),
        ]
        with pytest.raises(ValueError):
            backend.incr("tidak-ada")
        return answers

    with redis_server() as (_, port):
        location = f"redis://127.0.0.1:{port}/0"
        djangos = run(RedisCache(location, {"KEY_PREFIX": "django"}))
        ours = run(FailOpenRedisCache(location, {"KEY_PREFIX": "kpu"}))
        assert ours == djangos
        server = redis.Redis(port=port)
        for key in server.scan_iter("django:*"):
            twin = key.replace(b"django:", b"kpu:", 1)
            assert server.get(twin) == server.get(key), key
            assert (server.ttl(twin) < 0) == (server.ttl(key) < 0), key


def test_the_sites_root_paths_are_answered_from_memory_and_follow_a_change(home_page):
    """Wagtail reads them from the cache a few times per page: a watched key, renewed on every change."""
    from wagtail.models import Site

    with redis_server() as (_, port), override_settings(**redis_settings(port)):
        server = redis.Redis(port=port)
        try:
            Site.get_site_root_paths()
            deadline = time.monotonic() + 5
            while cache._local("wagtail_site_root_paths", 2) is cache_backend.UNKNOWN:
                assert time.monotonic() < deadline, "the root paths watcher never subscribed"
                Site.get_site_root_paths()
                time.sleep(0.02)
            before = server.info("stats")["total_commands_processed"]
            for _ in range(20):
                assert Site.get_site_root_paths()[0].root_url == "http://localhost"
            assert server.info("stats")["total_commands_processed"] - before <= 4
            site = Site.objects.get()
            site.hostname = "jateng.kpu.go.id"
            site.save()  # Wagtail deletes the key; the next read builds it again
            assert Site.get_site_root_paths()[0].root_url == "http://jateng.kpu.go.id"
        finally:
            cache_backend.stop_watchers()


def test_pages_and_admin_login_work_when_nothing_listens_on_the_redis_port(home_page, superuser, caplog):
    port = free_port()  # nothing listens there
    with override_settings(**redis_settings(port)):
        assert cache.get("apa-saja", "bawaan") == "bawaan"
        cache.set("apa-saja", 1)  # does nothing, raises nothing
        cache.delete("apa-saja")
        assert cache.get_or_set("dihitung", lambda: 42) == 42
        with pytest.raises(ValueError):
            cache.incr("hitung")
        public = Client()
        assert public.get("/").status_code == 200
        assert public.get("/halaman-yang-tidak-ada/").status_code == 404
        admin = Client()
        admin_login(admin)
    assert "Redis unavailable" in caplog.text


def test_a_dead_redis_costs_little_per_request(home_page):
    port = free_port()
    with override_settings(**redis_settings(port)):
        client = Client()
        client.get("/")  # the first failure opens the circuit
        started = time.monotonic()
        for _ in range(20):
            assert client.get("/").status_code == 200
        per_request = (time.monotonic() - started) / 20
    print(f"home page with Redis down: {per_request * 1000:.1f} ms per request")
    assert per_request < 0.5


def test_a_redis_restart_logs_nobody_out(home_page, superuser):
    with redis_server() as (proc, port), override_settings(**redis_settings(port)):
        admin = Client()
        admin_login(admin)
        assert redis.Redis(port=port).keys("*session*"), "the session is not cached in Redis"

        proc.terminate()
        proc.wait(timeout=10)
        # Redis is gone: the public pages and the logged-in admin still work.
        assert Client().get("/").status_code == 200
        assert admin.get("/admin/").status_code == 200

        # Redis comes back empty: the session is read from the database again.
        with redis_server(port):
            cache._circuit.down_until = 0  # don't wait out the retry pause in the test
            response = admin.get("/admin/")
            assert response.status_code == 200
            assert b"kepala" in response.content
            assert redis.Redis(port=port).keys("*session*"), "the session went back into Redis"


# --- Redis stopped or hung while people work (issue 8, faults) ----------------------------------
def fast_retry_settings(port: int) -> dict:
    """The production cache settings, with a short retry pause so the test need not wait 5 s."""
    probe = base_settings({"REDIS_URL": f"redis://127.0.0.1:{port}/0", "REDIS_SOCKET_TIMEOUT": "0.2"})
    caches = {"default": {**probe.CACHES["default"]}}
    caches["default"]["OPTIONS"] = {**caches["default"]["OPTIONS"], "RETRY_AFTER": 0.3}
    return {"CACHES": caches, "SESSION_ENGINE": probe.SESSION_ENGINE, "PAGE_CACHE_SECONDS": 300}


def wait_out_the_retry_pause() -> None:
    time.sleep(0.4)


@pytest.fixture
def artikel(home_page, sop_users):
    from tests import factories

    index = factories.ArtikelIndexPageFactory(parent=home_page, title="Artikel", slug="artikel")
    page = factories.ArtikelPageFactory(
        parent=index, title="Konsep ajakan memilih", slug="ajakan", owner=sop_users[Role.PENGAMPU]
    )
    page.unpublish()
    page.save_revision()
    return page


def test_the_admin_works_while_redis_is_stopped(artikel, sop_users):
    from tests.sop_workflow.admin_helpers import act, current_step, edit, login, submit

    with redis_server() as (proc, port), override_settings(**fast_retry_settings(port)):
        author = login(sop_users[Role.PENGAMPU])  # session cached in Redis
        assert Client().get("/").status_code == 200

        proc.terminate()
        proc.wait(timeout=10)
        # The author edits and submits; an approver logs in while Redis is down and approves.
        assert edit(author, artikel, title="Ajakan memilih di TPS").status_code == 302
        assert submit(author, artikel, title="Ajakan memilih di TPS").status_code == 302
        assert current_step(artikel) == "terima"
        approver = login(sop_users[Role.PENGELOLA])
        assert act(approver, artikel, "approve", comment="diterima").status_code == 302
        assert current_step(artikel) == "validasi"
        assert Client().get("/").status_code == 200
        assert Client().get("/halaman-yang-tidak-ada/").status_code == 404

        # Redis comes back (empty): both stay logged in, sessions are read from the database.
        with redis_server(port):
            wait_out_the_retry_pause()
            for client in (author, approver):
                assert client.get("/admin/").status_code == 200
            artikel.refresh_from_db()
            assert artikel.get_latest_revision().content["title"] == "Ajakan memilih di TPS"


def test_nothing_stale_comes_back_when_a_hung_redis_answers_again(
    home_page, sop_users, django_capture_on_commit_callbacks
):
    """A hung (or cut off) Redis keeps its keys: a publish and a logout during the outage must win."""
    import os
    import signal

    from kpu_site.caching.middleware import HEADER
    from tests import factories
    from tests.sop_workflow.admin_helpers import login

    with redis_server() as (proc, port), override_settings(**fast_retry_settings(port)):
        index = factories.BeritaIndexPageFactory(parent=home_page, title="Berita", slug="berita")
        page = factories.BeritaPageFactory(parent=index, title="Jadwal kampanye lama", slug="jadwal")
        public = Client()
        for url in ("/berita/jadwal/", "/berita/"):
            public.get(url)
            response = public.get(url)
            assert response[HEADER] == "HIT" and b"Jadwal kampanye lama" in response.content
        editor = login(sop_users[Role.PENGELOLA])
        assert editor.get("/admin/").status_code == 200

        os.kill(proc.pid, signal.SIGSTOP)  # Redis hangs: every call times out
        try:
            page.title = "Jadwal kampanye diubah"
            # the page-cache bump (when the publication commits, as in a request) cannot reach Redis
            with django_capture_on_commit_callbacks(execute=True):
                page.save_revision().publish()
            assert b"Jadwal kampanye diubah" in public.get("/berita/jadwal/").content
            editor.post("/admin/logout/")  # the cached session cannot be deleted from Redis
        finally:
            os.kill(proc.pid, signal.SIGCONT)  # Redis answers again, with every old key
        wait_out_the_retry_pause()

        for url in ("/berita/jadwal/", "/berita/"):
            response = public.get(url)
            assert b"Jadwal kampanye diubah" in response.content, f"stale {url} served after the outage"
            assert b"Jadwal kampanye lama" not in response.content
            assert public.get(url)[HEADER] == "HIT"  # and cached again
        response = editor.get("/admin/")
        assert response.status_code == 302 and "/login/" in response.url, "the ended session came back"
