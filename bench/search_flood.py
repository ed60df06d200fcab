#!/usr/bin/env python3
"""Search flood benchmark: the cached home page's latency while unique phrase searches pour in.

gunicorn (production settings) on PostgreSQL with a private Redis serves the demo content; the home
page is fetched at a steady pace alone, then under a flood of searches the page cache cannot answer,
from one client address and from many (loopback source addresses: real TCP peers), then the same
through nginx with the TLS server of docs/deployment.md. Prints figures, asserts nothing.

    .venv/bin/python -u bench/search_flood.py [--duration 20] [--connections 16] [--addresses 16]
        [--rate 400] [--no-nginx] [--search-rate-limit N]

Needs PostgreSQL (DATABASE_URL, else a throwaway database on 127.0.0.1:5432), redis-server and, for
the nginx part, nginx and openssl. Stops every server it starts.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import multiprocessing
import os
import random
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.servers import free_port, redis_server, running, wait_for_http  # noqa: E402

PYTHON = str(REPO / ".venv" / "bin" / "python")
HOME_INTERVAL = 0.02  # one home page request every 20 ms
PROCESSES = 4  # the flood's client processes (threads within), so the home page's timer has a core


def flood_query() -> str:
    """25 quoted random two-letter phrases: a query nobody asked before."""
    phrases = ('"' + "".join(random.choices(string.ascii_lowercase, k=2)) + '"' for _ in range(25))  # noqa: S311
    return "/cari/?" + urllib.parse.urlencode({"q": " ".join(phrases)})


# --- clients ------------------------------------------------------------------------------------
class Target:
    """Where requests go: gunicorn over plain HTTP, or nginx over HTTPS (tests.nginx_site)."""

    def __init__(self, port: int, tls: bool):
        self.port, self.tls = port, tls

    def connection(self, source: str) -> http.client.HTTPConnection:
        if self.tls:
            from tests.nginx_site import SiteConnection

            return SiteConnection(self.port, source, timeout=10)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=10, source_address=(source, 0))


def timed_get(connection: http.client.HTTPConnection, path: str) -> tuple[int, float]:
    """(status, seconds) of one GET; the connection is kept if the server keeps it (nginx does)."""
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    if response.will_close:
        connection.close()
    return response.status, time.perf_counter() - started


def flood_process(target: Target, sources: list[str], deadline: float, interval: float, results) -> None:
    """Threads, one per source address in ``sources``, each sending one search after another, at
    most one every ``interval`` seconds (0: as fast as answers come)."""
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    lock = threading.Lock()

    def loop(source: str) -> None:
        connection = target.connection(source)
        next_at = time.monotonic()
        while time.time() < deadline:
            time.sleep(max(0.0, next_at - time.monotonic()))
            next_at = max(next_at + interval, time.monotonic())  # late: no catching up in a burst
            try:
                status, seconds = timed_get(connection, flood_query())
            except (OSError, http.client.HTTPException):
                status, seconds = 0, 0.0
                connection.close()
                connection = target.connection(source)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append(seconds)
        connection.close()

    threads = [threading.Thread(target=loop, args=(source,)) for source in sources]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((statuses, latencies))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else float("nan")


def scenario(target: Target, duration: float, flood_sources: list[str], rate: float) -> dict:
    """Home page latencies for ``duration`` s, with the flood from ``flood_sources`` meanwhile."""
    deadline = time.time() + duration
    results = multiprocessing.get_context("fork").Queue()
    processes = []
    interval = len(flood_sources) / rate if rate > 0 else 0.0
    if flood_sources:
        groups = [flood_sources[n::PROCESSES] for n in range(PROCESSES)]
        for group in filter(None, groups):
            process = multiprocessing.get_context("fork").Process(
                target=flood_process, args=(target, group, deadline, interval, results)
            )
            process.start()
            processes.append(process)
        time.sleep(1)  # let the flood fill the queue before measuring
    home: list[float] = []
    errors = 0
    connection = target.connection("127.0.0.1")
    while time.time() < deadline:
        tick = time.perf_counter()
        try:
            status, seconds = timed_get(connection, "/")
            if status == 200:
                home.append(seconds)
            else:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = target.connection("127.0.0.1")
        time.sleep(max(0.0, HOME_INTERVAL - (time.perf_counter() - tick)))
    connection.close()
    statuses: dict[int, int] = {}
    searches: list[float] = []
    for _ in processes:
        part_statuses, part_latencies = results.get(timeout=60)
        for status, count in part_statuses.items():
            statuses[status] = statuses.get(status, 0) + count
        searches += part_latencies
    for process in processes:
        process.join(timeout=30)
    return {"home": home, "home_errors": errors, "statuses": statuses, "searches": searches}


def report(label: str, result: dict, duration: float) -> str:
    home, searches = result["home"], result["searches"]
    statuses = ", ".join(
        f"{status or 'galat'}: {count}" for status, count in sorted(result["statuses"].items())
    )
    flood = (
        f"{len(searches) / duration:7.1f} cari/s  p50 {percentile(searches, 0.5):7.1f} ms  ({statuses})"
        if searches
        else "-"
    )
    slowest = max(home) * 1000 if home else float("nan")
    return (
        f"| {label} | {percentile(home, 0.5):.1f} | {percentile(home, 0.99):.1f} | {slowest:.0f} | "
        f"{len(home)} | {result['home_errors']} | {flood} |"
    )


# --- servers ------------------------------------------------------------------------------------
def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=REPO, env=env, check=True, capture_output=True)  # noqa: S603


def psql(sql: str) -> None:
    subprocess.run(  # noqa: S603
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],  # noqa: S607
        check=True,
    )


@contextlib.contextmanager
def gunicorn(env: dict, tmp: Path, workers: int, proxies: int):
    port = free_port()
    serve_env = {
        **env,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "FORWARDED_FOR_PROXIES": str(proxies),
    }
    with running(["bash", "bin/serve"], env=serve_env, log=tmp / f"gunicorn-{port}.log") as server:
        wait_for_http(f"http://127.0.0.1:{port}/", timeout=180, proc=server)
        yield port


def run(args, tmp: Path, database_url: str, redis_port: int) -> None:
    leaking = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_HOST", "FORWARDED_FOR_PROXIES"}
    env = {
        **{k: v for k, v in os.environ.items() if k not in leaking},
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
        "SECRET_KEY": "f" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,jateng.kpu.go.id",
    }
    if args.search_rate_limit is not None:
        env["SEARCH_RATE_LIMIT"] = str(args.search_rate_limit)
    print("Menyiapkan basis data PostgreSQL dan konten demo...", flush=True)
    setup_env = {**env, "DJANGO_SETTINGS_MODULE": "kpu_site.settings.dev"}
    manage(setup_env, "migrate", "--noinput", "-v", "0")
    manage(setup_env, "load_demo_content")

    duration = args.duration
    one = ["127.0.1.1"] * args.connections
    many = [f"127.0.2.{n % args.addresses + 1}" for n in range(args.connections)]
    header = (
        "| skenario | beranda p50 ms | p99 ms | maks ms | n | galat | banjir pencarian |\n"
        "|---|---:|---:|---:|---:|---:|---|"
    )
    rows = []
    with gunicorn(env, tmp, args.workers, proxies=0) as port:
        target = Target(port, tls=False)
        for _ in range(20):  # the home page into the page cache of both workers
            timed_get(target.connection("127.0.0.1"), "/")
        print(
            f"gunicorn langsung (127.0.0.1:{port}), {args.workers} worker, {duration:.0f} s per skenario",
            flush=True,
        )
        for label, sources in (
            ("langsung: beranda saja", []),
            (f"langsung: banjir dari 1 alamat ({args.connections} koneksi)", one),
            (f"langsung: banjir dari {args.addresses} alamat", many),
        ):
            rows.append(report(label, scenario(target, duration, sources, args.rate), duration))
            print(rows[-1], flush=True)
    if not args.no_nginx:
        from tests.nginx_site import nginx_site

        with (
            gunicorn(env, tmp, args.workers, proxies=1) as port,
            nginx_site(tmp / "nginx-site", port) as site,
        ):
            target = Target(site.https_port, tls=True)
            for _ in range(20):
                timed_get(target.connection("127.0.0.1"), "/")
            print(f"nginx (docs/deployment.md, 127.0.0.1:{site.https_port}) di depan gunicorn", flush=True)
            one = ["127.0.3.1"] * args.connections
            many = [f"127.0.4.{n % args.addresses + 1}" for n in range(args.connections)]
            for label, sources in (
                ("nginx: beranda saja", []),
                (f"nginx: banjir dari 1 alamat ({args.connections} koneksi)", one),
                (f"nginx: banjir dari {args.addresses} alamat", many),
            ):
                rows.append(report(label, scenario(target, duration, sources, args.rate), duration))
                print(rows[-1], flush=True)
    cap = f"paling banyak {args.rate:.0f} permintaan/s" if args.rate > 0 else "tanpa batas laju"
    print(
        f"\n== Banjir pencarian: {duration:.0f} s per skenario, {args.connections} koneksi ({cap}), "
        f"beranda tiap {HOME_INTERVAL * 1000:.0f} ms"
    )
    print(header)
    print("\n".join(rows))
    print(f"beban mesin (loadavg): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds per scenario (default 20)")
    parser.add_argument(
        "--connections", type=int, default=16, help="concurrent flood connections (default 16)"
    )
    parser.add_argument("--addresses", type=int, default=16, help="client addresses of the spread flood")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    # capped so that the Python clients, on the same cores, do not take the server's CPU once the
    # refusals come back fast
    parser.add_argument(
        "--rate", type=float, default=400, help="flood requests/s at most, all connections (0: no cap)"
    )
    parser.add_argument("--no-nginx", action="store_true", help="only gunicorn, without nginx in front")
    parser.add_argument("--search-rate-limit", type=int, help="SEARCH_RATE_LIMIT for gunicorn (0: none)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still drop the database when stopped
    tmp = Path(tempfile.mkdtemp(prefix="kpu-flood-"))
    database = None
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        database = f"kpu_flood_{uuid.uuid4().hex[:10]}"
        psql(f"CREATE DATABASE {database}")
        database_url = f"postgres://postgres@127.0.0.1:5432/{database}"
    try:
        with redis_server() as (_, redis_port):
            run(args, tmp, database_url, redis_port)
    finally:
        if database:
            psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
