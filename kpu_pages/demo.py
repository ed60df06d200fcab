"""Demo content for a newcomer's `make run`. Idempotent: running it again adds nothing twice."""

from wagtail.models import Site

from kpu_pages.models import HomePage


def load_demo_content() -> int:
    created = 0
    home = HomePage.objects.first()
    if home is None:
        return created
    if not home.intro:
        home.intro = "Situs resmi Komisi Pemilihan Umum Provinsi Jawa Tengah."
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site and site.site_name != "KPU Provinsi Jawa Tengah":
        site.site_name = "KPU Provinsi Jawa Tengah"
        site.save()
    return created
