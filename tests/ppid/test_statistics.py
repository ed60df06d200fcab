"""The public statistics of the information service: the years, one year's figures, no personal data."""

from __future__ import annotations

import re
from html import unescape

import pytest
from freezegun import freeze_time

from django.urls import reverse

from ppid.models import InformationRequest
from tests.ppid.test_report import NOW, REQUESTERS, make_known_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def known_year(db):
    return make_known_year()


def get(client, path):
    with freeze_time(NOW):
        return client.get(path)


def year_url(year: int) -> str:
    return reverse("ppid:statistics_year", args=[year])


def text(response) -> str:
    """What a reader sees of the main content: tags dropped, spaces folded."""
    main = response.content.decode().split('<main id="konten"')[1].split("</main>")[0]
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def rows(response, caption_start: str) -> dict[str, list[str]]:
    """The rows of the table whose caption begins with ``caption_start``, keyed by row header."""
    html = response.content.decode()
    for table in re.findall(r'<table class="data-grid">.*?</table>', html, re.S):
        caption = unescape(re.search(r"<caption[^>]*>(.*?)</caption>", table, re.S).group(1))
        if caption.startswith(caption_start):
            found = {}
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
                raw = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
                cells = [unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c))).strip() for c in raw]
                found[cells[0]] = cells[1:]
            return found
    raise AssertionError(f"no table captioned {caption_start!r}")


def test_the_urls_are_under_layanan_informasi():
    assert reverse("ppid:statistics") == "/layanan-informasi/statistik/"
    assert year_url(2026) == "/layanan-informasi/statistik/2026/"


def test_the_index_lists_the_years_with_requests(known_year, client):
    response = get(client, reverse("ppid:statistics"))
    assert response.status_code == 200
    html = response.content.decode()
    links = re.findall(r'<a href="(/layanan-informasi/statistik/\d+/)">Statistik tahun (\d+)</a>', html)
    assert links == [(year_url(year), str(year)) for year in (2027, 2026, 2025)]
    assert "(7 permohonan)" in text(response)
    assert "(1 permohonan, tahun berjalan)" in text(response)


def test_the_index_without_any_request_says_so(client):
    response = get(client, reverse("ppid:statistics"))
    assert response.status_code == 200
    assert "Belum ada permohonan informasi yang tercatat." in text(response)


def test_a_year_shows_its_public_figures(known_year, client):
    response = get(client, year_url(2026))
    assert response.status_code == 200
    assert "<h1>Layanan informasi tahun 2026</h1>" in response.content.decode()
    assert "1 Januari 2026 s.d. 31 Desember 2026" in text(response)
    assert "Keadaan per 15 Januari 2027 pukul 10.00 WIB" in text(response)
    assert rows(response, "Permohonan informasi yang diterima") == {
        "Uraian": ["Jumlah"],
        "Diterima": ["7"],
        "Sudah dijawab": ["6"],
        "Belum dijawab": ["1"],
        "Belum dijawab dan melewati batas waktu": ["1"],
        "Diperpanjang": ["1"],
    }
    timing = rows(response, "Waktu menjawab")
    assert timing["Rata-rata"] == ["7,3"] and timing["Median (nilai tengah)"] == ["7"]
    assert timing["Terlama"] == ["16"]
    on_time = rows(response, "Ketepatan waktu")
    assert on_time["Dalam 10 hari kerja"] == ["4", "66,7%"]
    assert on_time["Dalam masa perpanjangan"] == ["1", "16,7%"]
    assert on_time["Melewati batas waktu"] == ["1", "16,7%"]
    decisions = rows(response, "Keputusan atas permohonan")
    assert decisions["Informasi diberikan seluruhnya"] == ["2", "33,3%"]
    assert decisions["Informasi diberikan sebagian"] == ["1", "16,7%"]
    assert decisions["Informasi tidak dikuasai"] == ["1", "16,7%"]
    assert decisions["Permohonan ditolak"] == ["2", "33,3%"]
    objections = rows(response, "Keberatan yang diterima")
    assert objections["Diterima"] == ["3"] and objections["Belum ditanggapi"] == ["1"]
    assert objections["Ditanggapi dalam 30 hari kerja"] == ["1"]
    assert objections["Ditanggapi melewati 30 hari kerja"] == ["1"]
    assert objections["Belum ditanggapi dan melewati batas waktu"] == ["1"]
    grounds = rows(response, "Keberatan menurut alasannya")
    assert grounds["c. Permintaan informasi tidak ditanggapi"] == ["1"]
    outcomes = rows(response, "Keberatan menurut keputusan")
    assert outcomes["Belum ditanggapi"] == ["1"]
    months = rows(response, "Permohonan dan keberatan menurut bulan")
    assert months["Maret"] == ["3", "0"]
    assert months["Juni"] == ["1", "1"]
    assert months["Jumlah"] == ["7", "3"]


def test_numbers_are_marked_for_right_alignment_and_tables_have_captions(known_year, client):
    html = get(client, year_url(2026)).content.decode()
    tables = re.findall(r'<table class="data-grid">.*?</table>', html, re.S)
    assert len(tables) == 8
    for table in tables:
        assert "<caption" in table and '<th scope="col"' in table and '<th scope="row">' in table
        numbers = re.findall(r"<td([^>]*)>\s*[\d–][\d,%]*\s*</td>", table)
        assert numbers and all('class="num"' in attributes for attributes in numbers)
    # Each table scrolls in its own labelled region rather than the page, and the page loads its style.
    assert (
        len(re.findall(r'<div class="table-wrap" role="region" aria-labelledby="[\w-]+" tabindex="0">', html))
        == 8
    )
    assert "/static/ppid/statistics.css" in html


def test_no_personal_data_reaches_the_public_page(known_year, client):
    InformationRequest.objects.update(legal_basis="Pasal 17 huruf h: data pribadi Pemohon Rahasia")
    html = get(client, year_url(2026)).content.decode()
    for name, email in REQUESTERS:
        assert name not in html and email not in html
    assert "contoh.id" not in html and "Jl. Pahlawan" not in html and "081234567890" not in html
    assert "PI-2026" not in html and "KB-2026" not in html  # no registration number either
    assert "Pasal 17 huruf h" not in html  # the PPID's own legal-basis text stays in the admin report


def test_a_year_without_requests_has_a_clear_message(known_year, client):
    response = get(client, year_url(2024))
    assert response.status_code == 200
    assert "Belum ada permohonan informasi yang diterima pada tahun 2024." in text(response)
    assert "<table" not in response.content.decode()


def test_the_running_year_says_its_figures_may_still_grow(known_year, client):
    response = get(client, year_url(2027))
    assert "Tahun 2027 belum berakhir: angka pada halaman ini masih dapat bertambah." in text(response)
    assert rows(response, "Permohonan informasi yang diterima")["Diterima"] == ["1"]


@pytest.mark.parametrize("year", [2007, 2028, 1, 99999])
def test_a_year_before_2008_or_after_this_year_is_not_found(year, client):
    assert get(client, f"/layanan-informasi/statistik/{year}/").status_code == 404


def test_only_get_is_answered(client):
    with freeze_time(NOW):
        assert client.post(year_url(2026)).status_code == 405
        assert client.post(reverse("ppid:statistics")).status_code == 405


def test_the_chart_has_a_title_and_description_and_no_inline_style(known_year, client):
    html = get(client, year_url(2026)).content.decode()
    svg = re.search(r'<svg class="ppid-chart".*?</svg>', html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "style=" not in svg  # the public pages' policy allows no inline style
    assert 'width="360"' in svg
