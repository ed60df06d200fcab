"""Site search at ``/cari/``: every live, public page, filtered by content kind and year.

One Wagtail search over ``Page`` (PostgreSQL's ``indonesian`` configuration), filtered only on fields
``Page`` already declares as ``FilterField``; the year is a word every page's index entry ends with
(``kpu_pages.models.base.site_search_fields``). A search's cost is bounded whatever the reader
types: words, phrases, ranked matches and statement time are capped. How many searches may run at
once: ``kpu_pages.search_limit``.
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from wagtail.fields import StreamField
from wagtail.models import Page, Site
from wagtail.search.query import MATCH_NONE, And, Phrase, PlainText

from kpu_pages.kinds import Kind, available_kinds, get_kind, kind_for_model, summary_of
from kpu_pages.models.base import year_word

MAX_QUERY_LENGTH = 100
#: words searched at most, inside phrases or not (each costs an index lookup; a phrase, positions)
MAX_WORDS = 10
#: phrases in double quotes searched at most
MAX_PHRASES = 3
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
    #: words or phrases beyond MAX_WORDS / MAX_PHRASES were dropped
    bounded: bool = False

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
        q, bounded = bound_terms(q)
        return cls(
            q=q,
            kind=get_kind(request.GET.get("jenis")),
            year=parse_year(request.GET.get("tahun")),
            page=parse_page(request.GET.get("halaman")),
            truncated=truncated,
            bounded=bounded,
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


def _words(text: str) -> list[str]:
    """The words the search backend looks up: split on spaces and hyphens, as Wagtail's does."""
    return [word for word in re.split(r"[\s\-]+", text) if re.search(r"\w", word)]


def bound_terms(q: str) -> tuple[str, bool]:
    """``q`` with at most ``MAX_WORDS`` words and ``MAX_PHRASES`` phrases, and whether any was dropped.

    Parts are read as ``build_query`` reads them (text between double quotes is a phrase) and kept
    in order; the first words and phrases are searched, the rest dropped. A phrase cut by the word
    limit keeps its first words.
    """
    if '"' not in q and len(_words(q)) <= MAX_WORDS:
        return q, False
    kept: list[str] = []
    words = phrases = 0
    bounded = False
    for number, part in enumerate(q.split('"')):
        is_phrase = number % 2 == 1
        taken: list[str] = []
        used = 0
        for token in part.split():
            pieces = len(_words(token))
            if pieces and (words + used + pieces > MAX_WORDS or (is_phrase and phrases >= MAX_PHRASES)):
                bounded = True
                break
            taken.append(token)
            used += pieces
        if not used:
            continue
        words += used
        if is_phrase:
            phrases += 1
            kept.append(f'"{" ".join(taken)}"')
        else:
            kept.append(" ".join(taken))
    if not bounded:
        return q, False
    return " ".join(kept), True


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


def dated_query(query, year: int | None):
    """``query``, and with a year that year's word (``year_word``), which every page's index entry
    ends with: the full-text index finds the words and the year together, instead of each page of
    the year being checked for the words."""
    if year is None or query is MATCH_NONE:
        return query
    return And([query, PlainText(year_word(year))])


def search_queryset(params: SearchParams, site: Site | None):
    """The live, public pages of ``site`` of the kind asked for (not yet the year or the words)."""
    pages = Page.objects.live().public()
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    else:
        pages = pages.filter(depth__gt=1)
    if params.kind is not None:
        pages = pages.type(params.kind.model)
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


def _kind_relations() -> dict[int, tuple[str, tuple[str, ...]]]:
    """For each kind's content type: its table's name from ``Page`` (the reverse one-to-one of
    multi-table inheritance) and that kind's StreamFields, which a result never shows."""
    relations = {}
    for kind in available_kinds():
        model = kind.model
        name = model._meta.model_name
        streams = tuple(
            f"{name}__{field.name}"
            for field in model._meta.get_fields()
            if isinstance(field, StreamField) and field.model is model
        )
        relations[ContentType.objects.get_for_model(model).pk] = (name, streams)
    return relations


def to_results(pages: list[Page], request: HttpRequest, q: str) -> list[Result]:
    """Specific pages for one results page, in ranked order: the items of every kind in one query
    (each kind's table joined to its page by primary key), other pages one query per type."""
    relations = _kind_relations()
    specific: dict[int, Page] = {}
    kind_ids = [page.pk for page in pages if page.content_type_id in relations]
    if kind_ids:
        names = [name for name, _streams in relations.values()]
        unseen = [stream for _name, streams in relations.values() for stream in streams]
        for page in Page.objects.filter(pk__in=kind_ids).select_related(*names).defer(*unseen):
            try:
                specific[page.pk] = getattr(page, relations[page.content_type_id][0])
            except ObjectDoesNotExist:  # a page row without its kind's row: shown as a plain page
                pass
    by_type: dict[int, list[int]] = {}
    for page in pages:
        if page.content_type_id not in relations:
            by_type.setdefault(page.content_type_id, []).append(page.pk)
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


def first_matches(results, limit: int) -> list[int]:
    """The ids of at most ``limit`` matches, in no particular order.

    Without an order the database finds them the cheapest way: for a rare word through the
    full-text index, for a common one by reading rows until ``limit`` of them match. (Ordered, a
    rare word meant reading every row from the newest on.) ``get_queryset`` is the database
    backends' own queryset of the matches; other backends list them their own way.
    """
    get_queryset = getattr(results, "get_queryset", None)
    if get_queryset is None:
        return [page.pk for page in results[:limit]]
    return list(get_queryset().order_by().values_list("pk", flat=True)[:limit])


def all_matches(results) -> list[int]:
    """The ids of every match, in the results' order.

    For a year's matches (``dated_query``): the year bounds them, and with no limit the database
    finds them through the full-text index (the words and the year's word together) and sorts
    them. A limit would tempt PostgreSQL into walking pages from the newest, testing each, through
    every year since.
    """
    get_queryset = getattr(results, "get_queryset", None)
    if get_queryset is None:
        return [page.pk for page in results]
    return list(get_queryset().values_list("pk", flat=True))


def newest_page(ids: list[int], number: int, count: int) -> PaginatorPage:
    """One results page of ``ids`` (already newest first), as pages."""
    items = paginate_results(ids, number, count=count)
    rows = Page.objects.in_bulk(items.object_list)
    items.object_list = [rows[pk] for pk in items.object_list if pk in rows]
    return items


def find(params: SearchParams, site: Site | None) -> tuple[PaginatorPage, int, bool]:
    """The results page, the number of matches (at most ``RANKED_LIMIT``) and whether there are more.

    Without a year, one query finds the ids of up to ``RANKED_LIMIT + 1`` matches; with a year, of
    all that year's matches, newest first (``dated_query``, ``all_matches``). When there are no
    more than ``RANKED_LIMIT`` they are ranked by relevance, reading only those pages; beyond it
    results come newest first, since ranking every match of a common word reads every matching
    vector (``ts_rank``): without a year by walking pages from the newest, with one in the order
    already read. The number shown is at most ``RANKED_LIMIT``, never a full count.
    """
    query = build_query(params.q)
    pages = search_queryset(params, site)
    newest = pages.order_by("-first_published_at", "-id")
    if params.year is None:
        ids = first_matches(pages.search(query, order_by_relevance=False), RANKED_LIMIT + 1)
    else:
        ids = all_matches(newest.search(dated_query(query, params.year), order_by_relevance=False))
    more = len(ids) > RANKED_LIMIT
    total = min(len(ids), RANKED_LIMIT)
    if not more:
        results = Page.objects.filter(pk__in=ids).search(query)
    elif params.year is None:
        results = newest.search(query, order_by_relevance=False)
    else:
        return newest_page(ids[:RANKED_LIMIT], params.page, total), total, more
    return paginate_results(results, params.page, count=total), total, more


#: PostgreSQL's SQLSTATE for a statement cancelled, here by statement_timeout
QUERY_CANCELED = "57014"


class SearchTooBroad(Exception):
    """The search did not finish within ``SEARCH_STATEMENT_TIMEOUT_MS``."""


@contextmanager
def time_limited():
    """Run the search's statements with PostgreSQL's ``statement_timeout`` set for them alone.

    ``SET LOCAL`` (``set_config(..., true)``) inside a transaction: it ends with the transaction, so
    no other query of the request (nor, behind PgBouncer, of another client on the same server
    connection) inherits it. Inside an outer transaction (tests) the previous values are put back.
    A cancelled statement rolls the transaction back and raises ``SearchTooBroad``. The same
    transaction turns off PostgreSQL's JIT compiler: where the planner overestimates the join of a
    results page's items to their kinds' tables (tables never analysed), JIT spends far longer
    compiling a query than the query then takes to run. Other databases run the search as it is.
    """
    if connection.vendor != "postgresql":
        yield
        return
    milliseconds = max(int(settings.SEARCH_STATEMENT_TIMEOUT_MS), 0)  # 0: no limit
    nested = connection.in_atomic_block
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                previous = None
                if nested:
                    cursor.execute("SELECT current_setting('statement_timeout'), current_setting('jit')")
                    previous = cursor.fetchone()
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true), set_config('jit', 'off', true)",
                    [str(milliseconds)],
                )
            yield
            if previous is not None:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('statement_timeout', %s, true), set_config('jit', %s, true)",
                        list(previous),
                    )
    except OperationalError as exc:
        cause = exc.__cause__  # psycopg2 names the SQLSTATE pgcode, psycopg 3 sqlstate
        if QUERY_CANCELED in (getattr(cause, "pgcode", None), getattr(cause, "sqlstate", None)):
            raise SearchTooBroad from exc
        raise


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
        "too_broad": False,
        "max_words": MAX_WORDS,
        "max_phrases": MAX_PHRASES,
    }
    if params.q:
        try:
            with time_limited():
                items, total, more = find(params, site)
                results = to_results(list(items.object_list), request, params.q)
        except SearchTooBroad:
            context["too_broad"] = True
        else:
            context.update(items=items, total=total, more_than_total=more, newest_first=more, results=results)
    response = TemplateResponse(request, "kpu_pages/search.html", context)
    # Search result pages are not for search engines (robots.txt disallows them too).
    response["X-Robots-Tag"] = "noindex"
    if context["too_broad"]:
        # It tells of a busy moment, not of the content: not kept by the page cache or a proxy.
        response["Cache-Control"] = "private, no-cache"
    return response
