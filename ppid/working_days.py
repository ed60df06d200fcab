"""Working days (hari kerja) from the office calendar the SOP clock uses (``JamKerja``, ``HariLibur``).

A deadline of N working days counts from the day after receipt: a request received on a Friday
afternoon, a Saturday or a holiday has its first working day on the next open day.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sop_workflow.clock import MAX_DAYS, WIB, WorkCalendar


def local_date(moment: dt.datetime) -> dt.date:
    """The office's (WIB) date of an instant."""
    return moment.astimezone(WIB).date()


def today() -> dt.date:
    return local_date(timezone.now())


def is_working_day(calendar: WorkCalendar, day: dt.date) -> bool:
    return calendar.open_interval(day) is not None


def add_working_days(calendar: WorkCalendar, start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
    day, counted = start, 0
    for _ in range(MAX_DAYS * 2):
        if counted >= days:
            return day
        day += dt.timedelta(days=1)
        if is_working_day(calendar, day):
            counted += 1
    raise ValueError(f"no {days} working days within {MAX_DAYS * 2} days of {start}")


def working_days_between(calendar: WorkCalendar, start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(calendar, day):
            count += 1
    return count
