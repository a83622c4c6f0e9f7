"""What every write to a task shares: loading it, checking whether the writer's view is current (optimistic
locking), checking text, saving files and deriving the task's status. (Closing the notices a change settles:
:mod:`ylyx_tasks.services.supervision.settle`.) The workflow (:mod:`~ylyx_tasks.services.tasks.workflow`) and extensions
(:mod:`~ylyx_tasks.services.tasks.extensions`) are built from these.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.config import get_settings
from ylyx_tasks.domain.security import inputs
from ylyx_tasks.domain.requests import RequestKind, RequestStatus
from ylyx_tasks.domain.roles import Actor, Duty, Role, TaskScope
from ylyx_tasks.domain.status import task_status
from ylyx_tasks.errors import NotFound, StaleTask, WorkflowError
from ylyx_tasks.models import Attachment, Milestone, ProgressReport, ReviewRequest, Task
from ylyx_tasks.services import audit

MAX_TEXT = 5000


@dataclass(frozen=True)
class Upload:
    """A file sent with a report or claim."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


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


def clean_text(value: str, what: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    """A text through the input gate (:func:`ylyx_tasks.domain.security.inputs.clean_text`), trimmed; required or not."""
    value = inputs.clean_text(value or "", label=what, limit=None).strip()
    if required and not value:
        raise WorkflowError(f"请填写{what}")
    if len(value) > limit:
        raise WorkflowError(f"{what}不能超过 {limit} 字")
    return value


def department_for(actor: Actor, scope: TaskScope, department_id: int | None) -> int:
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


def max_upload_bytes() -> int:
    return get_settings().max_upload_mb * 1024 * 1024


MAX_FILES_PER_REPORT = 10  # files with one report or claim
FILES_PER_REPORT_MB = 3  # × max_upload_mb: all files of one report or claim together
FILES_PER_TASK_MB = 20  # × max_upload_mb: all files of all reports and claims of one task together


def _task_file_bytes(session: Session, task_id: int) -> int:
    reports = select(ProgressReport.id).where(ProgressReport.task_id == task_id)
    requests = select(ReviewRequest.id).where(ReviewRequest.task_id == task_id)
    total = session.exec(select(func.coalesce(func.sum(Attachment.size), 0)).where(or_(
        and_(Attachment.owner_kind == "report", Attachment.owner_id.in_(reports)),  # type: ignore[union-attr]
        and_(Attachment.owner_kind == "request", Attachment.owner_id.in_(requests)))))  # type: ignore[union-attr]
    return int(total.one())


def save_files(session: Session, actor: Actor, owner_kind: str, owner_id: int, files: list[Upload],
               max_bytes: int, *, task_id: int) -> None:
    """Store a report's or claim's files, within the limits: each file ``max_bytes``, at most
    :data:`MAX_FILES_PER_REPORT` files and :data:`FILES_PER_REPORT_MB` × the per-file limit together, and the
    task's files in all at most :data:`FILES_PER_TASK_MB` × the per-file limit."""
    if not files:
        return
    mb = max_bytes // (1024 * 1024)
    if len(files) > MAX_FILES_PER_REPORT:
        raise WorkflowError(f"一次最多上传 {MAX_FILES_PER_REPORT} 个文件（本次 {len(files)} 个）")
    for f in files:
        if len(f.content) > max_bytes:
            raise WorkflowError(f"文件 {f.filename} 超过 {mb} MB")
    together = sum(len(f.content) for f in files)
    if together > FILES_PER_REPORT_MB * max_bytes:
        raise WorkflowError(f"一次上传的文件合计不能超过 {FILES_PER_REPORT_MB * mb} MB")
    if _task_file_bytes(session, task_id) + together > FILES_PER_TASK_MB * max_bytes:
        raise WorkflowError(f"该任务的佐证文件合计不能超过 {FILES_PER_TASK_MB * mb} MB；请压缩文件或改附链接")
    for f in files:
        session.add(Attachment(owner_kind=owner_kind, owner_id=owner_id, filename=f.filename[:200],
                               content_type=f.content_type[:100], size=len(f.content), data=f.content,
                               created_by=actor.user_id, created_at=clock.utcnow()))


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


def pending_request(session: Session, milestone: Milestone, kind: RequestKind) -> ReviewRequest | None:
    return session.exec(select(ReviewRequest).where(
        ReviewRequest.milestone_id == milestone.id, ReviewRequest.kind == kind,
        ReviewRequest.status == RequestStatus.PENDING)).first()
