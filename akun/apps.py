from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AkunConfig(AppConfig):
    name = "akun"
    verbose_name = _("Keamanan akun")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from akun import audit

        audit.connect()
