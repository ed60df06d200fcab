"""A superuser's publication outside the chain ("di luar SOP"): recorded with its reason and person."""

from __future__ import annotations

from wagtail.log_actions import log

BYPASS_ACTION = "sop.publish_outside_chain"


def record_bypass(page, revision, user, reason: str) -> None:
    log(
        instance=page,
        action=BYPASS_ACTION,
        user=user,
        revision=revision,
        data={"reason": reason, "revision_id": revision.pk},
    )
    from sop_workflow.archive import freeze_outside_chain

    freeze_outside_chain(page, revision, user, reason)
