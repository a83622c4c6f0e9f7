"""The scan's fast queries against the rules themselves.

The scan asks the database only for what may be new: the overdue milestones without a 督办 for their due date,
the late tasks not chased for the period, the reminders whose key (formed in SQL as the rule forms it) does not
exist yet; and for the notices to settle. (The periodic 通报 is drafted once per period: tests/test_bulletins.py.) Here a seeded walk through the calendar — on irregular days, so
that the scan has to catch up; with departments reporting, answering, claiming and being sent back; and with
direct database fixes that bypass the workflow, which the scan is the safety net for — compares, on every day
it visits, what the scan finds with what the rules say when applied in Python to every row.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from ylyx_tasks.db import write_session
from ylyx_tasks.domain import notices as rules_n
from ylyx_tasks.domain import periods
from ylyx_tasks.domain import plans as plan_rules
from ylyx_tasks.domain.notices import OPEN_STATUSES, EscalationRules, NoticeLevel
from ylyx_tasks.domain.roles import Actor, Duty, Role
from ylyx_tasks.domain.rules import SupervisionRules
from ylyx_tasks.domain.status import Status
from ylyx_tasks.errors import WorkflowError
from ylyx_tasks.models import Milestone, Notice, Plan, Responsibility, Task
from ylyx_tasks.services.supervision import notices
from ylyx_tasks.services.supervision.scan import close_settled, due_notices, run_scan
from ylyx_tasks.services.tasks import workflow

OFFICE = Actor(user_id=None, username="专班办公室", role=Role.OFFICE)
OPEN = {s.value for s in OPEN_STATUSES}


def due_by_the_rules(s: Session, today: dt.date, rules: SupervisionRules) -> set[str]:
    """Every notice key the rules call for on ``today`` that does not exist yet: each rule applied to every row."""
    plan = s.exec(select(Plan).order_by(Plan.id)).first()
    lead = {r.task_id: r.department_id for r in s.exec(select(Responsibility).where(
        Responsibility.duty == Duty.LEAD.value))}
    milestones = {m.id: m for m in s.exec(select(Milestone))}
    keys = set()
    for m in milestones.values():
        if m.task_id not in lead:
            continue
        days = rules_n.reminder_due(m.due_date, m.status, today, rules.escalation.reminder_days)
        if days is not None:
            keys.add(rules_n.reminder_key(days, m.id, m.due_date))
        if rules_n.supervise_due(m.due_date, m.status, today):
            keys.add(rules_n.supervise_key(m.id, m.due_date))
    # reports are asked for while the plan is in force, up to its last period
    period = periods.last_due_period(today, rules.report_due_day, periods.first_period(plan.issued_on))
    period = None if period is None else min(period, periods.period_of(plan.period_end))
    if period is not None and plan_rules.asks_for_reports(plan.period_start, plan.period_end, plan.status, today):
        for t in s.exec(select(Task).where(Task.plan_id == plan.id)):
            late = t.last_report_period is None or t.last_report_period < period
            if t.status != Status.DONE and late and t.id in lead:
                keys.add(rules_n.chase_key(t.id, period))
    return keys - set(s.exec(select(Notice.dedup_key)))


def settled_by_the_rules(s: Session) -> set[int]:
    """The open notices whose milestone is done, and the open 催报 whose report has arrived or task is done."""
    milestones = {m.id: m for m in s.exec(select(Milestone))}
    tasks = {t.id: t for t in s.exec(select(Task))}
    out = set()
    for n in s.exec(select(Notice).where(Notice.status.in_(OPEN))):
        if n.milestone_id is not None and milestones[n.milestone_id].status == Status.DONE:
            out.add(n.id)
        elif n.level == NoticeLevel.CHASE:
            t = tasks[n.task_id]
            if t.status == Status.DONE or (t.last_report_period or "") >= n.period:
                out.add(n.id)
    return out


def live(rng: random.Random, day: dt.date) -> Counter:
    """A day of the departments' and the office's work (and, now and then, a fix made straight in the database)."""
    did = Counter()
    with write_session() as s:
        for t in s.exec(select(Task).where(Task.status != Status.DONE.value).order_by(Task.id)).all():
            if rng.random() < 0.6:
                workflow.submit_report(s, OFFICE, task_id=t.id, percent=rng.randint(10, 90), text="推进中",
                                       today=day)
                did["report"] += 1
        unanswered = select(Notice).where(Notice.level == NoticeLevel.SUPERVISE.value, Notice.answered_at.is_(None),
                                          Notice.status.in_(OPEN)).order_by(Notice.id)
        for n in s.exec(unanswered).all():
            if rng.random() < 0.3:
                notices.answer(s, OFFICE, notice_id=n.id, situation="正在推进", reason="资金未到位",
                               new_date=day + dt.timedelta(days=30), today=day)
                did["answer"] += 1
        for m in s.exec(select(Milestone).where(Milestone.due_date < day + dt.timedelta(days=60))
                              .order_by(Milestone.id)).all():
            try:
                if m.status in (Status.NOT_STARTED, Status.IN_PROGRESS) and rng.random() < 0.05:
                    workflow.claim_done(s, OFFICE, milestone_id=m.id, evidence="已完成", links="https://example.cn/a",
                                        today=day)
                    did["claim"] += 1
                elif m.status == Status.PENDING_REVIEW:
                    if rng.random() < 0.6:
                        workflow.accept(s, OFFICE, milestone_id=m.id, today=day)
                        did["accept"] += 1
                    else:
                        workflow.reject(s, OFFICE, milestone_id=m.id, reason="佐证不足", today=day)
                        did["reject"] += 1
            except WorkflowError:
                did["refused"] += 1
    if rng.random() < 0.25:  # fixes that bypass the workflow: only the scan notices them
        with write_session() as s:
            fix = rng.choice(["done", "reported", "moved", "reopened"])
            if fix == "done":  # a milestone with open notices marked done
                s.execute(text("UPDATE milestone SET status = '已完成' WHERE id = (SELECT MIN(milestone_id) FROM notice "
                               "WHERE status IN ('待签收', '已签收', '已反馈') AND milestone_id IS NOT NULL)"))
            elif fix == "reported":  # a chased task's report entered by hand
                s.execute(text("UPDATE task SET last_report_period = :p WHERE id = "
                               "(SELECT MIN(task_id) FROM notice WHERE status = '待报送')"),
                          {"p": f"{day.year:04d}-{day.month:02d}"})
            elif fix == "moved":  # a due date changed by hand, to a few days from now
                s.execute(text("UPDATE milestone SET due_date = :d WHERE id = "
                               "(SELECT MAX(id) FROM milestone WHERE status IN ('未启动', '推进中'))"),
                          {"d": day + dt.timedelta(days=rng.randint(0, 9))})
            else:
                s.execute(text("UPDATE milestone SET status = '推进中' WHERE id = "
                               "(SELECT MAX(id) FROM milestone WHERE status = '已完成')"))
            did["fix " + fix] += 1
    return did


@pytest.mark.slow
@pytest.mark.parametrize("escalate_after_days, seed", [(30, 1), (7, 2)])
def test_the_scan_finds_exactly_what_the_rules_call_for(plan_db, escalate_after_days, seed):
    rules = SupervisionRules(escalation=EscalationRules(escalate_after_days=escalate_after_days))
    rng = random.Random(seed)
    seen = Counter()
    day = dt.date(2022, 11, 20)
    while day <= dt.date(2026, 3, 31):
        seen.update(live(rng, day))
        with write_session() as s:
            expected_settled = settled_by_the_rules(s)
        with write_session() as s:
            assert close_settled(s, day) == len(expected_settled), day
        with write_session() as s:
            assert settled_by_the_rules(s) == set(), day
            expected = due_by_the_rules(s, day, rules)
            found = [n.dedup_key for n in due_notices(s, day, rules)]
        assert sorted(found) == sorted(expected), day
        made = run_scan(day, rules)
        assert sum(made.created.values()) == len(expected) and made.closed == 0, day
        seen["通报草稿"] += made.bulletins
        with write_session() as s:
            assert due_notices(s, day, rules) == [], day  # the re-scan has nothing to do
        seen["settled"] += len(expected_settled)
        for key in expected:
            seen[key.split(":")[0]] += 1
        # mostly a few days on, now and then a long gap the scan has to catch up with
        gap = rng.randint(1, 6) if rng.random() < 0.85 else rng.randint(7, 2 * escalate_after_days + 5)
        day += dt.timedelta(days=gap)

    # the walk went through every case it is meant to compare
    for case in ("提醒30", "提醒7", "督办", "催报", "通报草稿", "settled", "answer",
                 "claim", "accept", "reject", "fix done", "fix reported", "fix moved", "fix reopened"):
        assert seen[case] > 0, (case, seen)
