"""``{% sop_step_clock page %}``: the step a page is at, and its time left or how late it is."""

from __future__ import annotations

from typing import Any

from django import template

from wagtail.models import Page

from sop_workflow import progress

register = template.Library()


def pending_step(request: Any, page: Any) -> progress.PendingStep | None:
    """The page's step in progress, computed once per request (header and status panel share it)."""
    if page is None or not getattr(page, "pk", None):
        return None
    cache = getattr(request, "_sop_pending_steps", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._sop_pending_steps = cache
    if page.pk not in cache:
        cache[page.pk] = progress.for_page(page)
    return cache[page.pk]


@register.inclusion_tag("sop_workflow/includes/step_clock.html", takes_context=True)
def sop_step_clock(context: template.Context, page: Any, layout: str = "header") -> dict[str, Any]:
    if not isinstance(page, Page):
        return {"step": None}
    return {"step": pending_step(context.get("request"), page), "layout": layout}
