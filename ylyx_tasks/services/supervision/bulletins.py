"""通报（第N期）: the scheduler drafts one per plan and period, the office reviews it (adds or removes a matter)
and issues it — which numbers it, records it and queues one mail to the leading group and the units it names.
(Reading them: :mod:`ylyx_tasks.reads.supervision.bulletins`; the rules: :mod:`ylyx_tasks.domain.bulletins`.)

Drafting is idempotent by construction: the bulletin is inserted with ``ON CONFLICT (plan_id, period) DO
NOTHING`` and only the process that inserted it adds its matters, in the same transaction — however often and
however concurrently the scan runs, a period has one draft.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from ylyx_tasks import clock
from ylyx_tasks.domain import bulletins as rules_b
from ylyx_tasks.domain import plans as plan_rules
from ylyx_tasks.domain.bulletins import BulletinRules, BulletinStatus
from ylyx_tasks.domain.notices import OPEN_STATUSES, NoticeLevel
from ylyx_tasks.domain.plans import PlanStatus
from ylyx_tasks.domain.roles import SYSTEM, Actor, Permission, require
from ylyx_tasks.domain.status import Status
from ylyx_tasks.errors import NotFound, WorkflowError
from ylyx_tasks.models import Bulletin, BulletinMatter, Milestone, Notice, Task
from ylyx_tasks.reads.supervision import bulletins as reads
from ylyx_tasks.reads.plans import PlanInfo, all_plans, plan_of_task
from ylyx_tasks.services import audit
from ylyx_tasks.services.mail.bulletins import bulletin_mails
from ylyx_tasks.services.mail.queue import enqueue
from ylyx_tasks.services.supervision.issue import counter_name, next_numbers


def _insert(session: Session, table):
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def matters_due(session: Session, plan_id: int, as_of: dt.date, rules: BulletinRules) -> list[dict]:
    """The matters the rules list in ``plan_id``'s bulletin as of ``as_of`` (its period's last day): every open
    督办 about a milestone's current due date, still unfinished, unanswered past its deadline or still unfinished
    ``listed_after_days`` after it — one row per milestone due date, in the plan's order."""
    rows = session.execute(
        select(Notice.id, Notice.task_id, Notice.milestone_id, Notice.milestone_due, Notice.department_id,
               Notice.created_on, Notice.response_due, Notice.answered_at, Milestone.status)
        .join(Milestone, Milestone.id == Notice.milestone_id).join(Task, Task.id == Notice.task_id)
        .where(Task.plan_id == plan_id, Notice.level == NoticeLevel.SUPERVISE.value,
               Notice.status.in_([s.value for s in OPEN_STATUSES]), Milestone.status != Status.DONE.value,
               # a 督办 about a due date an approved extension has since replaced is not listed
               Notice.milestone_due == Milestone.due_date, Notice.created_on <= as_of)
        .order_by(Task.position, Notice.milestone_id, Notice.id)).all()
    out: dict[tuple[int, dt.date], dict] = {}
    for n_id, task_id, m_id, m_due, dept, created_on, response_due, answered_at, m_status in rows:
        reason = rules_b.listing_reason(supervise_created_on=created_on, response_due=response_due,
                                        answered=answered_at is not None, milestone_status=m_status, as_of=as_of,
                                        listed_after_days=rules.listed_after_days)
        if reason is not None and (m_id, m_due) not in out:
            out[(m_id, m_due)] = dict(notice_id=n_id, task_id=task_id, milestone_id=m_id, milestone_due=m_due,
                                      department_id=dept, reason=reason, added_by_office=False)
    return list(out.values())


def draft(session: Session, plan: PlanInfo, period: str, *, today: dt.date, rules: BulletinRules,
          actor: Actor = SYSTEM) -> Bulletin | None:
    """Draft ``plan``'s bulletin for ``period``; None when it exists already (drafted by this or another process).
    A period with nothing to list gets an empty draft, which cannot be issued: it records that the period was
    looked at."""
    _, as_of = rules_b.period_bounds(period, rules.months)
    stmt = _insert(session, Bulletin).values(
        plan_id=plan.id, period=period, months=rules.months, status=BulletinStatus.DRAFT.value, as_of=as_of,
        drafted_on=today, legacy=False, version=1).on_conflict_do_nothing(
        index_elements=["plan_id", "period"]).returning(Bulletin.id)
    bulletin_id = session.execute(stmt).scalar_one_or_none()
    if bulletin_id is None:
        return None
    matters = matters_due(session, plan.id, as_of, rules)
    if matters:
        session.execute(_insert(session, BulletinMatter), [dict(m, bulletin_id=bulletin_id) for m in matters])
    audit.record(session, actor, "起草通报", "bulletin", bulletin_id,
                 after={"plan": plan.code, "period": period, "matters": len(matters)})
    return session.get(Bulletin, bulletin_id)


def draft_due(session: Session, today: dt.date, rules: BulletinRules, plans: list[PlanInfo] | None = None
              ) -> list[Bulletin]:
    """The scheduler's step: draft each supervised plan's bulletin for the period due today (those drafted
    already are left alone). Returns the drafts this call made."""
    period = rules_b.period_to_draft(today, rules)
    if period is None:
        return []
    _, end = rules_b.period_bounds(period, rules.months)
    made = []
    # a plan past its period but not archived (终期评估) keeps its open matters supervised, and listed
    for plan in plans if plans is not None else all_plans(session):
        if plan.status == PlanStatus.ARCHIVED or not plan_rules.started(plan.period_start, end):
            continue
        bulletin = draft(session, plan, period, today=today, rules=rules)
        if bulletin is not None:
            made.append(bulletin)
    return made


def _draft_of(session: Session, bulletin_id: int, expected_version: int | None) -> Bulletin:
    bulletin = session.get(Bulletin, bulletin_id)
    if bulletin is None:
        raise NotFound(f"没有编号为 {bulletin_id} 的通报")
    if bulletin.status != BulletinStatus.DRAFT:
        raise WorkflowError(f"通报已印发（{bulletin.number}），不能再修改")
    if expected_version is not None and bulletin.version != expected_version:
        raise WorkflowError("该通报刚被他人修改，请刷新后重试")
    return bulletin


def _bump(session: Session, bulletin: Bulletin, **values) -> None:
    """Conditional version bump: of two concurrent changes to a draft, the second is refused."""
    result = session.execute(update(Bulletin).where(Bulletin.id == bulletin.id, Bulletin.version == bulletin.version,
                                                    Bulletin.status == BulletinStatus.DRAFT.value)
                             .values(version=Bulletin.version + 1, **values))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise WorkflowError("该通报刚被他人修改或已印发，请刷新后重试")
    session.refresh(bulletin)


def add_matter(session: Session, actor: Actor, *, bulletin_id: int, notice_id: int, reason: str,
               expected_version: int | None = None) -> BulletinMatter:
    """The office lists a further open 督办 in a draft (once: a milestone's due date is listed at most once)."""
    require(actor, Permission.MANAGE_NOTICE)
    bulletin = _draft_of(session, bulletin_id, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("请填写列入通报的事由")
    if len(reason) > 500:
        raise WorkflowError("事由不能超过 500 字")
    notice = session.get(Notice, notice_id)
    if notice is None or notice.level != NoticeLevel.SUPERVISE or notice.milestone_id is None:
        raise WorkflowError(f"没有编号为 {notice_id} 的督办")
    if plan_of_task(session, notice.task_id).id != bulletin.plan_id:
        raise WorkflowError(f"督办 {notice.number} 不属于本通报的方案")
    if notice.status not in OPEN_STATUSES:
        raise WorkflowError(f"督办 {notice.number} 已办结，不能列入通报")
    exists = session.execute(select(BulletinMatter.id).where(
        BulletinMatter.bulletin_id == bulletin.id, BulletinMatter.milestone_id == notice.milestone_id,
        BulletinMatter.milestone_due == notice.milestone_due)).first()
    if exists:
        raise WorkflowError(f"督办 {notice.number} 的事项已在本期通报中")
    _bump(session, bulletin)
    matter = BulletinMatter(bulletin_id=bulletin.id, notice_id=notice.id, task_id=notice.task_id,  # type: ignore[arg-type]
                            milestone_id=notice.milestone_id, milestone_due=notice.milestone_due,  # type: ignore[arg-type]
                            department_id=notice.department_id, reason=reason, added_by_office=True)
    session.add(matter)
    session.flush()
    audit.record(session, actor, "通报增列事项", "bulletin", bulletin.id, task_id=notice.task_id,
                 after={"notice": notice.number, "reason": reason})
    return matter


def remove_matter(session: Session, actor: Actor, *, bulletin_id: int, matter_id: int, note: str,
                  expected_version: int | None = None) -> None:
    """The office takes a matter out of a draft (with the reason: it is audited)."""
    require(actor, Permission.MANAGE_NOTICE)
    bulletin = _draft_of(session, bulletin_id, expected_version)
    note = (note or "").strip()
    if not note:
        raise WorkflowError("请说明不列入通报的理由")
    matter = session.get(BulletinMatter, matter_id)
    if matter is None or matter.bulletin_id != bulletin.id:
        raise WorkflowError(f"本期通报中没有编号为 {matter_id} 的事项")
    _bump(session, bulletin)
    audit.record(session, actor, "通报删除事项", "bulletin", bulletin.id, task_id=matter.task_id, note=note,
                 before={"milestone_id": matter.milestone_id, "milestone_due": matter.milestone_due,
                         "department_id": matter.department_id, "reason": matter.reason})
    session.execute(delete(BulletinMatter).where(BulletinMatter.id == matter.id))


def issue(session: Session, actor: Actor, *, bulletin_id: int, today: dt.date, rules: BulletinRules,
          expected_version: int | None = None) -> Bulletin:
    """印发: number the draft (第N期 per plan and year; 文号 in the 通报 sequence of its plan's prefix), fix its
    限期整改 date, record it and queue its mail — once: a second issue is refused."""
    require(actor, Permission.MANAGE_NOTICE)
    bulletin = _draft_of(session, bulletin_id, expected_version)
    view = reads.bulletin(session, bulletin_id)
    if not view.matters:
        raise WorkflowError(f"{view.period_label}没有需要通报的事项，本期不印发")
    plan = next(p for p in all_plans(session) if p.id == bulletin.plan_id)
    issue_no = next_numbers(session, issue_counter(plan.id, today.year), 1)[0]
    seq = next_numbers(session, counter_name(plan.notice_prefix, NoticeLevel.CIRCULATE.value, today.year), 1)[0]
    number = rules_b.bulletin_number(plan.notice_prefix, today.year, seq)
    _bump(session, bulletin, status=BulletinStatus.ISSUED.value, issue_no=issue_no, number=number,
          issued_on=today, issued_at=clock.utcnow(), issued_by=actor.user_id,
          rectify_by=rules_b.rectify_by(today, rules))
    audit.record(session, actor, "印发通报", "bulletin", bulletin.id,
                 after={"number": number, "issue_no": issue_no, "period": bulletin.period,
                        "matters": len(view.matters)})
    issued = reads.bulletin(session, bulletin_id)
    enqueue(session, bulletin_mails(session, issued, plan, title=bulletin_title(plan, issued)))
    return bulletin


def issue_counter(plan_id: int, year: int) -> str:
    """The sequence of 第N期 per plan and year (migration 0010 continues it from the carried-over history)."""
    return f"期|{plan_id}:{year}"


def bulletin_subject(plan: PlanInfo) -> str:
    """What the bulletin reports on: "十四五养老托育重点任务"."""
    return f"{plan.short_name or plan.title}重点任务"


def bulletin_title(plan: PlanInfo, view: reads.BulletinView) -> str:
    return rules_b.bulletin_title(bulletin_subject(plan), view.issue_no or 0)
