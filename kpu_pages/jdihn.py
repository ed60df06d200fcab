"""The JDIHN harvest feed of a Regulasi index (``/regulasi/jdihn.json``): every live, public
regulation in the field names JDIHN's harvester reads.

Items are built from plain rows (``JDIHN_COLUMNS``), not page objects; the whole list is streamed
from a server-side cursor when it is longer than one page, so a worker's memory does not grow with
the number of regulations. ``RegulasiIndexPage`` routes ``jdihn.json`` here (``feed_response``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from posixpath import basename
from urllib.parse import quote, urljoin

import orjson

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db import connections, transaction
from django.http import HttpResponse, HttpResponseNotFound, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext as _

from wagtail.documents import get_document_model
from wagtail.models import Page, Site

#: items per page of the JDIHN feed when a harvester asks for ``?halaman=N``
JDIHN_PAGE_SIZE = 500

#: what the whole feed's query is planned with: a row read by index costs about one read in sequence
STREAM_RANDOM_PAGE_COST = "1.1"

#: The fields of one item of the JDIHN harvest feed (``/regulasi/jdihn.json``), in order.
JDIHN_FIELDS: tuple[str, ...] = (
    "idData",
    "tahun_pengundangan",
    "tanggal_penetapan",
    "tanggal_pengundangan",
    "jenis",
    "noPeraturan",
    "judul",
    "singkatanJenis",
    "tempatTerbit",
    "sumber",
    "subjek",
    "status",
    "bahasa",
    "bidangHukum",
    "teuBadan",
    "fileDownload",
    "urlDownload",
    "abstrak",
    "urlDetailPeraturan",
    "operasi",
    "display",
    "noPanggil",
    "penerbit",
    "deskripsiFisik",
    "isbn",
    "nomorIndukBuku",
)

#: The harvester's fixed values: ``operasi`` "4" (add or update the item), ``display`` "1" (shown),
#: and "-" for the library-catalogue fields a regulation has none of.
JDIHN_FIXED = {
    "operasi": "4",
    "display": "1",
    "noPanggil": "-",
    "penerbit": "-",
    "deskripsiFisik": "-",
    "isbn": "-",
    "nomorIndukBuku": "-",
}

#: what a JDIHN item is built from, read as plain rows: building a page object for every
#: regulation (and asking each for its URL) made the whole feed slow
JDIHN_COLUMNS = (
    "pk",
    "slug",
    "title",
    "judul_lengkap",
    "tahun",
    "tanggal_penetapan",
    "tanggal_pengundangan",
    "jenis",
    "nomor",
    "singkatan_jenis",
    "tempat_penetapan",
    "sumber",
    "subjek",
    "status",
    "bahasa",
    "bidang_hukum",
    "teu_badan",
    "abstrak",
    "dokumen_id",
    "dokumen__file",
)

_ID_MARK, _NAME_MARK = "918273645", "kpu-jdihn-berkas"
_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted
_PLAIN_NAME = re.compile(r"[A-Za-z0-9._~-]+")  # what quote() leaves as it is


def document_url_builder(root_url: str) -> Callable[[int, str], str]:
    """``build(id, file name)``: the document's ``url`` as ``Document.url`` gives it, made absolute
    against ``root_url``, without a ``reverse()`` or ``urljoin()`` per document (the serve view's
    URL is reversed and joined once, then filled in; a name of plain characters is not quoted)."""
    if getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None) == "direct":
        Document = get_document_model()
        return lambda pk, name: urljoin(root_url, Document(id=pk, file=name).url)
    template = urljoin(root_url, reverse("wagtaildocs_serve", args=[int(_ID_MARK), _NAME_MARK]))
    before_id, after_id = template.split(_ID_MARK)
    before_name, after_name = after_id.split(_NAME_MARK)
    plain = _PLAIN_NAME.fullmatch

    def build(pk: int, name: str) -> str:
        name = basename(name)
        quoted = name if plain(name) else quote(name, safe=_URL_SAFE)
        return f"{before_id}{pk}{before_name}{quoted}{after_name}"

    return build


def jdihn_labels(model) -> dict[str, dict[str, str]]:
    """The display labels of ``model``'s ``jenis`` and ``status`` choices, translated once."""
    return {
        name: {value: str(label) for value, label in model._meta.get_field(name).flatchoices}
        for name in ("jenis", "status")
    }


def jdihn_item_maker(
    model, root_url: str, index_url: str
) -> Callable[[Iterable[tuple]], list[dict[str, str]]]:
    """``make(rows)``: JDIHN harvest items (every value a string) from ``JDIHN_COLUMNS`` rows of one
    index's children (of ``model``). The labels, the document URL template and the index's URL are
    prepared once, for any number of batches (``jdihn_stream``).

    A child's URL is its index's URL and its slug (Wagtail's ``url_path``), so no page is asked for it.
    """
    labels = jdihn_labels(model)
    jenis_labels, status_labels = labels["jenis"], labels["status"]
    document_url = document_url_builder(root_url)
    detail_base = urljoin(root_url, index_url)

    def make(rows) -> list[dict[str, str]]:
        items = []
        for row in rows:
            (pk, slug, title, judul_lengkap, tahun, tanggal, diundangkan, jenis, nomor, singkatan,
             tempat, sumber, subjek, status, bahasa, bidang, teu_badan, abstrak, dokumen_id,
             dokumen_file) = row  # fmt: skip
            download = document_url(dokumen_id, dokumen_file) if dokumen_id else ""
            items.append(
                {
                    "idData": str(pk),
                    "tahun_pengundangan": str(tahun),
                    "tanggal_penetapan": tanggal.isoformat() if tanggal else "",
                    "tanggal_pengundangan": diundangkan.isoformat() if diundangkan else "",
                    "jenis": jenis_labels.get(jenis, jenis),
                    "noPeraturan": nomor,
                    "judul": judul_lengkap.strip() or title,
                    "singkatanJenis": singkatan,
                    "tempatTerbit": tempat,
                    "sumber": sumber,
                    "subjek": subjek,
                    "status": status_labels.get(status, status),
                    "bahasa": bahasa,
                    "bidangHukum": bidang,
                    "teuBadan": teu_badan,
                    "fileDownload": basename(dokumen_file) if dokumen_file else "",
                    "urlDownload": download,
                    "abstrak": abstrak,
                    "urlDetailPeraturan": f"{detail_base}{slug}/",
                    **JDIHN_FIXED,
                }
            )
        return items

    return make


def jdihn_items(rows, root_url: str, index_url: str) -> list[dict[str, str]]:
    """The JDIHN items of ``rows``, a ``values_list`` queryset (one batch; see ``jdihn_item_maker``)."""
    return jdihn_item_maker(rows.model, root_url, index_url)(rows)


def jdihn_stream(rows, root_url: str, index_url: str) -> Iterator[bytes]:
    """The whole feed as one JSON list, written ``JDIHN_PAGE_SIZE`` items at a time.

    A worker then holds one batch, not every item and its JSON (plus the copies the page cache
    would keep): its memory does not grow with the number of regulations. A streamed
    answer is not kept by the page cache; a front proxy may keep it, and harvests are rare.

    The rows are read inside a transaction: PostgreSQL then hands them out as the cursor is read.
    Outside one (autocommit) Django declares the cursor ``WITH HOLD``, and PostgreSQL first writes
    the whole sorted result aside (to disk, beyond ``work_mem``) before handing out the first row.

    In that transaction the planner is told that reading a row by index costs little more than
    reading it in sequence (``random_page_cost``, ``SET LOCAL``: it ends with the transaction), as
    on any server whose data is cached or on SSD. With PostgreSQL's default, made for spinning
    disks, it sorted every regulation before handing out the first; now the first items come
    straight from the index in the feed's order (migration 0012), read backwards.
    """
    yield b"["
    make_items = jdihn_item_maker(rows.model, root_url, index_url)
    separator = b""
    with transaction.atomic(using=rows.db):
        connection = connections[rows.db]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('random_page_cost', %s, true)", [STREAM_RANDOM_PAGE_COST])
        cursor = rows.iterator(chunk_size=JDIHN_PAGE_SIZE)
        try:
            while batch := list(islice(cursor, JDIHN_PAGE_SIZE)):
                yield separator + orjson.dumps(make_items(batch))[1:-1]
                separator = b","
        finally:
            cursor.close()  # the server-side cursor, also when the harvester hangs up midway
    yield b"]"


def more_than_one_page(index) -> bool:
    """Whether ``index``'s whole feed may be longer than one page, asked of the page table alone
    (the feed's own joined and sorted query is far slower to answer it).
    Private regulations are counted too (leaving them out costs one more query): a feed they
    push over the line is streamed, with the same items, where it could have been one answer."""
    children = Page.objects.child_of(index).live().type(index.child_model)
    return children[JDIHN_PAGE_SIZE : JDIHN_PAGE_SIZE + 1].exists()


def feed_response(index, request) -> HttpResponse:
    """Every live, public child of ``index`` (a Regulasi index) in JDIHN harvest field names, as a
    JSON list.

    Without ``?halaman=`` the whole list, newest first, as JDIHN harvests it. With ``?halaman=N``
    one page of ``JDIHN_PAGE_SIZE`` items, for harvesters that page; the response then carries
    ``X-Total-Count`` and a ``Link`` header to the next page. A page number out of range or not
    a number is a 404 with an Indonesian message, never an error page.
    """
    site = Site.find_for_request(request)  # already found for this request by Wagtail's serve view
    root_url = site.root_url if site else request.build_absolute_uri("/")
    pages = index.get_items(request).values_list(*JDIHN_COLUMNS)
    headers = {}
    if "halaman" in request.GET:
        paginator = Paginator(pages, JDIHN_PAGE_SIZE)
        try:
            page = paginator.page(request.GET["halaman"])
        except InvalidPage:
            message = _("Halaman %(halaman)s tidak ada: umpan JDIHN ini memiliki %(jumlah)s halaman.") % {
                "halaman": request.GET["halaman"][:10],
                "jumlah": paginator.num_pages,
            }
            return HttpResponseNotFound(
                json.dumps({"galat": message}, ensure_ascii=False),
                content_type="application/json; charset=utf-8",
            )
        pages = page.object_list
        headers["X-Total-Count"] = str(paginator.count)
        if page.has_next():
            next_url = request.build_absolute_uri(f"?halaman={page.next_page_number()}")
            headers["Link"] = f'<{next_url}>; rel="next"'
    index_url = index.get_url(request=request) or ""
    if "halaman" not in request.GET and more_than_one_page(index):
        return StreamingHttpResponse(
            jdihn_stream(pages, root_url, index_url),
            content_type="application/json; charset=utf-8",
        )
    return HttpResponse(
        orjson.dumps(jdihn_items(pages, root_url, index_url)),
        content_type="application/json; charset=utf-8",
        headers=headers,
    )
