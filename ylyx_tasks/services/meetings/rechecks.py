"""回头看: closed matters re-checked some days after their completion. The office chooses which (kinds) and
when (days, 90 by default) and runs :func:`schedule` (from the page or ``ylyx-tasks recheck schedule``); when a
recheck is due the lead unit confirms the result still stands, with evidence; the office passes it or reopens the
matter (its milestone goes back to 推进中 and is supervised again)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import exists
from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.domain.meetings import (
    DEFAULT_RECHECK_DAYS,
    RecheckKind,
    RecheckStatus,
    in_sample,
    recheck_due,
    recheck_selected,
    require_role,
)
from ylyx_tasks.domain.notices import NoticeLevel
from ylyx_tasks.domain.roles import Actor, Duty, PermissionDenied, Role
from ylyx_tasks.domain.status import Status
from ylyx_tasks.errors import InvalidInput, NotFound, WorkflowError
from ylyx_tasks.models import Milestone, Notice, Recheck, Responsibility, Task
from ylyx_tasks.services import audit
from ylyx_tasks.services.tasks import workflow
from ylyx_tasks.services.tasks.edit import Upload, max_upload_bytes, save_files
from ylyx_tasks.services.tasks.evidence import identical_elsewhere


def schedule(session: Session, actor: Actor, *, plan_id: int, kinds: Sequence[RecheckKind], today: dt.date,
             days: int = DEFAULT_RECHECK_DAYS, sample_every: int = 5) -> list[Recheck]:
    """安排回头看: one recheck for each completed milestone of the plan in ``kinds`` that has none for this
    completion, due ``days`` after it was completed (抽查: one completion in every ``sample_every``, counted over
    all the plan's completions in their order). Running it again adds only what is new."""
    require_role(actor, {Role.OFFICE}, "安排回头看")
    if not kinds:
        raise InvalidInput("请至少选择一类回头看事项")
    in_sample(0, sample_every)  # a bad ratio is refused before anything is read
    order = list(session.exec(
        select(Milestone.id).join(Task, Task.id == Milestone.task_id)
        .where(Task.plan_id == plan_id, Milestone.status == Status.DONE.value, Milestone.completed_on.is_not(None))
        .order_by(Milestone.completed_on, Milestone.id)).all()) if RecheckKind.SAMPLE in kinds else []
    sample = {mid for position, mid in enumerate(order) if in_sample(position, sample_every)}
    supervised = exists().where(Notice.milestone_id == Milestone.id, Notice.level == NoticeLevel.SUPERVISE.value)
    rows = session.exec(
        select(Milestone.id, Milestone.task_id, Milestone.completed_on, Milestone.original_due, Task.source, supervised)
        .join(Task, Task.id == Milestone.task_id)
        .where(Task.plan_id == plan_id, Milestone.status == Status.DONE.value, Milestone.completed_on.is_not(None),
               ~exists().where(Recheck.milestone_id == Milestone.id, Recheck.completed_on == Milestone.completed_on))
        .order_by(Milestone.completed_on, Milestone.id)).all()
    made = []
    for milestone_id, task_id, completed_on, original_due, source, was_supervised in rows:
        kind = next((k for k in kinds if recheck_selected([k], completed_on=completed_on, original_due=original_due,
                                                           supervised=bool(was_supervised), source=source,
                                                           sampled=milestone_id in sample)), None)
        if kind is None:
            continue
        recheck = Recheck(task_id=task_id, milestone_id=milestone_id, completed_on=completed_on, kind=kind.value,
                          due_on=recheck_due(completed_on, days), created_at=clock.utcnow())
        session.add(recheck)
        session.flush()
        audit.record(session, actor, "安排回头看", "recheck", recheck.id, task_id=task_id,
                     after={"kind": kind.value, "due_on": recheck.due_on, "days": days})
        made.append(recheck)
    return made


def _get(session: Session, recheck_id: int) -> Recheck:
    found = session.get(Recheck, recheck_id)
    if found is None:
        raise NotFound(f"没有编号为 {recheck_id} 的回头看")
    return found


def confirm(session: Session, actor: Actor, *, recheck_id: int, result: str, evidence: str = "", today: dt.date,
            files: list[Upload] | None = None) -> Recheck:
    """The lead unit (its liaison, or the office for it) confirms the result still stands, with evidence."""
    found = _get(session, recheck_id)
    if actor.role not in (Role.LIAISON, Role.OFFICE) and not actor.is_system:
        raise PermissionDenied(f"“{actor.role}”账号 {actor.username} 无权确认回头看")
    if actor.role == Role.LIAISON:
        lead = session.exec(select(Responsibility.department_id).where(
            Responsibility.task_id == found.task_id, Responsibility.duty == Duty.LEAD.value)).all()
        if actor.department_id not in lead:
            raise PermissionDenied("只有牵头单位可以确认回头看")
    if found.status not in (RecheckStatus.DUE, RecheckStatus.CONFIRMED):
        raise WorkflowError(f"该回头看已{found.status}")
    if today < found.due_on:
        raise WorkflowError(f"回头看 {found.due_on.isoformat()} 起办理")
    result = (result or "").strip()
    if not result:
        raise InvalidInput("请填写复核情况")
    if not (evidence or "").strip() and not files:
        raise InvalidInput("确认回头看须附佐证材料：说明、链接或文件")
    found.result, found.evidence = result[:5000], (evidence or "").strip()[:2000]
    found.status, found.confirmed_by, found.confirmed_at = RecheckStatus.CONFIRMED.value, actor.user_id, clock.utcnow()
    save_files(session, actor, "recheck", found.id, files or [], max_upload_bytes(), task_id=found.task_id)
    session.add(found)
    same = identical_elsewhere(session, found.task_id, files or [])
    audit.record(session, actor, "确认回头看", "recheck", found.id, task_id=found.task_id,
                 after={"result": result[:200], "identical_files": [f"{m.filename}={m.other_code}" for m in same]})
    return found


def decide(session: Session, actor: Actor, *, recheck_id: int, reopen: bool, note: str, today: dt.date) -> Recheck:
    """The office passes a recheck, or reopens the matter (撤销办结: supervised again from today)."""
    require_role(actor, {Role.OFFICE}, "审核回头看")
    found = _get(session, recheck_id)
    note = (note or "").strip()
    if reopen and not note:
        raise InvalidInput("重新打开须写明理由")
    if not reopen and found.status != RecheckStatus.CONFIRMED:
        raise WorkflowError("牵头单位确认之后才能通过回头看")
    if found.status in (RecheckStatus.PASSED, RecheckStatus.REOPENED):
        raise WorkflowError(f"该回头看已{found.status}")
    before = {"status": found.status}
    if reopen:
        workflow.reopen(session, actor, milestone_id=found.milestone_id, reason=f"回头看：{note}", today=today)
        found.status, found.reopened = RecheckStatus.REOPENED.value, True
    else:
        found.status = RecheckStatus.PASSED.value
    found.decided_by, found.decided_at, found.decision_note = actor.user_id, clock.utcnow(), note[:2000]
    session.add(found)
    audit.record(session, actor, "回头看" + ("重新打开" if reopen else "通过"), "recheck", found.id,
                 task_id=found.task_id, before=before, after={"status": found.status, "note": note[:200]})
    return found
