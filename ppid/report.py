"""The yearly report of the information service (UU 14/2008 art. 12; Perki 1/2021): its figures.

Art. 12 asks for the requests received, the time taken to answer them, how many were granted or refused
and why; the report is due within three months of the year's end. One year's figures are computed in
Python over a fixed handful of queries (the year's requests, its objections, the office calendar),
whatever their number. The admin screen (``ppid.admin.report``) and the public statistics
(``ppid.views_statistics``) read the same ``YearReport``. Conventions, also stated on both screens:

- a year's requests (and objections) are those received in it, by the office's date (WIB); what became
  of them is counted as it stands when the report is read;
- time to answer: the working days after the day of receipt up to the day of the answer
  (``working_days_between``, the office calendar);
- answered on time: by the deadline recorded on the request (10 working days, ``due_on``); within the
  extension: an extended request answered after its tenth working day but by its extended deadline;
  late: after the deadline recorded on it (the requester's written deadline);
- an objection is answered in time when answered by its recorded deadline (30 working days).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone

from kpu_site.dates import MONTHS
from ppid import rules
from ppid.models import InformationRequest, Objection
from ppid.rules import Decision, ObjectionDecision, ObjectionGround
from ppid.working_days import WIB, WorkCalendar, local_date, working_days_between

#: the first year a report can cover: UU 14/2008 was enacted in 2008
FIRST_YEAR = 2008
#: the report is due this many months after the year's end (Perki 1/2021): by 31 March
DUE_MONTH, DUE_DAY = 3, 31

NO_BASIS = "Tanpa dasar hukum tercatat"
PENDING_LABEL = "Belum ditanggapi"
REPORT_LEGAL_BASIS = f"{rules.LEGAL_BASIS[0]}, Pasal 12; {rules.LEGAL_BASIS[1]}"


# --- the year ------------------------------------------------------------------------------------
def current_year(today: dt.date | None = None) -> int:
    return (today or local_date(timezone.now())).year


def default_year(today: dt.date | None = None) -> int:
    """The year a report is usually wanted for: last year until the end of March (while its report is
    being written), then this year."""
    today = today or local_date(timezone.now())
    return today.year - 1 if (today.month, today.day) <= (DUE_MONTH, DUE_DAY) else today.year


def is_reportable(year: int, today: dt.date | None = None) -> bool:
    return FIRST_YEAR <= year <= current_year(today)


def due_date(year: int) -> dt.date:
    """The last day to deliver the year's report: 31 March of the next year."""
    return dt.date(year + 1, DUE_MONTH, DUE_DAY)


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """[1 January 00:00 WIB, next 1 January 00:00 WIB)."""
    return dt.datetime(year, 1, 1, tzinfo=WIB), dt.datetime(year + 1, 1, 1, tzinfo=WIB)


def years_with_requests(today: dt.date | None = None) -> list[int]:
    """The years (newest first) in which requests were received, within 2008..this year."""
    return [year for year, _count in requests_per_year(today)]


def requests_per_year(today: dt.date | None = None) -> list[tuple[int, int]]:
    """(year, requests received) of each year holding requests, newest first, in one query.

    ``year`` is the registration number's year: the office's (WIB) year of receipt.
    """
    rows = (
        InformationRequest.objects.order_by("-year")
        .values_list("year")
        .annotate(count=Count("pk"))
        .order_by("-year")
    )
    return [(year, count) for year, count in rows if is_reportable(year, today)]


# --- numbers as read in Indonesian ---------------------------------------------------------------
def format_decimal(value: float | None, places: int = 1) -> str:
    """6.5 -> "6,5", 6.0 -> "6", 1234.5 -> "1.234,5"; "–" when there is nothing to measure."""
    if value is None:
        return "–"
    text = f"{value:,.{places}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def _whole_if_integral(value: float) -> float | int:
    """7.0 -> 7, so a whole figure reads and exports as one; 7.5 stays."""
    return int(value) if float(value).is_integer() else value


def format_percent(part: int, whole: int) -> str:
    return "–" if not whole else f"{format_decimal(100 * part / whole)}%"


# --- the figures ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CountRow:
    """One line of a breakdown: a decision, a ground, a legal basis."""

    key: str
    label: str
    count: int
    #: what the shares are of (the answered requests, the objections received, ...)
    whole: int = 0

    @property
    def share_display(self) -> str:
        return format_percent(self.count, self.whole)


@dataclass(frozen=True)
class BasisRow:
    """A legal basis cited to refuse, with how many requests it refused in whole or in part."""

    label: str
    refused: int
    partly: int

    @property
    def total(self) -> int:
        return self.refused + self.partly


@dataclass
class MonthRow:
    month: int
    requests: int = 0
    answered: int = 0
    objections: int = 0

    @property
    def label(self) -> str:
        return MONTHS[self.month - 1]

    @property
    def short_label(self) -> str:
        return MONTHS[self.month - 1][:3]


@dataclass
class YearReport:
    year: int
    as_of: dt.datetime
    received: int = 0
    answered: int = 0
    unanswered_overdue: int = 0
    extended: int = 0
    #: working days taken by each answered request, sorted
    days: list[int] = field(default_factory=list)
    on_time: int = 0
    within_extension: int = 0
    late: int = 0
    decisions: list[CountRow] = field(default_factory=list)
    refusal_bases: list[BasisRow] = field(default_factory=list)
    objections_received: int = 0
    objections_answered: int = 0
    objections_in_time: int = 0
    objections_pending_overdue: int = 0
    objection_grounds: list[CountRow] = field(default_factory=list)
    objection_decisions: list[CountRow] = field(default_factory=list)
    months: list[MonthRow] = field(default_factory=list)

    # --- requests ---
    @property
    def is_empty(self) -> bool:
        return not self.received and not self.objections_received

    @property
    def unanswered(self) -> int:
        return self.received - self.answered

    @property
    def average_days(self) -> float | int | None:
        return _whole_if_integral(round(statistics.fmean(self.days), 1)) if self.days else None

    @property
    def median_days(self) -> float | int | None:
        return _whole_if_integral(statistics.median(self.days)) if self.days else None

    @property
    def max_days(self) -> int | None:
        return max(self.days) if self.days else None

    @property
    def average_days_display(self) -> str:
        return format_decimal(self.average_days)

    @property
    def median_days_display(self) -> str:
        return format_decimal(self.median_days)

    @property
    def max_days_display(self) -> str:
        return "–" if self.max_days is None else str(self.max_days)

    @property
    def on_time_share(self) -> str:
        return format_percent(self.on_time, self.answered)

    @property
    def within_extension_share(self) -> str:
        return format_percent(self.within_extension, self.answered)

    @property
    def late_share(self) -> str:
        return format_percent(self.late, self.answered)

    @property
    def refused_count(self) -> int:
        return sum(row.count for row in self.decisions if row.key == Decision.REFUSED)

    # --- objections ---
    @property
    def objections_pending(self) -> int:
        return self.objections_received - self.objections_answered

    @property
    def objections_late(self) -> int:
        return self.objections_answered - self.objections_in_time

    # --- the year ---
    @property
    def period_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def period_end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    @property
    def period_text(self) -> str:
        """ "01-01-2026 s.d. 31-12-2026" """
        return f"{self.period_start:%d-%m-%Y} s.d. {self.period_end:%d-%m-%Y}"

    @property
    def due_on(self) -> dt.date:
        return due_date(self.year)

    @property
    def year_is_running(self) -> bool:
        return local_date(self.as_of).year <= self.year

    @property
    def days_until_due(self) -> int:
        """Days from the report's reading to its due date (negative once past)."""
        return (self.due_on - local_date(self.as_of)).days

    @property
    def months_with_requests(self) -> list[MonthRow]:
        return [row for row in self.months if row.requests or row.objections]


def _requests_of(year: int) -> QuerySet:
    start, end = year_bounds(year)
    return InformationRequest.objects.filter(received_at__gte=start, received_at__lt=end)


def _objections_of(year: int) -> QuerySet:
    start, end = year_bounds(year)
    return Objection.objects.filter(received_at__gte=start, received_at__lt=end)


def _basis_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def build_report(
    year: int, calendar: WorkCalendar | None = None, now: dt.datetime | None = None
) -> YearReport:
    """The figures of ``year``: one query for its requests, one for its objections, the calendar."""
    now = now or timezone.now()
    today = local_date(now)
    calendar = calendar or WorkCalendar.load()
    report = YearReport(year=year, as_of=now, months=[MonthRow(month) for month in range(1, 13)])

    decisions: Counter[str] = Counter()
    bases: dict[str, list] = {}  # key -> [label as first written, refused, partly]
    rows = (
        _requests_of(year)
        .order_by("received_at", "pk")
        .values_list("received_at", "answered_at", "due_on", "extended_at", "decision", "legal_basis")
    )
    for received_at, answered_at, due_on, extended_at, decision, legal_basis in rows:
        received_on = local_date(received_at)
        month = report.months[received_on.month - 1]
        month.requests += 1
        report.received += 1
        if extended_at is not None:
            report.extended += 1
        if answered_at is None:
            if today > due_on:
                report.unanswered_overdue += 1
            continue
        month.answered += 1
        report.answered += 1
        answered_on = local_date(answered_at)
        days = working_days_between(calendar, received_on, answered_on)
        report.days.append(days)
        if answered_on > due_on:
            report.late += 1
        elif extended_at is not None and days > rules.ANSWER_WORKING_DAYS:
            report.within_extension += 1
        else:
            report.on_time += 1
        decisions[decision] += 1
        if decision in (Decision.REFUSED, Decision.PARTLY):
            text = " ".join(legal_basis.split()) or NO_BASIS
            entry = bases.setdefault(_basis_key(text), [text, 0, 0])
            entry[1 if decision == Decision.REFUSED else 2] += 1
    report.days.sort()
    report.decisions = [
        CountRow(choice.value, str(choice.label), decisions[choice.value], report.answered)
        for choice in Decision
    ]
    report.refusal_bases = sorted(
        (BasisRow(label, refused, partly) for label, refused, partly in bases.values()),
        key=lambda row: (-row.total, -row.refused, row.label.casefold()),
    )

    grounds: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    objections = _objections_of(year).values_list(
        "received_at", "answered_at", "due_on", "ground", "decision"
    )
    for received_at, answered_at, due_on, ground, decision in objections:
        report.objections_received += 1
        report.months[local_date(received_at).month - 1].objections += 1
        grounds[ground] += 1
        if answered_at is None:
            outcomes[""] += 1
            if today > due_on:
                report.objections_pending_overdue += 1
            continue
        report.objections_answered += 1
        outcomes[decision] += 1
        if local_date(answered_at) <= due_on:
            report.objections_in_time += 1
    whole = report.objections_received
    report.objection_grounds = [
        CountRow(choice.value, str(choice.label), grounds[choice.value], whole) for choice in ObjectionGround
    ]
    report.objection_decisions = [
        *(
            CountRow(choice.value, str(choice.label), outcomes[choice.value], whole)
            for choice in ObjectionDecision
        ),
        CountRow("", PENDING_LABEL, outcomes[""], whole),
    ]
    return report


# --- the chart -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChartBar:
    y: float
    label: str
    value: int
    bar_width: float
    value_x: float

    @property
    def text_y(self) -> float:
        return self.y + 17

    @property
    def bar_y(self) -> float:
        return self.y + 5


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bar_x: int
    bar_area: int
    bar_height: int
    bars: list[ChartBar]
    title: str
    description: str


CHART_WIDTH = 360
CHART_BAR_X = 44
CHART_BAR_AREA = 270
CHART_ROW = 26


def build_chart(report: YearReport) -> Chart:
    """Horizontal bars of the requests received in each month of the year."""
    scale_max = max([row.requests for row in report.months] + [1])
    bars = []
    for index, row in enumerate(report.months):
        width = round(CHART_BAR_AREA * row.requests / scale_max, 1)
        bars.append(
            ChartBar(
                y=index * CHART_ROW,
                label=row.short_label,
                value=row.requests,
                bar_width=width,
                value_x=round(CHART_BAR_X + width + 6, 1),
            )
        )
    busiest = max(report.months, key=lambda row: row.requests)
    summary = (
        f"Terbanyak pada bulan {busiest.label}: {busiest.requests} permohonan. "
        if busiest.requests
        else "Tidak ada permohonan. "
    )
    return Chart(
        width=CHART_WIDTH,
        height=len(bars) * CHART_ROW + 4,
        bar_x=CHART_BAR_X,
        bar_area=CHART_BAR_AREA,
        bar_height=CHART_ROW - 10,
        bars=bars,
        title=f"Permohonan informasi yang diterima per bulan, tahun {report.year}",
        description=(
            f"Jumlah permohonan informasi yang diterima setiap bulan tahun {report.year}, "
            f"{report.received} permohonan seluruhnya. {summary}"
            "Angka lengkap ada di tabel per bulan."
        ),
    )
