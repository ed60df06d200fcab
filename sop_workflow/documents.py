"""Nothing leaks before approval: a document is public only while a live page uses it.

Wagtail serves every document by URL whatever its page's state. Here the public may download a
document only if a live, published page references it (Wagtail's reference index reflects each
page's live row once it is published, and a draft's own row while it was never published). People
who can use the admin (authors and approvers) may open any document, to review drafts.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from wagtail.models import Page, ReferenceIndex


def document_is_public(document) -> bool:
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    return Page.objects.filter(pk__in=[int(pk) for pk in page_ids], live=True).exists()


def may_download(document, user) -> bool:
    if user.is_authenticated and user.has_perm("wagtailadmin.access_admin"):
        return True
    return document_is_public(document)
