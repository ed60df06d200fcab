"""Helpers for tests that start real servers on 127.0.0.1 and stop them afterwards."""

from __future__ import annotations

import contextlib
import os
import random
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv").exists() else "python"


def free_port() -> int:
    """A free TCP port below the ephemeral range (which holds TIME_WAIT sockets)."""
    for _ in range(200):
        port = random.randint(20000, 32000)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port found")


def wait_for_http(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise RuntimeError(f"server exited with {proc.returncode} before answering:\n{output[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                response.read()
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError as exc:
            last_error = exc
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout}s: {last_error}")


@contextlib.contextmanager
def running(
    cmd: list[str], env: dict[str, str] | None = None, cwd: Path = REPO, log: Path | None = None
) -> Iterator[subprocess.Popen]:
    """Run a server process in its own process group; kill the whole group on exit.

    Its output goes to a pipe that nobody drains, unless ``log`` names a file: a server that writes
    much (access logs under load, tracebacks) would block once the pipe is full, so give it a file.
    """
    output = open(log, "wb") if log else subprocess.PIPE  # noqa: SIM115 - closed below
    proc = subprocess.Popen(  # noqa: S603
        cmd,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        if log:
            output.close()


def fetch(url: str, headers: dict[str, str] | None = None, timeout: float = 10.0):
    """GET a URL; returns (status, headers, body bytes) without raising on HTTP errors."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def wait_for_port(port: int, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    """Wait until something accepts TCP connections on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise RuntimeError(f"server exited with {proc.returncode} before listening:\n{output[-4000:]}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout}s")


@contextlib.contextmanager
def redis_server(port: int | None = None) -> Iterator[tuple[subprocess.Popen, int]]:
    """A throwaway redis-server on 127.0.0.1 that keeps nothing on disk."""
    port = port or free_port()
    cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    with running(cmd) as proc:
        wait_for_port(port, proc=proc)
        yield proc, port


@contextlib.contextmanager
def moto_s3_server() -> Iterator[str]:
    """moto's standalone S3-API server on 127.0.0.1; yields its endpoint URL."""
    port = free_port()
    with running([PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]) as proc:
        endpoint = f"http://127.0.0.1:{port}"
        wait_for_http(endpoint + "/moto-api/", timeout=60, proc=proc)
        yield endpoint


def postgres_bin(name: str) -> str:
    """A PostgreSQL server program (initdb, pg_ctl) from Debian's versioned directory."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[4]))
    if not found:
        raise FileNotFoundError(f"{name} not found under /usr/lib/postgresql/*/bin")
    return str(found[-1])


class PostgresCluster:
    """A throwaway PostgreSQL cluster run as the postgres user, with its own data directory and port."""

    def __init__(self, data: Path, port: int):
        self.data, self.port = data, port
        self.log = data.parent / "postgres.log"
        self.url = f"postgres://postgres@127.0.0.1:{port}"

    def pg_ctl(self, *args: str, timeout: float = 60) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c fsync=off"
        subprocess.run(  # noqa: S603
            ["runuser", "-u", "postgres", "--", postgres_bin("pg_ctl"), "-D", str(self.data),
             "-l", str(self.log), "-o", options, "-w", "-t", str(int(timeout)), *args],
            check=True, capture_output=True, timeout=timeout + 10,
        )  # fmt: skip

    def accepts_connections(self) -> bool:
        result = subprocess.run(  # noqa: S603
            ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port)], check=False, timeout=10
        )
        return result.returncode == 0

    def psql(self, sql: str, database: str = "postgres") -> None:
        subprocess.run(  # noqa: S603
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
             "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresCluster]:
    """initdb + pg_ctl start on a free port in a temporary directory owned by postgres; removed after."""
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="kpu-pg-"))
    shutil.chown(root, "postgres", "postgres")
    data = root / "data"
    cluster = PostgresCluster(data, free_port())
    subprocess.run(  # noqa: S603
        ["runuser", "-u", "postgres", "--", postgres_bin("initdb"), "-D", str(data), "-A", "trust",
         "-U", "postgres", "-E", "UTF8", "--no-sync"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    try:
        cluster.pg_ctl("start")
        yield cluster
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            cluster.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(root, ignore_errors=True)


# --- The admin over plain HTTP ------------------------------------------------------------------
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class AdminHTTPSession:
    """A browser-like session against a running server's admin: cookies kept, redirects not followed.

    Cookies are sent by hand: production settings mark the session and CSRF cookies ``Secure``,
    which a cookie jar would not send to a test server on plain http://127.0.0.1.
    """

    def __init__(self, base_url: str):
        self.base = base_url.rstrip("/")
        self.cookies: dict[str, str] = {}

    def request(self, path: str, data: bytes | None = None, content_type: str | None = None):
        """GET (or POST when data is given) ``path``; returns (status, body text)."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=data, headers=headers)  # noqa: S310
        try:
            response = urllib.request.build_opener(_NoRedirect).open(request, timeout=30)
        except urllib.error.HTTPError as exc:
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.code, response.read().decode()

    @staticmethod
    def csrf(html: str) -> str:
        # A form's hidden field, or the admin's config (the dashboard has no form of its own).
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html) or re.search(
            r'"CSRF_TOKEN": "([^"]+)"', html
        )
        return match.group(1)

    def post_form(self, path: str, fields: dict[str, str], form_page: str | None = None):
        """POST ``fields`` to ``path`` with the CSRF token of the form shown at ``form_page`` (or path)."""
        _, html = self.request(form_page or path)
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf(html)}).encode()
        return self.request(path, data, "application/x-www-form-urlencoded")


def admin_http_login(
    base_url: str, username: str, password: str, totp_key: str | None = None
) -> AdminHTTPSession:
    """Log in through ``/admin/login/`` as a person would (with its CSRF token), then pass the second
    factor with the code an authenticator app holding ``totp_key`` (hex) shows; returns the session.

    The user's TOTP device must hold that key (default ``tests.otp.TEST_TOTP_KEY``)."""
    from tests.otp import TEST_TOTP_KEY, totp_code

    session = AdminHTTPSession(base_url)
    status, _ = session.post_form("/admin/login/", {"username": username, "password": password})
    assert status == 302 and "sessionid" in session.cookies, f"admin login as {username} failed ({status})"
    status, _ = session.post_form("/admin/2fa/verifikasi/", {"code": totp_code(totp_key or TEST_TOTP_KEY)})
    assert status == 302, f"the 2FA step as {username} failed ({status})"
    return session
