"""Which pages Wagtail must check for view restrictions, known per worker until the next public change.

Wagtail reads a page's and its ancestors' restrictions on every request (two queries), though nearly
no page has any. The paths of restricted and alias pages are read once per generation and
``SitePage.get_view_restrictions`` answers "none" without a query for a page under neither. With the
fragments off (or Redis down) Wagtail's own lookup runs every time.
"""

from __future__ import annotations

from django.db.models import Q

from wagtail.models import Page

from kpu_site.caching import fragments

KEY = ("view-restriction-paths",)


def _paths_to_check() -> frozenset[str]:
    rows = Page.objects.filter(Q(view_restrictions__isnull=False) | Q(alias_of__isnull=False))
    return frozenset(rows.values_list("path", flat=True).distinct())


def may_be_restricted(page: Page) -> bool:
    """False only when, per what this worker knows of the generation in force, neither ``page`` nor an
    ancestor holds a view restriction or is an alias; True whenever it cannot tell."""
    if not page.pk or not page.path or page.alias_of_id is not None:
        return True
    if not fragments.in_force(None):  # fragments off, or Redis down: Wagtail's own lookup
        return True
    paths = fragments.kept(None, KEY)
    if paths is None:
        paths = _paths_to_check()
        fragments.keep(None, KEY, paths)
    steplen = page.steplen
    return any(page.path[:end] in paths for end in range(steplen, len(page.path) + 1, steplen))
