"""The settings modules: production refuses unsafe starts and passes Django's deployment checks."""

import os
import re
import subprocess

import pytest

from tests.servers import PYTHON, REPO, fetch, free_port, running, wait_for_http

REALISTIC_PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "kpu_site.settings.production",
    "SECRET_KEY": "k" * 20 + "-realistic-secret-key-for-checks-0123456789",
    "ALLOWED_HOSTS": "jateng.kpu.go.id,www.jateng.kpu.go.id",
    "BASE_URL": "https://jateng.kpu.go.id",
    "DATABASE_URL": "postgres://kpu:secret@127.0.0.1:5432/kpu",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_HOST": "127.0.0.1",
}


def manage(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    # A clean environment: nothing from the test run (DATABASE_URL, DJANGO_ALLOW_ASYNC_UNSAFE, ...) leaks in.
    leaking = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "EMAIL_HOST"}
    clean = {k: v for k, v in os.environ.items() if k not in REALISTIC_PRODUCTION_ENV and k not in leaking}
    return subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in REALISTIC_PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage("check", env={**REALISTIC_PRODUCTION_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=REALISTIC_PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_url_selects_postgresql_and_redis_url_selects_redis():
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], "
        "s.CACHES['default']['BACKEND'], s.WAGTAILSEARCH_BACKENDS['default']['SEARCH_CONFIG'])"
    )
    result = manage("shell", "--no-imports", "-c", code, env=REALISTIC_PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "kpu",
        "kpu_site.caching.backend.FailOpenRedisCache",
        "indonesian",
    ]


def test_sqlite_is_the_default_database():
    code = "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'])"
    result = manage(
        "shell", "--no-imports", "-c", code, env={"DJANGO_SETTINGS_MODULE": "kpu_site.settings.dev"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


@pytest.mark.integration
def test_gunicorn_with_production_settings_serves_hashed_compressed_static(tmp_path):
    """What `make serve` runs: gunicorn, DEBUG off, whitenoise serving hashed, compressed files."""
    port = free_port()
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "SECRET_KEY": "s" * 50,
        "WEB_CONCURRENCY": "1",
    }
    migrate = manage("migrate", "--noinput", env={**env, "DJANGO_SETTINGS_MODULE": "kpu_site.settings.dev"})
    assert migrate.returncode == 0, migrate.stderr
    with running(["bash", "bin/serve"], env=env) as proc:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(base + "/", timeout=90, proc=proc)
        status, headers, body = fetch(base + "/")
        assert status == 200
        html = body.decode()
        assert "KPU Provinsi Jawa Tengah" in html
        css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
        assert css, "stylesheet URL is not hashed"
        status, headers, body = fetch(base + css.group(1), headers={"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]
        status, headers, _ = fetch(base + "/halaman-yang-tidak-ada/")
        assert status == 404
