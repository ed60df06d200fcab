"""The JDIHN JSON feed of the Regulasi index (``/regulasi/jdihn.json``, ``kpu_pages.jdihn``): its
items and their URLs, the streamed whole list, paging on request, queries."""

import datetime as dt
import json

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

from kpu_pages import jdihn
from kpu_pages.jdihn import JDIHN_FIELDS
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(home_page):
    return factories.RegulasiIndexPageFactory(parent=home_page)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response


def test_jdihn_feed_validates_and_lists_only_live_public_regulations(client, index):
    live = factories.RegulasiPageFactory(
        parent=index,
        title="Peraturan KPU Nomor 7 Tahun 2022 tentang Daftar Pemilih",
        jenis="pkpu",
        nomor="7",
        tahun=2022,
        tanggal_penetapan=dt.date(2022, 10, 11),
        tanggal_pengundangan=dt.date(2022, 10, 13),
        sumber="BN 2022 (1044)",
    )
    draft = factories.RegulasiPageFactory(parent=index, title="Rancangan keputusan")
    draft.unpublish()
    private = factories.RegulasiPageFactory(parent=index, title="Keputusan internal")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/regulasi/jdihn.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content.decode("utf-8"))
    assert isinstance(data, list)
    assert [item["judul"] for item in data] == [live.title]
    for item in data:
        assert list(item) == list(JDIHN_FIELDS)
        assert all(isinstance(value, str) for value in item.values())
        dt.date.fromisoformat(item["tanggal_penetapan"])
    item = data[0]
    assert item["idData"] == str(live.pk)
    assert item["tanggal_penetapan"] == "2022-10-11"
    assert item["tanggal_pengundangan"] == "2022-10-13"
    # What the national harvest expects of every item (JDIHN's harvest fields).
    assert (item["operasi"], item["display"]) == ("4", "1")
    for field in ("noPanggil", "penerbit", "deskripsiFisik", "isbn", "nomorIndukBuku"):
        assert item[field] == "-"
    assert item["tahun_pengundangan"] == "2022"
    assert item["jenis"] == "Peraturan KPU" and item["singkatanJenis"] == "PKPU"
    assert item["noPeraturan"] == "7" and item["sumber"] == "BN 2022 (1044)"
    assert item["status"] == "Berlaku"
    assert item["fileDownload"].endswith(".pdf")
    assert item["urlDownload"].startswith("http") and item["urlDownload"].endswith(item["fileDownload"])
    assert item["urlDetailPeraturan"] == live.full_url


def test_jdihn_feed_urls_are_the_ones_wagtail_gives_the_page_and_its_document(client, index):
    from django.core.files.uploadedfile import SimpleUploadedFile

    odd_name = SimpleUploadedFile("Salinan PKPU 7 (final) #2 revisi & ú.pdf", b"%PDF-1.4\n%EOF\n")
    with_document = factories.RegulasiPageFactory(parent=index, dokumen__file=odd_name)
    without = factories.RegulasiPageFactory(parent=index, slug="tanpa-berkas")
    # A regulation whose PDF is gone (a live page's file can no longer be deleted from the library,
    # sop_workflow.media, but rows from before that rule, or a database restore, may lack one).
    type(without).objects.filter(pk=without.pk).update(dokumen=None)
    feed = {item["idData"]: item for item in json.loads(client.get("/regulasi/jdihn.json").content)}
    document = with_document.dokumen
    item = feed[str(with_document.pk)]
    assert item["urlDownload"] == "http://localhost" + document.url
    assert client.get(document.url).status_code == 200  # the link serves the file
    assert item["fileDownload"] == document.filename
    assert item["urlDetailPeraturan"] == with_document.full_url
    assert client.get(item["urlDetailPeraturan"].removeprefix("http://localhost")).status_code == 200
    assert feed[str(without.pk)]["urlDownload"] == feed[str(without.pk)]["fileDownload"] == ""
    assert feed[str(without.pk)]["urlDetailPeraturan"] == without.full_url


def test_a_long_jdihn_feed_is_streamed_in_batches_with_the_same_items(client, index, monkeypatch, settings):
    for year in range(2015, 2022):
        factories.RegulasiPageFactory(parent=index, tahun=year, tanggal_penetapan=dt.date(year, 3, 1))
    short = client.get("/regulasi/jdihn.json")
    assert not short.streaming  # up to one page of items: one ordinary (cacheable) answer
    expected = json.loads(short.content)

    monkeypatch.setattr(jdihn, "JDIHN_PAGE_SIZE", 3)
    settings.PAGE_CACHE_SECONDS = 300
    response = client.get("/regulasi/jdihn.json")
    assert response.streaming
    assert response["Content-Type"] == "application/json; charset=utf-8"
    chunks = [chunk.decode() for chunk in response.streaming_content]
    assert len(chunks) == 1 + 3 + 1  # "[", batches of 3, 3 and 1 items, "]"
    assert json.loads("".join(chunks)) == expected  # the same list, newest first
    assert [item["tahun_pengundangan"] for item in expected] == [str(y) for y in range(2021, 2014, -1)]
    assert client.get("/regulasi/jdihn.json")["X-Cache"] == "MISS"  # never kept by the page cache


@pytest.mark.django_db(transaction=True)  # autocommit, as in production
@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")  # a cursor closed too late
def test_a_harvester_that_stops_reading_leaves_no_cursor_open(client, index, monkeypatch):
    """The stream reads its rows through a server-side cursor on PostgreSQL; a harvester hanging up
    mid-feed must not leave it open on the worker's connection (with its rows kept aside)."""
    from django.db import connection

    def open_cursors() -> list[bool]:
        """Whether each open cursor of the stream is WITH HOLD (its whole result written aside first)."""
        if connection.vendor != "postgresql":
            return []
        with connection.cursor() as cursor:
            cursor.execute("SELECT is_holdable FROM pg_cursors WHERE name LIKE '_django_curs_%%'")
            return [row[0] for row in cursor.fetchall()]

    for year in range(2015, 2022):
        factories.RegulasiPageFactory(parent=index, tahun=year, tanggal_penetapan=dt.date(year, 3, 1))
    monkeypatch.setattr(jdihn, "JDIHN_PAGE_SIZE", 3)
    response = client.get("/regulasi/jdihn.json")
    chunks = iter(response.streaming_content)
    assert next(chunks) == b"["
    first_batch = next(chunks)
    assert [item["tahun_pengundangan"] for item in json.loads(b"[" + first_batch + b"]")] == [
        "2021",
        "2020",
        "2019",
    ]
    if connection.vendor == "postgresql":
        # streaming: the rows come through one server-side cursor, inside a transaction, so
        # PostgreSQL hands them out as they are read instead of writing the whole result aside first
        assert open_cursors() == [False]
    assert connection.in_atomic_block
    response.close()  # what the WSGI server does when the client goes away
    assert open_cursors() == []
    assert not connection.in_atomic_block  # the worker's connection is back in autocommit


def test_jdihn_feed_queries_do_not_grow_with_items(client, index):
    for _ in range(2):
        factories.RegulasiPageFactory(parent=index)
    few, _ = count_queries(client, "/regulasi/jdihn.json")
    for _ in range(8):
        factories.RegulasiPageFactory(parent=index)
    many, response = count_queries(client, "/regulasi/jdihn.json")
    assert len(json.loads(response.content)) == 10
    assert many <= few


def test_json_route_is_404_for_pages_without_it(client, index):
    assert client.get("/regulasi/lain.json").status_code == 404
    assert client.get("/tidak-ada/jdihn.json").status_code == 404


def test_jdihn_feed_pages_on_request_with_next_link_and_indonesian_404_beyond_the_last(
    client, index, monkeypatch
):
    monkeypatch.setattr(jdihn, "JDIHN_PAGE_SIZE", 2)
    for year in (2020, 2021, 2022):
        factories.RegulasiPageFactory(parent=index, tahun=year, tanggal_penetapan=dt.date(year, 5, 1))
    whole = client.get("/regulasi/jdihn.json")
    everything = json.loads(b"".join(whole.streaming_content))  # longer than a page: streamed
    assert len(everything) == 3  # without ?halaman= the harvest gets the whole list, as before

    first = client.get("/regulasi/jdihn.json?halaman=1")
    second = client.get("/regulasi/jdihn.json?halaman=2")
    assert first["X-Total-Count"] == second["X-Total-Count"] == "3"
    assert first["Link"] == '<http://testserver/regulasi/jdihn.json?halaman=2>; rel="next"'
    assert "Link" not in second
    paged = json.loads(first.content) + json.loads(second.content)
    assert paged == everything
    assert all(list(item) == list(JDIHN_FIELDS) for item in paged)

    for bad in ("3", "0", "abc"):
        response = client.get(f"/regulasi/jdihn.json?halaman={bad}")
        assert response.status_code == 404, bad
        assert response["Content-Type"] == "application/json; charset=utf-8"
        message = json.loads(response.content)["galat"]
        assert message == f"Halaman {bad} tidak ada: umpan JDIHN ini memiliki 2 halaman."


@pytest.mark.django_db(transaction=True)  # autocommit, as in production
def test_the_streamed_feed_plans_its_query_for_cached_data_only_inside_its_own_transaction(
    client, index, monkeypatch
):
    """On PostgreSQL the whole feed's query is planned with a low ``random_page_cost`` so the first
    items come straight from the index in the feed's order; the setting ends with the stream."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")

    def random_page_cost() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('random_page_cost')")
            return cursor.fetchone()[0]

    default = random_page_cost()
    for year in range(2015, 2022):
        factories.RegulasiPageFactory(parent=index, tahun=year, tanggal_penetapan=dt.date(year, 3, 1))
    monkeypatch.setattr(jdihn, "JDIHN_PAGE_SIZE", 3)
    response = client.get("/regulasi/jdihn.json")
    chunks = iter(response.streaming_content)
    assert next(chunks) == b"["
    next(chunks)
    assert random_page_cost() == jdihn.STREAM_RANDOM_PAGE_COST
    assert b"".join(chunks).endswith(b"]")
    response.close()
    assert random_page_cost() == default  # SET LOCAL: gone with the stream's transaction
