"""The cockpit (总览) by aggregate queries: one row per task with its light, days overdue and next due date computed
in SQL by the rules of :mod:`ylyx_tasks.domain.lights`, the overdue milestones longest first (one page of them),
and the milestones counted by due date and light.

A province's plans have tens of thousands of milestones: reading them all as task views to count them is what
made the cockpit slow. The full read model (:func:`~ylyx_tasks.services.overview.load_task_views`) remains the
reference; ``tests/test_readmodel.py`` checks that these queries give exactly what it gives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from ylyx_tasks.domain import periods
from ylyx_tasks.domain.lights import Light
from ylyx_tasks.domain.roles import Duty
from ylyx_tasks.domain.rules import SupervisionRules
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Department, Milestone, Plan, Responsibility, Task, WorkingGroup
from ylyx_tasks.services.dashboard import CockpitFilter
from ylyx_tasks.services.tasklist import SUMMARY_COLUMNS

SEVERITY = {0: Light.DONE, 1: Light.GREEN, 2: Light.YELLOW, 3: Light.RED}
DONE = Status.DONE.value
# the summary columns, plus what the cockpit filters and charts by
ROW_COLUMNS = ["id", *SUMMARY_COLUMNS, "逾期节点数", "working_group_id"]


def _days(session: Session, later, earlier) -> ColumnElement:
    """Whole days from ``earlier`` to ``later`` in this database's dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.cast(later - earlier, sa.Integer)
    return sa.func.julianday(later) - sa.func.julianday(earlier)


def _severity(session: Session, today: dt.date, rules: SupervisionRules, due_period: str | None) -> ColumnElement:
    """A milestone's light as 0–3 (done, green, yellow, red): :func:`~ylyx_tasks.domain.lights.milestone_light`
    in SQL, with the task's report lateness (:func:`~ylyx_tasks.domain.periods.is_report_late`)."""
    day = sa.literal(today, sa.Date)
    reported = sa.case((Task.last_report_period.is_(None), 0), else_=Task.progress)
    elapsed = sa.case((day <= Milestone.start_date, 0.0),
                      else_=100.0 * _days(session, day, Milestone.start_date)
                      / _days(session, Milestone.due_date, Milestone.start_date))
    whens = [(Milestone.id.is_(None), 1), (Milestone.status == DONE, 0), (Milestone.due_date < day, 3),
             (_days(session, Milestone.due_date, day) <= rules.lights.yellow_within_days, 2),
             (elapsed - reported > rules.lights.behind_points, 2)]
    if due_period is not None:
        whens.append((sa.and_(Task.status != DONE, sa.or_(Task.last_report_period.is_(None),
                                                            Task.last_report_period < due_period)), 2))
    return sa.case(*whens, else_=1)


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


def _lead():
    """The lead unit of each task, to outer-join."""
    return (sa.select(Responsibility.task_id, Department.name)
            .join(Department, Department.id == Responsibility.department_id)
            .where(Responsibility.duty == Duty.LEAD.value).subquery("lead"))


def _due_period(plan: Plan, today: dt.date, rules: SupervisionRules) -> str | None:
    return periods.last_due_period(today, rules.report_due_day, periods.first_period(plan.issued_on))


def task_rows(session: Session, plan: Plan, today: dt.date, rules: SupervisionRules, f: CockpitFilter
              ) -> pd.DataFrame:
    """One row per task in scope, in document order, with the task list's summary columns."""
    day = sa.literal(today, sa.Date)
    open_m = sa.and_(Milestone.id.is_not(None), Milestone.status != DONE)
    late_m = sa.and_(open_m, Milestone.due_date < day)
    lead = _lead()
    stmt = (sa.select(Task.id, Task.code, Task.title, Task.status, Task.progress, WorkingGroup.name, lead.c.name,
                      Task.working_group_id,
                      sa.func.max(_severity(session, today, rules, _due_period(plan, today, rules))),
                      sa.func.min(sa.case((open_m, Milestone.due_date))),
                      sa.func.max(sa.case((late_m, _days(session, day, Milestone.due_date)), else_=0)),
                      sa.func.sum(sa.case((late_m, 1), else_=0)))
            .join(WorkingGroup, WorkingGroup.id == Task.working_group_id)
            .outerjoin(lead, lead.c.task_id == Task.id)
            .outerjoin(Milestone, Milestone.task_id == Task.id)
            .where(scope_condition(plan.id, f))
            .group_by(Task.id, Task.code, Task.title, Task.status, Task.progress, WorkingGroup.name, lead.c.name,
                      Task.working_group_id, Task.position)
            .order_by(Task.position, Task.code))
    rows = []
    for (task_id, code, title, status, progress, group, lead_name, group_id, severity, next_due, overdue,
         n_overdue) in session.connection().execute(stmt):
        if isinstance(next_due, str):  # SQLite returns MIN() over a CASE as text
            next_due = dt.date.fromisoformat(next_due)
        rows.append((task_id, code, title, status, SEVERITY[int(severity)].value, progress,
                     next_due.isoformat() if next_due else "", int(overdue or 0), lead_name or "", group,
                     int(n_overdue or 0), group_id))
    return pd.DataFrame(rows, columns=ROW_COLUMNS)


def milestones_by_month(session: Session, plan: Plan, today: dt.date, rules: SupervisionRules, f: CockpitFilter
                        ) -> pd.DataFrame:
    """Milestones counted by the month of their working due date and their light (the time line of a plan with
    too many tasks for one row each): :func:`ylyx_tasks.services.dashboard.milestones_by_month` by GROUP BY."""
    severity = _severity(session, today, rules, _due_period(plan, today, rules)).label("severity")
    stmt = (sa.select(Milestone.due_date, severity, sa.func.count())
            .join(Task, Task.id == Milestone.task_id).where(scope_condition(plan.id, f))
            .group_by(Milestone.due_date, severity))
    counts: dict[tuple[pd.Timestamp, str], int] = {}
    for due, sev, n in session.connection().execute(stmt):
        key = (pd.Timestamp(due.replace(day=1)), SEVERITY[int(sev)].value)
        counts[key] = counts.get(key, 0) + n
    rows = [{"月份": month, "灯号": light, "节点数": n} for (month, light), n in sorted(counts.items())]
    return pd.DataFrame(rows, columns=["月份", "灯号", "节点数"])


@dataclass(frozen=True)
class OverduePage:
    total: int  # overdue milestones in scope
    rows: list[tuple]  # (task_id, code, title, key, commitment, lead, due_date, status), longest overdue first


def overdue_milestones(session: Session, plan: Plan, today: dt.date, f: CockpitFilter, *, limit: int
                       ) -> OverduePage:
    """The overdue milestones in scope, longest overdue first (then by code and milestone): the first ``limit``."""
    day = sa.literal(today, sa.Date)
    late = sa.and_(Milestone.status != DONE, Milestone.due_date < day, scope_condition(plan.id, f))
    total = session.connection().execute(
        sa.select(sa.func.count()).select_from(Milestone).join(Task, Task.id == Milestone.task_id).where(late)
    ).scalar_one()
    lead = _lead()
    rows = session.connection().execute(
        sa.select(Task.id, Task.code, Task.title, Milestone.key, Milestone.commitment, lead.c.name,
                  Milestone.due_date, Milestone.status)
        .join(Task, Task.id == Milestone.task_id).outerjoin(lead, lead.c.task_id == Task.id)
        .where(late).order_by(Milestone.due_date, Task.code, Milestone.key).limit(limit)).all()
    return OverduePage(total, [tuple(r) for r in rows])


@dataclass(frozen=True)
class NoticeFact:
    id: int
    level: str
    status: str
    task_id: int


def open_notices(session: Session, actor, plan: Plan, f: CockpitFilter) -> list[NoticeFact]:
    """The open notices ``actor`` may see about the tasks in scope (id, level, status, task)."""
    from ylyx_tasks.domain.notices import OPEN_STATUSES
    from ylyx_tasks.models import Notice
    from ylyx_tasks.services.notices import visible_notice_filter

    stmt = (sa.select(Notice.id, Notice.level, Notice.status, Notice.task_id)
            .where(Notice.status.in_([s.value for s in OPEN_STATUSES]),
                   Notice.task_id.in_(sa.select(Task.id).where(scope_condition(plan.id, f)))))
    stmt = visible_notice_filter(actor, stmt, session)
    return [NoticeFact(*row) for row in session.connection().execute(stmt)]


def figures(rows: pd.DataFrame, notices: list[NoticeFact]) -> list:
    """:func:`ylyx_tasks.services.dashboard.figures` from the task rows and the open notices in scope."""
    from ylyx_tasks.domain.notices import NoticeLevel
    from ylyx_tasks.services.dashboard import NOTICES, TASKS, Figure

    def ids(mask) -> list[int]:
        return [int(i) for i in rows.loc[mask, "id"]]

    status, light = rows["状态"], rows["灯号"]
    return [
        Figure("all", "任务总数", TASKS, ids(status == status), "方案第三、四部分的任务条目"),
        Figure("done", "已完成", TASKS, ids(status == Status.DONE.value), "所有时间节点均已审核通过"),
        Figure("in_progress", "推进中", TASKS, ids(status == Status.IN_PROGRESS.value)),
        Figure("pending", "待审核", TASKS, ids(status == Status.PENDING_REVIEW.value), "已申报办结，待专班审核"),
        Figure("not_started", "未启动", TASKS, ids(status == Status.NOT_STARTED.value)),
        Figure("overdue", "逾期", TASKS, ids(rows["逾期天数"] > 0), "有节点已过期限仍未完成"),
        Figure("red", "红灯", TASKS, ids(light == Light.RED.value)),
        Figure("yellow", "黄灯", TASKS, ids(light == Light.YELLOW.value)),
        Figure("green", "绿灯", TASKS, ids(light == Light.GREEN.value)),
        Figure("notices", "未办结督办", NOTICES, [n.id for n in notices if n.level != NoticeLevel.REMINDER],
               "未办结的催报、督办和通报"),
        Figure("circulations", "未办结通报", NOTICES, [n.id for n in notices if n.level == NoticeLevel.CIRCULATE],
               "通报后仍未解决的事项"),
    ]


def overdue_frame(page: OverduePage, notices: list[NoticeFact], today: dt.date) -> pd.DataFrame:
    """:func:`ylyx_tasks.services.dashboard.overdue_list`'s table for one page of overdue milestones."""
    from ylyx_tasks.domain.notices import NoticeLevel

    levels_of: dict[int, list[str]] = {}
    for n in notices:
        if n.level in (NoticeLevel.SUPERVISE, NoticeLevel.CIRCULATE):
            levels_of.setdefault(n.task_id, []).append(n.level)
    rows = []
    for task_id, code, title, key, commitment, lead, due, status in page.rows:
        levels = levels_of.get(task_id, [])
        rows.append({"逾期天数": (today - due).days, "编号": code, "任务": title, "节点": f"{key}年", "承诺": commitment or "完成本条任务",
                     "牵头单位": lead or "", "现期限": due.isoformat(), "状态": status,
                     "未结督办": "、".join(f"{lv}×{levels.count(lv)}" for lv in dict.fromkeys(levels))})
    return pd.DataFrame(rows, columns=["逾期天数", "编号", "任务", "节点", "承诺", "牵头单位", "现期限", "状态",
                                       "未结督办"])
