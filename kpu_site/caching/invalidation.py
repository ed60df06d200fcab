"""What bumps the generation: every change that can alter a public page.

A page published, unpublished, moved or deleted; a snippet, image, document, redirect, site or view
restriction saved or deleted. Why the whole site at once rather than page by page: a news item shows
on its own page, its listing (every filter and page number), the home page blocks, a feed, the
sitemap, its tags' pages and its neighbours' "related" blocks; keeping that map right for every page
type is the kind of code that is silently wrong one day (docs/caching.md).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from kpu_pages.models import Pemilu, Wilayah
from kpu_site.caching.generation import schedule_bump

#: bookkeeping columns Wagtail fills in lazily, sometimes while rendering a public page
BOOKKEEPING_FIELDS = {"file_size", "file_hash"}


def _on_page_change(sender, **kwargs) -> None:
    schedule_bump()


def _on_page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        schedule_bump()


def _on_model_change(sender, update_fields=None, **kwargs) -> None:
    if update_fields and set(update_fields) <= BOOKKEEPING_FIELDS:
        return
    schedule_bump()


def public_models() -> list[type]:
    """Models other than pages whose rows change what the public sees."""
    return [
        Wilayah,
        Pemilu,
        get_image_model(),
        get_document_model(),
        Redirect,
        Site,
        PageViewRestriction,
        CollectionViewRestriction,
    ]


def connect() -> None:
    """Called from KpuPagesConfig.ready."""
    page_published.connect(_on_page_change, dispatch_uid="page_cache_published")
    page_unpublished.connect(_on_page_change, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(_on_page_change, dispatch_uid="page_cache_moved")
    post_delete.connect(_on_page_deleted, dispatch_uid="page_cache_page_deleted")
    for model in public_models():
        uid = f"page_cache_{model._meta.label_lower}"
        post_save.connect(_on_model_change, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(_on_model_change, sender=model, dispatch_uid=f"{uid}_deleted")
