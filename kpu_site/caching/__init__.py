"""Caching of the public site, by concern: the fail-open Redis backend (``backend``), the site-wide
generation every cached thing is keyed by (``generation``), what bumps it (``invalidation``), the
whole-page cache (``middleware``), the reverse proxy's purge (``purge``), the parts of pages kept
between requests (``fragments``) and, kept the same way, where each path led (``routes``), the
request's Wagtail site (``sites``, the package's one private API) and which pages hold a view
restriction (``restrictions``). How the layers fit together: docs/caching.md.
"""
