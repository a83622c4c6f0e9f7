"""Reading 通报（第N期）: the bulletins of a plan with their matters, the matters the office may still add to a
draft, what each unit's listings add up to, and the figures a bulletin prints. (Writing them:
:mod:`ylyx_tasks.services.supervision.bulletins`.)"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Select, and_, case, func, select
from sqlmodel import Session

from ylyx_tasks.domain import bulletins as rules_b
from ylyx_tasks.domain.bulletins import BulletinStatus
from ylyx_tasks.domain.notices import OPEN_STATUSES, NoticeLevel
from ylyx_tasks.domain.roles import Duty
from ylyx_tasks.domain.status import Status
from ylyx_tasks.errors import NotFound
from ylyx_tasks.models import Bulletin, BulletinMatter, Department, Milestone, Notice, Responsibility, Task, sql_rules


@dataclass(frozen=True)
class MatterView:
    id: int
    notice_id: int | None
    notice_number: str
    task_id: int
    task_code: str
    task_title: str
    milestone: str  # the milestone's commitment, or the clause as a whole
    milestone_id: int
    milestone_due: dt.date
    department_id: int
    department: str
    reason: str
    added_by_office: bool
    times_listed: int  # issued bulletins of the plan naming this unit, this one included (1 for a draft's first)

    def as_json(self) -> dict:
        return {"task_code": self.task_code, "milestone_due": self.milestone_due.isoformat(),
                "department": self.department, "reason": self.reason}


@dataclass(frozen=True)
class BulletinView:
    id: int
    plan_id: int
    period: str
    months: int
    status: str
    issue_no: int | None
    number: str
    as_of: dt.date
    drafted_on: dt.date
    issued_on: dt.date | None
    rectify_by: dt.date | None
    legacy: bool
    version: int
    matters: list[MatterView] = field(default_factory=list)

    @property
    def issued(self) -> bool:
        return self.status == BulletinStatus.ISSUED

    @property
    def period_label(self) -> str:
        return rules_b.period_label(self.period, self.months)

    @property
    def label(self) -> str:
        """How lists name it: "第3期（2026年10月）· 运养托通〔2026〕3号 · 5 项" or "2026年11月 草稿 · 2 项"."""
        count = f"{len(self.matters)} 项"
        if self.issued:
            number = f" · {self.number}" if self.number else "（由原逐项通报归并）" if self.legacy else ""
            return f"第{self.issue_no}期（{self.period_label}）{number} · {count}"
        return f"{self.period_label} 草稿 · {count}"

    @property
    def units(self) -> list[str]:
        """The units named, in order of first appearance."""
        return list(dict.fromkeys(m.department for m in self.matters))


def _matters(session: Session, bulletin_ids: list[int], plan_id: int) -> dict[int, list[MatterView]]:
    if not bulletin_ids:
        return {}
    rows = session.execute(
        select(BulletinMatter, Task.code, Task.title, Milestone.commitment, Department.name, Notice.number)
        .join(Task, Task.id == BulletinMatter.task_id).join(Milestone, Milestone.id == BulletinMatter.milestone_id)
        .join(Department, Department.id == BulletinMatter.department_id)
        .outerjoin(Notice, Notice.id == BulletinMatter.notice_id)
        .where(BulletinMatter.bulletin_id.in_(bulletin_ids))
        .order_by(BulletinMatter.bulletin_id, Task.position, BulletinMatter.milestone_due, BulletinMatter.id)).all()
    issued = listing_order(session, plan_id)
    out: dict[int, list[MatterView]] = defaultdict(list)
    for m, code, title, commitment, department, number in rows:
        out[m.bulletin_id].append(MatterView(
            id=m.id, notice_id=m.notice_id, notice_number=number or "", task_id=m.task_id, task_code=code, task_title=title,
            milestone=commitment or "完成本条任务", milestone_id=m.milestone_id, milestone_due=m.milestone_due,
            department_id=m.department_id, department=department, reason=m.reason, added_by_office=m.added_by_office,
            times_listed=_times(issued, m.department_id, m.bulletin_id)))
    return out


def listing_order(session: Session, plan_id: int) -> dict[int, list[int]]:
    """department → the issued bulletins of ``plan_id`` naming it, in issue order."""
    rows = session.execute(
        select(BulletinMatter.department_id, Bulletin.id).join(Bulletin, Bulletin.id == BulletinMatter.bulletin_id)
        .where(Bulletin.plan_id == plan_id, Bulletin.status == BulletinStatus.ISSUED.value).distinct()
        .order_by(Bulletin.id)).all()
    out: dict[int, list[int]] = defaultdict(list)
    for department_id, bulletin_id in sorted(rows, key=lambda r: r[1]):
        out[department_id].append(bulletin_id)
    return out


def _times(issued: dict[int, list[int]], department_id: int, bulletin_id: int) -> int:
    """How many issues have named the unit up to and including ``bulletin_id`` (a draft counts as the next)."""
    listed = issued.get(department_id, [])
    return sum(1 for b in listed if b <= bulletin_id) + (0 if bulletin_id in listed else 1)


def _view(b: Bulletin, matters: list[MatterView]) -> BulletinView:
    return BulletinView(id=b.id, plan_id=b.plan_id, period=b.period, months=b.months,  # type: ignore[arg-type]
                        status=b.status, issue_no=b.issue_no, number=b.number or "", as_of=b.as_of,
                        drafted_on=b.drafted_on, issued_on=b.issued_on, rectify_by=b.rectify_by, legacy=b.legacy,
                        version=b.version, matters=matters)


def bulletins(session: Session, plan_id: int, *, status: BulletinStatus | None = None) -> list[BulletinView]:
    """The bulletins of ``plan_id``, newest period first, with their matters."""
    stmt = select(Bulletin).where(Bulletin.plan_id == plan_id)
    if status is not None:
        stmt = stmt.where(Bulletin.status == status.value)
    rows = list(session.execute(stmt.order_by(Bulletin.period.desc(), Bulletin.id.desc())).scalars())
    matters = _matters(session, [b.id for b in rows], plan_id)  # type: ignore[misc]
    return [_view(b, matters.get(b.id, [])) for b in rows]  # type: ignore[arg-type]


def bulletin(session: Session, bulletin_id: int) -> BulletinView:
    b = session.get(Bulletin, bulletin_id)
    if b is None:
        raise NotFound(f"没有编号为 {bulletin_id} 的通报")
    return _view(b, _matters(session, [bulletin_id], b.plan_id).get(bulletin_id, []))


@dataclass(frozen=True)
class Candidate:
    """An open 督办 the office may add to a draft."""

    notice_id: int
    label: str


def candidates(session: Session, bulletin_id: int) -> list[Candidate]:
    """The open 督办 of the bulletin's plan about a milestone not yet listed in it (its current due date)."""
    b = session.get(Bulletin, bulletin_id)
    if b is None:
        raise NotFound(f"没有编号为 {bulletin_id} 的通报")
    listed = {(m, d) for m, d in session.execute(select(BulletinMatter.milestone_id, BulletinMatter.milestone_due)
                                                 .where(BulletinMatter.bulletin_id == bulletin_id))}
    rows = session.execute(
        select(Notice.id, Notice.number, Notice.milestone_id, Notice.milestone_due, Task.code, Department.name)
        .join(Task, Task.id == Notice.task_id).join(Milestone, Milestone.id == Notice.milestone_id)
        .join(Department, Department.id == Notice.department_id)
        .where(Task.plan_id == b.plan_id, Notice.level == NoticeLevel.SUPERVISE.value,
               Notice.status.in_([s.value for s in OPEN_STATUSES]), Milestone.status != Status.DONE.value,
               Notice.milestone_due == Milestone.due_date)
        .order_by(Task.position, Notice.id)).all()
    return [Candidate(n_id, f"{code} · {dept} · {due.isoformat() if due else ''} 到期（{number}）")
            for n_id, number, m_id, due, code, dept in rows if (m_id, due) not in listed]


def listings_by_department(session: Session, plan_id: int, task_scope: Select | None = None
                           ) -> dict[int, tuple[int, int]]:
    """department → (matters listed in issued bulletins, listings beyond the first of the same milestone), of the
    tasks ``task_scope`` selects (a subquery of task ids; every task of the plan when None)."""
    stmt = (select(BulletinMatter.department_id, BulletinMatter.milestone_id, func.count())
            .join(Bulletin, Bulletin.id == BulletinMatter.bulletin_id)
            .where(Bulletin.plan_id == plan_id, Bulletin.status == BulletinStatus.ISSUED.value))
    if task_scope is not None:
        stmt = stmt.where(BulletinMatter.task_id.in_(task_scope))
    out: dict[int, tuple[int, int]] = {}
    for dept, _milestone, n in session.execute(stmt.group_by(BulletinMatter.department_id,
                                                             BulletinMatter.milestone_id)):
        listed, repeated = out.get(dept, (0, 0))
        out[dept] = (listed + n, repeated + n - 1)
    return out


@dataclass(frozen=True)
class Figures:
    tasks_total: int
    tasks_done: int
    milestones_due: int
    on_time: int
    late_done: int
    overdue_open: int


def progress_figures(session: Session, plan_id: int, as_of: dt.date) -> Figures:
    """总体进展 of ``plan_id`` as it stood on ``as_of`` (a milestone completed later was still open then), by the
    scorecards' rules: due = done or past its working due date; on time = done by it."""
    done = and_(Milestone.status == Status.DONE.value, Milestone.completed_on <= as_of)
    late = and_(Milestone.due_date < as_of, ~done)
    n_due, n_on_time, n_overdue = session.execute(
        select(func.sum(case((done | (Milestone.due_date < as_of), 1), else_=0)),
               func.sum(case((and_(done, Milestone.completed_on <= Milestone.due_date), 1), else_=0)),
               func.sum(case((late, 1), else_=0)))
        .select_from(Milestone).join(Task, Task.id == Milestone.task_id).where(Task.plan_id == plan_id)).one()
    n_due, n_on_time, n_overdue = int(n_due or 0), int(n_on_time or 0), int(n_overdue or 0)
    # a task was done then when it is done and none of its milestones was completed after the day
    finished_later = select(Milestone.task_id).where(Milestone.completed_on > as_of)
    tasks_total, tasks_done = session.execute(
        select(func.count(), func.sum(case((and_(Task.status == Status.DONE.value, Task.id.not_in(finished_later)),
                                             1), else_=0))).where(Task.plan_id == plan_id)).one()
    return Figures(tasks_total=int(tasks_total or 0), tasks_done=int(tasks_done or 0), milestones_due=n_due,
                   on_time=n_on_time, late_done=n_due - n_on_time - n_overdue, overdue_open=n_overdue)


def good_examples(session: Session, plan_id: int, as_of: dt.date, *, at_least: int = 2, limit: int = 3
                  ) -> list[tuple[str, int]]:
    """(unit, due lead milestones) of the units that completed every due lead milestone on time — at least
    ``at_least`` of them — most first: the bulletin's 典型经验."""
    due, on_time = sql_rules.due_or_done(as_of), sql_rules.on_time()
    lead = and_(Responsibility.task_id == Milestone.task_id, Responsibility.duty == Duty.LEAD.value)
    rows = session.execute(
        select(Department.name, func.sum(case((due, 1), else_=0)), func.sum(case((on_time, 1), else_=0)))
        .select_from(Milestone).join(Responsibility, lead).join(Task, Task.id == Milestone.task_id)
        .join(Department, Department.id == Responsibility.department_id).where(Task.plan_id == plan_id)
        .group_by(Department.name)).all()
    good = [(name, int(n)) for name, n, ok in rows if n and int(n) >= at_least and int(ok or 0) == int(n)]
    return sorted(good, key=lambda g: (-g[1], g[0]))[:limit]
