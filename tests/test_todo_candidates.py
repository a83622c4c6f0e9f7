"""The to-do list's duties are found in SQL (:func:`ylyx_tasks.reads.cockpit.todo.duty_candidates`) instead of
loading every task of the unit: walked over a calendar on both databases, for a lead unit, a supporting unit and
a county, before and after reports, the list and its count are exactly those of the rule applied to every task
(:func:`ylyx_tasks.reads.cockpit.todo.todo_for` over all the unit's tasks)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.personas import make_cast, task_id
from ylyx_tasks.db import read_session, write_session
from ylyx_tasks.domain import periods
from ylyx_tasks.reads import matrix
from ylyx_tasks.reads.cockpit import todo
from ylyx_tasks.reads.plans import current_plan, info, last_due_period, rules_for
from ylyx_tasks.reads.tasks import duties_of, load_task_views
from ylyx_tasks.services.tasks import workflow

DAYS = [dt.date(2022, 3, 1), dt.date(2022, 11, 26), dt.date(2023, 6, 10), dt.date(2024, 1, 26),
        dt.date(2025, 6, 16), dt.date(2025, 12, 31)]


def both_ways(actor, today: dt.date, limit: int) -> tuple[list, int, list, int]:
    with read_session() as s:
        plan = info(current_plan(s))
        everything = load_task_views(s, today, task_ids=list(duties_of(s, actor.department_id)))
        shares = matrix.shares_reported(s, periods.period_of(today))
        old = todo.todo_for(actor, everything, [], [], today, shares)
        found = todo.duty_candidates(s, plan.id, actor.department_id, last_due_period(plan, today, rules_for(plan)),
                                     periods.period_of(today), limit)
        views = load_task_views(s, today, task_ids=found.first)
        new = todo.todo_for(actor, views, [], [], today, found.reported_shares, duty_ids=set(found.first))
    return old, len(old), new, found.total


@pytest.mark.parametrize("who", ["minzheng", "weijian", "yanhu"])
def test_the_duties_found_in_sql_are_those_of_the_rule(plan_db, who):
    cast = make_cast()
    actor, t31 = cast[who], task_id("3.1")
    for i, today in enumerate(DAYS):
        if i == 3:  # some reports on the way: the lead's own, a supporting share, a county share
            with write_session() as s:
                for name in ("minzheng", "weijian", "yanhu"):
                    workflow.submit_report(s, cast[name], task_id=t31, percent=30, text="推进",
                                           today=today)
        old, old_total, new, new_total = both_ways(actor, today, limit=1000)
        assert new == old and new_total == old_total, today
        _, _, first, total = both_ways(actor, today, limit=2)  # only the first two read; the count still whole
        assert first == old[:2] and total == old_total
