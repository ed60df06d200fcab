"""The reverse proxy's purge (``FRONTEND_CACHE_URL``: Varnish or nginx, docs/caching.md).

Each bump of the generation purges the proxy once at once, and once more ``PURGE_AGAIN_SECONDS``
later: a worker hears of the bump over Redis shortly after it, and a reader's request
that reached it in between got the old page, which the proxy, already purged, would otherwise keep.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings

from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.models import Site

logger = logging.getLogger(__name__)

#: when the reverse proxy is purged a second time after a bump: by then every worker has heard of
#: the new generation (announced over Redis at once; read again every second anyway)
PURGE_AGAIN_SECONDS = 0.5


def purge_frontend_cache() -> None:
    """Ask the reverse proxy to drop this site's pages (docs/varnish.vcl bans the whole site), now
    and again ``PURGE_AGAIN_SECONDS`` later (from a thread: the publication does not wait)."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    try:
        urls = [site.root_url + "/" for site in Site.objects.all()]
    except Exception:  # a publication must not fail for this
        logger.exception("Could not list the sites to purge from the reverse proxy")
        return
    _purge(urls)
    threading.Timer(PURGE_AGAIN_SECONDS, _purge, args=(urls,)).start()


def _purge(urls: list[str]) -> None:
    try:
        purge_urls_from_cache(urls)
    except Exception:  # a proxy that is down must not break a publication
        logger.exception("Could not purge the reverse proxy")
