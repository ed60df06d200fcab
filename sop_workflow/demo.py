"""Demo accounts, one per SOP role, and content waiting at several steps, so a newcomer can walk the chain."""

from __future__ import annotations

from django.utils import timezone

from wagtail.models import Page

from kpu_pages.kinds import KINDS
from kpu_site.demo_accounts import demo_password as demo_password  # read here by load_demo_content
from kpu_site.demo_accounts import ensure_demo_user
from sop_workflow.sop import ROLES, Role

DEMO_NAMES = {
    Role.PENGAMPU: ("Rina", "Pengampu"),
    Role.PENGELOLA: ("Budi", "Pengelola"),
    Role.WEB_ADMIN: ("Sari", "Webadmin"),
    Role.TEKMAS: ("Agus", "Tekmas"),
    Role.KABAG_HTH: ("Dewi", "Kabag"),
    Role.SEKRETARIS: ("Hendra", "Sekretaris"),
    Role.KOMISIONER: ("Wulan", "Komisioner"),
}


def load_demo_users(password: str) -> dict[Role, object]:
    """One account per SOP role (``kpu_site.demo_accounts``), signing in with ``password``."""
    return {
        role: ensure_demo_user(info.demo_username, *DEMO_NAMES[role], info.group_name, password)
        for role, info in ROLES.items()
    }


#: (kind index slug, title, steps to approve after submission, request changes at the end?)
DEMO_IN_FLIGHT = [
    ("berita", "Draf: KPU Jateng Gelar Bimtek Sirekap untuk PPK", 0, False),
    ("berita", "Draf: Rapat Pleno Penetapan Rekapitulasi DPTb", 2, False),
    ("artikel", "Draf: Menjaga Integritas Data Pemilih di Era Digital", 4, False),
    ("artikel", "Draf: Partisipasi Pemilih Perempuan di Jawa Tengah", 5, False),
    ("berita", "Draf: Monitoring Gudang Logistik Kabupaten Demak", 1, True),
]


def load_demo_workflow_content(users) -> int:
    """Drafts written by the demo author and left at several steps of their chain."""
    models = {slug: KINDS[slug].model for slug in ("berita", "artikel")}
    author = users[Role.PENGAMPU]
    created = 0
    for slug, title, approvals, send_back in DEMO_IN_FLIGHT:
        index = Page.objects.filter(slug=slug, depth=3).first()
        if index is None or models[slug].objects.filter(title=title).exists():
            continue
        page = models[slug](
            title=title,
            lead="Konsep dari tim pelaksana kegiatan, menunggu persetujuan berjenjang sesuai SOP.",
            kota="Semarang",
            tanggal=timezone.now(),
            owner=author,
            live=False,
            body=[("paragraph", "<p>Isi konsep yang sedang ditinjau.</p>")],
        )
        if slug == "artikel":
            page.penulis = f"{author.first_name} {author.last_name}"
        index.add_child(instance=page)
        page.save_revision(user=author)
        workflow = page.get_workflow()
        state = workflow.start(page, author)
        for _ in range(approvals):
            decide(users, page, state, "approve")
        if send_back:
            decide(users, page, state, "reject", "Lengkapi jumlah surat suara yang diterima per kecamatan.")
        created += 1
    return created


def current_reviewer(users, page, workflow_state):
    """The demo account that reviews the run's current step."""
    task = workflow_state.current_task_state.task.specific
    return next(user for user in users.values() if task.user_is_reviewer(page, user, workflow_state))


def decide(users, page, workflow_state, action: str, comment: str = "") -> None:
    """The current step's reviewer approves or asks for changes, as the task's action does in the admin."""
    task_state = workflow_state.current_task_state
    reviewer = current_reviewer(users, page, workflow_state)
    task_state.task.specific.on_action(task_state, reviewer, action, comment=comment)
    workflow_state.refresh_from_db()
