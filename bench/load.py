#!/usr/bin/env python3
"""Load benchmark: gunicorn (2 workers, production settings, demo content) measured with wrk.

Prints each page's request rate, latency and errors beside a static file's (ratios measured side by
side are what count on a shared machine), then each worker's peak memory. Uses its own redis-server,
serves from a virtualenv of requirements.txt alone (``var/bench-venv``, as production installs) and a
throwaway SQLite database unless DATABASE_URL is set. Needs `wrk` and `redis-server`; prints, never asserts.

    .venv/bin/python bench/load.py [--duration 20] [--connections 8 32] [--page-cache off on]
                                   [--only REGEX] [--gunicorn-args "--threads 4"] [--venv .venv]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.servers import fetch, free_port, redis_server, wait_for_http  # noqa: E402

PYTHON = str(REPO / ".venv" / "bin" / "python")


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, cwd=REPO, env=env, check=True, **kwargs)  # noqa: S603


def targets(base: str, env: dict) -> list[tuple[str, str]]:
    """(label, path) of every page measured, discovered from the demo content."""
    code = (
        "from kpu_pages.kinds import KINDS\n"
        "for kind in KINDS.values():\n"
        "    page = kind.model.objects.live().public().order_by('-pk').first()\n"
        "    print(kind.key, kind.index_path, page.url if page else '')\n"
    )
    out = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = [("beranda", "/")]
    details = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            key, index_path, detail = parts
            rows.append((f"daftar {key}", index_path))
            details.append((f"detail {key}", detail))
    rows += details
    rows += [("cari", "/cari/?q=pemilih"), ("jdihn.json", "/regulasi/jdihn.json")]
    html = urllib.request.urlopen(base + "/").read().decode()  # noqa: S310
    css = re.search(r'href="(/static/css/site[^"]*\.css)"', html).group(1)
    rows.append(("static css", css))
    return rows


def wrk(url: str, duration: int, connections: int) -> dict:
    # a long --timeout: on a busy machine a slow answer is a latency, not an error
    out = subprocess.run(  # noqa: S603, S607
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s", "--latency"]
        + [url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return parse_wrk(out)


def parse_wrk(out: str) -> dict:
    """Requests/s, p50 and p99 in ms, and errors (non-2xx/3xx answers and socket errors) of a wrk run."""

    def latency(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = 0
    for pattern in (
        r"Non-2xx or 3xx responses: (\d+)",
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
    ):
        match = re.search(pattern, out)
        if match:
            errors += sum(int(g) for g in match.groups())
    return {"rate": rate, "p50": latency("50"), "p99": latency("99"), "errors": errors}


def worker_peaks(server_pid: int, port: int) -> list[tuple[int, int]]:
    """(pid, VmHWM in MB) of each worker of the gunicorn listening on ``port``."""
    master = subprocess.run(  # noqa: S603
        ["pgrep", "-s", str(server_pid), "-o", "-f", f"gunicorn.*127.0.0.1:{port}"],  # noqa: S607
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not master:
        return []
    peaks = []
    children = subprocess.run(["pgrep", "-P", master], capture_output=True, text=True).stdout.split()  # noqa: S607
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peaks.append((int(pid), int(match.group(1)) // 1024))
    return peaks


def production_venv(path: Path) -> Path:
    """A virtualenv with requirements.txt alone, made again when requirements.txt changes. A
    directory that exists without this script's stamp is never touched: it is someone's own.

    Not the development one: it also holds the test tools, which Django REST framework and Django's
    test utilities import when present (jinja2, pygments, yaml), adding to each worker's memory.
    """
    requirements = REPO / "requirements.txt"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    stamp = path / ".requirements-sha256"
    if stamp.exists() and stamp.read_text() == digest:
        return path
    if path.exists() and not stamp.exists():
        raise SystemExit(f"{path} ada tetapi bukan virtualenv benchmark ini: hapus, atau pilih --venv lain.")
    print(f"Menyiapkan virtualenv produksi di {path} (requirements.txt saja)...", flush=True)
    shutil.rmtree(path, ignore_errors=True)
    run([sys.executable, "-m", "venv", str(path)], os.environ)  # the Python the project runs on
    pip = [str(path / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run([*pip, "-r", str(requirements)], os.environ)
    stamp.write_text(digest)
    return path


def serve(
    env: dict, port: int, redis_port: int, page_cache: str, gunicorn_args: str, venv: Path
) -> subprocess.Popen:
    serve_env = {
        **env,
        "VENV": str(venv),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "SECRET_KEY": "b" * 50,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "CACHE_KEY_PREFIX": f"bench-{port}",
        # off: every request is rendered (the fragments stay on, as in production)
        "PAGE_CACHE_SECONDS": "300" if page_cache == "on" else "0",
        # wrk is many readers behind one address: the search limits would refuse it as one client
        # (bench/search_flood.py measures them)
        "SEARCH_RATE_LIMIT": "0",
        "SEARCH_CONCURRENCY": "0",
    }
    if gunicorn_args:
        serve_env["GUNICORN_CMD_ARGS"] = gunicorn_args
    serve_env.pop("DJANGO_SETTINGS_MODULE")
    return subprocess.Popen(  # noqa: S603
        ["bash", "bin/serve"],  # noqa: S607
        cwd=REPO,
        env=serve_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def measure(base: str, rows, args, page_cache: str, server: subprocess.Popen, port: int) -> None:
    cache_state = {}
    for label, path in rows:  # warm renditions and caches; a second request is a page cache hit
        fetch(base + path)
        status, headers, _ = fetch(base + path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        cache_state[label] = headers.get("X-Cache", "-")
    time.sleep(1)
    for connections in args.connections:
        results = {label: wrk(base + path, args.duration, connections) for label, path in rows}
        static = results["static css"]["rate"] or 1
        print(
            f"\n== page cache {page_cache}, concurrency {connections}, {args.duration} s each"
            f"{', gunicorn ' + args.gunicorn_args if args.gunicorn_args else ''}"
        )
        print(
            f"{'page':<26}{'X-Cache':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'vs static':>11}"
        )
        for label, r in results.items():
            print(
                f"{label:<26}{cache_state[label]:>8}{r['rate']:>9.1f}{r['p50']:>9.1f}{r['p99']:>9.1f}"
                f"{r['errors']:>8}{r['rate'] / static:>10.1%}",
                flush=True,
            )
    print(f"\nPeak resident memory per worker (VmHWM), page cache {page_cache}:")
    for pid, mb in worker_peaks(server.pid, port):
        print(f"  worker {pid}: {mb} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--page-cache", nargs="+", choices=["off", "on"], default=["off", "on"])
    parser.add_argument("--only", default="", help="regular expression: measure only these pages")
    parser.add_argument("--gunicorn-args", default="", help="extra gunicorn options (GUNICORN_CMD_ARGS)")
    parser.add_argument(
        "--venv",
        default="var/bench-venv",
        help="virtualenv gunicorn runs from (made from requirements.txt unless it is .venv)",
    )
    args = parser.parse_args()
    for tool in ("wrk", "redis-server"):
        if not shutil.which(tool):
            print(f"{tool} is not installed: apt-get install {tool}", file=sys.stderr)
            return 2

    venv = (REPO / args.venv).resolve()
    if venv != REPO / ".venv":
        production_venv(venv)
    print(f"gunicorn dari {venv}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="kpu-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kpu_site.settings.dev",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp / 'db.sqlite3'}"),
        # with DATABASE_URL, MEDIA_ROOT may point at that database's files (a prepared copy)
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT", "") if "DATABASE_URL" in os.environ else "",
        "STATIC_ROOT": str(tmp / "static"),
        "DEMO_PASSWORD": "bench-demo-password",
    }
    env["MEDIA_ROOT"] = env["MEDIA_ROOT"] or str(tmp / "media")
    for name in ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "PAGE_CACHE_SECONDS", "FRAGMENT_CACHE_SECONDS"):
        env.pop(name, None)
    print("Menyiapkan basis data dan konten demo...", flush=True)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run([PYTHON, "manage.py", "load_demo_content"], env, stdout=subprocess.DEVNULL)
    try:
        with redis_server() as (_, redis_port):
            rows = None
            for page_cache in args.page_cache:
                port = free_port()
                server = serve(env, port, redis_port, page_cache, args.gunicorn_args, venv)
                try:
                    base = f"http://127.0.0.1:{port}"
                    wait_for_http(base + "/", timeout=600, proc=server)  # a busy machine starts slowly
                    if rows is None:
                        rows = [
                            (label, path)
                            for label, path in targets(base, env)
                            if label == "static css" or re.search(args.only, label)
                        ]
                    measure(base, rows, args, page_cache, server, port)
                finally:
                    os.killpg(server.pid, signal.SIGTERM)
                    server.wait(timeout=20)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
