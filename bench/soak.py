#!/usr/bin/env python3
"""Soak benchmark: public pages under steady load while content walks the whole long SOP chain.

gunicorn (production settings, page cache on) on PostgreSQL with a private Redis; wrk loads the
public pages while a script approves a new Artikel through every step of the long chain over HTTP,
as each role. Prints the load's rate, latency and errors and the walk's duration, and exits non-zero
if a request failed, the page is not public at the end, or its approval record is incomplete.

    .venv/bin/python bench/soak.py [--duration 60] [--connections 64]

Needs `wrk`, PostgreSQL (DATABASE_URL, else a throwaway database on 127.0.0.1:5432) and redis-server.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.load import parse_wrk, targets  # noqa: E402
from tests.servers import free_port, redis_server, running, wait_for_http  # noqa: E402

PYTHON = str(REPO / ".venv" / "bin" / "python")
PASSWORD = "soak-demo-password"  # noqa: S105 - demo accounts of a throwaway database
#: the long chain's steps and who approves each (demo accounts from load_demo_content)
LONG_CHAIN = [
    ("terima", "pengelola"),
    ("validasi", "webadmin"),
    ("tekmas", "tekmas"),
    ("kabag", "kabaghth"),
    ("sekretaris", "sekretaris"),
    ("komisioner", "komisioner"),
    ("unggah", "webadmin"),
]

# A new Artikel written and submitted by its author (SOP step 1). The edit form's StreamField is
# built by JavaScript, so submission is done here; every approval goes through the admin over HTTP.
NEW_CONTENT = """
import json
from django.contrib.auth import get_user_model
from wagtail.models import Page
from kpu_pages.models import ArtikelIndexPage, ArtikelPage
author = get_user_model().objects.get(username="pengampu")
index = ArtikelIndexPage.objects.get()
page = index.add_child(instance=ArtikelPage(
    title={title!r}, slug={slug!r}, owner=author, live=False,
    lead="Ajakan kepada pemilih pemula untuk memeriksa namanya di daftar pemilih.",
    penulis="Tim Sosdiklih", bio_penulis="Divisi Sosdiklih dan Parmas KPU Provinsi Jawa Tengah."))
revision = page.save_revision(user=author)
page.get_workflow().start(page, author)
print(json.dumps({{"id": page.pk, "path": page.url, "index": index.url}}))
"""

RECORD = """
import json
from sop_workflow.archive import verify_chain
from sop_workflow.models import ArsipPersetujuan
records = ArsipPersetujuan.objects.filter(page_id={page_id})
print(json.dumps({{
    "records": records.count(),
    "steps": [[s["step_key"], s["status"], s["person_username"]] for r in records for s in r.steps],
    "chain_ok": verify_chain().ok,
}}))
"""


# --- the admin over plain HTTP ------------------------------------------------------------------
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class AdminSession:
    """One person's admin session over HTTP; Secure cookies are sent by hand (the bench is plain HTTP)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path: str, form: dict | None = None) -> tuple[int, str, str]:
        """(status, Location, body) of a GET, or of a POST when ``form`` is given."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        request = urllib.request.Request(self.base + path, data=data, headers=headers)  # noqa: S310
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as exc:
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        status = getattr(response, "status", None) or response.code
        return status, response.headers.get("Location", ""), response.read().decode(errors="replace")

    @staticmethod
    def csrf(html: str) -> str:
        # A form's hidden field, or the admin's config (the dashboard has no form of its own).
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html) or re.search(
            r'"CSRF_TOKEN": "([^"]+)"', html
        )
        return match.group(1)


def log_in(session: AdminSession, username: str, password: str) -> None:
    """The admin login as a person does it: the password form, then any second factor."""
    _, _, html = session.request("/admin/login/")
    status, location, _ = session.request(
        "/admin/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": session.csrf(html)},
    )
    if status != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"admin login of {username} failed ({status})")
    second_factor(session, username, location)


def second_factor(session: AdminSession, username: str, location: str) -> None:
    """The 2FA step the password login leads to: the code an authenticator app holding the demo
    accounts' TOTP key (``var/demo-totp-key``, written by ``load_demo_content``) shows now."""
    from django_otp.oath import TOTP

    if "/2fa/" not in location:  # the password form sends on to `next`, which sends to the 2FA step
        status, location, _ = session.request(location or "/admin/")
    if "/2fa/" in (location or ""):
        location = "/" + location.split("://", 1)[-1].split("/", 1)[-1] if "://" in location else location
        _, _, html = session.request(location)
        key = (REPO / "var" / "demo-totp-key").read_text().strip()
        code = f"{TOTP(bytes.fromhex(key), step=30, t0=0, digits=6).token():06d}"
        status, _, body = session.request(location, {"code": code, "csrfmiddlewaretoken": session.csrf(html)})
        if status != 302:
            raise RuntimeError(f"the 2FA step of {username} failed ({status}): {body[-500:]}")
    status, _, _ = session.request("/admin/")
    if status != 200:
        raise RuntimeError(f"{username} is not in the admin after logging in ({status}, {location})")


def approve_current_step(session: AdminSession, page_id: int, comment: str) -> None:
    """Press "approve with comment" on the page's current step, as the dashboard's button posts it
    (the publishing step has no editor)."""
    _, _, html = session.request("/admin/")
    match = re.search(rf"/admin/pages/workflow/(?:collect_action_data|action)/{page_id}/approve/(\d+)/", html)
    if not match:
        raise RuntimeError(f"no approve action on page {page_id} for this user")
    status, location, body = session.request(
        f"/admin/pages/workflow/action/{page_id}/approve/{match.group(1)}/",
        {"comment": comment, "csrfmiddlewaretoken": session.csrf(html)},
    )
    if status != 302:
        raise RuntimeError(f"approval refused ({status}): {body[-500:]}")


def walk_long_chain(base: str, page_id: int) -> float:
    """Every step of the long chain, each approver logging in as themself; returns seconds taken."""
    started = time.monotonic()
    sessions: dict[str, AdminSession] = {}
    for step, username in LONG_CHAIN:
        if username not in sessions:  # one login per person: a TOTP code is accepted only once
            sessions[username] = AdminSession(base)
            log_in(sessions[username], username, PASSWORD)
        approve_current_step(sessions[username], page_id, f"Langkah {step}: sudah sesuai.")
    return time.monotonic() - started


# --- set-up -------------------------------------------------------------------------------------
def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args], cwd=REPO, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout if capture else ""


def wrk_script(paths: list[str], directory: Path) -> Path:
    script = directory / "paths.lua"
    quoted = ", ".join(json.dumps(path) for path in paths)
    script.write_text(
        f"local paths = {{{quoted}}}\n"
        "local n = 0\n"
        "request = function()\n"
        "  n = n + 1\n"
        "  return wrk.format('GET', paths[(n % #paths) + 1])\n"
        "end\n"
    )
    return script


def psql(sql: str) -> None:
    subprocess.run(  # noqa: S603
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],  # noqa: S607
        check=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--connections", type=int, default=64, help="concurrent connections (default 64)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still drop the database when stopped
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2

    tmp = Path(tempfile.mkdtemp(prefix="kpu-soak-"))
    database = None
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        database = f"kpu_soak_{uuid.uuid4().hex[:10]}"
        psql(f"CREATE DATABASE {database}")
        database_url = f"postgres://postgres@127.0.0.1:5432/{database}"
    try:
        with redis_server() as (_, redis_port):
            return soak(args, tmp, database_url, redis_port)
    finally:
        if database:
            psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)


def soak(args, tmp: Path, database_url: str, redis_port: int) -> int:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    leaking = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_HOST"}
    env = {
        **{k: v for k, v in os.environ.items() if k not in leaking},
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
        "DEMO_PASSWORD": PASSWORD,
        "SECRET_KEY": "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BASE_URL": base,
    }
    setup_env = {**env, "DJANGO_SETTINGS_MODULE": "kpu_site.settings.dev"}
    print("Menyiapkan basis data PostgreSQL dan konten demo...", flush=True)
    manage(setup_env, "migrate", "--noinput", "-v", "0")
    manage(setup_env, "load_demo_content")
    slug = f"soak-{uuid.uuid4().hex[:8]}"
    title = f"Cek daftar pemilih sebelum hari pemungutan ({slug})"
    created = json.loads(
        manage(setup_env, "shell", "-c", NEW_CONTENT.format(title=title, slug=slug), capture=True)
        .strip()
        .splitlines()[-1]
    )
    serve_env = {**env, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": str(args.workers)}
    # wrk is many readers behind one address: the search limits would refuse it as one client, and
    # count as errors (bench/search_flood.py measures them)
    serve_env.update(SEARCH_RATE_LIMIT="0", SEARCH_CONCURRENCY="0")
    with running(["bash", "bin/serve"], env=serve_env, log=tmp / "gunicorn.log") as server:
        wait_for_http(base + "/", timeout=180, proc=server)
        paths = [path for label, path in targets(base, setup_env) if label != "static css"]
        paths = [path for path in paths if "jdihn" not in path]
        for path in paths:  # warm renditions and the page cache
            urllib.request.urlopen(base + path, timeout=60).read()  # noqa: S310
        script = wrk_script(paths, tmp)
        print(
            f"Beban: {args.connections} koneksi selama {args.duration} s pada {len(paths)} halaman publik; "
            f"gunicorn {args.workers} worker, PostgreSQL, Redis, cache halaman aktif",
            flush=True,
        )
        load = subprocess.Popen(  # noqa: S603
            ["wrk", "-t", "2", "-c", str(args.connections), "-d", f"{args.duration}s", "--latency",  # noqa: S607
             "--timeout", "10s", "-s", str(script), base + "/"],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        chain: dict = {}

        def walk() -> None:
            time.sleep(min(5, args.duration / 6))
            try:
                chain["seconds"] = walk_long_chain(base, created["id"])
                chain["ended"] = time.monotonic()
            except Exception as exc:  # noqa: BLE001 - reported below, and the exit code says it
                chain["error"] = repr(exc)

        walker = threading.Thread(target=walk)
        walker.start()
        out, _ = load.communicate()
        load_ended = time.monotonic()
        walker.join()
        result = parse_wrk(out)

        anonymous = {"User-Agent": "soak-check"}
        page_status, page_html = fetch(base + created["path"], anonymous)
        _, listing_html = fetch(base + created["index"], anonymous)
    record = json.loads(
        manage(setup_env, "shell", "-c", RECORD.format(page_id=created["id"]), capture=True)
        .strip()
        .splitlines()[-1]
    )

    visible = page_status == 200 and title in page_html and title in listing_html
    expected_steps = [[step, "approved", username] for step, username in LONG_CHAIN]
    complete = record["records"] == 1 and record["steps"] == expected_steps and record["chain_ok"]
    print(f"\n== Soak: {args.duration} s, {args.connections} koneksi, {len(paths)} halaman publik")
    print(f"permintaan/detik     {result['rate']:.1f}")
    print(f"p50 / p99            {result['p50']:.1f} ms / {result['p99']:.1f} ms")
    print(f"galat                {result['errors']}")
    if "seconds" in chain:
        steps = len(LONG_CHAIN)
        print(f"rantai panjang       {steps} langkah disetujui lewat admin dalam {chain['seconds']:.1f} s")
        during = chain["ended"] <= load_ended
        print(f"                     {'selama' if during else 'sebagian sesudah'} beban wrk berjalan")
    else:
        print(f"rantai panjang       GAGAL: {chain.get('error')}")
    print(f"halaman baru tampil  {'ya' if visible else 'TIDAK'} ({created['path']}, status {page_status})")
    print(
        f"arsip persetujuan    {'lengkap' if complete else 'TIDAK LENGKAP'}: {record['records']} catatan, "
        f"{len(record['steps'])} langkah, rantai hash {'utuh' if record['chain_ok'] else 'RUSAK'}"
    )
    failed = result["errors"] > 0 or "seconds" not in chain or not visible or not complete
    if failed:
        print("\nSOAK GAGAL", file=sys.stderr)
        print(out, file=sys.stderr)
    return 1 if failed else 0


def fetch(url: str, headers: dict) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


if __name__ == "__main__":
    sys.exit(main())
