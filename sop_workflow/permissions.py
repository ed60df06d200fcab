"""Who may make a page live, through Wagtail's own permission API.

Nobody publishes a page in one go with its creation, a copy or an alias: a new page goes live
only through its chain. Only superusers hold Wagtail's publish permission, for their written
"di luar SOP" publication from the editor; the reason is asked by the ``before_publish_page`` hook
and checked again where the revision goes live (``sop_workflow.bypass``).
"""

from __future__ import annotations

from wagtail.models import PagePermissionTester


class SOPPagePermissionTester(PagePermissionTester):
    def can_publish(self) -> bool:
        return self.user.is_superuser and super().can_publish()

    def can_publish_subpage(self) -> bool:
        # Create-and-publish, copy with "keep live" and aliases (admin views and admin API alike).
        return False
