"""An issued 通报（第N期） as a Word document, in the national layout of :mod:`ylyx_tasks.documents` (kind 通报)."""

from __future__ import annotations

from sqlmodel import Session

from ylyx_tasks import clock
from ylyx_tasks.config import get_settings
from ylyx_tasks.documents import render_document
from ylyx_tasks.documents.kinds.bulletin import OverdueMatter, ProgressBulletin, ProgressFigures, RepeatUnit
from ylyx_tasks.errors import WorkflowError
from ylyx_tasks.reads.supervision import bulletins as reads
from ylyx_tasks.reads.plans import all_plans
from ylyx_tasks.services.supervision.bulletins import bulletin_subject

LEADING_GROUP = "市领导小组"


def bulletin_context(session: Session, bulletin_id: int) -> ProgressBulletin:
    """The document's content: figures as of the period's end, the matters (lead unit, days overdue then), the
    units listed more than once, the units with every due milestone on time, and the 限期整改 date."""
    view = reads.bulletin(session, bulletin_id)
    if view.legacy:
        raise WorkflowError("这是由原逐项通报归并的历史记录，没有正式文本；原通报可在“通知”中查看和下载")
    if not view.issued or view.issued_on is None or view.rectify_by is None:
        raise WorkflowError("通报尚未印发，没有正式文本")
    plan = next(p for p in all_plans(session) if p.id == view.plan_id)
    settings = get_settings()
    f = reads.progress_figures(session, plan.id, view.as_of)
    repeat: dict[str, int] = {}
    for m in view.matters:
        if m.times_listed > 1:
            repeat[m.department] = max(repeat.get(m.department, 0), m.times_listed)
    good = reads.good_examples(session, plan.id, view.as_of)
    return ProgressBulletin(
        issuing_office=plan.issuing_office, issued_on=view.issued_on, number=view.number,
        subject=bulletin_subject(plan), issue_no=view.issue_no or 0,
        recipients=[f"{LEADING_GROUP}各成员单位", plan.territorial_phrase], cc=[LEADING_GROUP],
        as_of=view.as_of,
        figures=ProgressFigures(tasks_total=f.tasks_total, tasks_done=f.tasks_done, milestones_due=f.milestones_due,
                                on_time=f.on_time, late_done=f.late_done, overdue_open=f.overdue_open),
        overdue=[OverdueMatter(task_code=m.task_code, task_title=m.task_title, milestone=m.milestone,
                               due_on=m.milestone_due, units=m.department,
                               days_overdue=max(0, (view.as_of - m.milestone_due).days), reason=m.reason)
                 for m in view.matters],
        repeat_units=[RepeatUnit(unit=u, times=t) for u, t in sorted(repeat.items(), key=lambda x: (-x[1], x[0]))],
        good_examples=[f"{unit}牵头的{n}个到期节点全部按期完成。" for unit, n in good],
        requirements=["各责任单位要逐项对照逾期事项，制定整改方案，明确责任人和完成时限，并在系统中反馈整改情况。"],
        rectify_by=view.rectify_by, contact_name=settings.contact_name or "专班办公室",
        contact_phone=settings.contact_phone or "—",
    )


def bulletin_docx_bytes(session: Session, bulletin_id: int) -> bytes:
    return render_document(bulletin_context(session, bulletin_id), created=clock.now(),
                           override_dir=get_settings().data_dir)
