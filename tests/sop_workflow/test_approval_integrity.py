"""What the public sees is what every step of the chain approved: each way content can change while in
or after the chain, tried through the admin as the person who would try it, and checked by URL as an
anonymous reader."""

import datetime as dt
from html import escape

import pytest
from freezegun import freeze_time

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page, Revision, WorkflowState

from sop_workflow.models import ArsipPersetujuan, SOPTaskState
from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import act, assert_refused, current_step, edit, login, news_form_data

pytestmark = pytest.mark.django_db

SHORT = [
    ("terima", Role.PENGELOLA),
    ("validasi", Role.WEB_ADMIN),
    ("tekmas", Role.TEKMAS),
    ("kabag", Role.KABAG_HTH),
    ("unggah", Role.WEB_ADMIN),
]
LONG = [
    ("terima", Role.PENGELOLA),
    ("validasi", Role.WEB_ADMIN),
    ("tekmas", Role.TEKMAS),
    ("kabag", Role.KABAG_HTH),
    ("sekretaris", Role.SEKRETARIS),
    ("komisioner", Role.KOMISIONER),
    ("unggah", Role.WEB_ADMIN),
]
CONTENT_STEPS = [key for key, _role in SHORT if key != "unggah"]
ROLE_OF = dict(LONG)


@pytest.fixture
def index(home_page):
    return factories.BeritaIndexPageFactory(parent=home_page)


@pytest.fixture
def draft(index, sop_users):
    page = factories.BeritaPageFactory(
        parent=index, title="Hasil rapat pleno terbuka", slug="rapat-pleno", owner=sop_users[Role.PENGAMPU]
    )
    page.unpublish()
    page.save_revision(user=sop_users[Role.PENGAMPU])
    return page


@pytest.fixture
def artikel(home_page, sop_users):
    index = factories.ArtikelIndexPageFactory(parent=home_page)
    page = factories.ArtikelPageFactory(
        parent=index, title="Mengenal hak pilih", slug="hak-pilih", owner=sop_users[Role.PENGAMPU]
    )
    page.unpublish()
    page.save_revision(user=sop_users[Role.PENGAMPU])
    return page


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("super", "super@kpu.test", "kata-sandi-uji-123")


def fresh(page):
    return Page.objects.get(pk=page.pk).specific


def public_html(page) -> str | None:
    """The page as an anonymous reader gets it, or None when it is not public."""
    response = Client().get(fresh(page).url)
    return response.content.decode() if response.status_code == 200 else None


def submit(page, sop_users, **overrides):
    response = edit(login(sop_users[Role.PENGAMPU]), fresh(page), "action-submit", **overrides)
    assert response.status_code == 302, response.status_code


def approve_until(page, sop_users, chain, stop_at=None):
    """Approve each step in order, as its role, up to (not including) ``stop_at``."""
    for key, role in chain:
        if key == stop_at:
            return
        assert current_step(page) == key
        assert act(login(sop_users[role]), page, "approve").status_code == 302, key


def states(page):
    return list(
        SOPTaskState.objects.filter(workflow_state__object_id=str(page.pk))
        .select_related("task__soptask", "finished_by")
        .order_by("started_at", "pk")
    )


# --- corrections: only an approver at their own step, and every later step sees them --------------
@pytest.mark.parametrize("step", CONTENT_STEPS)
def test_a_correction_at_a_content_step_is_what_later_steps_and_the_public_see(draft, sop_users, step):
    submit(draft, sop_users)
    approve_until(draft, sop_users, SHORT, stop_at=step)
    reviewer = login(sop_users[ROLE_OF[step]])
    response = edit(reviewer, fresh(draft), title=f"Hasil rapat pleno (koreksi {step})")
    assert response.status_code == 302
    act(reviewer, draft, "approve")
    corrected = fresh(draft).get_latest_revision()
    assert public_html(draft) is None

    later = SHORT[[key for key, _ in SHORT].index(step) + 1 :]
    approve_until(draft, sop_users, later)

    assert f"Hasil rapat pleno (koreksi {step})" in public_html(draft)
    assert fresh(draft).live_revision_id == corrected.pk
    by_step = {state.task.soptask.step_key: state for state in states(draft)}
    assert by_step[step].judged_revision_id == corrected.pk
    for key, _role in later:
        assert by_step[key].revision_id == corrected.pk, f"{key} did not see the correction"


def test_the_publishing_step_has_no_editor_and_cannot_rewrite_what_was_approved(draft, sop_users):
    submit(draft, sop_users)
    approve_until(draft, sop_users, SHORT, stop_at="unggah")
    approved = fresh(draft).get_latest_revision()
    web_admin = login(sop_users[Role.WEB_ADMIN])

    assert_refused(web_admin.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])))
    assert_refused(edit(web_admin, fresh(draft), title="Judul ditulis ulang saat unggah"))
    data = news_form_data(fresh(draft), title="Judul ditulis ulang saat unggah")
    data.update({"action-workflow-action": "true", "workflow-action-name": "approve"})
    assert_refused(web_admin.post(reverse("wagtailadmin_pages:edit", args=[draft.pk]), data))
    assert fresh(draft).get_latest_revision().pk == approved.pk
    assert not fresh(draft).live

    assert act(web_admin, draft, "approve").status_code == 302
    html = public_html(draft)
    assert "Hasil rapat pleno terbuka" in html
    assert "ditulis ulang" not in html
    assert fresh(draft).live_revision_id == approved.pk


def test_what_goes_live_is_the_last_content_approval_not_the_latest_revision(draft, sop_users, superuser):
    submit(draft, sop_users)
    approve_until(draft, sop_users, SHORT, stop_at="unggah")
    approved = fresh(draft).get_latest_revision()
    # A revision made after Kabag HTH approved: a person's is refused whoever they are ...
    sneaked = fresh(draft)
    sneaked.title = "Judul yang tidak pernah disetujui"
    for person in (superuser, sop_users[Role.WEB_ADMIN], sop_users[Role.PENGAMPU]):
        with pytest.raises(PermissionDenied):
            sneaked.save_revision(user=person)
    # ... and one the system itself made (a script with no user) still does not go live.
    sneaked.save_revision()

    act(login(sop_users[Role.WEB_ADMIN]), draft, "approve")

    assert fresh(draft).live_revision_id == approved.pk
    html = public_html(draft)
    assert "Hasil rapat pleno terbuka" in html and "tidak pernah disetujui" not in html


def test_a_reviewer_waiting_for_a_later_step_cannot_edit(draft, sop_users):
    submit(draft, sop_users)
    approve_until(draft, sop_users, SHORT, stop_at="kabag")
    tekmas = login(sop_users[Role.TEKMAS])  # approved already; Kabag HTH holds the step
    before = fresh(draft).get_latest_revision().pk
    assert_refused(edit(tekmas, fresh(draft), title="Koreksi terlambat dari Tekmas"))
    assert fresh(draft).get_latest_revision().pk == before


def test_the_author_cannot_edit_while_a_step_holds_the_concept(draft, sop_users):
    submit(draft, sop_users)
    approve_until(draft, sop_users, SHORT, stop_at="tekmas")
    before = fresh(draft).get_latest_revision().pk
    edit(login(sop_users[Role.PENGAMPU]), fresh(draft), title="Penulis mengubah diam-diam")
    assert fresh(draft).get_latest_revision().pk == before
    approve_until(draft, sop_users, SHORT[2:])
    assert "diam-diam" not in public_html(draft)


# --- send-back: the resubmission goes back to the step that asked -------------------------------------
@pytest.mark.parametrize("step", CONTENT_STEPS)
def test_a_send_back_then_author_edit_resumes_at_the_step_that_asked(draft, sop_users, step):
    submit(draft, sop_users)
    approve_until(draft, sop_users, SHORT, stop_at=step)
    act(login(sop_users[ROLE_OF[step]]), draft, "reject", comment="Perbaiki judulnya.")
    assert current_step(draft) is None

    submit(draft, sop_users, title="Hasil rapat pleno terbuka (perbaikan)")
    assert current_step(draft) == step
    assert public_html(draft) is None
    approve_until(draft, sop_users, SHORT[[key for key, _ in SHORT].index(step) :])

    assert "Hasil rapat pleno terbuka (perbaikan)" in public_html(draft)
    rejected = [state for state in states(draft) if state.status == "rejected"]
    assert [state.task.soptask.step_key for state in rejected] == [step]
    # The step that asked judged the author's answer.
    answered = [s for s in states(draft) if s.task.soptask.step_key == step and s.status == "approved"]
    assert answered[-1].judged_revision_id != rejected[0].judged_revision_id


@pytest.mark.parametrize(
    ("chain", "fixture", "last_content"), [(SHORT, "draft", "kabag"), (LONG, "artikel", "komisioner")]
)
def test_a_send_back_at_upload_goes_back_through_the_last_content_approver(
    request, sop_users, chain, fixture, last_content
):
    page = request.getfixturevalue(fixture)
    submit(page, sop_users)
    approve_until(page, sop_users, chain, stop_at="unggah")
    act(login(sop_users[Role.WEB_ADMIN]), page, "reject", comment="Tautan di paragraf dua salah.")
    editor = login(sop_users[Role.PENGAMPU]).get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    step_name = SOPTaskState.objects.filter(task__soptask__step_key=last_content).first().task.name
    assert escape(f"Ajukan ulang ke {step_name}") in editor.content.decode()

    submit(page, sop_users, title="Judul setelah perbaikan untuk unggah")
    assert current_step(page) == last_content, "the upload step does not judge the author's new text"
    assert public_html(page) is None
    # Web Admin cannot approve it past the content approver.
    assert_refused(act(login(sop_users[Role.WEB_ADMIN]), page, "approve"))
    assert current_step(page) == last_content

    act(login(sop_users[ROLE_OF[last_content]]), page, "approve")
    assert current_step(page) == "unggah"
    act(login(sop_users[Role.WEB_ADMIN]), page, "approve")
    assert "Judul setelah perbaikan untuk unggah" in public_html(page)
    approved = [s for s in states(page) if s.task.soptask.step_key == last_content and s.status == "approved"]
    assert fresh(page).live_revision_id == approved[-1].judged_revision_id


# --- revisions: what a step judged is never rewritten --------------------------------------------------
def test_overwriting_the_live_approved_revision_is_refused(draft, sop_users):
    submit(draft, sop_users)
    approve_until(draft, sop_users, SHORT)
    live = fresh(draft).live_revision
    content_before = Revision.objects.get(pk=live.pk).content

    response = edit(
        login(sop_users[Role.PENGAMPU]),
        fresh(draft),
        title="Ditimpa di revisi yang sudah disetujui",
        overwrite_revision_id=str(live.pk),
    )
    assert response.status_code == 200
    assert "tidak dapat ditimpa" in response.content.decode()
    assert Revision.objects.get(pk=live.pk).content == content_before
    assert "Ditimpa" not in public_html(draft)
    assert fresh(draft).get_latest_revision().pk == live.pk


def test_a_revision_in_review_cannot_be_overwritten_after_a_send_back(draft, sop_users):
    submit(draft, sop_users)
    approve_until(draft, sop_users, SHORT, stop_at="tekmas")
    act(login(sop_users[Role.TEKMAS]), draft, "reject", comment="Perbaiki.")
    judged = fresh(draft).get_latest_revision()
    response = edit(
        login(sop_users[Role.PENGAMPU]), fresh(draft), title="Menimpa", overwrite_revision_id=str(judged.pk)
    )
    assert "tidak dapat ditimpa" in response.content.decode()
    assert Revision.objects.get(pk=judged.pk).content["title"] == "Hasil rapat pleno terbuka"


def test_the_author_may_still_overwrite_their_own_unsubmitted_autosave(draft, sop_users):
    author = sop_users[Role.PENGAMPU]
    own = fresh(draft).save_revision(user=author)
    response = edit(login(author), fresh(draft), title="Draf berikutnya", overwrite_revision_id=str(own.pk))
    assert response.status_code == 302
    assert Revision.objects.get(pk=own.pk).content["title"] == "Draf berikutnya"


def test_scheduled_publication_publishes_the_approved_revision_not_a_later_edit(draft, sop_users):
    go_live = timezone.now() + dt.timedelta(days=1)
    submit(draft, sop_users, go_live_at=go_live.astimezone().strftime("%d-%m-%Y %H:%M"))
    approve_until(draft, sop_users, SHORT)
    page = fresh(draft)
    assert not page.live and page.scheduled_revision is not None
    approved = page.scheduled_revision.pk

    edit(login(sop_users[Role.PENGAMPU]), page, title="Diubah sesudah dijadwalkan")
    with freeze_time(go_live + dt.timedelta(minutes=5)):
        call_command("publish_scheduled", verbosity=0)

    assert fresh(draft).live_revision_id == approved
    html = public_html(draft)
    assert "Hasil rapat pleno terbuka" in html and "sesudah dijadwalkan" not in html


def test_reverting_a_live_page_to_an_old_revision_only_makes_a_draft(draft, sop_users):
    old = fresh(draft).get_latest_revision()
    submit(draft, sop_users, title="Versi yang disetujui")
    approve_until(draft, sop_users, SHORT)
    url = reverse("wagtailadmin_pages:revisions_revert", args=[draft.pk, old.pk])
    login(sop_users[Role.PENGAMPU]).post(url, news_form_data(fresh(draft), title=old.content["title"]))
    html = public_html(draft)
    assert "Versi yang disetujui" in html


# --- snippets and superusers --------------------------------------------------------------------------
def test_sop_roles_cannot_edit_the_snippets_public_pages_show(draft, sop_users):
    from kpu_pages.models import Wilayah

    wilayah = Wilayah.objects.first()
    url = reverse(f"wagtailsnippets_kpu_pages_{Wilayah._meta.model_name}:edit", args=[wilayah.pk])
    for role in Role:
        client = login(sop_users[role])
        assert_refused(client.get(url))
        assert_refused(client.post(url, {"nama": "Kabupaten Diubah", "jenis": wilayah.jenis}))
    wilayah.refresh_from_db()
    assert wilayah.nama != "Kabupaten Diubah"


def test_superuser_copy_keep_live_and_alias_through_the_admin_api_are_refused(index, superuser):
    live = factories.BeritaPageFactory(parent=index, title="Berita asli", slug="berita-asli")
    client = login(superuser)
    copy = client.post(
        f"/admin/api/main/pages/{live.pk}/action/copy/",
        {"destination_page_id": index.pk, "slug": "salinan-langsung", "keep_live": True},
        content_type="application/json",
    )
    alias = client.post(
        f"/admin/api/main/pages/{live.pk}/action/create_alias/",
        {"destination_page_id": index.pk, "new_slug": "alias-langsung"},
        content_type="application/json",
    )
    assert copy.status_code == 403 and alias.status_code == 403
    assert not Page.objects.filter(slug__in=["salinan-langsung", "alias-langsung"]).exists()
    assert not Page.objects.filter(alias_of=live).exists()
    assert Client().get("/berita/salinan-langsung/").status_code == 404


# --- ending a run: reviewers send back; the author withdraws and a superuser cancels, with a reason ----
def end_url(page, ending):
    return reverse("sop_run:end", args=[page.pk, ending])


def test_reviewers_cannot_cancel_or_restart_the_run(draft, sop_users):
    submit(draft, sop_users)
    approve_until(draft, sop_users, SHORT, stop_at="tekmas")
    tekmas = login(sop_users[Role.TEKMAS])
    html = tekmas.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert 'name="action-cancel-workflow"' not in html and "sop-end-run" not in html
    for ending in ("tarik", "batalkan", "mulai-ulang"):
        assert_refused(tekmas.get(end_url(draft, ending)))
        assert_refused(tekmas.post(end_url(draft, ending), {"reason": "Saya ingin membatalkan ini."}))
    data = news_form_data(fresh(draft))
    data["action-cancel-workflow"] = "1"
    tekmas.post(reverse("wagtailadmin_pages:edit", args=[draft.pk]), data)
    assert current_step(draft) == "tekmas"


def test_one_tap_cancel_post_is_refused_even_for_the_author(draft, sop_users):
    submit(draft, sop_users)
    data = news_form_data(fresh(draft))
    data["action-cancel-workflow"] = "1"
    response = login(sop_users[Role.PENGAMPU]).post(reverse("wagtailadmin_pages:edit", args=[draft.pk]), data)
    assert response.status_code == 302
    assert current_step(draft) == "terima"


def test_withdrawing_needs_a_reason_then_archives_the_run_and_tells_everyone(draft, sop_users):
    submit(draft, sop_users)
    approve_until(draft, sop_users, SHORT, stop_at="tekmas")
    author = login(sop_users[Role.PENGAMPU])
    html = author.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert end_url(draft, "tarik") in html

    page = author.get(end_url(draft, "tarik")).content.decode()
    assert "Alasan" in page and "Ya, tarik konsep" in page
    refused = author.post(end_url(draft, "tarik"), {"reason": ""})
    assert refused.status_code == 200 and "Tuliskan alasannya." in refused.content.decode()
    assert current_step(draft) == "tekmas"

    mail.outbox.clear()
    with django_capture_on_commit():
        response = author.post(end_url(draft, "tarik"), {"reason": "Data jumlah pemilih belum final."})
    assert response.status_code == 302
    assert fresh(draft).current_workflow_state is None
    record = ArsipPersetujuan.objects.get(page_id=draft.pk)
    assert record.outcome == "cancelled" and record.reason == "Data jumlah pemilih belum final."
    assert [step["step_key"] for step in record.steps] == ["terima", "validasi", "tekmas"]
    recipients = {address for message in mail.outbox for address in message.to}
    assert {"pengelola@kpu.test", "webadmin@kpu.test"} <= recipients
    assert all("Data jumlah pemilih belum final." in message.body for message in mail.outbox)


def test_a_superuser_cancels_with_a_reason_and_the_author_is_emailed(draft, sop_users, superuser):
    submit(draft, sop_users)
    client = login(superuser)
    assert client.post(end_url(draft, "batalkan"), {"reason": "singkat"}).status_code == 200
    assert current_step(draft) == "terima"
    mail.outbox.clear()
    with django_capture_on_commit():
        client.post(end_url(draft, "batalkan"), {"reason": "Konten ganda dengan berita kemarin."})
    assert fresh(draft).current_workflow_state is None
    assert ArsipPersetujuan.objects.get(page_id=draft.pk).outcome == "cancelled"
    assert "pengampu@kpu.test" in {address for message in mail.outbox for address in message.to}


def test_a_restart_keeps_the_first_run_in_the_archive(draft, sop_users):
    submit(draft, sop_users)
    approve_until(draft, sop_users, SHORT, stop_at="tekmas")
    act(login(sop_users[Role.TEKMAS]), draft, "reject", comment="Ubah sudut pandang.")
    author = login(sop_users[Role.PENGAMPU])
    author.post(end_url(draft, "mulai-ulang"), {"reason": "Naskah ditulis ulang seluruhnya."})

    assert current_step(draft) == "terima"
    first_run = ArsipPersetujuan.objects.get(page_id=draft.pk)
    assert first_run.outcome == "restarted"
    assert [(step["step_key"], step["decision"]) for step in first_run.steps] == [
        ("terima", "disetujui"),
        ("validasi", "disetujui"),
        ("tekmas", "minta perbaikan"),
    ]
    approve_until(draft, sop_users, SHORT)
    assert WorkflowState.objects.filter(object_id=str(draft.pk)).count() == 2
    assert ArsipPersetujuan.objects.filter(page_id=draft.pk).count() == 2
    call_command("sop_verify_archive", verbosity=0)


def django_capture_on_commit():
    """Emails go out on commit; in a test transaction, run the callbacks at the block's end."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


# --- routes found by an insider's attack ------------------------------------------------------------
def test_the_author_cannot_slip_a_revision_in_mid_chain_through_the_admin_api(draft, sop_users):
    author = login(sop_users[Role.PENGAMPU])
    edit(author, fresh(draft), title="TEKS SELUNDUPAN")
    hidden = fresh(draft).get_latest_revision()
    submit(draft, sop_users, title="Hasil rapat pleno terbuka")
    approve_until(draft, sop_users, SHORT, stop_at="kabag")
    response = author.post(
        f"/admin/api/main/pages/{draft.pk}/action/revert_to_page_revision/",
        {"revision_id": hidden.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    approve_until(draft, sop_users, SHORT[3:])
    assert "SELUNDUPAN" not in public_html(draft)


def test_a_page_in_the_chain_is_not_deleted_without_ending_its_run(draft, sop_users):
    submit(draft, sop_users)
    approve_until(draft, sop_users, SHORT, stop_at="tekmas")
    response = login(sop_users[Role.PENGAMPU]).post(reverse("wagtailadmin_pages:delete", args=[draft.pk]))
    assert response.status_code == 302
    assert Page.objects.filter(pk=draft.pk).exists() and current_step(draft) == "tekmas"


def test_the_record_shows_what_the_author_changed_in_answer_to_a_request(draft, sop_users, superuser):
    submit(draft, sop_users)
    approve_until(draft, sop_users, SHORT, stop_at="kabag")
    act(login(sop_users[Role.KABAG_HTH]), draft, "reject", comment="Judulnya kurang jelas.")
    submit(draft, sop_users, title="Hasil rapat pleno terbuka KPU Jateng")
    approve_until(draft, sop_users, SHORT[3:])
    record = ArsipPersetujuan.objects.get(page_id=draft.pk)
    answered = [step for step in record.steps if step["author_changes"]]
    assert [step["step_key"] for step in answered] == ["kabag"]
    assert any("Hasil rapat pleno terbuka KPU Jateng" in line for line in answered[0]["author_changes"])
    html = login(superuser).get(reverse("sop_arsip:detail", args=[record.pk])).content.decode()
    assert "perubahan penulis" in html
