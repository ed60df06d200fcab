"""Shared steps of the PPID admin tests (accounts per role, requests, files), and a check of the roles.

The other ``test_admin_*``, deadline, notice, reminder and retention tests import from here.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from ppid.models import InformationRequest
from ppid.rules import ROLES, Role
from ppid.setup import setup_groups
from tests.conftest import PASSWORD, ensure_baseline

FIELDS = dict(
    name="Siti Aminah",
    address="Jl. Pahlawan 1, Semarang",
    occupation="Mahasiswa",
    phone="081234567890",
    email="siti@contoh.id",
    information="Data rekapitulasi DPT 2024 per kabupaten.",
    purpose="Penelitian skripsi.",
    access_method="salinan",
    copy_format="softcopy",
    delivery="email",
)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes(text: str = "Dokumen informasi") -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(72, 720, text)
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def make_request(with_scan: bool = True, **overrides) -> InformationRequest:
    fields = {**FIELDS, **overrides}
    if with_scan and "identity_scan" not in fields:
        fields["identity_scan"] = ContentFile(png_bytes(), name="ktp.png")
    return InformationRequest.receive(**fields)


def ppid_users() -> dict[Role, object]:
    """One user per PPID role (desk, PPID, Atasan PPID), in their groups, with an email address."""
    ensure_baseline()
    setup_groups(apps)
    User = get_user_model()
    users = {}
    for role, info in ROLES.items():
        user = User.objects.create_user(
            username=f"uji-{info.demo_username}",
            password=PASSWORD,
            email=f"{info.demo_username}@kpu.test",
            first_name=info.group_name.split()[0],
            last_name="Uji",
        )
        user.groups.add(Group.objects.get(name=info.group_name))
        users[role] = user
    return users


@pytest.mark.django_db
def test_each_role_has_exactly_its_permissions():
    users = ppid_users()
    desk, ppid, superior = users[Role.DESK], users[Role.PPID], users[Role.SUPERIOR]
    assert desk.has_perm("ppid.view_informationrequest") and desk.has_perm("ppid.record_response")
    assert not desk.has_perm("ppid.answer_request") and not desk.has_perm("ppid.answer_objection")
    assert ppid.has_perm("ppid.answer_request") and not ppid.has_perm("ppid.answer_objection")
    assert superior.has_perm("ppid.answer_objection") and not superior.has_perm("ppid.answer_request")
