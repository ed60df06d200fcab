"""Media in an S3-compatible bucket that is not publicly readable.

What sits in the bucket and who may read it:

- ``images/`` holds renditions, the resized pictures that published pages show. They are public
  the same way ``/media/images/`` is with local files: the bucket policy from
  ``public_renditions_policy`` lets anyone read that prefix and nothing else. Their URLs are plain
  (no signature), so pages cached by a proxy or CDN keep working images and browsers cache them.
- ``documents/`` and ``original_images/`` stay private. Documents reach the public only through
  ``/documents/<id>/<name>``, which first applies the access rules (collection view restrictions,
  the SOP's "only documents of live pages" hook) and then redirects to a signed URL that expires
  after ``S3_SIGNED_URL_SECONDS``. Signed URLs always use the S3 endpoint, never
  ``S3_CUSTOM_DOMAIN`` (a CDN in front of a private bucket cannot check a signature).
"""

from __future__ import annotations

import json

from storages.backends.s3 import S3Storage
from storages.utils import clean_name

PUBLIC_PREFIXES = ("images/",)


def is_public(name: str) -> bool:
    return clean_name(name).lstrip("/").startswith(PUBLIC_PREFIXES)


def public_renditions_policy(bucket: str) -> str:
    """The bucket policy: anonymous read of renditions only. Apply with ``setup_media_bucket``."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicRenditions",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": ["s3:GetObject"],
                    "Resource": [f"arn:aws:s3:::{bucket}/{prefix}*" for prefix in PUBLIC_PREFIXES],
                }
            ],
        }
    )


class MediaStorage(S3Storage):
    """Plain URLs for renditions, short-lived signed URLs for everything else."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        if is_public(name) and self.custom_domain:
            return super().url(name, parameters, expire, http_method)
        key = self._normalize_name(clean_name(name))
        params = {**(parameters or {}), "Bucket": self.bucket.name, "Key": key}
        if is_public(name):
            return self.unsigned_connection.meta.client.generate_presigned_url(
                "get_object", Params=params, HttpMethod=http_method
            )
        return self.connection.meta.client.generate_presigned_url(
            "get_object",
            Params=params,
            ExpiresIn=self.querystring_expire if expire is None else expire,
            HttpMethod=http_method,
        )
