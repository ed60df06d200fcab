"""Video embeds: fetched once, when the author saves the page, through Wagtail's oEmbed finder; readers
are shown the stored embed. A real oEmbed provider on 127.0.0.1."""

import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from wagtail.embeds.finders import get_finders
from wagtail.embeds.models import Embed
from wagtail.test.utils.form_data import streamfield

from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import edit, login

VIDEO_URL = "https://video.kpu.test/watch/sosialisasi-pilkada"


@contextlib.contextmanager
def oembed_provider():
    """An oEmbed endpoint for https://video.kpu.test/watch/<id>; yields (endpoint, requests seen)."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            seen.append(self.path)
            query = parse_qs(urlsplit(self.path).query)
            video = query["url"][0].rsplit("/", 1)[-1]
            body = json.dumps({
                "type": "video",
                "version": "1.0",
                "title": "Sosialisasi Pilkada",
                "provider_name": "Video KPU",
                "width": 640,
                "height": 360,
                "html": f'<iframe src="https://video.kpu.test/embed/{video}"></iframe>',
            }).encode()  # fmt: skip
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/oembed", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def provider(settings):
    with oembed_provider() as (endpoint, seen):
        settings.WAGTAILEMBEDS_FINDERS = [
            {
                "class": "wagtail.embeds.finders.oembed",
                "providers": [{"endpoint": endpoint, "urls": [r"^https://video\.kpu\.test/watch/.+$"]}],
            }
        ]
        get_finders.cache_clear()
        yield seen
    get_finders.cache_clear()


@pytest.mark.django_db
def test_the_author_adds_a_video_once_and_readers_are_shown_it_from_the_database(
    client, home_page, provider, sop_users
):
    page = factories.BeritaPageFactory(
        parent=factories.BeritaIndexPageFactory(parent=home_page),
        title="Sosialisasi Pilkada",
        owner=sop_users[Role.PENGAMPU],
    )
    author = login(sop_users[Role.PENGAMPU])
    body = streamfield([("embed", {"embed": VIDEO_URL, "caption": "Sosialisasi di Semarang"})])
    response = edit(author, page, body=body)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert len(provider) == 1  # the finder asked the provider when the form was saved
    assert Embed.objects.get(url=VIDEO_URL).provider_name == "Video KPU"

    page.refresh_from_db()
    page.get_latest_revision().publish()  # (the SOP chain itself is tested in tests/sop_workflow)
    for _ in range(3):
        html = client.get(page.url).content.decode()
        assert 'src="https://video.kpu.test/embed/sosialisasi-pilkada"' in html
        assert "Sosialisasi di Semarang" in html
    assert len(provider) == 1  # readers were shown the stored embed


@pytest.mark.django_db
def test_a_link_no_provider_knows_is_refused_in_indonesian_and_nothing_saved(home_page, provider, sop_users):
    page = factories.BeritaPageFactory(
        parent=factories.BeritaIndexPageFactory(parent=home_page),
        title="Sosialisasi Pilkada",
        owner=sop_users[Role.PENGAMPU],
    )
    revisions = page.revisions.count()
    author = login(sop_users[Role.PENGAMPU])
    body = streamfield([("embed", {"embed": "https://contoh.test/bukan-video", "caption": ""})])
    response = edit(author, page, body=body, lead="Ringkasan baru")
    assert response.status_code == 200  # the form again, with the message on the field
    assert "Video dari tautan ini tidak dapat disematkan" in response.content.decode()
    assert page.revisions.count() == revisions  # nothing saved; the author's input is in the form
    assert "https://contoh.test/bukan-video" in response.content.decode()
    assert len(provider) == 0
    assert not Embed.objects.exists()
