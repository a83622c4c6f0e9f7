"""Traffic lights (亮灯) for milestones and tasks, and days overdue.

- 红灯: past its working due date and not done;
- 黄灯: due within ``yellow_within_days``, or behind 序时进度 (the elapsed share of its period) by more than
  ``behind_points``, or the lead department has not reported for the last due period;
- 绿灯: otherwise; 已完成 is shown as done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from ylyx_tasks.domain.status import Status


class Light(StrEnum):
    RED = "红灯"
    YELLOW = "黄灯"
    GREEN = "绿灯"
    DONE = "已完成"


# Worst first: a task shows the worst light of its milestones.
SEVERITY = {Light.RED: 3, Light.YELLOW: 2, Light.GREEN: 1, Light.DONE: 0}


@dataclass(frozen=True)
class LightRules:
    yellow_within_days: int = 30
    behind_points: float = 10.0


@dataclass(frozen=True)
class MilestoneFacts:
    status: Status | str
    start_date: dt.date
    due_date: dt.date
    progress: int | None  # latest percent reported by the lead department; None = never reported
    report_late: bool = False  # no lead report for the last due period


def days_overdue(due: dt.date, today: dt.date) -> int:
    """Whole days past ``due`` (0 when not past). Both dates are Asia/Shanghai calendar days."""
    return max(0, (today - due).days)


def elapsed_share(start: dt.date, due: dt.date, today: dt.date) -> float:
    """序时进度: the percentage of the period [start, due] that has elapsed by ``today`` (0–100)."""
    if today <= start:
        return 0.0
    if today >= due or due <= start:
        return 100.0
    return 100.0 * (today - start).days / (due - start).days


def points_behind(facts: MilestoneFacts, today: dt.date) -> float:
    """How far reported progress lags the elapsed share of the period (negative = ahead)."""
    return elapsed_share(facts.start_date, facts.due_date, today) - (facts.progress or 0)


def milestone_light(facts: MilestoneFacts, today: dt.date, rules: LightRules = LightRules()) -> Light:
    """The light of a milestone (its SQL form: :func:`ylyx_tasks.models.sql_rules.light_level`)."""
    return light_of(facts.status, facts.start_date, facts.due_date, facts.progress, facts.report_late, today, rules)


def light_of(status: Status | str, start_date: dt.date, due_date: dt.date, progress: int | None, report_late: bool,
             today: dt.date, rules: LightRules) -> Light:
    """:func:`milestone_light` from plain values (read models call it for every milestone of a plan)."""
    if status == Status.DONE:
        return Light.DONE
    if today > due_date:
        return Light.RED
    if (due_date - today).days <= rules.yellow_within_days:
        return Light.YELLOW
    if elapsed_share(start_date, due_date, today) - (progress or 0) > rules.behind_points:
        return Light.YELLOW
    if report_late:
        return Light.YELLOW
    return Light.GREEN


def worst(lights: Iterable[Light | str]) -> Light:
    """The task's light: the worst of its milestones' lights (已完成 only when every one is done)."""
    known = [Light(x) for x in lights]
    if not known:
        return Light.GREEN
    return max(known, key=SEVERITY.__getitem__)


def lateness(due_date: dt.date, completed_on: dt.date | None) -> int | None:
    """Days a completed milestone was finished after its due date (an approved extension moves the due date;
    0 when on time); None while not completed."""
    if completed_on is None:
        return None
    return max(0, (completed_on - due_date).days)


def completion_note(late_days: int | None) -> str:
    """"按期完成", "逾期 12 天完成", or "" while not completed: lateness stays visible after acceptance."""
    if late_days is None:
        return ""
    return "按期完成" if late_days == 0 else f"逾期 {late_days} 天完成"


def task_completion(milestones: Iterable) -> str:
    """Of a task whose milestones (with ``status``, ``due_date``, ``completed_on``) are all done: 按期完成, or
    the longest lateness; "" while any is open."""
    milestones = list(milestones)
    if not milestones or any(m.status != Status.DONE for m in milestones):
        return ""
    known = [d for d in (lateness(m.due_date, m.completed_on) for m in milestones) if d is not None]
    return completion_note(max(known)) if known else ""


def stale_days(status: str, last_update: dt.date | None, since: dt.date, today: dt.date, after_days: int
               ) -> int | None:
    """久未更新, separate from lateness: days without a report from the lead unit (counted from ``since``, the
    plan's start, when it never reported) once they reach ``after_days``; None otherwise and for a done task."""
    if status == Status.DONE:
        return None
    days = (today - (last_update or since)).days
    return days if days >= after_days else None


def stale_note(days: int | None) -> str:
    return f"{days} 天未更新" if days is not None else ""
