"""The site search's year as a word of the index (``kpu_pages.models.base.site_search_fields``).

Every page's search index entry now ends with ``kpuyear<year>``, the year the search dates the page
in; a search with a year ANDs that word with the reader's words, so the full-text index finds the
year's matches itself. This migration:

- appends the word to the entries already in the index, exactly as Wagtail writes it on the next
  save (the body's last word, weight D, in the search configuration; on SQLite the body's text).
  An entry that already ends with it is left alone, so running it again changes nothing.
  ``manage.py update_index`` writes the same entries from the pages (docs/performance.md);
- on PostgreSQL, indexes the page id as Wagtail's join to the index casts it
  (``object_id = (wagtailcore_page.id)::varchar(50)``): the matches the full-text index finds are
  then met with their pages by that index, instead of every page being read.

The dates are frozen as they are at this migration: a kind's own date (Asia/Jakarta for a date and
time), otherwise the first publication. Reversing drops the index and leaves the words (harmless).
"""

import datetime as dt

from django.conf import settings
from django.db import migrations
from django.utils import timezone

WORD_PREFIX = "kpuyear"

#: each kind's date at this migration; pages of other models are dated by first publication
DATE_FIELDS = {
    "beritapage": "tanggal",
    "liputankegiatanpage": "tanggal",
    "artikelpage": "tanggal",
    "pengumumanpage": "tanggal",
    "regulasipage": "tanggal_penetapan",
    "datapage": "as_of",
    "dokumentasipage": "tanggal_kegiatan",
}

#: the page id as ``object_id = ("wagtailcore_page"."id")::varchar(50)`` reads it
PAGE_ID_TEXT_INDEX = "kpu_page_id_text"
PAGE_ID_TEXT_SQL = (
    f"CREATE INDEX IF NOT EXISTS {PAGE_ID_TEXT_INDEX} ON wagtailcore_page (((id)::varchar(50)))"
)

BATCH = 5000


def year_of(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value, timezone.get_default_timezone())
    return value.year


def page_words(apps) -> list[tuple[int, str, str]]:
    """(content type id, object id, word) of every page of this app that has a date."""
    Page = apps.get_model("wagtailcore", "Page")
    pages = Page.objects.filter(content_type__app_label="kpu_pages")
    types = dict(pages.values_list("id", "content_type_id"))
    dates = dict(pages.values_list("id", "first_published_at"))
    for model_name, field in DATE_FIELDS.items():
        model = apps.get_model("kpu_pages", model_name)
        dates.update(model.objects.values_list("page_ptr_id", field))
    words = []
    for page_id, value in dates.items():
        year = year_of(value)
        if year is not None:
            words.append((types[page_id], str(page_id), f"{WORD_PREFIX}{year}"))
    return words


def append_words(apps, schema_editor):
    connection = schema_editor.connection
    table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    words = page_words(apps)
    if connection.vendor == "postgresql":
        schema_editor.execute(PAGE_ID_TEXT_SQL)
        config = settings.WAGTAILSEARCH_BACKENDS.get("default", {}).get("SEARCH_CONFIG")
        sql = f"""
            UPDATE {table} e
            SET body = e.body || setweight(
                    to_tsvector(coalesce(%s::regconfig, get_current_ts_config()), w.word), 'D'),
                body_text = CASE WHEN e.body_text = '' THEN w.word ELSE e.body_text || ' ' || w.word END
            FROM unnest(%s::int[], %s::text[], %s::text[]) AS w(content_type_id, object_id, word)
            WHERE e.content_type_id = w.content_type_id AND e.object_id = w.object_id
              AND NOT e.body @@ to_tsquery('simple', w.word)
        """  # noqa: S608 - the table name comes from the model
        with connection.cursor() as cursor:
            for start in range(0, len(words), BATCH):
                batch = words[start : start + BATCH]
                cursor.execute(sql, [config, *map(list, zip(*batch, strict=True))])
    else:
        sql = f"""
            UPDATE {table}
            SET body = CASE WHEN body = '' THEN %s ELSE body || ' ' || %s END
            WHERE content_type_id = %s AND object_id = %s AND ' ' || body || ' ' NOT LIKE %s
        """  # noqa: S608 - the table name comes from the model
        with connection.cursor() as cursor:
            cursor.executemany(
                sql, [(word, word, type_id, object_id, f"% {word} %") for type_id, object_id, word in words]
            )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PAGE_ID_TEXT_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
        ("kpu_pages", "0013_dip_upkeep"),
    ]

    operations = [migrations.RunPython(append_words, drop_index)]
