"""Indexes for the sitemap, the search's year filter and the Regulasi listing at scale
(docs/performance.md), in plain SQL for PostgreSQL and SQLite alike (two are on Wagtail's page
table, not a model of this app):
- ``kpu_page_live_path``: the paths of live pages, with their depth and id. The sitemap counts its
  pages and finds the first page of a deep file by an index-only scan of it, instead of reading
  whole rows (``kpu_pages.sitemaps``); a listing finds its live children's ids in it.
- ``kpu_page_last_published``: the sitemap's last-modified date is the newest entry of it.
- a kind's date with the page id (Berita, Pengumuman, Regulasi): the ids of a year's items for the
  search's year filter come from the index alone (``kpu_pages.search.year_filter``); Regulasi's
  also holds ``tahun``, the rest of the listing's order (``IdsFirstPaginator``).
"""

from django.db import migrations

INDEXES = [
    (
        "kpu_page_live_path",
        "CREATE INDEX IF NOT EXISTS kpu_page_live_path ON wagtailcore_page (path, depth, id) WHERE live",
    ),
    (
        "kpu_page_last_published",
        "CREATE INDEX IF NOT EXISTS kpu_page_last_published ON wagtailcore_page (last_published_at)",
    ),
    (
        "kpu_berita_tanggal_id",
        "CREATE INDEX IF NOT EXISTS kpu_berita_tanggal_id ON kpu_pages_beritapage (tanggal, page_ptr_id)",
    ),
    (
        "kpu_pengumuman_tanggal_id",
        "CREATE INDEX IF NOT EXISTS kpu_pengumuman_tanggal_id "
        "ON kpu_pages_pengumumanpage (tanggal, page_ptr_id)",
    ),
    (
        "kpu_regulasi_tanggal_tahun_id",
        "CREATE INDEX IF NOT EXISTS kpu_regulasi_tanggal_tahun_id "
        "ON kpu_pages_regulasipage (tanggal_penetapan, tahun, page_ptr_id)",
    ),
]


def create_indexes(apps, schema_editor):
    for _name, sql in INDEXES:
        schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    for name, _sql in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("wagtailcore", "0001_initial"),
        ("kpu_pages", "0011_load_pemilu"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
