"""The task page's selector (任务详情): the tasks whose code or title contains some words, a page of them, and where
a user's task page starts — read in SQL, never the whole plan (a province's plans have ten thousand tasks).
``tests/test_readmodel.py`` compares each with the same search over every task."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from ylyx_tasks.domain.roles import Duty
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Responsibility, Task

DONE = Status.DONE.value


@dataclass(frozen=True)
class TaskEntry:
    """A line of the task selector: enough to find and order a task, not the task itself."""
    id: int
    code: str
    title: str
    done: bool
    working_group_id: int


_ENTRY = (Task.id, Task.code, Task.title, Task.status, Task.working_group_id)


def _entries(session: Session, stmt) -> list[TaskEntry]:
    return [TaskEntry(i, c, t, s == DONE, g) for i, c, t, s, g in session.connection().execute(stmt)]


def _containing(session: Session, column, needle: str) -> ColumnElement:
    """``needle in column``, as Python has it (case-sensitive, no wildcards)."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.func.strpos(column, needle) > 0
    return sa.func.instr(column, needle) > 0


def find_tasks(session: Session, plan_id: int, needle: str = "", *, limit: int | None = None
               ) -> tuple[list[TaskEntry], int]:
    """The tasks whose code or title contains ``needle`` (all, when empty), in document order: the first
    ``limit`` of them, and how many there are."""
    where = [Task.plan_id == plan_id]
    if needle:
        where.append(sa.or_(_containing(session, Task.code, needle), _containing(session, Task.title, needle)))
    stmt = sa.select(*_ENTRY).where(*where).order_by(Task.position, Task.code)
    entries = _entries(session, stmt.limit(limit))
    if limit is None or len(entries) < limit:
        return entries, len(entries)
    return entries, session.connection().execute(sa.select(sa.func.count()).select_from(Task).where(*where)).scalar_one()


def task_by_code(session: Session, plan_id: int, code: str) -> TaskEntry | None:
    found = _entries(session, sa.select(*_ENTRY).where(Task.plan_id == plan_id, Task.code == code))
    return found[0] if found else None


def first_task_of(session: Session, plan_id: int, *, department_id: int | None, working_group_id: int | None
                  ) -> TaskEntry | None:
    """Where a user's task page starts: the first task its unit leads, else the first it has any duty on, else
    the first of its working group — unfinished tasks first, in document order within each."""
    order = (sa.case((Task.status == DONE, 1), else_=0), Task.position, Task.code)
    choices = []
    if department_id is not None:
        duties = sa.select(Responsibility.task_id).where(Responsibility.department_id == department_id)
        choices += [Task.id.in_(duties.where(Responsibility.duty == Duty.LEAD.value)), Task.id.in_(duties)]
    if working_group_id is not None:
        choices.append(Task.working_group_id == working_group_id)
    for condition in choices:
        found = _entries(session, sa.select(*_ENTRY).where(Task.plan_id == plan_id, condition)
                         .order_by(*order).limit(1))
        if found:
            return found[0]
    return None
