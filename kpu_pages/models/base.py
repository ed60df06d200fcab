"""Base classes every content kind builds on: the site's page, listing (index) pages and dated
content pages."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks, hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from kpu_pages.blocks import BaseStreamBlock
from kpu_pages.kinds import kind_for_model
from kpu_site.caching import restrictions

from .images import ImageAltTextMixin, image_panels, image_with_alt

LISTING_PAGE_SIZE = 10
LISTING_IMAGE_FILTERS = ("fill-400x225|format-webp", "fill-800x450|format-webp")


#: the deepest page of a listing; older items are reached through search (with its year filter),
#: the listing's own filters and the sitemap. Deep OFFSETs over a large archive are costly for
#: the database, and nobody pages a thousand times.
LISTING_MAX_PAGES = 100


class ListingPaginator(Paginator):
    """A listing's pages, at most ``LISTING_MAX_PAGES``, counted only that far (one cheap query)."""

    max_pages = LISTING_MAX_PAGES

    @cached_property
    def limit(self) -> int:
        return self.max_pages * self.per_page

    @cached_property
    def full_count(self) -> int:
        """Items counted up to one past the limit: ``COUNT(*)`` over a ``LIMIT``-ed subquery."""
        return self.object_list.order_by()[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.full_count, self.limit)

    @cached_property
    def truncated(self) -> bool:
        """True when there are more items than the listing pages through."""
        return self.full_count > self.limit


class IdsFirstPaginator(ListingPaginator):
    """A listing sorted on its child table's columns: a page's ids first, then only those rows.

    Sorting whole rows (the page's and its kind's) to reach a deep page makes PostgreSQL carry
    every row through the sort; sorting ids and the sort keys is a fraction of
    that, and the ten rows are then read by primary key. One query more, whatever the page.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def paginate(request, queryset, per_page: int = LISTING_PAGE_SIZE, paginator_class=ListingPaginator):
    """Page a queryset by ``?halaman=N``; a bad or out-of-range number shows the nearest page.

    Beyond ``LISTING_MAX_PAGES`` the deepest page is shown, and the pager says that older items are
    found through search.
    """
    paginator = paginator_class(queryset, per_page)
    number = request.GET.get("halaman", 1)
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages or 1)


#: the start of the word that ends every page's search index entry (``year_word``)
YEAR_WORD_PREFIX = "kpuyear"


def year_word(year: int) -> str:
    """The word the search index holds for a page dated in ``year``: one lexeme that no reader's
    word stems to, so the site search ANDs it with the words and the full-text index finds the
    year's matches itself (``kpu_pages.search.find``)."""
    return f"{YEAR_WORD_PREFIX}{year}"


def site_search_fields(*fields) -> list:
    """A page model's ``search_fields``: Wagtail's, the model's own, and last the year word.

    Last, so that the words before it keep their positions in the index entry (phrases and
    PostgreSQL's ranking read positions); it has no boost, so the weights stay as they were.
    """
    return [*Page.search_fields, *fields, index.SearchField("search_year_word")]


#: hook names of the routing hook (see ``SitePage``)
WORKFLOW_HOOK = "kpu_page_workflow"
PERMISSION_TESTER_HOOK = "kpu_page_permission_tester"


class SitePage(Page):
    """Every page of the site. Which workflow a page takes and who may do what with it are asked of
    the routing hook, so this app knows nothing of the rules that fill it:

    - ``kpu_page_workflow``: functions ``fn(page) -> Workflow | None``;
    - ``kpu_page_permission_tester``: functions ``fn(page, user) -> PagePermissionTester | None``.

    The first function (in hook order) that answers wins; with none, Wagtail's defaults apply (the
    workflow of the nearest ancestor, Wagtail's own permission tester). ``sop_workflow`` registers
    both in its ``wagtail_hooks.py``: the chain of the page's content kind and the SOP's tester.
    """

    search_fields = site_search_fields()

    class Meta:
        abstract = True

    def search_year_word(self) -> str:
        """``year_word`` of the year the site search dates this page in: its kind's own date
        (Asia/Jakarta), for pages of no kind their first publication; empty while it has none."""
        kind = kind_for_model(type(self))
        value = kind.date_of(self) if kind is not None else self.first_published_at
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value, timezone.get_default_timezone())
        return year_word(value.year)

    def get_workflow(self):
        for fn in hooks.get_hooks(WORKFLOW_HOOK):
            workflow = fn(self)
            if workflow is not None:
                return workflow
        return super().get_workflow()

    def permissions_for_user(self, user):
        for fn in hooks.get_hooks(PERMISSION_TESTER_HOOK):
            tester = fn(self, user)
            if tester is not None:
                return tester
        return super().permissions_for_user(user)

    def get_view_restrictions(self):
        """Wagtail's lookup, skipped (no query) for a page that, per the paths kept until the next
        public change, neither it nor an ancestor restricts (kpu_site.caching.restrictions)."""
        if not restrictions.may_be_restricted(self):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class IndexPage(SitePage):
    """A listing of one content kind, newest first, ten to a page."""

    intro = RichTextField(_("pengantar"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["kpu_pages.HomePage"]
    #: the detail model this index lists; set by subclasses
    child_model: type[Page] | None = None
    #: the field the listing is ordered by, newest first
    order_field = "-first_published_at"
    template_name_listing = "kpu_pages/listing_page.html"

    class Meta:
        abstract = True

    def get_items(self, request=None):
        model = self.child_model
        items = model.objects.child_of(self).live().public().order_by(self.order_field, "-pk")
        return self.optimise_listing(items)

    def optimise_listing(self, queryset):
        """Fetch what the listing template shows in a fixed number of queries."""
        return queryset

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only when the listing is rendered, not when its {% page_fragment %} is kept.
        context["items"] = SimpleLazyObject(lambda: paginate(request, self.get_items(request)))
        return context


class TaggedPageMixin(models.Model):
    """Pages that carry Wilayah and Pemilu links."""

    wilayah = ParentalManyToManyField(
        "kpu_pages.Wilayah",
        blank=True,
        verbose_name=_("wilayah"),
        related_name="+",
        help_text=_("Kabupaten/kota yang dibahas. Kosongkan bila berlaku untuk seluruh Jawa Tengah."),
    )
    pemilu = ParentalManyToManyField(
        "kpu_pages.Pemilu", blank=True, verbose_name=_("pemilu"), related_name="+"
    )

    class Meta:
        abstract = True


def pemilu_panel() -> FieldPanel:
    """The Pemilu field of every tagged page: one checkbox per election (Referensi > Pemilu)."""
    return FieldPanel(
        "pemilu",
        heading=_("Pemilu atau pemilihan"),
        help_text=_(
            "Pemilu atau pemilihan yang dibahas. Kosongkan bila tidak membahas pemilu tertentu. "
            "Daftarnya diatur di menu Referensi > Pemilu."
        ),
        widget=forms.CheckboxSelectMultiple,
    )


@dataclass(frozen=True)
class NewsWording:
    """What the edit form of one news-like kind calls the shared fields (labels and help texts).

    Berita, Liputan Kegiatan and Artikel share ``NewsBase``'s fields; only the words differ, so they
    are set on each kind's panels rather than on the fields (which would need a migration).
    """

    tanggal: str
    tanggal_help: str
    kota: str
    kota_help: str
    lead: str
    lead_help: str

    def panels(self) -> list:
        return [
            *Page.content_panels,
            MultiFieldPanel(
                [
                    FieldPanel("tanggal", heading=self.tanggal, help_text=self.tanggal_help),
                    FieldPanel("kota", heading=self.kota, help_text=self.kota_help),
                ],
                heading=_("Waktu dan tempat"),
            ),
            FieldPanel("lead", heading=self.lead, help_text=self.lead_help),
            MultiFieldPanel(image_panels("feature_image"), heading=_("Gambar utama")),
            FieldPanel("body"),
        ]


BERITA_WORDING = NewsWording(
    tanggal=_("Tanggal dan waktu berita (WIB)"),
    tanggal_help=_("Waktu berita, dalam WIB."),
    kota=_("Kota (dateline)"),
    kota_help=_("Kota tempat berita dibuat, ditulis di awal teras berita. Contoh: Semarang"),
    lead=_("Teras berita"),
    lead_help=_("Satu atau dua kalimat inti, tampil di daftar dan pratinjau."),
)


class NewsBase(ImageAltTextMixin, TaggedPageMixin, SitePage):
    """Berita, Liputan Kegiatan and Artikel share these fields."""

    tanggal = models.DateTimeField(
        _("tanggal dan waktu (WIB)"),
        default=timezone.now,
        db_index=True,  # the listing's order: newest first, however many items
        help_text=_("Waktu berita, dalam WIB."),
    )
    kota = models.CharField(
        _("kota (dateline)"), max_length=60, default="Semarang", help_text=_("Contoh: Semarang")
    )
    lead = models.TextField(
        _("teras berita"),
        max_length=600,
        help_text=_("Satu atau dua kalimat inti, tampil di daftar dan pratinjau."),
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("isi"), blank=True)
    feature_image, feature_image_alt = image_with_alt(
        _("gambar utama"),
        _("teks alternatif gambar utama"),
        alt_help=_("Wajib bila ada gambar utama: apa yang tampak di gambar."),
    )
    related_pages = StreamField(
        [("page", blocks.PageChooserBlock(label=_("halaman")))],
        verbose_name=_("halaman terkait"),
        blank=True,
        max_num=6,
    )

    #: the Berita wording; Liputan Kegiatan and Artikel build their own from ``NewsWording``
    content_panels = BERITA_WORDING.panels()
    taxonomy_panels = [
        FieldPanel("tags"),
        FieldPanel("wilayah"),
        pemilu_panel(),
        FieldPanel("related_pages"),
    ]
    search_fields = site_search_fields(
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("tanggal"),
    )
    subpage_types: list[str] = []
    alt_text_required = {"feature_image": _("Isi teks alternatif untuk gambar utama.")}

    class Meta:
        abstract = True

    @property
    def listing_date(self):
        return self.tanggal

    def json_ld(self) -> str:
        """schema.org NewsArticle for search engines, safe to embed in a <script> element."""
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.title[:110],
            "description": self.lead,
            "datePublished": self.tanggal.isoformat(),
            "dateModified": (self.last_published_at or self.tanggal).isoformat(),
            "mainEntityOfPage": self.full_url,
            "inLanguage": "id",
            "author": {"@type": "Person", "name": getattr(self, "penulis", "")}
            if getattr(self, "penulis", "")
            else {"@type": "Organization", "name": settings.KPU_IDENTITY["name"]},
            "publisher": {"@type": "GovernmentOrganization", "name": settings.KPU_IDENTITY["long_name"]},
        }
        if self.feature_image_id:
            try:
                rendition = self.feature_image.get_rendition("fill-1200x630|format-jpeg")
            except SourceImageIOError:  # the original cannot be read now (S3 down): no picture
                pass
            else:
                data["image"] = [rendition.full_url]
        return json_for_script(data)


def json_for_script(data) -> str:
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
