"""Caching of the public site, by concern: the fail-open Redis backend (``backend``), the site-wide
generation every cached thing is keyed by (``generation``), what bumps it (``invalidation``), the
whole-page cache (``middleware``), the reverse proxy's purge (``purge``) and the parts of pages kept
between requests (``fragments``). How the layers fit together: docs/caching.md.
"""
