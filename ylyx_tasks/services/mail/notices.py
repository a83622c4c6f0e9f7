"""The mail a notice sends: to the lead department's contacts (主送), the supporting departments' for a 督办 or
通报 (抄送), and 领导小组 for every 通报. One delivery per notice and address."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlmodel import Session, select

from ylyx_tasks.config import get_settings
from ylyx_tasks.domain import periods
from ylyx_tasks.domain.notices import NoticeLevel
from ylyx_tasks.domain.roles import Duty
from ylyx_tasks.models import Department, Milestone, Notice, Responsibility, Task
from ylyx_tasks.reads.contacts import LEADERSHIP_KEY, Recipient, contacts_by_unit, department_key
from ylyx_tasks.reads.plans import PlanInfo, all_plans
from ylyx_tasks.services.mail.queue import OutgoingMail
from ylyx_tasks.services.mail.templates import render


def notice_context(notice: Notice, task: Task, milestone: Milestone | None, lead: str, supporting: list[str],
                   today: dt.date, parent_number: str | None = None, plan: PlanInfo | None = None) -> dict:
    """What a notice's mail says: its plan's wording (issuing office, title) where ``plan`` is given."""
    settings = get_settings()
    period_label = ""
    report_due = None
    if notice.period:
        period_label = periods.label(notice.period)
        report_due = periods.due_date(notice.period, settings.report_due_day)
    due = notice.milestone_due
    return dict(
        n=notice, task=task, milestone=milestone, lead=lead, supporting=supporting, parent_number=parent_number,
        days_left=(due - today).days if due else 0, days_overdue=(today - due).days if due else 0,
        period_label=period_label, report_due=report_due, app_url=settings.app_url,
        office=plan.issuing_office if plan else settings.issuing_office, plan_title=plan.title if plan else "",
    )


def render_notice(context: dict, *, recipient_name: str, unit_name: str, role: str) -> tuple[str, str, str]:
    """(subject, text, html) for one recipient."""
    ctx = dict(context, recipient_name=recipient_name, unit_name=unit_name, role=role)
    subject = render("mail/notice_subject.txt.j2", **ctx).strip()
    ctx["subject"] = subject
    return subject, render("mail/notice.txt.j2", **ctx), render("mail/notice.html.j2", **ctx)


def notice_mails(session: Session, notices: list[Notice], *, today: dt.date) -> list[OutgoingMail]:
    if not notices:
        return []
    contacts = contacts_by_unit(session)
    if not contacts:
        return []
    task_ids = sorted({n.task_id for n in notices})
    tasks = {t.id: t for t in session.exec(select(Task).where(Task.id.in_(task_ids)))}
    milestone_ids = sorted({n.milestone_id for n in notices if n.milestone_id})
    milestones = {m.id: m for m in session.exec(select(Milestone).where(Milestone.id.in_(milestone_ids)))} \
        if milestone_ids else {}
    names = {d.id: d.name for d in session.exec(select(Department))}
    supporting: dict[int, list[int]] = defaultdict(list)
    for r in session.exec(select(Responsibility).where(Responsibility.task_id.in_(task_ids),
                                                       Responsibility.duty == Duty.SUPPORT.value)
                          .order_by(Responsibility.position)):
        supporting[r.task_id].append(r.department_id)
    parent_ids = sorted({n.parent_id for n in notices if n.parent_id})
    parents = {p.id: p.number for p in session.exec(select(Notice).where(Notice.id.in_(parent_ids)))} \
        if parent_ids else {}
    plans = {p.id: p for p in all_plans(session)}
    mails: list[OutgoingMail] = []
    for notice in notices:
        task = tasks[notice.task_id]
        copied = supporting[task.id] if notice.level in (NoticeLevel.SUPERVISE, NoticeLevel.CIRCULATE) else []
        context = notice_context(notice, task, milestones.get(notice.milestone_id), names[notice.department_id],
                                 [names[d] for d in copied], today, parents.get(notice.parent_id),
                                 plans.get(task.plan_id))
        targets: list[tuple[Recipient, str, str]] = [
            (r, names[notice.department_id], "主送") for r in contacts.get(department_key(notice.department_id), [])]
        for dept in copied:
            targets += [(r, names[dept], "抄送") for r in contacts.get(department_key(dept), [])]
        if notice.level == NoticeLevel.CIRCULATE:
            targets += [(r, "市领导小组", "领导小组") for r in contacts.get(LEADERSHIP_KEY, [])]
        seen: set[str] = set()
        for recipient, unit_name, role in targets:
            if recipient.email in seen:
                continue
            seen.add(recipient.email)
            subject, text, html = render_notice(context, recipient_name=recipient.name, unit_name=unit_name,
                                                role=role)
            mails.append(OutgoingMail(dedup_key=f"notice:{notice.id}", kind="notice", notice_id=notice.id,
                                      recipient_email=recipient.email, recipient_name=recipient.name,
                                      subject=subject, body_text=text, body_html=html))
    return mails
