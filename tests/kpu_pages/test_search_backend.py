"""The site's search backend (kpu_pages/search_backend.py): pages meet their index entries by content type.

On PostgreSQL it must find exactly what Wagtail's own backend finds, in the same order, for the
site search, the admin's page search and autocomplete; deleting or unpublishing a page must still
take it out of results.
"""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modelsearch.backends import database as wagtail_database
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from kpu_pages.search_backend import RELATION, PagePostgresSearchBackend
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the backend differs only on PostgreSQL"),
]

WORDS = ["rapat", "pleno", "rapat pleno", "sosialisasi", "pengumuman", "tidakadaduanya"]


@pytest.fixture
def pages(home_page):
    """Pages of several types, so a Page search spans content types."""
    berita_index = factories.BeritaIndexPageFactory(parent=home_page)
    artikel_index = factories.ArtikelIndexPageFactory(parent=home_page)
    made = [
        factories.BeritaPageFactory(parent=berita_index, title="Rapat pleno rekapitulasi"),
        factories.BeritaPageFactory(parent=berita_index, title="Sosialisasi pemilih pemula"),
        factories.ArtikelPageFactory(parent=artikel_index, title="Catatan rapat pleno terbuka"),
        factories.ArtikelPageFactory(parent=artikel_index, title="Sosialisasi dan rapat warga"),
    ]
    for page in made:
        page.save_revision().publish()
    return made


def wagtails_own():
    backend = get_search_backend()
    return wagtail_database.SearchBackend({"SEARCH_CONFIG": backend.config})


def test_the_site_uses_the_page_aware_backend():
    assert isinstance(get_search_backend(), PagePostgresSearchBackend)


@pytest.mark.parametrize("word", WORDS)
def test_page_search_finds_what_wagtails_backend_finds_in_the_same_order(pages, word):
    ours, theirs = get_search_backend(), wagtails_own()
    for order_by_relevance in (True, False):
        found = [p.pk for p in ours.search(word, Page.objects.live(), order_by_relevance=order_by_relevance)]
        expected = [
            p.pk for p in theirs.search(word, Page.objects.live(), order_by_relevance=order_by_relevance)
        ]
        assert found == expected
    autocomplete = [p.pk for p in ours.autocomplete(word[:4], Page.objects.live())]
    assert autocomplete == [p.pk for p in theirs.autocomplete(word[:4], Page.objects.live())]


def test_the_join_checks_one_content_type_per_page_not_every_page_type(pages):
    with CaptureQueriesContext(connection) as captured:
        list(get_search_backend().search("rapat", Page.objects.live()))
    sql = captured.captured_queries[-1]["sql"]
    assert '"wagtailsearch_indexentry"."content_type_id" = ("wagtailcore_page"."content_type_id")' in sql
    assert '"wagtailsearch_indexentry"."content_type_id" IN' not in sql


def test_deleted_and_unpublished_pages_leave_the_results(pages):
    backend = get_search_backend()
    removed, hidden = pages[0], pages[2]
    assert {p.pk for p in backend.search("pleno", Page.objects.live())} == {removed.pk, hidden.pk}
    entries = IndexEntry.objects.filter(object_id=str(removed.pk), content_type_id=removed.content_type_id)
    assert entries.exists()
    removed.delete()
    assert not entries.exists()
    hidden.refresh_from_db()
    hidden.unpublish()
    assert {p.title for p in backend.search("pleno", Page.objects.live())} == set()
    assert [p.title for p in backend.search("warga", Page.objects.live())] == [pages[3].title]


def test_the_relation_collects_nothing_on_delete(pages):
    """Wagtail's own relation deletes the entries; the second one must not collect them twice."""
    relation = Page._meta.get_field(RELATION)
    assert relation.bulk_related_objects([pages[0]]) == []


def test_admin_page_search_finds_pages_across_types(admin_client, pages):
    response = admin_client.get(reverse("wagtailadmin_pages:search"), {"q": "rapat pleno"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rapat pleno rekapitulasi" in html
    assert "Catatan rapat pleno terbuka" in html
    assert "Sosialisasi pemilih pemula" not in html
