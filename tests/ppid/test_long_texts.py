"""Attack: a request (or objection) text within the form's own 4000-character limit makes the written
notice impossible to build (ReportLab LayoutError: one table row taller than a page), so the PPID
cannot answer or extend the request and the Atasan PPID cannot answer the objection: 500, nothing
saved, the legal deadline runs out. Any reader can cause it, deliberately or by writing a detailed
request."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from django.urls import reverse

from ppid.models import InformationRequest, Objection
from ppid.rules import Role
from tests.ppid.test_admin_support import make_request, ppid_users
from tests.sop_workflow.admin_helpers import login

pytestmark = pytest.mark.django_db

#: a list of 70 items, one per line (3201 characters; the form accepts 4000): 65 lines already fail
MANY_LINES = "\n".join(f"{n}. DPT Pemilu 2024 Kabupaten contoh nomor {n}" for n in range(1, 71))
#: ordinary prose, no line breaks, within the form's 4000 characters
PROSE = (
    "Salinan Keputusan KPU Provinsi Jawa Tengah tentang penetapan rekapitulasi hasil penghitungan suara "
    "Pemilu 2024 untuk setiap kabupaten dan kota, beserta lampiran berita acara dan sertifikatnya. "
) * 25
PROSE = PROSE[:4000]
NO_COPY = dict(access_method="membaca", copy_format="", delivery="")


def answer(client, req):
    client.raise_request_exception = False
    return client.post(
        reverse("ppid_permohonan:answer", args=[req.pk]),
        {"decision": "tidak-dikuasai", "answer": "Informasi tersebut tidak dikuasai."},
    )


@pytest.mark.parametrize("information", [MANY_LINES, PROSE], ids=["many-lines", "prose"])
def test_the_ppid_can_answer_a_long_request(information, django_capture_on_commit_callbacks):
    assert len(information) <= 4000  # what RequestForm.information accepts
    users = ppid_users()
    req = make_request(information=information, **NO_COPY)
    client = login(users[Role.PPID])
    with django_capture_on_commit_callbacks(execute=True):
        response = answer(client, req)
    assert response.status_code == 302, response.status_code
    assert InformationRequest.objects.get(pk=req.pk).is_answered


def test_the_ppid_can_extend_a_long_request(django_capture_on_commit_callbacks):
    users = ppid_users()
    req = make_request(information=MANY_LINES, **NO_COPY)
    client = login(users[Role.PPID])
    client.raise_request_exception = False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ppid_permohonan:extend", args=[req.pk]),
            {"reason": "Informasi masih dihimpun dari beberapa arsip."},
        )
    assert response.status_code == 302, response.status_code
    assert InformationRequest.objects.get(pk=req.pk).extended_at is not None


def test_the_superior_can_answer_a_long_objection(django_capture_on_commit_callbacks):
    users = ppid_users()
    with freeze_time("2026-11-02 09:00:00+07:00"):
        req = make_request(**NO_COPY)
    with freeze_time("2026-11-09 14:00:00+07:00"):
        req.record_answer(
            decision="ditolak", answer="Data pribadi.", user=users[Role.PPID], legal_basis="Pasal 17 huruf h"
        )
    with freeze_time("2026-11-11 10:00:00+07:00"):
        objection = Objection.receive(request=req, ground="a", reason=MANY_LINES)  # ObjectionForm: 4000
    with freeze_time("2026-11-20 10:00:00+07:00"):
        client = login(users[Role.SUPERIOR])
        client.raise_request_exception = False
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("ppid_keberatan:answer", args=[objection.pk]),
                {
                    "decision": "ditolak",
                    "answer": "Keputusan PPID dikuatkan karena data pribadi.",
                    "superior_name": "Retno Wulandari",
                    "superior_position": "Sekretaris KPU Provinsi Jawa Tengah",
                },
            )
    assert response.status_code == 302, response.status_code
    assert Objection.objects.get(pk=objection.pk).is_answered
