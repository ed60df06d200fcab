"""PostgreSQL restarted under load: the site recovers by itself within seconds.

A throwaway PostgreSQL cluster (tests/servers.py ``postgres_server``) serves gunicorn with the
production settings (persistent connections, ``CONN_MAX_AGE`` with ``CONN_HEALTH_CHECKS`` as base.py
sets them; no Redis, so every request reads the database). A thread keeps requesting public pages
while ``pg_ctl restart -m fast`` runs. Errors are allowed only while the database is restarting and
for at most RECOVERY_SECONDS after it accepts connections again; after that every request is 200.
"""

from __future__ import annotations

import threading
import time

import pytest

from django.conf import settings

from tests.servers import fetch, postgres_server
from tests.test_cache_stack import CREATE_CONTENT, gunicorn, manage

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not settings.IS_POSTGRESQL,
        reason="runs once, in the PostgreSQL pass of CI (it starts its own PostgreSQL cluster)",
    ),
]

RECOVERY_SECONDS = 5.0
URLS = ("/", "/berita/", "/berita/rapat-pleno/", "/sitemap.xml")


def test_the_site_recovers_by_itself_after_postgresql_restarts_under_load(tmp_path):
    with postgres_server() as cluster:
        cluster.psql("CREATE DATABASE kpu")
        env = {
            "DATABASE_URL": f"{cluster.url}/kpu",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "SECRET_KEY": "s" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "WEB_CONCURRENCY": "2",
        }
        manage(env, "migrate", "--noinput", settings="dev")
        manage(env, "shell", "-c", CREATE_CONTENT, settings="dev")
        log = tmp_path / "gunicorn.log"  # under load it writes much: a pipe would fill and block it
        with gunicorn(env, tmp_path, "static", timeout=240, log=log) as app:
            # (when the request started, when it ended, its status or None if the connection failed)
            results: list[tuple[float, float, int | None]] = []
            stop = threading.Event()

            def load(offset: int) -> None:
                n = offset
                while not stop.is_set():
                    started = time.monotonic()
                    try:
                        status = fetch(app + URLS[n % len(URLS)], headers={"Host": "localhost"}, timeout=10)[
                            0
                        ]
                    except OSError:
                        status = None
                    results.append((started, time.monotonic(), status))
                    n += 1

            workers = [threading.Thread(target=load, args=(i,)) for i in range(4)]
            for worker in workers:
                worker.start()
            try:
                time.sleep(3)
                restart_began = time.monotonic()
                cluster.pg_ctl("restart", "-m", "fast")
                while not cluster.accepts_connections():
                    time.sleep(0.05)
                back = time.monotonic()
                time.sleep(RECOVERY_SECONDS + 10)
            finally:
                stop.set()
                for worker in workers:
                    worker.join(timeout=30)

    recovered = back + RECOVERY_SECONDS
    before = [status for _, ended, status in results if ended < restart_began]
    window = [status for started, ended, status in results if ended >= restart_began and started < recovered]
    after = [status for started, _, status in results if started >= recovered]
    failures = [(started, status) for started, _, status in results if status != 200]
    last_failure = max((started for started, _ in failures), default=None)
    print(
        f"\nPostgreSQL restart under load: {len(results)} requests; restart took "
        f"{(back - restart_began) * 1000:.0f} ms; {len(failures)} errors "
        f"(statuses {sorted({str(s) for _, s in failures})}); last error "
        + (
            f"{(last_failure - back) * 1000:+.0f} ms after PostgreSQL accepted connections"
            if failures
            else "none"
        )
        + f"; {len(after)} requests after the window, {sum(s == 200 for s in after)} of them 200"
    )
    assert before and all(status == 200 for status in before), "errors before the restart"
    assert window, "no request ran during the restart"
    assert len(after) >= 8, "too few requests after the restart to tell"
    assert all(status == 200 for status in after), f"still failing {RECOVERY_SECONDS} s after the restart"
