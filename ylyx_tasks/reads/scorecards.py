"""Scorecards of departments and counties (调度评估) and the ranking, from aggregate queries.

For each unit: tasks led, supported and (counties) territorial; on its lead milestones, how many were due and
how many done on time (by the working due date: an approved extension counts, an overrun without one does not),
how many are overdue now; reports it owes for the last due period (a lead department its task report, a county
its share); the 催报 and 督办 it received; the matters listed in issued 通报（第N期）, and the listings repeated
for the same milestone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, case, func, select
from sqlmodel import Session

from ylyx_tasks.domain import periods
from ylyx_tasks.domain.departments import DepartmentKind
from ylyx_tasks.domain.notices import NoticeLevel
from ylyx_tasks.domain.roles import Duty
from ylyx_tasks.domain.scoring import Scorecard, rank
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import (
    Department,
    Milestone,
    Notice,
    Plan,
    ProgressReport,
    Responsibility,
    Task,
    sql_rules,
)
from ylyx_tasks.reads.supervision.bulletins import listings_by_department
from ylyx_tasks.reads.plans import PlanInfo, current_plan


def scorecards(session: Session, today: dt.date, *, report_due_day: int, plan: PlanInfo | Plan | None = None,
               task_ids: list[int] | None = None, working_group_id: int | None = None) -> list[Scorecard]:
    """Ranked scorecards of every unit that has a duty on some task of ``plan`` (the first plan loaded when
    None), or of ``task_ids``, or of the working group, when given (a group and a plan are selected by a
    subquery, not by thousands of bound ids)."""
    plan = plan or current_plan(session)
    if plan is None:
        return []
    due_period = periods.last_due_period(today, report_due_day, periods.first_period(plan.issued_on))
    if due_period is not None:  # a plan stops asking for reports after its period
        due_period = min(due_period, periods.period_of(plan.period_end))
    scope = select(Task.id).where(Task.plan_id == plan.id)
    if working_group_id is not None:
        scope = scope.where(Task.working_group_id == working_group_id)
    if task_ids is not None:
        scope = scope.where(Task.id.in_(task_ids))
    in_scope = (lambda col: col.in_(scope))
    cards: dict[int, Scorecard] = {}
    for dept_id, name, kind in session.execute(select(Department.id, Department.name, Department.kind)):
        cards[dept_id] = Scorecard(department_id=dept_id, department=name, kind=kind)

    for dept_id, duty, n in session.execute(
            select(Responsibility.department_id, Responsibility.duty, func.count())
            .where(in_scope(Responsibility.task_id)).group_by(Responsibility.department_id, Responsibility.duty)):
        card = cards[dept_id]
        if duty == Duty.LEAD:
            card.led = n
        elif duty == Duty.SUPPORT:
            card.supported = n
        else:
            card.territorial = n

    # the scoring rules in SQL (domain.scoring.counts_as_due / done_on_time / is_overdue)
    due_or_done, on_time, overdue = sql_rules.due_or_done(today), sql_rules.on_time(), sql_rules.overdue(today)
    lead_join = and_(Responsibility.task_id == Milestone.task_id, Responsibility.duty == Duty.LEAD.value)
    for dept_id, n_due, n_on_time, n_overdue in session.execute(
            select(Responsibility.department_id, func.sum(case((due_or_done, 1), else_=0)),
                   func.sum(case((on_time, 1), else_=0)), func.sum(case((overdue, 1), else_=0)))
            .select_from(Milestone).join(Responsibility, lead_join).where(in_scope(Milestone.task_id))
            .group_by(Responsibility.department_id)):
        card = cards[dept_id]
        card.milestones_due, card.completed_on_time, card.overdue = int(n_due or 0), int(n_on_time or 0), \
            int(n_overdue or 0)

    if due_period is not None:
        # lead departments: their task's report for the last due period
        for dept_id, n in session.execute(
                select(Responsibility.department_id, func.count()).select_from(Task)
                .join(Responsibility, and_(Responsibility.task_id == Task.id, Responsibility.duty == Duty.LEAD.value))
                .where(in_scope(Task.id), Task.plan_id == plan.id, sql_rules.report_late(due_period))
                .group_by(Responsibility.department_id)):
            cards[dept_id].missing_reports = n
        # counties: their share of every unfinished territorial task
        reported = select(ProgressReport.task_id, ProgressReport.department_id).where(
            ProgressReport.period >= due_period).distinct().subquery()
        for dept_id, n in session.execute(
                select(Responsibility.department_id, func.count()).select_from(Responsibility)
                .join(Task, Task.id == Responsibility.task_id)
                .outerjoin(reported, and_(reported.c.task_id == Responsibility.task_id,
                                          reported.c.department_id == Responsibility.department_id))
                .where(Responsibility.duty == Duty.TERRITORIAL.value, in_scope(Task.id),
                       Task.status != Status.DONE.value, reported.c.task_id.is_(None))
                .group_by(Responsibility.department_id)):
            cards[dept_id].missing_reports += n

    counts: dict[tuple[int, str], int] = defaultdict(int)
    for dept_id, level, n in session.execute(
            select(Notice.department_id, Notice.level, func.count()).where(in_scope(Notice.task_id))
            .group_by(Notice.department_id, Notice.level)):
        counts[(dept_id, level)] = n
    # 通报: the listings in issued bulletins (the per-milestone 通报 of before were carried over into them)
    listings = listings_by_department(session, plan.id, scope)  # type: ignore[arg-type]
    for card in cards.values():
        card.chased = counts[(card.department_id, NoticeLevel.CHASE.value)]
        card.supervise = counts[(card.department_id, NoticeLevel.SUPERVISE.value)]
        card.circulate, card.repeat_circulate = listings.get(card.department_id, (0, 0))
        # a territorial unit (which leads no milestone) is measured by its reports, once one was due
        card.reports_owed = due_period is not None and card.territorial > 0
    active = [c for c in cards.values() if c.led or c.supported or c.territorial]
    return rank(active)


def split_by_kind(cards: list[Scorecard]) -> tuple[list[Scorecard], list[Scorecard]]:
    """(departments and other units, counties), each keeping the ranking order."""
    counties = [c for c in cards if c.kind == DepartmentKind.COUNTY]
    others = [c for c in cards if c.kind != DepartmentKind.COUNTY]
    return others, counties
