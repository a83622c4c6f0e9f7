"""Closing the notices a change has settled (自动办结): a milestone done, a missing report received, a due date
moved by an approved extension.

Two paths find such notices — the workflow at the moment of the change (:func:`close_settled_notices`) and the
daily scan as a safety net after imports or direct database fixes (:func:`close_settled`) — and both close them
through :func:`close_notices`, which writes a notice only if its version is still the one that was read. Two
scans at once, or a scan and the office closing the same notice by hand, then close and record it once.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import exists, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql import Select
from sqlmodel import Session

from ylyx_tasks import clock
from ylyx_tasks.domain.notices import OPEN_STATUSES, NoticeLevel, NoticeStatus
from ylyx_tasks.domain.roles import SYSTEM, Actor
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Milestone, Notice, Task
from ylyx_tasks.models.sql_rules import literal_in
from ylyx_tasks.services import audit

OPEN_VALUES = tuple(s.value for s in OPEN_STATUSES)
AUTO_CLOSE = "督办自动办结"  # the audit action of a notice closed by a change, not by a person


class NoticeState(NamedTuple):
    """What was read of a notice before closing it: enough to close it only if nobody changed it since."""

    id: int
    version: int
    status: str
    task_id: int
    level: str


_STATE = (Notice.id, Notice.version, Notice.status, Notice.task_id, Notice.level)


def close_notices(session: Session, states: Iterable[NoticeState], *, note: str | dict[str, str],
                  actor: Actor = SYSTEM, now: dt.datetime | None = None) -> int:
    """Close each notice whose version is still ``state.version`` and record it; skip the others (someone —
    another scan, the office — changed it since it was read: closing it again would write and record twice).
    ``note`` is the close note, or one per level. Returns how many were closed."""
    now = now or clock.utcnow()
    closed: list[int] = []
    conn = session.connection()
    for state in states:
        text = note if isinstance(note, str) else note.get(state.level, "")
        changed = conn.execute(update(Notice).where(Notice.id == state.id, Notice.version == state.version)
                               .values(status=NoticeStatus.CLOSED.value, closed_at=now, close_note=text,
                                       version=Notice.version + 1)).rowcount
        if changed != 1:
            continue
        audit.record(session, actor, AUTO_CLOSE, "notice", state.id, task_id=state.task_id,
                     before={"status": state.status}, after={"status": NoticeStatus.CLOSED.value}, note=text)
        closed.append(state.id)
    # a notice this session holds as an object shows what was written (as loaded, not as a pending change)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Notice) and obj.id in closed:
            for name, value in (("status", NoticeStatus.CLOSED.value), ("closed_at", now),
                                ("close_note", note if isinstance(note, str) else note.get(obj.level, "")),
                                ("version", obj.version + 1)):
                set_committed_value(obj, name, value)
    return len(closed)


def close_settled_notices(session: Session, *, note: str, milestone_id: int | None = None,
                          task_id: int | None = None, levels: tuple[NoticeLevel, ...] | None = None,
                          up_to_period: str | None = None) -> int:
    """Close the open notices (reminders included) that a change has just settled: those of ``milestone_id``
    or ``task_id``, of ``levels``, of periods up to ``up_to_period``."""
    session.flush()  # the change that settles them is part of this transaction
    stmt = select(*_STATE).where(Notice.status.in_(OPEN_VALUES + (NoticeStatus.SENT.value,)))
    if milestone_id is not None:
        stmt = stmt.where(Notice.milestone_id == milestone_id)
    if task_id is not None:
        stmt = stmt.where(Notice.task_id == task_id)
    if levels:
        stmt = stmt.where(Notice.level.in_([lv.value for lv in levels]))
    if up_to_period is not None:
        stmt = stmt.where(Notice.period <= up_to_period)
    states = [NoticeState(*row) for row in session.connection().execute(stmt.order_by(Notice.id))]
    return close_notices(session, states, note=note)


@functools.lru_cache(maxsize=1)
def _settled_questions() -> tuple[Select, Select]:
    """Which open notices have a done milestone; which open 催报 have their report (or a done task)."""
    open_statuses = literal_in(Notice.status, *OPEN_VALUES)
    # two joins rather than one OR of EXISTS; the first merges two small indexes (the open notices by milestone,
    # the done milestones)
    milestone_done = (select(*_STATE).join(Milestone, Milestone.id == Notice.milestone_id)
                      .where(open_statuses, literal_in(Milestone.status, Status.DONE.value)))
    # from the open 催报 (few) to their tasks, not the other way round: a correlated EXISTS fixes that order
    reported = exists().where(Task.id == Notice.task_id,
                              (Task.last_report_period >= Notice.period) | (Task.status == Status.DONE.value))
    chase_settled = select(*_STATE).where(open_statuses, Notice.level == NoticeLevel.CHASE.value, reported)
    return milestone_done, chase_settled


def close_settled(session: Session, today: dt.date) -> int:
    """The scan's safety net: close open notices whose milestone is done, and 催报 whose report has arrived
    (normally the workflow does this at once; the scan makes sure after imports or manual database fixes)."""
    conn = session.connection()
    milestone_done, chase_settled = _settled_questions()
    states = {row[0]: NoticeState(*row) for q in (milestone_done, chase_settled) for row in conn.execute(q)}
    return close_notices(session, [states[i] for i in sorted(states)],
                         note={NoticeLevel.CHASE.value: "已报送"} | {
                             lv.value: "节点已完成" for lv in NoticeLevel if lv != NoticeLevel.CHASE})
