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

    # Development only: images are served straight from MEDIA_ROOT. Documents never are: they go through
    # /documents/, where the SOP's access rule applies (sop_workflow.documents).
    for folder in ("images", "original_images"):
        urlpatterns += static(
            f"{settings.MEDIA_URL}{folder}/", document_root=f"{settings.MEDIA_ROOT}/{folder}"
        )

urlpatterns += [
    # Wagtail serves only paths of slugs ending in "/"; let routable pages answer "<page>/<name>.json"
    # (e.g. /regulasi/jdihn.json) through Wagtail's own serve view, so privacy and hooks still apply.
    re_path(r"^(?P<path>(?:[\w\-]+/)+[\w\-]+\.json)$", wagtail_views.serve, name="wagtail_serve_json"),
    path("", include(wagtail_urls)),
]
