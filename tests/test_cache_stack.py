"""The cache layers on real components: gunicorn (production settings), Redis, Varnish, PostgreSQL, S3.

1. Varnish (docs/varnish.vcl) in front of gunicorn: a publication is visible through the proxy
   within one second.
2. Two gunicorn instances sharing one PostgreSQL database, one Redis and one S3 bucket (moto's
   standalone server): an image uploaded through one is served by the other, a change made
   through one is seen (cache invalidated) through the other.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
import redis

from tests.otp import TEST_TOTP_KEY, totp_code
from tests.servers import PYTHON, REPO, fetch, free_port, running, wait_for_http

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
def gunicorn(env: dict[str, str], tmp_path: Path, name: str):
    port = free_port()
    server_env = clean_env(
        {**env, "HOST": "127.0.0.1", "PORT": str(port), "STATIC_ROOT": str(tmp_path / name)}
    )
    with running(["bash", "bin/serve"], env=server_env) as proc:
        wait_for_http(f"http://127.0.0.1:{port}/", timeout=90, proc=proc)
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
    with redis_prefix() as prefix:
        env = app_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}", prefix)
        manage(env, "migrate", "--noinput", settings="dev")
        manage(env, "shell", "-c", CREATE_CONTENT, settings="dev")
        proxy_port = free_port()  # known before gunicorn starts: gunicorn sends its purges there
        env["FRONTEND_CACHE_URL"] = f"http://127.0.0.1:{proxy_port}"
        with gunicorn(env, tmp_path, "static") as app:
            with varnish(tmp_path, proxy_port, int(app.rsplit(":", 1)[1])) as proxy:
                detail = proxy + "/berita/rapat-pleno/"
                for url in (detail, proxy + "/berita/", proxy + "/"):
                    get(url)
                    status, headers, body = get(url)
                    assert status == 200
                    assert headers["X-Proxy-Cache"] == "HIT", url
                    assert "Rapat pleno rekapitulasi suara" in body
                # an editor's session cookie always goes through to the application
                _, headers, _ = get(detail, Cookie="sessionid=abc; csrftoken=x")
                assert headers["X-Proxy-Cache"] == "MISS"

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
                    f"\nvarnish: new title seen through the proxy {(seen[0] - started) * 1000:.0f} ms after "
                    f"publish() started, {delay * 1000:.0f} ms after it returned (negative: sooner)"
                )
                assert delay < 1.0
                for url in (proxy + "/berita/", proxy + "/", proxy + "/berita/rss/"):
                    assert "Hasil rapat pleno ditetapkan" in get(url)[2], url
                get(detail)
                assert get(detail)[1]["X-Proxy-Cache"] == "HIT"  # and cached again afterwards


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


class AdminSession:
    """A logged-in admin over plain HTTP (the Secure session cookie is sent by hand)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, path: str, data: bytes | None = None, content_type: str | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as exc:
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status if hasattr(response, "status") else response.code, response.read().decode()

    def csrf(self, html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def login(self, username: str, password: str, totp_key: str = TEST_TOTP_KEY) -> None:
        """The password form, then the 2FA code form with the code of the user's TOTP key."""
        _, html = self.request("/admin/login/")
        form = {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf(html)}
        status, _ = self.request("/admin/login/", urllib.parse.urlencode(form).encode())
        assert status == 302 and "sessionid" in self.cookies, "admin login failed"
        _, html = self.request("/admin/2fa/verifikasi/")
        form = {"code": totp_code(totp_key), "csrfmiddlewaretoken": self.csrf(html)}
        status, _ = self.request("/admin/2fa/verifikasi/", urllib.parse.urlencode(form).encode())
        assert status == 302, "admin 2FA step failed"

    def upload_image(self, title: str, png: bytes) -> int:
        _, html = self.request("/admin/images/add/")
        fields = {"title": title, "csrfmiddlewaretoken": self.csrf(html)}
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
        status, html = self.request("/admin/images/add/", body, f"multipart/form-data; boundary={boundary}")
        assert status == 302, html[-2000:]
        _, listing = self.request("/admin/images/")
        return int(re.search(r"/admin/images/(\d+)/", listing).group(1))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_two_app_servers_share_database_cache_and_media(tmp_path):
    from tests.factories import png_bytes

    with redis_prefix() as prefix, postgres_database() as database_url, s3_server() as s3:
        env = {**app_env(tmp_path, database_url, prefix), **s3, "WEB_CONCURRENCY": "1"}
        manage(env, "migrate", "--noinput", settings="dev")
        # Renditions are public through the bucket policy, as in production (kpu_site/storage.py).
        manage(env, "setup_media_bucket", settings="dev")
        manage(env, "shell", "-c", CREATE_CONTENT, settings="dev")
        manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model; "
            "from django_otp.plugins.otp_totp.models import TOTPDevice; "
            "admin = get_user_model().objects.create_superuser("
            "'admin', 'admin@kpu.test', 'kata-sandi-uji-123'); "
            f"TOTPDevice.objects.create(user=admin, name='app', confirmed=True, key='{TEST_TOTP_KEY}')",
        )
        # B starts after A: its collectstatic finds A's files up to date
        with gunicorn(env, tmp_path, "static") as a, gunicorn(env, tmp_path, "static") as b:
            # one cache: what A rendered, B serves
            status, headers, _ = get(a + "/berita/")
            assert (status, headers["X-Cache"]) == (200, "MISS")
            assert get(b + "/berita/")[1]["X-Cache"] == "HIT"

            # an image uploaded through A ...
            admin_a = AdminSession(a)
            admin_a.login("admin", "kata-sandi-uji-123")
            image_id = admin_a.upload_image("Foto rapat pleno", png_bytes(800, 450))
            # ... is shown by B, in its admin (one login: sessions are in the shared database) ...
            admin_b = AdminSession(b)
            admin_b.cookies = dict(admin_a.cookies)
            status, html = admin_b.request(f"/admin/images/{image_id}/")
            assert status == 200 and "Foto rapat pleno" in html
            # ... and on the public page B renders after a publication
            output = manage(env, "shell", "-c", PUBLISH.format(title="Hasil rapat pleno", image_id=image_id))
            assert "PUBLISHED" in output
            status, headers, html = get(b + "/berita/rapat-pleno/")
            assert (status, headers["X-Cache"]) == (200, "MISS")
            assert "Hasil rapat pleno" in html
            img = re.search(r'<img[^>]*alt="Foto rapat pleno"[^>]*>', html)
            assert img, "the page shows no image"
            image_url = re.search(r'src="([^"]+)"', img.group(0)).group(1).replace("&amp;", "&")
            assert image_url.startswith(s3["S3_ENDPOINT_URL"])
            status, headers, body = fetch(image_url)
            assert status == 200, image_url
            assert body[:3] == b"\xff\xd8\xff", "not the JPEG rendition"  # rendered by B from A's upload

            # a change through A's admin (unpublish) is seen through B at once
            for _ in range(2):
                get(b + "/berita/rapat-pleno/")
                get(b + "/berita/")
            assert get(b + "/berita/")[1]["X-Cache"] == "HIT"
            page_id = int(
                manage(env, "shell", "-c", "from wagtail.models import Page; "
                       "print(Page.objects.get(slug='rapat-pleno').pk)").split()[-1]
            )  # fmt: skip
            _, form = admin_a.request(f"/admin/pages/{page_id}/unpublish/")
            data = urllib.parse.urlencode({"csrfmiddlewaretoken": admin_a.csrf(form)}).encode()
            status, _ = admin_a.request(f"/admin/pages/{page_id}/unpublish/", data)
            assert status == 302
            status, headers, _ = get(b + "/berita/rapat-pleno/")
            assert (status, headers["X-Cache"]) == (404, "MISS")
            status, headers, listing = get(b + "/berita/")
            assert headers["X-Cache"] == "MISS"
            assert "Hasil rapat pleno" not in listing


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
