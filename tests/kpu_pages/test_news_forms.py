"""The edit forms of Berita, Liputan Kegiatan and Artikel: each kind in its own words, and the
elections an editor links an item to are there to pick."""

from __future__ import annotations

import re
from html import unescape

import pytest

from django.apps import apps
from django.urls import reverse

from kpu_pages.models import ArtikelPage, Pemilu
from tests import factories
from tests.sop_workflow.admin_helpers import news_form_data

pytestmark = pytest.mark.django_db

ELECTIONS = [
    "Pemilu 2024 (Presiden dan Wakil Presiden, DPR, DPD, DPRD)",
    "Pemilihan Gubernur dan Wakil Gubernur Jawa Tengah 2024",
    "Pemilihan Bupati dan Wali Kota 2024 (35 kabupaten/kota di Jawa Tengah)",
    "Pemilu 2029 (Presiden dan Wakil Presiden, DPR, DPD, DPRD)",
]


def form_text(client, page) -> str:
    """The edit form as words on the screen (tags dropped, entities decoded)."""
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def artikel(home_page):
    index = factories.ArtikelIndexPageFactory(parent=home_page)
    return factories.ArtikelPageFactory(parent=index, title="Mengapa pemilih muda perlu datang ke TPS")


def test_artikel_form_speaks_of_an_article_not_of_news(admin_client, artikel):
    text = form_text(admin_client, artikel)
    assert "Teras berita" not in text
    assert "Waktu berita" not in text
    assert "dateline" not in text
    assert "Ringkasan artikel" in text
    assert "Tanggal dan waktu terbit (WIB)" in text
    assert "Kota penulisan" in text


def test_liputan_and_berita_forms_keep_their_own_words(admin_client, home_page):
    liputan_index = factories.LiputanKegiatanIndexPageFactory(parent=home_page)
    liputan = factories.LiputanKegiatanPageFactory(parent=liputan_index)
    text = form_text(admin_client, liputan)
    assert "Ringkasan liputan" in text and "Teras berita" not in text

    berita_index = factories.BeritaIndexPageFactory(parent=home_page)
    berita = factories.BeritaPageFactory(parent=berita_index)
    text = form_text(admin_client, berita)
    assert "Teras berita" in text and "Waktu berita, dalam WIB." in text


def test_artikel_form_offers_the_elections_with_a_label_that_says_what_they_are(admin_client, artikel):
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[artikel.pk])).content.decode()
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    assert "Pemilu atau pemilihan yang dibahas" in text
    boxes = re.findall(r'<input type="checkbox" name="pemilu" value="(\d+)"', html)
    assert len(boxes) == len(ELECTIONS)
    for name in ELECTIONS:
        assert name in text, name


def test_an_election_ticked_on_the_form_is_saved_with_the_article(admin_client, artikel):
    pilgub = Pemilu.objects.get(slug="pilgub-jateng-2024")
    data = news_form_data(artikel)
    data["pemilu"] = [str(pilgub.pk)]  # one ticked box (nested_form_data would number a list)
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[artikel.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = ArtikelPage.objects.get(pk=artikel.pk).get_latest_revision_as_object()
    assert [item.slug for item in draft.pemilu.all()] == ["pilgub-jateng-2024"]


def test_election_list_migration_is_idempotent_and_reversible(db):
    from importlib import import_module

    migration = import_module("kpu_pages.migrations.0011_load_pemilu")
    slugs = {row[0] for row in migration.PEMILU}
    assert set(Pemilu.objects.values_list("slug", flat=True)) >= slugs  # loaded by the migration
    count = Pemilu.objects.count()
    renamed = Pemilu.objects.get(slug="pemilu-2029")
    renamed.nama = "Pemilu Serentak 2029"
    renamed.save()
    migration.load(apps, None)
    assert Pemilu.objects.count() == count
    assert Pemilu.objects.get(slug="pemilu-2029").nama == "Pemilu Serentak 2029"  # an editor's change stays
    migration.unload(apps, None)
    assert not Pemilu.objects.filter(slug__in=slugs).exists()
    migration.load(apps, None)
    assert Pemilu.objects.filter(slug__in=slugs).count() == len(slugs)
