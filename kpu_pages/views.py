"""Site-wide views that are not Wagtail pages: robots.txt and the error handlers."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

#: shown if even the 500 template cannot be loaded
FALLBACK_500 = (
    '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Terjadi gangguan</title></head>'
    "<body><h1>Terjadi gangguan pada server</h1><p>Silakan coba lagi beberapa saat lagi.</p></body></html>"
)


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Allow everything but the admin and search results; point crawlers to the sitemap."""
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    return HttpResponse(
        loader.render_to_string("robots.txt", {"sitemap_url": sitemap_url}),
        content_type="text/plain; charset=utf-8",
    )


def server_error(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """The 500 page: a static template rendered without a request context.

    No context processors, no template tags, no database: whatever broke (often the database
    itself) cannot break this page too.
    """
    try:
        body = loader.get_template("500.html").render()
    except Exception:  # the error page must always answer
        logger.exception("Could not render 500.html")
        body = FALLBACK_500
    return HttpResponseServerError(body, content_type="text/html; charset=utf-8")
