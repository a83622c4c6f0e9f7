"""Acting on notices: the addressed department acknowledges (签收) and answers (反馈); the office closes,
re-opens and escalates (通报). Also the notice lists the pages and the CLI show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.domain.notices import (AWAITING_DEPARTMENT, OPEN_STATUSES, NoticeAction, NoticeLevel,
                                       next_notice_status)
from ylyx_tasks.domain.roles import Actor, Permission, PermissionDenied, Role, require
from ylyx_tasks.models import Department, Milestone, Notice, Task
from ylyx_tasks.services import audit
from ylyx_tasks.services.errors import NotFound, WorkflowError
from ylyx_tasks.services.task_edit import task_scope


class StaleNotice(WorkflowError):
    def __init__(self, number: str | None) -> None:
        super().__init__(f"通知 {number or ''} 刚被其他人处理过，你的操作没有保存。请查看最新状态。")


def get_notice(session: Session, notice_id: int) -> Notice:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NotFound(f"没有编号为 {notice_id} 的通知")
    return notice


def _fresh(notice: Notice, expected_version: int | None) -> None:
    """Tell a caller whose view is out of date that the notice changed, before judging their action against it."""
    if expected_version is not None and notice.version != expected_version:
        raise StaleNotice(notice.number)


def _bump(session: Session, notice: Notice, expected_version: int | None) -> None:
    """Conditional version bump: the second of two concurrent actions on a notice is refused."""
    stmt = update(Notice).where(Notice.id == notice.id).values(version=Notice.version + 1)
    if expected_version is not None:
        stmt = stmt.where(Notice.version == expected_version)
    if session.exec(stmt).rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise StaleNotice(notice.number)
    session.refresh(notice)


def _require_addressee(session: Session, actor: Actor, notice: Notice) -> None:
    """签收 and 反馈 are for the addressed department (or the office on its behalf)."""
    task = session.get(Task, notice.task_id)
    require(actor, Permission.ANSWER_NOTICE, task_scope(session, task))
    if actor.role == Role.LIAISON and actor.department_id != notice.department_id:
        raise PermissionDenied("只有主送单位可以签收和反馈此通知")


def _transition(session: Session, actor: Actor, notice: Notice, action: NoticeAction, note: str = "") -> None:
    new = next_notice_status(notice.level, notice.status, action)
    audit.record(session, actor, f"{notice.level}{action.value}", "notice", notice.id, task_id=notice.task_id,
                 before={"status": notice.status}, after={"status": new.value}, note=note)
    notice.status = new.value
    session.add(notice)


def acknowledge(session: Session, actor: Actor, *, notice_id: int, expected_version: int | None = None) -> Notice:
    notice = get_notice(session, notice_id)
    _require_addressee(session, actor, notice)
    _fresh(notice, expected_version)
    next_notice_status(notice.level, notice.status, NoticeAction.ACKNOWLEDGE)
    _bump(session, notice, expected_version)
    _transition(session, actor, notice, NoticeAction.ACKNOWLEDGE)
    notice.acknowledged_at, notice.acknowledged_by = clock.utcnow(), actor.user_id
    return notice


def answer(session: Session, actor: Actor, *, notice_id: int, situation: str, reason: str = "",
           new_date: dt.date | None = None, today: dt.date, expected_version: int | None = None) -> Notice:
    """反馈: the situation, the reason for the delay and a new completion date (both required while the
    milestone is unfinished)."""
    notice = get_notice(session, notice_id)
    _require_addressee(session, actor, notice)
    _fresh(notice, expected_version)
    situation = (situation or "").strip()
    reason = (reason or "").strip()
    if not situation:
        raise WorkflowError("请填写办理情况")
    milestone = session.get(Milestone, notice.milestone_id) if notice.milestone_id else None
    if milestone is not None and milestone.status != "已完成":
        if not reason:
            raise WorkflowError("节点尚未完成：请说明未完成的原因")
        if new_date is None:
            raise WorkflowError("节点尚未完成：请填写预计完成日期")
    if new_date is not None and new_date < today:
        raise WorkflowError("预计完成日期不能早于今天")
    if len(situation) > 5000 or len(reason) > 5000:
        raise WorkflowError("反馈内容不能超过 5000 字")
    next_notice_status(notice.level, notice.status, NoticeAction.ANSWER)
    _bump(session, notice, expected_version)
    _transition(session, actor, notice, NoticeAction.ANSWER, note=situation[:200])
    now = clock.utcnow()
    if notice.acknowledged_at is None:
        notice.acknowledged_at, notice.acknowledged_by = now, actor.user_id
    notice.answered_at, notice.answered_by = now, actor.user_id
    notice.answer_situation, notice.answer_reason, notice.answer_new_date = situation, reason, new_date
    return notice


def close(session: Session, actor: Actor, *, notice_id: int, note: str, expected_version: int | None = None
          ) -> Notice:
    """办结 (office): the answer satisfies the office, or the matter is settled."""
    require(actor, Permission.MANAGE_NOTICE)
    notice = get_notice(session, notice_id)
    _fresh(notice, expected_version)
    note = (note or "").strip()
    if not note:
        raise WorkflowError("请填写办结意见")
    next_notice_status(notice.level, notice.status, NoticeAction.CLOSE)
    _bump(session, notice, expected_version)
    _transition(session, actor, notice, NoticeAction.CLOSE, note=note)
    notice.closed_at, notice.closed_by, notice.close_note = clock.utcnow(), actor.user_id, note
    return notice


def reopen(session: Session, actor: Actor, *, notice_id: int, note: str, expected_version: int | None = None
           ) -> Notice:
    """重新打开 (office): the answer is not good enough, or a notice was closed too early."""
    require(actor, Permission.MANAGE_NOTICE)
    notice = get_notice(session, notice_id)
    _fresh(notice, expected_version)
    note = (note or "").strip()
    if not note:
        raise WorkflowError("请说明重新打开的理由")
    next_notice_status(notice.level, notice.status, NoticeAction.REOPEN)
    _bump(session, notice, expected_version)
    _transition(session, actor, notice, NoticeAction.REOPEN, note=note)
    notice.closed_at = None
    notice.closed_by = None
    return notice


def escalate(session: Session, actor: Actor, *, notice_id: int, note: str, today: dt.date) -> Notice:
    """通报 by decision of the office, for a 督办 (or a 通报, to repeat it)."""
    require(actor, Permission.MANAGE_NOTICE)
    from ylyx_tasks.services.scan import create_notices, NewNotice

    notice = get_notice(session, notice_id)
    if notice.level not in (NoticeLevel.SUPERVISE, NoticeLevel.CIRCULATE):
        raise WorkflowError("只有督办或通报可以升级通报")
    note = (note or "").strip()
    if not note:
        raise WorkflowError("请填写通报事由")
    parent_id = notice.parent_id if notice.level == NoticeLevel.CIRCULATE and notice.parent_id else notice.id
    # the office's own 通报 of this 督办 are numbered 1, 2, 3… (a second click on the same form makes the same key)
    manual = f"通报:手动:n{parent_id}:"
    count = len(session.exec(select(Notice.id).where(Notice.parent_id == parent_id,
                                                      Notice.level == NoticeLevel.CIRCULATE.value,
                                                      Notice.dedup_key.startswith(manual, autoescape=True))).all())
    new = NewNotice(dedup_key=f"{manual}{count + 1}", level=NoticeLevel.CIRCULATE,
                    task_id=notice.task_id, milestone_id=notice.milestone_id, department_id=notice.department_id,
                    parent_id=parent_id, milestone_due=notice.milestone_due, reason=note)
    created = create_notices(session, [new], today=today, actor=actor)
    if not created:
        raise WorkflowError("刚刚已有相同的通报")
    return created[0]


# --- reading ------------------------------------------------------------------------------------------------


@dataclass
class NoticeRow:
    notice: Notice
    task_code: str
    task_title: str
    department: str
    milestone_commitment: str

    @property
    def is_open(self) -> bool:
        return self.notice.status in OPEN_STATUSES

    def age_days(self, today: dt.date) -> int:
        return (today - self.notice.created_on).days

    def overdue_answer(self, today: dt.date) -> bool:
        n = self.notice
        return n.response_due is not None and n.status in AWAITING_DEPARTMENT and today > n.response_due


def visible_notice_filter(actor: Actor, stmt, session: Session):
    """Leaders and the office see every notice; a working-group member the notices on its group's tasks; a
    liaison the notices addressed or copied to its department (its tasks)."""
    from ylyx_tasks.models import Responsibility

    if actor.role in (Role.LEADER, Role.OFFICE):
        return stmt
    if actor.role == Role.MEMBER:
        return stmt.where(Notice.task_id.in_(select(Task.id).where(Task.working_group_id == actor.working_group_id)))
    task_ids = select(Responsibility.task_id).where(Responsibility.department_id == actor.department_id)
    return stmt.where(Notice.task_id.in_(task_ids))


def list_notices(session: Session, actor: Actor, *, open_only: bool = False, level: str | None = None,
                 department_id: int | None = None, task_id: int | None = None, limit: int | None = None
                 ) -> list[NoticeRow]:
    """Notices newest first, as ``actor`` may see them."""
    stmt = (select(Notice, Task.code, Task.title, Department.name, Milestone.commitment)
            .join(Task, Notice.task_id == Task.id).join(Department, Notice.department_id == Department.id)
            .outerjoin(Milestone, Notice.milestone_id == Milestone.id))
    stmt = visible_notice_filter(actor, stmt, session)
    if open_only:
        stmt = stmt.where(Notice.status.in_([s.value for s in OPEN_STATUSES]))
    if level:
        stmt = stmt.where(Notice.level == level)
    if department_id is not None:
        stmt = stmt.where(Notice.department_id == department_id)
    if task_id is not None:
        stmt = stmt.where(Notice.task_id == task_id)
    stmt = stmt.order_by(Notice.created_on.desc(), Notice.id.desc())
    if limit:
        stmt = stmt.limit(limit)
    return [NoticeRow(n, code, title, dept, commitment or "") for n, code, title, dept, commitment in session.exec(stmt)]
