"""RSS feeds for Berita, Pengumuman and Regulasi: the newest 20 live, public items of each."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape

FEEDS = {
    # key: (model label, feed title, date field ordering)
    "berita": ("kpu_pages.BeritaPage", "Berita", "-tanggal"),
    "pengumuman": ("kpu_pages.PengumumanPage", "Pengumuman", "-tanggal"),
    "regulasi": ("kpu_pages.RegulasiPage", "Regulasi", "-tanggal_penetapan"),
}
DESCRIPTION_FIELDS = ("lead", "perihal", "abstrak", "search_description")
DATE_FIELDS = ("tanggal", "tanggal_penetapan", "first_published_at")
FEED_SIZE = 20


class IndonesianRssFeed(Rss201rev2Feed):
    content_type = "application/rss+xml; charset=utf-8"


class KindFeed(Feed):
    feed_type = IndonesianRssFeed
    language = "id"

    def get_object(self, request, kind: str):
        if kind not in FEEDS:
            raise Http404
        label, title, ordering = FEEDS[kind]
        try:
            model = apps.get_model(label)
        except LookupError as exc:
            raise Http404 from exc
        self.request = request
        return {"kind": kind, "model": model, "title": title, "ordering": ordering}

    def title(self, obj):
        return f"{obj['title']} | {settings.KPU_IDENTITY['name']}"

    def link(self, obj):
        return f"/{obj['kind']}/"

    def description(self, obj):
        return f"{obj['title']} terbaru dari {settings.KPU_IDENTITY['long_name']}"

    def items(self, obj):
        return list(obj["model"].objects.live().public().order_by(obj["ordering"], "-pk")[:FEED_SIZE])

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_url(request=self.request)

    def item_description(self, item):
        for field in DESCRIPTION_FIELDS:
            value = getattr(item, field, "")
            if value:
                # RSS readers treat the description as HTML: plain text must reach them escaped.
                return escape(str(value)[:500])
        return ""

    def item_pubdate(self, item):
        for field in DATE_FIELDS:
            value = getattr(item, field, None)
            if isinstance(value, dt.datetime):
                return value
            if isinstance(value, dt.date):
                return timezone.make_aware(dt.datetime.combine(value, dt.time(8, 0)))
        return None

    def item_updateddate(self, item):
        return item.last_published_at
