"""Public URLs of the information service, under ``/layanan-informasi/`` (``kpu_site.urls``)."""


app_name = "ppid"

urlpatterns: list = []
