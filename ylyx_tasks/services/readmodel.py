"""Lean reads for the cockpit (总览) at scale: its figures and charts as GROUP BY counts, the lists behind them a
page at a time, the overdue milestones with their open notices. (The task page's selector: :mod:`task_selector`.)

A province's plans have ten thousand tasks and a hundred thousand notices. What a page shows is a few dozen
numbers and a few hundred rows, so that is all these queries return: counts by status, light, working group and
lead unit, and the rows of one page. The lights are those of :mod:`ylyx_tasks.domain.lights` computed in SQL
(:func:`light_level`); the full read model
(:func:`~ylyx_tasks.services.overview.load_task_views`) remains the reference, and ``tests/test_readmodel.py``
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

from ylyx_tasks.domain.lights import Light
from ylyx_tasks.domain.notices import OPEN_STATUSES, NoticeLevel
from ylyx_tasks.domain.roles import Actor, Duty
from ylyx_tasks.domain.rules import SupervisionRules
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Department, Milestone, Notice, Plan, Responsibility, Task, WorkingGroup
from ylyx_tasks.services.sql_terms import SEVERITY, days_between, due_period, scope_condition
from ylyx_tasks.services.dashboard import FIGURES, CockpitFilter
from ylyx_tasks.services.notices import visible_notice_filter
from ylyx_tasks.services.tasklist import SUMMARY_COLUMNS

DONE = Status.DONE.value
LEVEL = {light: n for n, light in SEVERITY.items()}  # Light → 0–3
TALLY_COLUMNS = ["工作专班", "牵头单位", "状态", "灯号", "任务数", "逾期节点数", "首项"]


def light_level(session: Session, plan: Plan, today: dt.date, rules: SupervisionRules) -> ColumnElement:
    """A milestone's light as 0–3 (done, green, yellow, red), over ``task LEFT JOIN milestone`` (no milestone =
    green): :func:`~ylyx_tasks.domain.lights.milestone_light` in SQL, with the task's report lateness
    (:func:`~ylyx_tasks.domain.periods.is_report_late`). The cheap comparisons come first: "due within N days"
    is a date comparison, and the elapsed share of the period is computed only for what is left."""
    day = sa.literal(today, sa.Date)
    soon = sa.literal(today + dt.timedelta(days=rules.lights.yellow_within_days), sa.Date)
    reported = sa.case((Task.last_report_period.is_(None), 0), else_=Task.progress)
    elapsed = sa.case((day <= Milestone.start_date, 0.0),
                      else_=100.0 * days_between(session, day, Milestone.start_date)
                      / days_between(session, Milestone.due_date, Milestone.start_date))
    whens = [(Milestone.id.is_(None), 1), (Milestone.status == DONE, 0), (Milestone.due_date < day, 3),
             (Milestone.due_date <= soon, 2)]
    last_due = due_period(plan, today, rules)
    if last_due is not None:  # the lead unit has not reported for the last due period
        whens.append((sa.and_(Task.status != DONE, sa.or_(Task.last_report_period.is_(None),
                                                            Task.last_report_period < last_due)), 2))
    whens.append((elapsed - reported > rules.lights.behind_points, 2))
    return sa.case(*whens, else_=1)


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
    """:func:`ylyx_tasks.services.dashboard.status_by_group` from the tally (groups in the order of their first
    task, every status, zeros included)."""
    counts = tally.groupby(["工作专班", "状态"], sort=False)["任务数"].sum()
    groups = list(dict.fromkeys(tally.sort_values("首项", kind="stable")["工作专班"]))
    return pd.DataFrame([{"工作专班": g, "状态": s.value, "任务数": int(counts.get((g, s.value), 0))}
                         for g in groups for s in Status], columns=["工作专班", "状态", "任务数"])


def overdue_by_lead(tally: pd.DataFrame) -> pd.DataFrame:
    """:func:`ylyx_tasks.services.dashboard.overdue_by_lead` from the tally: overdue milestones per lead unit,
    most first (units with none, and tasks without a lead unit, left out)."""
    late = tally[(tally["逾期节点数"] > 0) & (tally["牵头单位"] != "")]
    counts = late.groupby("牵头单位")["逾期节点数"].sum()
    return pd.DataFrame(sorted(((k, int(n)) for k, n in counts.items()), key=lambda kv: (-kv[1], kv[0])),
                        columns=["牵头单位", "逾期节点数"])


def milestones_by_month(session: Session, plan: Plan, today: dt.date, rules: SupervisionRules, f: CockpitFilter
                        ) -> pd.DataFrame:
    """Milestones in scope counted by the month of their working due date and their light (the time line of a
    plan with too many tasks for one row each): :func:`ylyx_tasks.services.dashboard.milestones_by_month` by
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
    """:func:`ylyx_tasks.services.dashboard.figures`' numbers from the tally and the open notices by level."""
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
    """The cockpit lists' columns (:data:`ylyx_tasks.services.tasklist.SUMMARY_COLUMNS`, as
    :func:`~ylyx_tasks.services.tasklist.summary_frame` has them) of a few tasks, in document order."""
    if not ids:
        return pd.DataFrame([], columns=SUMMARY_COLUMNS)
    day = sa.literal(today, sa.Date)
    open_m = sa.and_(Milestone.id.is_not(None), Milestone.status != DONE)
    late_m = sa.and_(open_m, Milestone.due_date < day)
    stmt = (sa.select(Task.code, Task.title, Task.status,
                      sa.func.max(light_level(session, plan, today, rules)), Task.progress,
                      sa.func.min(sa.case((open_m, Milestone.due_date))),
                      sa.func.max(sa.case((late_m, days_between(session, day, Milestone.due_date)), else_=0)),
                      lead_name(Task.id), WorkingGroup.name)
            .join(WorkingGroup, WorkingGroup.id == Task.working_group_id)
            .outerjoin(Milestone, Milestone.task_id == Task.id)
            .where(Task.plan_id == plan.id, Task.id.in_(ids))
            .group_by(Task.id, Task.code, Task.title, Task.status, Task.progress, WorkingGroup.name, Task.position)
            .order_by(Task.position, Task.code))
    rows = []
    for code, title, status, severity, progress, next_due, overdue, lead, group in session.connection().execute(stmt):
        if isinstance(next_due, str):  # SQLite returns MIN() over a CASE as text
            next_due = dt.date.fromisoformat(next_due)
        rows.append((code, title, status, SEVERITY[int(severity)].value, progress,
                     next_due.isoformat() if next_due else "", int(overdue or 0), lead or "", group))
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


# --- the overdue milestones and the notices ------------------------------------------------------------------


def overdue_milestones(session: Session, plan: Plan, today: dt.date, f: CockpitFilter, *, limit: int
                       ) -> list[tuple]:
    """The first ``limit`` overdue milestones in scope, longest overdue first (then by code and milestone), as
    (task_id, code, title, key, commitment, lead, due_date, status). (How many there are in all is the tally's
    sum of ``逾期节点数``.)"""
    day = sa.literal(today, sa.Date)
    page = (sa.select(Milestone.task_id, Task.code, Milestone.key, Milestone.commitment, Milestone.due_date,
                      Milestone.status)
            .join(Task, Task.id == Milestone.task_id)
            .where(Milestone.status != DONE, Milestone.due_date < day, scope_condition(plan.id, f))
            .order_by(Milestone.due_date, Task.code, Milestone.key).limit(limit).subquery("page"))
    # the title and the lead unit for the page's rows only
    return [tuple(r) for r in session.connection().execute(
        sa.select(Task.id, page.c.code, Task.title, page.c.key, page.c.commitment, lead_name(Task.id),
                  page.c.due_date, page.c.status)
        .join(Task, Task.id == page.c.task_id).order_by(page.c.due_date, page.c.code, page.c.key))]


def _open_notices(actor: Actor, plan: Plan, f: CockpitFilter, stmt, session: Session):
    # EXISTS, not IN: read from the open notices (an index), each one's task checked; an IN over every task of
    # the plan can tempt a planner into reading the notices task by task
    in_scope = sa.exists().where(Task.id == Notice.task_id, scope_condition(plan.id, f))
    stmt = stmt.where(Notice.status.in_([s.value for s in OPEN_STATUSES]), in_scope)
    return visible_notice_filter(actor, stmt, session)


def open_notice_levels(session: Session, actor: Actor, plan: Plan, f: CockpitFilter) -> dict[str, int]:
    """How many open notices about the tasks in scope ``actor`` may see, by level."""
    stmt = _open_notices(actor, plan, f, sa.select(Notice.level, sa.func.count()).group_by(Notice.level), session)
    return {level: int(n) for level, n in session.connection().execute(stmt)}


def open_notice_levels_of(session: Session, actor: Actor, task_ids: list[int]) -> dict[int, list[str]]:
    """task id → the levels of its open 督办 and 通报 that ``actor`` may see, newest first (the overdue list)."""
    if not task_ids:
        return {}
    stmt = (sa.select(Notice.task_id, Notice.level)
            .where(Notice.status.in_([s.value for s in OPEN_STATUSES]), Notice.task_id.in_(task_ids),
                   Notice.level.in_([NoticeLevel.SUPERVISE.value, NoticeLevel.CIRCULATE.value]))
            .order_by(Notice.created_on.desc(), Notice.id.desc()))
    out: dict[int, list[str]] = {}
    for task_id, level in session.connection().execute(visible_notice_filter(actor, stmt, session)):
        out.setdefault(task_id, []).append(level)
    return out


def overdue_frame(page: list[tuple], levels_of: dict[int, list[str]], today: dt.date) -> pd.DataFrame:
    """:func:`ylyx_tasks.services.dashboard.overdue_list`'s table for one page of overdue milestones."""
    rows = []
    for task_id, code, title, key, commitment, lead, due, status in page:
        levels = levels_of.get(task_id, [])
        rows.append({"逾期天数": (today - due).days, "编号": code, "任务": title, "节点": f"{key}年",
                     "承诺": commitment or "完成本条任务", "牵头单位": lead or "", "现期限": due.isoformat(), "状态": status,
                     "未结督办": "、".join(f"{lv}×{levels.count(lv)}" for lv in dict.fromkeys(levels))})
    return pd.DataFrame(rows, columns=["逾期天数", "编号", "任务", "节点", "承诺", "牵头单位", "现期限", "状态",
                                       "未结督办"])


# the notice levels each notice figure counts
NOTICE_LEVELS = {"notices": [lv.value for lv in NoticeLevel if lv != NoticeLevel.REMINDER],
                 "circulations": [NoticeLevel.CIRCULATE.value]}


def scope_tasks(plan: Plan, f: CockpitFilter):
    """The ids of the tasks in scope, as a subquery (to narrow notices by)."""
    return sa.select(Task.id).where(scope_condition(plan.id, f))
