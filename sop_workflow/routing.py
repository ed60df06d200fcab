"""Which chain a page takes: decided by its content kind, wherever the page sits in the tree."""

from __future__ import annotations

from wagtail.models import Page, Workflow

from sop_workflow.permissions import SOPPagePermissionTester
from sop_workflow.sop import CHAINS, chain_for_kind


def kind_of(page: Page) -> str | None:
    """The content kind key of a page ("berita", ...), or None for pages the SOP does not name."""
    from kpu_pages.kinds import kind_for_model

    kind = kind_for_model(page.specific_class) if page.specific_class else None
    return kind.key if kind else None


def workflow_for_page(page: Page) -> Workflow | None:
    chain = chain_for_kind(kind_of(page))
    return Workflow.objects.filter(name=CHAINS[chain].workflow_name, active=True).first()


class SOPRoutedPageMixin:
    """Page mixin, on every page of the site: the page's workflow is its kind's chain (not whatever
    its ancestors carry), and what its users may publish is the SOP's rule."""

    def get_workflow(self):
        return workflow_for_page(self) or super().get_workflow()

    def permissions_for_user(self, user):
        return SOPPagePermissionTester(user, self)
