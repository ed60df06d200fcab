"""The shared Redis cache: values round-trip through a real Redis, and a dead Redis costs little.

Each test starts its own redis-server on a free port (nothing kept on disk) and stops it itself.
"""

import time

import pytest
import redis

from django.core.cache import cache
from django.test import Client, override_settings

from tests.envsettings import base_settings
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
    assert client.get("/admin/").status_code == 200


def test_redis_url_selects_the_fail_open_cache_and_cached_db_sessions():
    probe = base_settings({"REDIS_URL": "redis://127.0.0.1:6379/3", "REDIS_SOCKET_TIMEOUT": "0.2"})
    assert probe.CACHES["default"]["BACKEND"] == "kpu_site.cache.FailOpenRedisCache"
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
            cache._down_until = 0  # don't wait out the retry pause in the test
            response = admin.get("/admin/")
            assert response.status_code == 200
            assert b"kepala" in response.content
            assert redis.Redis(port=port).keys("*session*"), "the session went back into Redis"
