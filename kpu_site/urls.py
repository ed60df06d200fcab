"""The site's URLs: Wagtail's admin under ``/admin/``, then the public ones."""

import re

from django.conf import settings
from django.urls import include, path, re_path, register_converter
from django.views.decorators.cache import cache_control

from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import index as sitemap_index
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents.views import serve as documents_serve

from kpu_pages.feeds import KindFeed
from kpu_pages.search import search_view
from kpu_pages.sitemaps import SITEMAPS
from kpu_pages.views import robots_txt
from kpu_site.media_views import serve_image
from kpu_site.url_ids import IdConverter

# Ids in the site's own URLs: an id longer than any database id matches nothing, so 404 (kpu_site/url_ids.py).
register_converter(IdConverter, "id")

# Wagtail's document URLs, with one change: a document response depends on who asks and on its page's
# state (and with S3 it redirects to a signed URL that expires within a minute), so no shared cache
# (nginx, CDN) may keep it. The access checks themselves run in Wagtail's view and its hooks. Ids go
# through the ``id`` converter: Wagtail's ``(\d+)`` hands the view any number of digits, and more than
# 4,300 of them made its ``int()`` fail with a 500.
_private = cache_control(private=True, no_cache=True)
documents_urls = [
    path(
        "<id:document_id>/<path:document_filename>", _private(documents_serve.serve), name="wagtaildocs_serve"
    ),
    path(
        "authenticate_with_password/<id:restriction_id>/",
        _private(documents_serve.authenticate_with_password),
        name="wagtaildocs_authenticate_with_password",
    ),
]

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(documents_urls)),
    # Images (renditions and originals) in every setting, DEBUG included: only those a live page shows,
    # or that the requester sees in the admin (kpu_site.media_views). Nothing under MEDIA_URL is served
    # straight from MEDIA_ROOT.
    re_path(
        rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<folder>images|original_images)/(?P<path>.*)$",
        serve_image,
        name="media_image",
    ),
    path("cari/", search_view, name="search"),
    path("layanan-informasi/", include("ppid.urls")),
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("<slug:kind>/rss/", KindFeed(), name="kind_feed"),
    # Wagtail serves only paths of slugs ending in "/". Routable pages answer a few file-like URLs:
    # /regulasi/jdihn.json (JDIHN feed) and <data-page>/unduh/<n>.csv (Data tables). These narrow
    # patterns hand them to Wagtail's own serve view, so page privacy and hooks still apply.
    re_path(r"^(?P<path>(?:[\w\-]+/)+[\w\-]+\.json)$", wagtail_views.serve, name="wagtail_serve_json"),
    re_path(r"^((?:[\w\-]+/)*unduh/\d+\.csv)$", wagtail_views.serve, name="data_table_csv"),
    path("", include(wagtail_urls)),
]

# The 500 page is static and needs no database (Django's 404 handler and 404.html are kept).
handler500 = "kpu_pages.views.server_error"
