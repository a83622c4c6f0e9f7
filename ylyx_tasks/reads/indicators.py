"""Indicators: each with its latest value, whether it meets its target, and whether it is on the path to it
(the straight line from the baseline, or through the plan's interim targets); counties' own targets. (Value
entry is :mod:`ylyx_tasks.services.indicators`.)"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from ylyx_tasks.domain.indicators import expected_on_path, is_met, is_off_track
from ylyx_tasks.models import Department, Indicator, IndicatorTarget, IndicatorValue

FIRST_YEAR, LAST_YEAR = 2015, 2040


@dataclass
class IndicatorRow:
    indicator: Indicator
    values: list[IndicatorValue]
    trajectory: dict[int, float] = field(default_factory=dict)  # year → interim target (the plan as a whole)
    county_targets: list[tuple[str, int, float]] = field(default_factory=list)  # (county, year, target)

    @property
    def latest(self) -> IndicatorValue | None:
        return self.values[-1] if self.values else None

    @property
    def base_year(self) -> int:
        return self.indicator.baseline_year or 2020

    @property
    def target_year(self) -> int:
        return self.indicator.target_year or 2025

    @property
    def met(self) -> bool | None:
        """Whether the latest value meets the target (None without a value or a target)."""
        latest, ind = self.latest, self.indicator
        if latest is None or ind.target_value is None:
            return None
        return is_met(latest.value, ind.target_value, ind.comparator)

    @property
    def off_track(self) -> bool | None:
        """Whether the latest value is behind the path to the target (through the interim targets, else the
        straight line from the baseline)."""
        latest, ind = self.latest, self.indicator
        if latest is None or ind.target_value is None:
            return None
        return is_off_track(latest.value, latest.year, ind.baseline_value, ind.target_value, ind.comparator,
                            self.base_year, self.target_year, self.trajectory)

    def expected(self, year: int) -> float | None:
        """Where the path stands in ``year`` (None without a target)."""
        ind = self.indicator
        if ind.target_value is None:
            return None
        return expected_on_path(ind.baseline_value, ind.target_value, year, self.base_year, self.target_year,
                                self.trajectory)

    @property
    def label(self) -> str:
        ind = self.indicator
        return f"{ind.name}（{ind.unit}）" if ind.unit else ind.name


def list_indicators(session: Session, plan_id: int | None = None) -> list[IndicatorRow]:
    """The indicators of ``plan_id`` (every plan's when None) in table order, with their yearly values (oldest
    first), interim targets and counties' targets. Three queries."""
    stmt = select(Indicator).order_by(Indicator.plan_id, Indicator.position)
    if plan_id is not None:
        stmt = stmt.where(Indicator.plan_id == plan_id)
    indicators = session.exec(stmt).all()
    rows = {i.id: IndicatorRow(i, []) for i in indicators}
    ids = list(rows)
    for v in session.exec(select(IndicatorValue).where(IndicatorValue.indicator_id.in_(ids))
                          .order_by(IndicatorValue.indicator_id, IndicatorValue.year)):
        rows[v.indicator_id].values.append(v)
    names = {d.id: d.name for d in session.exec(select(Department))}
    for t in session.exec(select(IndicatorTarget).where(IndicatorTarget.indicator_id.in_(ids))
                          .order_by(IndicatorTarget.year)):
        if t.department_id is None:
            rows[t.indicator_id].trajectory[t.year] = t.value
        else:
            rows[t.indicator_id].county_targets.append((names.get(t.department_id, ""), t.year, t.value))
    return [rows[i.id] for i in indicators]
