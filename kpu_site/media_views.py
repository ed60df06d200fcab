"""``/media/images/`` (renditions) and ``/media/original_images/``, served after the SOP's media rule.

An image answers only if it is public (a live page anyone may view uses it) or the requester sees it
in the admin's Images library (``kpu_site.media_rules``, which ``sop_workflow.media`` answers);
otherwise the site's 404. Local files are
streamed, or handed to nginx by ``X-Accel-Redirect`` when ``MEDIA_ACCEL_REDIRECT`` is set; with S3
the answer redirects to a short-lived signed URL. The public decision is cached per image under the
page cache's generation, which every public change bumps (``kpu_site.caching.generation``).
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, HttpResponseRedirect
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

from kpu_site import media_rules

FOLDERS = ("images", "original_images")
#: longer than any stored name (Wagtail's image and rendition ``file`` columns hold 100 characters)
MAX_NAME_LENGTH = 255
#: how long browsers and shared caches may keep a public image: short, so an unpublication soon shows
PUBLIC_SECONDS = 300
#: how long a cached lookup or decision is kept at most (a publication orphans it at once anyway)
CACHE_SECONDS = 3600
PUBLIC = f"public, max-age={PUBLIC_SECONDS}"
PRIVATE = "private, no-cache"


def stored_name(folder: str, path: str) -> str | None:
    """``<folder>/<path>`` if it can be a stored file's name; None for anything odd."""
    if folder not in FOLDERS or not path or len(folder) + 1 + len(path) > MAX_NAME_LENGTH:
        return None
    if "\x00" in path or "\\" in path or path.startswith("/"):
        return None
    if any(part in ("", ".", "..") for part in path.split("/")):
        return None
    return f"{folder}/{path}"


def _generation() -> int | None:
    from kpu_site.caching.generation import current_generation

    return current_generation()


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def image_id_for(name: str, generation: int | None) -> int | None:
    """The id of the image whose original or rendition is stored under ``name`` (cached when found:
    a rendition made later must not be hidden by a cached miss)."""
    from wagtail.images import get_image_model

    key = f"media:image-of:{generation}:{_digest(name)}"
    if generation is not None and (found := cache.get(key)) is not None:
        return found
    Image = get_image_model()
    if name.startswith("images/"):
        rows = Image.get_rendition_model().objects.filter(file=name).values_list("image_id", flat=True)
    else:
        rows = Image.objects.filter(file=name).values_list("pk", flat=True)
    found = rows.first()
    if generation is not None and found is not None:
        cache.set(key, found, CACHE_SECONDS)
    return found


def image_is_public(image_id: int, generation: int | None) -> bool:
    from wagtail.images import get_image_model

    key = f"media:public:{generation}:{image_id}"
    if generation is not None and (decided := cache.get(key)) is not None:
        return decided
    image = get_image_model().objects.filter(pk=image_id).first()
    decided = image is not None and media_rules.is_public(image)
    if generation is not None:
        cache.set(key, decided, CACHE_SECONDS)
    return decided


def _may_see_in_admin(user, image_id: int) -> bool:
    from wagtail.images import get_image_model

    if not (user.is_authenticated and user.is_active):
        return False
    image = get_image_model().objects.filter(pk=image_id).first()
    return image is not None and media_rules.may_see_in_admin(image, user)


def _file_response(request, name: str) -> HttpResponse:
    signed_url = getattr(default_storage, "signed_url", None)  # kpu_site.storage.MediaStorage (S3)
    if signed_url is not None:
        return HttpResponseRedirect(signed_url(name))
    accel = getattr(settings, "MEDIA_ACCEL_REDIRECT", "")
    if accel:
        response = HttpResponse()
        del response["Content-Type"]  # nginx sets it from the file's extension
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(name)
        return response
    try:
        modified = default_storage.get_modified_time(name)
        if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), modified.timestamp()):
            return HttpResponseNotModified()
        response = FileResponse(default_storage.open(name, "rb"))
    except (OSError, SuspiciousFileOperation):
        raise Http404 from None
    response["Last-Modified"] = http_date(modified.timestamp())
    return response


@require_safe
def serve_image(request, folder: str, path: str) -> HttpResponse:
    name = stored_name(folder, path)
    if name is None:
        raise Http404
    generation = _generation()
    image_id = image_id_for(name, generation)
    if image_id is None:
        raise Http404
    if image_is_public(image_id, generation):
        cache_control = PUBLIC
        if getattr(default_storage, "signed_url", None) is not None:
            # the redirect must not outlive its signed URL
            seconds = min(PUBLIC_SECONDS, getattr(settings, "S3_SIGNED_URL_SECONDS", 60) // 2)
            cache_control = f"public, max-age={seconds}"
    elif _may_see_in_admin(request.user, image_id):
        cache_control = PRIVATE
    else:
        raise Http404
    response = _file_response(request, name)
    response["Cache-Control"] = cache_control
    return response
