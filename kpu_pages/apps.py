from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpuPagesConfig(AppConfig):
    name = "kpu_pages"
    verbose_name = _("Halaman situs KPU")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kpu_pages import admin_forms, renditions, search_backend
        from kpu_site.caching import invalidation

        admin_forms.register_date_bounds()
        invalidation.connect()
        renditions.connect()
        search_backend.add_page_relation()
