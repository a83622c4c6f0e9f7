"""The daily scan (调度): finds what calls for a notice today and records it, with its mail deliveries.

Idempotent by construction: each notice has a ``dedup_key`` with a unique constraint, and is inserted with
``ON CONFLICT DO NOTHING``. Two scans at once, a scan repeated, a scan resumed after a crash: every notice exists
exactly once, and only the process that inserted it numbers it and queues its mail (same transaction).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter as Tally
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import String, any_, bindparam, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from ylyx_tasks import clock
from ylyx_tasks.db import write_session
from ylyx_tasks.domain import calendar, periods
from ylyx_tasks.domain import notices as rules_n
from ylyx_tasks.domain.notices import NoticeLevel, NoticeStatus, OPEN_STATUSES
from ylyx_tasks.domain.roles import SYSTEM, Actor, Duty
from ylyx_tasks.domain.rules import SupervisionRules
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Counter, Delivery, Milestone, Notice, Responsibility, Task
from ylyx_tasks.services import audit
from ylyx_tasks.services.calendar_overrides import calendar_overrides
from ylyx_tasks.services.delivery import UNSENT, enqueue
from ylyx_tasks.services.notice_mail import notice_mails
from ylyx_tasks.services.overview import rules_from_settings
from ylyx_tasks.services.plan_loader import current_plan

log = logging.getLogger(__name__)
CHUNK = 500


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


@dataclass
class ScanResult:
    today: dt.date
    created: Tally = field(default_factory=Tally)
    closed: int = 0
    mails: int = 0

    def summary(self) -> str:
        parts = [f"{lv.value} {self.created[lv.value]}" for lv in NoticeLevel if self.created[lv.value]]
        made = "，".join(parts) if parts else "无新通知"
        return f"{self.today.isoformat()} 扫描：{made}；自动办结 {self.closed}；待发邮件 {self.mails}"


# --- what is due ----------------------------------------------------------------------------------------------


def _lead_department(task_ids: list[int], session: Session) -> dict[int, int]:
    out: dict[int, int] = {}
    for start in range(0, len(task_ids), 5000):
        chunk = task_ids[start:start + 5000]
        for task_id, dept in session.execute(select(Responsibility.task_id, Responsibility.department_id).where(
                Responsibility.task_id.in_(chunk), Responsibility.duty == Duty.LEAD.value)):
            out[task_id] = dept
    return out


def due_notices(session: Session, today: dt.date, rules: SupervisionRules) -> list[NewNotice]:
    """Every notice the rules call for today that does not exist yet (sorted by key, see create_notices)."""
    plan = current_plan(session)
    if plan is None:
        return []
    found: list[NewNotice] = []
    # named positively, so that the (status, due_date) index serves the overdue and upcoming milestones
    unfinished = Milestone.status.in_([Status.NOT_STARTED.value, Status.IN_PROGRESS.value])

    # 提醒: milestones due within the widest reminder window
    horizon = today + dt.timedelta(days=max(rules.escalation.reminder_days, default=0))
    upcoming = session.execute(select(Milestone.id, Milestone.task_id, Milestone.due_date, Milestone.status).where(
        unfinished, Milestone.due_date >= today, Milestone.due_date <= horizon)).all()
    # 督办: past due and unfinished, without a 督办 for this due date yet
    has_supervise = exists().where(Notice.milestone_id == Milestone.id, Notice.level == NoticeLevel.SUPERVISE.value,
                                   Notice.milestone_due == Milestone.due_date)
    overdue = session.execute(select(Milestone.id, Milestone.task_id, Milestone.due_date).where(
        unfinished, Milestone.due_date < today, ~has_supervise)).all()
    # 催报: unfinished tasks whose lead has not reported for the last due period, and not chased for it yet
    due_period = periods.last_due_period(today, rules.report_due_day, periods.first_period(plan.issued_on))
    late_tasks = []
    if due_period is not None:
        has_chase = exists().where(Notice.task_id == Task.id, Notice.level == NoticeLevel.CHASE.value,
                                   Notice.period == due_period)
        late_tasks = session.execute(select(Task.id).where(
            Task.plan_id == plan.id, Task.status != Status.DONE.value,
            (Task.last_report_period.is_(None)) | (Task.last_report_period < due_period), ~has_chase)).scalars().all()
    lead = _lead_department(sorted({r.task_id for r in upcoming} | {r.task_id for r in overdue} | set(late_tasks)),
                            session)

    for m_id, task_id, due, status in upcoming:
        days = rules_n.reminder_due(due, status, today, rules.escalation.reminder_days)
        if days is not None and task_id in lead:
            found.append(NewNotice(rules_n.reminder_key(days, m_id, due), NoticeLevel.REMINDER, task_id,
                                   lead[task_id], milestone_id=m_id, milestone_due=due,
                                   reason=f"距到期还有 {(due - today).days} 天"))
    for m_id, task_id, due in overdue:
        if task_id in lead:
            found.append(NewNotice(rules_n.supervise_key(m_id, due), NoticeLevel.SUPERVISE, task_id, lead[task_id],
                                   milestone_id=m_id, milestone_due=due, reason="节点逾期未完成"))
    for task_id in late_tasks:
        if task_id in lead:
            found.append(NewNotice(rules_n.chase_key(task_id, due_period), NoticeLevel.CHASE, task_id,
                                   lead[task_id], period=due_period,
                                   reason=f"{periods.label(due_period)}进展未按时报送"))
    found.extend(_circulations_due(session, today, rules))
    return _without_existing(session, found)


def _circulations_due(session: Session, today: dt.date, rules: SupervisionRules) -> list[NewNotice]:
    """通报 for 督办 that are unanswered past their deadline, or whose milestone is still unfinished."""
    n_days = rules.escalation.escalate_after_days
    answered = Notice.status.in_([NoticeStatus.ANSWERED.value])
    rows = session.execute(
        select(Notice.id, Notice.task_id, Notice.milestone_id, Notice.department_id, Notice.created_on,
               Notice.response_due, Notice.status, Notice.answered_at, Notice.milestone_due, Milestone.status)
        .join(Milestone, Notice.milestone_id == Milestone.id)
        .where(Notice.level == NoticeLevel.SUPERVISE.value, Milestone.status != Status.DONE.value,
               # a 督办 the office has closed (satisfied with the answer, or settled by an extension) is not
               # escalated; nor one about a due date an approved extension has since replaced
               Notice.status.in_([s.value for s in OPEN_STATUSES]), Notice.milestone_due == Milestone.due_date,
               # the cheap pre-filter; the rule below decides
               ((Notice.response_due < today) & ~answered & Notice.answered_at.is_(None))
               | (Notice.created_on <= today - dt.timedelta(days=n_days)))).all()
    out = []
    for (n_id, task_id, m_id, dept, created_on, response_due, status, answered_at, m_due, m_status) in rows:
        is_answered = answered_at is not None
        for reason, k in rules_n.circulations_due(
                supervise_created_on=created_on, response_due=response_due or created_on,
                answered=is_answered, milestone_status=m_status, today=today, escalate_after_days=n_days):
            if reason == "未反馈":
                key, text = rules_n.circulate_unanswered_key(n_id), "督办逾期未反馈"
            else:
                key = rules_n.circulate_overdue_key(n_id, k)
                text = f"督办后 {k * n_days} 天仍未完成" if k == 1 else f"督办后 {k * n_days} 天仍未完成（第 {k} 次通报）"
            out.append(NewNotice(key, NoticeLevel.CIRCULATE, task_id, dept, milestone_id=m_id, parent_id=n_id,
                                 milestone_due=m_due, reason=text))
    return out


def _without_existing(session: Session, found: list[NewNotice]) -> list[NewNotice]:
    keys = [n.dedup_key for n in found]
    existing: set[str] = set()
    if keys and session.get_bind().dialect.name == "postgresql":
        # one array parameter: PostgreSQL plans a list of thousands of parameters slowly
        existing.update(session.execute(select(Notice.dedup_key).where(
            Notice.dedup_key == any_(bindparam("keys", keys, type_=postgresql.ARRAY(String))))).scalars())
    else:
        for start in range(0, len(keys), 5000):
            existing.update(session.execute(select(Notice.dedup_key).where(
                Notice.dedup_key.in_(keys[start:start + 5000]))).scalars())
    fresh = {n.dedup_key: n for n in found if n.dedup_key not in existing}
    # One total order for every scan process: concurrent inserts then wait on each other instead of deadlocking,
    # and numbers follow the plan's order.
    level_order = {lv: i for i, lv in enumerate(NoticeLevel)}
    return sorted(fresh.values(), key=lambda n: (level_order[n.level], n.task_id, n.milestone_id or 0, n.dedup_key))


# --- recording ------------------------------------------------------------------------------------------------


def next_numbers(session: Session, name: str, count: int) -> range:
    """Reserve ``count`` consecutive numbers of sequence ``name`` (row-locked until the transaction ends)."""
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Counter)
    session.execute(insert.values(name=name, value=0).on_conflict_do_nothing(index_elements=["name"]))
    top = session.execute(update(Counter).where(Counter.name == name).values(value=Counter.value + count)
                          .returning(Counter.value)).scalar_one()
    return range(top - count + 1, top + 1)


def create_notices(session: Session, new: list[NewNotice], *, today: dt.date, actor: Actor = SYSTEM,
                   rules: SupervisionRules | None = None) -> list[Notice]:
    """Insert notices (skipping any that exist), number them, queue their mail. Returns those this call made."""
    if not new:
        return []
    rules = rules or rules_from_settings()
    now = clock.utcnow()
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Notice)
    values = []
    for n in new:
        response_due = None
        if n.level in (NoticeLevel.SUPERVISE, NoticeLevel.CIRCULATE):
            response_due = calendar.add_workdays(today, rules.escalation.response_working_days,
                                                 calendar_overrides())
        values.append(dict(dedup_key=n.dedup_key, level=n.level.value, task_id=n.task_id,
                           milestone_id=n.milestone_id, department_id=n.department_id, parent_id=n.parent_id,
                           period=n.period, milestone_due=n.milestone_due, reason=n.reason, created_on=today,
                           created_at=now, response_due=response_due,
                           status=rules_n.initial_status(n.level).value, answer_situation="", answer_reason="",
                           close_note="", version=1))
    stmt = insert.values(values).on_conflict_do_nothing(index_elements=["dedup_key"]).returning(Notice.id)
    ids = list(session.execute(stmt).scalars())
    if not ids:
        return []
    made = list(session.execute(select(Notice).where(Notice.id.in_(ids)).order_by(Notice.id)).scalars())
    by_level: dict[str, list[Notice]] = defaultdict(list)
    for notice in made:
        by_level[notice.level].append(notice)
    for level in sorted(by_level):
        numbers = next_numbers(session, f"{level}:{today.year}", len(by_level[level]))
        for notice, seq in zip(by_level[level], numbers):
            notice.number = rules_n.notice_number(rules.notice_prefix, level, today.year, seq)
    session.flush()
    for notice in made:
        audit.record(session, actor, f"发出{notice.level}", "notice", notice.id, task_id=notice.task_id,
                     after={"number": notice.number, "level": notice.level, "reason": notice.reason,
                            "response_due": notice.response_due})
    enqueue(session, notice_mails(session, made, today=today))
    return made


def close_settled(session: Session, today: dt.date) -> int:
    """Close open notices whose milestone is done, and 催报 whose report has arrived (normally the workflow
    does this at once; the scan makes sure after imports or manual database fixes)."""
    closed = 0
    now = clock.utcnow()
    open_statuses = [s.value for s in OPEN_STATUSES]
    # two joins, each served by an index (open notices by status and level), rather than one OR of EXISTS
    milestone_done = (select(Notice.id).join(Milestone, Milestone.id == Notice.milestone_id)
                      .where(Notice.status.in_(open_statuses), Milestone.status == Status.DONE.value))
    # from the open 催报 (few) to their tasks, not the other way round: a correlated EXISTS fixes that order
    reported = exists().where(Task.id == Notice.task_id,
                              (Task.last_report_period >= Notice.period) | (Task.status == Status.DONE.value))
    chase_settled = select(Notice.id).where(Notice.status.in_(open_statuses),
                                            Notice.level == NoticeLevel.CHASE.value, reported)
    ids = sorted(set(session.execute(milestone_done).scalars()) | set(session.execute(chase_settled).scalars()))
    settled = [n for start in range(0, len(ids), 5000) for n in session.execute(
        select(Notice).where(Notice.id.in_(ids[start:start + 5000])).order_by(Notice.id)).scalars()]
    for notice in settled:
        note = "已报送" if notice.level == NoticeLevel.CHASE else "节点已完成"
        audit.record(session, SYSTEM, "督办自动办结", "notice", notice.id, task_id=notice.task_id,
                     before={"status": notice.status}, after={"status": NoticeStatus.CLOSED.value}, note=note)
        notice.status, notice.closed_at, notice.close_note = NoticeStatus.CLOSED.value, now, note
        notice.version += 1
        closed += 1
    return closed


def run_scan(today: dt.date | None = None, rules: SupervisionRules | None = None) -> ScanResult:
    """The scheduled job: close what is settled, then create what is due, in chunks of their own transactions
    (a crash loses at most the chunk in flight, which the next run makes)."""
    today = today or clock.today()
    rules = rules or rules_from_settings()
    result = ScanResult(today=today)
    with write_session() as session:
        result.closed = close_settled(session, today)
    with write_session() as session:
        due = due_notices(session, today, rules)
    for start in range(0, len(due), CHUNK):
        chunk = due[start:start + CHUNK]
        made = _create_with_retry(chunk, today, rules)
        for notice in made:
            result.created[notice.level] += 1
    with write_session() as session:
        result.mails = session.execute(select(func.count()).select_from(Delivery).where(
            Delivery.status.in_(UNSENT))).scalar_one()
    log.info(result.summary())
    return result


def _create_with_retry(chunk: list[NewNotice], today: dt.date, rules: SupervisionRules, attempts: int = 5
                       ) -> list[Notice]:
    """PostgreSQL may pick one of two concurrent scans as a deadlock victim; the retry then finds the other's
    notices already there and makes only what is still missing."""
    for attempt in range(attempts):
        try:
            with write_session() as session:
                return create_notices(session, chunk, today=today, rules=rules)
        except OperationalError as exc:
            if attempt == attempts - 1 or "deadlock" not in str(exc).lower():
                raise
            log.warning("scan chunk retried after %s", exc.__class__.__name__)
    return []
