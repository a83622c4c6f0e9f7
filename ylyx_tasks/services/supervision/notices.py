"""Acting on notices: the addressed department acknowledges (签收) and answers (反馈); the office closes, sends
an answer back (退回重新反馈) and re-opens a closed notice. No 通报 is made from a notice: matters behind schedule
are listed in the periodic bulletin (:mod:`ylyx_tasks.services.supervision.bulletins`). (Reading them:
:mod:`ylyx_tasks.reads.notices`.)"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlmodel import Session

from ylyx_tasks import clock
from ylyx_tasks.domain.security.inputs import clean_text
from ylyx_tasks.domain.notices import NoticeAction, may_answer, next_notice_status
from ylyx_tasks.domain.roles import Actor, Permission, PermissionDenied, require
from ylyx_tasks.errors import NotFound, StaleNotice, WorkflowError
from ylyx_tasks.models import Milestone, Notice, Task
from ylyx_tasks.reads.tasks import task_scope
from ylyx_tasks.services import audit


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


def send_back(session: Session, actor: Actor, *, notice_id: int, note: str, expected_version: int | None = None
              ) -> Notice:
    """退回重新反馈 (office): the answer is not good enough; the department answers again."""
    return _reopen(session, actor, notice_id, note, NoticeAction.RETURN, "请说明退回的理由", expected_version)


def reopen(session: Session, actor: Actor, *, notice_id: int, note: str, expected_version: int | None = None
           ) -> Notice:
    """重新打开 (office): a notice was closed too early."""
    return _reopen(session, actor, notice_id, note, NoticeAction.REOPEN, "请说明重新打开的理由", expected_version)


def _reopen(session: Session, actor: Actor, notice_id: int, note: str, action: NoticeAction, missing: str,
            expected_version: int | None) -> Notice:
    require(actor, Permission.MANAGE_NOTICE)
    notice = get_notice(session, notice_id)
    _fresh(notice, expected_version)
    note = clean_text(note or "").strip()
    if not note:
        raise WorkflowError(missing)
    next_notice_status(notice.level, notice.status, action)
    _bump(session, notice, expected_version)
    _transition(session, actor, notice, action, note=note)
    notice.closed_at = None
    notice.closed_by = None
    return notice


