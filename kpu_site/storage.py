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

When the S3 server cannot be reached, every call that would have to talk to it raises
:class:`MediaStorageUnavailable`, an ``OSError``: Wagtail then draws a missing rendition as a broken
image instead of failing the page, and :class:`StorageUnavailableMiddleware` answers an upload with
a clear Indonesian message instead of a 500 page (both in ``kpu_site/storage_faults.py``, which a
worker loads without boto3: only a server configured for S3 imports this module). Nothing is
half-saved: the file is stored before its row is inserted, so a failed store inserts no row.
Building URLs never calls S3 (signing is local), so published pages whose renditions exist render
with S3 down. Short timeouts keep a dead S3 from holding a worker for minutes.
"""

from __future__ import annotations

import functools
import json

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from kpu_site.storage_faults import UNAVAILABLE_MESSAGE, MediaStorageUnavailable

__all__ = ["UNAVAILABLE_MESSAGE", "MediaStorage", "MediaStorageUnavailable", "public_renditions_policy"]

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


#: S3 answers that mean "the server is not working", as opposed to "no such object"
UNAVAILABLE_STATUSES = {500, 502, 503, 504}


def _unavailable_as_oserror(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except BotoCoreError as exc:
            raise MediaStorageUnavailable(str(exc)) from exc
        except ClientError as exc:
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status in UNAVAILABLE_STATUSES:
                raise MediaStorageUnavailable(str(exc)) from exc
            raise

    return wrapper


class MediaStorage(S3Storage):
    """Plain URLs for renditions, short-lived signed URLs for everything else."""

    def __init__(self, **settings):
        super().__init__(**settings)
        self.client_config = self.client_config.merge(
            Config(connect_timeout=3, read_timeout=20, retries={"mode": "standard", "max_attempts": 2})
        )

    _open = _unavailable_as_oserror(S3Storage._open)
    _save = _unavailable_as_oserror(S3Storage._save)
    exists = _unavailable_as_oserror(S3Storage.exists)
    delete = _unavailable_as_oserror(S3Storage.delete)
    size = _unavailable_as_oserror(S3Storage.size)

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
