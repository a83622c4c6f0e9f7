"""Issuing notices (发出): inserting them once whatever races, numbering them per plan prefix, level and year
(运养托督〔2026〕12号), recording them and queueing their mail — for the scan and for the office alike.

Idempotent by construction: each notice has a ``dedup_key`` with a unique constraint, and is inserted with
``ON CONFLICT DO NOTHING``; only the process that inserted a notice numbers it and queues its mail, in the same
transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from ylyx_tasks import clock
from ylyx_tasks.domain import calendar
from ylyx_tasks.domain import notices as rules_n
from ylyx_tasks.domain.notices import NoticeLevel
from ylyx_tasks.domain.roles import SYSTEM, Actor
from ylyx_tasks.domain.rules import SupervisionRules
from ylyx_tasks.models import Counter, Notice, Task
from ylyx_tasks.reads.holidays import holiday_calendar
from ylyx_tasks.reads.plans import all_plans, rules_from_settings
from ylyx_tasks.services import audit
from ylyx_tasks.services.mail.notices import notice_mails
from ylyx_tasks.services.mail.queue import enqueue


@dataclass
class NewNotice:
    dedup_key: str
    level: NoticeLevel
    task_id: int
    department_id: int
    milestone_id: int | None = None
    parent_id: int | None = None
    period: str | None = None
    milestone_due: dt.date | None = None
    reason: str = ""


def next_numbers(session: Session, name: str, count: int) -> range:
    """Reserve ``count`` consecutive numbers of sequence ``name`` (row-locked until the transaction ends)."""
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Counter)
    session.execute(insert.values(name=name, value=0).on_conflict_do_nothing(index_elements=["name"]))
    top = session.execute(update(Counter).where(Counter.name == name).values(value=Counter.value + count)
                          .returning(Counter.value)).scalar_one()
    return range(top - count + 1, top + 1)


def counter_name(prefix: str, level: str, year: int) -> str:
    """The sequence a notice's number comes from: per prefix (a plan's own, or shared by plans that use the
    same one — numbers stay unique), level and year."""
    return f"{prefix}|{level}:{year}"


def create_notices(session: Session, new: list[NewNotice], *, today: dt.date, actor: Actor = SYSTEM,
                   rules: SupervisionRules | None = None) -> list[Notice]:
    """Insert notices (skipping any that exist), number them with their plan's prefix, queue their mail.
    Returns those this call made. An answer deadline counted through a year whose holiday calendar is unknown
    is marked ``calendar_fallback``."""
    if not new:
        return []
    rules = rules or rules_from_settings()
    now = clock.utcnow()
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Notice)
    holidays = holiday_calendar(session)
    response_due, fallback = calendar.add_workdays_checked(today, rules.escalation.response_working_days,
                                                           holidays.overrides, holidays.entered_years)
    values = []
    for n in new:
        answered = n.level in (NoticeLevel.SUPERVISE, NoticeLevel.CIRCULATE)
        values.append(dict(dedup_key=n.dedup_key, level=n.level.value, task_id=n.task_id,
                           milestone_id=n.milestone_id, department_id=n.department_id, parent_id=n.parent_id,
                           period=n.period, milestone_due=n.milestone_due, reason=n.reason, created_on=today,
                           created_at=now, response_due=response_due if answered else None,
                           calendar_fallback=fallback and answered,
                           status=rules_n.initial_status(n.level).value, answer_situation="", answer_reason="",
                           close_note="", version=1))
    stmt = insert.values(values).on_conflict_do_nothing(index_elements=["dedup_key"]).returning(Notice.id)
    ids = list(session.execute(stmt).scalars())
    if not ids:
        return []
    made = list(session.execute(select(Notice).where(Notice.id.in_(ids)).order_by(Notice.id)).scalars())
    prefix_of = _prefixes(session, sorted({n.task_id for n in made}))
    by_sequence: dict[tuple[str, str], list[Notice]] = defaultdict(list)
    for notice in made:
        by_sequence[(prefix_of[notice.task_id], notice.level)].append(notice)
    for prefix, level in sorted(by_sequence):
        batch = by_sequence[(prefix, level)]
        for notice, seq in zip(batch, next_numbers(session, counter_name(prefix, level, today.year), len(batch))):
            notice.number = rules_n.notice_number(prefix, level, today.year, seq)
    session.flush()
    for notice in made:
        audit.record(session, actor, f"发出{notice.level}", "notice", notice.id, task_id=notice.task_id,
                     after={"number": notice.number, "level": notice.level, "reason": notice.reason,
                            "response_due": notice.response_due})
    enqueue(session, notice_mails(session, made, today=today))
    return made


def _prefixes(session: Session, task_ids: list[int]) -> dict[int, str]:
    """task id → the notice prefix of its plan."""
    plans = {p.id: p for p in all_plans(session)}
    return {task_id: plans[plan_id].notice_prefix for task_id, plan_id in session.execute(
        select(Task.id, Task.plan_id).where(Task.id.in_(task_ids)))}
