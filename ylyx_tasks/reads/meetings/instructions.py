"""领导批示 as the leader, the office and the units read them: each with its events and its state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session, select

from ylyx_tasks.domain.meetings import InstructionState, instruction_state
from ylyx_tasks.domain.roles import Actor, Role
from ylyx_tasks.models import Department, Instruction, InstructionStep, Responsibility, Task


@dataclass(frozen=True)
class Step:
    kind: str
    text: str
    actor: str
    unit: str
    matter_code: str
    at: dt.datetime


@dataclass(frozen=True)
class InstructionRow:
    id: int
    leader_id: int
    leader: str
    target_kind: str
    target_id: int
    target: str
    task_id: int | None
    text: str
    at: dt.datetime
    steps: list[Step] = field(default_factory=list)

    @property
    def state(self) -> InstructionState:
        return instruction_state(s.kind for s in self.steps)

    @property
    def last_answer(self) -> Step | None:
        return next((s for s in reversed(self.steps) if s.kind == "答复"), None)

    @property
    def matter_ids(self) -> list[str]:
        return [s.matter_code for s in self.steps if s.matter_code]

    @property
    def label(self) -> str:
        return f"#{self.id} {self.leader}：{self.text[:24]} → {self.target}（{self.state.value}）"


def instructions(session: Session, plan_id: int, *, leader_id: int | None = None, target_kind: str | None = None,
                 target_id: int | None = None, department_id: int | None = None) -> list[InstructionRow]:
    """The plan's 批示, the latest first: of one leader, on one target, or those a unit must answer (on a task or
    交办 matter for which it is responsible)."""
    stmt = select(Instruction).where(Instruction.plan_id == plan_id)
    if leader_id is not None:
        stmt = stmt.where(Instruction.leader_id == leader_id)
    if target_kind is not None:
        stmt = stmt.where(Instruction.target_kind == target_kind)
    if target_id is not None:
        stmt = stmt.where(Instruction.target_id == target_id)
    found = list(session.exec(stmt.order_by(Instruction.id.desc())))
    if not found:
        return []
    steps = list(session.exec(select(InstructionStep).where(
        InstructionStep.instruction_id.in_([i.id for i in found])).order_by(InstructionStep.id)))
    units = dict(session.exec(select(Department.id, Department.name)).all())
    matter_ids = [s.matter_id for s in steps if s.matter_id]
    codes = dict(session.exec(select(Task.id, Task.code).where(Task.id.in_(matter_ids))).all()) if matter_ids else {}
    by: dict[int, list[Step]] = {}
    for s in steps:
        by.setdefault(s.instruction_id, []).append(Step(s.kind, s.text, s.actor_name, units.get(s.department_id, ""),
                                                        codes.get(s.matter_id, ""), s.created_at))
    rows = [InstructionRow(i.id, i.leader_id, i.leader_name, i.target_kind, i.target_id, i.target_label, i.task_id,
                           i.text, i.created_at, by.get(i.id, [])) for i in found]
    if department_id is not None:
        mine = set(session.exec(select(Responsibility.task_id).where(Responsibility.department_id == department_id)))
        rows = [r for r in rows if r.task_id in mine or any(
            tid in mine for tid, code in codes.items() if code in r.matter_ids)]
    return rows


def for_actor(session: Session, actor: Actor, plan_id: int) -> list[InstructionRow]:
    """What ``actor`` works on: a leader their own 批示, a liaison those of their unit, everyone else all."""
    if actor.role == Role.LEADER:
        return instructions(session, plan_id, leader_id=actor.user_id)
    if actor.role == Role.LIAISON and actor.department_id is not None:
        return instructions(session, plan_id, department_id=actor.department_id)
    return instructions(session, plan_id)
