"""Search floods (kpu_pages/search.py, kpu_pages/search_limit.py): one search's cost is bounded and
one client address cannot take every worker.

What a reader sees: a query with too many words or phrases is searched by its first ones, with a
note; a search that PostgreSQL cuts at its statement timeout gets an Indonesian page asking for
fewer words (200, never a 500); an address over its budget gets an Indonesian 429 page with
Retry-After, while other addresses still get results and a forged X-Forwarded-For buys nothing;
while every search slot of the server is taken, a search gets an Indonesian 503 page at once.
"""

import re
import time
from datetime import timedelta

import psycopg2
import pytest
import redis
from freezegun import freeze_time

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kpu_pages import search_limit
from kpu_pages.search import MAX_PHRASES, MAX_WORDS, bound_terms
from kpu_pages.search_limit import SEARCH_PATH, search_slot
from kpu_site.settings.base import client_ip_settings
from tests import factories
from tests.envsettings import base_settings
from tests.servers import free_port, redis_server

SEARCH = "/cari/"
TITLE = "Rapat pleno rekapitulasi suara Kabupaten Wonosobo"
#: 25 quoted two-letter phrases, as in the flood that filled both workers
FLOOD_PHRASES = [a + b for a in "jqvxz" for b in "jqvxz"]
BROAD = "terlalu luas"


@pytest.fixture
def news(home_page):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(parent=index, title=TITLE)
    page.save_revision().publish()
    return page


def titles(response) -> list[str]:
    return re.findall(r'search-result__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def search_input(response) -> str:
    match = re.search(r'<input id="cari-q"[^>]* value="([^"]*)"', response.content.decode())
    return match.group(1).replace("&quot;", '"')


# --- (a) one search is bounded -------------------------------------------------------------------
@pytest.mark.django_db
def test_a_flood_of_phrases_is_searched_by_its_first_three_and_the_reader_is_told(client, news):
    q = " ".join(f'"{phrase}"' for phrase in FLOOD_PHRASES)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(SEARCH, {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        f"Pencarian {BROAD}: hanya {MAX_WORDS} kata pertama (paling banyak {MAX_PHRASES} frasa dalam "
        "tanda kutip) yang dicari" in html
    )
    assert "Gunakan lebih sedikit kata" in html
    assert search_input(response) == '"jj" "jq" "jv"'  # what was searched, in the search box
    assert "Ditemukan 0 hasil" in html
    sql = "\n".join(query["sql"] for query in ctx.captured_queries)
    searched = [phrase for phrase in FLOOD_PHRASES if re.search(rf"\b{phrase}\b", sql)]
    assert searched == FLOOD_PHRASES[:MAX_PHRASES], "the database was asked for more than three phrases"


@pytest.mark.django_db
def test_a_long_list_of_words_is_searched_by_its_first_ten_and_still_finds_the_page(client, news):
    # ten words the page has, then three it lacks: all thirteen together would find nothing
    found = (TITLE.lower().split() * 2)[:MAX_WORDS]
    words = found + ["tahun", "anggaran", "lalu"]
    response = client.get(SEARCH, {"q": " ".join(words)})
    assert response.status_code == 200
    assert titles(response) == [TITLE]
    assert search_input(response) == " ".join(words[:MAX_WORDS])
    assert f"hanya {MAX_WORDS} kata pertama" in response.content.decode()
    # a query within the bounds is searched as typed, with no note
    response = client.get(SEARCH, {"q": '"rapat pleno" wonosobo'})
    assert titles(response) == [TITLE]
    assert BROAD not in response.content.decode()


def test_the_limited_path_is_the_search_page():
    from django.urls import reverse

    assert reverse("search") == SEARCH_PATH


def test_bound_terms_keeps_words_and_phrases_in_order():
    assert bound_terms('rapat "pleno terbuka" suara') == ('rapat "pleno terbuka" suara', False)
    assert bound_terms('"a b" "c" "d" "e" f') == ('"a b" "c" "d" f', True)
    assert bound_terms(" ".join(f"w{n}" for n in range(14))) == (" ".join(f"w{n}" for n in range(10)), True)
    # a phrase cut by the word limit keeps its first words; hyphens count as Wagtail splits them
    assert bound_terms('satu-dua-tiga-empat lima enam tujuh "delapan sembilan sepuluh sebelas"') == (
        'satu-dua-tiga-empat lima enam tujuh "delapan sembilan sepuluh"',
        True,
    )


# --- (b) one client address cannot starve the rest -----------------------------------------------
@pytest.fixture
def limit(settings):
    """Three searches per minute per address, counted from the start of a window (frozen clock)."""
    settings.SEARCH_RATE_LIMIT = 3
    settings.SEARCH_RATE_WINDOW = 60
    cache.clear()
    search_limit._over_limit.clear()  # what this process remembers of earlier tests' counters
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1, seconds=5)
    with freeze_time(start) as frozen:
        yield frozen
    cache.clear()


def search_from(client, address: str, q: str = "rekapitulasi", **headers):
    return client.get(SEARCH, {"q": q}, REMOTE_ADDR=address, **headers)


def assert_limited(response) -> None:
    assert response.status_code == 429
    html = response.content.decode()
    assert "Terlalu banyak pencarian" in html
    assert "silakan cari lagi dalam 55 detik" in html
    assert response["Retry-After"] == "55"
    assert response["Cache-Control"] == "no-store"
    assert '<html lang="id">' in html and "Kembali ke beranda" in html


@pytest.mark.django_db
def test_the_fourth_search_in_a_minute_from_one_address_gets_the_indonesian_429_page(client, news, limit):
    for _ in range(3):
        assert titles(search_from(client, "203.0.113.9")) == [TITLE]
    with CaptureQueriesContext(connection) as ctx:
        refused = search_from(client, "203.0.113.9")
    assert_limited(refused)
    assert not [q for q in ctx.captured_queries if "wagtailsearch" in q["sql"]], "a refused search searched"
    # another address still gets results, and the home page is not limited
    assert titles(search_from(client, "198.51.100.7")) == [TITLE]
    assert client.get("/", REMOTE_ADDR="203.0.113.9").status_code == 200
    # the empty search form is not a search and is not counted
    assert client.get(SEARCH, REMOTE_ADDR="203.0.113.9").status_code == 200
    # when the window ends (Retry-After), the address may search again
    limit.tick(timedelta(seconds=55))
    assert titles(search_from(client, "203.0.113.9")) == [TITLE]


@pytest.mark.django_db
def test_without_a_proxy_a_forged_forwarded_for_header_buys_no_fresh_budget(client, news, limit):
    for n in range(3):
        search_from(client, "203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert_limited(search_from(client, "203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.200"))
    assert_limited(search_from(client, "203.0.113.9"))


@pytest.mark.django_db
def test_behind_nginx_the_address_nginx_appended_is_counted_not_one_the_client_wrote(
    client, news, limit, settings
):
    """FORWARDED_FOR_PROXIES=1: nginx appends the client's address to X-Forwarded-For, so gunicorn
    sees every request from 127.0.0.1 and the header's last entry is the one nobody can forge."""
    for name, value in client_ip_settings(1).items():
        setattr(settings, name, value)
    settings.FORWARDED_FOR_PROXIES = 1

    def through_nginx(client_address: str, sent_header: str = ""):
        header = f"{sent_header}, {client_address}" if sent_header else client_address
        return search_from(client, "127.0.0.1", HTTP_X_FORWARDED_FOR=header)

    for _ in range(3):
        assert titles(through_nginx("203.0.113.9")) == [TITLE]
    assert_limited(through_nginx("203.0.113.9"))
    # made-up addresses in front of the real one: the same budget, still used up
    for forged in ("198.51.100.50", "10.0.0.1, 192.0.2.77", "unknown"):
        assert_limited(through_nginx("203.0.113.9", forged))
    # other readers: one of their own, and one behind a proxy of its own that adds the header too
    assert titles(through_nginx("198.51.100.7")) == [TITLE]
    assert titles(through_nginx("198.51.100.20", "10.1.2.3")) == [TITLE]


@pytest.mark.integration
@pytest.mark.django_db
def test_the_count_is_kept_in_redis_for_every_worker_and_a_dead_redis_blocks_no_search(client, news, limit):
    """Production's cache: the counter is one Redis key per address and window, so a worker that
    never saw this client (here: this process forgetting what it saw) still refuses it; with
    nothing listening on the Redis port, searches go on (the cache fails open)."""

    def redis_cache(port: int) -> dict:
        return {"CACHES": base_settings({"REDIS_URL": f"redis://127.0.0.1:{port}/0"}).CACHES}

    with redis_server() as (_, port), override_settings(**redis_cache(port)):
        for _ in range(3):
            assert titles(search_from(client, "203.0.113.9")) == [TITLE]
        search_limit._over_limit.clear()
        assert_limited(search_from(client, "203.0.113.9"))
        keys = redis.Redis(port=port).keys("kpu:*search-rate:203.0.113.9:*")
        assert len(keys) == 1 and 0 < redis.Redis(port=port).ttl(keys[0]) <= 61
    with override_settings(**redis_cache(free_port())):
        for _ in range(5):  # more than the limit of 3
            assert titles(search_from(client, "198.51.100.7")) == [TITLE]


@pytest.mark.django_db
def test_while_every_search_slot_is_taken_a_search_gets_the_busy_page_and_other_pages_do_not_wait(
    client, news, settings, tmp_path
):
    """SEARCH_CONCURRENCY=1: a search already running in another worker of the same gunicorn (here
    the test holding the slot) makes the next search wait for nothing: an Indonesian 503 page with
    Retry-After at once, from any address, while the home page is served as usual."""
    settings.SEARCH_CONCURRENCY = 1
    settings.SEARCH_SLOT_DIR = tmp_path / "slots"
    assert titles(search_from(client, "203.0.113.9")) == [TITLE]
    with search_slot() as free:
        assert free
        with search_slot() as second:
            assert not second  # the one slot is held: not even this process gets a second
        for address in ("203.0.113.9", "198.51.100.7"):
            busy = search_from(client, address)
            assert busy.status_code == 503
            html = busy.content.decode()
            assert "Pencarian sedang ramai" in html and "silakan cari lagi dalam 3 detik" in html
            assert '<a href="/cari/?q=rekapitulasi">Cari lagi</a>' in html
            assert busy["Retry-After"] == "3" and busy["Cache-Control"] == "no-store"
        assert client.get("/").status_code == 200
        assert client.get(SEARCH).status_code == 200  # the form without a query is not a search
    assert titles(search_from(client, "198.51.100.7")) == [TITLE]  # the slot is free again


# --- (d) PostgreSQL's statement timeout ------------------------------------------------------------
@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_search_cut_by_the_statement_timeout_gets_the_indonesian_page_not_a_500(client, news, settings):
    """Another session holds a lock on the search index, so the search's statement waits past
    SEARCH_STATEMENT_TIMEOUT_MS (the time it counts includes waiting) as a slow one would.

    The lock ends on its own after 10 s (idle_in_transaction_session_timeout): without the timeout
    the search would wait for it and then find the page, and this test fails instead of hanging.
    """
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 300
    assert titles(client.get(SEARCH, {"q": "rekapitulasi"})) == [TITLE]
    db = connection.settings_dict
    locker = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"]
    )
    try:
        with locker.cursor() as cursor:
            cursor.execute("SET idle_in_transaction_session_timeout = '10s'")
            cursor.execute("LOCK TABLE wagtailsearch_indexentry IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        response = client.get(SEARCH, {"q": "rekapitulasi"})
        took = time.monotonic() - started
    finally:
        locker.close()
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Pencarian “rekapitulasi” {BROAD} sehingga tidak dapat diselesaikan saat ini." in html
    assert "gunakan lebih sedikit kata" in html
    assert titles(response) == []
    assert response["Cache-Control"] == "private, no-cache"  # not kept by the page cache or a proxy
    assert 0.3 <= took < 5, f"the search took {took:.1f} s"
    # the connection is usable, and the timeout was the search's alone
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
    time.sleep(0.2)
    assert titles(client.get(SEARCH, {"q": "rekapitulasi"})) == [TITLE]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
@pytest.mark.django_db
def test_the_statement_timeout_is_put_back_after_a_search_inside_a_transaction(client, news, settings):
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 250

    def session_settings():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout'), current_setting('jit')")
            return cursor.fetchone()

    before = session_settings()
    with CaptureQueriesContext(connection) as ctx:
        assert titles(client.get(SEARCH, {"q": "rekapitulasi"})) == [TITLE]
    sql = "\n".join(query["sql"] for query in ctx.captured_queries)
    assert "set_config('statement_timeout', '250', true)" in sql
    assert session_settings() == before
