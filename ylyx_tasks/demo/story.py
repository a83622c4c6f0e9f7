"""The demo's fictional story: which milestone is done, late, awaiting review or overdue on ``today``, and the
dated events (reports, claims, reviews, extensions, answers, scans) that lead there.

Scenarios are picked deterministically from the milestone's place in the plan, relative to ``today``, so the
same day always tells the same story and any day tells a believable one:

- past due: A done on time · B done late · C claimed, awaiting review · D overdue, 督办 answered ·
  E overdue, 督办 unanswered (and the lead stops reporting) · X extended, then done · Y extended, overdue again;
  more than 400 days past due only A or B (nothing stays open for years in a believable demo);
- still to come: F in progress · G extension requested · J extension requested and approved · H not started;
  Z: extended (X or Y) to a date still ahead, in progress.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Callable

from ylyx_tasks.config import get_settings
from ylyx_tasks.domain import periods
from ylyx_tasks.domain.lights import elapsed_share
from ylyx_tasks.domain.roles import Actor, Role
from ylyx_tasks.reads.tasks import MilestoneView, TaskView

PAST_CYCLE = "ACDAEBXADY"
FUTURE_CYCLE = "FFGFHFFJFH"
LONG_PAST_CYCLE = "AAB"
LONG_PAST_DAYS = 400
WINDOW_DAYS = 120  # monthly scans and reports in the last four months before today

# order of events within one day: reports, then answers, then claims and requests, then decisions, then the scan
REPORT, ANSWER, CLAIM, DECIDE, SCAN = 0, 1, 2, 3, 9


def h(*parts: object) -> int:
    """A stable pseudo-random number from the parts (the demo must be the same every time)."""
    return int(hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


@dataclass
class Plot:
    """The planned fate of one milestone."""

    task: TaskView
    milestone: MilestoneView
    scenario: str
    due: dt.date  # working due date after a planned extension
    claim_on: dt.date | None = None
    accept_on: dt.date | None = None
    extend_apply_on: dt.date | None = None
    extend_decide_on: dt.date | None = None
    extend_to: dt.date | None = None

    @property
    def lagging(self) -> bool:
        return self.scenario in ("E", "H")


@dataclass
class Event:
    day: dt.date
    order: int
    kind: str
    plot: Plot | None
    run: Callable[..., None] | None = None
    task: TaskView | None = None


def _clamp(day: dt.date, first: dt.date, today: dt.date) -> dt.date:
    return max(first, min(day, today))


def plan_milestones(views: list[TaskView], today: dt.date, first: dt.date) -> list[Plot]:
    """A scenario and key dates for every milestone."""
    plots: list[Plot] = []
    counters = {"past": 0, "long": 0, "future": 0}
    for v in views:
        for m in v.milestones:
            d = m.due_date
            if d < today and (today - d).days > LONG_PAST_DAYS:
                s = LONG_PAST_CYCLE[counters["long"] % len(LONG_PAST_CYCLE)]
                counters["long"] += 1
            elif d < today:
                s = PAST_CYCLE[counters["past"] % len(PAST_CYCLE)]
                counters["past"] += 1
            else:
                s = FUTURE_CYCLE[counters["future"] % len(FUTURE_CYCLE)]
                counters["future"] += 1
            plots.append(_dates(Plot(v, m, s, d), today, first))
    return _a_claim_for_every_group(plots, today, first)


def _a_claim_for_every_group(plots: list[Plot], today: dt.date, first: dt.date) -> list[Plot]:
    """Every working group gets a claim awaiting review when it has an overdue milestone to turn into one, so
    that each group's demo member has something to review."""
    for group in dict.fromkeys(p.task.working_group for p in plots):
        mine = [p for p in plots if p.task.working_group == group]
        if any(p.scenario == "C" for p in mine):
            continue
        candidate = next((p for p in mine if p.scenario in ("D", "E") and p.due < today), None)
        if candidate is not None:
            plots[plots.index(candidate)] = _dates(Plot(candidate.task, candidate.milestone, "C", candidate.due),
                                                   today, first)
    return plots


def _dates(p: Plot, today: dt.date, first: dt.date) -> Plot:
    d = p.milestone.due_date
    c = lambda day: _clamp(day, first, today)  # noqa: E731
    if p.scenario in ("X", "Y"):
        p.extend_apply_on, p.extend_decide_on = c(d - dt.timedelta(days=20)), c(d - dt.timedelta(days=12))
        p.extend_to = d + dt.timedelta(days=120 if p.scenario == "X" else 150)
        if p.extend_decide_on >= d:
            p.scenario = "D"  # no room before the due date for an extension: plainly overdue instead
            p.extend_apply_on = p.extend_decide_on = p.extend_to = None
        else:
            p.due = p.extend_to
            if (p.scenario == "X" and p.due - dt.timedelta(days=10) >= today) or p.due >= today:
                p.scenario = "Z"  # extended, and the new date is still ahead: simply in progress
    if p.scenario == "X":
        p.claim_on, p.accept_on = p.due - dt.timedelta(days=20), p.due - dt.timedelta(days=10)
    elif p.scenario == "A":
        p.claim_on, p.accept_on = c(d - dt.timedelta(days=12)), c(d - dt.timedelta(days=5))
    elif p.scenario == "B":
        p.claim_on = c(min(d + dt.timedelta(days=25), today - dt.timedelta(days=8)))
        p.accept_on = p.claim_on + dt.timedelta(days=5)
        if p.claim_on <= d or p.accept_on >= today:
            p.scenario, p.accept_on = "C", None
    if p.scenario == "C":
        p.claim_on = c(max(d + dt.timedelta(days=1), today - dt.timedelta(days=6)))
    if p.scenario in ("G", "J"):
        p.extend_apply_on = c(today - dt.timedelta(days=20))
        p.extend_to = d + dt.timedelta(days=180)
        if p.scenario == "J":
            p.extend_decide_on = c(p.extend_apply_on + dt.timedelta(days=7))
    if p.claim_on and p.accept_on and p.accept_on <= p.claim_on:
        p.accept_on = None
        p.scenario = "C"
    return p


def scan_days(plots: list[Plot], today: dt.date, first: dt.date) -> list[dt.date]:
    """Ten days after each working due date that has passed, the 26th of each month (the day after reports
    fall due) from the first such scan of the recent past — so that each month's 通报 is drafted, as a daily
    scan drafts it — and today."""
    after_due = {p.due + dt.timedelta(days=10) for p in plots if p.due + dt.timedelta(days=10) < today}
    recent = [d for d in after_due if (today - d).days <= LONG_PAST_DAYS]
    start = max(first, min([today - dt.timedelta(days=WINDOW_DAYS), *recent]))
    days = set(after_due)
    month = periods.period_of(start)
    while True:
        day = periods.parse_period(month).replace(day=26)
        if day >= today:
            break
        if day >= start:
            days.add(day)
        month = periods.add_months(month, 1)
    days.add(today)
    return sorted(d for d in days if d >= first)


def open_on(plots_of_task: list[Plot], day: dt.date) -> Plot | None:
    """The task's earliest milestone not yet accepted on ``day`` (None: the task is done by then)."""
    for p in sorted(plots_of_task, key=lambda p: (p.milestone.original_due, p.milestone.key)):
        if p.accept_on is None or p.accept_on > day:
            return p
    return None


def percent_on(p: Plot, day: dt.date) -> int:
    """The lead department's reported progress on ``day``: on course for what the scenario says will happen."""
    m = p.milestone
    share = elapsed_share(m.start_date, p.due, day)
    jitter = h(m.id, day) % 7 - 3
    if p.scenario in ("A", "B", "C", "X"):
        end = p.claim_on or p.due
        value = 20 + 75 * elapsed_share(m.start_date, end, day) / 100
    elif p.scenario in ("D", "Y"):
        value = min(85, 35 + 45 * share / 100)
    elif p.scenario == "E":
        value = min(55, 25 + 25 * share / 100)
    elif p.scenario in ("G", "J", "Z"):
        value = share * 0.75
    else:
        value = share * (0.85 + (h(m.id) % 30) / 100)
    return int(max(5, min(95, value + jitter)))


# --- what every replayed step shares ---------------------------------------------------------------------


DEMO_MARK = "【演示数据】"  # every fictional text begins with it


@contextlib.contextmanager
def pretend_today(day: dt.date) -> Iterator[None]:
    """Let :mod:`ylyx_tasks.clock` say ``day`` while a step of the story is replayed, so that the audit log and
    the request timestamps carry the story's dates (the services take their timestamps from the clock). The
    setting is the documented ``YLYX_TODAY`` override; it is restored afterwards."""
    settings = get_settings()
    saved = settings.today
    settings.today = day
    try:
        yield
    finally:
        settings.today = saved


def demo_actor(username: str, role: Role, department_id: int | None) -> Actor:
    """A liaison of a unit without a demo account: it acts through the same services, under a name that says
    it is a demo."""
    return Actor(user_id=None, username=username[:64], role=role, department_id=department_id)


def report_day(scan_day: dt.date, first_period: str) -> dt.date | None:
    """The day the lead reports for the period a scan on ``scan_day`` checks (the 18th of that month)."""
    period = periods.last_due_period(scan_day, get_settings().report_due_day, first_period)
    return None if period is None else periods.parse_period(period).replace(day=18)
