"""Entering a year's official holiday calendar (国务院办公厅关于…放假安排的通知) when the calendar package does not
know it yet: every day of the notice at once, replacing what was entered for that year before. From then on the
year's deadlines are counted on it, not on the fallback (Monday–Friday)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.domain.calendar import parse_holiday_lines
from ylyx_tasks.domain.roles import Actor, Permission, require
from ylyx_tasks.errors import InvalidInput
from ylyx_tasks.models import CalendarYear, Holiday
from ylyx_tasks.services import audit


def enter_year(session: Session, actor: Actor, *, year: int, text: str, source: str) -> int:
    """Record ``year``'s notice from its lines (see :func:`ylyx_tasks.domain.calendar.parse_holiday_lines`);
    returns how many days were entered. Office only; all or nothing."""
    require(actor, Permission.ADMINISTER)
    if not 2000 <= year <= 2100:
        raise InvalidInput("年份不对")
    source = (source or "").strip()
    if not source:
        raise InvalidInput("请填写通知的文号或标题（如 国办发明电〔2026〕12号）")
    days = parse_holiday_lines(text, year)
    old = session.exec(select(Holiday).where(Holiday.day >= dt.date(year, 1, 1),
                                             Holiday.day <= dt.date(year, 12, 31))).all()
    for row in old:
        session.delete(row)
    session.flush()
    now = clock.utcnow()
    for day, workday, note in days:
        session.add(Holiday(day=day, workday=workday, note=note, entered_by=actor.user_id, entered_at=now))
    marker = session.get(CalendarYear, year)
    if marker is None:
        marker = CalendarYear(year=year, source=source[:100], entered_by=actor.user_id, entered_at=now)
    else:
        marker.source, marker.entered_by, marker.entered_at = source[:100], actor.user_id, now
    session.add(marker)
    audit.record(session, actor, "录入法定节假日", "calendar", year, before={"days": len(old)} if old else None,
                 after={"year": year, "days": len(days), "source": source})
    return len(days)
