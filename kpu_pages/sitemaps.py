"""``/sitemap.xml``: a sitemap index pointing to files of at most ``SITEMAP_LIMIT`` URLs each.

A large site cannot list every URL in one response (search engines read a limited number per file),
so ``/sitemap.xml`` is an index of ``/sitemap-halaman.xml?p=1``, ``?p=2``... Each file lists live,
public pages in tree order, read as plain ``Page`` rows, and a file deep in the list starts from
its first page's ``path`` rather than an ``OFFSET`` (``SitemapPages``).
"""

from __future__ import annotations

from django.db.models import Max, Subquery

from wagtail.contrib.sitemaps import Sitemap

#: URLs per sitemap file (search engines read at most 50,000 per file)
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


class SitemapPages:
    """The sitemap's pages as Django's paginator reads them (a ``count()`` and slices), a slice
    starting at the ``path`` of its first page rather than at an ``OFFSET`` of whole rows. That path
    is counted from the nearer end of the list once the count is known (the paginator counts first),
    through the index of live pages' paths (``kpu_pages`` migration ``0012``): an index-only scan, so
    a deep file reads about one file's worth of index entries rather than every page before it."""

    def __init__(self, pages):
        self.pages = pages  # ordered by path
        self.counted: int | None = None

    def count(self) -> int:
        self.counted = self.pages.order_by().count()
        return self.counted

    def __getitem__(self, key: slice):
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("SitemapPages is read in slices only")
        start, stop = key.start or 0, key.stop
        if not start:
            return self.pages[:stop]
        if self.counted is not None and start > self.counted // 2:
            from_end = self.counted - start - 1
            first_path = self.pages.order_by("-path").values("path")[from_end : from_end + 1]
        else:
            first_path = self.pages.values("path")[start : start + 1]
        rows = self.pages.filter(path__gte=Subquery(first_path))
        return rows if stop is None else rows[: stop - start]


class PageSitemap(Sitemap):
    limit = SITEMAP_LIMIT

    def pages(self):
        # plain Page rows, no ``.specific()``: no page type here overrides ``get_sitemap_urls``
        return (
            self.get_wagtail_site()
            .root_page.get_descendants(inclusive=True)
            .live()
            .public()
            .order_by("path")
            .only(*SITEMAP_FIELDS)
        )

    def items(self):
        return SitemapPages(self.pages())

    def get_latest_lastmod(self):
        # one aggregate, read from the index on ``last_published_at``, not a walk over every page
        return self.pages().aggregate(latest=Max("last_published_at"))["latest"]


SITEMAPS = {"halaman": PageSitemap}
