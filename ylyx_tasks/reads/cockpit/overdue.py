"""The cockpit's overdue list and its notice figures: the overdue milestones in scope a page at a time, with the
open notices about their tasks that the reader may see."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from ylyx_tasks.domain.notices import OPEN_STATUSES, NoticeLevel
from ylyx_tasks.domain.plans import milestone_label
from ylyx_tasks.domain.roles import Actor
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Milestone, Notice, Plan, Task
from ylyx_tasks.reads.cockpit.figures import CockpitFilter, lead_name, scope_condition
from ylyx_tasks.reads.notices import visible_notice_filter

DONE = Status.DONE.value


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
    """:func:`ylyx_tasks.reads.dashboard.overdue_list`'s table for one page of overdue milestones."""
    rows = []
    for task_id, code, title, key, commitment, lead, due, status in page:
        levels = levels_of.get(task_id, [])
        rows.append({"逾期天数": (today - due).days, "编号": code, "任务": title, "节点": milestone_label(key).removesuffix("节点"),
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
