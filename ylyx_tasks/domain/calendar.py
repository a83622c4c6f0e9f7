"""Working days on the official Chinese calendar (国务院办公厅 holiday notices), with 调休 make-up days.

The data come from the maintained ``chinese-calendar`` package, which covers the years whose notice has been
published. For a later year (the notice usually appears in November) the fallback is Monday–Friday minus the
fixed-date statutory holidays (元旦, 劳动节, 国庆); the lunar holidays of such a year are unknown until the notice
is out, so the office enters the notice's days (管理 → 节假日, or ``ylyx-tasks calendar import``), which take
precedence over everything else. A deadline counted through a year known neither to the package nor to the office
is *on the fallback*: :func:`add_workdays_checked` says so, and the notice and the page tell the reader.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import lru_cache

import chinese_calendar

from ylyx_tasks.errors import InvalidInput

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


def year_known(year: int, entered_years: frozenset[int] | set[int] = frozenset()) -> bool:
    """Whether ``year``'s official holiday calendar is known: to the package, or entered by the office."""
    return year in entered_years or calendar_covers(year)


def add_workdays_checked(start: dt.date, n: int, overrides: Overrides | None = None,
                         entered_years: frozenset[int] | set[int] = frozenset()) -> tuple[dt.date, bool]:
    """:func:`add_workdays`, and whether any day counted lies in a year whose calendar is not known (the
    deadline was then computed on the fallback: Monday–Friday without the lunar holidays)."""
    due = add_workdays(start, n, overrides)
    fallback = any(not year_known(y, entered_years) for y in range(start.year, due.year + 1))
    return due, fallback


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


_HOLIDAY_LINE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:至|到|~|～|—|--)\s*(\d{4}-\d{1,2}-\d{1,2}))?"
                           r"[\s,，、:：]*(放假|休息|上班|调休上班|班|休)?[\s,，、:：]*(.*)$")


def parse_holiday_lines(text: str, year: int) -> list[tuple[dt.date, bool, str]]:
    """A year's 国务院办公厅 holiday notice as the office types it, one line each:
    ``2027-02-05至2027-02-11 放假 春节`` or ``2027-02-14 上班 春节调休`` (a CSV row ``date,workday,note`` too,
    ``workday`` 0 or 1). Returns (day, working day?, note) for every day; raises InvalidInput naming the line."""
    out: dict[dt.date, tuple[bool, str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().replace("/", "-")
        if not line or line.startswith("#") or line.lower().startswith("date"):
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) >= 2 and parts[1] in ("0", "1"):  # date,workday,note
            line = f"{parts[0]} {'上班' if parts[1] == '1' else '放假'} {' '.join(parts[2:])}"
        m = _HOLIDAY_LINE.match(line)
        if not m or not m.group(3):
            raise InvalidInput(f"第 {number} 行“{line[:30]}”：应为“2027-02-05至2027-02-11 放假 春节”或"
                               f"“2027-02-14 上班 春节调休”")
        try:
            first = dt.date.fromisoformat(_iso(m.group(1)))
            last = dt.date.fromisoformat(_iso(m.group(2))) if m.group(2) else first
        except ValueError:
            raise InvalidInput(f"第 {number} 行：日期不对") from None
        if last < first or first.year != year or last.year != year:
            raise InvalidInput(f"第 {number} 行：日期应在 {year} 年内，且起日不晚于止日")
        workday = m.group(3) in ("上班", "调休上班", "班")
        day = first
        while day <= last:
            out[day] = (workday, m.group(4).strip()[:100])
            day += dt.timedelta(days=1)
    if not out:
        raise InvalidInput("没有填写任何日期")
    return [(day, workday, note) for day, (workday, note) in sorted(out.items())]


def _iso(text: str) -> str:
    y, m, d = text.split("-")
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
