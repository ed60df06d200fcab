"""The site search's year: a word every page's index entry ends with (kpu_pages.models.base).

A page is found in the year a reader sees on it (its kind's own date in Asia/Jakarta, a page of no
kind by its first publication) and in no other; the year never changes which of a year's matches
come first. Migration 0014 writes the word into an index made before it, as Wagtail would.
"""

import datetime as dt
import html as html_lib
import re

import pytest

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Page, get_page_models
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from kpu_pages import search as search_module
from kpu_pages.models.base import YEAR_WORD_PREFIX, SitePage, year_word
from kpu_pages.search_backend import PAGE_ID_AS_OBJECT_ID
from tests import factories

SEARCH = "/cari/"
JAKARTA = timezone.get_default_timezone()


def published(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def titles(client, **params) -> list[str]:
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    found = re.findall(r'search-result__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())
    return [html_lib.unescape(title) for title in found]


@pytest.fixture
def berita_index(home_page):
    return factories.BeritaIndexPageFactory(parent=home_page)


def berita(index, title, when, lead="Kegiatan KPU Provinsi Jawa Tengah."):
    return published(factories.BeritaPageFactory(parent=index, title=title, tanggal=when, lead=lead))


def test_every_page_type_ends_its_search_fields_with_the_year_word():
    """Last, so the words before it keep their positions; without a boost, so weights stay."""
    site_models = [model for model in get_page_models() if issubclass(model, SitePage)]
    assert len(site_models) > 20
    for model in site_models:
        searchable = model.get_searchable_search_fields()
        assert searchable[-1].field_name == "search_year_word", model
        assert searchable[-1].boost is None, model


@pytest.mark.django_db
def test_an_item_moves_to_the_year_of_its_new_date(client, berita_index):
    item = berita(berita_index, "Debat terbuka calon bupati", dt.datetime(2019, 5, 1, 10, tzinfo=JAKARTA))
    assert titles(client, q="debat", tahun="2019") == [item.title]
    item.tanggal = dt.datetime(2021, 1, 1, 0, 30, tzinfo=JAKARTA)  # 2020 still, in UTC
    published(item)
    assert titles(client, q="debat", tahun="2019") == []
    assert titles(client, q="debat", tahun="2020") == []
    assert titles(client, q="debat", tahun="2021") == [item.title]
    assert titles(client, q="debat") == [item.title]


@pytest.mark.django_db
def test_a_page_of_no_kind_is_in_no_year_until_it_is_published(client, home_page):
    index = factories.PengumumanIndexPageFactory(parent=home_page, live=False)
    this_year = str(timezone.localdate().year)
    assert index.search_year_word() == ""
    assert titles(client, q="pengumuman", tahun=this_year) == []
    published(index)
    assert index.search_year_word() == year_word(timezone.localdate().year)
    assert titles(client, q="pengumuman", tahun=this_year) == ["Pengumuman"]


@pytest.mark.django_db
def test_the_year_word_is_not_a_readers_word(client, berita_index):
    item = berita(berita_index, "Rapat koordinasi logistik", dt.datetime(2024, 3, 1, tzinfo=JAKARTA))
    assert titles(client, q="logistik", tahun="2024") == [item.title]
    assert titles(client, q="2024") == []
    assert titles(client, q="tahun 2024") == []


@pytest.mark.django_db
def test_a_years_matches_are_ranked_as_without_the_year(client, berita_index):
    """The year only narrows: its matches come in the order the words alone give them."""
    in_year, other_year = dt.datetime(2022, 6, 1, tzinfo=JAKARTA), dt.datetime(2023, 6, 1, tzinfo=JAKARTA)
    leads = [
        "Sosialisasi pemilih pemula.",
        "Sosialisasi pemilih pemula dan sosialisasi pemilih disabilitas, sosialisasi lagi.",
        "Rapat pleno terbuka.",
        "Sosialisasi tahapan.",
    ]
    for number, lead in enumerate(leads):
        berita(berita_index, f"Kegiatan {number} tahun ini", in_year, lead=lead)
        berita(berita_index, f"Kegiatan {number} tahun lalu", other_year, lead=lead)
    berita(berita_index, "Sosialisasi pemilih di kecamatan", in_year)
    for words in ("sosialisasi", "sosialisasi pemilih", '"pemilih pemula"'):
        everywhere = titles(client, q=words)
        this_year = [title for title in everywhere if not title.endswith("tahun lalu")]
        assert len(this_year) >= 2
        assert titles(client, q=words, tahun="2022") == this_year


@pytest.mark.django_db
def test_beyond_the_ranked_limit_a_year_pages_newest_first(client, berita_index, monkeypatch):
    """Past the ranked limit a year's matches come by first publication, newest first, page by page."""
    start = timezone.now() - dt.timedelta(days=60)
    first_published = {}
    for number in range(6):
        item = berita(
            berita_index, f"Distribusi logistik gelombang {number}", dt.datetime(2023, 2, 1, tzinfo=JAKARTA)
        )
        first_published[item.title] = start + dt.timedelta(days=(number * 5) % 6)
        Page.objects.filter(pk=item.pk).update(first_published_at=first_published[item.title])
    berita(berita_index, "Distribusi logistik tahun berikutnya", dt.datetime(2024, 2, 1, tzinfo=JAKARTA))
    newest = sorted(first_published, key=first_published.get, reverse=True)
    monkeypatch.setattr(search_module, "RANKED_LIMIT", 4)
    monkeypatch.setattr(search_module, "RESULTS_PER_PAGE", 2)
    response = client.get(SEARCH, {"q": "logistik", "tahun": "2023"})
    assert "Ditemukan lebih dari 4 hasil" in response.content.decode()
    assert titles(client, q="logistik", tahun="2023") == newest[:2]
    assert titles(client, q="logistik", tahun="2023", halaman="2") == newest[2:4]
    assert titles(client, q="logistik", tahun="2023", halaman="3") == newest[2:4]  # the last page shown


@pytest.mark.django_db
def test_a_year_search_reads_its_matches_once(client, berita_index):
    for number in range(3):
        berita(berita_index, f"Bimbingan teknis {number}", dt.datetime(2020, 4, number + 1, tzinfo=JAKARTA))
    client.get(SEARCH, {"q": "bimbingan"})
    client.get(SEARCH, {"q": "bimbingan", "tahun": "2020"})
    with CaptureQueriesContext(connection) as plain:
        client.get(SEARCH, {"q": "bimbingan"})
    client.get(SEARCH, {"q": "bimbingan", "tahun": "2020"})
    with CaptureQueriesContext(connection) as dated:
        assert len(titles(client, q="bimbingan", tahun="2020")) == 3
    assert len(dated.captured_queries) == len(plain.captured_queries)


# --- migration 0014 -----------------------------------------------------------------------------
def entries() -> dict[tuple[int, str], tuple[str, str]]:
    """Every index entry's body as text, with its body_text on PostgreSQL (SQLite keeps none)."""
    columns = "body::text, body_text" if connection.vendor == "postgresql" else "body, ''"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT content_type_id, object_id, {columns} FROM wagtailsearch_indexentry")  # noqa: S608
        return {(row[0], row[1]): (row[2], row[3]) for row in cursor.fetchall()}


def strip_year_words() -> None:
    """The index as it was before the year word: each entry without its last word."""
    with connection.cursor() as cursor:
        for (type_id, object_id), (body, body_text) in entries().items():
            word = re.search(rf"{YEAR_WORD_PREFIX}\d+", body or "")
            if word is None:
                continue
            if connection.vendor == "postgresql":
                cursor.execute(
                    "UPDATE wagtailsearch_indexentry SET body = ts_delete(body, %s), body_text = %s "
                    "WHERE content_type_id = %s AND object_id = %s",
                    [word.group(), body_text.removesuffix(word.group()).rstrip(), type_id, object_id],
                )
            else:  # Wagtail joins the fields' texts with a space, empty ones too
                cursor.execute(
                    "UPDATE wagtailsearch_indexentry SET body = %s "
                    "WHERE content_type_id = %s AND object_id = %s",
                    [body.removesuffix(word.group()).removesuffix(" "), type_id, object_id],
                )


@pytest.mark.django_db(transaction=True)
def test_the_migration_writes_the_year_words_wagtail_writes(client, home_page):
    berita_index = factories.BeritaIndexPageFactory(parent=home_page)
    published(berita_index)
    edge = berita(
        berita_index, "Rapat pleno malam tahun baru", dt.datetime(2019, 1, 1, 0, 15, tzinfo=JAKARTA)
    )
    pengumuman_index = factories.PengumumanIndexPageFactory(parent=home_page)
    published(factories.PengumumanPageFactory(parent=pengumuman_index, tanggal=dt.date(2018, 7, 1)))
    regulasi_index = published(factories.RegulasiIndexPageFactory(parent=home_page))
    published(factories.RegulasiPageFactory(parent=regulasi_index, tanggal_penetapan=dt.date(2017, 3, 3)))
    factories.StandardPageFactory(parent=home_page, title="Konsep tanpa terbit", live=False)
    as_wagtail_writes = entries()
    assert any(year_word(2019) in body for body, _text in as_wagtail_writes.values())

    strip_year_words()
    assert titles(client, q="pleno", tahun="2019") == []
    call_command("migrate", "kpu_pages", "0013", verbosity=0)
    call_command("migrate", "kpu_pages", verbosity=0)
    assert entries() == as_wagtail_writes
    assert titles(client, q="pleno", tahun="2019") == [edge.title]
    call_command("migrate", "kpu_pages", "0013", verbosity=0)  # again: nothing is added twice
    call_command("migrate", "kpu_pages", verbosity=0)
    assert entries() == as_wagtail_writes


# --- the join the migration's index serves -------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL's")
def test_pages_meet_their_index_entries_by_the_indexed_expression(home_page):
    """Wagtail's join casts the page id as migration 0014 indexes it (kpu_pages.search_backend)."""
    with CaptureQueriesContext(connection) as captured:
        list(get_search_backend().search("rapat", Page.objects.live()))
    assert (
        f'"wagtailsearch_indexentry"."object_id" = {PAGE_ID_AS_OBJECT_ID}'
        in captured.captured_queries[-1]["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_indexdef('kpu_page_id_text'::regclass)")
        assert "((id)::character varying(50))" in cursor.fetchone()[0]
    assert IndexEntry._meta.get_field("object_id").max_length == 50
