"""Dates the Indonesian way ("23 November 2026 pukul 09.00 WIB"), always in the office's time (WIB).

One place for the month names and the two formats that the approval archive, the information
service's notices and reports, and the SOP clock all print.
"""

from __future__ import annotations

import datetime as dt

#: The office's time (UTC+7), the zone every date the site prints is read in.
WIB = dt.timezone(dt.timedelta(hours=7), "WIB")

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def format_date(value: dt.date | dt.datetime | None) -> str:
    """ "23 November 2026" (an instant: its date in WIB); "—" for none."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = value.astimezone(WIB).date()
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_datetime(value: dt.datetime | str | None) -> str:
    """ "23 November 2026 pukul 09.00 WIB" from an instant or its ISO text (always in WIB); "—" for none."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    local = value.astimezone(WIB)
    return f"{format_date(local.date())} pukul {local:%H.%M} WIB"
