"""The daily scan (调度): finds what calls for a notice today and issues it, with its mail deliveries, and drafts
each plan's periodic 通报（第N期） when its day comes (:mod:`~ylyx_tasks.services.supervision.bulletins`).

Idempotent by construction (see :mod:`~ylyx_tasks.services.supervision.issue`): two scans at once, a scan
repeated, a scan resumed after a crash — every notice exists exactly once. Each question asks only for what is
new: the keys the rules would give are formed in SQL (:mod:`ylyx_tasks.models.sql_rules`) and looked up in the
unique index, so a scan with nothing to do gets no rows back.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections import Counter as Tally
from dataclasses import dataclass, field

from sqlalchemy import Date, Integer, String, bindparam, case, exists, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql import Select
from sqlmodel import Session

from ylyx_tasks import clock
from ylyx_tasks.db import write_session
from ylyx_tasks.domain import notices as rules_n
from ylyx_tasks.domain import periods
from ylyx_tasks.domain import plans as plan_rules
from ylyx_tasks.domain.notices import NoticeLevel
from ylyx_tasks.domain.plans import PlanStatus
from ylyx_tasks.domain.roles import Duty
from ylyx_tasks.domain.rules import SupervisionRules
from ylyx_tasks.domain.status import UNFINISHED
from ylyx_tasks.models import Delivery, Milestone, Notice, Responsibility, Task, sql_rules
from ylyx_tasks.models.sql_rules import among, days_between, literal_in
from ylyx_tasks.reads.plans import PlanInfo, all_plans, last_due_period, rules_from_settings
from ylyx_tasks.services.mail.queue import UNSENT
from ylyx_tasks.services.supervision.bulletins import draft_due
from ylyx_tasks.services.supervision.issue import NewNotice, create_notices
from ylyx_tasks.services.supervision.settle import close_settled

log = logging.getLogger(__name__)
CHUNK = 500


@dataclass
class ScanResult:
    today: dt.date
    created: Tally = field(default_factory=Tally)
    closed: int = 0
    mails: int = 0
    bulletins: int = 0  # 通报 drafts made

    def summary(self) -> str:
        parts = [f"{lv.value} {self.created[lv.value]}" for lv in NoticeLevel if self.created[lv.value]]
        made = "，".join(parts) if parts else "无新通知"
        drafts = f"；起草通报 {self.bulletins} 期" if self.bulletins else ""
        return f"{self.today.isoformat()} 扫描：{made}{drafts}；自动办结 {self.closed}；待发邮件 {self.mails}"


# --- what is due ----------------------------------------------------------------------------------------------


UNFINISHED_VALUES = tuple(s.value for s in UNFINISHED)
_EXISTING = Notice.__table__.alias("existing")  # a notice looked up by the key the rule would give it


@dataclass(frozen=True)
class _Questions:
    """The scan's questions as statements. Each leaves out what exists already, so that a scan with nothing new
    to do gets no rows back. The keys a rule would give are formed in SQL (tests/test_scan_prefilter.py holds
    them to the rules in :mod:`ylyx_tasks.domain.notices`, day by day). Parameters: today, horizon, plan_id,
    due_period, cutoff."""

    upcoming: Select | None  # 提醒: unfinished, due within the widest window, without this window's reminder
    overdue: Select  # 督办: past due and unfinished, without a 督办 for this due date
    late: Select  # 催报: unfinished tasks not reported for the last due period, and not chased for it


@functools.lru_cache(maxsize=16)
def _questions(dialect: str, reminder_days: tuple[int, ...]) -> _Questions:
    """Built once per database and rules (building and caching a statement costs more than some queries)."""
    today = bindparam("today", type_=Date)
    # named positively and literally: ix_milestone_unfinished holds exactly these milestones
    unfinished = literal_in(Milestone.status, *UNFINISHED_VALUES)
    upcoming = None
    if reminder_days:
        # the window the milestone is in, as rules_n.reminder_due has them: (lower, d]
        days_left = days_between(dialect, Milestone.due_date, today)
        window = case(*[(days_left <= d, d) for d in sorted(reminder_days)])
        key = sql_rules.reminder_key(dialect, window, Milestone.id, Milestone.due_date)
        upcoming = select(Milestone.id, Milestone.task_id, Milestone.due_date, Milestone.status).where(
            unfinished, Milestone.due_date >= today, Milestone.due_date <= bindparam("horizon", type_=Date),
            ~exists().where(_EXISTING.c.dedup_key == key))
    has_supervise = exists().where(Notice.milestone_id == Milestone.id, literal_in(Notice.level, NoticeLevel.SUPERVISE.value),
                                   Notice.milestone_due == Milestone.due_date)
    overdue = select(Milestone.id, Milestone.task_id, Milestone.due_date).where(
        unfinished, Milestone.due_date < today, ~has_supervise)
    due_period = bindparam("due_period", type_=String)
    has_chase = exists().where(Notice.task_id == Task.id, literal_in(Notice.level, NoticeLevel.CHASE.value),
                               Notice.period == due_period)
    late = select(Task.id).where(Task.plan_id == bindparam("plan_id", type_=Integer),
                                 sql_rules.report_late(due_period), ~has_chase)
    return _Questions(upcoming, overdue, late)


def _serial(session: Session) -> None:
    """No parallel workers for this transaction's queries (PostgreSQL). The scan asks many small questions, each
    an index read of a few milliseconds; the planner sometimes gives one of them two workers, whose start costs
    more than the whole query (measured: the late-report question, 4 ms alone, 7 ms with workers)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


def _task_facts(task_ids: list[int], session: Session) -> dict[int, tuple[int, int]]:
    """task id → (its lead unit — the first 牵头 in the document's order —, its plan)."""
    dialect = session.get_bind().dialect.name
    out: dict[int, tuple[int, int]] = {}
    for start in range(0, len(task_ids), 5000):
        chunk = task_ids[start:start + 5000]
        for task_id, dept, plan_id in session.execute(
                select(Responsibility.task_id, Responsibility.department_id, Task.plan_id)
                .join(Task, Task.id == Responsibility.task_id)
                .where(among(dialect, Responsibility.task_id, chunk), Responsibility.duty == Duty.LEAD.value)
                .order_by(Responsibility.task_id, Responsibility.position.desc())):
            out[task_id] = (dept, plan_id)  # the last written per task is its first lead
    return out


def _supervised(plans: list[PlanInfo], today: dt.date) -> tuple[list[PlanInfo], list[int]]:
    """The plans the scan looks at today — begun and not archived (a plan being closed out keeps its open
    matters supervised) — and the ids of the others, whose tasks it leaves alone."""
    watched = [p for p in plans if plan_rules.started(p.period_start, today) and p.status != PlanStatus.ARCHIVED]
    ids = {p.id for p in watched}
    return watched, [p.id for p in plans if p.id not in ids]


def due_notices(session: Session, today: dt.date, rules: SupervisionRules | None = None) -> list[NewNotice]:
    """Every notice the rules call for today that does not exist yet, for every plan by its own period and
    rules (sorted, see :func:`_without_existing`). ``rules``: the shared rules (tests vary them)."""
    _serial(session)
    conn = session.connection()  # plain rows: no ORM work on what the queries return
    rules = rules or rules_from_settings()
    watched, others = _supervised(all_plans(session), today)
    if not watched:
        return []
    escalation = rules.escalation
    q = _questions(conn.dialect.name, tuple(escalation.reminder_days))
    upcoming_q, overdue_q = q.upcoming, q.overdue
    if others:  # the milestones of plans not begun (or archived) ask for nothing
        outside = Milestone.task_id.not_in(select(Task.id).where(Task.plan_id.in_(others)))
        upcoming_q = None if upcoming_q is None else upcoming_q.where(outside)
        overdue_q = overdue_q.where(outside)
    upcoming = [] if upcoming_q is None else conn.execute(upcoming_q, {
        "today": today, "horizon": today + dt.timedelta(days=max(escalation.reminder_days))}).all()
    overdue = conn.execute(overdue_q, {"today": today}).all()
    late: list[tuple[int, str]] = []  # (task, the period its report is missing for)
    for plan in watched:
        due_period = last_due_period(plan, today, rules)
        if due_period is not None and plan.asks_for_reports(today):
            late += [(t, due_period) for t in conn.execute(q.late, {"plan_id": plan.id,
                                                                    "due_period": due_period}).scalars()]
    facts = _task_facts(sorted({r.task_id for r in upcoming} | {r.task_id for r in overdue} | {t for t, _ in late}),
                        session)

    found: list[NewNotice] = []
    for m_id, task_id, due, status in upcoming:
        days = rules_n.reminder_due(due, status, today, escalation.reminder_days)
        if days is not None and task_id in facts:
            lead, _plan = facts[task_id]
            found.append(NewNotice(rules_n.reminder_key(days, m_id, due), NoticeLevel.REMINDER, task_id, lead,
                                   milestone_id=m_id, milestone_due=due, reason=f"距到期还有 {(due - today).days} 天"))
    for m_id, task_id, due in overdue:
        if task_id in facts:
            lead, _plan = facts[task_id]
            found.append(NewNotice(rules_n.supervise_key(m_id, due), NoticeLevel.SUPERVISE, task_id, lead,
                                   milestone_id=m_id, milestone_due=due, reason="节点逾期未完成"))
    for task_id, due_period in late:
        if task_id in facts:
            lead, _plan = facts[task_id]
            found.append(NewNotice(rules_n.chase_key(task_id, due_period), NoticeLevel.CHASE, task_id, lead,
                                   period=due_period, reason=f"{periods.label(due_period)}进展未按时报送"))
    return _without_existing(session, found)


def _without_existing(session: Session, found: list[NewNotice]) -> list[NewNotice]:
    keys = [n.dedup_key for n in found]
    existing: set[str] = set()
    for start in range(0, len(keys), 5000):
        existing.update(session.execute(select(Notice.dedup_key).where(
            among(session.get_bind().dialect.name, Notice.dedup_key, keys[start:start + 5000]))).scalars())
    fresh = {n.dedup_key: n for n in found if n.dedup_key not in existing}
    # One total order for every scan process: concurrent inserts then wait on each other instead of deadlocking,
    # and numbers follow the plan's order.
    level_order = {lv: i for i, lv in enumerate(NoticeLevel)}
    return sorted(fresh.values(), key=lambda n: (level_order[n.level], n.task_id, n.milestone_id or 0, n.dedup_key))


_UNSENT_MAIL = select(func.count()).select_from(Delivery).where(Delivery.status.in_(UNSENT))


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
        if not due:
            result.mails = session.connection().execute(_UNSENT_MAIL).scalar_one()
    for start in range(0, len(due), CHUNK):
        chunk = due[start:start + CHUNK]
        made = _create_with_retry(chunk, today, rules)
        for notice in made:
            result.created[notice.level] += 1
    # the bulletin after the notices: a 督办 made today is judged with the others (it is listed only later)
    with write_session() as session:
        result.bulletins = len(draft_due(session, today, rules.bulletin))
    if due:
        with write_session() as session:
            result.mails = session.connection().execute(_UNSENT_MAIL).scalar_one()
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
