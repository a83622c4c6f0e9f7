"""The official holiday calendar as far as the office has entered it (管理 → 节假日, ``ylyx-tasks calendar
import``): each day of a 国务院办公厅 notice (放假 or 调休上班), and which years' notices are complete. A
``data/calendar_overrides.csv`` (``date,workday,note``) is still read, beneath what the office entered.

With :func:`ylyx_tasks.domain.calendar.year_known` these say whether a deadline is counted on the official
calendar or on the fallback (Monday–Friday), so that the notice and the page can say which.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sqlmodel import Session, select

from ylyx_tasks.config import get_settings
from ylyx_tasks.domain.calendar import year_known
from ylyx_tasks.errors import InvalidInput
from ylyx_tasks.models import CalendarYear, Holiday

FILENAME = "calendar_overrides.csv"


@dataclass(frozen=True)
class HolidayCalendar:
    """Days the office entered (day → working day?) and the years whose notice it entered in full."""

    overrides: dict[dt.date, bool] = field(default_factory=dict)
    entered_years: frozenset[int] = frozenset()

    def known(self, year: int) -> bool:
        return year_known(year, self.entered_years)


def holiday_calendar(session: Session) -> HolidayCalendar:
    """The office's calendar: the CSV file's days beneath the database's."""
    overrides = dict(file_overrides())
    for day, workday in session.exec(select(Holiday.day, Holiday.workday)):
        overrides[day] = workday
    years = frozenset(session.exec(select(CalendarYear.year)))
    return HolidayCalendar(overrides, years)


def unknown_years(session: Session, today: dt.date) -> list[int]:
    """The years the office should enter now: this year, and from November (when 国务院办公厅 publishes the
    next year's notice) the next one — those whose calendar neither the package nor the office knows."""
    cal = holiday_calendar(session)
    years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    return [y for y in years if not cal.known(y)]


def entered_days(session: Session, year: int) -> list[Holiday]:
    """The days the office entered for ``year``, in order."""
    return list(session.exec(select(Holiday).where(Holiday.day >= dt.date(year, 1, 1),
                                                   Holiday.day <= dt.date(year, 12, 31)).order_by(Holiday.day)))


def file_overrides() -> dict[dt.date, bool]:
    path = get_settings().data_dir / FILENAME
    if not path.exists():
        return {}
    return _load(path, path.stat().st_mtime)


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> dict[dt.date, bool]:
    out: dict[dt.date, bool] = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for index, row in enumerate(csv.DictReader(f), start=2):
            try:
                day = dt.date.fromisoformat(row["date"].strip())
                flag = row["workday"].strip()
                if flag not in ("0", "1"):
                    raise ValueError("workday 应为 1（上班）或 0（放假）")
            except (KeyError, ValueError) as exc:
                raise InvalidInput(f"{path.name} 第 {index} 行：{exc}") from None
            out[day] = flag == "1"
    return out
