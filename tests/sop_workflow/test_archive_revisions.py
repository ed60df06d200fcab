"""The archive proves what was approved: each step's revision and hash, corrections and their summary,
the published files' hashes, every run (cancelled and restarted too), and a check that finds tampering."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from wagtail.models import Page, Revision, Site, WorkflowState
from wagtail.test.utils.form_data import rich_text, streamfield

from sop_workflow.archive import ending_run
from sop_workflow.enforcement import grant_bypass
from sop_workflow.models import ArsipPersetujuan
from sop_workflow.revision_diff import summarise_changes
from sop_workflow.sop import LEGAL_BASIS, Role
from tests import factories
from tests.conftest import PASSWORD
from tests.sop_workflow.admin_helpers import act, current_step, edit, login

pytestmark = pytest.mark.django_db

SHORT = [Role.PENGELOLA, Role.WEB_ADMIN, Role.TEKMAS, Role.KABAG_HTH, Role.WEB_ADMIN]
TITLE = "Rapat pleno rekapitulasi suara"
CORRECTED_TITLE = "Rapat pleno terbuka rekapitulasi suara Provinsi Jawa Tengah"


def sha256_of_content(revision_id: int) -> str:
    """What the archive claims, recomputed independently: canonical JSON of the stored content."""
    content = Revision.objects.get(pk=revision_id).content
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def sha256_of_file(field_file) -> str:
    with field_file.storage.open(field_file.name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def verify() -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("sop_verify_archive", stdout=out)
    except CommandError as error:  # exits non-zero from the command line
        return False, str(error)
    return True, out.getvalue()


def fresh(page):
    return Page.objects.get(pk=page.pk).specific


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads in a directory of this test's own, so one can be replaced behind the page."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("super", "super@kpu.test", PASSWORD)


@pytest.fixture
def attachments():
    image = factories.ImageFactory(title="Foto rapat pleno")
    document = factories.DocumentFactory(title="Berita acara rekapitulasi")
    return image, document


@pytest.fixture
def draft(home_page, sop_users, attachments):
    image, document = attachments
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(
        parent=index,
        title=TITLE,
        slug="rapat-pleno",
        owner=sop_users[Role.PENGAMPU],
        feature_image=image,
        feature_image_alt="Suasana rapat pleno",
    )
    page.unpublish()
    page.save_revision(user=sop_users[Role.PENGAMPU])
    return page


def form(attachments, *paragraphs: str, **overrides) -> dict:
    """The editor's form, keeping the feature image and the attached document."""
    image, document = attachments
    paragraphs = paragraphs or ("<p>Rapat dibuka pukul 09.00 WIB.</p>",)
    blocks = [("paragraph", rich_text(text)) for text in paragraphs]
    blocks.append(("document", {"document": document.pk, "title": "Unduh berita acara"}))
    return {
        "feature_image": str(image.pk),
        "feature_image_alt": "Suasana rapat pleno",
        "body": streamfield(blocks),
        **overrides,
    }


def submit(page, sop_users, attachments):
    response = edit(login(sop_users[Role.PENGAMPU]), fresh(page), "action-submit", **form(attachments))
    assert response.status_code == 302


def approve(page, sop_users, role, comment=""):
    assert act(login(sop_users[role]), page, "approve", comment=comment).status_code == 302


def publish_with_a_correction(page, sop_users, attachments):
    """The short chain; Tekmas corrects the title and adds a paragraph in the editor, then approves."""
    submit(page, sop_users, attachments)
    for role in SHORT[:2]:
        approve(page, sop_users, role)
    tekmas = login(sop_users[Role.TEKMAS])
    paragraphs = ("<p>Rapat dibuka pukul 09.00 WIB.</p>", "<p>Hadir perwakilan 35 KPU kabupaten/kota.</p>")
    response = edit(tekmas, fresh(page), **form(attachments, *paragraphs, title=CORRECTED_TITLE))
    assert response.status_code == 302
    assert act(tekmas, page, "approve").status_code == 302
    for role in SHORT[3:]:
        approve(page, sop_users, role)
    assert fresh(page).live
    return ArsipPersetujuan.objects.get(page_id=page.pk)


# --- each step names the revision it judged -------------------------------------------------------
def test_each_step_names_the_revision_it_judged_with_its_sha256_and_the_correction(
    draft, sop_users, attachments
):
    record = publish_with_a_correction(draft, sop_users, attachments)
    steps = record.steps
    assert [step["step_key"] for step in steps] == ["terima", "validasi", "tekmas", "kabag", "unggah"]
    for step in steps:
        assert step["revision_id"], step["step_key"]
        assert step["revision_hash"] == sha256_of_content(step["revision_id"]), step["step_key"]

    tekmas = steps[2]
    assert tekmas["corrected"] is True
    assert tekmas["revision_id"] != tekmas["received_revision_id"]
    assert f"Judul diubah: «{TITLE}» → «{CORRECTED_TITLE}»" in tekmas["changes"]
    assert "Paragraf ditambah: 1" in tekmas["changes"]
    assert Revision.objects.get(pk=tekmas["revision_id"]).content["title"] == CORRECTED_TITLE
    # Nobody else touched the text: their steps judged what they received.
    for step in (steps[0], steps[1], steps[3]):
        assert step["corrected"] is False and step["changes"] == [], step["step_key"]
        assert step["revision_id"] == step["received_revision_id"]
    # The next step received the correction, and the correction is what went live.
    assert steps[3]["received_revision_id"] == tekmas["revision_id"]
    live = fresh(draft).live_revision_id
    assert record.revision_id == live == tekmas["revision_id"]
    assert record.revision_hash == sha256_of_content(live)
    assert record.title == CORRECTED_TITLE


def test_saving_the_draft_unchanged_is_not_a_correction(draft, sop_users, attachments):
    submit(draft, sop_users, attachments)
    pengelola = login(sop_users[Role.PENGELOLA])
    assert (
        edit(pengelola, fresh(draft), **form(attachments)).status_code == 302
    )  # "Simpan draf", nothing changed
    assert act(pengelola, draft, "approve").status_code == 302
    for role in SHORT[1:]:
        approve(draft, sop_users, role)
    first = ArsipPersetujuan.objects.get(page_id=draft.pk).steps[0]
    assert first["revision_id"] != first["received_revision_id"]  # a new revision was saved ...
    assert first["edited_by"] == ["pengelola"]
    assert first["corrected"] is False and first["changes"] == []  # ... with the same content


def test_the_record_holds_the_sha256_of_every_image_and_document_the_page_shows(
    draft, sop_users, attachments
):
    image, document = attachments
    record = publish_with_a_correction(draft, sop_users, attachments)
    by_type = {entry["type"]: entry for entry in record.files}
    assert set(by_type) == {"image", "document"}
    assert by_type["image"]["id"] == image.pk and by_type["image"]["title"] == "Foto rapat pleno"
    assert by_type["image"]["file"] == image.file.name
    assert by_type["image"]["sha256"] == sha256_of_file(image.file)
    assert by_type["document"]["id"] == document.pk and by_type["document"]["file"] == document.file.name
    assert by_type["document"]["sha256"] == sha256_of_file(document.file)


def test_summary_of_changes_reads_field_by_field(home_page):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(
        parent=index,
        title="Judul lama",
        lead="Teras lama.",
        body=[("paragraph", "<p>Satu.</p><p>Dua.</p><p>Tiga.</p><p>Empat.</p>")],
    )
    old = page.save_revision()
    page.title = "Judul baru"
    page.lead = "Teras baru."
    page.body = [
        ("paragraph", "<p>Dua, diperbaiki.</p><p>Tiga.</p><p>Empat.</p>"),
        ("paragraph", "<p>Lima.</p>"),
    ]
    page.body.append(("quote", {"text": "Pemilu damai.", "attribution": "Ketua"}))
    new = page.save_revision()
    changes = summarise_changes(Revision.objects.get(pk=old.pk), Revision.objects.get(pk=new.pk))
    assert changes == [
        "Judul diubah: «Judul lama» → «Judul baru»",
        "Teras diubah: «Teras lama.» → «Teras baru.»",
        "Paragraf ditambah: 1",
        "Paragraf dihapus: 1",
        "Paragraf diubah: 1",
        "Kutipan ditambah: 1",
    ]


def test_a_change_late_in_a_long_text_is_shown_where_it_is(home_page):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    lead = "Konsep ditulis tim pelaksana kegiatan dan diterbitkan setelah persetujuan berjenjang sesuai SOP."
    page = factories.BeritaPageFactory(parent=index, lead=lead)
    old = page.save_revision()
    page.lead = lead + " Peserta: Forum Komunikasi Disabilitas Jawa Tengah."
    new = page.save_revision()
    [change] = summarise_changes(Revision.objects.get(pk=old.pk), Revision.objects.get(pk=new.pk))
    before, after = change.removeprefix("Teras diubah: ").split(" → ")
    assert before != after and "Peserta: Forum Komunikasi" in after
    assert before.startswith("«…") and " sesuai SOP." in before  # begins at a word, near the change


# --- every run is archived ------------------------------------------------------------------------
def test_a_cancelled_run_is_archived_with_its_reason_and_steps(draft, sop_users, attachments, superuser):
    submit(draft, sop_users, attachments)
    approve(draft, sop_users, Role.PENGELOLA)
    approve(draft, sop_users, Role.WEB_ADMIN)
    state = WorkflowState.objects.get(object_id=str(draft.pk))
    with ending_run("cancelled", "alasan: konten ganda dengan berita kemarin"):
        state.cancel(user=superuser)

    record = ArsipPersetujuan.objects.get(page_id=draft.pk)
    assert record.outcome == "cancelled" and record.get_outcome_display() == "dibatalkan"
    assert record.reason == "alasan: konten ganda dengan berita kemarin"
    assert (record.ended_by_username, record.published_by_username) == ("super", "")
    assert [(step["step_key"], step["decision"]) for step in record.steps] == [
        ("terima", "disetujui"),
        ("validasi", "disetujui"),
        ("tekmas", "dibatalkan"),
    ]
    assert record.revision_hash == sha256_of_content(record.revision_id)
    assert record.files == []
    assert not fresh(draft).live
    ok, output = verify()
    assert ok, output

    client = login(sop_users[Role.KABAG_HTH])
    html = client.get(reverse("sop_arsip:detail", args=[record.pk])).content.decode()
    assert "Alur dibatalkan" in html and "alasan: konten ganda dengan berita kemarin" in html
    text = pdf_text(client.get(reverse("sop_arsip:pdf", args=[record.pk])).content)
    assert "ALUR DIBATALKAN" in text and "konten ganda dengan berita kemarin" in text
    listing = client.get(reverse("sop_arsip:index"), {"outcome": "cancelled"}).content.decode()
    assert TITLE in listing and "dibatalkan" in listing
    assert TITLE not in client.get(reverse("sop_arsip:index"), {"outcome": "published"}).content.decode()


def test_a_publication_outside_the_sop_that_ends_a_run_archives_the_run_with_what_happened(
    draft, sop_users, attachments, superuser
):
    submit(draft, sop_users, attachments)
    approve(draft, sop_users, Role.PENGELOLA)
    # The editor is locked while the page is in moderation; a superuser's recorded publication still
    # goes through Wagtail's publish action (as the admin API or a shell would), which ends the run.
    reason = "Pengumuman darurat atas perintah Ketua, tidak dapat menunggu."
    revision = fresh(draft).get_latest_revision()
    grant_bypass(revision.pk, superuser.pk, reason)
    revision.publish(user=superuser)
    assert fresh(draft).live
    bypass, run = ArsipPersetujuan.objects.order_by("sequence")
    assert bypass.outside_sop and bypass.outcome == "published" and len(bypass.files) == 2
    assert run.outcome == "cancelled" and [step["step_key"] for step in run.steps] == ["terima", "validasi"]
    assert "di luar SOP" in run.reason and reason in run.reason
    assert verify()[0]


def test_a_restart_keeps_the_first_run_with_its_approvals_corrections_and_request_for_changes(
    draft, sop_users, attachments
):
    submit(draft, sop_users, attachments)
    approve(draft, sop_users, Role.PENGELOLA)
    webadmin = login(sop_users[Role.WEB_ADMIN])
    edit(webadmin, fresh(draft), **form(attachments, title=CORRECTED_TITLE))
    assert act(webadmin, draft, "approve").status_code == 302
    assert (
        act(login(sop_users[Role.TEKMAS]), draft, "reject", comment="Sudut pandang diubah.").status_code
        == 302
    )
    author = login(sop_users[Role.PENGAMPU])
    response = author.post(
        reverse("sop_run:end", args=[draft.pk, "mulai-ulang"]), {"reason": "Naskah ditulis ulang seluruhnya."}
    )
    assert response.status_code == 302
    assert current_step(draft) == "terima"

    first = ArsipPersetujuan.objects.get(page_id=draft.pk)
    assert first.outcome == "restarted" and first.get_outcome_display() == "dimulai ulang"
    assert first.reason == "Naskah ditulis ulang seluruhnya." and first.ended_by_username == "pengampu"
    assert [(s["step_key"], s["decision"], s["corrected"]) for s in first.steps] == [
        ("terima", "disetujui", False),
        ("validasi", "disetujui", True),
        ("tekmas", "minta perbaikan", False),
    ]
    assert first.steps[2]["comment"] == "Sudut pandang diubah."
    assert any(change.startswith("Judul diubah") for change in first.steps[1]["changes"])

    for role in SHORT:
        approve(draft, sop_users, role)
    first_again, second = ArsipPersetujuan.objects.filter(page_id=draft.pk).order_by("sequence")
    assert first_again.record_hash == first.record_hash
    assert second.outcome == "published" and second.workflow_state_id != first.workflow_state_id
    ok, output = verify()
    assert ok and "2 catatan" in output, output


# --- verification finds tampering -----------------------------------------------------------------
def test_verification_names_a_cited_revision_whose_content_was_changed(draft, sop_users, attachments):
    record = publish_with_a_correction(draft, sop_users, attachments)
    assert verify()[0]
    cited = record.steps[2]["revision_id"]
    content = Revision.objects.get(pk=cited).content
    content["title"] = "Judul yang tidak pernah disetujui"
    Revision.objects.filter(pk=cited).update(content=content)
    ok, message = verify()
    assert not ok
    assert f"#{record.sequence}" in message and CORRECTED_TITLE in message
    assert f"revisi ID {cited}" in message and "tidak cocok" in message


def test_verification_names_a_deleted_revision(draft, sop_users, attachments):
    record = publish_with_a_correction(draft, sop_users, attachments)
    first_step_revision = record.steps[0]["revision_id"]
    Revision.objects.filter(pk=first_step_revision).delete()
    ok, message = verify()
    assert not ok and f"revisi ID {first_step_revision} telah dihapus" in message


def test_a_page_deleted_through_the_admin_still_verifies(draft, sop_users, attachments, superuser):
    publish_with_a_correction(draft, sop_users, attachments)
    client = login(superuser)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[draft.pk]))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=draft.pk).exists()
    ok, message = verify()
    assert ok, message


def test_verification_names_a_file_replaced_behind_the_live_page(draft, sop_users, attachments, media):
    image, _document = attachments
    record = publish_with_a_correction(draft, sop_users, attachments)
    (media / image.file.name).write_bytes(factories.png_bytes(color=(0, 0, 0)))
    ok, message = verify()
    assert not ok
    assert f"#{record.sequence}" in message and "gambar «Foto rapat pleno»" in message
    assert image.file.name in message and "tidak cocok" in message


# --- the public address, the sheet, the exports ----------------------------------------------------
def test_the_public_url_comes_from_base_url_not_the_site_record(draft, sop_users, attachments, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://jateng.kpu.go.id"
    assert Site.objects.get(is_default_site=True).hostname == "localhost"
    record = publish_with_a_correction(draft, sop_users, attachments)
    assert record.url == "https://jateng.kpu.go.id/berita/rapat-pleno/"


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_lembar_persetujuan_shows_revisions_corrections_files_legal_basis_and_signature(
    draft, sop_users, attachments
):
    record = publish_with_a_correction(draft, sop_users, attachments)
    client = login(sop_users[Role.SEKRETARIS])
    text = pdf_text(client.get(reverse("sop_arsip:pdf", args=[record.pk])).content)
    assert "Dasar Hukum" in text
    assert "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik" in text
    assert "Mengetahui" in text and "Sekretaris KPU Provinsi Jawa Tengah" in text
    # Only the step whose reviewer corrected the content gets a line saying what changed.
    assert text.count("Dikoreksi: ya") == 1 and "Judul diubah" in text
    tekmas = record.steps[2]
    assert f"{tekmas['revision_id']} {tekmas['revision_hash'][:12]}" in text  # the "Revisi" column
    compact = text.replace(" ", "")
    assert record.revision_hash in compact
    for entry in record.files:
        assert entry["sha256"] in compact

    html = client.get(reverse("sop_arsip:detail", args=[record.pk])).content.decode()
    assert "Dasar Hukum" in html and LEGAL_BASIS[4] in html
    assert "Dikoreksi" in html and "Judul diubah" in html and "Mengetahui" in html
    for entry in record.files:
        assert entry["sha256"] in html


def test_exports_carry_the_outcome_the_revisions_and_the_files(draft, sop_users, attachments, superuser):
    record = publish_with_a_correction(draft, sop_users, attachments)
    client = login(sop_users[Role.WEB_ADMIN])
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("sop_arsip:csv", args=[record.pk])).content.decode("utf-8-sig"))
        )
    )
    concept, *steps = rows
    assert concept["Keputusan"] == "konsep diajukan"
    assert steps[2]["Dikoreksi"] == "ya" and "Judul diubah" in steps[2]["Perubahan"]
    assert steps[2]["Hash revisi dinilai"] == record.steps[2]["revision_hash"]
    assert {row["Hasil alur"] for row in rows} == {"diterbitkan"}

    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("sop_arsip:zip")).content))
    index = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    assert index[0]["Hasil alur"] == "diterbitkan"
    assert index[0]["Hash revisi"] == record.revision_hash
    assert all(entry["sha256"] in index[0]["Berkas (SHA-256)"] for entry in record.files)

    listing = client.get(reverse("sop_arsip:index"), {"export": "csv"})
    exported = list(csv.DictReader(io.StringIO(b"".join(listing.streaming_content).decode("utf-8-sig"))))
    assert exported[0]["Hasil alur"] == "diterbitkan" and exported[0]["Hash revisi"] == record.revision_hash


def test_a_scheduled_publication_outside_the_sop_records_its_files_without_making_them_public_early(
    home_page, superuser, attachments
):
    """The record lists the files of the revision being published; Wagtail's reference index (which
    decides whether a file is public) is left alone until the page row really changes at go-live."""
    import datetime as dt

    from django.utils import timezone

    from wagtail.models import ReferenceIndex

    image, document = attachments
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(parent=index, title="Jadwal kampanye", slug="jadwal")
    page.save_revision().publish()  # live without files (published by the system)
    page = fresh(page)
    page.body = [("document", {"document": document, "title": "Jadwal lengkap"})]
    page.go_live_at = timezone.now() + dt.timedelta(days=2)
    revision = page.save_revision(user=superuser)
    grant_bypass(revision.pk, superuser.pk, "Dijadwalkan atas perintah Ketua untuk lusa.")
    revision.publish(user=superuser)

    record = ArsipPersetujuan.objects.get(page_id=page.pk)
    assert [(entry["type"], entry["id"]) for entry in record.files] == [("document", document.pk)]
    assert record.files[0]["sha256"] == sha256_of_file(document.file)
    assert fresh(page).live and not fresh(page).body  # still the live content without files
    assert not ReferenceIndex.get_references_to(document).exists()
