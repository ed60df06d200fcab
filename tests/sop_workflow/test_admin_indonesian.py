"""Every admin screen the SOP roles use reads in Indonesian.

The screens are walked through the Django test client as each role (author, every approver, and an
anonymous visitor for the login and password-reset pages), while every ``gettext`` / ``ngettext`` call
of the active Indonesian catalogue is watched. A call that hands back its English msgid unchanged is
an untranslated string on a screen: the test lists them all and fails. Wagtail's own ``id_ID``
catalogue is ~40% complete; ``locale/id/LC_MESSAGES/django.po`` completes it.

Set ``I18N_DUMP=/path/file.json`` to also write every msgid seen (translated or not) to a file, which
is how the project catalogue is kept complete when Wagtail is upgraded or new screens are added.
"""

from __future__ import annotations

import ast
import json
import os
import re
from collections import defaultdict
from pathlib import Path

import pytest

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation import trans_real

from wagtail.models import Page, WorkflowState

from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import act, login, submit

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)

#: Words spelled the same in English and Indonesian (KBBI). A translation equal to its msgid cannot be
#: told from a missing one, so a msgid made only of these words (and placeholders) is accepted as is.
SAME_IN_BOTH_LANGUAGES = {
    "Status",
    "Email",  # the admin's established term; KBBI also has "surel"
    "Tag",
    "Minimum",
    "April",  # month names: Django's own Indonesian catalogue spells these three the same
    "September",
    "November",
    "MB",
    "KB",
    "URL",
    "Administrator",  # KBBI: administrator
}


def _project_strings() -> set[str]:
    """String literals of the project's own code and templates: those are written in Indonesian."""
    strings: set[str] = set()
    for folder in ("kpu_pages", "sop_workflow", "kpu_site", "akun", "ppid"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    strings.add(node.value)
    template_literal = re.compile(r"""(?:"([^"\n]*)"|'([^'\n]*)')""")
    block = re.compile(r"{%\s*blocktrans(?:late)?[^%]*%}(.*?){%\s*endblocktrans(?:late)?\s*%}", re.S)
    for path in [
        *(ROOT / "templates").rglob("*.*"),
        *(ROOT / "akun" / "templates").rglob("*.*"),
        *(ROOT / "ppid" / "templates").rglob("*.*"),
    ]:
        text = path.read_text(encoding="utf-8")
        strings.update(a or b for a, b in template_literal.findall(text))
        strings.update(" ".join(m.split()) for m in block.findall(text))
        strings.update(m for m in block.findall(text))
    return strings


class Recorder:
    def __init__(self):
        self.untranslated: dict[str, set[str]] = defaultdict(set)
        self.seen: dict[str, dict] = {}
        self.where = "?"
        self.statuses: dict[str, int] = {}

    @staticmethod
    def key(msgid: str, plural: str | None = None) -> str:
        context, _, message = msgid.rpartition("\x04")
        text = f"[{context}] {message}" if context else message
        return f"{text} | {plural}" if plural else text

    def note(self, msgid: str, plural: str | None, translated: bool) -> None:
        context, _, message = msgid.rpartition("\x04")
        self.seen.setdefault(
            self.key(msgid, plural),
            {"context": context or None, "msgid": message, "plural": plural, "translated": translated},
        )
        if not translated:
            self.untranslated[self.key(msgid, plural)].add(self.where)


def _is_english(message: str, project: set[str]) -> bool:
    message = message.rpartition("\x04")[2]
    if message in project or message.strip() in project:
        return False
    words = re.findall(r"[A-Za-z]+", re.sub(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}", "", message))
    # Nothing to translate: placeholders, punctuation, numbers, or words that are the same in Indonesian.
    return not set(words) <= SAME_IN_BOTH_LANGUAGES


@pytest.fixture
def recorder(monkeypatch):
    recorder = Recorder()
    project = _project_strings()
    original_gettext = trans_real.DjangoTranslation.gettext
    original_ngettext = trans_real.DjangoTranslation.ngettext

    def gettext(self, message):
        result = original_gettext(self, message)
        if self.to_language() == "id" and message and _is_english(message, project):
            recorder.note(message, None, translated=result != message)
        return result

    def ngettext(self, singular, plural, number):
        result = original_ngettext(self, singular, plural, number)
        if self.to_language() == "id" and _is_english(singular, project):
            recorder.note(singular, plural, translated=result not in (singular, plural))
        return result

    monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", gettext)
    monkeypatch.setattr(trans_real.DjangoTranslation, "ngettext", ngettext)
    yield recorder
    dump = os.environ.get("I18N_DUMP")
    if dump:
        refused = sorted(where for where, status in recorder.statuses.items() if status != 200)
        Path(dump + ".refused").write_text("\n".join(refused))
        Path(dump).write_text(json.dumps(sorted(recorder.seen.values(), key=lambda e: e["msgid"]), indent=1))


# --- content for the walk -------------------------------------------------------------------------
@pytest.fixture
def site_pages(home_page, sop_users):
    """One page of every kind in kpu_pages, in its place, owned by the author."""
    author = sop_users[Role.PENGAMPU]
    f = factories
    pages = {"home": home_page}
    pages["berita_index"] = f.BeritaIndexPageFactory(parent=home_page)
    pages["liputan_index"] = f.LiputanKegiatanIndexPageFactory(parent=home_page)
    pages["artikel_index"] = f.ArtikelIndexPageFactory(parent=home_page)
    pages["regulasi_index"] = f.RegulasiIndexPageFactory(parent=home_page)
    pages["profil"] = f.ProfilPageFactory(parent=home_page)
    pages["ppid"] = f.PPIDPageFactory(parent=home_page)
    pages["kontak"] = f.KontakPageFactory(parent=home_page, owner=author)
    pages["berita"] = f.BeritaPageFactory(parent=pages["berita_index"], owner=author)
    pages["liputan"] = f.LiputanKegiatanPageFactory(parent=pages["liputan_index"], owner=author)
    pages["artikel"] = f.ArtikelPageFactory(parent=pages["artikel_index"], owner=author)
    pages["regulasi"] = f.RegulasiPageFactory(parent=pages["regulasi_index"], owner=author)
    pages["standard"] = f.StandardPageFactory(parent=pages["profil"], owner=author)
    pages["anggota"] = f.AnggotaPageFactory(parent=pages["profil"], owner=author)
    pages["struktur"] = f.StrukturOrganisasiPageFactory(parent=pages["profil"], owner=author)
    pages["dip"] = f.DaftarInformasiPublikPageFactory(parent=pages["ppid"], owner=author)
    for page in pages.values():
        if page.pk != home_page.pk:
            page.save_revision(user=author)
    pages["image"] = f.ImageFactory(uploaded_by_user=author)
    pages["document"] = f.DocumentFactory(uploaded_by_user=author)
    return pages


@pytest.fixture
def media_in_collections(sop_users):
    """The roles' image and document permissions, also held on the root collection.

    setup_sop grants them as model permissions, which Wagtail's collection-based media views do not
    read; granting them per collection here lets the walk reach the media screens the roles should use.
    """
    from django.contrib.auth.models import Group, Permission

    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    permissions = Permission.objects.filter(
        content_type__app_label__in=["wagtailimages", "wagtaildocs"],
        codename__in=[
            "add_image",
            "change_image",
            "choose_image",
            "add_document",
            "change_document",
            "choose_document",
        ],
    )
    for group in Group.objects.filter(user__in=[u.pk for u in sop_users.values()]).distinct():
        for permission in permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )


def _draft(parent, author, title):
    page = factories.ArtikelPageFactory(parent=parent, title=title, owner=author)
    page.unpublish()
    page.save_revision(user=author)
    return page


def _get(client, recorder, where, url, expect=(200,), method="get", data=None, **extra):
    recorder.where = where
    response = getattr(client, method)(url, data or {}, **extra)
    recorder.statuses[where] = response.status_code
    assert response.status_code in expect, (where, url, response.status_code)
    if response.status_code == 200 and hasattr(response, "render") and not response.is_rendered:
        response.render()
    return response


def _text(response) -> str:
    body = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        body = json.dumps(json.loads(body), ensure_ascii=False)
    return body


def _walk_common(client, recorder, who, pages):
    """The screens every role opens: dashboard, explorer, account, media, choosers, reports.

    Approvers hold no page permission of their own, so some of these send them back to the dashboard;
    what they can open is walked, and the rest is walked by the author and the superuser.
    """

    def g(where, url, expect=(200, 302, 403)):
        return _get(client, recorder, f"{who} {where}", url, expect=expect)

    screens = {"dashboard": g("dasbor", reverse("wagtailadmin_home"), expect=(200,))}
    g("penjelajah", reverse("wagtailadmin_explore_root"), expect=(200, 302))
    g("penjelajah beranda", reverse("wagtailadmin_explore", args=[pages["home"].pk]))
    g("penjelajah berita", reverse("wagtailadmin_explore", args=[pages["artikel_index"].pk]))
    g("penjelajah urut", reverse("wagtailadmin_explore", args=[pages["artikel_index"].pk]) + "?ordering=ord")
    g("cari halaman", reverse("wagtailadmin_pages:search") + "?q=rapat")
    g("cari halaman kosong", reverse("wagtailadmin_pages:search") + "?q=zzzzqqq")
    g("akun", reverse("wagtailadmin_account"), expect=(200,))
    g("gambar", reverse("wagtailimages:index"))
    g("gambar cari", reverse("wagtailimages:index") + "?q=foto")
    g("gambar tambah", reverse("wagtailimages:add_multiple"))
    g("gambar ubah", reverse("wagtailimages:edit", args=[pages["image"].pk]))
    g("gambar pemilih", reverse("wagtailimages_chooser:choose"))
    g("gambar pemilih hasil", reverse("wagtailimages_chooser:choose_results") + "?q=foto")
    g("gambar terpilih", reverse("wagtailimages_chooser:chosen", args=[pages["image"].pk]))
    g("gambar unggah tidak sah", reverse("wagtailimages_chooser:create"))
    recorder.where = f"{who} gambar unggah gagal"
    client.post(reverse("wagtailimages:add_multiple"), {"title": "x"})
    client.post(reverse("wagtailimages_chooser:create"), {"image-chooser-upload-title": "x"})
    g("dokumen", reverse("wagtaildocs:index"))
    g("dokumen tambah", reverse("wagtaildocs:add_multiple"))
    g("dokumen ubah", reverse("wagtaildocs:edit", args=[pages["document"].pk]))
    g("dokumen pemilih", reverse("wagtaildocs_chooser:choose"))
    g("dokumen pemilih hasil", reverse("wagtaildocs_chooser:choose_results") + "?q=dok")
    recorder.where = f"{who} dokumen unggah gagal"
    client.post(reverse("wagtaildocs:add_multiple"), {"title": "x"})
    client.post(reverse("wagtaildocs_chooser:create"), {"document-chooser-upload-title": "x"})
    g("pemilih halaman", reverse("wagtailadmin_choose_page"))
    g("pemilih halaman anak", reverse("wagtailadmin_choose_page_child", args=[pages["home"].pk]))
    g("pemilih halaman cari", reverse("wagtailadmin_choose_page_search") + "?q=rapat")
    g("pemilih tautan luar", reverse("wagtailadmin_choose_page_external_link"))
    g("pemilih tautan email", reverse("wagtailadmin_choose_page_email_link"))
    g("pemilih tautan telepon", reverse("wagtailadmin_choose_page_phone_link"))
    g("pemilih tautan jangkar", reverse("wagtailadmin_choose_page_anchor_link"))
    # Moderation reports, where the role may open them.
    for name in ("workflow", "workflow_tasks"):
        response = g(f"laporan {name}", reverse(f"wagtailadmin_reports:{name}"))
        if response.status_code == 200:
            g(f"laporan {name} per tugas", reverse(f"wagtailadmin_reports:{name}") + "?page=1")
    return screens


def _walk_page_screens(client, recorder, who, page):
    def g(where, url, expect=(200, 302, 403)):
        return _get(client, recorder, f"{who} {where}", url, expect=expect)

    g("riwayat", reverse("wagtailadmin_pages:history", args=[page.pk]))
    g("revisi", reverse("wagtailadmin_pages:revisions_index", args=[page.pk]))
    g("riwayat alur kerja", reverse("wagtailadmin_pages:workflow_history", args=[page.pk]))
    for state in WorkflowState.objects.for_instance(page):
        g(
            "rincian riwayat alur kerja",
            reverse("wagtailadmin_pages:workflow_history_detail", args=[page.pk, state.pk]),
        )
    revisions = list(page.revisions.order_by("pk"))
    if len(revisions) >= 2:
        g(
            "bandingkan revisi",
            reverse(
                "wagtailadmin_pages:revisions_compare",
                args=[page.pk, revisions[0].pk, revisions[-1].pk],
            ),
            expect=(200, 302, 403),
        )
        g(
            "bandingkan dengan terbit",
            reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, "live", revisions[0].pk]),
            expect=(200, 302, 403, 404),
        )
        g(
            "lihat revisi",
            reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revisions[0].pk]),
            expect=(200, 302, 403),
        )


def test_admin_screens_of_the_sop_roles_are_entirely_indonesian(
    client, recorder, site_pages, sop_users, media_in_collections
):
    pages = site_pages
    author_user = sop_users[Role.PENGAMPU]
    visible = {}

    # Anonymous: login, failed login, password reset.
    _get(client, recorder, "anonim login", reverse("wagtailadmin_login"))
    _get(
        client,
        recorder,
        "anonim login gagal",
        reverse("wagtailadmin_login"),
        method="post",
        data={"username": "pengampu", "password": "salah"},
    )
    _get(client, recorder, "anonim lupa sandi", reverse("wagtailadmin_password_reset"))
    _get(
        client,
        recorder,
        "anonim lupa sandi kirim",
        reverse("wagtailadmin_password_reset"),
        method="post",
        data={"email": "pengampu@kpu.test"},
        expect=(302,),
    )
    _get(client, recorder, "anonim lupa sandi terkirim", reverse("wagtailadmin_password_reset_done"))
    _get(
        client,
        recorder,
        "anonim tautan sandi tidak sah",
        reverse("wagtailadmin_password_reset_confirm", args=["MQ", "set-password"]),
        expect=(200, 302),
    )
    _get(client, recorder, "anonim sandi selesai", reverse("wagtailadmin_password_reset_complete"))
    _get(client, recorder, "anonim dasbor", reverse("wagtailadmin_home"), expect=(302,))

    # The author: every create and edit form, drafts, preview, submission.
    author = login(author_user)
    g = lambda where, url, **kw: _get(author, recorder, f"penulis {where}", url, **kw)  # noqa: E731
    for parent_key in (
        "home",
        "berita_index",
        "liputan_index",
        "artikel_index",
        "regulasi_index",
        "profil",
        "ppid",
    ):
        g(
            "pilih jenis halaman",
            reverse("wagtailadmin_pages:add_subpage", args=[pages[parent_key].pk]),
            expect=(200, 302),
        )
    for key, parent_key in [
        ("berita", "berita_index"),
        ("liputan", "liputan_index"),
        ("artikel", "artikel_index"),
        ("regulasi", "regulasi_index"),
        ("standard", "profil"),
        ("anggota", "profil"),
        ("struktur", "profil"),
        ("dip", "ppid"),
        ("kontak", "home"),
        ("berita_index", "home"),
        ("profil", "home"),
        ("ppid", "home"),
        ("regulasi_index", "home"),
    ]:
        meta = pages[key].specific._meta
        g(
            f"buat {meta.model_name}",
            reverse("wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, pages[parent_key].pk]),
            expect=(200, 302) if meta.model.max_count or meta.model.max_count_per_parent else (200,),
        )
    # A create form posted without a title: the validation messages.
    g(
        "buat artikel tanpa judul",
        reverse("wagtailadmin_pages:add", args=["kpu_pages", "artikelpage", pages["artikel_index"].pk]),
        method="post",
        data={**_form(pages["artikel"]), "title": "", "slug": ""},
    )
    for key in (
        "berita",
        "liputan",
        "artikel",
        "regulasi",
        "standard",
        "anggota",
        "struktur",
        "dip",
        "kontak",
    ):
        g(f"ubah {key}", reverse("wagtailadmin_pages:edit", args=[pages[key].pk]))
        g(
            f"pratinjau {key}",
            reverse("wagtailadmin_pages:preview_on_edit", args=[pages[key].pk]),
            expect=(200,),
        )
    g(
        "pilih induk",
        reverse("wagtailadmin_pages:choose_parent", args=["kpu_pages", "beritapage"]),
        expect=(200, 302, 403, 404),
    )

    # A draft saved (message), submitted into the long chain, and then approved at the first step.
    draft = _draft(pages["artikel_index"], author_user, "Konsep artikel untuk diperiksa")
    recorder.where = "penulis simpan draf"
    response = author.post(reverse("wagtailadmin_pages:edit", args=[draft.pk]), _form(draft), follow=True)
    assert response.status_code == 200
    g("ubah draf", reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    recorder.where = "penulis ajukan"
    response = submit(author, draft)
    assert response.status_code == 302
    g("dasbor sesudah ajukan", reverse("wagtailadmin_home"))
    g("ubah dalam moderasi", reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    g(
        "konfirmasi batalkan alur kerja",
        reverse("wagtailadmin_pages:confirm_workflow_cancellation", args=[draft.pk]),
        expect=(200, 302, 403),
    )
    _walk_page_screens(author, recorder, "penulis", draft)
    _walk_common(author, recorder, "penulis", pages)

    # Each approver along the long chain: dashboard, the edit view, the action dialogs, then approve.
    for role in (
        Role.PENGELOLA,
        Role.WEB_ADMIN,
        Role.TEKMAS,
        Role.KABAG_HTH,
        Role.SEKRETARIS,
        Role.KOMISIONER,
    ):
        reviewer = login(sop_users[role])
        who = sop_users[role].username
        screens = _walk_common(reviewer, recorder, who, pages)
        visible.setdefault("dashboard", _text(screens["dashboard"]))
        draft = Page.objects.get(pk=draft.pk)
        task_state = draft.current_workflow_task_state
        _get(
            reviewer,
            recorder,
            f"{who} ubah sebagai peninjau",
            reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        )
        _get(
            reviewer,
            recorder,
            f"{who} pratinjau alur kerja",
            reverse("wagtailadmin_pages:workflow_preview", args=[draft.pk, task_state.task_id]),
            expect=(200, 302, 403),
        )
        for action in ("approve", "reject"):
            for view in ("workflow_action", "collect_workflow_action_data"):
                response = _get(
                    reviewer,
                    recorder,
                    f"{who} dialog {action}",
                    reverse(f"wagtailadmin_pages:{view}", args=[draft.pk, action, task_state.pk]),
                )
                visible.setdefault(f"dialog {action}", _text(response))
        _walk_page_screens(reviewer, recorder, who, draft)
        if role == Role.TEKMAS:
            # Request changes without a comment (the refusal), then with one; the author resubmits.
            recorder.where = f"{who} minta perbaikan tanpa komentar"
            act(reviewer, draft, "reject", comment="")
            recorder.where = f"{who} minta perbaikan"
            response = act(reviewer, draft, "reject", comment="Perbaiki data jumlah pemilih.")
            assert response.status_code == 302
            _get(author, recorder, "penulis dasbor perlu perbaikan", reverse("wagtailadmin_home"))
            _get(
                author,
                recorder,
                "penulis ubah perlu perbaikan",
                reverse("wagtailadmin_pages:edit", args=[draft.pk]),
            )
            _walk_page_screens(author, recorder, "penulis perlu perbaikan", draft)
            recorder.where = "penulis ajukan ulang"
            response = author.post(
                reverse("wagtailadmin_pages:edit", args=[draft.pk]),
                {**_form(draft), "action-submit": "1"},
                follow=True,
            )
            assert response.status_code == 200
            draft = Page.objects.get(pk=draft.pk)
            task_state = draft.current_workflow_task_state
            _get(
                reviewer,
                recorder,
                f"{who} ubah sesudah diajukan ulang",
                reverse("wagtailadmin_pages:edit", args=[draft.pk]),
            )
        recorder.where = f"{who} setujui dengan komentar"
        response = reviewer.post(
            reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk]),
            {"comment": "Sudah sesuai."},
            follow=True,
        )
        assert response.status_code == 200

    # The author sees the history of a page well along the chain, and cancels a workflow.
    _walk_page_screens(author, recorder, "penulis akhir", draft)
    recorder.where = "penulis batalkan alur kerja"
    second = _draft(pages["artikel_index"], author_user, "Konsep kedua")
    submit(author, second)
    response = author.post(
        reverse("wagtailadmin_pages:edit", args=[second.pk]),
        {**_form(second), "action-cancel-workflow": "1"},
        follow=True,
    )
    assert response.status_code == 200
    g("ubah sesudah batal", reverse("wagtailadmin_pages:edit", args=[second.pk]))
    # After a request for changes: the restart's confirmation screen and its message, then a withdrawal.
    third = _draft(pages["artikel_index"], author_user, "Konsep ketiga")
    submit(author, third)
    recorder.where = "pengelola minta perbaikan konsep ketiga"
    act(login(sop_users[Role.PENGELOLA]), third, "reject", comment="Lengkapi sumber data.")
    for ending, reason in (("mulai-ulang", "Konsep diulang dari awal."), ("tarik", "Kegiatan ditunda.")):
        url = reverse("sop_run:end", args=[third.pk, ending])
        visible[f"konfirmasi {ending}"] = _text(g(f"konfirmasi {ending}", url))
        recorder.where = f"penulis {ending}"
        response = author.post(url, {"reason": reason}, follow=True)
        assert response.status_code == 200
        visible[f"pesan {ending}"] = _text(response)
    g("dasbor akhir", reverse("wagtailadmin_home"))
    # Account settings saved (notifications, language, theme): the confirmation message.
    recorder.where = "penulis simpan pengaturan akun"
    response = author.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-first_name": "Pengampu",
            "name_email-last_name": "Konsep",
            "name_email-email": "pengampu@kpu.test",
            "notifications-submitted_notifications": "on",
            "notifications-approved_notifications": "on",
            "notifications-rejected_notifications": "on",
            "notifications-updated_comments_notifications": "on",
            "locale-preferred_language": "id",
            "locale-current_time_zone": "Asia/Jakarta",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
            "password-old_password": "salah-sekali",
            "password-new_password1": "a",
            "password-new_password2": "b",
        },
        follow=True,
    )
    assert response.status_code == 200
    recorder.where = "penulis keluar"
    author.post(reverse("wagtailadmin_logout"))

    # A superuser: page history and site history (approvals, cancellation), the moderation reports,
    # the Workflows and Tasks screens, the users list, the page editor's tag field.
    from django.contrib.auth import get_user_model

    superuser = get_user_model().objects.create_superuser(
        username="superadmin", password="kata-sandi-super-123", email="superadmin@kpu.test"
    )
    admin = login(superuser, password="kata-sandi-super-123")
    s = lambda where, url, **kw: _get(admin, recorder, f"superuser {where}", url, **kw)  # noqa: E731
    for page in (draft, second):
        s("riwayat halaman", reverse("wagtailadmin_pages:history", args=[page.pk]))
        s("riwayat halaman hasil", reverse("wagtailadmin_pages:history_results", args=[page.pk]))
    s("riwayat situs", "/admin/reports/site-history/")
    s("riwayat situs hasil", "/admin/reports/site-history/results/")
    s("laporan alur kerja", "/admin/reports/workflow/")
    s("laporan alur kerja hasil", "/admin/reports/workflow/results/")
    s("laporan tugas alur kerja", "/admin/reports/workflow_tasks/")
    s("laporan tugas alur kerja hasil", "/admin/reports/workflow_tasks/results/")
    s("alur kerja", "/admin/workflows/list/")
    s("alur kerja nonaktif", "/admin/workflows/list/?show_disabled=true")
    s("tugas", "/admin/workflows/tasks/index/")
    s("tugas nonaktif", "/admin/workflows/tasks/index/?show_disabled=true")
    s("pengguna", "/admin/users/")
    s("pengguna hasil", "/admin/users/results/")
    tag_editor = s("ubah berita (kolom tag)", reverse("wagtailadmin_pages:edit", args=[pages["berita"].pk]))
    visible["tag field"] = _text(tag_editor)
    _get(author, recorder, "penulis riwayat situs", "/admin/reports/site-history/", expect=(200, 302, 403))
    _get(client, recorder, "anonim login akhir", reverse("wagtailadmin_login"))
    login_page = _text(_get(Client(), recorder, "anonim halaman login", reverse("wagtailadmin_login")))

    untranslated = {msgid: sorted(where)[:3] for msgid, where in recorder.untranslated.items()}
    assert not untranslated, (
        f"{len(untranslated)} English msgids on the SOP roles' admin screens; add them to "
        "locale/id/LC_MESSAGES/django.po and run `make messages`:\n"
        + "\n".join(f"  {msgid!r}  ({', '.join(where)})" for msgid, where in sorted(untranslated.items()))
    )
    assert "Menunggu tinjauan Anda" in visible["dashboard"]
    assert "Setujui" in visible["dialog approve"]
    assert "Minta perbaikan" in visible["dialog reject"]
    # Shown as is, not through a gettext call the recorder sees.
    assert "Sign in" not in login_page and "Masuk ke Wagtail" not in login_page
    assert "A comma-separated list of tags" not in visible["tag field"]
    assert "kembali ke langkah pertama" in visible["konfirmasi mulai-ulang"]
    assert "dimulai ulang dari langkah pertama" in visible["pesan mulai-ulang"]
    assert "has been restarted" not in visible["pesan mulai-ulang"]
    assert "ditarik dari alur SOP" in visible["pesan tarik"]


def test_login_page_password_label_is_indonesian(client):
    body = client.get(reverse("wagtailadmin_login")).content.decode()
    assert "Kata sandi" in body
    assert "Password" not in re.sub(r"<[^>]*>", "", body)


def _form(page):
    from tests.sop_workflow.admin_helpers import news_form_data

    return news_form_data(page)


def _js_msgids() -> list[str]:
    """The msgids of Wagtail's admin JavaScript (comments, StreamField, side panels, sidebar)."""
    import wagtail.admin

    po = Path(wagtail.admin.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "djangojs.po"
    msgids = []
    for match in re.finditer(r'^msgid ((?:".*"\n)+)', po.read_text(encoding="utf-8"), re.M):
        msgid = "".join(re.findall(r'"(.*)"', match.group(1))).replace('\\"', '"')
        if msgid:
            msgids.append(msgid)
    return msgids


def test_admin_javascript_catalogue_is_entirely_indonesian(sop_users):
    response = login(sop_users[Role.PENGAMPU]).get(reverse("wagtailadmin_javascript_catalog"))
    assert response.status_code == 200
    body = response.content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", body, re.S).group(1))
    untranslated = []
    for msgid in _js_msgids():
        translation = catalog.get(msgid)
        if isinstance(translation, list):
            translation = translation[0]
        if not translation or (translation == msgid and _is_english(msgid, set())):
            untranslated.append(msgid)
    assert not untranslated, "untranslated in locale/id/LC_MESSAGES/djangojs.po:\n" + "\n".join(untranslated)
    assert catalog["Add a comment"] == "Tambah komentar"
