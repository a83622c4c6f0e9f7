"""The workflow of a task (业务流程): progress reports, completion claims and their review, extensions.

Every function checks the actor's permission on the task, checks the task's version when the caller read one
(optimistic locking: the second of two concurrent edits is refused, never silently applied), writes the change and
its audit record in the caller's transaction, and returns what it created.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.domain import periods
from ylyx_tasks.domain.notices import NoticeLevel, NoticeStatus, OPEN_STATUSES
from ylyx_tasks.domain.roles import Actor, Duty, Permission, Role, TaskScope, require
from ylyx_tasks.domain.status import Action, Status, next_status, task_status
from ylyx_tasks.models import Attachment, Milestone, Notice, ProgressReport, Responsibility, ReviewRequest, Task
from ylyx_tasks.services import audit
from ylyx_tasks.services.errors import NotFound, StaleTask, WorkflowError

MAX_TEXT = 5000
REQUEST_PENDING, REQUEST_APPROVED, REQUEST_REJECTED = "待审核", "已通过", "已退回"
KIND_DONE, KIND_EXTEND = "办结", "延期"


@dataclass(frozen=True)
class Upload:
    """A file sent with a report or claim."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


def task_scope(session: Session, task: Task) -> TaskScope:
    duties = {r.department_id: Duty(r.duty) for r in session.exec(
        select(Responsibility).where(Responsibility.task_id == task.id))}
    return TaskScope(working_group_id=task.working_group_id, duties=duties)


def get_task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound(f"没有编号为 {task_id} 的任务")
    return task


def get_milestone(session: Session, milestone_id: int) -> tuple[Milestone, Task]:
    milestone = session.get(Milestone, milestone_id)
    if milestone is None:
        raise NotFound(f"没有编号为 {milestone_id} 的时间节点")
    return milestone, get_task(session, milestone.task_id)


def check_fresh(task: Task, expected_version: int | None) -> None:
    """Refuse at once, before any rule is checked, when the caller's view of the task is out of date: they are told
    that the task changed (and see its new state) rather than that their action no longer fits it. The
    conditional UPDATE of :func:`claim_version` still decides races that start after this read."""
    if expected_version is not None and task.version != expected_version:
        raise StaleTask(task.code)


def claim_version(session: Session, task: Task, expected_version: int | None) -> None:
    """Bump the task's version with a conditional UPDATE, first thing in a write.

    When the caller read the task at ``expected_version`` and someone has changed it since, nothing is written
    and :class:`StaleTask` is raised. The UPDATE also takes the row lock early, so two concurrent writers queue.
    """
    stmt = update(Task).where(Task.id == task.id).values(version=Task.version + 1)
    if expected_version is not None:
        stmt = stmt.where(Task.version == expected_version)
    if session.exec(stmt).rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise StaleTask(task.code)
    session.refresh(task)


def _text(value: str, what: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise WorkflowError(f"请填写{what}")
    if len(value) > limit:
        raise WorkflowError(f"{what}不能超过 {limit} 字")
    return value


def _department_for(actor: Actor, scope: TaskScope, department_id: int | None) -> int:
    """The department a report or claim is made for: the liaison's own; office staff name one."""
    if actor.role == Role.LIAISON:
        if department_id not in (None, actor.department_id):
            raise WorkflowError("单位联络员只能为本单位报送")
        return actor.department_id  # type: ignore[return-value]
    if department_id is None:
        lead = next((d for d, duty in scope.duties.items() if duty == Duty.LEAD), None)
        if lead is None:
            raise WorkflowError("该任务没有牵头单位")
        return lead
    if department_id not in scope.duties:
        raise WorkflowError("该单位不是此任务的责任单位")
    return department_id


def _save_files(session: Session, actor: Actor, owner_kind: str, owner_id: int, files: list[Upload],
                max_bytes: int) -> None:
    for f in files:
        if len(f.content) > max_bytes:
            raise WorkflowError(f"文件 {f.filename} 超过 {max_bytes // (1024 * 1024)} MB")
        session.add(Attachment(owner_kind=owner_kind, owner_id=owner_id, filename=f.filename[:200],
                               content_type=f.content_type[:100], size=len(f.content), data=f.content,
                               created_by=actor.user_id, created_at=clock.utcnow()))


def _max_upload_bytes() -> int:
    from ylyx_tasks.config import get_settings

    return get_settings().max_upload_mb * 1024 * 1024


def refresh_task_status(session: Session, task: Task, actor: Actor) -> None:
    """Set the task's status from its milestones (recording the change)."""
    statuses = [m.status for m in session.exec(select(Milestone).where(Milestone.task_id == task.id))]
    new = task_status(statuses).value
    if new != task.status:
        audit.record(session, actor, "任务状态变更", "task", task.id, task_id=task.id, before={"status": task.status},
                     after={"status": new})
        task.status = new
    task.updated_at = clock.utcnow()
    session.add(task)


def _close_notices(session: Session, *, note: str, milestone_id: int | None = None, task_id: int | None = None,
                   levels: tuple[NoticeLevel, ...] | None = None, up_to_period: str | None = None) -> int:
    """Close the open notices a change has settled (its milestone done, its missing report received)."""
    stmt = select(Notice).where(Notice.status.in_([s.value for s in OPEN_STATUSES] + [NoticeStatus.SENT.value]))
    if milestone_id is not None:
        stmt = stmt.where(Notice.milestone_id == milestone_id)
    if task_id is not None:
        stmt = stmt.where(Notice.task_id == task_id)
    if levels:
        stmt = stmt.where(Notice.level.in_([lv.value for lv in levels]))
    if up_to_period is not None:
        stmt = stmt.where(Notice.period <= up_to_period)
    closed = 0
    now = clock.utcnow()
    for notice in session.exec(stmt):
        audit.record(session, _system_for_close(), "督办自动办结", "notice", notice.id, task_id=notice.task_id,
                     before={"status": notice.status}, after={"status": NoticeStatus.CLOSED.value}, note=note)
        notice.status = NoticeStatus.CLOSED.value
        notice.closed_at = now
        notice.close_note = note
        notice.version += 1
        session.add(notice)
        closed += 1
    return closed


def _system_for_close() -> Actor:
    from ylyx_tasks.domain.roles import SYSTEM

    return SYSTEM


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
    department = _department_for(actor, scope, department_id)
    duty = scope.duty_of(department)
    if duty is None:
        raise WorkflowError("该单位不是此任务的责任单位")
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise WorkflowError("完成进度须为 0–100 的整数")
    text = _text(text, "进展情况")
    evidence = _text(evidence, "佐证材料说明", required=False, limit=2000)
    milestone = None
    if milestone_id is not None:
        milestone, owner = get_milestone(session, milestone_id)
        if owner.id != task.id:
            raise WorkflowError("该节点不属于此任务")
    claim_version(session, task, expected_version)
    period = periods.period_of(today)
    report = ProgressReport(task_id=task.id, milestone_id=milestone_id, department_id=department, duty=duty.value,
                            period=period, reported_on=today, percent=percent, text=text, evidence=evidence,
                            is_demo=is_demo, created_by=actor.user_id, created_at=clock.utcnow())
    session.add(report)
    session.flush()
    _save_files(session, actor, "report", report.id, files or [], _max_upload_bytes())
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
        _close_notices(session, note=f"已报送 {period} 进展", task_id=task.id, levels=(NoticeLevel.CHASE,),
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
    evidence = _text(evidence, "办结情况说明")
    links = _text(links, "佐证链接", required=False, limit=2000)
    if not links and not files:
        raise WorkflowError("申报办结须附佐证材料：链接或文件")
    next_status(milestone.status, Action.CLAIM_DONE)  # refuse early, before anything is written
    claim_version(session, task, expected_version)
    department = _department_for(actor, scope, None)
    request = ReviewRequest(kind=KIND_DONE, task_id=task.id, milestone_id=milestone.id, department_id=department,
                            text=evidence, links=links, requested_by=actor.user_id, requested_at=clock.utcnow())
    session.add(request)
    session.flush()
    _save_files(session, actor, "request", request.id, files or [], _max_upload_bytes())
    _move(session, actor, task, milestone, Action.CLAIM_DONE, note=evidence[:200])
    refresh_task_status(session, task, actor)
    return request


def _pending_request(session: Session, milestone: Milestone, kind: str) -> ReviewRequest | None:
    return session.exec(select(ReviewRequest).where(
        ReviewRequest.milestone_id == milestone.id, ReviewRequest.kind == kind,
        ReviewRequest.status == REQUEST_PENDING)).first()


def accept(session: Session, actor: Actor, *, milestone_id: int, today: dt.date, note: str = "",
           expected_version: int | None = None) -> Milestone:
    """审核通过 (办结销号): the office, or a member of the task's working group, accepts the claim. Open notices
    about the milestone are closed; when every milestone is done the task is done."""
    milestone, task = get_milestone(session, milestone_id)
    require(actor, Permission.REVIEW, task_scope(session, task))
    check_fresh(task, expected_version)
    next_status(milestone.status, Action.ACCEPT)
    claim_version(session, task, expected_version)
    request = _pending_request(session, milestone, KIND_DONE)
    if request is not None:
        request.status, request.decided_by, request.decided_at = REQUEST_APPROVED, actor.user_id, clock.utcnow()
        request.decision_note = _text(note, "审核意见", required=False)
        session.add(request)
    _move(session, actor, task, milestone, Action.ACCEPT, note=note, today=today)
    _close_notices(session, note="节点已办结", milestone_id=milestone.id)
    refresh_task_status(session, task, actor)
    if task.status == Status.DONE:
        task.progress = 100
        _close_notices(session, note="任务已办结", task_id=task.id, levels=(NoticeLevel.CHASE,))
    return milestone


def reject(session: Session, actor: Actor, *, milestone_id: int, reason: str, today: dt.date,
           expected_version: int | None = None) -> Milestone:
    """退回重办: the claim is not accepted; the milestone goes back to 推进中 with the reason on record."""
    milestone, task = get_milestone(session, milestone_id)
    require(actor, Permission.REVIEW, task_scope(session, task))
    check_fresh(task, expected_version)
    reason = _text(reason, "退回理由")
    next_status(milestone.status, Action.REJECT)
    claim_version(session, task, expected_version)
    request = _pending_request(session, milestone, KIND_DONE)
    if request is not None:
        request.status, request.decided_by, request.decided_at = REQUEST_REJECTED, actor.user_id, clock.utcnow()
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
    reason = _text(reason, "撤销理由")
    next_status(milestone.status, Action.REOPEN)
    claim_version(session, task, expected_version)
    _move(session, actor, task, milestone, Action.REOPEN, note=reason)
    refresh_task_status(session, task, actor)
    return milestone


# --- extensions ---------------------------------------------------------------------------------------------


def apply_extension(session: Session, actor: Actor, *, milestone_id: int, new_date: dt.date, reason: str,
                    today: dt.date, expected_version: int | None = None) -> ReviewRequest:
    """申请延期: the lead department asks, before the due date, to move it to ``new_date``."""
    milestone, task = get_milestone(session, milestone_id)
    scope = task_scope(session, task)
    require(actor, Permission.APPLY_EXTENSION, scope)
    check_fresh(task, expected_version)
    reason = _text(reason, "延期理由")
    if milestone.status == Status.DONE:
        raise WorkflowError("节点已完成，无需延期")
    if today > milestone.due_date:
        raise WorkflowError(f"延期须在期限（{milestone.due_date:%Y年%m月%d日}）之前申请；已逾期的节点按原期限考核")
    if new_date <= milestone.due_date:
        raise WorkflowError("新的期限须晚于现期限")
    if _pending_request(session, milestone, KIND_EXTEND) is not None:
        raise WorkflowError("该节点已有待审批的延期申请")
    claim_version(session, task, expected_version)
    request = ReviewRequest(kind=KIND_EXTEND, task_id=task.id, milestone_id=milestone.id,
                            department_id=_department_for(actor, scope, None), text=reason, new_due_date=new_date,
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
    if request is None or request.kind != KIND_EXTEND:
        raise NotFound(f"没有编号为 {request_id} 的延期申请")
    milestone, task = get_milestone(session, request.milestone_id)
    require(actor, Permission.DECIDE_EXTENSION, task_scope(session, task))
    check_fresh(task, expected_version)
    if request.status != REQUEST_PENDING:
        raise WorkflowError(f"该申请已{request.status}")
    note = _text(note, "审批意见", required=not approve)
    claim_version(session, task, expected_version)
    request.status = REQUEST_APPROVED if approve else REQUEST_REJECTED
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
        _close_notices(session, note="延期已批准", milestone_id=milestone.id,
                       levels=(NoticeLevel.REMINDER, NoticeLevel.SUPERVISE, NoticeLevel.CIRCULATE))
    else:
        audit.record(session, actor, "不批准延期", "request", request.id, task_id=task.id, note=note)
    task.updated_at = clock.utcnow()
    session.add(task)
    return request
