"""Lean reads for the cockpit (总览) at scale: its figures and charts as GROUP BY counts and the lists behind
them a page at a time. (The overdue list and the notices: :mod:`ylyx_tasks.reads.cockpit.overdue`.)

A province's plans have ten thousand tasks and a hundred thousand notices. What a page shows is a few dozen
numbers and a few hundred rows, so that is all these queries return: counts by status, light, working group and
lead unit, and the rows of one page. The lights are those of :mod:`ylyx_tasks.domain.lights` computed in SQL
(:func:`ylyx_tasks.models.sql_rules.light_level`); the full read model
(:func:`~ylyx_tasks.reads.tasks.load_task_views`) remains the reference, and ``tests/test_readmodel.py``
checks that every function here gives exactly what it gives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from ylyx_tasks.domain.lights import Light, completion_note
from ylyx_tasks.domain.notices import NoticeLevel
from ylyx_tasks.domain.roles import Duty
from ylyx_tasks.domain.rules import SupervisionRules
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Department, Milestone, Plan, Responsibility, Task, WorkingGroup, sql_rules
from ylyx_tasks.models.sql_rules import LEVEL, SEVERITY, days_between
from ylyx_tasks.reads.plans import last_due_period
from ylyx_tasks.reads.tasklist import SUMMARY_COLUMNS

DONE = Status.DONE.value
TASKS, NOTICES, MILESTONES = "tasks", "notices", "milestones"


@dataclass(frozen=True)
class CockpitFilter:
    """The cockpit's scope: a working group, a unit with any duty, a county with its 属地 duty (None = all)."""

    group: str | None = None
    department_id: int | None = None  # any duty
    county_id: int | None = None  # 属地 duty


# (key, label, what it counts, help): the cockpit's headline figures, in the order they are shown
FIGURES = [
    ("all", "任务总数", TASKS, "方案第三、四部分的任务条目"),
    ("done", "已完成", TASKS, "所有时间节点均已审核通过"),
    ("in_progress", "推进中", TASKS, ""),
    ("pending", "待审核", TASKS, "已申报办结，待专班审核"),
    ("not_started", "未启动", TASKS, ""),
    ("overdue", "逾期任务", TASKS, "有时间节点已过期限仍未完成的任务（即红灯任务）"),
    ("red", "红灯", TASKS, ""),
    ("yellow", "黄灯", TASKS, ""),
    ("green", "绿灯", TASKS, ""),
    ("notices", "未办结通知", NOTICES, "未办结的催报、督办通知单和通报（不含到期提醒）；“督办”页按类别分列"),
    ("circulations", "未办结通报", NOTICES, "通报后仍未解决的事项"),
]


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


def light_level(session: Session, plan: Plan, today: dt.date, rules: SupervisionRules) -> ColumnElement:
    """:func:`ylyx_tasks.models.sql_rules.light_level` for ``plan`` on ``today``."""
    return sql_rules.light_level(session.get_bind().dialect.name, today, rules.lights,
                                 last_due_period(plan, today, rules))


TALLY_COLUMNS = ["工作专班", "牵头单位", "状态", "灯号", "任务数", "逾期节点数", "首项"]


def leads():
    """(task_id, department_id) of every task's lead unit as the read model has it (``TaskView.lead``: the first
    unit in the document's order with the 牵头 duty), to join: the 牵头 duty with no earlier one on the same task
    (index ``ix_resp_task_duty_position``). A join, where a correlated subquery would be asked once per task."""
    r, earlier = aliased(Responsibility), aliased(Responsibility)
    first = ~sa.exists().where(earlier.task_id == r.task_id, earlier.duty == Duty.LEAD.value,
                               sa.or_(earlier.position < r.position,
                                      sa.and_(earlier.position == r.position, earlier.id < r.id)))
    return (sa.select(r.task_id, r.department_id).where(r.duty == Duty.LEAD.value, first)
            .subquery("leads"))


def lead_name(task_id) -> ColumnElement:
    """The name of the task's lead unit (see :func:`leads`), or NULL: a correlated subquery, for a page of rows."""
    r = aliased(Responsibility)
    return (sa.select(Department.name).join(r, r.department_id == Department.id)
            .where(r.task_id == task_id, r.duty == Duty.LEAD.value)
            .order_by(r.position).limit(1).scalar_subquery())


def _facts(session: Session, plan: Plan, today: dt.date, rules: SupervisionRules, f: CockpitFilter):
    """One row per task in scope: its light (0–3) and its overdue milestones, by one GROUP BY over its
    milestones."""
    day = sa.literal(today, sa.Date)
    late = sa.and_(Milestone.id.is_not(None), Milestone.status != DONE, Milestone.due_date < day)
    return (sa.select(Task.id, Task.position, Task.code, Task.status, Task.working_group_id,
                      sa.func.max(light_level(session, plan, today, rules)).label("severity"),
                      sa.func.sum(sa.case((late, 1), else_=0)).label("late"))
            .outerjoin(Milestone, Milestone.task_id == Task.id)
            .where(scope_condition(plan.id, f))
            .group_by(Task.id))  # the other task columns depend on it (PostgreSQL accepts them too)


def task_tally(session: Session, plan: Plan, today: dt.date, rules: SupervisionRules, f: CockpitFilter
               ) -> pd.DataFrame:
    """The tasks in scope counted by working group, lead unit, status and light (``TALLY_COLUMNS``): ``任务数``
    tasks, ``逾期节点数`` their overdue milestones, ``首项`` the document position of the first of them (the
    groups' order on the charts). Every figure and chart of the cockpit is a sum over these rows."""
    facts = _facts(session, plan, today, rules, f).subquery("facts")
    lead = leads()
    counts = (sa.select(facts.c.working_group_id, lead.c.department_id.label("lead_id"), facts.c.status,
                        facts.c.severity, sa.func.count().label("n"), sa.func.sum(facts.c.late).label("late"),
                        sa.func.min(facts.c.position).label("first"))
              .select_from(facts).outerjoin(lead, lead.c.task_id == facts.c.id)
              .group_by(facts.c.working_group_id, lead.c.department_id, facts.c.status, facts.c.severity)
              .subquery("counts"))
    stmt = (sa.select(WorkingGroup.name, Department.name, counts.c.status, counts.c.severity, counts.c.n,
                      counts.c.late, counts.c.first)
            .join(WorkingGroup, WorkingGroup.id == counts.c.working_group_id)
            .outerjoin(Department, Department.id == counts.c.lead_id))
    rows = [(group, lead or "", status, SEVERITY[int(severity)].value, int(n), int(late or 0), int(first))
            for group, lead, status, severity, n, late, first in session.connection().execute(stmt)]
    return pd.DataFrame(rows, columns=TALLY_COLUMNS).sort_values(
        ["首项", "工作专班", "牵头单位", "状态", "灯号"], kind="stable", ignore_index=True)


def status_by_group(tally: pd.DataFrame) -> pd.DataFrame:
    """:func:`ylyx_tasks.reads.dashboard.status_by_group` from the tally (groups in the order of their first
    task, every status, zeros included)."""
    counts = tally.groupby(["工作专班", "状态"], sort=False)["任务数"].sum()
    groups = list(dict.fromkeys(tally.sort_values("首项", kind="stable")["工作专班"]))
    return pd.DataFrame([{"工作专班": g, "状态": s.value, "任务数": int(counts.get((g, s.value), 0))}
                         for g in groups for s in Status], columns=["工作专班", "状态", "任务数"])


def overdue_by_lead(tally: pd.DataFrame) -> pd.DataFrame:
    """:func:`ylyx_tasks.reads.dashboard.overdue_by_lead` from the tally: overdue milestones per lead unit,
    most first (units with none, and tasks without a lead unit, left out)."""
    late = tally[(tally["逾期节点数"] > 0) & (tally["牵头单位"] != "")]
    counts = late.groupby("牵头单位")["逾期节点数"].sum()
    return pd.DataFrame(sorted(((k, int(n)) for k, n in counts.items()), key=lambda kv: (-kv[1], kv[0])),
                        columns=["牵头单位", "逾期节点数"])


def milestones_by_month(session: Session, plan: Plan, today: dt.date, rules: SupervisionRules, f: CockpitFilter
                        ) -> pd.DataFrame:
    """Milestones in scope counted by the month of their working due date and their light (the time line of a
    plan with too many tasks for one row each): :func:`ylyx_tasks.reads.dashboard.milestones_by_month` by
    GROUP BY month, not by day (a province's milestones fall on thousands of days)."""
    severity = light_level(session, plan, today, rules).label("severity")
    if session.get_bind().dialect.name == "postgresql":
        month = sa.func.to_char(Milestone.due_date, "YYYY-MM")
    else:  # SQLite keeps a date as its ISO text: the month is its first seven characters (no date parsing)
        month = sa.func.substr(Milestone.due_date, 1, 7)
    month = month.label("month")
    stmt = (sa.select(month, severity, sa.func.count())
            .join(Task, Task.id == Milestone.task_id).where(scope_condition(plan.id, f))
            .group_by(month, severity))
    rows = sorted((pd.Timestamp(f"{m}-01"), SEVERITY[int(sev)].value, int(n))
                  for m, sev, n in session.connection().execute(stmt))
    return pd.DataFrame([{"月份": t, "灯号": light, "节点数": n} for t, light, n in rows],
                        columns=["月份", "灯号", "节点数"])


@dataclass(frozen=True)
class Headline:
    """A headline figure: how many tasks or notices, and (by its key) which list is behind it."""

    key: str
    label: str
    kind: str  # dashboard.TASKS / dashboard.NOTICES
    value: int
    help: str = ""


def headlines(tally: pd.DataFrame, notice_levels: dict[str, int]) -> list[Headline]:
    """:func:`ylyx_tasks.reads.dashboard.figures`' numbers from the tally and the open notices by level."""
    def tasks(mask) -> int:
        return int(tally.loc[mask, "任务数"].sum())

    status, light = tally["状态"], tally["灯号"]
    values = {
        "all": tasks(status == status),
        "done": tasks(status == Status.DONE.value), "in_progress": tasks(status == Status.IN_PROGRESS.value),
        "pending": tasks(status == Status.PENDING_REVIEW.value),
        "not_started": tasks(status == Status.NOT_STARTED.value),
        # a task is overdue exactly when one of its milestones is red (unfinished past its due date)
        "overdue": tasks(light == Light.RED.value),
        "red": tasks(light == Light.RED.value), "yellow": tasks(light == Light.YELLOW.value),
        "green": tasks(light == Light.GREEN.value),
        "notices": sum(n for level, n in notice_levels.items() if level != NoticeLevel.REMINDER),
        "circulations": notice_levels.get(NoticeLevel.CIRCULATE.value, 0),
    }
    return [Headline(key, label, kind, values[key], help_text) for key, label, kind, help_text in FIGURES]


@dataclass(frozen=True)
class TaskQuery:
    """Which tasks in scope a list shows: by status, light, working group, lead unit (all optional; ``overdue``
    = some milestone unfinished past its due date)."""

    status: str | None = None
    light: str | None = None
    group: str | None = None
    lead: str | None = None
    overdue: bool = False


FIGURE_QUERIES = {
    "all": TaskQuery(), "done": TaskQuery(status=Status.DONE.value),
    "in_progress": TaskQuery(status=Status.IN_PROGRESS.value), "pending": TaskQuery(status=Status.PENDING_REVIEW.value),
    "not_started": TaskQuery(status=Status.NOT_STARTED.value), "overdue": TaskQuery(overdue=True),
    "red": TaskQuery(light=Light.RED.value), "yellow": TaskQuery(light=Light.YELLOW.value),
    "green": TaskQuery(light=Light.GREEN.value),
}


def task_ids(session: Session, plan: Plan, today: dt.date, rules: SupervisionRules, f: CockpitFilter,
             q: TaskQuery = TaskQuery(), *, limit: int | None = None) -> list[int]:
    """The ids of the tasks in scope that ``q`` chooses, in document order (the first ``limit``). Only a yellow,
    green or done light needs the lights of every task in scope; red is "overdue", decided by an index."""
    day = sa.literal(today, sa.Date)
    # EXISTS: walk the tasks in document order (an index) and stop at the limit
    overdue = sa.exists().where(Milestone.task_id == Task.id, Milestone.status != DONE, Milestone.due_date < day)
    if q.light and q.light != Light.RED.value:
        facts = _facts(session, plan, today, rules, f).subquery("facts")
        stmt = sa.select(facts.c.id).where(facts.c.severity == LEVEL[Light(q.light)]).where(
            facts.c.id.in_(_narrow(sa.select(Task.id), q, overdue)))
        stmt = stmt.order_by(facts.c.position, facts.c.code)
    else:
        stmt = _narrow(sa.select(Task.id).where(scope_condition(plan.id, f)), q, overdue)
        if q.light == Light.RED.value:
            stmt = stmt.where(overdue)
        stmt = stmt.order_by(Task.position, Task.code)
    return list(session.connection().execute(stmt.limit(limit)).scalars())


def _narrow(stmt, q: TaskQuery, overdue: ColumnElement):
    if q.status:
        stmt = stmt.where(Task.status == q.status)
    if q.group:
        stmt = stmt.where(Task.working_group_id.in_(sa.select(WorkingGroup.id).where(WorkingGroup.name == q.group)))
    if q.lead is not None:
        stmt = stmt.where(sa.func.coalesce(lead_name(Task.id), "") == q.lead)
    if q.overdue:
        stmt = stmt.where(overdue)
    return stmt


def summary_rows(session: Session, plan: Plan, today: dt.date, rules: SupervisionRules, ids: list[int]
                 ) -> pd.DataFrame:
    """:func:`~ylyx_tasks.reads.tasklist.summary_frame`'s columns of a few tasks, in document order."""
    if not ids:
        return pd.DataFrame([], columns=SUMMARY_COLUMNS)
    day = sa.literal(today, sa.Date)
    open_m = sa.and_(Milestone.id.is_not(None), Milestone.status != DONE)
    late_m = sa.and_(open_m, Milestone.due_date < day)
    dialect = session.get_bind().dialect.name
    stmt = (sa.select(Task.code, Task.title, Task.status,
                      sa.func.max(light_level(session, plan, today, rules)), Task.progress,
                      sa.func.min(sa.case((open_m, Milestone.due_date))),
                      sa.func.max(sa.case((late_m, days_between(dialect, day, Milestone.due_date)), else_=0)),
                      lead_name(Task.id), WorkingGroup.name,
                      # lights.lateness of the latest-finished milestone (its completion stays visible)
                      sa.func.max(sa.case((sa.and_(Milestone.status == DONE, Milestone.completed_on.is_not(None)),
                                           days_between(dialect, Milestone.completed_on, Milestone.due_date)))),
                      sa.func.count(sa.case((open_m, 1))))
            .join(WorkingGroup, WorkingGroup.id == Task.working_group_id)
            .outerjoin(Milestone, Milestone.task_id == Task.id)
            .where(Task.plan_id == plan.id, Task.id.in_(ids))
            .group_by(Task.id, Task.code, Task.title, Task.status, Task.progress, WorkingGroup.name, Task.position)
            .order_by(Task.position, Task.code))
    rows = []
    for (code, title, status, severity, progress, next_due, overdue, lead, group, late_done,
         still_open) in session.connection().execute(stmt):
        if isinstance(next_due, str):  # SQLite returns MIN() over a CASE as text
            next_due = dt.date.fromisoformat(next_due)
        done = completion_note(max(0, int(late_done))) if not still_open and late_done is not None else ""
        rows.append((code, title, status, SEVERITY[int(severity)].value, progress,
                     next_due.isoformat() if next_due else "", int(overdue or 0), done, lead or "", group))
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


# --- the overdue milestones and the notices ------------------------------------------------------------------


