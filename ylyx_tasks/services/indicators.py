"""Entering an indicator's yearly value (the office), with the source of the figure; never a silent overwrite."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.domain.roles import Actor, Permission, require
from ylyx_tasks.errors import NotFound, WorkflowError
from ylyx_tasks.models import Indicator, IndicatorValue
from ylyx_tasks.reads.indicators import FIRST_YEAR, LAST_YEAR
from ylyx_tasks.services import audit

_UNSEEN = object()


class StaleValue(WorkflowError):
    def __init__(self, year: int, current: float | None) -> None:
        shown = "无" if current is None else f"{current:g}"
        super().__init__(f"{year} 年的数值刚被其他人修改过（现为 {shown}），你的修改没有保存。请确认后再录入。")


def record_value(session: Session, actor: Actor, *, indicator_id: int, year: int, value: float, note: str,
                 is_demo: bool = False, seen_value: float | None | object = _UNSEEN) -> IndicatorValue:
    """Enter (or correct) an indicator's value for a year, with the source of the figure. Office only.

    ``seen_value`` is the value the user saw for that year (None: there was none). When someone has entered a
    different value since, nothing is written and :class:`StaleValue` is raised: no silent overwrite.
    """
    require(actor, Permission.EDIT_INDICATOR)
    indicator = session.get(Indicator, indicator_id)
    if indicator is None:
        raise NotFound(f"没有编号为 {indicator_id} 的指标")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise WorkflowError(f"年份须在 {FIRST_YEAR}–{LAST_YEAR} 之间")
    note = (note or "").strip()
    if not note:
        raise WorkflowError("请注明数据来源（如统计公报、部门报表）")
    if value != value or value in (float("inf"), float("-inf")):  # NaN or infinite
        raise WorkflowError("数值无效")
    if indicator.unit == "%" and not 0 <= value <= 100:
        raise WorkflowError("百分比须在 0–100 之间")
    row = session.exec(select(IndicatorValue).where(IndicatorValue.indicator_id == indicator_id,
                                                    IndicatorValue.year == year).with_for_update()).first()
    if seen_value is not _UNSEEN and (row.value if row else None) != seen_value:
        raise StaleValue(year, row.value if row else None)
    now: dt.datetime = clock.utcnow()
    if row is None:
        row = IndicatorValue(indicator_id=indicator_id, year=year, value=value, note=note, is_demo=is_demo,
                             entered_by=actor.user_id, entered_at=now)
        try:
            # someone may enter the year's first value between our read and this insert (FOR UPDATE locks no
            # row that does not exist yet): the unique key decides, and the loser is told, not shown an error
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            current = session.exec(select(IndicatorValue.value).where(IndicatorValue.indicator_id == indicator_id,
                                                                      IndicatorValue.year == year)).first()
            raise StaleValue(year, current) from None
        audit.record(session, actor, "录入指标值", "indicator", indicator_id,
                     after={"year": year, "value": value, "note": note})
        return row
    before, after = audit.changes(row, {"value": value, "note": note, "is_demo": is_demo})
    if before:
        row.entered_by, row.entered_at = actor.user_id, now
        audit.record(session, actor, "修改指标值", "indicator", indicator_id, before={"year": year, **before},
                     after={"year": year, **after})
    return row
