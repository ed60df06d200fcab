"""The figures of the SOP compliance report ("Kepatuhan SOP"): how long each step takes against its standard.

So that Kabag HTH and the approvers can see which steps of the SOP run late. Everything is computed
in Python over a fixed handful of queries (finished task states, pending steps, runs ended unpublished,
publications outside the chain, the calendar), whatever the number of task states. The conventions
are below, and on the report's screen (``templates/sop_workflow/compliance/results.html``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.models import TaskState

from sop_workflow.authoring import AUTHORING_SOP_STEP, AUTHORING_STEP_NAME
from sop_workflow.clock import WorkCalendar, format_duration
from sop_workflow.sop import AUTHORING_STANDARD_MINUTES, CHAINS, ROLES, STEPS, Chain, Role

# Conventions, also stated on the report's screen:
# - a step is *finished* when its approver acted on it: approved or sent back for correction ("Minta
#   perbaikan"). Cancelled steps (the workflow was cancelled) are not the approver's work and are left out;
# - durations are office time (``WorkCalendar.office_duration``) between ``started_at`` and
#   ``finished_at``; the wall-clock median is shown beside it;
# - the 90th percentile interpolates linearly between ranks, as Excel's PERCENTILE.INC does;
# - a step is within its standard when its office time is not longer than the standard recorded on it
#   when it started (``SOPTaskState.standard_minutes``), as the SOP clock judges it;
# - a step still pending (its run in progress) counts as *late* once its office time so far, up to the
#   end of the period or now, is longer than its standard, as the dashboard's overdue panel judges it;
#   it is part of the share within the standard (as not within), so a late item never leaves a step
#   fully within its standard;
# - runs that ended without publication (cancelled or restarted) are counted from the approval
#   archive, by the date they ended;
# - step 1 (writing the concept) is timed from the concept's first saved revision to its submission
#   (``sop_workflow.authoring``), counted by the date of submission; a concept not yet submitted is
#   not counted (it may never be).

#: The statuses of a step its approver finished (see the conventions above).
FINISHED_STATUSES = (TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED)

LEVEL_STEP = "langkah"
LEVEL_ROLE = "peran"
LEVEL_OUTSIDE = "di-luar-sop"
LEVEL_CANCELLED = "dibatalkan"
LEVEL_RESTARTED = "dimulai-ulang"
LEVEL_LABELS = {
    LEVEL_STEP: _("Langkah"),
    LEVEL_ROLE: _("Peran"),
    LEVEL_CANCELLED: _("Alur dibatalkan"),
    LEVEL_RESTARTED: _("Alur dimulai ulang"),
    LEVEL_OUTSIDE: _("Di luar SOP"),
}
#: Rows that count events (runs, publications) rather than timing steps.
COUNT_LEVELS = (LEVEL_OUTSIDE, LEVEL_CANCELLED, LEVEL_RESTARTED)


# --- numbers --------------------------------------------------------------------------------------
def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile of sorted ``values``, interpolating linearly (Excel's PERCENTILE.INC)."""
    if not values:
        raise ValueError("no values")
    position = (len(values) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return values[low] + (values[high] - values[low]) * (position - low)


def _decimal(value: float, places: int = 1) -> str:
    """Indonesian decimal: 87.5 -> "87,5", 100.0 -> "100", 1234.5 -> "1.234,5"."""
    text = f"{value:,.{places}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def format_percent(value: float | None) -> str:
    """ "87,5%" (Indonesian), or "–" when there is nothing to measure."""
    return "–" if value is None else f"{_decimal(value)}%"


def format_office(value: dt.timedelta | None) -> str:
    """An office-time figure: "7,5 menit" under an hour, else "1 jam 5 menit"; "–" when none."""
    if value is None:
        return "–"
    seconds = value.total_seconds()
    if seconds < 3600:
        return f"{_decimal(seconds / 60)} menit"
    return format_duration(value)


def _minutes(value: dt.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 60, 1)


# --- rows -----------------------------------------------------------------------------------------
@dataclass
class Row:
    """One line of the report: a step, a role (its steps together), or the publications outside the chain."""

    level: str
    sop_step: int | None = None
    step_name: str = ""
    role: Role | None = None
    standard_minutes: int | None = None  # the standard in force now (the step's task)
    office_seconds: list[float] = field(default_factory=list)
    wall_seconds: list[float] = field(default_factory=list)
    recorded_standards: set[int] = field(default_factory=set)
    within: int = 0
    late_pending: int = 0  # steps still pending and already past their standard
    outside_count: int = 0  # COUNT_LEVELS only: how many events
    sop_steps: list[int] = field(default_factory=list)  # LEVEL_ROLE: the role's steps

    def add(self, office: dt.timedelta, wall: dt.timedelta, standard_minutes: int) -> None:
        self.office_seconds.append(office.total_seconds())
        self.wall_seconds.append(wall.total_seconds())
        self.recorded_standards.add(standard_minutes)
        if office <= dt.timedelta(minutes=standard_minutes):
            self.within += 1

    # --- figures ---
    @property
    def counts_events(self) -> bool:
        return self.level in COUNT_LEVELS

    @property
    def count(self) -> int:
        return self.outside_count if self.counts_events else len(self.office_seconds)

    @property
    def judged_count(self) -> int:
        """Steps judged against their standard: the finished ones and the pending ones already late."""
        return self.count + self.late_pending

    @property
    def pending_late(self) -> int | None:
        """For the exports: steps still pending past their standard (none for the counting rows)."""
        return None if self.counts_events else self.late_pending

    def _quantile(self, values: list[float], fraction: float) -> dt.timedelta | None:
        return dt.timedelta(seconds=percentile(sorted(values), fraction)) if values else None

    @property
    def median_office(self) -> dt.timedelta | None:
        return self._quantile(self.office_seconds, 0.5)

    @property
    def p90_office(self) -> dt.timedelta | None:
        return self._quantile(self.office_seconds, 0.9)

    @property
    def median_wall(self) -> dt.timedelta | None:
        return self._quantile(self.wall_seconds, 0.5)

    @property
    def within_share(self) -> float | None:
        """Percentage of judged steps within the standard recorded on them (late pending ones are not)."""
        if self.counts_events or not self.judged_count:
            return None
        return 100 * self.within / self.judged_count

    @property
    def standards_differ(self) -> bool:
        return bool(self.recorded_standards - {self.standard_minutes})

    @property
    def median_late(self) -> bool:
        median = self.median_office
        return bool(median and self.standard_minutes is not None and median > self._standard)

    @property
    def _standard(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.standard_minutes or 0)

    # --- as shown ---
    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.level])

    @property
    def step_label(self) -> str:
        return f"{self.sop_step}. {self.step_name}"

    @property
    def step_numbers_label(self) -> str:
        return ", ".join(str(number) for number in self.sop_steps)

    @property
    def role_label(self) -> str:
        return ROLES[self.role].group_name if self.role else ""

    @property
    def median_office_display(self) -> str:
        return format_office(self.median_office)

    @property
    def p90_office_display(self) -> str:
        return format_office(self.p90_office)

    @property
    def median_wall_display(self) -> str:
        return format_office(self.median_wall)  # as precise as the office-time figure beside it

    @property
    def standard_display(self) -> str:
        return "–" if self.standard_minutes is None else f"{self.standard_minutes} menit"

    @property
    def recorded_standards_label(self) -> str:
        """The standards recorded on the finished steps, e.g. "5, 10" (minutes)."""
        return ", ".join(str(minutes) for minutes in sorted(self.recorded_standards))

    @property
    def within_share_display(self) -> str:
        return format_percent(self.within_share)

    # --- as exported (numbers, so a spreadsheet can compute with them) ---
    @property
    def median_office_minutes(self) -> float | None:
        return _minutes(self.median_office)

    @property
    def p90_office_minutes(self) -> float | None:
        return _minutes(self.p90_office)

    @property
    def median_wall_minutes(self) -> float | None:
        return _minutes(self.median_wall)

    @property
    def within_share_percent(self) -> float | None:
        share = self.within_share
        return None if share is None else round(share, 1)


@dataclass
class Report:
    steps: list[Row]
    roles: list[Row]
    outside: Row
    cancelled: Row = field(default_factory=lambda: Row(LEVEL_CANCELLED, step_name=str(_("Alur dibatalkan"))))
    restarted: Row = field(
        default_factory=lambda: Row(LEVEL_RESTARTED, step_name=str(_("Alur dimulai ulang")))
    )

    @property
    def rows(self) -> list[Row]:
        """Every line, in the order of the table and the exports."""
        return [*self.steps, *self.roles, self.cancelled, self.restarted, self.outside]

    @property
    def finished_count(self) -> int:
        return sum(row.count for row in self.steps)

    @property
    def late_pending_count(self) -> int:
        return sum(row.late_pending for row in self.steps)

    @property
    def within_count(self) -> int:
        return sum(row.within for row in self.steps)

    @property
    def judged_count(self) -> int:
        return self.finished_count + self.late_pending_count

    @property
    def within_share_display(self) -> str:
        """All steps together: the share within their standard, late pending ones included."""
        return format_percent(100 * self.within_count / self.judged_count if self.judged_count else None)


def step_keys(chain: Chain | None) -> list[str]:
    """The steps a chain takes (all steps when no chain is chosen), in the SOP's order."""
    keys = CHAINS[chain].steps if chain else tuple(STEPS)
    return sorted(keys, key=lambda key: STEPS[key].sop_step)


def build_report(
    states: QuerySet,
    outside_count: int,
    calendar: WorkCalendar,
    chain: Chain | None = None,
    current_standards: dict[str, int] | None = None,
    pending: Iterable[tuple[str, dt.datetime, int]] = (),
    late_at: dt.datetime | None = None,
    ended_unpublished: dict[str, int] | None = None,
    authoring: Iterable[tuple[dt.datetime, dt.datetime, int]] = (),
) -> Report:
    """The report over already-filtered finished task states (a ``SOPTaskState`` queryset).

    ``current_standards`` maps step keys to the standard in force now (the step's task); steps missing
    from it fall back to the SOP's declaration. ``pending`` holds (step key, started, recorded standard)
    of the steps still in progress; those already past their standard at ``late_at`` (the end of the
    period, or now) count as late. ``ended_unpublished`` maps the outcomes "cancelled" and "restarted"
    to how many runs ended so. ``authoring`` holds (begun, submitted, recorded standard) of the concepts
    submitted in the period: SOP step 1, the author's.
    """
    concept, author = _authoring_rows(authoring, calendar)
    steps, roles = _empty_rows(step_keys(chain), current_standards or {})
    for key, started_at, finished_at, standard_minutes in _records(states):
        if key not in steps:
            continue
        office = calendar.office_duration(started_at, finished_at)
        wall = max(finished_at - started_at, dt.timedelta(0))
        steps[key].add(office, wall, standard_minutes)
        roles[STEPS[key].role].add(office, wall, standard_minutes)

    _count_late_pending(steps, roles, pending, calendar, late_at)

    ended = ended_unpublished or {}
    ordered_roles = [roles[role] for role in Role if role in roles]
    return Report(
        steps=[concept, *steps.values()],
        roles=[author, *ordered_roles],
        outside=Row(LEVEL_OUTSIDE, step_name=str(_("Terbit di luar SOP")), outside_count=outside_count),
        cancelled=Row(
            LEVEL_CANCELLED, step_name=str(_("Alur dibatalkan")), outside_count=ended.get("cancelled", 0)
        ),
        restarted=Row(
            LEVEL_RESTARTED, step_name=str(_("Alur dimulai ulang")), outside_count=ended.get("restarted", 0)
        ),
    )


def _authoring_rows(
    authoring: Iterable[tuple[dt.datetime, dt.datetime, int]], calendar: WorkCalendar
) -> tuple[Row, Row]:
    """SOP step 1 (writing the concept) as a step row and as its role's (the author's) row."""
    concept = Row(
        LEVEL_STEP,
        sop_step=AUTHORING_SOP_STEP,
        step_name=AUTHORING_STEP_NAME,
        role=Role.PENGAMPU,
        standard_minutes=AUTHORING_STANDARD_MINUTES,
    )
    author = Row(
        LEVEL_ROLE,
        role=Role.PENGAMPU,
        standard_minutes=AUTHORING_STANDARD_MINUTES,
        sop_steps=[AUTHORING_SOP_STEP],
    )
    for started_at, submitted_at, standard_minutes in authoring:
        office = calendar.office_duration(started_at, submitted_at)
        wall = max(submitted_at - started_at, dt.timedelta(0))
        concept.add(office, wall, standard_minutes)
        author.add(office, wall, standard_minutes)
    return concept, author


def _empty_rows(keys: list[str], current_standards: dict[str, int]) -> tuple[dict[str, Row], dict[Role, Row]]:
    """A row per step of ``keys`` and per role holding them, before any step is counted; a role's
    standard is its steps' when they share one."""
    steps = {
        key: Row(
            LEVEL_STEP,
            sop_step=STEPS[key].sop_step,
            step_name=STEPS[key].name,
            role=STEPS[key].role,
            standard_minutes=current_standards.get(key, STEPS[key].standard_minutes),
        )
        for key in keys
    }
    roles: dict[Role, Row] = {}
    for key in keys:
        role = STEPS[key].role
        if role not in roles:
            roles[role] = Row(LEVEL_ROLE, role=role)
        roles[role].sop_steps.append(STEPS[key].sop_step)
    for role_row in roles.values():
        role_standards = {steps[k].standard_minutes for k in keys if STEPS[k].role == role_row.role}
        role_row.standard_minutes = role_standards.pop() if len(role_standards) == 1 else None
    return steps, roles


def _count_late_pending(
    steps: dict[str, Row],
    roles: dict[Role, Row],
    pending: Iterable[tuple[str, dt.datetime, int]],
    calendar: WorkCalendar,
    late_at: dt.datetime | None,
) -> None:
    for key, started_at, standard_minutes in pending:
        if key in steps and is_late(calendar, started_at, standard_minutes, late_at):
            steps[key].late_pending += 1
            roles[STEPS[key].role].late_pending += 1


def is_late(
    calendar: WorkCalendar, started_at: dt.datetime, standard_minutes: int, at: dt.datetime | None
) -> bool:
    """A pending step past its standard at ``at`` (default now), in office time as the SOP clock counts."""
    at = at or timezone.now()
    return calendar.office_duration(started_at, at) > dt.timedelta(minutes=standard_minutes or 0)


def _records(states: QuerySet) -> Iterable[tuple[str, dt.datetime, dt.datetime, int]]:
    """One query: (step key, started, finished, recorded standard) of each finished step."""
    return states.filter(finished_at__isnull=False).values_list(
        "task__soptask__step_key", "started_at", "finished_at", "standard_minutes"
    )


# --- the chart ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChartBar:
    y: float
    label: str
    bar_width: float
    standard_x: float
    #: first line under the bar: the median and the verdict (or that no step has finished)
    values: str
    #: second line: the standard; two short lines fit a phone where one long line did not
    standard: str
    has_data: bool

    @property
    def label_y(self) -> float:
        return self.y + 14

    @property
    def bar_y(self) -> float:
        return self.y + 20

    @property
    def marker_top(self) -> float:
        return self.y + 16

    @property
    def marker_bottom(self) -> float:
        return self.y + 42

    @property
    def values_y(self) -> float:
        return self.y + 56

    @property
    def standard_y(self) -> float:
        return self.y + 72


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    bars: list[ChartBar]
    description: str


CHART_WIDTH = 360
CHART_LEFT = 4
CHART_BAR_AREA = 340
CHART_ROW = 82


def build_chart(rows: list[Row], period_label: str) -> Chart:
    """Horizontal bars of the median office time per step, with a marker at the step's standard."""
    scale_max = max(
        [row.median_office.total_seconds() / 60 for row in rows if row.median_office is not None]
        + [row.standard_minutes or 0 for row in rows]
        + [1]
    )
    bars = []
    for index, row in enumerate(rows):
        median = row.median_office
        standard = row.standard_minutes or 0
        short_name = row.step_name.split(":")[0]
        if median is None:
            values = "belum ada langkah selesai"
        else:
            verdict = "melebihi" if row.median_late else "memenuhi"
            values = f"median {format_office(median)}: {verdict}"
        bars.append(
            ChartBar(
                y=index * CHART_ROW,
                label=f"{row.sop_step}. {short_name}",
                bar_width=round(CHART_BAR_AREA * median.total_seconds() / 60 / scale_max, 1) if median else 0,
                standard_x=round(CHART_LEFT + CHART_BAR_AREA * standard / scale_max, 1),
                values=values,
                standard=f"mutu baku {standard} menit"
                + (f" · {row.late_pending} tertunda terlambat" if row.late_pending else ""),
                has_data=median is not None,
            )
        )
    description = (
        f"Median waktu kerja setiap langkah SOP dibandingkan mutu bakunya, {period_label}. "
        "Batang menunjukkan median; garis putus-putus menandai mutu baku. "
        "Angka lengkap ada di tabel sesudah grafik ini."
    )
    return Chart(
        width=CHART_WIDTH,
        height=len(rows) * CHART_ROW + 4,
        left=CHART_LEFT,
        bars=bars,
        description=description,
    )
