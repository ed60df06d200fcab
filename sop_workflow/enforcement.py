"""No way around the chain: a page goes live only as the last step of its SOP workflow.

Every page of the site is governed by the SOP (pages the SOP does not name take the long chain).
Non-superusers hold no publish permission at all, which closes Wagtail's own routes (Publish button,
bulk publish, admin API, copy with "publish copies", aliases, revert-and-publish, unpublish and
republish). As a second line, every page publication passes :func:`check_publish`, which refuses any
publication by a person that is not the chain's last step or a superuser's recorded "di luar SOP"
publication with a reason. Publications with no person (scheduled publishing of a revision that was
approved through one of those two routes, management commands) are the system's own.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.actions.publish_page_revision import PublishPagePermissionError, PublishPageRevisionAction

_publish_allowed: ContextVar[str | None] = ContextVar("sop_publish_allowed", default=None)
_bypass_reasons = threading.local()

REFUSAL = "Konten ini hanya dapat diterbitkan melalui langkah terakhir SOP (Web Admin: unggah)."


class SOPPublishRefused(PublishPagePermissionError):
    pass


@contextmanager
def publish_allowed(reason: str) -> Iterator[None]:
    token = _publish_allowed.set(reason)
    try:
        yield
    finally:
        _publish_allowed.reset(token)


def grant_bypass(revision_id: int, user_id: int, reason: str) -> None:
    """A superuser gave a reason to publish this revision outside the chain (one use)."""
    reasons = getattr(_bypass_reasons, "reasons", None)
    if reasons is None:
        reasons = _bypass_reasons.reasons = {}
    reasons[(revision_id, user_id)] = reason


def take_bypass(revision_id: int, user_id: int) -> str | None:
    reasons = getattr(_bypass_reasons, "reasons", {})
    return reasons.pop((revision_id, user_id), None)


def is_governed(page) -> bool:
    return page.depth > 1


def check_publish(page, revision, user) -> None:
    """Raise unless this publication is the chain's last step, a recorded bypass, or the system's."""
    if _publish_allowed.get() is not None or user is None or not is_governed(page):
        return
    if user.is_superuser:
        reason = take_bypass(revision.pk, user.pk)
        if reason:
            from sop_workflow.bypass import record_bypass

            record_bypass(page, revision, user, reason)
            return
    raise SOPPublishRefused(_(REFUSAL))


def approved_revision(workflow_state):
    """The revision the last content step of this run approved (the publishing step judges none)."""
    from sop_workflow.models import SOPTaskState

    state = (
        SOPTaskState.objects.filter(
            workflow_state=workflow_state,
            status=SOPTaskState.STATUS_APPROVED,
            task__soptask__publishes=False,
        )
        .select_related("judged_revision", "revision")
        .order_by("-finished_at", "-pk")
        .first()
    )
    if state is None:
        return None
    return state.judged_revision or state.revision


def publish_workflow_state(workflow_state, user=None) -> None:
    """WAGTAIL_FINISH_WORKFLOW_ACTION: the chain's last step publishes what the content steps
    approved, never simply the latest revision."""
    revision = approved_revision(workflow_state)
    if revision is None:
        raise SOPPublishRefused(_("Tidak ada revisi yang disetujui oleh langkah konten SOP."))
    with publish_allowed("sop-chain"):
        revision.publish(user=user, skip_permission_checks=True)


_original_execute = PublishPageRevisionAction.execute


def _guarded_execute(self, *args, **kwargs):
    # One transaction: a "di luar SOP" publication's log entry and archive record stand or fall with it.
    with transaction.atomic():
        check_publish(self.object, self.revision, self.user)
        return _original_execute(self, *args, **kwargs)


def install() -> None:
    """Route every page publication through check_publish (called once from AppConfig.ready)."""
    if PublishPageRevisionAction.execute is not _guarded_execute:
        PublishPageRevisionAction.execute = _guarded_execute


#: The signature of Wagtail's PublishPageRevisionAction.execute that the guard wraps.
EXPECTED_EXECUTE_PARAMETERS = ["self", "skip_permission_checks"]


def check_publish_guard(app_configs=None, **kwargs):
    """System check: fail at start-up when Wagtail changes the publish action the guard wraps."""
    import inspect

    from django.core import checks

    parameters = list(inspect.signature(_original_execute).parameters)
    if parameters != EXPECTED_EXECUTE_PARAMETERS:
        return [
            checks.Error(
                f"PublishPageRevisionAction.execute{tuple(parameters)} is not the signature the SOP's "
                f"publish guard was written for {tuple(EXPECTED_EXECUTE_PARAMETERS)}.",
                hint="Read Wagtail's release notes and sop_workflow/enforcement.py, then update the guard.",
                id="sop_workflow.E001",
            )
        ]
    return []
