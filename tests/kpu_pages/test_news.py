import json
import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpu_pages.models import (
    ArtikelIndexPage,
    ArtikelPage,
    BeritaIndexPage,
    BeritaPage,
    HomePage,
    LiputanKegiatanIndexPage,
    LiputanKegiatanPage,
)
from tests import factories

pytestmark = pytest.mark.django_db

NEWS_KINDS = [
    (BeritaIndexPage, BeritaPage, factories.BeritaIndexPageFactory, factories.BeritaPageFactory),
    (
        LiputanKegiatanIndexPage,
        LiputanKegiatanPage,
        factories.LiputanKegiatanIndexPageFactory,
        factories.LiputanKegiatanPageFactory,
    ),
    (ArtikelIndexPage, ArtikelPage, factories.ArtikelIndexPageFactory, factories.ArtikelPageFactory),
]


@pytest.mark.parametrize(("index_model", "page_model", "_i", "_p"), NEWS_KINDS)
def test_news_kinds_are_created_only_under_their_own_index(index_model, page_model, _i, _p):
    assert page_model.can_create_at(index_model())
    assert not page_model.can_create_at(HomePage())
    assert index_model.can_create_at(HomePage())
    for other_index, *_ in NEWS_KINDS:
        if other_index is not index_model:
            assert not page_model.can_create_at(other_index())


@pytest.mark.parametrize(("_im", "_pm", "index_factory", "page_factory"), NEWS_KINDS)
def test_listing_is_newest_first_paginated_and_bounded_in_queries(
    client, home_page, _im, _pm, index_factory, page_factory
):
    index = index_factory(parent=home_page)
    image = factories.ImageFactory()
    for _ in range(3):
        page_factory(parent=index, feature_image=image, feature_image_alt="Rapat di aula")
    url = index.url

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx), response

    client.get(url)  # warm renditions
    few, _ = measure()
    for _ in range(9):
        page_factory(parent=index, feature_image=image, feature_image_alt="Rapat di aula")
    client.get(url)
    many, response = measure()
    assert many <= few, f"{many} queries for 10 items vs {few} for 3"
    html = response.content.decode()
    titles = re.findall(r'card__title"><a href="[^"]+">([^<]+)<', html)
    assert len(titles) == 10
    newest = _pm.objects.live().order_by("-tanggal").first()
    assert titles[0] == newest.title
    assert "Halaman 1 dari 2" in html
    second = client.get(url + "?halaman=2").content.decode()
    assert "Halaman 2 dari 2" in second
    assert client.get(url + "?halaman=abc").status_code == 200
    assert client.get(url + "?halaman=999").status_code == 200


def test_berita_detail_has_breadcrumbs_share_metadata_and_json_ld(client, home_page):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(
        parent=index,
        title="Rekapitulasi suara tingkat provinsi selesai",
        feature_image=factories.ImageFactory(),
        feature_image_alt="Petugas menghitung suara",
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-label="Jejak navigasi"' in html
    assert '<meta property="og:title" content="Rekapitulasi suara tingkat provinsi selesai">' in html
    assert 'property="og:image"' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Rekapitulasi suara tingkat provinsi selesai"
    assert "srcset=" in html and "image/webp" in html


def test_json_ld_cannot_break_out_of_its_script_element(client, home_page):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(parent=index, lead="</script><script>alert(1)</script>")
    html = client.get(page.url).content.decode()
    assert "<script>alert(1)" not in html


def test_feature_image_requires_alt_text(home_page):
    from django.core.exceptions import ValidationError

    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = BeritaPage(title="Tanpa alt", lead="x", feature_image=factories.ImageFactory())
    page.feature_image_alt = ""
    with pytest.raises(ValidationError) as exc:
        index.add_child(instance=page)
    assert "teks alternatif" in str(exc.value)


def test_wilayah_holds_jawa_tengah_and_its_35_kabupaten_kota():
    from kpu_pages.models import Wilayah

    assert Wilayah.objects.filter(jenis="provinsi").get().kode == "33"
    assert Wilayah.objects.exclude(jenis="provinsi").count() == 35
    assert Wilayah.objects.get(kode="33.74").nama == "Kota Semarang"


def test_detail_page_queries_do_not_grow_with_images_tags_and_related_pages(client, home_page):
    index = factories.BeritaIndexPageFactory(parent=home_page)

    def make(n: int):
        images = [factories.ImageFactory() for _ in range(n)]
        related = [factories.BeritaPageFactory(parent=index) for _ in range(n)]
        body = [
            ("image", {"image": image, "alt_text": "Foto", "caption": "", "credit": ""}) for image in images
        ]
        page = factories.BeritaPageFactory(
            parent=index,
            body=body,
            related_pages=[("page", p) for p in related],
            feature_image=images[0],
            feature_image_alt="Foto utama",
        )
        page.tags.add(*[f"tag{n}-{i}" for i in range(n)])
        page.save()
        client.get(page.url)  # renditions are generated on first view
        return page

    def count(page):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page.url).status_code == 200
        return len(ctx)

    few, many = make(1), make(6)
    assert count(many) <= count(few), (count(many), count(few))
