"""The cache layers on real components: gunicorn (production settings), Redis, Varnish, PostgreSQL, S3.

1. Varnish (docs/varnish.vcl), and in another test nginx (docs/nginx-cache.conf), in front of
   gunicorn: a publication is visible through the proxy within one second.
2. Two gunicorn instances sharing one PostgreSQL database, one Redis and one S3 bucket (moto's
   standalone server): an image uploaded through one is served by the other, a change made
   through one is seen (cache invalidated) through the other.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
import redis

from tests.otp import TEST_TOTP_KEY
from tests.servers import (
    PYTHON,
    REPO,
    AdminHTTPSession,
    admin_http_login,
    fetch,
    free_port,
    running,
    wait_for_http,
)

pytestmark = pytest.mark.integration

REDIS_URL = "redis://127.0.0.1:6379/0"
HOST = "localhost"  # both app servers answer for the same site name, as behind one proxy

CREATE_CONTENT = """
from kpu_pages.models import BeritaIndexPage, BeritaPage, HomePage
home = HomePage.objects.get()
index = home.add_child(instance=BeritaIndexPage(title="Berita", slug="berita"))
index.add_child(instance=BeritaPage(title="Rapat pleno rekapitulasi suara", slug="rapat-pleno",
                                    lead="KPU Provinsi Jawa Tengah menggelar rapat pleno."))
"""

# A publication by the system (user=None), which the SOP guard allows; prints when it committed.
PUBLISH = """
import time
from wagtail.images import get_image_model
from kpu_pages.models import BeritaPage
page = BeritaPage.objects.get(slug="rapat-pleno")
page.title = {title!r}
image_id = {image_id!r}
if image_id:
    page.feature_image = get_image_model().objects.get(pk=image_id)
    page.feature_image_alt = "Foto rapat pleno"
print("STARTED", time.time())
page.save_revision().publish()
print("PUBLISHED", time.time())
"""


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    """Nothing from the test run (DATABASE_URL, DJANGO_SETTINGS_MODULE, ...) leaks into the servers."""
    leaking = {
        "DATABASE_URL",
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "REDIS_URL",
        "EMAIL_HOST",
    }
    return {**{k: v for k, v in os.environ.items() if k not in leaking}, **extra}


def manage(env: dict[str, str], *args: str, settings: str = "production") -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=REPO,
        env=clean_env({**env, "DJANGO_SETTINGS_MODULE": f"kpu_site.settings.{settings}"}),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def app_env(tmp_path: Path, database_url: str, prefix: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SECRET_KEY": "s" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "WEB_CONCURRENCY": "2",
    }


@contextlib.contextmanager
def gunicorn(env: dict[str, str], tmp_path: Path, name: str, timeout: float = 90, log: Path | None = None):
    port = free_port()
    server_env = clean_env(
        {**env, "HOST": "127.0.0.1", "PORT": str(port), "STATIC_ROOT": str(tmp_path / name)}
    )
    with running(["bash", "bin/serve"], env=server_env, log=log) as proc:
        # collectstatic and the first render take a while on a loaded CI machine
        wait_for_http(f"http://127.0.0.1:{port}/", timeout=max(timeout, 240), proc=proc)
        yield f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def redis_prefix():
    prefix = f"kpu-test-{uuid.uuid4().hex[:12]}"
    try:
        yield prefix
    finally:
        server = redis.Redis.from_url(REDIS_URL)
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)


def get(url: str, **headers: str):
    status, response_headers, body = fetch(url, headers={"Host": HOST, **headers})
    return status, response_headers, body.decode(errors="replace")


def first_changed(url: str, changed, seconds: float = 2.0):
    """The first answer of ``url`` for which ``changed(status, headers, body)`` holds, and how long
    it took to come. Another process hears of a publication over Redis a few milliseconds after it
    (at worst within a second, kpu_site/caching/middleware.py): a request sent in between may still get the
    page kept in the worker, so the test asks again until the change shows, within ``seconds``."""
    started = time.monotonic()
    while True:
        answer = get(url)
        waited = time.monotonic() - started
        if changed(*answer):
            return answer, waited
        assert waited < seconds, f"{url} still unchanged {waited:.2f} s after the change: {answer[:2]}"
        time.sleep(0.01)


def timestamps(output: str) -> tuple[float, float]:
    """When the publishing process started publish() and when publish() returned (committed)."""
    started = float(re.search(r"STARTED ([0-9.]+)", output).group(1))
    return started, float(re.search(r"PUBLISHED ([0-9.]+)", output).group(1))


# --- 1. Varnish in front ------------------------------------------------------------------------
@contextlib.contextmanager
def varnish(tmp_path: Path, port: int, backend_port: int):
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not Path(varnishd).exists():
        pytest.skip("varnishd not installed (apt-get install varnish; CI installs it)")
    vcl = (REPO / "docs" / "varnish.vcl").read_text()
    assert '.port = "8000";' in vcl
    config = tmp_path / "varnish.vcl"
    config.write_text(vcl.replace('.port = "8000";', f'.port = "{backend_port}";'))
    cmd = [
        varnishd,
        "-F",  # foreground: stopped with the test's process group
        "-j", "none",  # no privilege separation: the work directory is the test's own
        "-a", f"127.0.0.1:{port}",
        "-T", "none",
        "-n", str(tmp_path / "varnish"),
        "-f", str(config),
        "-s", "malloc,64m",
    ]  # fmt: skip
    with running(cmd) as proc:
        wait_for_http(f"http://127.0.0.1:{port}/", timeout=60, proc=proc)
        yield f"http://127.0.0.1:{port}"


def test_publication_is_visible_through_varnish_within_one_second(tmp_path):
    check_publication_through_proxy(tmp_path, varnish, private_status="MISS")


# --- 1b. nginx in front (docs/nginx-cache.conf) -----------------------------------------------
@contextlib.contextmanager
def nginx(tmp_path: Path, port: int, backend_port: int):
    """docs/nginx-cache.conf as a non-root nginx with its own prefix, paths and ports."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.skip("nginx not installed (apt-get install nginx-light; CI installs it)")
    prefix = tmp_path / "nginx"
    (prefix / "cache").mkdir(parents=True)
    site = (REPO / "docs" / "nginx-cache.conf").read_text()
    for old, new in (
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{backend_port};"),
        ("listen 127.0.0.1:6081;", f"listen 127.0.0.1:{port};"),
        ("127.0.0.1:6082", f"127.0.0.1:{free_port()}"),
        ("/var/cache/nginx/kpu/", f"{prefix}/cache/"),
    ):
        assert old in site, old
        site = site.replace(old, new)
    (prefix / "kpu-cache.conf").write_text(site)
    temp = " ".join(
        f"{kind}_temp_path {prefix}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root root;" if os.geteuid() == 0 else ""  # workers must reach the test's own directory
    (prefix / "nginx.conf").write_text(
        f"{user}\nworker_processes 1;\npid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n  access_log off;\n  {temp}\n  include {prefix}/kpu-cache.conf;\n}}\n"
    )
    cmd = [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log"),
           "-g", "daemon off;"]  # fmt: skip
    test = subprocess.run([*cmd, "-t"], capture_output=True, text=True, timeout=30)
    assert test.returncode == 0, test.stderr
    with running(cmd) as proc:
        wait_for_http(f"http://127.0.0.1:{port}/", timeout=60, proc=proc)
        yield f"http://127.0.0.1:{port}"


def test_publication_is_visible_through_nginx_within_one_second(tmp_path):
    def never_shared(proxy: str) -> None:
        for path in ("/admin/login/", "/cari/?q=pleno"):
            get(proxy + path)
            assert get(proxy + path)[1]["X-Proxy-Cache"] == "BYPASS", path
        # Django's CSRF cookie alone changes no page: still served from the cache
        get(proxy + "/berita/", Cookie="csrftoken=x")
        assert get(proxy + "/berita/", Cookie="csrftoken=x")[1]["X-Proxy-Cache"] == "HIT"
        # a PURGE from any other address (here 127.0.0.2) is refused and drops nothing
        host, port = urllib.parse.urlsplit(proxy).netloc.split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10, source_address=("127.0.0.2", 0))
        connection.request("PURGE", "/berita/", headers={"Host": HOST})
        assert connection.getresponse().status == 403
        connection.close()
        assert get(proxy + "/berita/", Cookie="csrftoken=x")[1]["X-Proxy-Cache"] == "HIT"

    check_publication_through_proxy(tmp_path, nginx, private_status="BYPASS", also=never_shared)


def check_publication_through_proxy(tmp_path: Path, proxy_server, private_status: str, also=None) -> None:
    """Pages cached by the proxy; a publication in another process is seen through it within 1 s."""
    name = proxy_server.__name__
    with redis_prefix() as prefix:
        env = app_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}", prefix)
        manage(env, "migrate", "--noinput", settings="dev")
        manage(env, "shell", "-c", CREATE_CONTENT, settings="dev")
        proxy_port = free_port()  # known before gunicorn starts: gunicorn sends its purges there
        env["FRONTEND_CACHE_URL"] = f"http://127.0.0.1:{proxy_port}"
        with gunicorn(env, tmp_path, "static") as app:
            with proxy_server(tmp_path, proxy_port, int(app.rsplit(":", 1)[1])) as proxy:
                detail = proxy + "/berita/rapat-pleno/"
                for url in (detail, proxy + "/berita/", proxy + "/"):
                    get(url)
                    status, headers, body = get(url)
                    assert status == 200
                    assert headers["X-Proxy-Cache"] == "HIT", url
                    assert "Rapat pleno rekapitulasi suara" in body
                # an editor's session cookie always goes through to the application
                _, headers, _ = get(detail, Cookie="sessionid=abc; csrftoken=x")
                assert headers["X-Proxy-Cache"] == private_status

                # a reader keeps polling through the proxy while the publication runs in its own process
                seen: list[float] = []
                stop = threading.Event()

                def reader() -> None:
                    while not stop.is_set():
                        if "Hasil rapat pleno ditetapkan" in get(detail)[2]:
                            seen.append(time.time())
                            return
                        time.sleep(0.01)

                poller = threading.Thread(target=reader)
                poller.start()
                try:
                    title = "Hasil rapat pleno ditetapkan"
                    started, returned = timestamps(
                        manage(env, "shell", "-c", PUBLISH.format(title=title, image_id=None))
                    )
                    poller.join(timeout=5)
                finally:
                    stop.set()
                    poller.join()
                assert seen, "the new title never showed through the proxy"
                delay = seen[0] - returned
                print(
                    f"\n{name}: new title seen through the proxy {(seen[0] - started) * 1000:.0f} ms after "
                    f"publish() started, {delay * 1000:.0f} ms after it returned (negative: sooner)"
                )
                assert delay < 1.0
                for url in (proxy + "/berita/", proxy + "/", proxy + "/berita/rss/"):
                    assert "Hasil rapat pleno ditetapkan" in get(url)[2], url
                get(detail)
                assert get(detail)[1]["X-Proxy-Cache"] == "HIT"  # and cached again afterwards
                if also:
                    also(proxy)


# --- 2. Two application servers -----------------------------------------------------------------
@contextlib.contextmanager
def postgres_database():
    name = f"kpu_two_{uuid.uuid4().hex[:10]}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c"]
    subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True, timeout=60)
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False, timeout=60)


@contextlib.contextmanager
def s3_server():
    import boto3

    port = free_port()
    with running([PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]) as proc:
        endpoint = f"http://127.0.0.1:{port}"
        wait_for_http(endpoint + "/", timeout=60, proc=proc)
        bucket = "kpu-media"
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="test",
            aws_secret_access_key="test",  # noqa: S106
            region_name="us-east-1",
        ).create_bucket(Bucket=bucket)
        yield {
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": endpoint,
            "S3_ACCESS_KEY_ID": "test",
            "S3_SECRET_ACCESS_KEY": "test",
        }


# One account per SOP role, and the author's draft of the live page (new title, A's image) submitted
# to its chain ("SOP Ringkas" for a Berita), as the author's "Kirim untuk moderasi" would.
ROLES_AND_DRAFT = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.images import get_image_model
from kpu_pages.models import BeritaPage
from sop_workflow.sop import ROLES
User = get_user_model()
for info in ROLES.values():
    user = User.objects.create_user(info.demo_username, f"{{info.demo_username}}@kpu.test", {password!r})
    user.groups.add(Group.objects.get(name=info.group_name))
    TOTPDevice.objects.create(user=user, name="app", confirmed=True, key={totp_key!r})
author = User.objects.get(username="pengampu")
page = BeritaPage.objects.get(slug="rapat-pleno")
page.title = {title!r}
page.feature_image = get_image_model().objects.get(pk={image_id!r})
page.feature_image_alt = "Foto rapat pleno"
page.save_revision(user=author)
page.get_workflow().start(page, author)
print("PAGE", page.pk)
"""


APPROVALS = """
from wagtail.models import TaskState
for state in TaskState.objects.filter(workflow_state__object_id="{page_id}").order_by("started_at"):
    print(f"{{state.task.specific.step_key}}:{{state.finished_by.username}}:{{state.status}}")
"""


def approve_through_admin(admin, page_id: int, comment: str) -> str:
    """As a reviewer: the dashboard's "Setujui" of the page's current step, posted like its button."""
    _, dashboard = admin.request("/admin/")
    action = re.search(rf"/admin/pages/workflow/action/{page_id}/approve/\d+/", dashboard)
    assert action, "the page is not waiting for this reviewer on the dashboard"
    status, html = admin.post_form(action.group(0), {"comment": comment}, form_page="/admin/")
    assert status == 302, html[-2000:]
    return action.group(0)


def test_two_app_servers_share_database_cache_and_media(tmp_path):
    from sop_workflow.sop import CHAINS, ROLES, STEPS, Chain
    from tests.factories import png_bytes

    password = "kata-sandi-uji-123"  # noqa: S105
    with redis_prefix() as prefix, postgres_database() as database_url, s3_server() as s3:
        env = {**app_env(tmp_path, database_url, prefix), **s3, "WEB_CONCURRENCY": "1"}
        manage(env, "migrate", "--noinput", settings="dev")
        # Nothing in the bucket is public, as in production: images go through /media/ (kpu_site/storage.py).
        manage(env, "setup_media_bucket", settings="dev")
        manage(env, "shell", "-c", CREATE_CONTENT, settings="dev")
        manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model; "
            "from django_otp.plugins.otp_totp.models import TOTPDevice; "
            f"admin = get_user_model().objects.create_superuser('admin', 'admin@kpu.test', {password!r}); "
            f"TOTPDevice.objects.create(user=admin, name='app', confirmed=True, key='{TEST_TOTP_KEY}')",
        )
        # B starts after A: its collectstatic finds A's files up to date
        with gunicorn(env, tmp_path, "static") as a, gunicorn(env, tmp_path, "static") as b:
            # one cache: what A rendered, B serves
            status, headers, _ = get(a + "/berita/")
            assert (status, headers["X-Cache"]) == (200, "MISS")
            assert get(b + "/berita/")[1]["X-Cache"] == "HIT"

            # an image uploaded through A ...
            admin_a = admin_http_login(a, "admin", password)
            image_id = upload_image(admin_a, "Foto rapat pleno", png_bytes(800, 450))
            # ... is shown by B, in its admin (one login: sessions are in the shared database) ...
            admin_b = AdminHTTPSession(b)
            admin_b.cookies = dict(admin_a.cookies)
            status, html = admin_b.request(f"/admin/images/{image_id}/")
            assert status == 200 and "Foto rapat pleno" in html

            # ... and, once the author's draft using it has passed the SOP chain in A's admin (each
            # step approved by its role; the last step, Web Admin's "unggah", publishes), on the
            # public page B renders. B served the old page from the cache until then.
            for _ in range(2):
                get(b + "/berita/rapat-pleno/")
            assert get(b + "/berita/rapat-pleno/")[1]["X-Cache"] == "HIT"
            output = manage(
                env, "shell", "-c",
                ROLES_AND_DRAFT.format(
                    password=password, title="Hasil rapat pleno", image_id=image_id, totp_key=TEST_TOTP_KEY
                ),
            )  # fmt: skip
            page_id = int(re.search(r"PAGE (\d+)", output).group(1))
            reviewers = {}
            for step_key in CHAINS[Chain.SHORT].steps:
                username = ROLES[STEPS[step_key].role].demo_username
                if username not in reviewers:
                    reviewers[username] = admin_http_login(a, username, password)
                assert "Hasil rapat pleno" not in get(b + "/berita/rapat-pleno/")[2], (
                    f"published before {step_key}"
                )
                approve_through_admin(reviewers[username], page_id, f"Disetujui pada langkah {step_key}.")
            (status, headers, html), waited = first_changed(
                b + "/berita/rapat-pleno/", lambda status, headers, body: "Hasil rapat pleno" in body
            )
            print(f"\npublication seen through B {waited * 1000:.0f} ms after the approval (with a render)")
            assert (status, headers["X-Cache"]) == (200, "MISS")  # rendered afresh, not an old copy
            img = re.search(r'<img[^>]*alt="Foto rapat pleno"[^>]*>', html)
            assert img, "the page shows no image"
            image_url = re.search(r'src="([^"]+)"', img.group(0)).group(1).replace("&amp;", "&")
            assert image_url.startswith("/media/images/"), image_url  # checked by the site, then S3
            status, headers, body = fetch(b + image_url)  # follows the redirect to a signed S3 URL
            assert status == 200, image_url
            assert body[:3] == b"\xff\xd8\xff", "not the JPEG rendition"  # made by A at upload, in the bucket
            # each step was approved by its own role, with the comment given in A's admin
            approvals = manage(env, "shell", "-c", APPROVALS.format(page_id=page_id), settings="dev")
            # (Django's shell also prints how many objects it imported: only the step lines count)
            assert re.findall(r"^\w+:\w+:\w+$", approvals, re.MULTILINE) == [
                f"{key}:{ROLES[STEPS[key].role].demo_username}:approved" for key in CHAINS[Chain.SHORT].steps
            ]

            # a change through A's admin (unpublish) is seen through B as soon as B hears of it
            for _ in range(2):
                get(b + "/berita/rapat-pleno/")
                get(b + "/berita/")
            assert get(b + "/berita/")[1]["X-Cache"] == "HIT"
            status, _ = admin_a.post_form(f"/admin/pages/{page_id}/unpublish/", {})
            assert status == 302
            (status, headers, _), waited = first_changed(
                b + "/berita/rapat-pleno/", lambda status, headers, body: status != 200
            )
            assert (status, headers["X-Cache"]) == (404, "MISS")
            (status, headers, listing), _ = first_changed(
                b + "/berita/", lambda status, headers, body: "Hasil rapat pleno" not in body
            )
            assert headers["X-Cache"] == "MISS"
            print(f"unpublication seen through B after {waited * 1000:.0f} ms")


def upload_image(admin, title: str, png: bytes) -> int:
    """Wagtail's "Tambah gambar" form, posted as multipart like the browser does."""
    _, html = admin.request("/admin/images/add/")
    fields = {"title": title, "csrfmiddlewaretoken": admin.csrf(html)}
    collection = re.search(r'<select name="collection"[^>]*>\s*<option value="(\d+)"', html)
    if collection:
        fields["collection"] = collection.group(1)
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="rapat.png"\r\n'
        "Content-Type: image/png\r\n\r\n".encode()
        + png
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    status, html = admin.request("/admin/images/add/", body, f"multipart/form-data; boundary={boundary}")
    assert status == 302, html[-2000:]
    _, listing = admin.request("/admin/images/")
    return int(re.search(r"/admin/images/(\d+)/", listing).group(1))


def test_site_answers_when_redis_is_down(tmp_path):
    env = {
        **app_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}", "unused"),
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
    }
    manage(env, "migrate", "--noinput", settings="dev")
    manage(env, "shell", "-c", CREATE_CONTENT, settings="dev")
    with gunicorn(env, tmp_path, "static") as app:
        for url in ("/", "/berita/", "/berita/rapat-pleno/", "/sitemap.xml", "/berita/rss/"):
            status, headers, _ = get(app + url)
            assert (status, headers["X-Cache"]) == (200, "MISS"), url
