"""Each user's to-do list (我的待办): notices to answer and reports due (liaisons), claims to review (members and
the office), extension requests and answered notices to settle (the office). Leaders have none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from ylyx_tasks.domain.notices import AWAITING_DEPARTMENT, NoticeLevel, NoticeStatus
from ylyx_tasks.domain.requests import RequestKind, RequestStatus
from ylyx_tasks.domain.roles import Actor, Duty, Role
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import ProgressReport, Responsibility, ReviewRequest, Task, sql_rules
from ylyx_tasks.reads.notices import NoticeBrief
from ylyx_tasks.reads.tasks import TaskView


@dataclass(frozen=True)
class PendingRequest:
    id: int
    kind: str  # 办结 / 延期
    task_id: int
    milestone_id: int
    department_id: int
    requested_on: dt.date
    new_due_date: dt.date | None


def pending_requests(session: Session, tz, plan_id: int | None = None) -> list[PendingRequest]:
    """Completion claims and extension requests awaiting a decision (about ``plan_id``'s tasks), oldest
    first."""
    stmt = select(ReviewRequest).where(ReviewRequest.status == RequestStatus.PENDING.value)
    if plan_id is not None:
        stmt = stmt.where(ReviewRequest.task_id.in_(select(Task.id).where(Task.plan_id == plan_id)))
    rows = session.exec(stmt.order_by(ReviewRequest.id))
    return [PendingRequest(r.id, r.kind, r.task_id, r.milestone_id, r.department_id,
                           r.requested_at.astimezone(tz).date(), r.new_due_date) for r in rows]


@dataclass(frozen=True)
class TodoItem:
    """A thing to do; it opens the notice (``notice_id``) or else the task it is about."""
    what: str
    task_id: int | None
    detail: str
    notice_id: int | None = None


@dataclass(frozen=True)
class DutyCandidates:
    first: list[int]  # task ids, in document order
    total: int
    reported_shares: set[tuple[int, int]]  # (task id, the unit) of its shares reported for the period


def duty_candidates(session: Session, plan_id: int, department_id: int, due_period: str | None, period: str,
                    limit: int) -> DutyCandidates:
    """The unit's duties that put a task on its to-do list — :func:`todo_for`'s rule for them, in SQL, so that a
    unit with thousands of tasks does not load them all: unfinished tasks it leads whose report is late (for
    ``due_period``), and unfinished tasks it is territorially responsible for with no share reported for
    ``period``. The first ``limit`` in document order, how many in all, and the unit's shares for ``period``."""
    shares = select(ProgressReport.task_id).where(ProgressReport.department_id == department_id,
                                                  ProgressReport.period == period,
                                                  ProgressReport.duty != Duty.LEAD.value)
    on_list = or_(and_(Responsibility.duty == Duty.LEAD.value, sql_rules.report_late(due_period)),
                  and_(Responsibility.duty == Duty.TERRITORIAL.value, Task.status != Status.DONE.value,
                       Responsibility.task_id.not_in(shares)))
    base = (select(Task.id).join(Responsibility, Responsibility.task_id == Task.id)
            .where(Task.plan_id == plan_id, Responsibility.department_id == department_id, on_list))
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    first = list(session.exec(base.order_by(Task.position, Task.code).limit(limit)))
    reported = {(t, department_id) for t in session.exec(shares.distinct())}
    return DutyCandidates(first, int(total), reported)


def todo_for(actor: Actor, views: list[TaskView], notices: list[NoticeBrief], requests: list[PendingRequest],
             today: dt.date, reported_shares: set[tuple[int, int]] | None = None,
             duty_ids: set[int] | None = None) -> list[TodoItem]:
    """What waits for this user: notices to answer and reports due (liaisons), claims to review (members and
    the office), extension requests and answered notices to settle (the office). Leaders have none.
    ``duty_ids``: the only tasks whose duties are looked at (those of :func:`duty_candidates`; the other views
    only name the tasks of notices and requests)."""
    by_id = {v.id: v for v in views}
    items: list[TodoItem] = []

    def task_label(task_id: int) -> str:
        v = by_id.get(task_id)
        return f"{v.code} {v.title}" if v else ""

    if actor.role == Role.LIAISON:
        for n in notices:
            if n.department_id == actor.department_id and n.status in AWAITING_DEPARTMENT \
                    and n.level != NoticeLevel.REMINDER:
                due = f"，反馈期限 {n.response_due.month}月{n.response_due.day}日" if n.response_due else ""
                items.append(TodoItem(f"{n.level}待{'报送' if n.level == NoticeLevel.CHASE else '反馈'}",
                                      n.task_id, f"{n.number} {task_label(n.task_id)}{due}", n.id))
        for v in views:
            if duty_ids is not None and v.id not in duty_ids:
                continue
            duty = v.duty_of(actor.department_id)
            if v.status == Status.DONE or duty is None:
                continue
            if duty == Duty.LEAD and v.report_late:
                items.append(TodoItem("进展未按时报送", v.id, task_label(v.id)))
            if duty == Duty.TERRITORIAL and reported_shares is not None \
                    and (v.id, actor.department_id) not in reported_shares:
                items.append(TodoItem("本月属地进展未报送", v.id, task_label(v.id)))
    if actor.role in (Role.MEMBER, Role.OFFICE):
        for r in requests:
            v = by_id.get(r.task_id)
            if r.kind == RequestKind.DONE and v and (actor.role == Role.OFFICE or v.working_group_id == actor.working_group_id):
                items.append(TodoItem("办结申请待审核", r.task_id, f"{task_label(r.task_id)}（{r.requested_on} 申报）"))
    if actor.role == Role.OFFICE:
        for r in requests:
            if r.kind == RequestKind.EXTEND:
                items.append(TodoItem("延期申请待审批", r.task_id,
                                      f"{task_label(r.task_id)}：申请延至 {r.new_due_date}"))
        for n in notices:
            if n.status == NoticeStatus.ANSWERED:
                items.append(TodoItem(f"{n.level}已反馈待办结", n.task_id, f"{n.number} {task_label(n.task_id)}", n.id))
    return items
