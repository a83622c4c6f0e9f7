"""延期: the lead department applies before the due date with a reason and a new date; the office approves or
refuses. An approved extension moves the working due date; the original date stays on record."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from ylyx_tasks import clock
from ylyx_tasks.domain.notices import NoticeLevel
from ylyx_tasks.domain.requests import RequestKind, RequestStatus
from ylyx_tasks.domain.roles import Actor, Permission, require
from ylyx_tasks.domain.status import extension_refusal
from ylyx_tasks.errors import NotFound, WorkflowError
from ylyx_tasks.models import ReviewRequest
from ylyx_tasks.reads.tasks import task_scope
from ylyx_tasks.services import audit
from ylyx_tasks.services.supervision.settle import close_settled_notices
from ylyx_tasks.services.tasks.edit import (
    check_fresh,
    claim_version,
    clean_text,
    department_for,
    get_milestone,
    pending_request,
)


def apply_extension(session: Session, actor: Actor, *, milestone_id: int, new_date: dt.date, reason: str,
                    today: dt.date, expected_version: int | None = None) -> ReviewRequest:
    """申请延期: the lead department asks, before the due date, to move it to ``new_date``."""
    milestone, task = get_milestone(session, milestone_id)
    scope = task_scope(session, task)
    require(actor, Permission.APPLY_EXTENSION, scope)
    check_fresh(task, expected_version)
    reason = clean_text(reason, "延期理由")
    refusal = extension_refusal(milestone.status, milestone.due_date, today,
                                pending=pending_request(session, milestone, RequestKind.EXTEND) is not None)
    if refusal:
        raise WorkflowError(refusal)
    if new_date <= milestone.due_date:
        raise WorkflowError("新的期限须晚于现期限")
    claim_version(session, task, expected_version)
    request = ReviewRequest(kind=RequestKind.EXTEND, task_id=task.id, milestone_id=milestone.id,
                            department_id=department_for(actor, scope, None), text=reason, new_due_date=new_date,
                            requested_by=actor.user_id, requested_at=clock.utcnow())
    session.add(request)
    session.flush()
    audit.record(session, actor, "申请延期", "request", request.id, task_id=task.id,
                 before={"due_date": milestone.due_date}, after={"new_due_date": new_date}, note=reason[:200])
    return request


def decide_extension(session: Session, actor: Actor, *, request_id: int, approve: bool, today: dt.date,
                     note: str = "", expected_version: int | None = None) -> ReviewRequest:
    """审批延期 (office): an approved extension moves the working due date; the original date stays on record."""
    request = session.get(ReviewRequest, request_id)
    if request is None or request.kind != RequestKind.EXTEND:
        raise NotFound(f"没有编号为 {request_id} 的延期申请")
    milestone, task = get_milestone(session, request.milestone_id)
    require(actor, Permission.DECIDE_EXTENSION, task_scope(session, task))
    check_fresh(task, expected_version)
    if request.status != RequestStatus.PENDING:
        raise WorkflowError(f"该申请已{request.status}")
    note = clean_text(note, "审批意见", required=not approve)
    claim_version(session, task, expected_version)
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    request.decided_by, request.decided_at, request.decision_note = actor.user_id, clock.utcnow(), note
    session.add(request)
    if approve:
        before = milestone.due_date
        milestone.due_date = request.new_due_date  # type: ignore[assignment]
        milestone.updated_at = clock.utcnow()
        session.add(milestone)
        audit.record(session, actor, "批准延期", "milestone", milestone.id, task_id=task.id,
                     before={"due_date": before}, after={"due_date": milestone.due_date,
                                                         "original_due": milestone.original_due}, note=note)
        # notices about the old date are settled by the new one
        close_settled_notices(session, note="延期已批准", milestone_id=milestone.id,
                       levels=(NoticeLevel.REMINDER, NoticeLevel.SUPERVISE, NoticeLevel.CIRCULATE))
    else:
        audit.record(session, actor, "不批准延期", "request", request.id, task_id=task.id, note=note)
    task.updated_at = clock.utcnow()
    session.add(task)
    return request
