"""回头看 as the office and the lead units read them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from ylyx_tasks.domain.roles import Duty
from ylyx_tasks.models import Department, EvidenceMatch, Milestone, Recheck, Responsibility, ReviewRequest, Task


@dataclass(frozen=True)
class RecheckRow:
    id: int
    task_id: int
    code: str
    title: str
    lead: str
    lead_id: int | None
    commitment: str
    completed_on: dt.date
    kind: str
    due_on: dt.date
    status: str
    result: str
    evidence: str
    decision_note: str
    reopened: bool

    @property
    def label(self) -> str:
        return f"#{self.id} {self.code} {self.title[:20]}（{self.kind}，{self.due_on.isoformat()} 起，{self.status}）"


def rechecks(session: Session, plan_id: int, *, department_id: int | None = None) -> list[RecheckRow]:
    """The plan's rechecks (of one lead unit's matters), the earliest due first."""
    lead = (sa.select(Responsibility.task_id, sa.func.min(Responsibility.department_id).label("dept"))
            .where(Responsibility.duty == Duty.LEAD.value).group_by(Responsibility.task_id).subquery())
    stmt = (sa.select(Recheck.id, Recheck.task_id, Task.code, Task.title, Department.name, lead.c.dept,
                      Milestone.commitment, Recheck.completed_on, Recheck.kind, Recheck.due_on, Recheck.status,
                      Recheck.result, Recheck.evidence, Recheck.decision_note, Recheck.reopened)
            .join(Task, Task.id == Recheck.task_id).join(Milestone, Milestone.id == Recheck.milestone_id)
            .outerjoin(lead, lead.c.task_id == Recheck.task_id).outerjoin(Department, Department.id == lead.c.dept)
            .where(Task.plan_id == plan_id).order_by(Recheck.due_on, Recheck.id))
    if department_id is not None:
        stmt = stmt.where(lead.c.dept == department_id)
    return [RecheckRow(*r) for r in session.connection().execute(stmt).all()]


@dataclass(frozen=True)
class MatchRow:
    code: str
    filename: str
    other_code: str
    other_filename: str
    requested_at: dt.datetime


def evidence_matches(session: Session, plan_id: int, task_id: int | None = None, request_id: int | None = None
                     ) -> list[MatchRow]:
    """Completion claims whose files are identical to another matter's (the latest first): of the plan, of one
    task, or of one claim."""
    other = sa.orm.aliased(Task)
    stmt = (sa.select(Task.code, EvidenceMatch.filename, other.code, EvidenceMatch.other_filename,
                      ReviewRequest.requested_at)
            .join(Task, Task.id == EvidenceMatch.task_id).join(other, other.id == EvidenceMatch.other_task_id)
            .join(ReviewRequest, ReviewRequest.id == EvidenceMatch.request_id)
            .where(Task.plan_id == plan_id).order_by(EvidenceMatch.id.desc()))
    if task_id is not None:
        stmt = stmt.where(EvidenceMatch.task_id == task_id)
    if request_id is not None:
        stmt = stmt.where(EvidenceMatch.request_id == request_id)
    return [MatchRow(*r) for r in session.connection().execute(stmt).all()]
