"""The read model of tasks: each task with its units, milestones, lights and days overdue, in a few queries.

Everything the show command, the exports, the digests and the pages list about tasks comes from here, so a task
looks the same wherever it appears.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, select

from ylyx_tasks.config import get_settings
from ylyx_tasks.domain import periods
from ylyx_tasks.domain.lights import Light, LightRules, MilestoneFacts, days_overdue, milestone_light, worst
from ylyx_tasks.domain.notices import EscalationRules
from ylyx_tasks.domain.roles import Duty, TaskScope
from ylyx_tasks.domain.rules import SupervisionRules
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Department, Milestone, Plan, Responsibility, Task, WorkingGroup
from ylyx_tasks.services.plan_loader import current_plan


def rules_from_settings() -> SupervisionRules:
    s = get_settings()
    return SupervisionRules(
        lights=LightRules(yellow_within_days=s.yellow_within_days, behind_points=s.behind_schedule_points),
        escalation=EscalationRules(reminder_days=tuple(s.reminder_days), response_working_days=s.response_working_days,
                                   escalate_after_days=s.escalate_after_days),
        report_due_day=s.report_due_day, notice_prefix=s.notice_prefix,
    )


@dataclass
class Unit:
    id: int
    name: str
    kind: str
    duty: str


@dataclass
class MilestoneView:
    id: int
    key: str
    commitment: str
    start_date: dt.date
    original_due: dt.date
    due_date: dt.date
    status: str
    completed_on: dt.date | None
    light: Light
    days_overdue: int

    @property
    def extended(self) -> bool:
        return self.due_date != self.original_due

    @property
    def done(self) -> bool:
        return self.status == Status.DONE


@dataclass
class TaskView:
    id: int
    code: str
    title: str
    section: str
    clause_text: str
    working_group_id: int
    working_group: str
    county_responsible: bool
    status: str
    progress: int
    version: int
    last_report_period: str | None
    last_report_on: dt.date | None
    report_late: bool
    units: list[Unit] = field(default_factory=list)
    milestones: list[MilestoneView] = field(default_factory=list)

    @property
    def lead(self) -> Unit | None:
        return next((u for u in self.units if u.duty == Duty.LEAD), None)

    @property
    def supporting(self) -> list[Unit]:
        return [u for u in self.units if u.duty == Duty.SUPPORT]

    @property
    def territorial(self) -> list[Unit]:
        return [u for u in self.units if u.duty == Duty.TERRITORIAL]

    @property
    def light(self) -> Light:
        return worst(m.light for m in self.milestones)

    @property
    def open_milestones(self) -> list[MilestoneView]:
        return [m for m in self.milestones if not m.done]

    @property
    def next_due(self) -> dt.date | None:
        """The working due date of the earliest unfinished milestone."""
        dues = [m.due_date for m in self.open_milestones]
        return min(dues) if dues else None

    @property
    def days_overdue(self) -> int:
        return max((m.days_overdue for m in self.milestones), default=0)

    def scope(self) -> TaskScope:
        return TaskScope(working_group_id=self.working_group_id, duties={u.id: Duty(u.duty) for u in self.units})

    def duty_of(self, department_id: int | None) -> str | None:
        return next((u.duty for u in self.units if u.id == department_id), None)


def milestone_views(milestones: Iterable[Milestone], *, progress: int | None, report_late: bool, today: dt.date,
                    rules: LightRules) -> list[MilestoneView]:
    out = []
    for m in sorted(milestones, key=lambda m: (m.original_due, m.key)):
        facts = MilestoneFacts(status=m.status, start_date=m.start_date, due_date=m.due_date, progress=progress,
                               report_late=report_late)
        light = milestone_light(facts, today, rules)
        overdue = days_overdue(m.due_date, today) if m.status != Status.DONE else 0
        out.append(MilestoneView(id=m.id, key=m.key, commitment=m.commitment, start_date=m.start_date,
                                 original_due=m.original_due, due_date=m.due_date, status=m.status,
                                 completed_on=m.completed_on, light=light, days_overdue=overdue))
    return out


def load_task_views(session: Session, today: dt.date, rules: SupervisionRules | None = None, *,
                    task_ids: Iterable[int] | None = None) -> list[TaskView]:
    """Every task of the current plan (or those of ``task_ids``) in document order, with lights for ``today``."""
    rules = rules or rules_from_settings()
    plan = current_plan(session)
    if plan is None:
        return []
    first = periods.first_period(plan.issued_on)
    stmt = (select(Task, WorkingGroup.name).join(WorkingGroup, Task.working_group_id == WorkingGroup.id)
            .where(Task.plan_id == plan.id).order_by(Task.position, Task.code))
    ids = None if task_ids is None else list(task_ids)
    if ids is not None:
        stmt = stmt.where(Task.id.in_(ids))
    tasks = session.exec(stmt).all()
    units: dict[int, list[Unit]] = defaultdict(list)
    r_stmt = (select(Responsibility.task_id, Department.id, Department.name, Department.kind, Responsibility.duty)
              .join(Department, Responsibility.department_id == Department.id)
              .order_by(Responsibility.task_id, Responsibility.position))
    m_stmt = select(Milestone)
    if ids is not None:
        r_stmt = r_stmt.where(Responsibility.task_id.in_(ids))
        m_stmt = m_stmt.where(Milestone.task_id.in_(ids))
    for task_id, dept_id, name, kind, duty in session.exec(r_stmt):
        units[task_id].append(Unit(dept_id, name, kind, duty))
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for m in session.exec(m_stmt):
        milestones[m.task_id].append(m)
    views = []
    for task, group_name in tasks:
        late = task.status != Status.DONE and periods.is_report_late(task.last_report_period, today,
                                                                      rules.report_due_day, first)
        views.append(TaskView(
            id=task.id, code=task.code, title=task.title, section=task.section, clause_text=task.clause_text,
            working_group_id=task.working_group_id, working_group=group_name,
            county_responsible=task.county_responsible, status=task.status, progress=task.progress,
            version=task.version, last_report_period=task.last_report_period, last_report_on=task.last_report_on,
            report_late=late, units=units[task.id],
            milestones=milestone_views(milestones[task.id], progress=task.progress if task.last_report_period else None,
                                       report_late=late, today=today, rules=rules.lights),
        ))
    return views


def plan_or_none(session: Session) -> Plan | None:
    return current_plan(session)
