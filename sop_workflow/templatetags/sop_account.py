"""The account screen's notification switches that the SOP's own emails replace."""

from __future__ import annotations

from django import template

from sop_workflow.notifications import WAGTAIL_WORKFLOW_PREFERENCES

register = template.Library()


@register.filter
def replaced_by_sop_mail(field) -> bool:
    """True for Wagtail's workflow switches (held off: the SOP's emails replace those mails)."""
    return field.form.prefix == "notifications" and field.name in WAGTAIL_WORKFLOW_PREFERENCES
