"""The publish guard at the database, and a superuser's publication outside the chain ("di luar SOP").

Django's ``pre_save`` on pages and revisions sees every save that makes a revision live (the page
row) or schedules it (the revision's ``approved_go_live_at``), whatever route led there, before the
row is written. Each passes ``enforcement.check_publish``; a superuser's granted reason is recorded
there, with the person, in the page's history and the approval archive.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save

from wagtail.log_actions import log
from wagtail.models import Page, Revision

from sop_workflow.archive import freeze_outside_chain
from sop_workflow.enforcement import Bypass, acting_user, check_publish, take_bypass

BYPASS_ACTION = "sop.publish_outside_chain"


def record_bypass(page, revision, user, reason: str) -> None:
    log(
        instance=page,
        action=BYPASS_ACTION,
        user=user,
        revision=revision,
        data={"reason": reason, "revision_id": revision.pk},
    )
    freeze_outside_chain(page, revision, user, reason)


def guard(page, revision) -> None:
    """Refuse, or let through (recording a granted reason), the publication of ``revision``."""
    bypass: Bypass | None = check_publish(page, revision, acting_user())
    if bypass is not None:
        take_bypass(revision.pk)
        user = get_user_model().objects.get(pk=bypass.user_id)
        record_bypass(page, revision, user, bypass.reason)


def makes_live(page: Page) -> bool:
    """This save of an existing page row makes a revision live (Wagtail's publish action)."""
    if not page.live or page.pk is None:
        return False
    stored = Page.objects.filter(pk=page.pk).values("live", "live_revision_id", "last_published_at").first()
    return stored is not None and (
        not stored["live"]
        or stored["live_revision_id"] != page.live_revision_id
        or stored["last_published_at"] != page.last_published_at
    )


def on_page_pre_save(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    if raw or update_fields is not None or not isinstance(instance, Page):
        return
    if instance.live_revision_id and makes_live(instance):
        guard(instance, instance.live_revision)


def on_revision_pre_save(sender, instance: Revision, update_fields=None, raw=False, **kwargs) -> None:
    """Scheduling a publication: the revision gets the date it goes live by itself."""
    if raw or instance.approved_go_live_at is None:
        return
    if update_fields is not None and "approved_go_live_at" not in update_fields:
        return
    if instance.pk is not None:
        stored = Revision.objects.filter(pk=instance.pk).values_list("approved_go_live_at", flat=True).first()
        if stored == instance.approved_go_live_at:
            return
    page = instance.as_object()
    if isinstance(page, Page):
        guard(page, instance)


def connect() -> None:
    pre_save.connect(on_page_pre_save, dispatch_uid="sop_publish_guard_page")
    pre_save.connect(on_revision_pre_save, sender=Revision, dispatch_uid="sop_publish_guard_revision")
