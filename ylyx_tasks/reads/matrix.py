"""The county × task matrix (县区进展矩阵): the latest percent each county reported for its share of each task
it is territorially responsible for, from one aggregate query."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import and_, func, select
from sqlmodel import Session

from ylyx_tasks.domain.roles import Duty
from ylyx_tasks.models import Plan, ProgressReport, Responsibility, Task
from ylyx_tasks.reads.plans import current_plan, territorial_units


@dataclass
class CountyMatrix:
    counties: list[str] = field(default_factory=list)  # short names, in the plan's order of units
    tasks: list[tuple[str, str]] = field(default_factory=list)  # (code, title), document order
    percent: dict[tuple[str, str], int] = field(default_factory=dict)  # (county, code) → latest percent
    period: dict[tuple[str, str], str] = field(default_factory=dict)  # (county, code) → its period
    responsible: set[tuple[str, str]] = field(default_factory=set)  # cells where the county has a duty
    full_names: dict[str, str] = field(default_factory=dict)  # short name → full name (盐湖区 → 盐湖区人民政府)

    def reported_by(self, full_name: str) -> int:
        """How many of its tasks a county (by full name) has reported on at least once."""
        short = next((s for s, f in self.full_names.items() if f == full_name), full_name)
        return sum(1 for county, _code in self.percent if county == short)

    def frame(self) -> pd.DataFrame:
        """Tasks as rows (code as the index, then the title), one column per county (14 columns, however many
        tasks): the latest percent, empty where nothing was reported (or the county has no duty)."""
        data = {"任务": [title for _, title in self.tasks]}
        for county in self.counties:
            data[county] = pd.array([self.percent.get((county, code)) for code, _ in self.tasks], dtype="Int64")
        return pd.DataFrame(data, index=pd.Index([code for code, _ in self.tasks], name="编号"))

    def coverage(self) -> float | None:
        """Share of responsible cells with at least one report."""
        if not self.responsible:
            return None
        return sum(1 for cell in self.responsible if cell in self.percent) / len(self.responsible)


def county_matrix(session: Session, plan_id: int | None = None) -> CountyMatrix:
    """Latest report per (task, territorial unit of the plan) — the one with the highest id within the latest
    period. ``plan_id`` None: the first plan loaded."""
    plan = session.get(Plan, plan_id) if plan_id is not None else current_plan(session)
    out = CountyMatrix()
    if plan is None:
        return out
    counties = [(d.id, d.short_name, d.name) for d in territorial_units(session, plan.id)]
    names = {i: (short or name) for i, short, name in counties}
    out.counties = list(names.values())
    out.full_names = {(short or name): name for _, short, name in counties}
    tasks = session.execute(select(Task.id, Task.code, Task.title).where(Task.plan_id == plan.id)
                            .order_by(Task.position, Task.code)).all()
    codes = {i: code for i, code, _ in tasks}
    out.tasks = [(code, title) for _, code, title in tasks]
    for task_id, dept_id in session.execute(select(Responsibility.task_id, Responsibility.department_id).where(
            Responsibility.duty == Duty.TERRITORIAL.value)):
        if task_id in codes and dept_id in names:
            out.responsible.add((names[dept_id], codes[task_id]))
    latest = (select(func.max(ProgressReport.id).label("id"))
              .where(ProgressReport.department_id.in_(list(names)), ProgressReport.duty == Duty.TERRITORIAL.value)
              .group_by(ProgressReport.task_id, ProgressReport.department_id)).subquery()
    rows = session.execute(select(ProgressReport.task_id, ProgressReport.department_id, ProgressReport.percent,
                                  ProgressReport.period)
                           .join(latest, and_(latest.c.id == ProgressReport.id)))
    for task_id, dept_id, percent, period in rows:
        if task_id in codes:
            key = (names[dept_id], codes[task_id])
            out.percent[key] = percent
            out.period[key] = period
    return out


def shares_reported(session: Session, period: str) -> set[tuple[int, int]]:
    """(task id, department id) of the supporting and territorial shares reported for ``period``."""
    return {(t, d) for t, d in session.execute(
        select(ProgressReport.task_id, ProgressReport.department_id)
        .where(ProgressReport.period == period, ProgressReport.duty != Duty.LEAD.value).distinct())}
