"""What a worker needs when media storage fails, without importing boto3.

``kpu_site.storage.MediaStorage`` (S3) raises :class:`MediaStorageUnavailable` when the S3 server
cannot be reached; :class:`StorageUnavailableMiddleware`, in every worker's middleware, turns it
into a clear Indonesian message. Kept apart from the S3 storage so that a server with media on
local disk never loads boto3 and botocore, and their memory, in every worker.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

logger = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = (
    "Berkas belum tersimpan: server penyimpanan berkas sedang tidak dapat dihubungi. "
    "Tidak ada yang berubah; silakan unggah lagi beberapa saat lagi."
)


class MediaStorageUnavailable(OSError):
    """The S3 server could not be reached (or failed); nothing was stored."""


class StorageUnavailableMiddleware:
    """An upload that could not be stored: a clear message on the form, not a 500 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, MediaStorageUnavailable):
            return None
        logger.error("Media storage unavailable during %s %s: %s", request.method, request.path, exception)
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # Wagtail's multiple uploader shows error_message next to the file.
            return JsonResponse({"success": False, "error_message": UNAVAILABLE_MESSAGE})
        if request.method == "POST" and hasattr(request, "_messages"):
            messages.error(request, UNAVAILABLE_MESSAGE)
            return redirect(request.get_full_path())
        response = HttpResponse(UNAVAILABLE_MESSAGE, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "30"
        return response
