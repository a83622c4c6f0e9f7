"""The task list (任务清单): filtering the task read model and the table that is shown — and exported — as is.

Pure functions of :class:`~ylyx_tasks.reads.tasks.TaskView` lists, so the page, its downloads and the
tests see exactly the same rows; and their SQL counterparts for a plan too large to load whole: the filter's
choices (:func:`options_from_db`), the matching tasks (:func:`candidate_ids`) and one page of the table
(:func:`page_frame`), each compared with the pure function in ``tests/test_readmodel.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from ylyx_tasks.domain import periods
from ylyx_tasks.domain.lights import (Light, MilestoneFacts, days_overdue, milestone_light, stale_days, stale_note,
                                     task_completion, worst)
from ylyx_tasks.domain.plans import milestone_label
from ylyx_tasks.domain.roles import Duty
from ylyx_tasks.domain.rules import SupervisionRules
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Department, Milestone, Plan, Responsibility, Task, WorkingGroup
from ylyx_tasks.reads.plans import PlanInfo, last_due_period
from ylyx_tasks.reads.tasks import TaskView

ANY_DUTY = "任一责任"


@dataclass(frozen=True)
class TaskFilter:
    """What the user chose; ``None`` or empty means "all"."""

    group: str | None = None
    department_id: int | None = None
    duty: str | None = None  # 牵头 / 配合 / 属地; None = any duty of ``department_id``
    status: str | None = None
    light: str | None = None
    due_year: int | None = None
    text: str = ""
    # 方案条款 / 会议议定 / 领导批示 (Task.source): decided in SQL by candidate_ids only
    source: str | None = None


@dataclass
class FilterOptions:
    groups: list[str] = field(default_factory=list)
    departments: list[tuple[int, str]] = field(default_factory=list)  # (id, name), in the order of departments.csv
    statuses: list[str] = field(default_factory=lambda: [s.value for s in Status])
    lights: list[str] = field(default_factory=lambda: [x.value for x in Light])
    duties: list[str] = field(default_factory=lambda: [d.value for d in Duty])
    years: list[int] = field(default_factory=list)


def filter_options(views: list[TaskView]) -> FilterOptions:
    """The choices that can match something: groups, units and due years that occur in ``views``."""
    options = FilterOptions()
    seen: dict[int, str] = {}
    for v in views:
        if v.working_group not in options.groups:
            options.groups.append(v.working_group)
        for u in v.units:
            seen.setdefault(u.id, u.name)
    options.departments = sorted(seen.items())
    options.years = sorted({m.due_date.year for v in views for m in v.milestones}
                           | {m.original_due.year for v in views for m in v.milestones})
    return options


def options_from_db(session: Session, plan_id: int) -> FilterOptions:
    """:func:`filter_options` by aggregate queries, without loading the tasks (the same lists, same order)."""
    options = FilterOptions()
    # each group's first task: one seek per group in ix_task_plan_group_position (a handful of groups), not a
    # GROUP BY over every task
    first = (sa.select(sa.func.min(Task.position)).where(Task.plan_id == plan_id,
                                                         Task.working_group_id == WorkingGroup.id)
             .scalar_subquery())
    options.groups = [name for name, at in session.connection().execute(
        sa.select(WorkingGroup.name, first.label("first")).order_by(first)) if at is not None]
    # a unit's first duty, and whether its task is in the plan: one step each, not the plan's task ids first
    of_plan = (sa.select(Responsibility.task_id).join(Task, Task.id == Responsibility.task_id)
               .where(Responsibility.department_id == Department.id, Task.plan_id == plan_id).exists())
    options.departments = [(i, n) for i, n in session.connection().execute(
        sa.select(Department.id, Department.name).where(of_plan).order_by(Department.id))]
    options.years = _years(session, plan_id)
    return options


def _years(session: Session, plan_id: int) -> list[int]:
    """The years in which a milestone of the plan is due, or was first due. Each year within the range of all
    due dates is asked for on its own ("is there one?"): a seek in an index on the dates, where reading the dates
    would read every milestone."""
    conn = session.connection()
    of_plan = sa.exists().where(Task.id == Milestone.task_id, Task.plan_id == plan_id)
    years: set[int] = set()
    for column in (Milestone.due_date, Milestone.original_due):
        # one MIN and one MAX per statement: each is then a single step in the index
        low, high = conn.execute(sa.select(sa.select(sa.func.min(column)).scalar_subquery(),
                                           sa.select(sa.func.max(column)).scalar_subquery())).one()
        if low is None:
            continue
        low, high = (dt.date.fromisoformat(x) if isinstance(x, str) else x for x in (low, high))
        span = range(low.year, high.year + 1)
        found = conn.execute(sa.select(*[
            sa.select(Milestone.id).where(column.between(dt.date(y, 1, 1), dt.date(y, 12, 31)), of_plan)
            .limit(1).exists() for y in span])).one()
        years |= {y for y, hit in zip(span, found) if hit}
    return sorted(years)


def candidate_ids(session: Session, plan_id: int, f: TaskFilter) -> list[int]:
    """The ids of the tasks that pass ``f`` in document order, decided in SQL by every condition that is a column
    (group, unit and duty, status, due year, text) — all but the light, which :func:`filter_tasks` then decides on
    these tasks alone."""
    stmt = sa.select(Task.id).where(Task.plan_id == plan_id).order_by(Task.position, Task.code)
    if f.group:
        stmt = stmt.join(WorkingGroup, Task.working_group_id == WorkingGroup.id).where(WorkingGroup.name == f.group)
    if f.department_id is not None:
        duty = sa.select(Responsibility.task_id).where(Responsibility.department_id == f.department_id)
        if f.duty:
            duty = duty.where(Responsibility.duty == f.duty)
        stmt = stmt.where(Task.id.in_(duty))
    elif f.duty:
        stmt = stmt.where(Task.id.in_(sa.select(Responsibility.task_id).where(Responsibility.duty == f.duty)))
    if f.status:
        stmt = stmt.where(Task.status == f.status)
    if f.source:
        stmt = stmt.where(Task.source == f.source)
    if f.due_year is not None:
        lo, hi = dt.date(f.due_year, 1, 1), dt.date(f.due_year, 12, 31)
        in_year = sa.or_(Milestone.due_date.between(lo, hi), Milestone.original_due.between(lo, hi))
        stmt = stmt.where(Task.id.in_(sa.select(Milestone.task_id).where(in_year)))
    needle = f.text.strip()
    if needle:
        pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

        def like(column):
            return column.ilike(pattern, escape="\\")
        stmt = stmt.where(sa.or_(
            like(Task.code), like(Task.title), like(Task.clause_text),
            Task.id.in_(sa.select(Responsibility.task_id).join(Department, Department.id == Responsibility.department_id)
                        .where(like(Department.name))),
            Task.id.in_(sa.select(Milestone.task_id).where(like(Milestone.commitment))),
            Task.working_group_id.in_(sa.select(WorkingGroup.id).where(like(WorkingGroup.name))),
        ))
    return list(session.connection().execute(stmt).scalars())


def _matches_text(v: TaskView, needle: str) -> bool:
    haystack = " ".join([v.code, v.title, v.clause_text, v.working_group, *(u.name for u in v.units),
                         *(m.commitment for m in v.milestones)])
    return needle.casefold() in haystack.casefold()


def filter_tasks(views: list[TaskView], f: TaskFilter) -> list[TaskView]:
    """The tasks that pass every condition of ``f`` (free text: code, title, clause, units, commitments)."""
    out = []
    needle = f.text.strip()
    for v in views:
        if f.group and v.working_group != f.group:
            continue
        if f.department_id is not None:
            duty = v.duty_of(f.department_id)
            if duty is None or (f.duty and duty != f.duty):
                continue
        elif f.duty and not any(u.duty == f.duty for u in v.units):
            continue
        if f.status and v.status != f.status:
            continue
        if f.light and v.light.value != f.light:
            continue
        if f.due_year is not None and not any(f.due_year in (m.due_date.year, m.original_due.year)
                                              for m in v.milestones):
            continue
        if needle and not _matches_text(v, needle):
            continue
        out.append(v)
    return out


LIST_COLUMNS = ["编号", "任务", "状态", "灯号", "进度(%)", "下一节点到期", "逾期天数", "完成情况", "牵头单位", "工作专班", "配合单位",
                "属地责任", "时间节点", "最近报送期", "未按时报送", "久未更新"]  # state, light, dates first: what a supervisor scans


def list_frame(views: list[TaskView]) -> pd.DataFrame:
    """The table the page shows and exports: one row per task, in document order, Chinese column names."""
    return pd.DataFrame([_row(v.code, v.title, v.working_group, v.lead.name if v.lead else "",
                              [u.name for u in v.supporting], bool(v.territorial), v.status, v.progress,
                              v.last_report_period, v.report_late, v.milestones, v.stale_days) for v in views],
                        columns=LIST_COLUMNS)


def _row(code: str, title: str, group: str, lead: str, supporting: list[str], territorial: bool, status: str,
         progress: int, last_period: str | None, late: bool, milestones: list, stale: int | None) -> dict:
    open_dues = [m.due_date for m in milestones if m.status != Status.DONE]
    return {
        "编号": code, "任务": title, "工作专班": group, "牵头单位": lead, "配合单位": "、".join(supporting),
        "属地责任": "是" if territorial else "", "状态": status,
        "灯号": worst(m.light for m in milestones).value, "进度(%)": progress,
        "时间节点": "；".join(_milestone_label(m) for m in sorted(milestones, key=lambda m: m.original_due)),
        "下一节点到期": min(open_dues).isoformat() if open_dues else "",
        "逾期天数": max((m.days_overdue for m in milestones), default=0),
        "完成情况": task_completion(milestones),
        "最近报送期": last_period or "", "未按时报送": "是" if late else "", "久未更新": stale_note(stale),
    }


def page_frame(session: Session, plan: Plan | PlanInfo, today: dt.date, rules: SupervisionRules, ids: list[int]
               ) -> pd.DataFrame:
    """:func:`list_frame` of the tasks ``ids`` (a page of the list, in document order), by three lean selects:
    of a task's units only the lead and supporting ones are read — a county clause names fourteen 属地 units,
    and the table shows only that there are some. ``tests/test_readmodel.py`` compares it with
    ``list_frame(load_task_views(…))``."""
    if not ids:
        return list_frame([])
    conn = session.connection()
    due_period = last_due_period(plan, today, rules)
    tasks = conn.execute(sa.select(Task.id, Task.code, Task.title, WorkingGroup.name, Task.status, Task.progress,
                                   Task.last_report_period, Task.last_report_on)
                         .join(WorkingGroup, WorkingGroup.id == Task.working_group_id)
                         .where(Task.plan_id == plan.id, Task.id.in_(ids))
                         .order_by(Task.position, Task.code)).all()
    units: dict[int, list[tuple[int, str, str]]] = {}
    for task_id, duty, position, name in conn.execute(
            sa.select(Responsibility.task_id, Responsibility.duty, Responsibility.position, Department.name)
            .join(Department, Department.id == Responsibility.department_id)
            .where(Responsibility.task_id.in_(ids), Responsibility.duty.in_([Duty.LEAD.value, Duty.SUPPORT.value]))):
        units.setdefault(task_id, []).append((position, duty, name))
    territorial = set(conn.execute(sa.select(Responsibility.task_id).where(
        Responsibility.task_id.in_(ids), Responsibility.duty == Duty.TERRITORIAL.value).distinct()).scalars())
    milestones: dict[int, list] = {}
    for task_id, *facts in conn.execute(sa.select(Milestone.task_id, Milestone.key, Milestone.start_date,
                                                  Milestone.original_due, Milestone.due_date, Milestone.status,
                                                  Milestone.completed_on)
                                        .where(Milestone.task_id.in_(ids))):
        milestones.setdefault(task_id, []).append(facts)
    rows = []
    for task_id, code, title, group, status, progress, last_period, last_on in tasks:
        late = periods.report_late(status, last_period, due_period)
        ordered = [name_duty for _p, *name_duty in sorted(units.get(task_id, []), key=lambda u: u[0])]
        lead = next((name for duty, name in ordered if duty == Duty.LEAD), "")
        views = [_Milestone(key, start, original, due, m_status, milestone_light(
            MilestoneFacts(m_status, start, due, progress if last_period else None, late), today, rules.lights),
            days_overdue(due, today) if m_status != Status.DONE else 0, completed_on)
            for key, start, original, due, m_status, completed_on
            in sorted(milestones.get(task_id, []), key=lambda m: (m[2], m[0]))]
        rows.append(_row(code, title, group, lead, [name for duty, name in ordered if duty == Duty.SUPPORT],
                         task_id in territorial, status, progress, last_period, late, views,
                         stale_days(status, last_on, plan.period_start, today, rules.stale_after_days)))
    return pd.DataFrame(rows, columns=LIST_COLUMNS)


@dataclass(frozen=True)
class _Milestone:
    """What a list row shows of a milestone."""
    key: str
    start_date: dt.date
    original_due: dt.date
    due_date: dt.date
    status: str
    light: Light
    days_overdue: int
    completed_on: dt.date | None

    @property
    def extended(self) -> bool:
        return self.due_date != self.original_due


SUMMARY_COLUMNS = ["编号", "任务", "状态", "灯号", "进度(%)", "下一节点到期", "逾期天数", "完成情况", "牵头单位", "工作专班"]


def summary_frame(views: list[TaskView]) -> pd.DataFrame:
    """The few columns a list inside the cockpit needs (the task page has the rest)."""
    return list_frame(views)[SUMMARY_COLUMNS]


def _milestone_label(m) -> str:
    due = m.due_date.isoformat()
    if m.extended:
        due += f"（原定 {m.original_due.isoformat()}）"
    return f"{milestone_label(m.key)} {due} {m.status}"


def task_count(session: Session, plan_id: int) -> int:
    """How many tasks the plan has."""
    return session.connection().execute(sa.select(sa.func.count()).select_from(Task)
                                        .where(Task.plan_id == plan_id)).scalar_one()


def task_ids_of(session: Session, plan_id: int) -> list[int]:
    """The ids of the plan's tasks, in document order."""
    return list(session.connection().execute(sa.select(Task.id).where(Task.plan_id == plan_id)
                                             .order_by(Task.position, Task.code)).scalars())
