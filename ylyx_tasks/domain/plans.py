"""A plan's life and its dated commitments: the period it runs over, when it is in force, how a commitment's
wording becomes a due date's key, and what happens when its period ends (终期评估)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class PlanStatus(StrEnum):
    ACTIVE = "在实施"  # supervised: reports, reminders, 督办
    CLOSING = "终期评估"  # its period has ended or the office is closing it out: open matters stay supervised
    ARCHIVED = "已归档"  # closed out: read only


def in_force(period_start: dt.date, period_end: dt.date, status: str, today: dt.date) -> bool:
    """A plan in force today: its period has begun and not ended, and it has not been closed out."""
    return status == PlanStatus.ACTIVE and period_start <= today <= period_end


def state_label(period_start: dt.date, period_end: dt.date, status: str, today: dt.date) -> str:
    """How a plan's state reads to its users on ``today``: its status, or for a plan still marked 在实施 the
    fact of its dates (未开始 before its period, 已期满 after it: reports are no longer asked for)."""
    if status == PlanStatus.ACTIVE and today > period_end:
        return "已期满，待终期评估"
    if status == PlanStatus.ACTIVE and today < period_start:
        return "尚未开始"
    return str(status)


def started(period_start: dt.date, today: dt.date) -> bool:
    """Nothing about a plan is supervised before its period starts."""
    return today >= period_start


def asks_for_reports(period_start: dt.date, period_end: dt.date, status: str, today: dt.date) -> bool:
    """Monthly reports (and their 催报) are asked for only while the plan is in force: after its period (or once
    the office closes it out) a plan stops asking, though its open matters stay supervised until closed."""
    return status == PlanStatus.ACTIVE and period_start <= today <= period_end


def milestone_key(due: dt.date) -> str:
    """A milestone's stable key within its task: the year for a commitment due at the end of a year ("2022",
    as the first plan's data have always keyed them), else the date ("2027-06-30")."""
    if (due.month, due.day) == (12, 31):
        return f"{due.year:04d}"
    return due.isoformat()


def milestone_label(key: str) -> str:
    """How a milestone is named on a page, from its key: "2022年节点", "2027年6月30日节点"."""
    if key.isdigit() and len(key) == 4:
        return f"{key}年节点"
    try:
        day = dt.date.fromisoformat(key)
    except ValueError:
        return f"{key}节点"
    return f"{day.year}年{day.month}月{day.day}日节点"
