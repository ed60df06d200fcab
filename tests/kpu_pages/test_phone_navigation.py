"""The header menu: every section, Kontak included, behind a "Menu" button on phones."""

from __future__ import annotations

import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db


def header_menu(html: str) -> str:
    return html.split('aria-label="Navigasi utama"')[1].split("</nav>")[0]


def test_kontak_created_as_an_editor_would_is_in_the_header_menu(client, home_page):
    factories.BeritaIndexPageFactory(parent=home_page, show_in_menus=True)
    factories.KontakPageFactory(parent=home_page)  # "tampilkan di menu" left as the form offers it
    nav = header_menu(client.get("/").content.decode())
    assert re.search(r'<a href="/kontak/"[^>]*>Kontak</a>', nav)
    assert re.search(r'<a href="/berita/"[^>]*>Berita</a>', nav)


def test_phone_menu_is_a_button_that_works_without_script(client, home_page):
    factories.KontakPageFactory(parent=home_page)
    nav = header_menu(client.get("/").content.decode())
    menu = re.search(r"<details[^>]*>.*?</details>", nav, re.S).group(0)
    assert re.search(r"<summary[^>]*>.*Menu</summary>", menu)
    assert ">Kontak</a>" in menu
    assert "<script" not in nav


def test_the_menu_costs_no_more_queries_with_the_phone_button(client, home_page):
    for model in (factories.BeritaIndexPageFactory, factories.KontakPageFactory):
        model(parent=home_page, show_in_menus=True)
    client.get("/")  # warm: site, content types
    with CaptureQueriesContext(connection) as queries:
        client.get("/kontak/")
    menu_filter = 'AND "wagtailcore_page"."show_in_menus"'
    menu_queries = [q for q in queries.captured_queries if menu_filter in q["sql"]]
    assert len(menu_queries) == 1  # one list, drawn twice (phone menu and bar)
