"""Media in an S3-compatible bucket that nobody reads without a signature.

The bucket grants no anonymous read; images are served at the site's ``/media/`` and documents at
``/documents/``, which check access and then redirect to a short-lived ``signed_url()``. When S3
cannot be reached, every call that needs it raises ``MediaStorageUnavailable`` (``storage_faults``),
so an upload fails with a message and published pages still render (docs/deployment.md).
"""

from __future__ import annotations

import functools
import json

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from django.conf import settings as django_settings
from django.utils.encoding import filepath_to_uri

from kpu_site.storage_faults import UNAVAILABLE_MESSAGE, MediaStorageUnavailable

__all__ = ["UNAVAILABLE_MESSAGE", "MediaStorage", "MediaStorageUnavailable", "without_anonymous_read"]

#: folders whose files the site serves itself, at MEDIA_URL + name, after its access checks
SITE_SERVED_PREFIXES = ("images/", "original_images/")


def is_site_served(name: str) -> bool:
    return clean_name(name).lstrip("/").startswith(SITE_SERVED_PREFIXES)


def _grants_anonymous_read(statement: dict) -> bool:
    principal = statement.get("Principal")
    if isinstance(principal, dict):
        principal = principal.get("AWS")
    actions = statement.get("Action", [])
    actions = [actions] if isinstance(actions, str) else actions
    return (
        statement.get("Effect") == "Allow"
        and principal in ("*", ["*"])
        and any(action in ("*", "s3:*") or action.lower().startswith("s3:get") for action in actions)
    )


def without_anonymous_read(policy: str | None) -> str | None:
    """The bucket policy with every statement letting anyone read objects removed (such as the
    "PublicRenditions" statement of older releases); None when nothing is left."""
    if not policy:
        return None
    document = json.loads(policy)
    statements = document.get("Statement", [])
    statements = [statements] if isinstance(statements, dict) else statements
    kept = [statement for statement in statements if not _grants_anonymous_read(statement)]
    if len(kept) == len(statements):
        return policy
    return json.dumps({**document, "Statement": kept}) if kept else None


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
    """Site URLs for images (checked by the site), short-lived signed URLs for everything else."""

    def __init__(self, **settings):
        super().__init__(**settings)
        # short timeouts: a dead S3 must not hold a worker for minutes
        self.client_config = self.client_config.merge(
            Config(connect_timeout=3, read_timeout=20, retries={"mode": "standard", "max_attempts": 2})
        )

    _open = _unavailable_as_oserror(S3Storage._open)
    _save = _unavailable_as_oserror(S3Storage._save)
    exists = _unavailable_as_oserror(S3Storage.exists)
    delete = _unavailable_as_oserror(S3Storage.delete)
    size = _unavailable_as_oserror(S3Storage.size)

    def url(self, name, parameters=None, expire=None, http_method=None):
        if is_site_served(name):
            return django_settings.MEDIA_URL + filepath_to_uri(clean_name(name).lstrip("/"))
        return self.signed_url(name, parameters, expire, http_method)

    def signed_url(self, name, parameters=None, expire=None, http_method=None) -> str:
        """A URL of the object on the S3 endpoint, valid for ``S3_SIGNED_URL_SECONDS`` (local signing:
        no call to S3). Only for answers given after the site's access checks."""
        key = self._normalize_name(clean_name(name))
        params = {**(parameters or {}), "Bucket": self.bucket.name, "Key": key}
        return self.connection.meta.client.generate_presigned_url(
            "get_object",
            Params=params,
            ExpiresIn=self.querystring_expire if expire is None else expire,
            HttpMethod=http_method,
        )
