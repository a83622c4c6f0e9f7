"""The plan being supervised and the rules it is supervised by, for every reader and writer.

(Issue "Plans, not the plan" turns these into per-plan functions; today there is one plan.)
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from ylyx_tasks.config import get_settings
from ylyx_tasks.domain import periods
from ylyx_tasks.domain.lights import LightRules
from ylyx_tasks.domain.notices import EscalationRules
from ylyx_tasks.domain.rules import SupervisionRules
from ylyx_tasks.models import Department, Plan, WorkingGroup


def current_plan(session: Session) -> Plan | None:
    """The plan being tracked (the first one loaded)."""
    return session.exec(select(Plan).order_by(Plan.id)).first()


def rules_from_settings() -> SupervisionRules:
    """The supervision rules as configured (``YLYX_*``): lights, reminders, escalation, report day, prefix."""
    s = get_settings()
    return SupervisionRules(
        lights=LightRules(yellow_within_days=s.yellow_within_days, behind_points=s.behind_schedule_points),
        escalation=EscalationRules(reminder_days=tuple(s.reminder_days), response_working_days=s.response_working_days,
                                   escalate_after_days=s.escalate_after_days),
        report_due_day=s.report_due_day, notice_prefix=s.notice_prefix,
    )


def last_due_period(plan: Plan, today: dt.date, rules: SupervisionRules) -> str | None:
    """The last report period of ``plan`` whose due day has passed on ``today`` (None before the first)."""
    return periods.last_due_period(today, rules.report_due_day, periods.first_period(plan.issued_on))


def departments(session: Session) -> list[tuple[int, str, str]]:
    """(id, name, kind) of every unit, in the order of departments.csv."""
    return [(d.id, d.name, d.kind) for d in session.exec(select(Department).order_by(Department.id))]


def unit_names(session: Session, department_id: int | None, working_group_id: int | None) -> tuple[str, str]:
    """The names of a user's department and working group ('' for none)."""
    department = session.get(Department, department_id) if department_id else None
    group = session.get(WorkingGroup, working_group_id) if working_group_id else None
    return (department.name if department else ""), (group.name if group else "")
