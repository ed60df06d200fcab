"""Timing SOP step 1: the concept is written from its first saved revision to its submission.

"First saved revision" is the first revision of the page since its previous run ended or it was last
published, so editing a live page starts a new concept. A restart resubmits the same concept: nothing
was saved since the previous run ended, so no new authoring is recorded for it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max
from django.db.models.functions import Coalesce

from wagtail.models import Page, Revision, TaskState, WorkflowState
from wagtail.signals import workflow_submitted

from sop_workflow.clock import WIB, WorkCalendar
from sop_workflow.models import ConceptAuthoring
from sop_workflow.sop import AUTHORING_STANDARD_MINUTES

#: The SOP's step number and the step as the report and the Lembar name it.
AUTHORING_SOP_STEP = 1
AUTHORING_STEP_NAME = "Pengampu Konsep: menyusun konsep"


def concept_start(workflow_state: WorkflowState) -> Revision | None:
    """The concept's first saved revision before ``workflow_state`` was submitted, or None."""
    same_object = {
        "base_content_type_id": workflow_state.base_content_type_id,
        "object_id": workflow_state.object_id,
    }
    boundary = (
        TaskState.objects.filter(
            workflow_state__base_content_type_id=workflow_state.base_content_type_id,
            workflow_state__object_id=workflow_state.object_id,
            workflow_state__created_at__lt=workflow_state.created_at,
        )
        .exclude(workflow_state=workflow_state)
        .aggregate(end=Max(Coalesce("finished_at", "started_at")))["end"]
    )
    page = Page.objects.filter(pk=workflow_state.object_id).only("last_published_at").first()
    published = page.last_published_at if page is not None else None
    boundary = max((moment for moment in (boundary, published) if moment), default=None)
    revisions = Revision.objects.filter(**same_object, created_at__lte=workflow_state.created_at)
    if boundary is not None:
        revisions = revisions.filter(created_at__gt=boundary)
    return revisions.order_by("created_at", "pk").first()


def record(workflow_state: WorkflowState) -> ConceptAuthoring | None:
    """Record when the concept of this run was begun and submitted (once)."""
    first = concept_start(workflow_state)
    if first is None:
        return None
    authoring, _created = ConceptAuthoring.objects.get_or_create(
        workflow_state=workflow_state,
        defaults={
            "first_revision_id": first.pk,
            "started_at": first.created_at,
            "submitted_at": workflow_state.created_at,
            "standard_minutes": AUTHORING_STANDARD_MINUTES,
        },
    )
    return authoring


def on_workflow_submitted(sender, instance: WorkflowState, user=None, **kwargs: Any) -> None:
    record(instance)


def connect() -> None:
    workflow_submitted.connect(
        on_workflow_submitted, sender=WorkflowState, dispatch_uid="sop_authoring_record"
    )


def entry(authoring: ConceptAuthoring | None, calendar: WorkCalendar) -> dict[str, Any] | None:
    """Step 1 as the archive keeps it, or None when the run has no recorded authoring."""
    if authoring is None:
        return None
    office = calendar.office_duration(authoring.started_at, authoring.submitted_at)
    wall = max(authoring.submitted_at - authoring.started_at, dt.timedelta(0))
    return {
        "sop_step": AUTHORING_SOP_STEP,
        "step_name": AUTHORING_STEP_NAME,
        "first_revision_id": authoring.first_revision_id,
        "started_at": authoring.started_at.astimezone(WIB).isoformat(),
        "submitted_at": authoring.submitted_at.astimezone(WIB).isoformat(),
        "office_seconds": int(office.total_seconds()),
        "wall_seconds": int(wall.total_seconds()),
        "standard_minutes": authoring.standard_minutes,
        "within_standard": office <= dt.timedelta(minutes=authoring.standard_minutes),
    }


def for_run(workflow_state: WorkflowState) -> ConceptAuthoring | None:
    return ConceptAuthoring.objects.filter(workflow_state=workflow_state).first()
