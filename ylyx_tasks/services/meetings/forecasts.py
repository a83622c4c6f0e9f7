"""The lead unit's own forecast each month (能按期完成 / 有风险 / 不能按期完成), beside the light. One per task per
period, kept as made: the cockpit shows where forecast and light disagree, and a forecast that proved wrong."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.domain import periods
from ylyx_tasks.domain.lights import worst
from ylyx_tasks.domain.meetings import Forecast, parse_forecast
from ylyx_tasks.domain.roles import Actor, Duty, PermissionDenied, Role
from ylyx_tasks.domain.status import Status
from ylyx_tasks.errors import InvalidInput, NotFound, WorkflowError
from ylyx_tasks.models import Task, UnitForecast
from ylyx_tasks.reads.tasks import load_task_views, task_scope
from ylyx_tasks.services import audit


def give(session: Session, actor: Actor, *, task_id: int, forecast: Forecast | str, today: dt.date,
         note: str = "") -> UnitForecast:
    """报送预判 for this month: the lead unit's liaison (or the office for it). A second forecast in the same month
    is refused — the first one is what is compared with the outcome."""
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound(f"没有编号为 {task_id} 的任务")
    scope = task_scope(session, task)
    lead = next((d for d, duty in scope.duties.items() if duty == Duty.LEAD), None)
    if actor.role == Role.LIAISON:
        if scope.duty_of(actor.department_id) != Duty.LEAD:
            raise PermissionDenied("只有牵头单位可以报送预判")
    elif actor.role != Role.OFFICE and not actor.is_system:
        raise PermissionDenied(f"“{actor.role}”账号 {actor.username} 无权报送预判")
    if lead is None:
        raise WorkflowError("该任务没有牵头单位")
    value = parse_forecast(forecast) if isinstance(forecast, str) else forecast
    if len(note or "") > 2000:
        raise InvalidInput("说明不能超过 2000 字")
    if task.status == Status.DONE:
        raise WorkflowError("任务已完成，无需预判")
    period = periods.period_of(today)
    if session.exec(select(UnitForecast.id).where(UnitForecast.task_id == task.id,
                                                  UnitForecast.period == period)).first() is not None:
        raise WorkflowError(f"{periods.label(period)}已报送预判（每月一次）")
    view = load_task_views(session, today, task_ids=[task.id])[0]
    open_ms = [m for m in view.milestones if m.status != Status.DONE]
    nxt = min(open_ms, key=lambda m: m.due_date) if open_ms else None
    light = worst(m.light for m in open_ms).value if open_ms else ""
    row = UnitForecast(task_id=task.id, period=period, milestone_id=nxt.id if nxt else None,
                       milestone_due=nxt.due_date if nxt else None, forecast=value.value, light=light,
                       note=(note or "").strip(), department_id=lead, created_by=actor.user_id,
                       created_at=clock.utcnow())
    session.add(row)
    session.flush()
    audit.record(session, actor, "报送预判", "forecast", row.id, task_id=task.id,
                 after={"period": period, "forecast": value.value, "light": light, "due": row.milestone_due})
    return row
