import datetime as dt

import pytest

from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import PageViewRestriction

from tests import factories
from tests.sop_workflow.admin_helpers import login

pytestmark = pytest.mark.django_db


def test_home_page_is_served_in_indonesian_with_kpu_identity(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "KPU Provinsi Jawa Tengah" in html
    assert "Jl. Veteran No. 1 A" in html
    assert "Kota Semarang" in html
    assert "(024) 8413393" in html
    assert "(024) 8413391" in html


def test_base_template_has_skip_link_and_landmarks(client, home_page):
    html = client.get("/").content.decode()
    assert 'class="skip-link" href="#konten"' in html
    assert 'id="konten"' in html
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html, landmark
    assert 'aria-label="Navigasi utama"' in html


def resource_urls(html: str) -> list[str]:
    """URLs the browser fetches by itself: src, srcset, <link href>, form actions (not <a href>)."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            for name in ("src", "poster", "data"):
                if attrs.get(name):
                    found.append(attrs[name])
            if attrs.get("srcset"):
                found.extend(part.strip().split(" ")[0] for part in attrs["srcset"].split(","))
            if tag == "link" and attrs.get("href") and attrs.get("rel") not in ("canonical", "alternate"):
                found.append(attrs["href"])
            if tag == "form" and attrs.get("action"):
                found.append(attrs["action"])

    Collector().feed(html)
    return found


def test_no_third_party_requests_from_home_page(client, home_page):
    from urllib.parse import urlsplit

    html = client.get("/").content.decode()
    urls = resource_urls(html)
    assert any("site" in url and url.endswith(".css") for url in urls)
    for url in urls:
        assert urlsplit(url).hostname in (None, "testserver"), url


def test_header_navigation_lists_menu_pages(client, home_page):
    from wagtail.models import Page

    child = Page(title="Profil", slug="profil", show_in_menus=True)
    home_page.add_child(instance=child)
    hidden = Page(title="Rahasia", slug="rahasia", show_in_menus=False)
    home_page.add_child(instance=hidden)
    html = client.get("/").content.decode()
    nav = html.split('aria-label="Navigasi utama"')[1].split("</nav>")[0]
    assert ">Profil</a>" in nav
    assert "Rahasia" not in nav


def test_unknown_url_gives_indonesian_404(client, home_page):
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_dates_are_written_the_indonesian_way():
    with translation.override("id"):
        rendered = Template("{{ d|date }}|{{ t|date:'DATETIME_FORMAT' }}").render(
            Context(
                {
                    "d": dt.date(2026, 11, 23),
                    "t": timezone.make_aware(dt.datetime(2026, 11, 23, 9, 0)),
                }
            )
        )
    assert rendered == "23 November 2026|23 November 2026, pukul 09.00 WIB"


def test_admin_login_page_is_served(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200


def test_public_url_names_reverse_to_the_public_paths():
    assert reverse("wagtail_serve", args=["berita/"]) == "/berita/"
    assert reverse("search") == "/cari/"
    assert reverse("sitemap") == "/sitemap.xml"
    assert reverse("sitemap_section", args=["berita"]) == "/sitemap-berita.xml"
    assert reverse("robots_txt") == "/robots.txt"
    assert reverse("kind_feed", args=["berita"]) == "/berita/rss/"
    assert reverse("wagtaildocs_serve", args=[7, "lampiran.pdf"]) == "/documents/7/lampiran.pdf"
    # Django's login_required sends a reader to settings.LOGIN_URL: the admin's login
    assert reverse(settings.LOGIN_URL) == "/admin/login/"


def test_redirects_and_the_login_for_a_private_page(client, home_page):
    news = factories.BeritaPageFactory(
        parent=factories.BeritaIndexPageFactory(parent=home_page, title="Berita", slug="berita"),
        title="Rapat pleno terbuka",
        slug="rapat-pleno",
    )
    # APPEND_SLASH
    response = client.get(news.url.rstrip("/"))
    assert response.status_code == 301
    assert response["Location"] == news.url
    # a page for signed-in users only: Wagtail's own login redirect
    PageViewRestriction.objects.create(page=news, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(news.url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailcore_login") + "?next=")


def test_a_signed_in_editor_on_a_public_page_gets_wagtails_user_bar(home_page, admin_user):
    news = factories.BeritaPageFactory(parent=factories.BeritaIndexPageFactory(parent=home_page))
    editor = login(admin_user, password="password")
    response = editor.get(news.url)
    assert response.status_code == 200
    assert reverse("wagtailadmin_pages:edit", args=[news.pk]) in response.content.decode()


def test_a_forged_host_header_is_answered_400(client):
    # CommonMiddleware asks for the host before any URL is resolved; Django answers 400, not 500
    client.raise_request_exception = False
    response = client.get("/", HTTP_HOST="bukan.kpu.test")
    assert response.status_code == 400
