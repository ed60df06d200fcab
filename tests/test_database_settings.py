"""PostgreSQL connections are kept between requests and checked before reuse."""

from tests.envsettings import base_settings


def test_postgresql_connections_persist_with_health_checks():
    probe = base_settings(
        {"DATABASE_URL": "postgres://kpu:rahasia@db.internal:5432/kpu", "DATABASE_CONN_MAX_AGE": "120"}
    )
    db = probe.DATABASES["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == ("db.internal", 5432, "kpu", "kpu")
    assert db["CONN_MAX_AGE"] == 120
    assert db["CONN_HEALTH_CHECKS"] is True
    assert base_settings({"DATABASE_URL": "postgres://kpu@db/kpu"}).DATABASES["default"]["CONN_MAX_AGE"] == 60


def test_sqlite_never_keeps_connections(tmp_path):
    probe = base_settings({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    assert probe.DATABASES["default"]["CONN_MAX_AGE"] == 0


def test_gunicorn_keeps_a_sqlite_connection_between_requests(tmp_path):
    """Production settings on SQLite (`make serve`, the load bench): a new connection would read the
    whole schema again on each request's first query."""
    import subprocess
    import sys

    from tests.servers import REPO

    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "kpu_site.settings.production",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECRET_KEY": "b" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    code = "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "60"
