"""Who may see a title the public has not seen yet: a draft, or a live page's new title in review.

The author sees their own drafts; a reviewer sees what has reached their step (and what they have
judged); superusers see everything. Everyone sees a live page whose title is the published one. Held
in two places: the page permission policy's ``explorable_instances`` (the explorer, the admin's page
search, site history and the admin API all list pages through it) and the page chooser's hook.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, IntegerField, Q, QuerySet
from django.db.models.functions import Cast

from wagtail.models import Page, TaskState
from wagtail.permission_policies.pages import PagePermissionPolicy

from sop_workflow.authors import authored_pages


def _page_ids(queryset: QuerySet, object_id: str) -> QuerySet:
    """The page ids a workflow-state-like queryset points at (``object_id`` is text in Wagtail)."""
    page_type = ContentType.objects.get_for_model(Page)
    return (
        queryset.filter(**{object_id.replace("object_id", "base_content_type"): page_type})
        .annotate(page_id=Cast(object_id, IntegerField()))
        .values("page_id")
    )


def visible_titles(user) -> Q | None:
    """The pages whose current (draft) title ``user`` may read, as a filter; None means all of them."""
    if user.is_superuser:
        return None
    public = Q(live=True, has_unpublished_changes=False) | Q(live=True, draft_title=F("title"))
    if not user.is_authenticated:
        return public
    judged = _page_ids(TaskState.objects.filter(finished_by=user), "workflow_state__object_id")
    at_their_step = _page_ids(
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS, task__soptask__groups__in=user.groups.all()
        ),
        "workflow_state__object_id",
    )
    return public | authored_pages(user) | Q(pk__in=judged) | Q(pk__in=at_their_step)


def only_visible(pages: QuerySet, user) -> QuerySet:
    """``pages`` narrowed to the titles ``user`` may read, by id (so a search backend can filter too)."""
    condition = visible_titles(user)
    if condition is None:
        return pages
    return pages.filter(pk__in=Page.objects.filter(condition).values("pk"))


class SOPPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, listing only pages whose title the user may read."""

    def explorable_instances(self, user):
        return only_visible(super().explorable_instances(user), user)
