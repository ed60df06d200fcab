"""Registration numbers: per year, in order, never twice."""

import datetime as dt

import pytest
from freezegun import freeze_time

from ppid.models import InformationRequest, Objection

pytestmark = pytest.mark.django_db

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


def test_numbers_count_per_year_in_the_office_time_zone():
    with freeze_time("2026-12-31 17:30:00+00:00"):  # 1 January 2027, 00:30 WIB
        first = InformationRequest.receive(**FIELDS)
    with freeze_time("2027-01-04 02:00:00+00:00"):
        second = InformationRequest.receive(**FIELDS)
    assert (first.number, second.number) == ("PI-2027-00001", "PI-2027-00002")
    with freeze_time("2027-01-04 03:00:00+00:00"):
        objection = Objection.receive(request=first, ground="c", reason="Belum dijawab.")
    assert objection.number == "KB-2027-00001"
    assert InformationRequest.objects.by_number(" pi-2027-00002 ").get() == second


def test_the_first_working_day_counts_from_the_day_after_receipt():
    # Friday 4 December 2026: ten working days later is Friday 18 December (no holidays recorded).
    with freeze_time("2026-12-04 09:00:00+07:00"):
        request = InformationRequest.receive(**FIELDS)
    assert request.due_on == dt.date(2026, 12, 18)
