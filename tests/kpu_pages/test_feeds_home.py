import xml.etree.ElementTree as ET

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_berita_rss_lists_newest_live_items_only(client, home_page):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    older = factories.BeritaPageFactory(parent=index, title="Berita lama")
    newer = factories.BeritaPageFactory(parent=index, title="Berita baru")
    newer.tanggal = older.tanggal.replace(year=older.tanggal.year + 1)
    newer.save_revision().publish()
    draft = factories.BeritaPageFactory(parent=index, title="Berita draf")
    draft.unpublish()
    response = client.get("/berita/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("language") == "id"
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["Berita baru", "Berita lama"]
    assert channel.find("item").findtext("link").endswith(newer.url)


def test_unknown_feed_is_404(client, home_page):
    assert client.get("/tidak-ada/rss/").status_code == 404


def test_home_page_shows_latest_news_and_quick_links(client, home_page):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    for n in range(6):
        factories.BeritaPageFactory(parent=index, title=f"Kabar nomor {n}")
    html = client.get("/").content.decode()
    assert "Berita terbaru" in html
    shown = [n for n in range(6) if f"Kabar nomor {n}<" in html]
    assert len(shown) == 4
    assert "Tautan cepat" in html
