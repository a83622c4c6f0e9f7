"""Acting on notices: the addressed department acknowledges (签收) and answers (反馈); the office closes,
re-opens and escalates (通报). (Reading them: :mod:`ylyx_tasks.reads.notices`.)"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlmodel import Session, col, select

from ylyx_tasks import clock
from ylyx_tasks.domain.inputs import clean_text
from ylyx_tasks.domain.notices import NoticeAction, NoticeLevel, may_answer, may_escalate, next_notice_status
from ylyx_tasks.domain.roles import Actor, Permission, PermissionDenied, require
from ylyx_tasks.errors import NotFound, StaleNotice, WorkflowError
from ylyx_tasks.models import Milestone, Notice, Task
from ylyx_tasks.reads.tasks import task_scope
from ylyx_tasks.services import audit
from ylyx_tasks.services.supervision.issue import NewNotice, create_notices


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
    if not may_answer(actor, notice.department_id):
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
    situation = clean_text(situation or "").strip()  # the input gate first: "\x00" alone is empty
    reason = clean_text(reason or "").strip()
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
    note = clean_text(note or "").strip()
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
    note = clean_text(note or "").strip()
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
    notice = get_notice(session, notice_id)
    if not may_escalate(notice.level, notice.status):
        raise WorkflowError("只有未办结的督办或通报可以升级通报")
    note = clean_text(note or "").strip()
    if not note:
        raise WorkflowError("请填写通报事由")
    parent_id = notice.parent_id if notice.level == NoticeLevel.CIRCULATE and notice.parent_id else notice.id
    # the office's own 通报 of this 督办 are numbered 1, 2, 3… (a second click on the same form makes the same key)
    manual = f"通报:手动:n{parent_id}:"
    count = len(session.exec(select(Notice.id).where(Notice.parent_id == parent_id,
                                                      Notice.level == NoticeLevel.CIRCULATE.value,
                                                      col(Notice.dedup_key).startswith(manual, autoescape=True))).all())
    new = NewNotice(dedup_key=f"{manual}{count + 1}", level=NoticeLevel.CIRCULATE,
                    task_id=notice.task_id, milestone_id=notice.milestone_id, department_id=notice.department_id,
                    parent_id=parent_id, milestone_due=notice.milestone_due, reason=note)
    created = create_notices(session, [new], today=today, actor=actor)
    if not created:
        raise WorkflowError("刚刚已有相同的通报")
    return created[0]




