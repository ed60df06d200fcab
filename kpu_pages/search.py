"""Site search at ``/cari/``: every live, public page, filtered by content kind and year.

One Wagtail search over ``Page`` (the database backend; on PostgreSQL with the ``indonesian``
text-search configuration, so "memilih" finds "pemilihan"). Filters use only fields Wagtail's
``Page`` already declares as ``FilterField`` (``content_type``, ``id``, ``first_published_at``,
``path``), so no page model needs new search fields:

- ``?jenis=berita`` narrows to one kind's model (``content_type``);
- ``?tahun=2026`` keeps items whose *kind's own date* (``tanggal``, ``tanggal_penetapan``, ...)
  falls in that year, through ``id IN (subquery per kind)``, and other pages by
  ``first_published_at``; the database backend runs these filters as SQL.

A results page costs a fixed number of queries: the count, the ranked page of results, and one
query per content type present to fetch the specific pages (never one per result).

Common words: results are ranked by relevance when there are at most ``RANKED_LIMIT`` matches
(the 50 pages a reader can reach). Beyond that they come newest first and the summary says "lebih
dari 500 hasil": ranking and counting every match of a word found in most of 100,000 items cost the
database seconds (``ts_rank`` reads every matching vector), while the newest matches are found by
walking the pages from the newest and stopping at the first ``RANKED_LIMIT + 1``. The count is that
capped count, never a full one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from wagtail.models import Page, Site
from wagtail.search.query import MATCH_NONE, And, Phrase, PlainText

from kpu_pages.kinds import Kind, available_kinds, get_kind, kind_for_model, summary_of

MAX_QUERY_LENGTH = 100
RESULTS_PER_PAGE = 10
#: the deepest results page reachable; relevance beyond 50 pages helps nobody and costs the database
MAX_PAGE = 50
#: up to this many matches results are ranked by relevance; beyond it they come newest first
RANKED_LIMIT = MAX_PAGE * RESULTS_PER_PAGE
FIRST_YEAR = 2003  # KPU Provinsi Jawa Tengah's first year (UU 12/2003)
SNIPPET_WORDS = 35


@dataclass(frozen=True)
class SearchParams:
    """The reader's request, cleaned: anything unusable is dropped, never an error."""

    q: str
    kind: Kind | None
    year: int | None
    page: int
    truncated: bool = False

    @classmethod
    def from_request(cls, request: HttpRequest) -> SearchParams:
        raw_q = request.GET.get("q", "")
        # no control characters (PostgreSQL refuses NUL), whitespace collapsed
        q = " ".join("".join(ch if ch.isprintable() else " " for ch in raw_q).split())
        truncated = len(q) > MAX_QUERY_LENGTH
        if truncated:
            q = q[:MAX_QUERY_LENGTH].rstrip()
        if not re.search(r"\w", q):
            q = ""  # only punctuation: nothing to look for
        return cls(
            q=q,
            kind=get_kind(request.GET.get("jenis")),
            year=parse_year(request.GET.get("tahun")),
            page=parse_page(request.GET.get("halaman")),
            truncated=truncated,
        )

    def query_string(self, **overrides) -> str:
        """The GET parameters for a link to these results (without ``halaman``)."""
        params = {"q": self.q, "jenis": self.kind.key if self.kind else "", "tahun": self.year or ""}
        params.update(overrides)
        return urlencode({key: value for key, value in params.items() if value})


def year_choices() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def parse_year(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) != 4:
        return None
    year = int(value)
    return year if FIRST_YEAR <= year <= timezone.localdate().year + 1 else None


def parse_page(value: str | None) -> int:
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 6:
        return 1
    return min(max(int(value), 1), MAX_PAGE)


def build_query(q: str):
    """Words must all match (stemmed); text in double quotes must match as a phrase."""
    if '"' not in q:
        return PlainText(q, operator="and")
    parts = []
    for number, part in enumerate(q.split('"')):
        part = part.strip()
        if re.search(r"\w", part):
            parts.append(Phrase(part) if number % 2 else PlainText(part, operator="and"))
    if not parts:
        return MATCH_NONE
    return parts[0] if len(parts) == 1 else And(parts)


def _year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    return (timezone.make_aware(dt.datetime(year, 1, 1)), timezone.make_aware(dt.datetime(year + 1, 1, 1)))


def year_filter(year: int, kind: Kind | None = None) -> Q:
    """Items dated in ``year``: by their kind's own date; pages of no kind by first publication."""
    kinds = [kind] if kind is not None else list(available_kinds())
    condition = Q()
    kind_types = []
    for each in kinds:
        model = each.model
        condition |= Q(pk__in=model.objects.filter(each.year_filter(year)).values("pk"))
        kind_types.append(ContentType.objects.get_for_model(model).pk)
    if kind is None:
        start, end = _year_range(year)
        other_pages = Q(first_published_at__gte=start, first_published_at__lt=end)
        if kind_types:
            other_pages &= ~Q(content_type__in=kind_types)
        condition |= other_pages
    return condition


def search_queryset(params: SearchParams, site: Site | None):
    """The live, public pages of ``site`` matching the filters (not yet the words)."""
    pages = Page.objects.live().public()
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    else:
        pages = pages.filter(depth__gt=1)
    if params.kind is not None:
        pages = pages.type(params.kind.model)
    if params.year is not None:
        pages = pages.filter(year_filter(params.year, params.kind))
    return pages


@dataclass
class Result:
    page: Page
    label: str
    url: str
    date: dt.date | dt.datetime | None
    snippet: SafeString


def highlight(text: str, q: str) -> SafeString:
    """Escape ``text`` and mark the words of ``q`` (and words starting with them) with <mark>."""
    words = sorted({word for word in re.findall(r"\w+", q.lower()) if len(word) > 1}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + ")", re.IGNORECASE)
    parts, position = [], 0
    for match in pattern.finditer(text):
        parts += [escape(text[position : match.start()]), "<mark>", escape(match.group()), "</mark>"]
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped


def to_results(pages: list[Page], request: HttpRequest, q: str) -> list[Result]:
    """Specific pages for one results page: one query per content type present, in ranked order."""
    by_type: dict[int, list[int]] = {}
    for page in pages:
        by_type.setdefault(page.content_type_id, []).append(page.pk)
    specific: dict[int, Page] = {}
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:  # a page type whose code was removed
            continue
        for item in model._default_manager.filter(pk__in=ids).defer_streamfields():
            specific[item.pk] = item
    results = []
    for page in pages:
        item = specific.get(page.pk, page)
        kind = kind_for_model(type(item))
        if kind is not None:
            label, date, summary = kind.label, kind.date_of(item), kind.summary_of(item)
        else:
            label = str(type(item)._meta.verbose_name).capitalize()
            date, summary = item.last_published_at, summary_of(item)
        results.append(
            Result(
                page=item,
                label=label,
                url=item.get_url(request=request) or "",
                date=date,
                snippet=highlight(Truncator(summary).words(SNIPPET_WORDS), q),
            )
        )
    return results


class CappedPaginator(Paginator):
    """Pages of results, never more than ``MAX_PAGE`` of them (the count still tells the full total)."""

    @cached_property
    def num_pages(self) -> int:
        return min(super().num_pages, MAX_PAGE)


def paginate_results(results, number: int, count: int | None = None) -> PaginatorPage:
    paginator = CappedPaginator(results, RESULTS_PER_PAGE)
    if count is not None:  # already known: no second count query
        paginator.count = count
    return paginator.page(min(number, paginator.num_pages or 1))


def capped_count(results, limit: int) -> int:
    """How many results there are, counted no further than ``limit``, in no particular order.

    Without an order the database finds them the cheapest way: for a rare word through the
    full-text index, for a common one by reading rows until ``limit`` of them match. (Ordered, a
    rare word meant reading every row from the newest on.) ``get_queryset`` is the database
    backends' own queryset of the matches; other backends count their own way.
    """
    get_queryset = getattr(results, "get_queryset", None)
    if get_queryset is None:
        return results[:limit].count()
    return get_queryset().order_by()[:limit].count()


def find(params: SearchParams, site: Site | None) -> tuple[PaginatorPage, int, bool]:
    """The results page, the number of matches (at most ``RANKED_LIMIT``) and whether there are more.

    One capped count of the newest matches decides the order: by relevance when all matches can be
    ranked cheaply, newest first when there are more than ``RANKED_LIMIT``.
    """
    pages = search_queryset(params, site)
    query = build_query(params.q)
    newest = pages.order_by("-first_published_at", "-id").search(query, order_by_relevance=False)
    matches = capped_count(newest, RANKED_LIMIT + 1)
    more = matches > RANKED_LIMIT
    results = newest if more else pages.search(query)
    total = min(matches, RANKED_LIMIT)
    return paginate_results(results, params.page, count=total), total, more


@require_safe
def search_view(request: HttpRequest) -> HttpResponse:
    params = SearchParams.from_request(request)
    site = Site.find_for_request(request)
    context: dict = {
        "params": params,
        "kinds": list(available_kinds()),
        "years": year_choices(),
        "max_query_length": MAX_QUERY_LENGTH,
        "query_string": params.query_string(),
        "unfiltered_query_string": params.query_string(jenis="", tahun=""),
        "results": [],
        "items": None,
    }
    if params.q:
        items, total, more = find(params, site)
        context.update(items=items, total=total, more_than_total=more, newest_first=more)
        context["results"] = to_results(list(items.object_list), request, params.q)
    response = TemplateResponse(request, "kpu_pages/search.html", context)
    # Search result pages are not for search engines (robots.txt disallows them too).
    response["X-Robots-Tag"] = "noindex"
    return response
