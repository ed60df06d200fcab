"""SOP step 1: writing the concept is timed from its first saved revision to its submission, in office
hours, and shown in the Kepatuhan SOP report, the archive and the Lembar Persetujuan."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from freezegun import freeze_time
from pypdf import PdfReader

from django.db import connection
from django.urls import reverse
from django.utils.text import slugify

from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from kpu_pages.models import BeritaPage
from sop_workflow.archive import verify_chain
from sop_workflow.models import ArsipPersetujuan, ConceptAuthoring
from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import act, edit, login, submit

pytestmark = pytest.mark.django_db

WIB = dt.timezone(dt.timedelta(hours=7))
SHORT_CHAIN_ROLES = [Role.PENGELOLA, Role.WEB_ADMIN, Role.TEKMAS, Role.KABAG_HTH, Role.WEB_ADMIN]


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in November 2026 (WIB); the 23rd is a Monday, offices open 07.30-16.00."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def index(home_page):
    return factories.BeritaIndexPageFactory(parent=home_page)


def create_in_admin(client, index, title: str) -> BeritaPage:
    """The author writes a new Berita in the admin and saves it as a draft."""
    data = nested_form_data(
        {
            "title": title,
            "slug": slugify(title),
            "tanggal": "23-11-2026 08:00",
            "kota": "Semarang",
            "lead": "Teras berita konsep.",
            "feature_image_alt": "",
            "body": streamfield([("paragraph", rich_text("<p>Isi konsep.</p>"))]),
            "related_pages": streamfield([]),
            "tags": "",
            "comments": inline_formset([]),
        }
    )
    url = reverse("wagtailadmin_pages:add", args=["kpu_pages", "beritapage", index.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    return BeritaPage.objects.get(title=title)


def walk_chain(page, sop_users, start: dt.datetime) -> dt.datetime:
    moment = start
    for role in SHORT_CHAIN_ROLES:
        moment += dt.timedelta(minutes=3)
        with freeze_time(moment):
            assert act(login(sop_users[role]), page, "approve").status_code == 302
    assert Page.objects.get(pk=page.pk).live
    return moment


def write_and_submit(index, sop_users, title: str, begun: dt.datetime, submitted: dt.datetime):
    author = login(sop_users[Role.PENGAMPU])
    with freeze_time(begun):
        page = create_in_admin(author, index, title)
    with freeze_time(begun + (submitted - begun) / 2):
        assert edit(author, page, lead="Teras berita yang sudah dilengkapi.").status_code == 302
    with freeze_time(submitted):
        assert submit(author, page).status_code == 302
    return page


def test_a_concept_is_timed_from_its_first_save_to_its_submission(index, sop_users):
    page = write_and_submit(index, sop_users, "Rapat koordinasi logistik", at(23, 8, 0), at(23, 9, 10))
    authoring = ConceptAuthoring.objects.get(workflow_state__object_id=str(page.pk))
    assert authoring.started_at == at(23, 8, 0)
    assert authoring.submitted_at == at(23, 9, 10)
    assert authoring.standard_minutes == 60
    # A resubmission after a request for changes is the approval steps' time, not a new concept.
    with freeze_time(at(23, 9, 20)):
        act(login(sop_users[Role.PENGELOLA]), page, "reject", comment="Lengkapi sumber data.")
    with freeze_time(at(23, 9, 40)):
        submit(login(sop_users[Role.PENGAMPU]), page)
    assert ConceptAuthoring.objects.filter(workflow_state__object_id=str(page.pk)).count() == 1


def test_only_office_hours_count(index, sop_users):
    # Begun at 15.30 on Friday the 27th (office until 16.30), submitted Monday the 30th at 08.00: the
    # weekend is not the author's time: 60 minutes on Friday + 30 on Monday.
    page = write_and_submit(index, sop_users, "Sosialisasi pemilih pemula", at(27, 15, 30), at(30, 8, 0))
    walk_chain(page, sop_users, at(30, 8, 0))
    authoring = ArsipPersetujuan.objects.get(page_id=page.pk).authoring
    assert authoring["office_seconds"] == 90 * 60
    assert authoring["wall_seconds"] == (at(30, 8, 0) - at(27, 15, 30)).total_seconds()
    assert authoring["within_standard"] is False


def test_editing_a_live_page_starts_a_new_concept_and_a_restart_does_not(index, sop_users):
    page = write_and_submit(index, sop_users, "Jadwal tahapan pemilihan", at(23, 8, 0), at(23, 8, 40))
    published_at = walk_chain(page, sop_users, at(23, 8, 40))
    # A week later the author revises the live page: the new concept begins with that first save.
    author = login(sop_users[Role.PENGAMPU])
    with freeze_time(at(30, 10, 0)):
        edit(author, page, lead="Jadwal diperbarui.")
    with freeze_time(at(30, 10, 25)):
        submit(author, page)
    second = ConceptAuthoring.objects.filter(workflow_state__object_id=str(page.pk)).latest("submitted_at")
    assert published_at < at(30, 10, 0)
    assert (second.started_at, second.submitted_at) == (at(30, 10, 0), at(30, 10, 25))
    # Sent back, then restarted from the first step: the same concept, no second authoring time.
    with freeze_time(at(30, 10, 30)):
        act(login(sop_users[Role.PENGELOLA]), page, "reject", comment="Tanggal masih salah.")
    with freeze_time(at(30, 10, 40)):
        response = author.post(
            reverse("sop_run:end", args=[page.pk, "mulai-ulang"]), {"reason": "Konsep diulang dari awal."}
        )
        assert response.status_code == 302
    assert ConceptAuthoring.objects.filter(workflow_state__object_id=str(page.pk)).count() == 2


def test_the_report_has_a_row_and_a_bar_for_writing_the_concept(index, sop_users):
    write_and_submit(index, sop_users, "Konsep cepat", at(23, 8, 0), at(23, 8, 30))  # 30 minutes
    write_and_submit(index, sop_users, "Konsep lambat", at(24, 8, 0), at(24, 10, 0))  # 120 minutes
    client = login(sop_users[Role.KABAG_HTH])
    period = {"finished_at_from": "2026-11-01", "finished_at_to": "2026-11-30"}
    html = client.get(reverse("sop_kepatuhan"), period).content.decode()
    assert "1. Pengampu Konsep: menyusun konsep" in html  # the table's row
    assert 'font-weight="600">1. Pengampu Konsep</text>' in html  # the chart's bar
    assert "median 1 jam 15 menit: melebihi" in html
    response = client.get(reverse("sop_kepatuhan"), {**period, "export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    concept = next(row for row in rows if "Pengampu Konsep: menyusun konsep" in row)
    header = next(row for row in rows if "Mutu baku berlaku (menit)" in row)
    values = dict(zip(header, concept, strict=True))
    assert values["Nomor langkah SOP"] == "1" and values["Jumlah selesai"] == "2"
    assert values["Mutu baku berlaku (menit)"] == "60"
    assert values["Median jam kerja (menit)"] == "75,0"
    assert values["Dalam mutu baku (%)"] == "50,0"


def test_the_archive_and_the_lembar_show_writing_the_concept(index, sop_users):
    page = write_and_submit(index, sop_users, "Rapat pleno terbuka", at(23, 8, 0), at(23, 8, 45))
    walk_chain(page, sop_users, at(23, 8, 45))
    record = ArsipPersetujuan.objects.get(page_id=page.pk)
    assert record.schema_version == 3
    assert record.authoring["office_seconds"] == 45 * 60 and record.authoring["within_standard"] is True
    assert verify_chain().ok

    client = login(sop_users[Role.WEB_ADMIN])
    html = client.get(reverse("sop_arsip:detail", args=[record.pk])).content.decode()
    assert "Pengampu Konsep: menyusun konsep" in html and "konsep diajukan" in html
    assert "45 menit" in html
    pdf = client.get(reverse("sop_arsip:pdf", args=[record.pk])).content
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Pengampu Konsep: menyusun konsep" in text and "konsep diajukan" in text

    # The step-1 figures are hashed: changing them in the database breaks the chain.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sop_workflow_arsippersetujuan SET authoring = %s WHERE id = %s",
            ['{"office_seconds": 60}', record.pk],
        )
    assert not verify_chain().ok


def test_records_made_before_step_one_was_timed_still_verify(index, sop_users):
    from sop_workflow.archive import append

    append(
        schema_version=2,
        sop_name="SOP",
        sop_number="1",
        sop_effective_on=dt.date(2021, 2, 1),
        title="Catatan lama",
        page_id=1,
    )
    page = write_and_submit(index, sop_users, "Catatan baru", at(23, 8, 0), at(23, 8, 20))
    walk_chain(page, sop_users, at(23, 8, 20))
    assert ArsipPersetujuan.objects.get(title="Catatan lama").authoring is None
    assert verify_chain().ok
