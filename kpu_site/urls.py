from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
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

    # Development only: images are served straight from MEDIA_ROOT. Documents never are: they go through
    # /documents/, where the SOP's access rule applies (sop_workflow.documents).
    for folder in ("images", "original_images"):
        urlpatterns += static(
            f"{settings.MEDIA_URL}{folder}/", document_root=f"{settings.MEDIA_ROOT}/{folder}"
        )

urlpatterns += [path("", include(wagtail_urls))]
