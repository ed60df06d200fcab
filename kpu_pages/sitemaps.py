"""``/sitemap.xml``: a sitemap index pointing to files of at most ``SITEMAP_LIMIT`` URLs each.

A site with 100,000 news items cannot list every URL in one response (Google reads at most 50,000
per file, and rendering them all takes seconds), so ``/sitemap.xml`` is an index of
``/sitemap-halaman.xml?p=1``, ``?p=2``... Each file lists live, public pages in tree order. The
pages are read as plain ``Page`` rows with only the columns a URL and its date need (no
``.specific()``: no page type here overrides ``get_sitemap_urls``), and the index's last-modified
date is one aggregate query, not a walk over every page.
"""

from __future__ import annotations

from django.db.models import Max

from wagtail.contrib.sitemaps import Sitemap

#: URLs per sitemap file; the last file of 100,000 pages renders in well under 100 ms
SITEMAP_LIMIT = 1000
#: what a page's URL and last-modified date need
SITEMAP_FIELDS = (
    "id",
    "path",
    "depth",
    "url_path",
    "locale_id",
    "last_published_at",
    "latest_revision_created_at",
)


class PageSitemap(Sitemap):
    limit = SITEMAP_LIMIT

    def items(self):
        return (
            self.get_wagtail_site()
            .root_page.get_descendants(inclusive=True)
            .live()
            .public()
            .order_by("path")
            .only(*SITEMAP_FIELDS)
        )

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("last_published_at"))["latest"]


SITEMAPS = {"halaman": PageSitemap}
