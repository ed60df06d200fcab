"""Indexes for finding an image or rendition by its file name (sop_workflow.media, /media/ requests)."""

from django.db import migrations

INDEXES = [
    ("sop_image_file_idx", "wagtailimages_image"),
    ("sop_rendition_file_idx", "wagtailimages_rendition"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("sop_workflow", "0007_integrity"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} (file)",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, table in INDEXES
    ]
