"""Demo content for a newcomer's `make run`: every content kind, realistic Indonesian items.

Idempotent: each area module finds its pages by slug and creates only what is missing. Images
and PDFs are generated locally (nothing is downloaded). Each area module has
``load(home) -> int`` returning how many pages it created.
"""

from importlib import import_module

from wagtail.models import Site

from kpu_pages.models import HomePage

AREAS = ["news", "standar", "regulasi", "pengumuman", "data"]


def load_demo_content() -> int:
    home = HomePage.objects.first()
    if home is None:
        return 0
    if not home.intro:
        home.intro = "Melayani pemilih Jawa Tengah dengan informasi pemilu yang terbuka dan tepercaya."
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site and site.site_name != "KPU Provinsi Jawa Tengah":
        site.site_name = "KPU Provinsi Jawa Tengah"
        site.save()
    created = 0
    for area in AREAS:
        created += import_module(f"kpu_pages.demo.{area}").load(HomePage.objects.get(pk=home.pk))
    _order_sections(HomePage.objects.get(pk=home.pk))
    return created


#: The header navigation, in the order readers look for things; every section is in it.
SECTION_ORDER = [
    "berita",
    "pengumuman",
    "regulasi",
    "data",
    "artikel",
    "liputan-kegiatan",
    "dokumentasi",
    "bahan-sosialisasi",
    "profil",
    "ppid",
    "kontak",
]


def _order_sections(home) -> None:
    """Put the sections in ``SECTION_ORDER`` (the menu's order); nothing moves when they already are.

    Moving a section rewrites the tree path of every page under it: a second run must not do that.
    """
    children = list(home.get_children())
    current = [page.slug for page in children if page.slug in SECTION_ORDER]
    if current != [slug for slug in SECTION_ORDER if slug in current]:
        by_slug = {page.slug: page for page in children}
        for slug in SECTION_ORDER:
            page = by_slug.get(slug)
            if page is not None:
                page.refresh_from_db()
                page.move(home, pos="last-child")
    for page in children:
        # a demo site made before Kontak joined the header menu gets it there too
        if page.slug in SECTION_ORDER and not page.show_in_menus:
            page.show_in_menus = True
            page.save(update_fields=["show_in_menus"])
