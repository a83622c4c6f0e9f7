"""The task list (任务清单): filtering the task read model and the table that is shown — and exported — as is.

Pure functions of :class:`~ylyx_tasks.services.overview.TaskView` lists, so the page, its downloads and the
tests see exactly the same rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from ylyx_tasks.domain.lights import Light
from ylyx_tasks.domain.roles import Duty
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Department, Milestone, Responsibility, Task, WorkingGroup
from ylyx_tasks.services.overview import TaskView

ANY_DUTY = "任一责任"
COUNTY_UNITS = "各县（市、区）人民政府、运城开发区管委会"


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
    options.groups = list(session.connection().execute(
        sa.select(WorkingGroup.name).join(Task, Task.working_group_id == WorkingGroup.id)
        .where(Task.plan_id == plan_id).group_by(WorkingGroup.id, WorkingGroup.name)
        .order_by(sa.func.min(Task.position))).scalars())
    plan_tasks = sa.select(Task.id).where(Task.plan_id == plan_id)
    options.departments = [(i, n) for i, n in session.connection().execute(
        sa.select(Department.id, Department.name).where(sa.exists().where(
            Responsibility.department_id == Department.id, Responsibility.task_id.in_(plan_tasks)))
        .order_by(Department.id))]
    years: set[int] = set()
    for due, original in session.connection().execute(
            sa.select(Milestone.due_date, Milestone.original_due).where(Milestone.task_id.in_(plan_tasks)).distinct()):
        years |= {due.year, original.year}
    options.years = sorted(years)
    return options


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


def list_frame(views: list[TaskView]) -> pd.DataFrame:
    """The table the page shows and exports: one row per task, in document order, Chinese column names."""
    rows = []
    for v in views:
        lead = v.lead
        dues = sorted(v.milestones, key=lambda m: m.original_due)
        rows.append({
            "编号": v.code,
            "任务": v.title,
            "工作专班": v.working_group,
            "牵头单位": lead.name if lead else "",
            "配合单位": "、".join(u.name for u in v.supporting),
            "属地责任": COUNTY_UNITS if v.territorial else "",
            "状态": v.status,
            "灯号": v.light.value,
            "进度(%)": v.progress,
            "时间节点": "；".join(_milestone_label(m) for m in dues),
            "下一节点到期": v.next_due.isoformat() if v.next_due else "",
            "逾期天数": v.days_overdue,
            "最近报送期": v.last_report_period or "",
            "未按时报送": "是" if v.report_late else "",
        })
    # what a supervisor scans first (state, light, dates) before the units and the detail
    columns = ["编号", "任务", "状态", "灯号", "进度(%)", "下一节点到期", "逾期天数", "牵头单位", "工作专班", "配合单位",
               "属地责任", "时间节点", "最近报送期", "未按时报送"]
    return pd.DataFrame(rows, columns=columns)


SUMMARY_COLUMNS = ["编号", "任务", "状态", "灯号", "进度(%)", "下一节点到期", "逾期天数", "牵头单位", "工作专班"]


def summary_frame(views: list[TaskView]) -> pd.DataFrame:
    """The few columns a list inside the cockpit needs (the task page has the rest)."""
    return list_frame(views)[SUMMARY_COLUMNS]


def _milestone_label(m) -> str:
    due = m.due_date.isoformat()
    if m.extended:
        due += f"（原定 {m.original_due.isoformat()}）"
    return f"{m.key}年节点 {due} {m.status}"
