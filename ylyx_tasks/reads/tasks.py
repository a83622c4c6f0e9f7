"""The read model of tasks: each task with its units, milestones, lights and days overdue, in a few queries.

Everything the show command, the exports, the digests and the pages list about tasks comes from here, so a task
looks the same wherever it appears.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import sqlalchemy as sa
from sqlmodel import Session

from ylyx_tasks.domain import periods
from ylyx_tasks.domain.lights import Light, LightRules, days_overdue, lateness, light_of, stale_days, worst
from ylyx_tasks.domain.plans import milestone_label
from ylyx_tasks.domain.roles import Duty, TaskScope
from ylyx_tasks.domain.rules import SupervisionRules
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Department, Milestone, Responsibility, Task, WorkingGroup
from ylyx_tasks.reads.plans import all_plans, current_plan, last_due_period, rules_from_settings


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
    def label(self) -> str:
        """"2022年节点", "2027年6月30日节点"."""
        return milestone_label(self.key)

    @property
    def done(self) -> bool:
        return self.status == Status.DONE

    @property
    def late_days(self) -> int | None:
        """Days it was finished late (0 on time), None while not done."""
        return lateness(self.due_date, self.completed_on) if self.done else None


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
    plan_id: int = 0
    stale_days: int | None = None  # 久未更新: days without a lead report, once past the rule's limit

    @property
    def lead(self) -> Unit | None:
        """The first lead unit in the document's order (the one notices are addressed to)."""
        return next((u for u in self.units if u.duty == Duty.LEAD), None)

    @property
    def leads(self) -> list[Unit]:
        """Every lead unit: a clause may name co-leads (A、B牵头)."""
        return [u for u in self.units if u.duty == Duty.LEAD]

    @property
    def supporting(self) -> list[Unit]:
        return [u for u in self.units if u.duty == Duty.SUPPORT]

    @property
    def territorial(self) -> list[Unit]:
        return [u for u in self.units if u.duty == Duty.TERRITORIAL]

    @cached_property
    def light(self) -> Light:
        """The worst light of its milestones (computed once: lists and digests ask for it often)."""
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
        light = light_of(m.status, m.start_date, m.due_date, progress, report_late, today, rules)
        overdue = days_overdue(m.due_date, today) if m.status != Status.DONE else 0
        out.append(MilestoneView(id=m.id, key=m.key, commitment=m.commitment, start_date=m.start_date,
                                 original_due=m.original_due, due_date=m.due_date, status=m.status,
                                 completed_on=m.completed_on, light=light, days_overdue=overdue))
    return out


_TASK_COLUMNS = (Task.id, Task.code, Task.title, Task.section, Task.clause_text, Task.working_group_id,
                 WorkingGroup.name, Task.county_responsible, Task.status, Task.progress, Task.version,
                 Task.last_report_period, Task.last_report_on)
_MILESTONE_COLUMNS = (Milestone.task_id, Milestone.id, Milestone.key, Milestone.commitment, Milestone.start_date,
                      Milestone.original_due, Milestone.due_date, Milestone.status, Milestone.completed_on)


def _in_chunks(ids: list[int] | None, size: int = 900) -> Iterable[list[int] | None]:
    """``None`` once (no filter), or the ids in chunks small enough for any database's bound-parameter limit."""
    if ids is None:
        yield None
        return
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def load_task_views(session: Session, today: dt.date, rules: SupervisionRules | None = None, *,
                    plan_id: int | None = None, task_ids: Iterable[int] | None = None) -> list[TaskView]:
    """The tasks of ``task_ids`` (whatever their plans), or every task of ``plan_id`` (the first plan loaded
    when neither is given), in document order, with lights for ``today`` — each by its own plan's report
    periods.

    Three column selects (tasks, responsibilities, milestones), no ORM entities: at ten thousand tasks the
    identity map and attribute instrumentation cost more than the queries themselves. Lights and report lateness
    are the domain's own rules (:func:`~ylyx_tasks.domain.lights.light_of`,
    :func:`~ylyx_tasks.domain.periods.report_late`).
    """
    rules = rules or rules_from_settings()
    if plan_id is None and task_ids is None:
        first_plan = current_plan(session)
        if first_plan is None:
            return []
        plan_id = first_plan.id
    ids = None if task_ids is None else sorted(set(task_ids))
    if ids is not None and not ids:
        return []
    conn = session.connection()
    of_plan = sa.select(Task.id).where(Task.plan_id == plan_id)
    tasks, units, milestones = [], defaultdict(list), defaultdict(list)
    for chunk in _in_chunks(ids):
        t_stmt = (sa.select(*_TASK_COLUMNS, Task.plan_id, Task.position)
                  .join(WorkingGroup, Task.working_group_id == WorkingGroup.id))
        r_stmt = (sa.select(Responsibility.task_id, Department.id, Department.name, Department.kind,
                            Responsibility.duty, Responsibility.position)
                  .join(Department, Responsibility.department_id == Department.id))
        m_stmt = sa.select(*_MILESTONE_COLUMNS)
        if plan_id is not None:
            t_stmt = t_stmt.where(Task.plan_id == plan_id)
            if chunk is None:
                r_stmt = r_stmt.where(Responsibility.task_id.in_(of_plan))
                m_stmt = m_stmt.where(Milestone.task_id.in_(of_plan))
        if chunk is not None:
            t_stmt = t_stmt.where(Task.id.in_(chunk))
            r_stmt = r_stmt.where(Responsibility.task_id.in_(chunk))
            m_stmt = m_stmt.where(Milestone.task_id.in_(chunk))
        tasks += conn.execute(t_stmt).all()
        for task_id, dept_id, name, kind, duty, position in conn.execute(r_stmt):
            units[task_id].append((position, Unit(dept_id, name, kind, duty)))
        for row in conn.execute(m_stmt):
            milestones[row[0]].append(row)
    tasks.sort(key=lambda t: (t[-2], t[-1], t[1]))  # plan, position, code
    plans = {p.id: p for p in all_plans(session)}
    due_periods = {p.id: last_due_period(p, today, rules) for p in plans.values()}
    views = []
    for (task_id, code, title, section, clause_text, group_id, group_name, county, status, progress, version,
         last_period, last_on, task_plan, _position) in tasks:
        late = periods.report_late(status, last_period, due_periods[task_plan])
        reported = progress if last_period else None
        mviews = [MilestoneView(m_id, key, commitment, start, original_due, due, m_status, completed_on,
                                light_of(m_status, start, due, reported, late, today, rules.lights),
                                days_overdue(due, today) if m_status != Status.DONE else 0)
                  for (_t, m_id, key, commitment, start, original_due, due, m_status, completed_on)
                  in sorted(milestones.get(task_id, ()), key=lambda r: (r[5], r[2]))]
        views.append(TaskView(
            id=task_id, code=code, title=title, section=section, clause_text=clause_text,
            working_group_id=group_id, working_group=group_name, county_responsible=bool(county), status=status,
            progress=progress, version=version, last_report_period=last_period, last_report_on=last_on,
            report_late=late, units=[u for _p, u in sorted(units.get(task_id, ()), key=lambda pu: pu[0])],
            milestones=mviews, plan_id=task_plan,
            stale_days=stale_days(status, last_on, plans[task_plan].period_start, today, rules.stale_after_days),
        ))
    return views


def task_scope(session: Session, task: Task) -> TaskScope:
    """What permissions on ``task`` depend on: its working group and each unit's duty on it."""
    duties = {d: Duty(duty) for d, duty in session.connection().execute(
        sa.select(Responsibility.department_id, Responsibility.duty).where(Responsibility.task_id == task.id))}
    return TaskScope(working_group_id=task.working_group_id, duties=duties)


def duties_of(session: Session, department_id: int) -> dict[int, str]:
    """task id → the unit's duty (牵头 / 配合 / 属地) on it."""
    return dict(session.connection().execute(sa.select(Responsibility.task_id, Responsibility.duty)
                                             .where(Responsibility.department_id == department_id)).all())
