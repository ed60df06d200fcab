from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpuPagesConfig(AppConfig):
    name = "kpu_pages"
    verbose_name = _("Halaman situs KPU")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kpu_pages import admin_forms, page_cache, renditions, search_backend

        admin_forms.register_date_bounds()
        page_cache.connect()
        renditions.connect()
        search_backend.add_page_relation()
