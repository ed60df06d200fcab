"""Who may see what: every person against every private resource, by direct URL and with other people's IDs.

The table (``EXPECTED``) is the policy; ``docs/security.md`` ("Hak akses") says it in words: approval
records, the compliance report, drafts and their documents, each seen only by the roles the SOP
names. Allowed means 200 and the content; refused means 403, 404 or a redirect to the login or the
dashboard, never 500 and never the content.
"""

from __future__ import annotations

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from wagtail.models import Page, Revision
from wagtail.test.utils.form_data import streamfield

from sop_workflow.models import ArsipPersetujuan
from sop_workflow.sop import ROLES, Role
from tests import factories
from tests.conftest import PASSWORD
from tests.sop_workflow.admin_helpers import act, login, submit
from tests.sop_workflow.test_archive import publish_through_chain

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Rancangan keputusan penetapan calon terpilih"
DRAFT_DOCUMENT = "Lampiran rancangan rahasia"
RECORD_TITLE = "Rapat pleno rekapitulasi suara"

SOP_PEOPLE = {info.demo_username: role for role, info in ROLES.items()}
EVERYONE = [
    "super",
    *SOP_PEOPLE,
    "pengampu2",  # a second author: the draft is not theirs
    "tamu-admin",  # a plain Wagtail admin user outside the SOP's groups
    "warga",  # a signed-in account without admin access
    "anonim",
]

ARCHIVE_READERS = {"super", *SOP_PEOPLE, "pengampu2"}
REPORT_READERS = {"super", "webadmin", "tekmas", "kabaghth", "sekretaris", "komisioner"}
#: the draft sits at the web admin's validation step (the Pengelola Website has already passed it on)
DRAFT_READERS = {"super", "pengampu", "webadmin"}
DRAFT_EDITORS = {"super", "pengampu"}
DOCUMENT_READERS = {"super", *SOP_PEOPLE, "pengampu2"}

#: resource -> who gets it; every other person is refused
EXPECTED = {
    "arsip-daftar": ARCHIVE_READERS,
    "arsip-hasil": ARCHIVE_READERS,
    "arsip-rincian": ARCHIVE_READERS,
    "arsip-pdf": ARCHIVE_READERS,
    "arsip-csv": ARCHIVE_READERS,
    "arsip-zip": ARCHIVE_READERS,
    "laporan": REPORT_READERS,
    "laporan-hasil": REPORT_READERS,
    "laporan-csv": REPORT_READERS,
    "laporan-xlsx": REPORT_READERS,
    "draf-sunting": DRAFT_READERS,
    "draf-pratinjau": DRAFT_READERS,
    "draf-pratinjau-langkah": {"webadmin"},  # Wagtail's preview for the step's reviewers only
    "draf-riwayat-alur": DRAFT_READERS,
    # Wagtail shows old revisions, their comparison and the history to editors of the page only:
    # the step's reviewers read the current text in the editor and the step preview instead.
    "draf-revisi-lihat": DRAFT_EDITORS,
    "draf-bandingkan": DRAFT_EDITORS,
    "draf-riwayat": DRAFT_EDITORS,
    "draf-alamat-publik": set(),
    "draf-dokumen": DOCUMENT_READERS,
    "draf-gambar-asli": DOCUMENT_READERS,
}


def _users(sop_users) -> dict[str, object]:
    User = get_user_model()
    people: dict[str, object] = {info.demo_username: sop_users[role] for role, info in ROLES.items()}
    people["super"] = User.objects.create_superuser("super", "super@kpu.test", PASSWORD)
    people["pengampu2"] = User.objects.create_user("pengampu2", password=PASSWORD)
    people["pengampu2"].groups.add(Group.objects.get(name=ROLES[Role.PENGAMPU].group_name))
    people["tamu-admin"] = User.objects.create_user("tamu-admin", password=PASSWORD)
    guests = Group.objects.create(name="Tamu admin")
    guests.permissions.add(Permission.objects.get(codename="access_admin"))
    people["tamu-admin"].groups.add(guests)
    people["warga"] = User.objects.create_user("warga", password=PASSWORD)
    return people


@pytest.fixture
def world(home_page, sop_users):
    """A published record (somebody else's publication) and a draft at the web admin's step."""
    index = factories.BeritaIndexPageFactory(parent=home_page)
    author = sop_users[Role.PENGAMPU]

    published = factories.BeritaPageFactory(parent=index, title=RECORD_TITLE, owner=author)
    published.unpublish()
    published.save_revision(user=author)
    publish_through_chain(published, sop_users)
    record = ArsipPersetujuan.objects.get()

    document = factories.DocumentFactory(title=DRAFT_DOCUMENT)
    image = factories.ImageFactory(title="Foto rancangan")
    draft = factories.BeritaPageFactory(parent=index, title=DRAFT_TITLE, owner=author, slug="rancangan")
    draft.unpublish()
    body = streamfield([("document", {"document": document.pk, "title": DRAFT_DOCUMENT})])
    draft.save_revision(user=author)
    assert submit(login(author), draft, body=body).status_code == 302
    assert act(login(sop_users[Role.PENGELOLA]), draft, "approve").status_code == 302
    draft = Page.objects.get(pk=draft.pk)
    task_state = draft.current_workflow_task_state
    assert task_state.task.specific.step_key == "validasi"
    revisions = list(Revision.objects.filter(object_id=str(draft.pk)).order_by("pk"))

    urls = {
        "arsip-daftar": reverse("sop_arsip:index"),
        "arsip-hasil": reverse("sop_arsip:index_results"),
        "arsip-rincian": reverse("sop_arsip:detail", args=[record.pk]),
        "arsip-pdf": reverse("sop_arsip:pdf", args=[record.pk]),
        "arsip-csv": reverse("sop_arsip:csv", args=[record.pk]),
        "arsip-zip": reverse("sop_arsip:zip"),
        "laporan": reverse("sop_kepatuhan"),
        "laporan-hasil": reverse("sop_kepatuhan_results"),
        "laporan-csv": reverse("sop_kepatuhan") + "?export=csv",
        "laporan-xlsx": reverse("sop_kepatuhan") + "?export=xlsx",
        "draf-sunting": reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        "draf-pratinjau": reverse("wagtailadmin_pages:view_draft", args=[draft.pk]),
        "draf-pratinjau-langkah": reverse(
            "wagtailadmin_pages:workflow_preview", args=[draft.pk, task_state.task_id]
        ),
        "draf-revisi-lihat": reverse("wagtailadmin_pages:revisions_view", args=[draft.pk, revisions[-1].pk]),
        "draf-bandingkan": reverse(
            "wagtailadmin_pages:revisions_compare", args=[draft.pk, revisions[0].pk, revisions[-1].pk]
        ),
        "draf-riwayat-alur": reverse("wagtailadmin_pages:workflow_history", args=[draft.pk]),
        "draf-riwayat": reverse("wagtailadmin_pages:history", args=[draft.pk]),
        "draf-alamat-publik": f"/berita/{draft.slug}/",
        "draf-dokumen": document.url,
        "draf-gambar-asli": image.file.url,
    }
    #: what must not appear in a refusal (the secret each resource holds)
    secrets = {key: RECORD_TITLE for key in urls if key.startswith("arsip")}
    secrets.update({key: DRAFT_TITLE for key in urls if key.startswith("draf")})
    secrets.update({"laporan-csv": "Median", "laporan-xlsx": "PK\x03\x04", "draf-dokumen": "%PDF"})
    return {"urls": urls, "secrets": secrets, "people": _users(sop_users)}


def _client(world, who: str) -> Client:
    if who == "anonim":
        return Client()
    return login(world["people"][who])


def _refused(response) -> bool:
    if response.status_code in (403, 404):
        return True
    if response.status_code == 302:
        target = response.url
        # a signed-in account without admin access is held at the 2FA step, which it cannot pass
        if target.startswith(reverse("akun_verify")):
            return True
        return "/login/" in target or target.rstrip("/") in (
            "/admin",
            reverse("wagtailadmin_home").rstrip("/"),
        )
    return False


def test_each_person_sees_exactly_what_the_policy_allows(world):
    """One world, every person against every resource; the failure lists every cell that is wrong."""
    wrong = []
    for who in EVERYONE:
        client = _client(world, who)
        for resource, url in world["urls"].items():
            response = client.get(url)
            body = b"".join(response) if response.streaming else response.content
            secret = world["secrets"].get(resource, "").encode()
            status = response.status_code
            if status >= 500:
                wrong.append(f"{who} {resource}: {status}")
            elif who in EXPECTED[resource]:
                if status != 200:
                    where = getattr(response, "url", "")
                    wrong.append(f"{who} {resource}: expected 200, got {status} {where}")
            elif not _refused(response):
                wrong.append(f"{who} {resource}: expected a refusal, got {status}")
            elif secret and secret in body:
                wrong.append(f"{who} {resource}: refused but the content leaked")
    assert not wrong, "\n".join(wrong)


def test_records_of_other_ids_and_missing_ids_reveal_nothing_to_outsiders(world):
    """An outsider gets the same refusal for a record that exists and for one that does not."""
    record = ArsipPersetujuan.objects.get()
    missing = record.pk + 1000
    for who in ("tamu-admin", "warga"):
        client = _client(world, who)
        for name in ("sop_arsip:detail", "sop_arsip:pdf", "sop_arsip:csv"):
            present = client.get(reverse(name, args=[record.pk])).status_code
            absent = client.get(reverse(name, args=[missing])).status_code
            assert present == absent and present in (302, 403), (who, name, present, absent)
    reader = _client(world, "pengampu2")
    assert reader.get(reverse("sop_arsip:detail", args=[missing])).status_code == 404


def test_the_draft_becomes_visible_to_each_reviewer_only_while_it_is_at_their_step(world, sop_users):
    """Tekmas cannot open the draft before it reaches Tekmas, can while it is there, and not after."""
    people = world["people"]
    edit_url = world["urls"]["draf-sunting"]
    tekmas = login(people["tekmas"])
    assert _refused(tekmas.get(edit_url))
    draft = Page.objects.get(title=DRAFT_TITLE)
    assert act(login(people["webadmin"]), draft, "approve").status_code == 302
    response = tekmas.get(edit_url)
    assert response.status_code == 200 and DRAFT_TITLE in response.content.decode()
    assert act(tekmas, draft, "approve").status_code == 302
    assert _refused(tekmas.get(edit_url))
    assert _refused(login(people["webadmin"]).get(edit_url))
    assert login(people["kabaghth"]).get(edit_url).status_code == 200
    # the second Kabag HTH shares the step: the group, not the person, is the reviewer
    assert login(sop_users["kabaghth2"]).get(edit_url).status_code == 200


def test_the_public_never_sees_the_draft_text_anywhere(world):
    """Search, listings and feeds of the public site hold nothing of a draft."""
    public = Client()
    for url in ("/berita/", "/cari/?q=rancangan", "/berita/rss/", "/sitemap.xml"):
        response = public.get(url)
        assert response.status_code == 200, url
        assert DRAFT_TITLE not in response.content.decode(), url
