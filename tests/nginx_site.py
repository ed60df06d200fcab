"""The TLS nginx server of docs/deployment.md (step 7), run as it is written, on 127.0.0.1.

Used by tests/test_nginx_search_limit.py and bench/search_flood.py: the block is read from the
document, and only what ties it to a real machine changes (ports, the upstream's port, a
throwaway certificate for jateng.kpu.go.id, nginx's own paths), so what is tested is what an
administrator copies.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from tests.servers import REPO, free_port, running, wait_for_port

HOST = "jateng.kpu.go.id"


def shipped_block() -> str:
    """The first ```nginx block under "### 7. nginx" in docs/deployment.md."""
    text = (REPO / "docs" / "deployment.md").read_text()
    section = text[text.index("### 7. nginx") :]
    match = re.search(r"```nginx\n(.*?)```", section, re.S)
    assert match, "no nginx block in step 7 of docs/deployment.md"
    return match.group(1)


def local_config(backend_port: int, http_port: int, https_port: int, certificate: Path, key: Path) -> str:
    site = shipped_block()
    for old, new in (
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{backend_port};"),
        ("listen 80 default_server;", f"listen 127.0.0.1:{http_port} default_server;"),
        ("listen 443 ssl default_server;", f"listen 127.0.0.1:{https_port} ssl default_server;"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        (f"/etc/letsencrypt/live/{HOST}/fullchain.pem", str(certificate)),
        (f"/etc/letsencrypt/live/{HOST}/privkey.pem", str(key)),
    ):
        assert old in site, f"docs/deployment.md step 7 no longer has {old!r}"
        site = site.replace(old, new)
    return site


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for HOST (ECDSA P-256, one day)."""
    certificate, key = directory / "site.crt", directory / "site.key"
    subprocess.run(  # noqa: S603
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",  # noqa: S607
         "-nodes", "-days", "1", "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}",
         "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return certificate, key


@dataclass
class Site:
    https_port: int
    error_log: Path

    def connection(self, source: str = "127.0.0.1", timeout: float = 10.0) -> SiteConnection:
        return SiteConnection(self.https_port, source, timeout)


@contextlib.contextmanager
def nginx_site(directory: Path, backend_port: int) -> Iterator[Site]:
    """nginx with the shipped block, non-root paths under ``directory``; stopped on exit."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise FileNotFoundError("nginx is not installed (apt-get install nginx-light; .ci/run installs it)")
    prefix = directory / "nginx"
    prefix.mkdir(parents=True)
    certificate, key = make_certificate(prefix)
    https_port, http_port = free_port(), free_port()
    (prefix / "kpu.conf").write_text(local_config(backend_port, http_port, https_port, certificate, key))
    temp = " ".join(
        f"{kind}_temp_path {prefix}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root root;" if os.geteuid() == 0 else ""  # workers must reach the test's own directory
    (prefix / "nginx.conf").write_text(
        f"{user}\nworker_processes 1;\npid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log;\nevents {{ worker_connections 1024; }}\n"
        f"http {{\n  access_log off;\n  {temp}\n  include {prefix}/kpu.conf;\n}}\n"
    )
    cmd = [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log"),
           "-g", "daemon off;"]  # fmt: skip
    test = subprocess.run([*cmd, "-t"], capture_output=True, text=True, timeout=30)  # noqa: S603
    assert test.returncode == 0, test.stderr
    with running(cmd) as proc:
        wait_for_port(https_port, proc=proc)
        yield Site(https_port, prefix / "error.log")


class SiteConnection(http.client.HTTPSConnection):
    """HTTPS to the local nginx as a browser reaches jateng.kpu.go.id (SNI and Host), from ``source``,
    one of the loopback addresses (127.0.0.0/8), so that nginx sees distinct client addresses."""

    def __init__(self, port: int, source: str = "127.0.0.1", timeout: float = 10.0):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the throwaway certificate
        super().__init__(HOST, port, timeout=timeout, source_address=(source, 0), context=context)

    def connect(self) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout, self.source_address)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, Message, str]:
        self.request("GET", path, headers=headers or {})
        response = self.getresponse()
        return response.status, response.headers, response.read().decode(errors="replace")
