"""Nothing leaks before approval, and nothing changes behind it: the rule for documents and images.

A file is public only while a live page without a view restriction uses it (Wagtail's reference
index holds each page's stored row: the live content once published). People who see it in the
admin's Documents or Images library may open it too, to review drafts. A file used by published or
in-review content is never replaced in place (``in_use``): a new file is a new document or image.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, Q
from django.db.models.signals import pre_delete
from django.http import HttpResponseNotFound
from django.template.loader import render_to_string

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, ReferenceIndex, Revision, TaskState, WorkflowState
from wagtail.permissions import policy_registry

from kpu_site import media_rules
from sop_workflow.models import SOPTaskState


def is_public(obj) -> bool:
    """True when a live page that anyone may view references this document or image."""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = (
        ReferenceIndex.get_references_to(obj)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    paths = list(
        Page.objects.filter(pk__in=[int(pk) for pk in page_ids], live=True).values_list("path", flat=True)
    )
    if not paths:
        return False
    # a restriction covers its page and every page below it (tree paths share the prefix)
    restricted = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    return any(not path.startswith(restricted) for path in paths)


def may_see_in_admin(obj, user) -> bool:
    """Whoever the Documents or Images library shows this file to: the SOP roles (their collection
    permissions), its uploader, superusers. Admin access alone is not enough."""
    if not (user.is_authenticated and user.is_active):
        return False
    policy = policy_registry.get_by_type(type(obj))
    return policy.user_has_any_permission_for_instance(user, ["change", "choose"], obj)


def may_download(obj, user) -> bool:
    return may_see_in_admin(obj, user) or is_public(obj)


@hooks.register("before_serve_document")
def hide_documents_of_unpublished_pages(document, request):
    if not may_download(document, request.user):
        return HttpResponseNotFound(render_to_string("404.html", {"request": request}, request=request))
    return None


# --- Files that must not be replaced -------------------------------------------------------------
def _references(obj):
    """(model, pk as str) of every object ``obj`` refers to, unsaved objects included (a revision's
    ``as_object()``): foreign keys, fields with Wagtail's public ``extract_references`` (StreamField,
    RichTextField) and child objects, as the reference index reads a stored row."""
    for field in obj._meta.get_fields():
        if isinstance(field, ForeignKey) and not isinstance(field, ParentalKey):
            value = field.value_from_object(obj)
            if value is not None:
                yield field.related_model, str(value)
        elif hasattr(field, "extract_references"):
            value = field.value_from_object(obj)
            if value is not None:
                for model, pk, _model_path, _content_path in field.extract_references(value):
                    yield model, str(pk)
    if isinstance(obj, ClusterableModel):
        for relation in get_all_child_relations(obj):
            for child in getattr(obj, relation.get_accessor_name()).all():
                yield from _references(child)


def refers_to(source, target) -> bool:
    concrete = type(target)._meta.concrete_model
    return any(
        model._meta.concrete_model is concrete and pk == str(target.pk) for model, pk in _references(source)
    )


def in_use(obj) -> bool:
    """True when published or in-review content shows this document or image: a page's stored row
    (reference index), the latest revision of a page in moderation or sent back for changes, or any
    revision an approval step was given or judged (``TaskState.revision``,
    ``SOPTaskState.judged_revision``) or that is scheduled to go live. Revisions older than the file
    cannot refer to it: not read."""
    page_type = ContentType.objects.get_for_model(Page)
    if ReferenceIndex.get_references_to(obj).filter(base_content_type=page_type).exists():
        return True
    in_review = (
        WorkflowState.objects.active().filter(base_content_type=page_type).values_list("object_id", flat=True)
    )
    latest = Page.objects.filter(pk__in=[int(pk) for pk in in_review]).values_list(
        "latest_revision_id", flat=True
    )
    started_with = TaskState.objects.values("revision_id")
    judged = SOPTaskState.objects.values("judged_revision_id")  # a reviewer's own correction included
    revisions = Revision.objects.filter(
        Q(pk__in=list(latest))
        | Q(pk__in=started_with)
        | Q(pk__in=judged)
        | Q(approved_go_live_at__isnull=False),  # scheduled to go live
        created_at__gte=obj.created_at,
    ).order_by("-pk")
    for revision in revisions.iterator():
        if revision.content_object is not None and refers_to(revision.as_object(), obj):
            return True
    return False


IN_USE_DELETE_MESSAGE = (
    "Berkas ini dipakai oleh konten yang terbit atau sedang dalam alur SOP, sehingga tidak dapat dihapus. "
    "Ganti dulu berkasnya di halaman itu melalui alur SOP."
)


def refuse_deleting_what_is_in_use(sender, instance, **kwargs) -> None:
    """pre_delete of documents and images: what published or in-review content shows stays."""
    if in_use(instance):
        raise PermissionDenied(IN_USE_DELETE_MESSAGE)


def connect() -> None:
    for model in (get_document_model(), get_image_model()):
        uid = f"sop_in_use_{model.__name__}"
        pre_delete.connect(refuse_deleting_what_is_in_use, sender=model, dispatch_uid=uid)


# The media rules kpu_site declares (``kpu_site.media_rules``): the SOP answers them.
@hooks.register(media_rules.PUBLIC_HOOK)
def answer_is_public(obj) -> bool:
    return is_public(obj)


@hooks.register(media_rules.ADMIN_HOOK)
def answer_visible_in_admin(obj, user) -> bool:
    return may_see_in_admin(obj, user)


@hooks.register(media_rules.IN_USE_HOOK)
def answer_in_use(obj) -> bool:
    return in_use(obj)
