"""All of the site's URLs: Wagtail's admin and the public ones (``kpu_site.urls_readers``)."""

from django.urls import include, path

from kpu_site.readers import ADMIN_PREFIX, with_admin_api_views
from kpu_site.urls_readers import handler500, public_urlpatterns

with_admin_api_views()  # before the admin's URLs: its API registers Wagtail's own view sets
from wagtail.admin import urls as wagtailadmin_urls  # noqa: E402

urlpatterns = [
    path(ADMIN_PREFIX.lstrip("/"), include(wagtailadmin_urls)),
    *public_urlpatterns,
]

__all__ = ["handler500", "urlpatterns"]
