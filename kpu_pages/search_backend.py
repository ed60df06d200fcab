"""The site's search backend: Wagtail's database backend, with pages joined to their index entries
on the page's own content type.

Wagtail joins a ``Page`` queryset to the index on every page type at once, so PostgreSQL searches
the entries' index once per page type for each page it checks; joining on the page's own type finds
the same rows in one lookup. Only searches over ``Page`` itself use it; other databases (SQLite in
development) use Wagtail's backend unchanged.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F

from modelsearch.abstract_models import TextIDGenericRelation
from modelsearch.backends import database
from modelsearch.backends.database.postgres.postgres import (
    PostgresAutocompleteQueryCompiler,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)

RELATION = "same_type_index_entries"

#: How Wagtail's join casts a page's id to meet ``IndexEntry.object_id`` (modelsearch's
#: ``TextIDGenericRelation``, not a public API). Migration ``0014_search_year_word`` indexes this very
#: expression (``kpu_page_id_text``), so that the matches the full-text index finds (a year's, with
#: its word) meet their pages through it instead of every page being read. If Wagtail casts
#: otherwise the index goes unused (searches slower, never wrong);
#: ``tests/kpu_pages/test_search_year.py`` fails then.
PAGE_ID_AS_OBJECT_ID = '("wagtailcore_page"."id")::varchar(50)'


class SameTypeIndexEntries(TextIDGenericRelation):
    """A page's search index entries, joined on ``entry.content_type_id = page.content_type_id``.

    The same rows as Wagtail's ``index_entries``: ``Page.get_indexed_objects`` indexes each page once,
    under its own, specific content type. A specific model (``BeritaPage.objects.search``) has one
    content type and keeps Wagtail's join.
    """

    def get_content_type_lookup(self, alias, remote_alias):
        entry_type = self.remote_field.model._meta.get_field(self.content_type_field_name)
        page_type = self.model._meta.get_field("content_type")
        return entry_type.get_lookup("exact")(entry_type.get_col(remote_alias), page_type.get_col(alias))

    def bulk_related_objects(self, objs, using=None):
        # Deleting a page deletes its entries through Wagtail's own ``index_entries``; a second
        # relation to the same rows must not collect them again.
        return []


def add_page_relation() -> None:
    """Give ``Page`` the ``same_type_index_entries`` relation (from ``KpuPagesConfig.ready``)."""
    from wagtail.models import Page
    from wagtail.search.models import IndexEntry

    if not any(field.name == RELATION for field in Page._meta.private_fields):
        SameTypeIndexEntries(IndexEntry).contribute_to_class(Page, RELATION)


def _same_type(expression):
    """``F("index_entries__title")`` -> ``F("same_type_index_entries__title")``; anything else as is."""
    if isinstance(expression, F) and expression.name.startswith("index_entries__"):
        return F(RELATION + expression.name.removeprefix("index_entries"))
    return expression


class SameTypeJoinMixin:
    """Wagtail's vectors for a search over ``Page``, read through ``same_type_index_entries``."""

    def get_index_vectors(self, search_query):
        from wagtail.models import Page

        vectors = super().get_index_vectors(search_query)
        if self.queryset.model is not Page:
            return vectors
        return [(_same_type(vector), _same_type(weight)) for vector, weight in vectors]


class PageSearchCompiler(SameTypeJoinMixin, PostgresSearchQueryCompiler):
    pass


class PageAutocompleteCompiler(SameTypeJoinMixin, PostgresAutocompleteQueryCompiler):
    pass


class PagePostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = PageSearchCompiler
    autocomplete_query_compiler_class = PageAutocompleteCompiler


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks for in a backend module
    if connection.vendor == "postgresql":
        return PagePostgresSearchBackend(params)
    return database.SearchBackend(params)
