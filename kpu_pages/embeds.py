"""Wagtail's oEmbed finder, imported the first time an embed must be fetched.

``wagtail.embeds`` builds its finders when the app is ready, and the oEmbed finder's module imports
``requests`` (with urllib3 and charset-normalizer, a few MB in every process). A reader never needs
it: an embed is fetched once, when an editor adds the video, and then shown from the database
(``wagtail.embeds.models.Embed``). ``WAGTAILEMBEDS_FINDERS`` names this class instead; it takes the
same options and hands every call to Wagtail's own finder, made on first use.
"""

from __future__ import annotations

import threading

from wagtail.embeds.finders.base import EmbedFinder


class LazyOEmbedFinder(EmbedFinder):
    def __init__(self, **options) -> None:
        self._options = options
        self._finder: EmbedFinder | None = None
        self._lock = threading.Lock()

    def finder(self) -> EmbedFinder:
        if self._finder is None:
            with self._lock:
                if self._finder is None:
                    from wagtail.embeds.finders.oembed import OEmbedFinder

                    self._finder = OEmbedFinder(**self._options)
        return self._finder

    def accept(self, url):
        return self.finder().accept(url)

    def find_embed(self, url, max_width=None, max_height=None):
        return self.finder().find_embed(url, max_width=max_width, max_height=max_height)
