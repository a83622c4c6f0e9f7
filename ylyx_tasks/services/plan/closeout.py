"""The end of a plan (终期评估): the office marks it 终期评估 — it stops asking for monthly reports, its open
matters stay supervised until closed —, produces the close-out report (.docx: completion per task and
milestone, on time or late, the indicators against their targets, each department's record), carries its
unfinished tasks into another plan (结转, each linked to where it came from), and finally archives it."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.config import get_settings
from ylyx_tasks.documents import render_document
from ylyx_tasks.documents.kinds.evaluation import (
    DepartmentRecord,
    FinalEvaluation,
    IndicatorOutcome,
    MilestoneOutcome,
)
from ylyx_tasks.domain import plans as plan_rules
from ylyx_tasks.domain.plans import PlanStatus
from ylyx_tasks.domain.roles import Actor, Duty, Permission, require
from ylyx_tasks.domain.status import Status
from ylyx_tasks.errors import InvalidInput, NotFound, WorkflowError
from ylyx_tasks.models import Department, Milestone, Plan, Responsibility, Task, WorkingGroup
from ylyx_tasks.reads.indicators import list_indicators
from ylyx_tasks.reads.supervision.notice_document import leading_group
from ylyx_tasks.reads.plans import PlanInfo, info
from ylyx_tasks.reads.tasks import load_task_views
from ylyx_tasks.services import audit
from ylyx_tasks.services.plan.loader import use_groups, use_units


def set_status(session: Session, actor: Actor, *, plan_id: int, status: PlanStatus, today: dt.date) -> Plan:
    """Move a plan to 终期评估 or 已归档 (or back to 在实施, to undo a mistake)."""
    require(actor, Permission.ADMINISTER)
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"没有编号为 {plan_id} 的方案")
    if plan.status == status:
        raise WorkflowError(f"方案已是“{status.value}”")
    before = {"status": plan.status}
    plan.status = status.value
    plan.closed_on = today if status != PlanStatus.ACTIVE else None
    session.add(plan)
    audit.record(session, actor, "方案状态变更", "plan", plan.id, before=before, after={"status": status.value})
    return plan


def carry_over(session: Session, actor: Actor, *, from_plan: int, to_plan: int, codes: list[str] | None = None,
               prefix: str = "结转", today: dt.date) -> list[Task]:
    """Copy the unfinished tasks of ``from_plan`` (or those of ``codes``) into ``to_plan``: the same clause and
    units, a milestone for each unfinished commitment (due no later than the new plan's end) and one at its
    end, and a link to where each came from. A task carried before is not carried again."""
    require(actor, Permission.ADMINISTER)
    source, target = session.get(Plan, from_plan), session.get(Plan, to_plan)
    if source is None or target is None or source.id == target.id:
        raise InvalidInput("请选择两个不同的方案：结转自哪个方案、结转到哪个方案")
    tasks = session.exec(select(Task).where(Task.plan_id == source.id).order_by(Task.position)).all()
    if codes:
        unknown = sorted(set(codes) - {t.code for t in tasks})
        if unknown:
            raise InvalidInput(f"方案 {source.code} 中没有任务 {'、'.join(unknown)}")
        tasks = [t for t in tasks if t.code in codes]
    else:
        tasks = [t for t in tasks if t.status != Status.DONE]
    carried = set(session.exec(select(Task.carried_from_id).where(Task.plan_id == target.id)))
    position = max(session.exec(select(Task.position).where(Task.plan_id == target.id)).all(), default=-1) + 1
    now = clock.utcnow()
    made = []
    for task in tasks:
        if task.id in carried:
            continue
        code = f"{prefix}{task.code}"[:16]
        copy = Task(plan_id=target.id, code=code, position=position, section=task.section, title=task.title,
                    clause_text=task.clause_text, working_group_id=task.working_group_id,
                    county_responsible=task.county_responsible, carried_from_id=task.id, created_at=now,
                    updated_at=now)
        position += 1
        session.add(copy)
        session.flush()
        units = session.exec(select(Responsibility).where(Responsibility.task_id == task.id)).all()
        for r in units:
            session.add(Responsibility(task_id=copy.id, department_id=r.department_id, duty=r.duty,
                                       position=r.position))
        use_units(session, target, [r for r in _departments(session, [r.department_id for r in units])])
        use_groups(session, target, [_group(session, task.working_group_id)])
        _carry_milestones(session, task, copy, target, now)
        audit.record(session, actor, "结转任务", "task", copy.id, task_id=copy.id,
                     after={"from_plan": source.code, "from_task": task.code, "code": code})
        made.append(copy)
    return made


def _carry_milestones(session: Session, task: Task, copy: Task, target: Plan, now: dt.datetime) -> None:
    wanted: dict[str, tuple[str, dt.date]] = {}
    for m in session.exec(select(Milestone).where(Milestone.task_id == task.id, Milestone.status != Status.DONE)):
        due = min(max(m.due_date, target.period_start), target.period_end)
        if m.commitment:
            wanted[plan_rules.milestone_key(due)] = (m.commitment, due)
    wanted.setdefault(plan_rules.milestone_key(target.period_end), ("", target.period_end))
    for key, (commitment, due) in wanted.items():
        session.add(Milestone(task_id=copy.id, key=key, commitment=commitment, start_date=target.issued_on,
                              original_due=due, due_date=due, created_at=now, updated_at=now))


def _departments(session: Session, ids: list[int]) -> list[Department]:
    return list(session.exec(select(Department).where(Department.id.in_(ids))).all())


def _group(session: Session, group_id: int) -> WorkingGroup:
    group = session.get(WorkingGroup, group_id)
    assert group is not None  # a task's group exists (a foreign key)
    return group


def closeout_report(session: Session, plan: PlanInfo, today: dt.date) -> bytes:
    """The 终期评估报告 as a Word document (GB/T 9704), counted as of ``today``."""
    views = load_task_views(session, today, plan_id=plan.id)
    milestones = [MilestoneOutcome(task_code=v.code, task_title=v.title, commitment=m.commitment or "完成本条任务",
                                   lead_unit=v.lead.name if v.lead else "", due_on=m.due_date,
                                   completed_on=m.completed_on if m.done else None)
                  for v in views for m in v.milestones]
    indicators = [IndicatorOutcome(group=r.indicator.group, name=r.indicator.name, unit=r.indicator.unit,
                                   baseline=r.indicator.baseline_text or "—", target=r.indicator.target_text or "—",
                                   actual=f"{r.latest.value:g}（{r.latest.year}年）" if r.latest else "",
                                   nature=r.indicator.nature, met=r.met)
                  for r in list_indicators(session, plan.id)]
    records: dict[str, dict[str, int]] = {}
    for v in views:
        for u in v.units:
            if u.duty == Duty.TERRITORIAL:
                continue
            rec = records.setdefault(u.name, dict(led=0, supported=0, due=0, on_time=0, late=0, unfinished=0))
            rec["led" if u.duty == Duty.LEAD else "supported"] += 1
            if u.duty != Duty.LEAD:
                continue
            for m in v.milestones:
                if m.done or m.due_date < today:
                    rec["due"] += 1
                if m.done and m.completed_on and m.completed_on <= m.due_date:
                    rec["on_time"] += 1
                elif m.done:
                    rec["late"] += 1
                else:
                    rec["unfinished"] += 1
    departments = [DepartmentRecord(unit=name, **rec) for name, rec in records.items()]
    context = FinalEvaluation(
        issuing_office=plan.issuing_office, issued_on=today, plan_title=plan.title, plan_number=plan.doc_number,
        period=f"{plan.period_start.year}—{plan.period_end.year}年", recipients=[leading_group(plan)], as_of=today,
        milestones=milestones, indicators=indicators, departments=departments,
        cc=[f"{leading_group(plan)}各成员单位"])
    return render_document(context, created=clock.now(), override_dir=get_settings().data_dir)


def plan_info(session: Session, plan_id: int) -> PlanInfo:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"没有编号为 {plan_id} 的方案")
    return info(plan)
