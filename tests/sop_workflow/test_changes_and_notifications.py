"""Request changes at a middle step, resubmission, and the emails each person receives."""

import pytest

from django.core import mail

from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import act, current_step, login, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_artikel(home_page, sop_users):
    index = factories.ArtikelIndexPageFactory(parent=home_page)
    page = factories.ArtikelPageFactory(
        parent=index, title="Ajakan memilih bagi pemula", owner=sop_users[Role.PENGAMPU]
    )
    page.unpublish()
    return page


def test_request_changes_at_a_middle_step_goes_back_to_the_author_and_resumes_there(
    draft_artikel, sop_users, django_capture_on_commit_callbacks
):
    page = draft_artikel
    author = login(sop_users[Role.PENGAMPU])
    with django_capture_on_commit_callbacks(execute=True):
        submit(author, page)
        for role in (Role.PENGELOLA, Role.WEB_ADMIN, Role.TEKMAS):
            act(login(sop_users[role]), page, "approve")
    assert current_step(page) == "kabag"
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = act(
            login(sop_users[Role.KABAG_HTH]),
            page,
            "reject",
            comment="Perbaiki data jumlah pemilih di paragraf 2.",
        )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.current_workflow_state.status == "needs_changes"
    assert not page.live

    to_author = [m for m in mail.outbox if m.to == ["pengampu@kpu.test"]]
    assert len(to_author) == 1
    assert "Perlu perbaikan" in to_author[0].subject
    assert "Perbaiki data jumlah pemilih di paragraf 2." in to_author[0].body
    assert f"/admin/pages/{page.pk}/edit/" in to_author[0].body
    earlier = sorted(m.to[0] for m in mail.outbox if "Dikembalikan" in m.subject)
    assert earlier == ["pengelola@kpu.test", "tekmas@kpu.test", "webadmin@kpu.test"]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit(author, page, lead="Data jumlah pemilih sudah diperbaiki.")
    assert current_step(page) == "kabag", "resubmission must resume at the step that asked for changes"
    arrived = [m for m in mail.outbox if "Menunggu tinjauan" in m.subject]
    assert sorted(m.to[0] for m in arrived) == ["kabaghth2@kpu.test", "kabaghth@kpu.test"]


def test_request_changes_needs_a_comment(draft_artikel, sop_users):
    page = draft_artikel
    submit(login(sop_users[Role.PENGAMPU]), page)
    response = act(login(sop_users[Role.PENGELOLA]), page, "reject", comment="")
    assert current_step(page) == "terima"
    page.refresh_from_db()
    assert page.current_workflow_state.status == "in_progress"
    assert response.status_code in (200, 302)


def test_next_role_is_emailed_with_a_link_when_content_arrives(
    draft_artikel, sop_users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(login(sop_users[Role.PENGAMPU]), draft_artikel)
    assert [m.to for m in mail.outbox] == [["pengelola@kpu.test"]]
    message = mail.outbox[0]
    assert "Menunggu tinjauan Anda" in message.subject
    assert "Pengelola Website: terima konsep" in message.body
    assert f"http://testserver/admin/pages/{draft_artikel.pk}/edit/" in message.body
    assert "Mutu baku waktu : 5 menit" in message.body


def test_author_is_told_when_the_content_is_published(
    draft_artikel, sop_users, django_capture_on_commit_callbacks
):
    page = draft_artikel
    submit(login(sop_users[Role.PENGAMPU]), page)
    for role in (
        Role.PENGELOLA,
        Role.WEB_ADMIN,
        Role.TEKMAS,
        Role.KABAG_HTH,
        Role.SEKRETARIS,
        Role.KOMISIONER,
    ):
        act(login(sop_users[role]), page, "approve")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(login(sop_users[Role.WEB_ADMIN]), page, "approve")
    published = [m for m in mail.outbox if "Telah terbit" in m.subject]
    # The author, and every approver of the run but the one who published it, with the public link.
    assert published[0].to == ["pengampu@kpu.test"]
    assert {m.to[0] for m in published} == {
        "pengampu@kpu.test",
        "pengelola@kpu.test",
        "tekmas@kpu.test",
        "kabaghth@kpu.test",
        "sekretaris@kpu.test",
        "komisioner@kpu.test",
    }
    page.refresh_from_db()
    # The public address on BASE_URL, never the Site record's default "localhost".
    assert page.live and f"http://testserver{page.url}" in published[0].body
    assert "localhost" not in published[0].body
