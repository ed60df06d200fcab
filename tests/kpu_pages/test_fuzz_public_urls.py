"""Property-based fuzzing of every public URL that reads its query string or a path segment: no 5xx, ever.

The rule (``docs/security.md``, "Fuzzing"): a page number (``halaman``) that is not a number or out of
range shows the nearest page; an unknown filter value is dropped; an address that names nothing is
the Indonesian 404 page. Values are arbitrary Unicode (NUL, lone surrogates), invalid UTF-8, huge
numbers and metacharacters; examples are derandomised and bounded so CI is reproducible.
"""

from __future__ import annotations

import json
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.test import Client

from kpu_site.caching.middleware import MAX_URL_LENGTH
from tests import factories

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

METACHARACTERS = [
    "'",
    '"',
    "' OR '1'='1",
    "1; DROP TABLE wagtailcore_page; --",
    "%",
    "_",
    "\\",
    ".*",
    "(?:",
    "[",
    "a{1,99999}",
    "$",
    "^",
    "|",
    "\x00",  # on PostgreSQL psycopg2 raises ValueError: it must be a 404 or a dropped value too
    "\ud800",
    "\udfff",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "NaN",
    "inf",
    "-0",
    "1e309",
    "0x10",
    "٣",  # Arabic-Indic digit three: str.isdigit() is true
    "²",  # superscript two: isdigit() true, int() refuses
]

any_char = st.characters(exclude_categories=())  # every code point, lone surrogates included
texts = st.one_of(
    st.text(any_char, max_size=40),
    st.text(any_char, min_size=200, max_size=5000),
    st.sampled_from(METACHARACTERS),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.integers(min_value=-5, max_value=60).map(str),
    st.just("9" * 5000),
)
raw_bytes = st.binary(max_size=60)  # invalid UTF-8 as a client may send it


def encode(value: str | bytes) -> str:
    data = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
    return quote_from_bytes(data, safe="")


def query_strings(keys: list[str]):
    """Zero or more ``key=value`` pairs: known keys (repeated at will) and random ones."""
    key = st.one_of(st.sampled_from(keys), st.text(any_char, max_size=12))
    value = st.one_of(texts, raw_bytes)
    pairs = st.lists(st.tuples(key, value), max_size=6)
    return pairs.map(lambda items: "&".join(f"{encode(k)}={encode(v)}" for k, v in items))


segments = st.one_of(
    st.text(any_char, min_size=1, max_size=60), raw_bytes.filter(bool), st.sampled_from(METACHARACTERS)
)


@pytest.fixture
def site(home_page):
    """One section of every kind with one published item each (the filters then have rows to filter)."""
    pages = {}
    for name in (
        "BeritaIndexPageFactory",
        "LiputanKegiatanIndexPageFactory",
        "ArtikelIndexPageFactory",
        "PengumumanIndexPageFactory",
        "RegulasiIndexPageFactory",
        "DokumentasiIndexPageFactory",
        "BahanSosialisasiIndexPageFactory",
        "DataIndexPageFactory",
    ):
        index = getattr(factories, name)(parent=home_page)
        pages[index.slug] = index
    factories.BeritaPageFactory(parent=pages["berita"], title="Rapat pleno terbuka", slug="rapat-pleno")
    factories.RegulasiPageFactory(parent=pages["regulasi"])
    data = factories.DataPageFactory(
        parent=pages["data"],
        slug="dpt",
        tables=[factories.data_table("DPT", factories.data_document("Wilayah,Jumlah\nKota Tegal,1\n"))],
    )
    assert Client().get(data.url + "unduh/1.csv").status_code == 200
    return pages


LISTINGS = [
    "/berita/",
    "/liputan-kegiatan/",
    "/artikel/",
    "/pengumuman/",
    "/regulasi/",
    "/dokumentasi/",
    "/bahan-sosialisasi/",
    "/data/",
]
LISTING_KEYS = ["halaman", "jenis", "tahun", "status", "q", "sasaran", "tag", "page", "p"]
FEEDS = ["/berita/rss/", "/pengumuman/rss/", "/regulasi/rss/"]


def assert_sound(response, allowed=(200,)):
    """No server error; a 404 is the Indonesian page; anything else is what the caller allows."""
    status = response.status_code
    assert status < 500, status
    if status == 404 and response["Content-Type"].startswith("application/json"):
        # the JDIHN feed answers its harvester in JSON: {"galat": "Halaman 3 tidak ada: ..."}
        assert "tidak ada" in json.loads(response.content)["galat"], "JSON 404 without an Indonesian message"
    elif status == 404:
        assert "Halaman tidak ditemukan" in response.content.decode(), "404 without the Indonesian page"
    else:
        assert status in allowed, status


@FUZZ
@given(query=query_strings(["q", "jenis", "tahun", "halaman"]))
def test_search_answers_every_query_with_a_results_page(site, query):
    assert_sound(Client().get("/cari/?" + query))


@FUZZ
@given(listing=st.sampled_from(LISTINGS), query=query_strings(LISTING_KEYS))
def test_every_listing_answers_any_page_number_and_filter_with_a_page(site, listing, query):
    assert_sound(Client().get(listing + "?" + query))


@FUZZ
@given(page=texts)
def test_a_bad_page_number_shows_the_nearest_page(site, page):
    response = Client().get("/berita/?halaman=" + encode(page))
    assert response.status_code == 200
    assert "Rapat pleno terbuka" in response.content.decode()  # the only page there is


@FUZZ
@given(
    url=st.sampled_from(
        [*FEEDS, "/sitemap.xml", "/regulasi/jdihn.json", "/data/dpt/unduh/1.csv", "/robots.txt"]
    ),
    query=query_strings(["p", "halaman", "format", "q"]),
)
def test_feeds_sitemap_json_and_csv_ignore_or_refuse_any_query(site, url, query):
    # machine-facing parameters that are not ours (the sitemap's ``p``) may also answer the 404
    assert_sound(Client().get(url + "?" + query))


@FUZZ
@given(
    number=st.one_of(st.integers(min_value=-(10**6), max_value=10**6).map(str), st.just("9" * 5000), segments)
)
def test_data_csv_download_of_any_table_number_is_the_csv_or_404(site, number):
    assert_sound(Client().get(f"/data/dpt/unduh/{encode(number)}.csv"))


@FUZZ
@given(
    index=st.sampled_from(["", *(listing.strip("/") + "/" for listing in LISTINGS), "berita/rapat-pleno/"]),
    segment=segments,
    suffix=st.sampled_from(["/", "", ".json", ".csv", "/rss/", "/unduh/1.csv"]),
)
def test_any_path_under_each_section_is_a_page_a_redirect_or_the_indonesian_404(site, index, segment, suffix):
    assert_sound(Client().get(f"/{index}{encode(segment)}{suffix}"), allowed=(200, 301, 302))


@settings(FUZZ, max_examples=60)
@given(listing=st.sampled_from([*LISTINGS, "/", *FEEDS]), query=query_strings(LISTING_KEYS))
def test_the_page_cache_stores_and_replays_any_query_string_without_error(site, page_cache, listing, query):
    url = listing + "?" + query
    first = Client().get(url)
    assert_sound(first)
    again = Client().get(url)
    assert again.status_code == first.status_code
    if len(first.wsgi_request.get_full_path()) <= MAX_URL_LENGTH:
        assert again.content == first.content
    else:  # too long to be stored: rendered again (a feed's lastBuildDate may then be a second later)
        assert again["X-Cache"] == "MISS"


@pytest.fixture
def superuser_client(home_page):
    from django.contrib.auth import get_user_model

    from tests.conftest import PASSWORD
    from tests.sop_workflow.admin_helpers import login

    return login(get_user_model().objects.create_superuser("fuzz", "fuzz@kpu.test", PASSWORD))


ADMIN_FILTERS = {
    "/admin/sop/arsip/": [
        "created_at_after",
        "created_at_before",
        "kind_key",
        "outside_sop",
        "outcome",
        "p",
        "export",
    ],
    "/admin/sop/arsip/zip/": ["created_at_after", "created_at_before", "kind_key", "outside_sop", "outcome"],
    "/admin/reports/kepatuhan-sop/": ["finished_at_after", "finished_at_before", "kind", "chain", "export"],
}


@settings(FUZZ, max_examples=60)
@given(url=st.sampled_from(list(ADMIN_FILTERS)), data=st.data())
def test_the_archive_and_report_filters_answer_any_value_without_error(superuser_client, url, data):
    """Not public, but the same rule: a filter the admin cannot use is dropped or explained, never a 500."""
    query = data.draw(query_strings(ADMIN_FILTERS[url]))
    response = superuser_client.get(url + "?" + query)
    assert response.status_code in (200, 302), response.status_code
