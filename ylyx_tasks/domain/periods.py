"""Reporting periods (调度): monthly, each due on a set day of its own month.

A period is written ``YYYY-MM``. The report for a month is due on day ``due_day`` of that month; once that day
has passed without a report from the lead department, the task is 未按时报送 for that period.
"""

from __future__ import annotations

import datetime as dt

from ylyx_tasks.domain.status import Status


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
    return report_late(Status.IN_PROGRESS, last_report_period, last_due_period(today, due_day, first))


def report_late(task_status: str, last_report_period: str | None, last_due: str | None) -> bool:
    """Whether an unfinished task's lead unit owes the report of ``last_due`` (the last due period, None before
    the first): the rule the task list, the lights, the scan and the scorecards share (its SQL form:
    :func:`ylyx_tasks.models.sql_rules.report_late`)."""
    return (task_status != Status.DONE and last_due is not None
            and (last_report_period is None or last_report_period < last_due))


def week_start(today: dt.date) -> dt.date:
    """The Monday of ``today``'s week: the weekly digest that belongs to this week."""
    return today - dt.timedelta(days=today.weekday())
