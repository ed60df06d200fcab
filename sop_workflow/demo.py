"""Demo accounts, one per SOP role, and content waiting at several steps, so a newcomer can walk the chain."""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail.models import Page

from kpu_pages.kinds import KINDS
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


def demo_password() -> str:
    """DEMO_PASSWORD, or one generated once and kept in var/demo-password."""
    password = os.environ.get("DEMO_PASSWORD", "").strip()
    if password:
        return password
    path = settings.VAR_DIR / "demo-password"
    if path.exists():
        return path.read_text().strip()
    password = secrets.token_urlsafe(10)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(password + "\n")
    path.chmod(0o600)
    return password


def load_demo_users(password: str) -> dict[Role, object]:
    User = get_user_model()
    users = {}
    for role, info in ROLES.items():
        first, last = DEMO_NAMES[role]
        user, created = User.objects.get_or_create(
            username=info.demo_username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{info.demo_username}@jateng.kpu.go.id",
            },
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=info.group_name))
        users[role] = user
    return users


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
