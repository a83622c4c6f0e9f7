"""The fast read models return exactly what the simple computation does.

``load_task_views`` reads columns, not ORM entities, and computes the lights inline; here it is compared with the
straightforward version (ORM objects through :func:`ylyx_tasks.domain.lights.milestone_light`) on randomised
databases, for many days, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import pytest
from sqlmodel import select

from ylyx_tasks.db import write_session
from ylyx_tasks.domain import periods
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Department, Milestone, Responsibility, Task, WorkingGroup
from ylyx_tasks.services.overview import load_task_views, milestone_views, rules_from_settings
from ylyx_tasks.services.plan_loader import current_plan

DAYS = [dt.date(2022, 9, 30), dt.date(2022, 12, 31), dt.date(2023, 1, 1), dt.date(2023, 7, 26),
        dt.date(2024, 12, 2), dt.date(2025, 11, 30), dt.date(2025, 12, 31), dt.date(2026, 3, 1)]


def simple_views(session, today):
    """The obvious computation, one ORM object at a time."""
    rules = rules_from_settings()
    plan = current_plan(session)
    first = periods.first_period(plan.issued_on)
    groups = {g.id: g.name for g in session.exec(select(WorkingGroup))}
    depts = {d.id: d for d in session.exec(select(Department))}
    out = []
    for t in session.exec(select(Task).where(Task.plan_id == plan.id).order_by(Task.position, Task.code)):
        late = t.status != Status.DONE and periods.is_report_late(t.last_report_period, today, rules.report_due_day,
                                                                   first)
        ms = session.exec(select(Milestone).where(Milestone.task_id == t.id)).all()
        units = [(depts[r.department_id].name, r.duty) for r in session.exec(
            select(Responsibility).where(Responsibility.task_id == t.id).order_by(Responsibility.position))]
        views = milestone_views(ms, progress=t.progress if t.last_report_period else None, report_late=late,
                                today=today, rules=rules.lights)
        out.append((t.code, groups[t.working_group_id], t.status, t.progress, late, units,
                    [(m.key, m.light, m.days_overdue, m.due_date, m.original_due, m.status) for m in views]))
    return out


def fast_views(session, today, **kw):
    return [(v.code, v.working_group, v.status, v.progress, v.report_late, [(u.name, u.duty) for u in v.units],
             [(m.key, m.light, m.days_overdue, m.due_date, m.original_due, m.status) for m in v.milestones])
            for v in load_task_views(session, today, **kw)]


def scramble(seed: int) -> None:
    """Random statuses, progress, report periods, start and due dates: every branch of the light rules."""
    rnd = random.Random(seed)
    with write_session() as s:
        for t in s.exec(select(Task)).all():
            t.progress = rnd.choice([0, 5, 30, 50, 80, 100])
            t.last_report_period = rnd.choice([None, "2022-10", "2023-06", "2023-07", "2025-10", "2026-02"])
            t.status = rnd.choice(list(Status)).value
            s.add(t)
        for m in s.exec(select(Milestone)).all():
            m.status = rnd.choice(list(Status)).value
            m.start_date = dt.date(2022, 1, 1) + dt.timedelta(days=rnd.randrange(0, 900))
            m.due_date = m.start_date + dt.timedelta(days=rnd.choice([0, 1, 29, 30, 31, 200, 700]))
            s.add(m)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_column_read_model_gives_what_the_simple_one_gives(plan_db, seed):
    scramble(seed)
    with write_session() as s:
        for today in DAYS:
            assert fast_views(s, today) == simple_views(s, today), today


def test_it_gives_the_same_views_for_a_subset_of_tasks(plan_db):
    scramble(7)
    with write_session() as s:
        everything = {row[0]: row for row in fast_views(s, DAYS[3])}
        ids = {t.code: t.id for t in s.exec(select(Task))}
        some = ["3.1", "4.5", "3.3.3"]
        subset = fast_views(s, DAYS[3], task_ids=[ids[c] for c in some])
    assert sorted(row[0] for row in subset) == sorted(some)
    assert all(row == everything[row[0]] for row in subset)


def test_every_light_occurs_in_the_comparison(plan_db):
    """Guard against a comparison that passes because nothing interesting happened."""
    scramble(1)
    seen = defaultdict(int)
    with write_session() as s:
        for today in DAYS:
            for row in fast_views(s, today):
                for m in row[6]:
                    seen[m[1]] += 1
    assert set(seen) == {"红灯", "黄灯", "绿灯", "已完成"}


def test_the_task_list_options_by_aggregate_queries_are_those_of_the_full_list(plan_db):
    from ylyx_tasks.services import tasklist

    scramble(4)
    with write_session() as s:
        plan = current_plan(s)
        assert tasklist.options_from_db(s, plan.id) == tasklist.filter_options(load_task_views(s, DAYS[3]))


def _filters(s):
    from ylyx_tasks.services.tasklist import TaskFilter

    depts = {d.name: d.id for d in s.exec(select(Department))}
    yield TaskFilter()
    yield TaskFilter(group="养老专班")
    yield TaskFilter(department_id=depts["市民政局"])
    yield TaskFilter(department_id=depts["盐湖区人民政府"], duty="属地")
    yield TaskFilter(department_id=depts["市民政局"], duty="配合", status="推进中")
    yield TaskFilter(duty="属地", light="红灯")
    yield TaskFilter(due_year=2025, light="黄灯")
    yield TaskFilter(due_year=2022)
    for text in ("托育", "3.2", "民政", "养老专班", "100%", "_", "医养", "Z"):
        yield TaskFilter(text=text)


def test_narrowing_the_task_list_in_sql_keeps_exactly_the_tasks_the_full_filter_keeps(plan_db):
    from ylyx_tasks.services import tasklist

    scramble(5)
    with write_session() as s:
        plan = current_plan(s)
        for today in (DAYS[1], DAYS[4]):
            everything = load_task_views(s, today)
            matched = 0
            for f in _filters(s):
                expected = [v.code for v in tasklist.filter_tasks(everything, f)]
                narrowed = load_task_views(s, today, task_ids=tasklist.candidate_ids(s, plan.id, f))
                assert [v.code for v in tasklist.filter_tasks(narrowed, f)] == expected, f
                if not f.light:  # every other condition is decided in SQL alone, in document order
                    assert [v.code for v in narrowed] == expected, f
                matched += bool(expected)
            assert matched >= 10  # most filters select something: the comparison means something


def test_notice_briefs_by_columns_are_the_notices_each_role_may_see(plan_db):
    from tests.personas import make_cast
    from ylyx_tasks.services.notice_desk import notice_briefs
    from ylyx_tasks.services.notices import list_notices
    from ylyx_tasks.services.scan import run_scan

    cast = make_cast()
    for day in (dt.date(2022, 12, 1), dt.date(2023, 1, 3), dt.date(2023, 1, 20), dt.date(2023, 3, 1)):
        run_scan(day)
    with write_session() as s:
        for who in ("office", "leader", "yanglao", "minzheng", "yanhu"):
            for open_only in (False, True):
                rows = list_notices(s, cast[who], open_only=open_only)
                briefs = notice_briefs(s, cast[who], open_only=open_only)
                assert [(b.id, b.number, b.level, b.status, b.task_code, b.department, b.milestone_commitment,
                         b.response_due, b.answered) for b in briefs] == [
                    (r.notice.id, r.notice.number or "", r.notice.level, r.notice.status, r.task_code, r.department,
                     r.milestone_commitment, r.notice.response_due, r.notice.answered_at is not None) for r in rows]
            assert rows or who in ("yanglao",)


def _cockpit_filters(s):
    from ylyx_tasks.services.dashboard import CockpitFilter

    depts = {d.name: d.id for d in s.exec(select(Department))}
    return [CockpitFilter(), CockpitFilter(group="托育专班"), CockpitFilter(department_id=depts["市民政局"]),
            CockpitFilter(county_id=depts["盐湖区人民政府"]),
            CockpitFilter(group="综合专班", department_id=depts["市发展改革委"])]


def test_the_cockpit_task_rows_computed_in_sql_are_those_of_the_read_model(plan_db):
    from ylyx_tasks.services import cockpit_data, dashboard, tasklist

    scramble(6)
    with write_session() as s:
        plan = current_plan(s)
        rules = rules_from_settings()
        for today in DAYS:
            everything = load_task_views(s, today)
            for f in _cockpit_filters(s):
                views = dashboard.scope_views(everything, f)
                rows = cockpit_data.task_rows(s, plan, today, rules, f)
                expected = tasklist.summary_frame(views)
                assert rows[tasklist.SUMMARY_COLUMNS].to_dict("records") == expected.to_dict("records"), (today, f)
                assert rows["逾期节点数"].tolist() == [sum(m.days_overdue > 0 for m in v.milestones) for v in views]
                months = cockpit_data.milestones_by_month(s, plan, today, rules, f)
                assert months.to_dict("records") == dashboard.milestones_by_month(views).to_dict("records")
                page = cockpit_data.overdue_milestones(s, plan, today, f, limit=7)
                full = dashboard.overdue_list(views, [])
                assert page.total == len(full)
                assert [(r[1], f"{r[3]}年", r[6].isoformat()) for r in page.rows] == \
                    list(full[["编号", "节点", "现期限"]].head(7).itertuples(index=False, name=None))


def test_the_cockpit_figures_count_what_the_read_model_counts(plan_db):
    from tests.personas import make_cast
    from ylyx_tasks.services import cockpit_data, dashboard
    from ylyx_tasks.services.notice_desk import notice_briefs
    from ylyx_tasks.services.scan import run_scan

    cast = make_cast()
    for day in (dt.date(2022, 12, 1), dt.date(2023, 1, 3), dt.date(2023, 2, 20)):
        run_scan(day)
    scramble(8)
    today = dt.date(2023, 2, 21)
    with write_session() as s:
        plan = current_plan(s)
        everything = load_task_views(s, today)
        for who in ("office", "yanglao", "minzheng"):
            briefs = notice_briefs(s, cast[who], open_only=True)
            for f in _cockpit_filters(s):
                rows = cockpit_data.task_rows(s, plan, today, rules_from_settings(), f)
                fast = cockpit_data.figures(rows, cockpit_data.open_notices(s, cast[who], plan, f))
                simple = dashboard.figures(dashboard.scope_views(everything, f), briefs)
                assert [(x.key, sorted(x.ids)) for x in fast] == [(x.key, sorted(x.ids)) for x in simple], (who, f)
