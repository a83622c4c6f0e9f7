"""Reporting periods (调度): monthly, each due on a set day of its own month.

A period is written ``YYYY-MM``. The report for a month is due on day ``due_day`` of that month; once that day
has passed without a report from the lead department, the task is 未按时报送 for that period.
"""

from __future__ import annotations

import datetime as dt


def period_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def label(period: str) -> str:
    """``2026-03`` → ``2026年3月``."""
    first = parse_period(period)
    return f"{first.year}年{first.month}月"


def parse_period(period: str) -> dt.date:
    """The first day of a ``YYYY-MM`` period."""
    year, month = period.split("-")
    return dt.date(int(year), int(month), 1)


def add_months(period: str, months: int) -> str:
    first = parse_period(period)
    index = first.year * 12 + (first.month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def due_date(period: str, due_day: int) -> dt.date:
    """The day the report for ``period`` is due."""
    return parse_period(period).replace(day=due_day)


def first_period(plan_issued_on: dt.date) -> str:
    """Reporting starts with the first full month after the plan was issued."""
    return add_months(period_of(plan_issued_on), 1)


def last_due_period(today: dt.date, due_day: int, first: str) -> str | None:
    """The latest period whose due day has passed by ``today`` (None before the first one is due).

    On the due day itself the report is not late yet: it is late from the next day.
    """
    current = period_of(today)
    period = current if today.day > due_day else add_months(current, -1)
    return period if period >= first else None


def is_report_late(last_report_period: str | None, today: dt.date, due_day: int, first: str) -> bool:
    """Whether the lead department owes the report of the last due period (未按时报送)."""
    due = last_due_period(today, due_day, first)
    return due is not None and (last_report_period is None or last_report_period < due)
