"""Indicators: the table with each one's latest value and whether it meets its target (value entry is
:mod:`ylyx_tasks.services.indicators`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from ylyx_tasks.domain.indicators import is_met, is_off_track
from ylyx_tasks.models import Indicator, IndicatorValue

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
