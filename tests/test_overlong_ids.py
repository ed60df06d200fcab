"""An id longer than any database id answers 404, never 500 (kpu_site/url_ids.py).

Every URL pattern that takes an integer id is found by walking the URL confs, so a pattern added later
(the site's or Wagtail's) is tested too; each is asked for with ids of 20 digits (past a 64-bit column),
4,300 (the most Python turns into an int) and 5,000 digits. CI runs this on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import itertools
import uuid

import pytest

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern
from django.utils.regex_helper import normalize

from kpu_site.url_ids import IdConverter
from tests import factories
from tests.sop_workflow.admin_helpers import login

pytestmark = pytest.mark.django_db

#: stands for an id while URLs are built; no fixture has an object with this id
MARKER = "918273645"
OVERLONG = {"20 digits": "9" * 20, "4300 digits": "7" * 4300, "5000 digits": "7" * 5000}
FILLERS = {
    StringConverter: "x",
    SlugConverter: "x",
    PathConverter: "lampiran.pdf",  # the file name in a document URL
    UUIDConverter: str(uuid.UUID(int=1)),
}


def _walk(resolver: URLResolver, route: str = "", levels: tuple = ()):
    """(route, the patterns leading to it) of every URL pattern, as Django joins routes."""
    for entry in resolver.url_patterns:
        joined = route + str(entry.pattern).removeprefix("^") if route else str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry, joined, (*levels, entry.pattern))
        elif isinstance(entry, URLPattern):
            yield joined, (*levels, entry.pattern)


def _url_with_ids(levels, route: str, urlconf: str) -> str | None:
    """A URL of this pattern with ``MARKER`` for every integer id, or None if it takes none."""
    template, choices = "", {}
    for depth, level in enumerate(levels):
        text, params = normalize(level.regex.pattern)[0]
        for param in params:
            key = f"{depth}_{param}"
            text = text.replace(f"%({param})s", f"%({key})s")
            converter = level.converters.get(param) if isinstance(level, RoutePattern) else None
            if isinstance(converter, IntConverter | IdConverter):
                choices[key] = [MARKER]
            elif converter is not None:
                choices[key] = [FILLERS[type(converter)]]
            else:  # a regex group: an id if it takes digits
                choices[key] = [MARKER, "x"]
        template += text
    for values in itertools.product(*choices.values()):
        url = "/" + template % dict(zip(choices, values, strict=True))
        if MARKER not in url:
            continue
        try:
            match = resolve(url, urlconf)
        except Resolver404:
            continue
        if match.route == route:
            return url
    return None


def urls_with_ids(urlconf: str, prefix: str = "") -> list[str]:
    """A URL (ids as ``MARKER``) of every pattern in ``urlconf`` that takes an integer id and whose route
    starts with ``prefix``."""
    found = (_url_with_ids(levels, route, urlconf) for route, levels in _walk(get_resolver(urlconf)))
    return sorted({url for url in found if url and url.startswith("/" + prefix)})


def _answers(client: Client, urls: list[str], method: str = "get") -> dict[str, int]:
    """ "<url> (<length>)" -> status, for every answer that is not 404."""
    wrong = {}
    for url, (length, digits) in itertools.product(urls, OVERLONG.items()):
        response = getattr(client, method)(url.replace(MARKER, digits))
        if response.status_code != 404:
            wrong[f"{url} ({length})"] = response.status_code
    return wrong


def test_every_public_url_with_an_id_answers_404_to_an_overlong_id():
    urls = [url for url in urls_with_ids("kpu_site.urls") if not url.startswith("/admin/")]
    # the walk finds them all (else this test would prove nothing)
    assert set(urls) >= {
        f"/documents/{MARKER}/lampiran.pdf",
        f"/documents/authenticate_with_password/{MARKER}/",
        f"/_util/authenticate_with_password/{MARKER}/{MARKER}/",
    }, urls
    reader = Client(raise_request_exception=False)
    assert _answers(reader, urls) == {}
    assert _answers(reader, urls, "post") == {}


def test_a_document_url_with_an_overlong_id_shows_the_sites_not_found_page():
    response = Client(raise_request_exception=False).get(f"/documents/{'7' * 5000}/pengumuman.pdf")
    assert response.status_code == 404
    assert "<h1>Halaman tidak ditemukan</h1>" in response.content.decode()


def test_image_and_data_table_urls_with_overlong_numbers_answer_404(home_page):
    index = factories.DataIndexPageFactory(parent=home_page)
    table = factories.data_table("DPT", factories.data_document("Wilayah,Jumlah\nKota Tegal,5\n", "dpt.csv"))
    page = factories.DataPageFactory(parent=index, tables=[table])
    page.save_revision().publish()
    reader = Client(raise_request_exception=False)
    assert reader.get(f"{page.url}unduh/1.csv").status_code == 200
    for digits in OVERLONG.values():
        assert reader.get(f"{page.url}unduh/{digits}.csv").status_code == 404
        assert reader.get(f"/media/images/{digits}.png").status_code == 404
        assert reader.get(f"/media/original_images/{digits}.png").status_code == 404


def test_every_admin_url_with_an_id_answers_404_to_an_overlong_id(admin_user):
    urls = urls_with_ids("kpu_site.urls", prefix="admin/")
    # Wagtail's (the revision comparison takes its ids by regex) and the SOP's own
    assert set(urls) >= {
        f"/admin/pages/{MARKER}/edit/",
        f"/admin/pages/{MARKER}/revisions/compare/{MARKER}...{MARKER}/",
        f"/admin/documents/edit/{MARKER}/",
        f"/admin/sop/arsip/{MARKER}/",
        f"/admin/sop/alur/{MARKER}/riwayat/",
    }, urls
    superuser = login(admin_user, password="password")
    superuser.raise_request_exception = False
    assert _answers(superuser, urls) == {}
    assert _answers(superuser, urls, "post") == {}
