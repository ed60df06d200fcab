"""Who the author of a concept is, defined once: the page's owner, or whoever submitted it to the workflow.

An author never reviews their own concept (``SOPTask.user_is_reviewer``), is told of a request for
changes, and may withdraw or restart the run. Every screen, list and email asks here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import CharField, IntegerField, Q
from django.db.models.functions import Cast

from wagtail.models import Page, WorkflowState, get_default_page_content_type

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def is_author(obj: Any, user: AbstractBaseUser, workflow_state=None) -> bool:
    """``user`` owns ``obj`` or submitted it (to ``workflow_state``, default its current run)."""
    if not user or not user.is_authenticated:
        return False
    if getattr(obj, "owner_id", None) == user.pk:
        return True
    state = workflow_state or getattr(obj, "current_workflow_state", None)
    return bool(state and state.requested_by_id == user.pk)


def authors(obj: Any, workflow_state) -> list[Any]:
    """The people who are the concept's author in this run: its submitter and its owner, once each."""
    people = [workflow_state.requested_by, getattr(obj, "owner", None)]
    unique: dict[Any, Any] = {}
    for person in people:
        if person is not None:
            unique.setdefault(person.pk, person)
    return list(unique.values())


def authored_runs(user: AbstractBaseUser, prefix: str = "") -> Q:
    """``is_author`` as a filter on workflow states (or on rows reaching one through ``prefix``, e.g.
    ``"workflow_state__"``): the runs ``user`` submitted, or of pages ``user`` owns."""
    own_pages = Page.objects.filter(owner=user).values_list(Cast("pk", CharField()), flat=True)
    return Q(**{f"{prefix}requested_by": user}) | Q(
        **{
            f"{prefix}base_content_type_id": get_default_page_content_type().pk,
            f"{prefix}object_id__in": own_pages,
        }
    )


def authored_pages(user: AbstractBaseUser) -> Q:
    """``is_author`` as a filter on pages, over every run: pages ``user`` owns or ever submitted."""
    submitted = (
        WorkflowState.objects.filter(
            requested_by=user, base_content_type_id=get_default_page_content_type().pk
        )
        .annotate(page_id=Cast("object_id", IntegerField()))
        .values("page_id")
    )
    return Q(owner=user) | Q(pk__in=submitted)
