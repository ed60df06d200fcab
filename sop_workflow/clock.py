"""The SOP clock: time in office hours (working week minus holidays), deadlines, and how it reads.

A step's time is measured against the standard recorded when it started. Both the wall-clock and the
office-hours duration are kept; the standard judges the office-hours one, as a paper SOP would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from kpu_site.dates import WIB
from sop_workflow.models import HariLibur, JamKerja

#: How far ahead a deadline is searched for; a standard never spans more than a few weeks.
MAX_DAYS = 400


@dataclass(frozen=True)
class WorkCalendar:
    """Opening hours per weekday and closed dates, loaded once and used for many computations."""

    hours: dict[int, tuple[dt.time, dt.time]]
    holidays: frozenset[dt.date]

    @classmethod
    def load(cls) -> WorkCalendar:
        return cls(
            hours=JamKerja.load().hours(),
            holidays=frozenset(HariLibur.objects.values_list("tanggal", flat=True)),
        )

    def open_interval(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """The office's open interval on ``day`` (aware, WIB), or None when it is closed."""
        if day in self.holidays or day.weekday() not in self.hours:
            return None
        start, end = self.hours[day.weekday()]
        return dt.datetime.combine(day, start, WIB), dt.datetime.combine(day, end, WIB)

    def office_duration(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Office time between two instants."""
        if end <= start:
            return dt.timedelta(0)
        start, end = start.astimezone(WIB), end.astimezone(WIB)
        total = dt.timedelta(0)
        day = start.date()
        while day <= end.date():
            interval = self.open_interval(day)
            if interval:
                lo, hi = max(start, interval[0]), min(end, interval[1])
                if hi > lo:
                    total += hi - lo
            day += dt.timedelta(days=1)
        return total

    def deadline(self, start: dt.datetime, office_minutes: float) -> dt.datetime:
        """The instant when ``office_minutes`` of office time have passed since ``start``."""
        remaining = dt.timedelta(minutes=office_minutes)
        moment = start.astimezone(WIB)
        day = moment.date()
        for _ in range(MAX_DAYS):
            interval = self.open_interval(day)
            if interval:
                lo = max(moment, interval[0])
                if interval[1] > lo:
                    available = interval[1] - lo
                    if available >= remaining:
                        return lo + remaining
                    remaining -= available
            day += dt.timedelta(days=1)
        return moment + remaining


@dataclass(frozen=True)
class StepClock:
    """Where a step stands against its standard."""

    started_at: dt.datetime
    finished_at: dt.datetime | None
    standard: dt.timedelta
    office: dt.timedelta  # office time spent so far (or in all, once finished)
    wall: dt.timedelta

    @property
    def remaining(self) -> dt.timedelta:
        return self.standard - self.office

    @property
    def is_late(self) -> bool:
        return self.office > self.standard

    @property
    def within_standard(self) -> bool:
        return not self.is_late

    def label(self) -> str:
        """ "sisa 12 menit" or "terlambat 1 jam 5 menit" (Indonesian, as shown on screen)."""
        if self.is_late:
            return f"terlambat {format_duration(self.office - self.standard)}"
        return f"sisa {format_duration(self.remaining)}"


def step_clock(task_state, calendar: WorkCalendar, now: dt.datetime | None = None) -> StepClock:
    now = now or timezone.now()
    end = task_state.finished_at or now
    standard = dt.timedelta(minutes=getattr(task_state, "standard_minutes", None) or 0)
    return StepClock(
        started_at=task_state.started_at,
        finished_at=task_state.finished_at,
        standard=standard,
        office=calendar.office_duration(task_state.started_at, end),
        wall=max(end - task_state.started_at, dt.timedelta(0)),
    )


def format_duration(value: dt.timedelta) -> str:
    """Indonesian: "45 detik", "12 menit", "1 jam 5 menit", "2 hari 3 jam" (days of 24 hours)."""
    seconds = int(value.total_seconds())
    if seconds < 60:
        return f"{max(seconds, 0)} detik"
    minutes = seconds // 60
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(f"{days} hari")
    if hours:
        parts.append(f"{hours} jam")
    if minutes and not days:
        parts.append(f"{minutes} menit")
    return " ".join(parts) or "0 menit"
