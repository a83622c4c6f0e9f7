"""Terms that the lean reads (:mod:`ylyx_tasks.services.readmodel`) build their SQL from: a light as a number,
whole days between two dates in either dialect, the report period last due, and the tasks in a cockpit filter."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from ylyx_tasks.domain import periods
from ylyx_tasks.domain.lights import Light
from ylyx_tasks.domain.roles import Duty
from ylyx_tasks.domain.rules import SupervisionRules
from ylyx_tasks.models import Plan, Responsibility, Task, WorkingGroup

if TYPE_CHECKING:  # only a type here; the module stays light enough for the scan (no pandas)
    from ylyx_tasks.services.dashboard import CockpitFilter

# a light as 0–3, so that SQL can take the worst of a task's milestones with max()
SEVERITY = {0: Light.DONE, 1: Light.GREEN, 2: Light.YELLOW, 3: Light.RED}


def days_between(session: Session, later, earlier) -> ColumnElement:
    """Whole days from ``earlier`` to ``later`` in this database's dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.cast(later - earlier, sa.Integer)
    return sa.func.julianday(later) - sa.func.julianday(earlier)


def due_period(plan: Plan, today: dt.date, rules: SupervisionRules) -> str | None:
    """The last report period whose due day has passed on ``today`` (``None`` before the first)."""
    return periods.last_due_period(today, rules.report_due_day, periods.first_period(plan.issued_on))


def scope_condition(plan_id: int, f: CockpitFilter) -> ColumnElement:
    """The tasks of the cockpit's filter: a working group, a unit with any duty, a county with its 属地 duty."""
    conditions = [Task.plan_id == plan_id]
    if f.group:
        conditions.append(Task.working_group_id.in_(sa.select(WorkingGroup.id).where(WorkingGroup.name == f.group)))
    if f.department_id is not None:
        conditions.append(Task.id.in_(sa.select(Responsibility.task_id)
                                      .where(Responsibility.department_id == f.department_id)))
    if f.county_id is not None:
        conditions.append(Task.id.in_(sa.select(Responsibility.task_id).where(
            Responsibility.department_id == f.county_id, Responsibility.duty == Duty.TERRITORIAL.value)))
    return sa.and_(*conditions)
