from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SopWorkflowConfig(AppConfig):
    name = "sop_workflow"
    verbose_name = _("Alur kerja SOP")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sop_workflow import archive, enforcement, notifications

        enforcement.install()
        notifications.connect()
        archive.connect()
