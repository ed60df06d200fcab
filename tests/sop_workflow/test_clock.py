"""Office hours and holidays: the SOP clock measures only the time the office is open."""

import datetime as dt

import pytest

from sop_workflow.clock import WIB, WorkCalendar, format_duration

pytestmark = pytest.mark.django_db


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """November 2026: the 20th is a Friday, 21-22 the weekend, 23 a Monday."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def calendar():
    return WorkCalendar.load()


def test_default_working_week(calendar):
    assert calendar.open_interval(dt.date(2026, 11, 23)) == (at(23, 7, 30), at(23, 16))  # Monday
    assert calendar.open_interval(dt.date(2026, 11, 20)) == (at(20, 7, 30), at(20, 16, 30))  # Friday
    assert calendar.open_interval(dt.date(2026, 11, 21)) is None  # Saturday
    assert calendar.open_interval(dt.date(2026, 11, 22)) is None  # Sunday


def test_a_step_started_friday_1620_is_not_late_on_saturday(calendar):
    started = at(20, 16, 20)
    assert calendar.office_duration(started, at(21, 12)) == dt.timedelta(minutes=10)
    assert calendar.deadline(started, 30) == at(23, 7, 50)  # 10 min on Friday, 20 on Monday morning


def test_time_outside_office_hours_does_not_count(calendar):
    assert calendar.office_duration(at(23, 6), at(23, 7, 30)) == dt.timedelta(0)
    assert calendar.office_duration(at(23, 15, 50), at(24, 7, 40)) == dt.timedelta(minutes=20)


def test_holidays_and_cuti_bersama_are_closed(db):
    from sop_workflow.models import HariLibur

    HariLibur.objects.create(tanggal=dt.date(2026, 11, 23), nama="Cuti bersama", jenis="cuti")
    calendar = WorkCalendar.load()
    assert calendar.open_interval(dt.date(2026, 11, 23)) is None
    assert calendar.deadline(at(20, 16, 20), 30) == at(24, 7, 50)


def test_working_week_is_configurable(db):
    from sop_workflow.models import JamKerja

    week = JamKerja.load()
    week.sabtu_mulai, week.sabtu_selesai = dt.time(8), dt.time(12)
    week.save()
    calendar = WorkCalendar.load()
    assert calendar.office_duration(at(20, 16, 20), at(21, 12)) == dt.timedelta(hours=4, minutes=10)


def test_durations_read_in_indonesian():
    assert format_duration(dt.timedelta(minutes=12)) == "12 menit"
    assert format_duration(dt.timedelta(hours=1, minutes=5)) == "1 jam 5 menit"
    assert format_duration(dt.timedelta(seconds=40)) == "40 detik"
    assert format_duration(dt.timedelta(days=2, hours=3, minutes=4)) == "2 hari 3 jam"
