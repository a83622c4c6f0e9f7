"""领导批示: a leader writes it on what they are reading (a task, a decision, a 督办 notice, an indicator); the
office turns it into a 交办 (a supervised matter with units and a deadline) or records it as read; the units
answer; the leader settles it or asks again. Nothing is ever edited or deleted: each step is an event (and an
audit record), and the database refuses UPDATE and DELETE on both tables."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from ylyx_tasks import clock
from ylyx_tasks.domain.meetings import (
    EVENT_ROLES,
    InstructionEvent,
    TargetKind,
    TaskSource,
    check_event,
    instruction_state,
    require_role,
)
from ylyx_tasks.domain.roles import Actor, PermissionDenied, Role
from ylyx_tasks.errors import InvalidInput, NotFound
from ylyx_tasks.models import (
    Indicator,
    Instruction,
    InstructionStep,
    Notice,
    Plan,
    Responsibility,
    Task,
    User,
    WorkingGroup,
)
from ylyx_tasks.services import audit
from ylyx_tasks.services.meetings.matters import MatterInput, create_matter, group_named, next_code

MAX_TEXT = 2000


def _text(value: str, what: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写{what}")
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"{what}不能超过 {MAX_TEXT} 字")
    return value


def _target(session: Session, kind: TargetKind, target_id: int) -> tuple[int, int | None, str]:
    """(plan id, task id, label) of what the 批示 is written on."""
    if kind == TargetKind.TASK:
        task = session.get(Task, target_id)
        if task is None:
            raise NotFound(f"没有编号为 {target_id} 的任务")
        label = f"{task.source} {task.code} {task.title}"
        return task.plan_id, task.id, label
    if kind == TargetKind.NOTICE:
        notice = session.get(Notice, target_id)
        if notice is None:
            raise NotFound(f"没有编号为 {target_id} 的通知")
        task = session.get(Task, notice.task_id)
        return task.plan_id, task.id, f"{notice.level} {notice.number or '#' + str(notice.id)}（任务 {task.code}）"
    indicator = session.get(Indicator, target_id)
    if indicator is None:
        raise NotFound(f"没有编号为 {target_id} 的指标")
    return indicator.plan_id, None, f"指标 {indicator.name}"[:200]


def get_instruction(session: Session, instruction_id: int) -> Instruction:
    found = session.get(Instruction, instruction_id)
    if found is None:
        raise NotFound(f"没有编号为 {instruction_id} 的批示")
    return found


def _events(session: Session, instruction_id: int) -> list[InstructionStep]:
    return list(session.exec(select(InstructionStep).where(InstructionStep.instruction_id == instruction_id)
                             .order_by(InstructionStep.id)))


def write(session: Session, actor: Actor, *, target_kind: TargetKind | str, target_id: int, text: str) -> Instruction:
    """写批示 — leaders only."""
    require_role(actor, {Role.LEADER}, "写批示")
    kind = TargetKind(target_kind)
    text = _text(text, "批示内容")
    plan_id, task_id, label = _target(session, kind, target_id)
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    name = (user.display_name or user.username) if user is not None else actor.username
    found = Instruction(plan_id=plan_id, leader_id=actor.user_id, leader_name=name[:64], target_kind=kind.value,
                        target_id=target_id, target_label=label[:200], task_id=task_id, text=text,
                        created_at=clock.utcnow())
    session.add(found)
    session.flush()
    audit.record(session, actor, "领导批示", "instruction", found.id, task_id=task_id,
                 after={"target": label, "text": text[:500]})
    return found


def _step(session: Session, actor: Actor, found: Instruction, event: InstructionEvent, text: str, *,
          department_id: int | None = None, matter_id: int | None = None) -> InstructionStep:
    require_role(actor, EVENT_ROLES[event], f"对批示“{event.value}”")
    check_event(instruction_state(e.kind for e in _events(session, found.id)), event)
    step = InstructionStep(instruction_id=found.id, kind=event.value, text=text, actor_id=actor.user_id,
                           actor_name=actor.username, department_id=department_id, matter_id=matter_id,
                           created_at=clock.utcnow())
    session.add(step)
    session.flush()
    audit.record(session, actor, f"批示{event.value}", "instruction", found.id, task_id=matter_id or found.task_id,
                 after={"event": event.value, "text": text[:500], "department_id": department_id,
                        "matter_id": matter_id})
    return step


def assign(session: Session, actor: Actor, *, instruction_id: int, matter: MatterInput, today: dt.date) -> Task:
    """交办 (office): a supervised matter with lead and supporting units and a deadline, linked to the 批示 and to
    the task it concerns."""
    found = get_instruction(session, instruction_id)
    require_role(actor, EVENT_ROLES[InstructionEvent.ASSIGN], "交办批示")
    check_event(instruction_state(e.kind for e in _events(session, found.id)), InstructionEvent.ASSIGN)
    if matter.related_task_id is None and found.task_id is not None:
        matter = MatterInput(text=matter.text, lead_unit=matter.lead_unit, due_on=matter.due_on,
                             supporting_units=matter.supporting_units, related_task_id=found.task_id)
    plan = session.get(Plan, found.plan_id)
    # supervised in the working group of the task it concerns; otherwise (an indicator) by the 综合专班
    concerned = session.get(Task, found.task_id) if found.task_id is not None else None
    group = (session.get(WorkingGroup, concerned.working_group_id) if concerned is not None
             else group_named(session, "综合专班"))
    task = create_matter(session, actor, plan, matter, source=TaskSource.INSTRUCTION,
                         code=next_code(session, plan.id, "批"), section="领导批示交办", group=group, today=today,
                         instruction_id=found.id)
    _step(session, actor, found, InstructionEvent.ASSIGN, f"交办 {task.code}：{matter.text.strip()[:200]}",
          matter_id=task.id)
    return task


def note(session: Session, actor: Actor, *, instruction_id: int, text: str = "已阅知，无需交办") -> InstructionStep:
    """阅知 (office): recorded as read, nothing to assign."""
    return _step(session, actor, get_instruction(session, instruction_id), InstructionEvent.NOTE,
                 _text(text, "说明"))


def answer(session: Session, actor: Actor, *, instruction_id: int, text: str,
           department_id: int | None = None) -> InstructionStep:
    """答复: a liaison answers for their unit — a unit responsible for the 交办 matter or for the task the 批示
    concerns; the office may record an answer on a unit's behalf (naming the unit)."""
    found = get_instruction(session, instruction_id)
    text = _text(text, "答复内容")
    tasks = [s.matter_id for s in _events(session, found.id) if s.matter_id] + ([found.task_id] if found.task_id else [])
    units = set(session.exec(select(Responsibility.department_id).where(Responsibility.task_id.in_(tasks)))) if tasks else set()
    if actor.role == Role.LIAISON:
        if department_id not in (None, actor.department_id):
            raise PermissionDenied("单位联络员只能为本单位答复")
        department_id = actor.department_id
        if department_id not in units:
            raise PermissionDenied("本单位不是该批示所涉事项的责任单位，不能答复")
    elif department_id is not None and department_id not in units:
        raise InvalidInput("该单位不是该批示所涉事项的责任单位")
    return _step(session, actor, found, InstructionEvent.ANSWER, text, department_id=department_id)


def _own(actor: Actor, found: Instruction) -> None:
    if actor.user_id != found.leader_id:
        raise PermissionDenied("只有作出批示的领导本人可以办结或再次批示")


def settle(session: Session, actor: Actor, *, instruction_id: int, text: str = "同意办结") -> InstructionStep:
    """办结 (the leader who wrote it)."""
    found = get_instruction(session, instruction_id)
    require_role(actor, {Role.LEADER}, "办结批示")
    _own(actor, found)
    return _step(session, actor, found, InstructionEvent.SETTLE, _text(text, "办结意见"))


def ask_again(session: Session, actor: Actor, *, instruction_id: int, text: str) -> InstructionStep:
    """再次批示 (the leader who wrote it): the 批示 goes back to the office and the units with the new words."""
    found = get_instruction(session, instruction_id)
    require_role(actor, {Role.LEADER}, "再次批示")
    _own(actor, found)
    return _step(session, actor, found, InstructionEvent.AGAIN, _text(text, "再次批示内容"))
