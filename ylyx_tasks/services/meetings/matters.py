"""A supervised matter that is not a clause of the plan: a meeting's decision (会议议定) or a 批示's 交办 (领导批示).

It is a row of ``task`` with its ``source`` and links, lead and supporting units (Responsibility) and one
milestone for its deadline — so reports, lights, reminders, 催报, 督办, 通报, digests and the cockpit treat it as
they treat the plan's own tasks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.domain import periods
from ylyx_tasks.domain.meetings import TaskSource
from ylyx_tasks.domain.plans import milestone_key
from ylyx_tasks.domain.roles import Actor, Duty
from ylyx_tasks.errors import InvalidInput
from ylyx_tasks.models import Department, Milestone, Plan, Responsibility, Task, WorkingGroup
from ylyx_tasks.reads.plans import rules_from_settings
from ylyx_tasks.services import audit
from ylyx_tasks.services.plan.loader import use_groups, use_units

# decisions and 交办 come after the plan's clauses in every list in document order
POSITION_BASE = 100_000
MAX_MATTER = 2000


@dataclass(frozen=True)
class MatterInput:
    """What the office writes for a decision or a 交办: the matter, its units (names) and its deadline."""

    text: str
    lead_unit: str
    due_on: dt.date
    supporting_units: Sequence[str] = ()
    related_task_id: int | None = None


def _unit(session: Session, name: str) -> Department:
    unit = session.exec(select(Department).where(Department.name == name.strip())).first()
    if unit is None:
        raise InvalidInput(f"没有单位“{name}”（请用单位名录里的名称）")
    return unit


def check_matter(session: Session, item: MatterInput, today: dt.date, plan: Plan) -> tuple[Department, list[Department]]:
    """Refuse what is wrong with ``item`` before anything is written: its text, units and deadline."""
    text = (item.text or "").strip()
    if not text:
        raise InvalidInput("请填写事项内容")
    if len(text) > MAX_MATTER:
        raise InvalidInput(f"事项内容不能超过 {MAX_MATTER} 字")
    if not (item.lead_unit or "").strip():
        raise InvalidInput(f"请为“{text[:20]}”指定牵头单位")
    lead = _unit(session, item.lead_unit)
    supporting = [_unit(session, n) for n in dict.fromkeys(n for n in item.supporting_units if n.strip())]
    if any(s.id == lead.id for s in supporting):
        raise InvalidInput(f"{lead.name}已是牵头单位，不能同时是配合单位")
    if item.due_on < today:
        raise InvalidInput(f"完成时限 {item.due_on.isoformat()} 早于今天")
    if item.related_task_id is not None:
        related = session.get(Task, item.related_task_id)
        if related is None or related.plan_id != plan.id:
            raise InvalidInput("关联任务不在本方案中")
    return lead, supporting


def create_matter(session: Session, actor: Actor, plan: Plan, item: MatterInput, *, source: TaskSource, code: str,
                  section: str, group: WorkingGroup, today: dt.date, meeting_id: int | None = None,
                  instruction_id: int | None = None) -> Task:
    """The task, its units and its milestone for ``item`` (checked by :func:`check_matter`), with the audit.

    The lead unit owes reports from the first period due after the matter was made: its last report period
    starts at the one already due, so that it is not chased for months before the matter existed."""
    lead, supporting = check_matter(session, item, today, plan)
    now = clock.utcnow()
    text = item.text.strip()
    last = session.exec(select(func.max(Task.position)).where(Task.plan_id == plan.id)).one() or 0
    due_before = periods.last_due_period(today, rules_from_settings().report_due_day,
                                         periods.first_period(plan.issued_on))
    task = Task(plan_id=plan.id, code=code, position=max(last + 1, POSITION_BASE), section=section,
                title=text[:100], clause_text=text, working_group_id=group.id, source=source.value,
                meeting_id=meeting_id, instruction_id=instruction_id, related_task_id=item.related_task_id,
                last_report_period=due_before, created_at=now, updated_at=now)
    session.add(task)
    session.flush()
    units = [(lead, Duty.LEAD), *[(s, Duty.SUPPORT) for s in supporting]]
    for position, (unit, duty) in enumerate(units):
        session.add(Responsibility(task_id=task.id, department_id=unit.id, duty=duty.value, position=position))
    session.add(Milestone(task_id=task.id, key=milestone_key(item.due_on), commitment=text, start_date=today,
                          original_due=item.due_on, due_date=item.due_on, created_at=now, updated_at=now))
    use_units(session, plan, [u for u, _ in units])
    use_groups(session, plan, [group])
    audit.record(session, actor, f"新增{source.value}事项", "task", task.id, task_id=task.id,
                 after={"code": code, "text": text[:200], "lead": lead.name, "supporting": [s.name for s in supporting],
                        "due": item.due_on, "meeting_id": meeting_id, "instruction_id": instruction_id,
                        "related_task_id": item.related_task_id})
    return task


def group_named(session: Session, name: str) -> WorkingGroup:
    group = session.exec(select(WorkingGroup).where(WorkingGroup.name == name)).first()
    if group is None:
        raise InvalidInput(f"没有工作专班“{name}”")
    return group


def next_code(session: Session, plan_id: int, prefix: str) -> str:
    """The next free code ``{prefix}{n}`` in the plan (议3-1, 批12 …)."""
    taken = set(session.exec(select(Task.code).where(Task.plan_id == plan_id, Task.code.startswith(prefix))))
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"
