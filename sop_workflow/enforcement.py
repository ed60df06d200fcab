"""No way around the chain: a page goes live only as the last step of its SOP workflow.

The rule is held first by Wagtail's own permission API: the page permission tester
(``permissions.SOPPagePermissionTester``) gives publish permission to superusers only, and the
admin hooks ask them for a reason. As a second line, every save that makes a revision live or
schedules it passes :func:`check_publish` (``bypass.connect``, Django's ``pre_save``), which refuses a
person who is neither the chain's last step nor a superuser with a recorded "di luar SOP" reason.
Publications with no person (scheduled publishing, management commands) are the system's own.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.apps import apps
from django.core import checks
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.actions.publish_page_revision import PublishPagePermissionError, PublishPageRevisionAction
from wagtail.log_actions import get_active_log_context

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


@dataclass(frozen=True)
class Bypass:
    user_id: int
    reason: str


def grant_bypass(revision_id: int, user_id: int, reason: str) -> None:
    """A superuser gave a reason to publish this revision outside the chain (one use)."""
    reasons = getattr(_bypass_reasons, "reasons", None)
    if reasons is None:
        reasons = _bypass_reasons.reasons = {}
    reasons[revision_id] = Bypass(user_id, reason)


def pending_bypass(revision_id: int) -> Bypass | None:
    return getattr(_bypass_reasons, "reasons", {}).get(revision_id)


def take_bypass(revision_id: int) -> Bypass | None:
    return getattr(_bypass_reasons, "reasons", {}).pop(revision_id, None)


# --- who is publishing -----------------------------------------------------------------------
_UNSET = object()
_acting_user: ContextVar = ContextVar("sop_publishing_user", default=_UNSET)


def acting_user():
    """The person publishing, or None for the system.

    The publish action's own user when it runs through the guard below; otherwise the signed-in
    person of the admin request, which Wagtail keeps in its log context (``LogContext``, activated by
    ``wagtail.admin.auth.require_admin_access`` for every admin view and the admin API) to name the
    person in the log entries the publication writes. Checked by tests/sop_workflow/test_publish_guard.py.
    """
    user = _acting_user.get()
    if user is _UNSET:
        user = get_active_log_context().user
    return user


def is_governed(page) -> bool:
    return page.depth > 1


def check_publish(page, revision, user) -> Bypass | None:
    """Raise unless this publication is the chain's last step, a superuser's granted reason, or the
    system's. Returns the granted bypass (to be recorded), if that is what allows it."""
    if _publish_allowed.get() is not None or not is_governed(page):
        return None
    bypass = pending_bypass(revision.pk)
    if bypass is not None and (user is None or (user.is_superuser and user.pk == bypass.user_id)):
        return bypass
    if user is None:
        return None
    raise SOPPublishRefused(_(REFUSAL))


def approved_revision(workflow_state):
    """The revision the last content step of this run approved (the publishing step judges none)."""
    # By name: Wagtail imports this module (WAGTAIL_FINISH_WORKFLOW_ACTION) while loading its models.
    SOPTaskState = apps.get_model("sop_workflow", "SOPTaskState")  # noqa: N806 - a model class
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


# --- the one class-level wrapper ---------------------------------------------------------------
# Private: replaces PublishPageRevisionAction.execute. Every admin route holds without it (the
# permission tester, the admin hooks, the pre_save guard with the admin request's person). It stays
# for one route only: a direct call ``PublishPageRevisionAction(revision, user=...)
# .execute(skip_permission_checks=True)`` outside a request (a script, a shell), where the person
# lives only on the action object and no signal or hook sees it before the page row is written. It
# adds nothing but that person and one transaction (a "di luar SOP" record stands or falls with the
# publication); system check sop_workflow.E001 fails at start-up if Wagtail changes the signature.
_original_execute = PublishPageRevisionAction.execute


def _guarded_execute(self, *args, **kwargs):
    token = _acting_user.set(self.user)
    try:
        with transaction.atomic():
            return _original_execute(self, *args, **kwargs)
    finally:
        _acting_user.reset(token)


def install() -> None:
    """Name the publish action's person to the pre_save guard (called once from AppConfig.ready)."""
    if PublishPageRevisionAction.execute is not _guarded_execute:
        PublishPageRevisionAction.execute = _guarded_execute


#: The signature of Wagtail's PublishPageRevisionAction.execute that the wrapper passes through.
EXPECTED_EXECUTE_PARAMETERS = ["self", "skip_permission_checks"]


def check_publish_guard(app_configs=None, **kwargs):
    """System check: fail at start-up when Wagtail changes the publish action the guard wraps."""
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
