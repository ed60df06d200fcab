"""Prepare the S3 bucket for media: create it if missing, make only renditions public.

Idempotent; run once when the bucket is set up and again after changing buckets. The policy lets
anyone read ``images/`` (renditions, shown on public pages) and nothing else: documents and original
images are read only through signed URLs the site hands out after its access checks.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kpu_site.storage import public_renditions_policy


class Command(BaseCommand):
    help = "Create the media bucket if missing and apply its policy (public renditions, private rest)."

    def handle(self, *args, **options):
        if not settings.S3_BUCKET:
            raise CommandError("S3_BUCKET tidak diatur: media disimpan di MEDIA_ROOT, tidak ada bucket.")
        from django.core.files.storage import default_storage

        client = default_storage.connection.meta.client
        bucket = settings.S3_BUCKET
        existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
        if bucket not in existing:
            kwargs = {}
            if settings.S3_REGION and settings.S3_REGION != "us-east-1":
                kwargs["CreateBucketConfiguration"] = {"LocationConstraint": settings.S3_REGION}
            client.create_bucket(Bucket=bucket, **kwargs)
            self.stdout.write(f"Bucket {bucket} dibuat.")
        client.put_bucket_policy(Bucket=bucket, Policy=public_renditions_policy(bucket))
        self.stdout.write(f"Kebijakan bucket {bucket} diterapkan: hanya images/ (rendisi) yang publik.")
