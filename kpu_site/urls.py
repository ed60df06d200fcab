from django.conf import settings
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from kpu_pages.feeds import KindFeed

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("<slug:kind>/rss/", KindFeed(), name="kind_feed"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Data tables download as <page-url>unduh/<n>.csv (DataPage route); Wagtail's own pattern
    # admits no dot in a path, so this one narrow pattern hands such URLs to Wagtail's router.
    re_path(r"^((?:[\w\-]+/)*unduh/\d+\.csv)$", wagtail_views.serve, name="data_table_csv"),
    path("", include(wagtail_urls)),
]
