"""The supervision desk (督办台): notices as plain rows for pages and caches, their age, and what a user may do
with each one.

The rows follow :func:`visible_notice_filter`, so each role sees exactly the notices
that the notice services let it see. Whether an action is offered follows the same rules the notice services enforce (they
check again when the action is taken).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import or_
from sqlmodel import Session, select

from ylyx_tasks.domain.notices import AWAITING_DEPARTMENT, OPEN_STATUSES, NoticeLevel, notice_actions
from ylyx_tasks.domain.roles import Actor, Duty, Role
from ylyx_tasks.models import Department, Milestone, Notice, Responsibility, Task

AGE_BUCKETS = ("7 天内", "8–30 天", "31–90 天", "90 天以上")
LEVEL_ORDER = [lv.value for lv in NoticeLevel]


def visible_notice_filter(actor: Actor, stmt, session: Session, *, department_id: int | None = None):
    """Leaders and the office see every notice; a working-group member the notices on its group's tasks; a
    liaison the notices addressed to its unit or copied to it (the tasks it supports). ``department_id``: the
    statement already keeps only the notices addressed to that unit — to a liaison of that unit, all visible
    (and the statement is left as it is, so that the database may go by the unit's own index)."""
    if actor.role in (Role.LEADER, Role.OFFICE):
        return stmt
    if actor.role == Role.LIAISON and department_id is not None and department_id == actor.department_id:
        return stmt
    if actor.role == Role.MEMBER:
        return stmt.where(Notice.task_id.in_(select(Task.id).where(Task.working_group_id == actor.working_group_id)))
    # a liaison: the notices addressed to its unit, and those on tasks it supports (it is copied on them); a
    # county's territorial duty on a task does not open other units' notices about it
    supported = select(Responsibility.task_id).where(Responsibility.department_id == actor.department_id,
                                                     Responsibility.duty == Duty.SUPPORT.value)
    return stmt.where(or_(Notice.department_id == actor.department_id, Notice.task_id.in_(supported)))


@dataclass(frozen=True)
class NoticeBrief:
    id: int
    number: str
    level: str
    status: str
    task_id: int
    task_code: str
    task_title: str
    department_id: int
    department: str
    milestone_commitment: str
    milestone_due: dt.date | None
    created_on: dt.date
    response_due: dt.date | None
    reason: str
    answer_situation: str
    answer_reason: str
    answer_new_date: dt.date | None
    answered: bool
    close_note: str
    version: int
    milestone_id: int | None = None
    period: str | None = None  # 催报: the missing report's period
    parent_id: int | None = None  # 通报: its 督办
    plan_id: int | None = None  # the task's plan
    calendar_fallback: bool = False  # its answer deadline was counted on the fallback calendar (Mon–Fri)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def counts_as_open_notice(self) -> bool:
        """The figure "未办结通知" everywhere (cockpit, 督办 page, digests): an open 催报, 督办 or 通报 — a 提醒
        is a courtesy, not a matter to settle (cockpit.overdue.NOTICE_LEVELS["notices"] is its SQL form)."""
        return self.is_open and self.level != NoticeLevel.REMINDER

    def age_days(self, today: dt.date) -> int:
        return (today - self.created_on).days

    def answer_overdue(self, today: dt.date) -> bool:
        return self.response_due is not None and self.status in AWAITING_DEPARTMENT and today > self.response_due

    @property
    def label(self) -> str:
        return f"{self.number or '（未编号）'} · {self.level} · {self.task_code} {self.task_title} · {self.department}"


_BRIEF_COLUMNS = (Notice.id, Notice.number, Notice.level, Notice.status, Notice.task_id, Task.code, Task.title,
                  Notice.department_id, Department.name, Milestone.commitment, Notice.milestone_due, Notice.created_on,
                  Notice.response_due, Notice.reason, Notice.answer_situation, Notice.answer_reason,
                  Notice.answer_new_date, Notice.answered_at, Notice.close_note, Notice.version,
                  Notice.milestone_id, Notice.period, Notice.parent_id, Task.plan_id, Notice.calendar_fallback)


def notice_briefs(session: Session, actor: Actor, *, open_only: bool = False, task_id: int | None = None,
                  ids: list[int] | None = None, statuses: list[str] | None = None,
                  department_id: int | None = None, levels: list[str] | None = None, tasks=None,
                  plan_id: int | None = None, limit: int | None = None) -> list[NoticeBrief]:
    """The notices ``actor`` may see (the rule of :func:`visible_notice_filter`),
    newest first, as plain values (safe to cache and to pickle). Columns, not ORM entities: a province has tens of
    thousands of open notices. ``tasks``: a select of task ids the notices must be about (a cockpit's scope)."""
    stmt = (sa.select(*_BRIEF_COLUMNS).join(Task, Notice.task_id == Task.id)
            .join(Department, Notice.department_id == Department.id)
            .outerjoin(Milestone, Notice.milestone_id == Milestone.id))
    stmt = visible_notice_filter(actor, stmt, session, department_id=department_id)
    if open_only:
        stmt = stmt.where(Notice.status.in_([s.value for s in OPEN_STATUSES]))
    if task_id is not None:
        stmt = stmt.where(Notice.task_id == task_id)
    if ids is not None:
        stmt = stmt.where(Notice.id.in_(ids))
    if statuses is not None:
        stmt = stmt.where(Notice.status.in_(statuses))
    if department_id is not None:
        stmt = stmt.where(Notice.department_id == department_id)
    if levels is not None:
        stmt = stmt.where(Notice.level.in_(levels))
    if tasks is not None:
        stmt = stmt.where(Notice.task_id.in_(tasks))
    if plan_id is not None:
        stmt = stmt.where(Task.plan_id == plan_id)
    stmt = stmt.order_by(Notice.created_on.desc(), Notice.id.desc()).limit(limit)
    return [NoticeBrief(
        id=i, number=number or "", level=level, status=status, task_id=t_id, task_code=code, task_title=title,
        department_id=d_id, department=d_name, milestone_commitment=commitment or "", milestone_due=m_due,
        created_on=created, response_due=r_due, reason=reason, answer_situation=situation, answer_reason=a_reason,
        answer_new_date=new_date, answered=answered_at is not None, close_note=close_note, version=version,
        milestone_id=m_id, period=period, parent_id=parent_id, plan_id=plan_id, calendar_fallback=bool(fallback))
        for (i, number, level, status, t_id, code, title, d_id, d_name, commitment, m_due, created, r_due, reason,
             situation, a_reason, new_date, answered_at, close_note, version, m_id, period, parent_id, plan_id,
             fallback)
        in session.connection().execute(stmt)]


def count_notices(session: Session, actor: Actor, *, statuses: list[str], department_id: int | None = None,
                  plan_id: int | None = None) -> int:
    """How many notices :func:`notice_briefs` would list with these conditions."""
    stmt = visible_notice_filter(actor, sa.select(sa.func.count()).select_from(Notice)
                                 .where(Notice.status.in_(statuses)), session, department_id=department_id)
    if department_id is not None:
        stmt = stmt.where(Notice.department_id == department_id)
    if plan_id is not None:  # correlated, so that the database goes by the unit's own index, not by the plan's tasks
        stmt = stmt.where(sa.exists().where(Task.id == Notice.task_id, Task.plan_id == plan_id))
    return session.connection().execute(stmt).scalar_one()


def age_bucket(days: int) -> str:
    if days <= 7:
        return AGE_BUCKETS[0]
    if days <= 30:
        return AGE_BUCKETS[1]
    if days <= 90:
        return AGE_BUCKETS[2]
    return AGE_BUCKETS[3]


def open_by_level_and_age(briefs: list[NoticeBrief], today: dt.date) -> pd.DataFrame:
    """Open notices counted by level (rows) and age (columns), with totals: the desk's summary table."""
    tally = Tally((b.level, age_bucket(b.age_days(today))) for b in briefs if b.is_open)
    rows = []
    for level in LEVEL_ORDER:
        row = {"级别": level, **{bucket: tally[(level, bucket)] for bucket in AGE_BUCKETS}}
        row["合计"] = sum(row[b] for b in AGE_BUCKETS)
        rows.append(row)
    return pd.DataFrame(rows, columns=["级别", *AGE_BUCKETS, "合计"])


def notices_frame(briefs: list[NoticeBrief], today: dt.date) -> pd.DataFrame:
    rows = [{
        "编号": b.number, "级别": b.level, "任务": f"{b.task_code} {b.task_title}", "主送单位": b.department,
        "节点期限": b.milestone_due.isoformat() if b.milestone_due else "", "发出日期": b.created_on.isoformat(),
        "已发出(天)": b.age_days(today), "反馈期限": (b.response_due.isoformat() + ("*" if b.calendar_fallback else "")) if b.response_due else "",
        "状态": b.status, "逾期未反馈": "是" if b.answer_overdue(today) else "", "事由": b.reason,
    } for b in briefs]
    # what the office scans first on the left (the matter, who, why, where it stands), the dates after
    return pd.DataFrame(rows, columns=["编号", "级别", "任务", "主送单位", "事由", "状态", "反馈期限", "逾期未反馈",
                                       "节点期限", "发出日期", "已发出(天)"])


def actions_for(actor: Actor, b: NoticeBrief) -> list[str]:
    """What ``actor`` may do with the notice now (:func:`ylyx_tasks.domain.notices.notice_actions`)."""
    return notice_actions(actor, level=b.level, status=b.status, addressee_id=b.department_id)
