"""The workflow of a task (业务流程): progress reports, completion claims and their review; extensions are in
:mod:`~ylyx_tasks.services.tasks.extensions` (used through this module).

Every function checks the actor's permission on the task, checks the task's version when the caller read one
(optimistic locking: the second of two concurrent edits is refused, never silently applied), writes the change and
its audit record in the caller's transaction, and returns what it created.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.domain import periods
from ylyx_tasks.domain.notices import NoticeLevel
from ylyx_tasks.domain.requests import RequestKind, RequestStatus
from ylyx_tasks.domain.roles import Actor, Duty, Permission, require
from ylyx_tasks.domain.status import Action, Status, next_status
from ylyx_tasks.errors import WorkflowError
from ylyx_tasks.models import Milestone, ProgressReport, ReviewRequest, Task
from ylyx_tasks.reads.tasks import task_scope
from ylyx_tasks.services import audit
from ylyx_tasks.services.supervision.settle import close_settled_notices
from ylyx_tasks.services.tasks.edit import (
    MAX_TEXT,
    Upload,
    check_fresh,
    claim_version,
    clean_text,
    department_for,
    get_milestone,
    get_task,
    max_upload_bytes,
    pending_request,
    refresh_task_status,
    save_files,
)
from ylyx_tasks.services.tasks.evidence import flag_claim
from ylyx_tasks.services.tasks.extensions import apply_extension, decide_extension

# the task's whole workflow from one module: extensions live in their own, used through this one
__all__ = ["MAX_TEXT", "ReviewRequest", "Upload", "accept", "apply_extension", "claim_done", "decide_extension",
           "get_milestone", "get_task", "reject", "reopen", "submit_report", "task_scope"]


# --- progress reports ---------------------------------------------------------------------------------------


def submit_report(session: Session, actor: Actor, *, task_id: int, percent: int, text: str, today: dt.date,
                  evidence: str = "", milestone_id: int | None = None, department_id: int | None = None,
                  expected_version: int | None = None, files: list[Upload] | None = None,
                  is_demo: bool = False) -> ProgressReport:
    """进展报送 for the current month. The lead department's report sets the task's progress and starts its
    milestone; a supporting or county unit reports its own share, which the task page and the county matrix show."""
    task = get_task(session, task_id)
    scope = task_scope(session, task)
    require(actor, Permission.REPORT, scope)
    department = department_for(actor, scope, department_id)
    duty = scope.duty_of(department)
    if duty is None:
        raise WorkflowError("该单位不是此任务的责任单位")
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise WorkflowError("完成进度须为 0–100 的整数")
    text = clean_text(text, "进展情况")
    evidence = clean_text(evidence, "佐证材料说明", required=False, limit=2000)
    milestone = None
    if milestone_id is not None:
        milestone, owner = get_milestone(session, milestone_id)
        if owner.id != task.id:
            raise WorkflowError("该节点不属于此任务")
    if duty == Duty.LEAD:
        # only the lead's report changes the task (its progress, milestone, status): only it must have seen the
        # task as it is. A supporting or county unit's report is a row of its own: many units report on one task
        # in the same hour on report day, and none of them is told that the task changed meanwhile.
        claim_version(session, task, expected_version)
    period = periods.period_of(today)
    report = ProgressReport(task_id=task.id, milestone_id=milestone_id, department_id=department, duty=duty.value,
                            period=period, reported_on=today, percent=percent, text=text, evidence=evidence,
                            is_demo=is_demo, created_by=actor.user_id, created_at=clock.utcnow())
    session.add(report)
    session.flush()
    save_files(session, actor, "report", report.id, files or [], max_upload_bytes(), task_id=task.id)
    audit.record(session, actor, "报送进展", "report", report.id, task_id=task.id,
                 before={"progress": task.progress} if duty == Duty.LEAD else None,
                 after={"period": period, "percent": percent, "duty": duty.value, "text": text[:200]})
    if duty == Duty.LEAD:
        task.progress = percent
        if task.last_report_period is None or period >= task.last_report_period:
            task.last_report_period = period
            task.last_report_on = today
        target = milestone or _earliest_open_milestone(session, task)
        if target is not None and target.status == Status.NOT_STARTED:
            _move(session, actor, task, target, Action.REPORT)
        close_settled_notices(session, note=f"已报送 {period} 进展", task_id=task.id, levels=(NoticeLevel.CHASE,),
                       up_to_period=period)
        refresh_task_status(session, task, actor)
    session.add(task)
    return report


def _earliest_open_milestone(session: Session, task: Task) -> Milestone | None:
    return session.exec(select(Milestone).where(Milestone.task_id == task.id, Milestone.status != Status.DONE.value)
                        .order_by(Milestone.due_date, Milestone.key)).first()


def _move(session: Session, actor: Actor, task: Task, milestone: Milestone, action: Action, *, note: str = "",
          today: dt.date | None = None) -> None:
    new = next_status(milestone.status, action)
    audit.record(session, actor, action.value, "milestone", milestone.id, task_id=task.id,
                 before={"status": milestone.status}, after={"status": new.value}, note=note)
    milestone.status = new.value
    if new == Status.DONE:
        milestone.completed_on = today
    elif milestone.completed_on is not None:
        milestone.completed_on = None
    milestone.updated_at = clock.utcnow()
    session.add(milestone)


# --- completion: claim, accept, reject, reopen -------------------------------------------------------------


def claim_done(session: Session, actor: Actor, *, milestone_id: int, evidence: str, today: dt.date,
               links: str = "", files: list[Upload] | None = None, expected_version: int | None = None
               ) -> ReviewRequest:
    """申报办结: the lead department says the milestone is done and gives its evidence (text, plus links or
    files). The milestone waits for review (待审核)."""
    milestone, task = get_milestone(session, milestone_id)
    scope = task_scope(session, task)
    require(actor, Permission.CLAIM_DONE, scope)
    check_fresh(task, expected_version)
    evidence = clean_text(evidence, "办结情况说明")
    links = clean_text(links, "佐证链接", required=False, limit=2000)
    if not links and not files:
        raise WorkflowError("申报办结须附佐证材料：链接或文件")
    next_status(milestone.status, Action.CLAIM_DONE)  # refuse early, before anything is written
    claim_version(session, task, expected_version)
    department = department_for(actor, scope, None)
    request = ReviewRequest(kind=RequestKind.DONE, task_id=task.id, milestone_id=milestone.id, department_id=department,
                            text=evidence, links=links, requested_by=actor.user_id, requested_at=clock.utcnow())
    session.add(request)
    session.flush()
    save_files(session, actor, "request", request.id, files or [], max_upload_bytes(), task_id=task.id)
    identical = flag_claim(session, request, files or [])  # flagged for the reviewer: 纸面销号
    _move(session, actor, task, milestone, Action.CLAIM_DONE, note=evidence[:200])
    if identical:
        audit.record(session, actor, "佐证材料与其他事项相同", "request", request.id, task_id=task.id,
                     after=[{"file": m.filename, "task": m.other_code, "other_file": m.other_filename} for m in identical])
    refresh_task_status(session, task, actor)
    return request



def accept(session: Session, actor: Actor, *, milestone_id: int, today: dt.date, note: str = "",
           expected_version: int | None = None) -> Milestone:
    """审核通过 (办结销号): the office, or a member of the task's working group, accepts the claim. Open notices
    about the milestone are closed; when every milestone is done the task is done."""
    milestone, task = get_milestone(session, milestone_id)
    require(actor, Permission.REVIEW, task_scope(session, task))
    check_fresh(task, expected_version)
    next_status(milestone.status, Action.ACCEPT)
    claim_version(session, task, expected_version)
    request = pending_request(session, milestone, RequestKind.DONE)
    if request is not None:
        request.status, request.decided_by, request.decided_at = RequestStatus.APPROVED, actor.user_id, clock.utcnow()
        request.decision_note = clean_text(note, "审核意见", required=False)
        session.add(request)
    _move(session, actor, task, milestone, Action.ACCEPT, note=note, today=today)
    close_settled_notices(session, note="节点已办结", milestone_id=milestone.id)
    refresh_task_status(session, task, actor)
    if task.status == Status.DONE:
        task.progress = 100
        close_settled_notices(session, note="任务已办结", task_id=task.id, levels=(NoticeLevel.CHASE,))
    return milestone


def reject(session: Session, actor: Actor, *, milestone_id: int, reason: str, today: dt.date,
           expected_version: int | None = None) -> Milestone:
    """退回重办: the claim is not accepted; the milestone goes back to 推进中 with the reason on record."""
    milestone, task = get_milestone(session, milestone_id)
    require(actor, Permission.REVIEW, task_scope(session, task))
    check_fresh(task, expected_version)
    reason = clean_text(reason, "退回理由")
    next_status(milestone.status, Action.REJECT)
    claim_version(session, task, expected_version)
    request = pending_request(session, milestone, RequestKind.DONE)
    if request is not None:
        request.status, request.decided_by, request.decided_at = RequestStatus.REJECTED, actor.user_id, clock.utcnow()
        request.decision_note = reason
        session.add(request)
    _move(session, actor, task, milestone, Action.REJECT, note=reason)
    refresh_task_status(session, task, actor)
    return milestone


def reopen(session: Session, actor: Actor, *, milestone_id: int, reason: str, today: dt.date,
           expected_version: int | None = None) -> Milestone:
    """撤销办结: the office re-opens a milestone accepted by mistake."""
    milestone, task = get_milestone(session, milestone_id)
    require(actor, Permission.DECIDE_EXTENSION, task_scope(session, task))  # office only
    check_fresh(task, expected_version)
    reason = clean_text(reason, "撤销理由")
    next_status(milestone.status, Action.REOPEN)
    claim_version(session, task, expected_version)
    _move(session, actor, task, milestone, Action.REOPEN, note=reason)
    refresh_task_status(session, task, actor)
    return milestone
