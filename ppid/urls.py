"""Public URLs of the information service, under ``/layanan-informasi/`` (``kpu_site.urls``); the
prefix itself redirects to the site's PPID page."""

from django.urls import path

from ppid import views, views_statistics

app_name = "ppid"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("permohonan/", views.request_form, name="request"),
    path("permohonan/terkirim/", views.receipt, name="receipt"),
    path("status/", views.status, name="status"),
    path("keberatan/", views.objection, name="objection"),
    path("keberatan/terkirim/", views.objection_receipt, name="objection_receipt"),
    path("pemberitahuan/<slug:kind>/<str:number>.pdf", views.notice, name="notice"),
    path("dokumen/<str:number>/", views.document, name="document"),
    path("dokumen/<str:number>/tindak-lanjut/", views.followup_document, name="followup_document"),
    path("statistik/", views_statistics.index, name="statistics"),
    path("statistik/<int:year>/", views_statistics.year, name="statistics_year"),
]
