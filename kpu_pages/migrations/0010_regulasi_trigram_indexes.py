"""Trigram indexes for the Regulasi listing's free-text filter (``?q=``), PostgreSQL only.

The filter is ``icontains`` (``UPPER(column::text) LIKE UPPER('%word%')``) on the page title and four
Regulasi columns (``kpu_pages.models.regulasi.word_condition``). A B-tree cannot serve a ``LIKE``
with a leading wildcard; a GIN index of trigrams (``pg_trgm``) on the same ``UPPER(...)`` expression
can. ``pg_trgm`` ships with PostgreSQL and is a trusted extension (PostgreSQL 13+): the database's
owner may create it. Where it cannot be created the indexes are skipped with a warning: the filter
still works, by scanning.
"""

import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)

TRIGRAM_INDEXES = [
    ("kpu_page_title_trgm", "wagtailcore_page", "title"),
    ("kpu_regulasi_judul_trgm", "kpu_pages_regulasipage", "judul_lengkap"),
    ("kpu_regulasi_nomor_trgm", "kpu_pages_regulasipage", "nomor"),
    ("kpu_regulasi_subjek_trgm", "kpu_pages_regulasipage", "subjek"),
    ("kpu_regulasi_abstrak_trgm", "kpu_pages_regulasipage", "abstrak"),
]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # noqa: BLE001 - no privilege: the filter scans instead
        logger.warning("pg_trgm is not available (%s): the Regulasi ?q= filter will scan", exc)
        return
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER(({column})::text)) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("wagtailcore", "0001_initial"),
        ("kpu_pages", "0009_scale_indexes"),
    ]

    operations = [migrations.RunPython(create_trigram_indexes, drop_trigram_indexes)]
