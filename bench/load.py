#!/usr/bin/env python3
"""Load benchmark: gunicorn (2 workers, production settings, demo content) measured with wrk.

Prints requests/s, p50 and p99 latency and errors for the home page, each listing, a detail page of
each kind, search, the JDIHN feed and a static CSS file, all in one run, and each page's rate as a
ratio to the static file's rate (ratios measured side by side are what count on a shared machine).
Afterwards prints each worker's peak resident memory (VmHWM).

    .venv/bin/python bench/load.py [--duration 20] [--connections 8 32] [--page-cache 0|300]

Needs `wrk` (apt-get install wrk). Uses a throwaway SQLite database in a temporary directory unless
DATABASE_URL is set. Never a timed test: it prints figures.
"""

from __future__ import annotations

import argparse
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

from tests.servers import free_port, wait_for_http  # noqa: E402

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
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency", url],  # noqa: S607
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


def worker_peaks(master_pid: int) -> list[tuple[int, int]]:
    peaks = []
    children = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout.split()  # noqa: S607
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peaks.append((int(pid), int(match.group(1)) // 1024))
    return peaks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--page-cache", default=None, help="PAGE_CACHE_SECONDS for the server (0 = off)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2

    tmp = Path(tempfile.mkdtemp(prefix="kpu-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kpu_site.settings.dev",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp / 'db.sqlite3'}"),
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
        "DEMO_PASSWORD": "bench-demo-password",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    if args.page_cache is not None:
        env["PAGE_CACHE_SECONDS"] = args.page_cache
    print("Menyiapkan basis data dan konten demo...", flush=True)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run([PYTHON, "manage.py", "load_demo_content"], env, stdout=subprocess.DEVNULL)
    serve_env = {
        **env,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "SECRET_KEY": "b" * 50,
    }
    serve_env.pop("DJANGO_SETTINGS_MODULE")
    server = subprocess.Popen(  # noqa: S603
        ["bash", "bin/serve"],
        cwd=REPO,
        env=serve_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(base + "/", timeout=120, proc=server)
        rows = targets(base, env)
        for _, path in rows:  # warm renditions and caches
            urllib.request.urlopen(base + path).read()  # noqa: S310
        time.sleep(1)
        for connections in args.connections:
            results = {label: wrk(base + path, args.duration, connections) for label, path in rows}
            static = results["static css"]["rate"] or 1
            print(
                f"\n== concurrency {connections}, {args.duration} s each, "
                f"page cache {args.page_cache or 'default'}"
            )
            print(f"{'page':<26}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'vs static':>11}")
            for label, r in results.items():
                print(
                    f"{label:<26}{r['rate']:>9.1f}{r['p50']:>9.1f}{r['p99']:>9.1f}{r['errors']:>8}"
                    f"{r['rate'] / static:>10.1%}"
                )
        gunicorn_master = subprocess.run(  # noqa: S603
            ["pgrep", "-f", f"gunicorn.*127.0.0.1:{port}", "-o"],
            capture_output=True,
            text=True,  # noqa: S607
        ).stdout.strip()
        if gunicorn_master:
            print("\nPeak resident memory per worker (VmHWM):")
            for pid, mb in worker_peaks(int(gunicorn_master)):
                print(f"  worker {pid}: {mb} MB")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
