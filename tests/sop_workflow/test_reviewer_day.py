"""The approvers' and authors' day: every SOP email's links open for their recipient, the dashboard says
what a decision led to, and odd titles never stop a mail."""

import re

import pytest

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from wagtail.models import Page

from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import act, current_step, edit, login

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://testserver(/\S*)")


@pytest.fixture
def artikel(home_page, sop_users):
    index = factories.ArtikelIndexPageFactory(parent=home_page)
    page = factories.ArtikelPageFactory(
        parent=index, title="Mengenal hak pilih", slug="hak-pilih", owner=sop_users[Role.PENGAMPU]
    )
    page.unpublish()
    page.save_revision(user=sop_users[Role.PENGAMPU])
    return page


class Sessions:
    """One signed-in client per person, made once (as each person keeps their browser open)."""

    def __init__(self, sop_users):
        self.users = {user.email: user for user in sop_users.values()}
        self.clients: dict[str, Client] = {}

    def of(self, user) -> Client:
        if user.email not in self.clients:
            self.clients[user.email] = login(user)
        return self.clients[user.email]

    def follow_every_link(self, messages) -> int:
        """Open each link of each email with its recipient's session; every one must answer 200."""
        followed = 0
        for message in messages:
            user = self.users[message.to[0]]
            for path in LINK.findall(message.body):
                response = self.of(user).get(path)
                assert response.status_code == 200, (
                    message.subject,
                    user.username,
                    path,
                    response.status_code,
                )
                followed += 1
        return followed


def decide(sessions, user, page, action, comment=""):
    """One step's decision; returns the emails it sent (they go out when the transaction commits)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        mail.outbox.clear()
        response = act(sessions.of(user), page, action, comment=comment)
    assert response.status_code == 302, response.status_code
    return list(mail.outbox), response


def submit(sessions, author, page, **overrides):
    with TestCase.captureOnCommitCallbacks(execute=True):
        mail.outbox.clear()
        response = edit(
            sessions.of(author), Page.objects.get(pk=page.pk).specific, "action-submit", **overrides
        )
    assert response.status_code == 302
    return list(mail.outbox)


def test_every_link_in_every_sop_email_opens_for_its_recipient(artikel, sop_users):
    sessions = Sessions(sop_users)
    author = sop_users[Role.PENGAMPU]
    followed = sessions.follow_every_link(submit(sessions, author, artikel))
    for role in (Role.PENGELOLA, Role.WEB_ADMIN):
        followed += sessions.follow_every_link(decide(sessions, sop_users[role], artikel, "approve")[0])
    # Tekmas corrects the title, then approves with a note for the next step.
    edit(
        sessions.of(sop_users[Role.TEKMAS]),
        Page.objects.get(pk=artikel.pk).specific,
        title="Mengenal hak pilih warga",
    )
    sent, _ = decide(sessions, sop_users[Role.TEKMAS], artikel, "approve", comment="Judul saya perjelas.")
    arrived = next(message for message in sent if "kabaghth@kpu.test" in message.to)
    assert "Judul saya perjelas." in arrived.body and "Judul diubah" in arrived.body
    followed += sessions.follow_every_link(sent)

    # Kabag HTH sends it back; the earlier reviewers are told with a link they may open.
    sent, _ = decide(sessions, sop_users[Role.KABAG_HTH], artikel, "reject", comment="Tambah sumber data.")
    assert {"pengampu@kpu.test", "pengelola@kpu.test", "tekmas@kpu.test"} <= {m.to[0] for m in sent}
    followed += sessions.follow_every_link(sent)
    sent = submit(sessions, author, artikel)
    resubmitted = next(message for message in sent if "kabaghth@kpu.test" in message.to)
    assert "permintaan perbaikan Anda" in resubmitted.body and "Tambah sumber data." in resubmitted.body
    followed += sessions.follow_every_link(sent)

    for role in (Role.KABAG_HTH, Role.SEKRETARIS, Role.KOMISIONER):
        sent, _ = decide(sessions, sop_users[role], artikel, "approve")
        followed += sessions.follow_every_link(sent)
    # Steps 8-10: the approved concept "travels back down" as a notice to Sekretaris, Kabag and Tekmas.
    waiting = {message.to[0] for message in sent if "menunggu unggah" in message.subject}
    assert waiting == {"sekretaris@kpu.test", "kabaghth@kpu.test", "tekmas@kpu.test"}

    sent, _ = decide(sessions, sop_users[Role.WEB_ADMIN], artikel, "approve")
    published = {message.to[0] for message in sent if "Terbit" in message.subject or "terbit" in message.body}
    assert {"pengampu@kpu.test", "komisioner@kpu.test", "tekmas@kpu.test"} <= published
    followed += sessions.follow_every_link(sent)
    assert followed >= 15


def test_the_upload_step_email_opens_a_screen_web_admin_may_use(artikel, sop_users):
    sessions = Sessions(sop_users)
    submit(sessions, sop_users[Role.PENGAMPU], artikel)
    for role in (Role.PENGELOLA, Role.WEB_ADMIN, Role.TEKMAS, Role.KABAG_HTH, Role.SEKRETARIS):
        decide(sessions, sop_users[role], artikel, "approve")
    sent, _ = decide(sessions, sop_users[Role.KOMISIONER], artikel, "approve")
    upload = next(m for m in sent if m.to == ["webadmin@kpu.test"] and "Menunggu tinjauan" in m.subject)
    (path,) = LINK.findall(upload.body)
    assert path == "/admin/"  # the dashboard, where its approve-and-publish action is
    assert sessions.of(sop_users[Role.WEB_ADMIN]).get(path).status_code == 200


def test_after_each_approval_the_dashboard_names_the_next_step_and_at_last_the_live_page(
    home_page, sop_users
):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(parent=index, title="Rapat pleno", owner=sop_users[Role.PENGAMPU])
    page.unpublish()
    sessions = Sessions(sop_users)
    submit(sessions, sop_users[Role.PENGAMPU], page)
    expected_next = ["Web Admin: koreksi", "Sub Koordinator", "Kabag HTH", "Web Admin: unggah"]
    roles = (Role.PENGELOLA, Role.WEB_ADMIN, Role.TEKMAS, Role.KABAG_HTH)
    for role, following in zip(roles, expected_next, strict=True):
        _, response = decide(sessions, sop_users[role], page, "approve")
        dashboard = sessions.of(sop_users[role]).get(response.url).content.decode()
        assert "Langkah berikutnya: " + following in dashboard, role
    _, response = decide(sessions, sop_users[Role.WEB_ADMIN], page, "approve")
    dashboard = sessions.of(sop_users[Role.WEB_ADMIN]).get(response.url).content.decode()
    assert "kini terbit" in dashboard
    assert f'href="http://testserver{Page.objects.get(pk=page.pk).url}"' in dashboard
    # Nobody else reads another person's message by guessing the number.
    assert "kini terbit" not in sessions.of(sop_users[Role.TEKMAS]).get(response.url).content.decode()


def test_a_title_with_line_breaks_never_stops_a_submission_or_an_email(home_page, sop_users):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(parent=index, title="Awal", owner=sop_users[Role.PENGAMPU])
    page.unpublish()
    sessions = Sessions(sop_users)
    sent = submit(sessions, sop_users[Role.PENGAMPU], page, title="Rapat pleno\r\nbaris kedua\tdan tab")
    assert current_step(page) == "terima"
    assert sent and all("\n" not in message.subject for message in sent)
    sent, _ = decide(sessions, sop_users[Role.PENGELOLA], page, "approve")
    assert sent and "Rapat pleno baris kedua dan tab" in sent[0].subject


def test_the_history_screen_is_refused_to_people_outside_the_run(artikel, sop_users):
    sessions = Sessions(sop_users)
    submit(sessions, sop_users[Role.PENGAMPU], artikel)
    url = reverse("sop_run:history", args=[artikel.pk])
    assert sessions.of(sop_users[Role.PENGAMPU]).get(url).status_code == 200
    outsider = get_user_model().objects.create_user("luar", "luar@kpu.test", "kata-sandi-uji-123")
    outsider.groups.add(*sop_users[Role.KOMISIONER].groups.all())
    assert sessions.of(outsider).get(url).status_code in (302, 403)


def test_the_author_sees_the_note_in_the_editor_and_a_reviewers_lock_never_blocks_saving(artikel, sop_users):
    sessions = Sessions(sop_users)
    author = sop_users[Role.PENGAMPU]
    submit(sessions, author, artikel)
    pengelola = sessions.of(sop_users[Role.PENGELOLA])
    assert pengelola.post(reverse("wagtailadmin_pages:lock", args=[artikel.pk])).status_code == 302
    assert Page.objects.get(pk=artikel.pk).locked
    decide(sessions, sop_users[Role.PENGELOLA], artikel, "reject", comment="Lengkapi sumber kutipan.")

    html = sessions.of(author).get(reverse("wagtailadmin_pages:edit", args=[artikel.pk])).content.decode()
    assert "Perbaikan diminta oleh Pengelola" in html and "Lengkapi sumber kutipan." in html
    response = edit(
        sessions.of(author), Page.objects.get(pk=artikel.pk).specific, title="Mengenal hak pilih (2)"
    )
    assert response.status_code == 302
    assert Page.objects.get(pk=artikel.pk).get_latest_revision().content["title"] == "Mengenal hak pilih (2)"


def test_the_status_dialog_names_the_reviewer_who_asked_for_changes(artikel, sop_users):
    sessions = Sessions(sop_users)
    submit(sessions, sop_users[Role.PENGAMPU], artikel)
    decide(sessions, sop_users[Role.PENGELOLA], artikel, "reject", comment="Tambahkan foto.")
    html = sessions.of(sop_users[Role.PENGAMPU]).get(reverse("wagtailadmin_pages:edit", args=[artikel.pk]))
    heading = re.search(r'id="workflow-status-dialog".{0,3000}', html.content.decode(), re.S).group(0)
    assert "oleh Pengelola" in heading and "oleh Pengampu" not in heading


def test_the_help_menu_opens_an_indonesian_sop_guide(artikel, sop_users):
    client = Sessions(sop_users).of(sop_users[Role.TEKMAS])
    dashboard = client.get("/admin/").content.decode()
    assert '"name": "editor-guide"' not in dashboard and "releases/new-in-wagtail" not in dashboard
    assert '"name": "panduan-sop"' in dashboard
    guide = client.get(reverse("sop_run:guide"))
    html = guide.content.decode()
    assert guide.status_code == 200 and "Panduan SOP Pengelolaan Website" in html
    assert "Kabag HTH: koreksi &amp; persetujuan" in html and "30 menit" in html
