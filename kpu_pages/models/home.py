from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from kpu_site.caching import routes

from .base import SitePage, site_search_fields


class HomePage(SitePage):
    """The site root: KPU Provinsi Jawa Tengah's front page."""

    intro = models.CharField(
        _("kalimat pembuka"),
        max_length=255,
        blank=True,
        help_text=_("Satu kalimat di bawah judul beranda."),
    )
    body = RichTextField(_("isi"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = site_search_fields(index.SearchField("intro"), index.SearchField("body"))

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "kpu_pages.BeritaIndexPage",
        "kpu_pages.LiputanKegiatanIndexPage",
        "kpu_pages.ArtikelIndexPage",
        "kpu_pages.ProfilPage",
        "kpu_pages.KontakPage",
        "kpu_pages.PPIDPage",
        "kpu_pages.RegulasiIndexPage",
        "kpu_pages.PengumumanIndexPage",
        "kpu_pages.DokumentasiIndexPage",
        "kpu_pages.BahanSosialisasiIndexPage",
        "kpu_pages.DataIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("beranda")
        verbose_name_plural = _("beranda")

    def route(self, request, path_components):
        """Wagtail's routing from the site root, with the paths already routed kept per worker
        until the next public change (kpu_site.caching.routes)."""
        return routes.route(self, request, path_components, super().route)

    def get_context(self, request, *args, **kwargs):
        from django.template.loader import render_to_string

        from kpu_pages.home_sections import home_sections
        from kpu_site.caching.fragments import fragment

        def render() -> str:
            return render_to_string("includes/home_sections.html", home_sections(self), request=request)

        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            context["home_sections_html"] = render()
        else:
            # rebuilt after every public change (kpu_site.caching.fragments)
            context["home_sections_html"] = fragment(request, ("home-sections", self.pk), render)
        return context
