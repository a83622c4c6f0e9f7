"""The fast read models return exactly what the simple computation does.

``load_task_views`` reads columns, not ORM entities, and computes the lights inline; here it is compared with the
straightforward version (ORM objects through :func:`ylyx_tasks.domain.lights.milestone_light`) on randomised
databases, for many days, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import pandas as pd
import pytest
from sqlmodel import select

from ylyx_tasks.db import write_session
from ylyx_tasks.domain import periods
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Department, Milestone, Responsibility, Task, WorkingGroup
from ylyx_tasks.reads import selector as task_selector
from ylyx_tasks.reads.cockpit import figures as cockpit_reads
from ylyx_tasks.reads.cockpit import overdue
from ylyx_tasks.reads.plans import current_plan, rules_from_settings
from ylyx_tasks.reads.tasks import load_task_views, milestone_views

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
    from ylyx_tasks.reads import tasklist

    scramble(4)
    with write_session() as s:
        plan = current_plan(s)
        assert tasklist.options_from_db(s, plan.id) == tasklist.filter_options(load_task_views(s, DAYS[3]))


def _filters(s):
    from ylyx_tasks.reads.tasklist import TaskFilter

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


def test_a_page_of_the_task_list_read_lean_is_the_list_of_the_read_model(plan_db):
    from ylyx_tasks.reads import tasklist

    scramble(12)
    with write_session() as s:
        plan, rules = current_plan(s), rules_from_settings()
        for today in DAYS:
            views = load_task_views(s, today)
            for some in (views, views[::2], views[5:6], []):
                pd.testing.assert_frame_equal(tasklist.page_frame(s, plan, today, rules, [v.id for v in some]),
                                              tasklist.list_frame(some), check_dtype=False)


def test_narrowing_the_task_list_in_sql_keeps_exactly_the_tasks_the_full_filter_keeps(plan_db):
    from ylyx_tasks.reads import tasklist

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
    from tests.oracles import list_notices
    from tests.personas import make_cast
    from ylyx_tasks.reads.notices import notice_briefs
    from ylyx_tasks.services.supervision.scan import run_scan

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
            assert rows or who in ("yanglao", "yanhu")
            if who == "yanhu":  # a county sees only what is addressed to it, not the units' notices on its tasks
                assert all(b.department == "盐湖区人民政府" for b in briefs)
            if who == "minzheng":  # a unit: its own, and those on the tasks it supports (it is copied on them)
                assert any(b.department != "市民政局" for b in briefs)


def _cockpit_filters(s):
    from ylyx_tasks.reads.cockpit.figures import CockpitFilter

    depts = {d.name: d.id for d in s.exec(select(Department))}
    return [CockpitFilter(), CockpitFilter(group="托育专班"), CockpitFilter(department_id=depts["市民政局"]),
            CockpitFilter(county_id=depts["盐湖区人民政府"]),
            CockpitFilter(group="综合专班", department_id=depts["市发展改革委"])]


# --- the pages' lean reads (ylyx_tasks.reads.cockpit.figures) ----------------------------------------------------


def _scoped(s, today, f):
    from tests import oracles

    return oracles.scope_views(load_task_views(s, today), f)


def _check_cockpit_reads(s, today, f, who=None):
    """Every number and list of the cockpit's lean reads against the full read model (and, with ``who``, the
    notices that actor may see)."""
    from tests import oracles
    from ylyx_tasks.reads import tasklist
    from ylyx_tasks.reads.notices import notice_briefs

    plan, rules = current_plan(s), rules_from_settings()
    views = _scoped(s, today, f)
    briefs = notice_briefs(s, who, open_only=True) if who else []
    tally = cockpit_reads.task_tally(s, plan, today, rules, f)
    levels = overdue.open_notice_levels(s, who, plan, f) if who else {}
    simple = oracles.figures(views, briefs)
    fast = cockpit_reads.headlines(tally, levels)
    assert [(x.key, x.label, x.kind, x.value, x.help) for x in fast] == \
        [(x.key, x.label, x.kind, x.value, x.help) for x in simple], (today, f)
    code_of = {v.id: v.code for v in views}
    for x in simple:  # the list behind each task figure: its tasks in document order, a page of them
        if x.kind == cockpit_reads.TASKS:
            for limit in (3, None):
                ids = cockpit_reads.task_ids(s, plan, today, rules, f, cockpit_reads.FIGURE_QUERIES[x.key], limit=limit)
                assert ids == x.ids[:limit], (today, f, x.key)
        elif who:
            shown = notice_briefs(s, who, open_only=True, levels=overdue.NOTICE_LEVELS[x.key],
                                  tasks=overdue.scope_tasks(plan, f))
            assert sorted(b.id for b in shown) == sorted(x.ids), (today, f, x.key)
    some = [v.id for v in views][::3]
    assert cockpit_reads.summary_rows(s, plan, today, rules, some).to_dict("records") == \
        tasklist.summary_frame([v for v in views if v.id in set(some)]).to_dict("records")
    # the charts, and the lists behind a bar
    assert cockpit_reads.status_by_group(tally).to_dict("records") == \
        oracles.status_by_group(views).to_dict("records")
    assert cockpit_reads.overdue_by_lead(tally).to_dict("records") == oracles.overdue_by_lead(views).to_dict("records")
    for group in {v.working_group for v in views}:
        for status in Status:
            q = cockpit_reads.TaskQuery(group=group, status=status.value)
            assert [code_of[i] for i in cockpit_reads.task_ids(s, plan, today, rules, f, q)] == \
                [v.code for v in views if v.working_group == group and v.status == status], (today, f, q)
    for lead in {v.lead.name for v in views if v.lead}:
        q = cockpit_reads.TaskQuery(lead=lead, overdue=True)
        assert [code_of[i] for i in cockpit_reads.task_ids(s, plan, today, rules, f, q)] == \
            [v.code for v in views if v.lead and v.lead.name == lead and v.days_overdue > 0], (today, f, q)
    assert cockpit_reads.milestones_by_month(s, plan, today, rules, f).to_dict("records") == \
        oracles.milestones_by_month(views).to_dict("records")
    # the overdue list: its first rows, the open notices about them, and how many there are
    full = oracles.overdue_list(views, briefs)
    assert int(tally["逾期节点数"].sum()) == len(full)
    for limit in (1, 7, 500):
        page = overdue.overdue_milestones(s, plan, today, f, limit=limit)
        levels_of = overdue.open_notice_levels_of(s, who, sorted({r[0] for r in page})) if who else {}
        frame = overdue.overdue_frame(page, levels_of, today)
        pd.testing.assert_frame_equal(frame, full.head(limit).reset_index(drop=True), check_dtype=False)
    return len(full), len([x for x in views if x.light.value == "黄灯"])


@pytest.mark.parametrize("seed", [6, 9])
def test_the_cockpit_reads_give_what_the_read_model_gives(plan_db, seed):
    scramble(seed)
    seen = defaultdict(int)
    with write_session() as s:
        for today in DAYS:
            for f in _cockpit_filters(s):
                overdue, yellow = _check_cockpit_reads(s, today, f)
                seen["overdue"] += overdue
                seen["yellow"] += yellow
    assert seen["overdue"] and seen["yellow"]  # the comparison met what it is about


def test_the_cockpit_reads_on_the_demo_with_its_notices(plan_db):
    """The demo story (reports, claims, extensions and the notices the scans made), read as each role."""
    from tests.personas import make_cast
    from ylyx_tasks.demo.loader import load_demo

    cast = make_cast()
    with write_session() as s:
        load_demo(s, dt.date(2023, 6, 12))
    with write_session() as s:
        for who in ("office", "leader", "yanglao", "minzheng", "yanhu"):
            for f in _cockpit_filters(s):
                for today in (dt.date(2023, 6, 12), dt.date(2026, 10, 26)):
                    _check_cockpit_reads(s, today, f, cast[who])


def test_the_cockpit_reads_after_a_walk_of_scans_and_answers(plan_db):
    """Scans over months, with claims accepted and notices answered on the way: notices of every level."""
    from tests.personas import make_cast
    from ylyx_tasks.services.supervision.scan import run_scan

    cast = make_cast()
    for day in (dt.date(2022, 12, 1), dt.date(2023, 1, 3), dt.date(2023, 1, 20), dt.date(2023, 3, 1)):
        run_scan(day)
    scramble(11)
    with write_session() as s:
        for who in ("office", "zonghe", "weijian"):
            for f in _cockpit_filters(s):
                _check_cockpit_reads(s, dt.date(2023, 3, 2), f, cast[who])


def test_the_task_selector_finds_what_a_search_of_every_task_finds(plan_db):
    scramble(3)
    with write_session() as s:
        plan = current_plan(s)
        every = s.exec(select(Task).where(Task.plan_id == plan.id).order_by(Task.position, Task.code)).all()
        for needle in ("", "3.", "3.3", "托育", "养老", "医养结合", "x", "%", "_"):
            expected = [t.code for t in every if needle in t.code or needle in t.title]
            for limit in (None, 2, 200):
                found, total = task_selector.find_tasks(s, plan.id, needle, limit=limit)
                assert [e.code for e in found] == expected[:limit] and total == len(expected), (needle, limit)
        assert task_selector.task_by_code(s, plan.id, "3.3.3").title == next(t.title for t in every if t.code == "3.3.3")
        assert task_selector.task_by_code(s, plan.id, "9.9") is None
        depts = {d.name: d.id for d in s.exec(select(Department))}
        groups = {g.name: g.id for g in s.exec(select(WorkingGroup))}
        ordered = sorted(every, key=lambda t: t.status == Status.DONE)  # unfinished first, document order within
        for dept, group in [("市民政局", None), ("市卫健委", None), ("盐湖区人民政府", None), (None, "托育专班"),
                            ("市统计局", None), (None, None)]:
            d, g = depts.get(dept), groups.get(group)
            duties = dict(s.exec(select(Responsibility.task_id, Responsibility.duty)
                                 .where(Responsibility.department_id == d)).all()) if d else {}
            mine = [t for t in ordered if duties.get(t.id) == "牵头"] or [t for t in ordered if t.id in duties] or \
                [t for t in ordered if t.working_group_id == g]
            first = task_selector.first_task_of(s, plan.id, department_id=d, working_group_id=g)
            assert (first.code if first else None) == (mine[0].code if mine else None), (dept, group)

