"""The formal document of a numbered notice — 督办通知单 or 通报 — laid out to GB/T 9704 by
``ylyx_tasks.documents`` from the office's template: the plan's title and 文号 as 督办依据, the lead unit as 主送,
the supporting units and the plan's territorial units, the office's contact from the settings, and 抄送 the
leading group. 提醒 and 催报 are mail only: they have no formal document.

A read (nothing is written): the desk's download, ``ylyx-tasks notice-docx`` and the 督办 mail's attachment all
come from here.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.config import get_settings
from ylyx_tasks.documents import (
    OverdueMatter,
    ProgressBulletin,
    ProgressFigures,
    SupervisionNotice,
    render_document,
    supervision_cc,
)
from ylyx_tasks.documents.text import cn_date
from ylyx_tasks.domain.notices import NoticeLevel
from ylyx_tasks.domain.roles import Duty
from ylyx_tasks.domain.status import Status
from ylyx_tasks.errors import NotFound, WorkflowError
from ylyx_tasks.models import Department, Milestone, Notice, Plan, Responsibility, Task
from ylyx_tasks.reads import plans
from ylyx_tasks.reads.plans import PlanInfo
from ylyx_tasks.reads.tasks import load_task_views

# The levels that have a formal document, and what it is called (the file name offered for download).
DOCUMENT_KINDS = {NoticeLevel.SUPERVISE: "督办通知单", NoticeLevel.CIRCULATE: "通报"}

SUPERVISION_REQUIREMENTS = (
    "牵头单位要压实责任，倒排工期，逐项明确完成时限和责任人，尽快完成该节点任务。",
    "请在系统中及时签收本通知；完成后及时申报办结并上传佐证材料，经专班办公室审核后办结销号。",
)
CIRCULATION_REQUIREMENTS = (
    "被通报单位要高度重视，认真分析滞后原因，制定整改措施，明确责任人和完成时限。",
    "牵头单位负总责，配合单位按职责分工协同推进，形成工作合力。",
)


def leading_group(plan: PlanInfo) -> str:
    """The leading group the notices are copied to: ``YLYX_LEADING_GROUP``, or the plan's issuing office
    without its final 办公室 (运城市…工作领导小组办公室 → 运城市…工作领导小组)."""
    configured = get_settings().leading_group
    if configured:
        return configured
    office = plan.issuing_office
    return office[: -len("办公室")] if office.endswith("领导小组办公室") else "市领导小组"


def notice_docx_bytes(session: Session, notice_id: int) -> bytes:
    """The document of a numbered 督办 or 通报. Raises NotFound, or WorkflowError for a notice without a number
    or of a level that has no formal document."""
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NotFound(f"没有编号为 {notice_id} 的通知")
    if not notice.number:
        raise WorkflowError("该通知尚未编号")
    level = NoticeLevel(notice.level)
    if level not in DOCUMENT_KINDS:
        raise WorkflowError(f"“{level.value}”只发邮件，没有正式文件；只有督办和通报可下载 Word 文档")
    task = session.get(Task, notice.task_id)
    assert task is not None  # a notice's task exists (a foreign key)
    plan = plans.info(session.get(Plan, task.plan_id))  # type: ignore[arg-type]  # a task always has its plan
    context = (_supervision(session, notice, task, plan) if level == NoticeLevel.SUPERVISE
               else _circulation(session, notice, task, plan))
    return render_document(context, created=clock.utcnow(), override_dir=get_settings().data_dir)


def _units(session: Session, task: Task) -> tuple[list[str], bool]:
    """The task's supporting units in order, and whether the territorial units have a duty in it."""
    rows = session.exec(select(Department.name, Responsibility.duty).join(
        Responsibility, Responsibility.department_id == Department.id).where(Responsibility.task_id == task.id)
        .order_by(Responsibility.position)).all()
    return [name for name, duty in rows if duty == Duty.SUPPORT], any(duty == Duty.TERRITORIAL for _, duty in rows)


def _commitment(milestone: Milestone | None) -> tuple[str, dt.date | None]:
    """The milestone's commitment as printed (an approved extension named after it) and its original date."""
    if milestone is None:
        return "完成本条任务", None
    text = milestone.commitment or "完成本条任务（方案期末）"
    if milestone.due_date != milestone.original_due:
        text += f"（原定{cn_date(milestone.original_due)}，经批准延期）"
    return text, milestone.original_due


def _supervision(session: Session, notice: Notice, task: Task, plan: PlanInfo) -> SupervisionNotice:
    settings = get_settings()
    supporting, territorial = _units(session, task)
    territorial_units = plan.territorial_phrase if territorial else ""
    milestone = session.get(Milestone, notice.milestone_id) if notice.milestone_id else None
    commitment, original = _commitment(milestone)
    due = notice.milestone_due or original or notice.created_on
    return SupervisionNotice(
        issuing_office=plan.issuing_office, issued_on=notice.created_on, number=notice.number or "",
        cc=supervision_cc(leading_group=leading_group(plan), supporting_units=supporting,
                          territorial_units=territorial_units),
        plan_title=plan.title, plan_number=plan.doc_number, lead_unit=_department(session, notice.department_id),
        supporting_units=supporting, territorial_units=territorial_units, task_code=task.code,
        task_title=task.title, clause_text=task.clause_text, commitment=commitment, due_on=due,
        as_of=notice.created_on, days_overdue=max(0, (notice.created_on - due).days),
        answer_by=notice.response_due or notice.created_on, contact_name=settings.contact_name,
        contact_phone=settings.contact_phone, requirements=SUPERVISION_REQUIREMENTS)


def _circulation(session: Session, notice: Notice, task: Task, plan: PlanInfo) -> ProgressBulletin:
    """A 通报 of one matter: the plan's figures as of the notice's day, the matter in the table (its 事由 the
    notice's reason and the 督办 it follows), 主送 the lead unit, 抄送 the leading group and the other units."""
    settings = get_settings()
    supporting, territorial = _units(session, task)
    territorial_units = plan.territorial_phrase if territorial else ""
    lead = _department(session, notice.department_id)
    milestone = session.get(Milestone, notice.milestone_id) if notice.milestone_id else None
    commitment, original = _commitment(milestone)
    due = notice.milestone_due or original or notice.created_on
    parent = session.get(Notice, notice.parent_id) if notice.parent_id else None
    reason = notice.reason + (f"（督办通知单{parent.number}）" if parent and parent.number else "")
    earlier = len(session.exec(select(Notice.id).where(Notice.level == NoticeLevel.CIRCULATE.value,
                                                       Notice.task_id == task.id, Notice.id <= notice.id)).all())
    return ProgressBulletin(
        issuing_office=plan.issuing_office, issued_on=notice.created_on, number=notice.number or "",
        cc=supervision_cc(leading_group=leading_group(plan), supporting_units=supporting,
                          territorial_units=territorial_units),
        subject=f"{task.code}“{task.title}”任务", issue_no=max(1, earlier), recipients=[lead],
        as_of=notice.created_on, figures=_figures(session, plan, notice.created_on),
        overdue=[OverdueMatter(task_code=task.code, task_title=task.title, milestone=commitment, due_on=due,
                               units="、".join([lead, *supporting, *([territorial_units] if territorial else [])]),
                               days_overdue=max(0, (notice.created_on - due).days), reason=reason)],
        rectify_by=notice.response_due or notice.created_on, contact_name=settings.contact_name,
        contact_phone=settings.contact_phone, requirements=CIRCULATION_REQUIREMENTS,
        progress_notes=[f"该事项经督办后仍未完成，根据《{plan.title}》（{plan.doc_number}）确定的“通报督办”工作机制，"
                        f"现予通报，并抄报{leading_group(plan)}。"])


def _figures(session: Session, plan: PlanInfo, today: dt.date) -> ProgressFigures:
    views = load_task_views(session, today, plan_id=plan.id)
    due = [m for v in views for m in v.milestones if m.due_date < today or m.done]
    on_time = sum(1 for m in due if m.done and m.completed_on is not None and m.completed_on <= m.due_date)
    late = sum(1 for m in due if m.done) - on_time
    return ProgressFigures(tasks_total=len(views), tasks_done=sum(1 for v in views if v.status == Status.DONE),
                           milestones_due=len(due), on_time=on_time, late_done=late,
                           overdue_open=sum(1 for m in due if not m.done))


def _department(session: Session, department_id: int) -> str:
    department = session.get(Department, department_id)
    assert department is not None  # a notice's addressee exists (a foreign key)
    return department.name
