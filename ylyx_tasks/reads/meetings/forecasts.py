"""The lead units' forecasts beside the lights: where they disagree now, and which proved wrong."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from ylyx_tasks.domain import periods
from ylyx_tasks.domain.lights import worst
from ylyx_tasks.domain.meetings import disagrees, forecast_outcome
from ylyx_tasks.domain.rules import SupervisionRules
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Department, Milestone, Task, UnitForecast
from ylyx_tasks.reads.tasks import load_task_views


@dataclass(frozen=True)
class ForecastRow:
    task_id: int
    code: str
    title: str
    unit: str
    period: str
    forecast: str
    light_then: str
    light_now: str
    due: dt.date | None
    completed_on: dt.date | None
    came_true: bool | None  # None: cannot be told yet, or 有风险


def forecast_rows(session: Session, plan_id: int, today: dt.date, rules: SupervisionRules) -> list[ForecastRow]:
    """Every forecast of the plan, the latest period first, with the light now and whether it came true."""
    rows = session.connection().execute(
        sa.select(UnitForecast.task_id, Task.code, Task.title, Department.name, UnitForecast.period,
                  UnitForecast.forecast, UnitForecast.light, UnitForecast.milestone_due, Milestone.completed_on)
        .join(Task, Task.id == UnitForecast.task_id).join(Department, Department.id == UnitForecast.department_id)
        .outerjoin(Milestone, Milestone.id == UnitForecast.milestone_id)
        .where(Task.plan_id == plan_id).order_by(UnitForecast.period.desc(), Task.position)).all()
    if not rows:
        return []
    views = {v.id: v for v in load_task_views(session, today, rules, task_ids=[r[0] for r in rows])}
    out = []
    for task_id, code, title, unit, period, value, light_then, due, completed_on in rows:
        v = views.get(task_id)
        open_ms = [m.light for m in v.milestones if m.status != Status.DONE] if v else []
        now = worst(open_ms).value if open_ms else "已完成"
        came = forecast_outcome(value, due=due, completed_on=completed_on, today=today) if due else None
        out.append(ForecastRow(task_id, code, title, unit, period, value, light_then, now, due, completed_on, came))
    return out


def disagrees_now(row: ForecastRow, today: dt.date) -> bool:
    """Whether this month's forecast is contradicted by the light now."""
    return (row.period == periods.period_of(today) and row.light_now != "已完成"
            and disagrees(row.forecast, row.light_now))


def disagreements(rows: list[ForecastRow], today: dt.date) -> list[ForecastRow]:
    """This month's forecasts that the light contradicts."""
    return [r for r in rows if disagrees_now(r, today)]


def wrong(rows: list[ForecastRow]) -> list[ForecastRow]:
    """Forecasts that proved wrong: 能按期完成 then missed, or 不能按期完成 then done in time."""
    return [r for r in rows if r.came_true is False]
