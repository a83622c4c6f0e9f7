"""Working days on the official Chinese calendar (国务院办公厅 holiday notices), with 调休 make-up days.

The data come from the maintained ``chinese-calendar`` package. It covers the years whose notice has been
published; for a later year (the notice usually appears in November) we fall back to Monday–Friday and say so
through :func:`calendar_covers`, so that a deadline computed that way can be flagged to the user.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=64)
def calendar_covers(year: int) -> bool:
    """Whether the official holiday calendar of ``year`` is known."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(day: dt.date) -> bool:
    """A working day: weekdays that are not public holidays, plus the weekend days made working days (调休)."""
    if calendar_covers(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted): "within n working days"."""
    if n < 1:
        raise ValueError("n must be at least 1")
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]; negative when ``end`` is before ``start``."""
    if end < start:
        return -workdays_between(end, start)
    return sum(1 for k in range(1, (end - start).days + 1) if is_workday(start + dt.timedelta(days=k)))
