"""The search limit of the shipped nginx configuration (docs/deployment.md, step 7), on real nginx.

nginx runs the block as written (tests/nginx_site.py) in front of a small recording backend that
stands in for gunicorn. One client address gets 11 searches at once (1 + burst 10), then nginx
itself answers the Indonesian 429 page with Retry-After, and the backend never sees those
requests; the home page and other addresses are not limited; a made-up X-Forwarded-For neither
escapes the limit nor reaches the application as the client's address.
"""

from __future__ import annotations

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.nginx_site import nginx_site
from tests.servers import free_port

pytestmark = pytest.mark.integration

BURST = 11  # the first request, then burst=10 with nodelay


@contextlib.contextmanager
def recording_backend():
    """An HTTP server on 127.0.0.1 that answers 200 and records (path, X-Forwarded-For)."""
    seen: list[tuple[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 - the name http.server calls
            seen.append((self.path, self.headers.get("X-Forwarded-For", "")))
            body = b"<p>hasil dari aplikasi</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_one_address_over_the_search_limit_gets_the_indonesian_429_page_from_nginx(tmp_path):
    with recording_backend() as (backend_port, seen), nginx_site(tmp_path, backend_port) as site:
        flooder = site.connection("127.0.0.2")
        started = time.monotonic()
        statuses = [flooder.get(f"/cari/?q=%22k{n}%22")[0] for n in range(BURST + 4)]
        took = time.monotonic() - started
        assert took < 2, f"{took:.1f} s: nginx lets one more search through every 2 s"
        assert statuses == [200] * BURST + [429] * 4
        status, headers, body = flooder.get("/cari/?q=pemilu")
        assert status == 429
        assert "Terlalu banyak pencarian" in body and "silakan cari lagi dalam beberapa detik" in body
        assert '<html lang="id">' in body and '<a href="/">Kembali ke beranda</a>' in body
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert headers["Retry-After"] == "10"
        assert headers["Cache-Control"] == "no-store"
        searches = [path for path, _ in seen if path.startswith("/cari/")]
        assert len(searches) == BURST, "a refused search reached the application"

        # a made-up X-Forwarded-For does not make the same client someone else
        assert flooder.get("/cari/?q=pemilu", {"X-Forwarded-For": "198.51.100.9"})[0] == 429
        # the same client still reads every other page
        assert flooder.get("/")[0] == 200
        assert flooder.get("/berita/")[0] == 200

        # another reader searches as usual; what the application is told is the address nginx saw,
        # appended after anything the client wrote (the entry FORWARDED_FOR_PROXIES=1 counts)
        reader = site.connection("127.0.0.3")
        assert reader.get("/cari/?q=pemilu")[0] == 200
        assert reader.get("/cari/?q=kampanye", {"X-Forwarded-For": "198.51.100.9"})[0] == 200
        assert seen[-2:] == [
            ("/cari/?q=pemilu", "127.0.0.3"),
            ("/cari/?q=kampanye", "198.51.100.9, 127.0.0.3"),
        ]
        flooder.close()
        reader.close()
        assert "limiting requests" in site.error_log.read_text()  # nginx logs what it refused
