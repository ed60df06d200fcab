"""Prepare the S3 bucket for media: create it if missing, leave nothing in it anonymously readable.

Idempotent; run once when the bucket is set up, after changing buckets, and once after upgrading
from a release whose policy made ``images/`` public (that statement is removed, others are kept).
Every file reaches the public through the site's checks and then a signed URL (kpu_site/storage.py).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the media bucket if missing and remove any anonymous read from its policy."

    def handle(self, *args, **options):
        if not settings.S3_BUCKET:
            raise CommandError("S3_BUCKET tidak diatur: media disimpan di MEDIA_ROOT, tidak ada bucket.")
        from botocore.exceptions import ClientError

        from django.core.files.storage import default_storage

        from kpu_site.storage import without_anonymous_read

        client = default_storage.connection.meta.client
        bucket = settings.S3_BUCKET
        existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
        if bucket not in existing:
            kwargs = {}
            if settings.S3_REGION and settings.S3_REGION != "us-east-1":
                kwargs["CreateBucketConfiguration"] = {"LocationConstraint": settings.S3_REGION}
            client.create_bucket(Bucket=bucket, **kwargs)
            self.stdout.write(f"Bucket {bucket} dibuat.")
        try:
            policy = client.get_bucket_policy(Bucket=bucket)["Policy"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "NoSuchBucketPolicy":
                raise
            policy = None
        kept = without_anonymous_read(policy)
        if policy and kept is None:
            client.delete_bucket_policy(Bucket=bucket)
        elif policy and kept != policy:
            client.put_bucket_policy(Bucket=bucket, Policy=kept)
        self.stdout.write(
            f"Bucket {bucket} siap: tidak ada berkas yang dapat dibaca tanpa tanda tangan; gambar dan "
            "dokumen sampai ke publik hanya lewat pemeriksaan situs."
        )
