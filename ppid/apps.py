from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PpidConfig(AppConfig):
    name = "ppid"
    verbose_name = "Layanan Informasi Publik (PPID)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ppid.setup import setup_after_migrate

        post_migrate.connect(setup_after_migrate, sender=self, dispatch_uid="ppid_setup_groups")
