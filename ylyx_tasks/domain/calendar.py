"""Working days on the official Chinese calendar (国务院办公厅 holiday notices), with 调休 make-up days.

The data come from the maintained ``chinese-calendar`` package, which covers the years whose notice has been
published. For a later year (the notice usually appears in November) the fallback is Monday–Friday minus the
fixed-date statutory holidays (元旦, 劳动节, 国庆); the lunar holidays of such a year are unknown until the notice
is out, so the office can enter the notice's days as overrides (``data/calendar_overrides.csv``), which take
precedence over everything else. :func:`calendar_covers` says whether a year's official data are known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache

import chinese_calendar

Overrides = Mapping[dt.date, bool]  # day → is a working day
_FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}


@lru_cache(maxsize=64)
def calendar_covers(year: int) -> bool:
    """Whether the package knows the official holiday calendar of ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(day: dt.date, overrides: Overrides | None = None) -> bool:
    """A working day: weekdays that are not public holidays, plus weekend days made working days (调休)."""
    if overrides and day in overrides:
        return overrides[day]
    if calendar_covers(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5 and (day.month, day.day) not in _FIXED_HOLIDAYS


def add_workdays(start: dt.date, n: int, overrides: Overrides | None = None) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted): "within n working days"."""
    if n < 1:
        raise ValueError("n must be at least 1")
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        if is_workday(day, overrides):
            counted += 1
    return day


def workdays_between(start: dt.date, end: dt.date, overrides: Overrides | None = None) -> int:
    """Working days in (start, end]; negative when ``end`` is before ``start``."""
    if end < start:
        return -workdays_between(end, start, overrides)
    return sum(1 for k in range(1, (end - start).days + 1) if is_workday(start + dt.timedelta(days=k), overrides))
