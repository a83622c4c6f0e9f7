"""Indicators: the table with each one's latest value and whether it meets its target, and yearly value entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.domain.indicators import is_met, is_off_track
from ylyx_tasks.domain.roles import Actor, Permission, require
from ylyx_tasks.models import Indicator, IndicatorValue
from ylyx_tasks.services import audit
from ylyx_tasks.services.errors import NotFound, WorkflowError

FIRST_YEAR, LAST_YEAR = 2020, 2030


@dataclass
class IndicatorRow:
    indicator: Indicator
    values: list[IndicatorValue]

    @property
    def latest(self) -> IndicatorValue | None:
        return self.values[-1] if self.values else None

    @property
    def met(self) -> bool | None:
        """Whether the latest value meets the 2025 target (None without a value or a target)."""
        latest, ind = self.latest, self.indicator
        if latest is None or ind.target_value is None:
            return None
        return is_met(latest.value, ind.target_value, ind.comparator)

    @property
    def off_track(self) -> bool | None:
        """Whether the latest value is behind the straight path from the 2020 value to the target."""
        latest, ind = self.latest, self.indicator
        if latest is None or ind.target_value is None:
            return None
        return is_off_track(latest.value, latest.year, ind.baseline_value, ind.target_value, ind.comparator)

    @property
    def label(self) -> str:
        ind = self.indicator
        return f"{ind.name}（{ind.unit}）" if ind.unit else ind.name


def list_indicators(session: Session) -> list[IndicatorRow]:
    """Every indicator in table order, with its yearly values (oldest first). Two queries."""
    indicators = session.exec(select(Indicator).order_by(Indicator.position)).all()
    values: dict[int, list[IndicatorValue]] = {i.id: [] for i in indicators}
    for v in session.exec(select(IndicatorValue).order_by(IndicatorValue.indicator_id, IndicatorValue.year)):
        values.setdefault(v.indicator_id, []).append(v)
    return [IndicatorRow(i, values[i.id]) for i in indicators]


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
        session.add(row)
        session.flush()
        audit.record(session, actor, "录入指标值", "indicator", indicator_id,
                     after={"year": year, "value": value, "note": note})
        return row
    before, after = audit.changes(row, {"value": value, "note": note, "is_demo": is_demo})
    if before:
        row.entered_by, row.entered_at = actor.user_id, now
        audit.record(session, actor, "修改指标值", "indicator", indicator_id, before={"year": year, **before},
                     after={"year": year, **after})
    return row
