"""Nothing leaks before approval: a document is public only while a live page uses it.

Wagtail serves every document by URL whatever its page's state. Here the public may download a
document only if a live, published page references it (Wagtail's reference index reflects each
page's live row once it is published, and a draft's own row while it was never published). People
who see the document in the admin's Documents library (authors and approvers, through their
collection permissions) may open it, to review drafts; admin access alone does not open it.
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


def may_see_in_admin(document, user) -> bool:
    """Whoever the Documents library shows this document to: the SOP roles (their collection
    permissions), its uploader, superusers. Admin access alone is not enough."""
    from wagtail.documents import get_document_model
    from wagtail.permissions import policy_registry

    if not (user.is_authenticated and user.is_active):
        return False
    policy = policy_registry.get_by_type(get_document_model())
    return policy.user_has_any_permission_for_instance(user, ["change", "choose"], document)


def may_download(document, user) -> bool:
    return may_see_in_admin(document, user) or document_is_public(document)
