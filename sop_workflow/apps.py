from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SopWorkflowConfig(AppConfig):
    name = "sop_workflow"
    verbose_name = _("Alur kerja SOP")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy

        from sop_workflow import archive, authoring, bypass, enforcement, media, notifications, revisions
        from sop_workflow.visibility import SOPPagePermissionPolicy

        # Wagtail's documented way to replace a model's permission policy (before anything looks it up).
        register_permission_policy(Page, SOPPagePermissionPolicy(Page))

        enforcement.install()
        checks.register(enforcement.check_publish_guard)
        bypass.connect()
        revisions.connect()
        media.connect()
        notifications.connect(self)
        archive.connect()
        authoring.connect()
