"""Which chain a page takes: decided by its content kind, wherever the page sits in the tree."""

from __future__ import annotations

from wagtail.models import Page, Workflow

from kpu_pages.kinds import kind_for_model
from sop_workflow.sop import CHAINS, chain_for_kind


def kind_of(page: Page) -> str | None:
    """The content kind key of a page ("berita", ...), or None for pages the SOP does not name."""
    kind = kind_for_model(page.specific_class) if page.specific_class else None
    return kind.key if kind else None


def workflow_for_page(page: Page) -> Workflow | None:
    chain = chain_for_kind(kind_of(page))
    return Workflow.objects.filter(name=CHAINS[chain].workflow_name, active=True).first()
