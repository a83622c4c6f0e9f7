"""The formal 督办通知单 (or 通报) as a Word document: number, matter with the clause text, responsible units,
due date, answer deadline, requirements, issuing office and date."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from sqlmodel import Session, select

from ylyx_tasks.config import get_settings
from ylyx_tasks.domain.notices import NoticeLevel
from ylyx_tasks.domain.roles import Duty
from ylyx_tasks.errors import NotFound, WorkflowError
from ylyx_tasks.models import Department, Milestone, Notice, Plan, Responsibility, Task
from ylyx_tasks.reads import plans
from ylyx_tasks.services.mail.templates import cn_date

TITLES = {NoticeLevel.SUPERVISE: "督办通知单", NoticeLevel.CIRCULATE: "通　报", NoticeLevel.CHASE: "催报通知",
          NoticeLevel.REMINDER: "到期提醒"}


def _font(run, size: float, *, bold: bool = False, family: str = "仿宋_GB2312", color: RGBColor | None = None):
    run.font.size = Pt(size)
    run.bold = bold
    run.font.name = family
    run._element.rPr.rFonts.set(qn("w:eastAsia"), family)  # CJK text uses the East Asian font slot
    if color is not None:
        run.font.color.rgb = color
    return run


def _para(doc, text: str = "", *, size: float = 16, bold: bool = False, align=None, family: str = "仿宋_GB2312",
          color: RGBColor | None = None, indent: bool = False):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.space_after = Pt(4)
    if text:
        _font(p.add_run(text), size, bold=bold, family=family, color=color)
    return p


def _label(doc, label: str, value: str) -> None:
    p = _para(doc)
    _font(p.add_run(f"{label}："), 16, bold=True, family="黑体")
    _font(p.add_run(value), 16)


def notice_docx_bytes(session: Session, notice_id: int) -> bytes:
    """The document for a numbered notice. Raises NotFound, or WorkflowError for a notice without a number."""
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NotFound(f"没有编号为 {notice_id} 的通知")
    if not notice.number:
        raise WorkflowError("该通知尚未编号")
    settings = get_settings()
    task = session.get(Task, notice.task_id)
    milestone = session.get(Milestone, notice.milestone_id) if notice.milestone_id else None
    units = session.exec(select(Department.name, Responsibility.duty).join(
        Responsibility, Responsibility.department_id == Department.id).where(Responsibility.task_id == task.id)
        .order_by(Responsibility.position)).all()
    lead = session.get(Department, notice.department_id).name
    supporting = [name for name, duty in units if duty == Duty.SUPPORT]
    territorial = any(duty == Duty.TERRITORIAL for _, duty in units)
    parent = session.get(Notice, notice.parent_id) if notice.parent_id else None
    plan = plans.info(session.get(Plan, task.plan_id))  # type: ignore[arg-type]  # a task always has its plan

    doc = Document()
    for section in doc.sections:
        section.top_margin = section.bottom_margin = Pt(72)
        section.left_margin = section.right_margin = Pt(64)
    _para(doc, plan.issuing_office, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, family="方正小标宋简体",
          color=RGBColor(0xC0, 0x00, 0x00))
    _para(doc, TITLES[NoticeLevel(notice.level)], size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
          family="方正小标宋简体")
    _para(doc, notice.number, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc)
    _para(doc, f"{lead}：", size=16)
    if notice.level == NoticeLevel.SUPERVISE:
        matter = (f"《{plan.title}》任务 {task.code}“{task.title}”的时间节点"
                  f"于 {cn_date(notice.milestone_due)} 到期，截至 {cn_date(notice.created_on)} 尚未完成。"
                  "根据方案“通报督办”工作机制，现予督办。")
    elif notice.level == NoticeLevel.CIRCULATE:
        matter = (f"任务 {task.code}“{task.title}”{notice.reason}"
                  + (f"（督办通知单 {parent.number}）" if parent and parent.number else "")
                  + "。根据方案“通报督办”工作机制，现予通报，呈报市领导小组，请限期整改。")
    else:
        matter = f"任务 {task.code}“{task.title}”：{notice.reason}。"
    _para(doc, matter, indent=True)
    _label(doc, "督办事项", f"{task.code} {task.title}")
    if milestone is not None:
        _label(doc, "节点承诺", milestone.commitment or "完成本条任务（方案期末）")
        due = cn_date(milestone.original_due)
        if milestone.due_date != milestone.original_due:
            due += f"（经批准延期至 {cn_date(milestone.due_date)}）"
        _label(doc, "完成时限", due)
    _label(doc, "牵头单位", lead)
    if supporting:
        _label(doc, "配合单位", "、".join(supporting))
    if territorial:
        _label(doc, "属地责任", plan.territorial_phrase)
    if notice.response_due:
        _label(doc, "反馈时限", f"{cn_date(notice.response_due, weekday=True)}前（{settings.response_working_days} 个工作日内）")
    p = _para(doc)
    _font(p.add_run("条款原文："), 16, bold=True, family="黑体")
    _font(p.add_run(task.clause_text), 14, family="楷体_GB2312")
    p = _para(doc)
    _font(p.add_run("办理要求："), 16, bold=True, family="黑体")
    for i, line in enumerate(_requirements(notice, plan.territorial_phrase if territorial else ""), start=1):
        _para(doc, f"{i}. {line}", indent=True)
    _para(doc)
    _para(doc, plan.issuing_office, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, cn_date(notice.created_on), align=WD_ALIGN_PARAGRAPH.RIGHT)
    if supporting:
        _para(doc, f"抄送：{'、'.join(supporting)}。", size=14)
    buffer = io.BytesIO()
    doc.core_properties.title = f"{TITLES[NoticeLevel(notice.level)]} {notice.number}"
    doc.core_properties.author = plan.issuing_office
    doc.save(buffer)
    return buffer.getvalue()


def _requirements(notice: Notice, territorial_phrase: str) -> list[str]:
    deadline = cn_date(notice.response_due) if notice.response_due else "规定时限"
    territory = f"，{territorial_phrase}落实属地责任" if territorial_phrase else ""
    return [
        f"请于 {deadline} 前在系统中签收本通知，并书面反馈办理情况、未完成的原因和预计完成时间。",
        f"牵头单位负总责，配合单位按职责分工协同推进{territory}。",
        "完成后及时申报办结并上传佐证材料，经专班办公室审核后办结销号。",
        "逾期不反馈或整改不到位的，将按“通报督办”机制予以通报，并纳入专项工作考核。",
    ]
