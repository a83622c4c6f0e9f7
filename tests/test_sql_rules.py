"""Every rule that also lives in SQL gives, on random data, exactly what its Python definition gives — on SQLite
and on PostgreSQL. One test per rule (``ylyx_tasks.models.sql_rules`` lists them); none is marked slow, so
``make test-fast`` runs them too.

A deliberately wrong SQL form fails here: e.g. ``days_between`` without the integer cast gives 3.0 on SQLite, a
light that forgets the report lateness gives green where the rule says yellow.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
import sqlalchemy as sa

from ylyx_tasks import clock
from ylyx_tasks.db import migrate, write_session
from ylyx_tasks.domain import notices, periods, scoring
from ylyx_tasks.domain.lights import LightRules, MilestoneFacts, milestone_light
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Milestone, Plan, Task, WorkingGroup, sql_rules

SEED = 20261130
STATUSES = [s.value for s in Status]


def _day(rng: random.Random, lo: dt.date = dt.date(2021, 1, 1), span: int = 2200) -> dt.date:
    return lo + dt.timedelta(days=rng.randrange(span))


def _period(rng: random.Random) -> str | None:
    if rng.random() < 0.2:
        return None
    return periods.period_of(_day(rng))


@pytest.fixture
def random_tasks(any_db):
    """An empty schema with 300 random tasks, each with one random milestone (seeded: the same every run)."""
    migrate()
    rng = random.Random(SEED)
    now = clock.utcnow()
    with write_session() as s:
        plan = Plan(code="随机", title="随机方案", issued_on=dt.date(2021, 3, 1), period_start=dt.date(2021, 1, 1),
                    period_end=dt.date(2026, 12, 31))
        group = WorkingGroup(name="专班")
        s.add_all([plan, group])
        s.flush()
        for i in range(300):
            status = rng.choice(STATUSES)
            start = _day(rng)
            due = start + dt.timedelta(days=rng.choice([0, 1, 30, 200, 900]))
            task = Task(plan_id=plan.id, code=f"1.{i}", section="主要任务", title=f"任务{i}", clause_text="…",
                        working_group_id=group.id, status=status, progress=rng.randrange(101),
                        last_report_period=_period(rng), created_at=now, updated_at=now)
            s.add(task)
            s.flush()
            completed = _day(rng) if status == Status.DONE and rng.random() < 0.9 else None
            s.add(Milestone(task_id=task.id, key="2025", start_date=start, original_due=due, due_date=due,
                            status=status, completed_on=completed, created_at=now, updated_at=now))
    return rng


def _dialect(s) -> str:
    return s.get_bind().dialect.name


def test_days_between_is_whole_days_as_python_counts_them(any_db):
    migrate()
    rng = random.Random(SEED)
    pairs = [(_day(rng), _day(rng)) for _ in range(120)]
    with write_session() as s:
        stmt = sa.select(*[sql_rules.days_between(_dialect(s), sa.literal(a, sa.Date), sa.literal(b, sa.Date))
                           for a, b in pairs])
        got = list(s.execute(stmt).one())
    assert got == [(a - b).days for a, b in pairs]
    assert all(isinstance(x, int) for x in got)


def test_report_late_is_the_periods_rule(random_tasks):
    rng = random_tasks
    for today in [_day(rng) for _ in range(12)] + [dt.date(2021, 3, 10)]:
        first = periods.first_period(dt.date(2021, 3, 1))
        last_due = periods.last_due_period(today, 25, first)
        with write_session() as s:
            rows = s.execute(sa.select(Task.status, Task.last_report_period, sql_rules.report_late(last_due))).all()
        for status, last_period, late in rows:
            expected = status != Status.DONE and periods.is_report_late(last_period, today, 25, first)
            assert bool(late) == expected, (today, status, last_period)


@pytest.mark.parametrize("rules", [LightRules(), LightRules(yellow_within_days=7, behind_points=25.0)])
def test_light_level_is_the_milestone_light(random_tasks, rules):
    rng = random_tasks
    first = periods.first_period(dt.date(2021, 3, 1))
    for today in [_day(rng) for _ in range(10)]:
        last_due = periods.last_due_period(today, 25, first)
        with write_session() as s:
            level = sql_rules.light_level(_dialect(s), today, rules, last_due)
            rows = s.execute(sa.select(Milestone.status, Milestone.start_date, Milestone.due_date, Task.progress,
                                       Task.last_report_period, Task.status, level)
                             .join(Task, Task.id == Milestone.task_id)).all()
        assert len(rows) == 300
        for status, start, due, progress, last_period, task_status, got in rows:
            late = task_status != Status.DONE and periods.is_report_late(last_period, today, 25, first)
            facts = MilestoneFacts(status=status, start_date=start, due_date=due,
                                   progress=progress if last_period else None, report_late=late)
            assert sql_rules.SEVERITY[int(got)] == milestone_light(facts, today, rules), (today, facts)


def test_notice_keys_are_formed_in_sql_as_the_rules_form_them(any_db):
    migrate()
    rng = random.Random(SEED)
    cases = [(rng.choice([30, 7, 1]), rng.randrange(1, 10**6), _day(rng), rng.randrange(1, 60)) for _ in range(60)]
    with write_session() as s:
        d = _dialect(s)
        exprs = []
        for days, ident, due, k in cases:
            exprs += [sql_rules.reminder_key(d, sa.literal(days), sa.literal(ident), sa.literal(due, sa.Date))]
        got = list(s.execute(sa.select(*exprs)).one())
    expected = []
    for days, ident, due, k in cases:
        expected += [notices.reminder_key(days, ident, due)]
    assert got == expected


def test_scorecard_counts_are_the_scoring_rules(random_tasks):
    rng = random_tasks
    for today in [_day(rng) for _ in range(8)]:
        with write_session() as s:
            rows = s.execute(sa.select(Milestone.status, Milestone.due_date, Milestone.completed_on,
                                       sql_rules.due_or_done(today), sql_rules.on_time(), sql_rules.overdue(today))
                             ).all()
        for status, due, completed, due_or_done, on_time, overdue in rows:
            assert bool(due_or_done) == scoring.counts_as_due(status, due, today)
            assert bool(on_time) == scoring.done_on_time(status, completed, due)
            assert bool(overdue) == scoring.is_overdue(status, due, today)
