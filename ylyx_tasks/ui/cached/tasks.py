"""Cached reads for the task pages and the cockpit: the task selector, one task, the task list a page at a
time, and the cockpit's aggregates. Keyed like :mod:`ylyx_tasks.ui.cached.common` (database, data version, today)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ylyx_tasks.db import read_session
from ylyx_tasks.domain import periods
from ylyx_tasks.domain.notices import AWAITING_DEPARTMENT, NoticeStatus
from ylyx_tasks.domain.roles import Actor, Role
from ylyx_tasks.reads import notices as notice_reads
from ylyx_tasks.reads import selector, tasklist
from ylyx_tasks.reads.cockpit import figures as cockpit_reads
from ylyx_tasks.reads.cockpit import overdue
from ylyx_tasks.reads.cockpit import todo as todo_reads
from ylyx_tasks.reads.plans import PlanInfo, last_due_period, rules_for
from ylyx_tasks.reads.tasks import TaskView, load_task_views
from ylyx_tasks.reads.tasks import duties_of as task_duties
from ylyx_tasks.ui.cached.common import ENTRIES, actor_key, db, version

TaskEntry = selector.TaskEntry


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _find_tasks(db: str, v: int, plan_id: int, needle: str, limit: int) -> tuple[list[TaskEntry], int]:
    with read_session() as s:
        return selector.find_tasks(s, plan_id, needle, limit=limit)


def find_tasks(plan: PlanInfo, needle: str, limit: int) -> tuple[list[TaskEntry], int]:
    """The first ``limit`` tasks of ``plan`` whose code or title contains ``needle`` (all, when empty), in
    document order, and how many there are: what the task page's selector offers."""
    return _find_tasks(db(), version(), plan.id, needle, limit)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _task_by_code(db: str, v: int, plan_id: int, code: str) -> TaskEntry | None:
    with read_session() as s:
        return selector.task_by_code(s, plan_id, code)


def task_by_code(plan: PlanInfo, code: str) -> TaskEntry | None:
    return _task_by_code(db(), version(), plan.id, code)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _first_task_of(db: str, v: int, plan_id: int, department_id: int | None, working_group_id: int | None
                   ) -> TaskEntry | None:
    with read_session() as s:
        return selector.first_task_of(s, plan_id, department_id=department_id, working_group_id=working_group_id)


def first_task_of(plan: PlanInfo, department_id: int | None, working_group_id: int | None) -> TaskEntry | None:
    """Where a unit's or a working group's task page starts (:func:`ylyx_tasks.reads.selector.first_task_of`)."""
    return _first_task_of(db(), version(), plan.id, department_id, working_group_id)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _task_count(db: str, v: int, plan_id: int) -> int:
    with read_session() as s:
        return tasklist.task_count(s, plan_id)


def task_count(plan: PlanInfo) -> int:
    return _task_count(db(), version(), plan.id)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _duties(db: str, v: int, department_id: int) -> dict[int, str]:
    with read_session() as s:
        return task_duties(s, department_id)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _plan_task_ids(db: str, v: int, plan_id: int) -> frozenset[int]:
    with read_session() as s:
        return frozenset(tasklist.task_ids_of(s, plan_id))


def plan_task_ids(plan: PlanInfo) -> frozenset[int]:
    """The ids of ``plan``'s tasks (to keep a unit's duties to the plan shown)."""
    return _plan_task_ids(db(), version(), plan.id)


def duties_of(department_id: int | None) -> dict[int, str]:
    """task id → the unit's duty (牵头 / 配合 / 属地) on it."""
    return {} if department_id is None else _duties(db(), version(), department_id)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _task_view(db: str, v: int, today: dt.date, task_id: int) -> TaskView | None:
    with read_session() as s:
        views = load_task_views(s, today, task_ids=[task_id])
        return views[0] if views else None


def task_view(today: dt.date, task_id: int) -> TaskView | None:
    """One task, read on its own (the task page never loads the others)."""
    return _task_view(db(), version(), today, task_id)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _filter_options(db: str, v: int, plan_id: int) -> tasklist.FilterOptions:
    with read_session() as s:
        return tasklist.options_from_db(s, plan_id)


def filter_options(plan: PlanInfo) -> tasklist.FilterOptions:
    """The task list's choices (groups, units, due years that occur), by aggregate queries."""
    return _filter_options(db(), version(), plan.id)


PAGE_ROWS = 50  # rows on a page of the task list (a province has thousands; the download has them all)


@dataclass(frozen=True)
class TaskListPage:
    matching: int  # tasks that pass the filter
    pages: int
    frame: pd.DataFrame  # the rows of this page


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _task_list(db: str, v: int, today: dt.date, plan: PlanInfo, f: tasklist.TaskFilter, page: int
               ) -> TaskListPage:
    with read_session() as s:
        ids = tasklist.candidate_ids(s, plan.id, f)
        if f.light:  # a light is computed, not stored: decide it on the candidates, then page
            chosen = tasklist.filter_tasks(load_task_views(s, today, task_ids=ids), f)
            pages = max(1, -(-len(chosen) // PAGE_ROWS))
            return TaskListPage(len(chosen), pages, tasklist.list_frame(chosen[page * PAGE_ROWS:(page + 1) * PAGE_ROWS]))
        pages = max(1, -(-len(ids) // PAGE_ROWS))
        shown = ids[page * PAGE_ROWS:(page + 1) * PAGE_ROWS]
        return TaskListPage(len(ids), pages, tasklist.page_frame(s, plan, today, rules_for(plan), shown))


def task_list(today: dt.date, plan: PlanInfo, f: tasklist.TaskFilter, page: int = 0) -> TaskListPage:
    """One page of ``plan``'s task list for filter ``f``: selected in SQL, only the page's tasks read in full."""
    return _task_list(db(), version(), today, plan, f, page)


def task_list_all(today: dt.date, plan: PlanInfo, f: tasklist.TaskFilter) -> pd.DataFrame:
    """Every row of ``plan``'s task list for filter ``f``: what the downloads contain."""
    with read_session() as s:
        views = load_task_views(s, today, task_ids=tasklist.candidate_ids(s, plan.id, f))
        return tasklist.list_frame(tasklist.filter_tasks(views, f))


OVERDUE_ROWS = 200  # overdue milestones listed on the cockpit (longest overdue first)
TIMELINE_ROWS = 60  # beyond this many tasks the time line counts milestones per month instead of a row each
LIST_ROWS = 200  # rows of a list inside the cockpit; the full lists are on the task list and 督办 pages


@dataclass(frozen=True)
class CockpitTasks:
    tally: pd.DataFrame  # cockpit_reads.TALLY_COLUMNS: the tasks in scope by group, lead unit, status and light
    overdue: list[tuple]  # the first OVERDUE_ROWS overdue milestones (overdue.overdue_milestones)
    months: pd.DataFrame | None  # milestones by month and light, when there are too many tasks for a row each
    timeline_ids: list[int]  # else the tasks in scope, a row each on the time line


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _cockpit_tasks(db: str, v: int, today: dt.date, plan: PlanInfo, f: cockpit_reads.CockpitFilter
                   ) -> CockpitTasks:
    rules = rules_for(plan)
    with read_session() as s:
        tally = cockpit_reads.task_tally(s, plan, today, rules, f)
        page = overdue.overdue_milestones(s, plan, today, f, limit=OVERDUE_ROWS)
        if tally["任务数"].sum() > TIMELINE_ROWS:
            return CockpitTasks(tally, page, cockpit_reads.milestones_by_month(s, plan, today, rules, f), [])
        return CockpitTasks(tally, page, None, cockpit_reads.task_ids(s, plan, today, rules, f))


@dataclass(frozen=True)
class Cockpit:
    tally: pd.DataFrame  # cockpit_reads.TALLY_COLUMNS
    figures: list  # cockpit_reads.Headline
    overdue: pd.DataFrame  # the first OVERDUE_ROWS overdue milestones, with the open notices about their tasks
    overdue_total: int
    months: pd.DataFrame | None
    timeline_ids: list[int]


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _cockpit(db: str, v: int, today: dt.date, plan: PlanInfo, actor: Actor, f: cockpit_reads.CockpitFilter
            ) -> Cockpit:
    tasks = _cockpit_tasks(db, v, today, plan, f)  # the same for everyone: cached apart from the notices
    with read_session() as s:
        levels = overdue.open_notice_levels(s, actor, plan, f)
        levels_of = overdue.open_notice_levels_of(s, actor, sorted({r[0] for r in tasks.overdue}))
    return Cockpit(tasks.tally, cockpit_reads.headlines(tasks.tally, levels),
                   overdue.overdue_frame(tasks.overdue, levels_of, today), int(tasks.tally["逾期节点数"].sum()),
                   tasks.months, tasks.timeline_ids)


def cockpit(today: dt.date, plan: PlanInfo, actor: Actor, f: cockpit_reads.CockpitFilter) -> Cockpit:
    """Everything the cockpit shows of ``plan`` for filter ``f``, by aggregate queries (cached per role, unit and
    group)."""
    return _cockpit(db(), version(), today, plan, actor_key(actor), f)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _cockpit_list(db: str, v: int, today: dt.date, plan: PlanInfo, f: cockpit_reads.CockpitFilter,
                  q: cockpit_reads.TaskQuery) -> pd.DataFrame:
    rules = rules_for(plan)
    with read_session() as s:
        ids = cockpit_reads.task_ids(s, plan, today, rules, f, q, limit=LIST_ROWS)
        return cockpit_reads.summary_rows(s, plan, today, rules, ids)


def cockpit_list(today: dt.date, plan: PlanInfo, f: cockpit_reads.CockpitFilter, q: cockpit_reads.TaskQuery
                 ) -> pd.DataFrame:
    """The first :data:`LIST_ROWS` tasks in scope that ``q`` chooses (the list behind a figure or a bar)."""
    return _cockpit_list(db(), version(), today, plan, f, q)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _cockpit_notices(db: str, v: int, plan: PlanInfo, actor: Actor, f: cockpit_reads.CockpitFilter, key: str
                     ) -> list[notice_reads.NoticeBrief]:
    with read_session() as s:
        return notice_reads.notice_briefs(s, actor, open_only=True, levels=overdue.NOTICE_LEVELS[key],
                                         tasks=overdue.scope_tasks(plan, f), limit=LIST_ROWS)


def cockpit_notices(plan: PlanInfo, actor: Actor, f: cockpit_reads.CockpitFilter, key: str
                    ) -> list[notice_reads.NoticeBrief]:
    """The newest :data:`LIST_ROWS` open notices that the notice figure ``key`` counts."""
    return _cockpit_notices(db(), version(), plan, actor_key(actor), f, key)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _views_of(db: str, v: int, today: dt.date, ids: tuple[int, ...]) -> list[TaskView]:
    with read_session() as s:
        return load_task_views(s, today, task_ids=list(ids))


def views_of(today: dt.date, ids: list[int]) -> list[TaskView]:
    """The full views of a few tasks (a small time line, a to-do list)."""
    return _views_of(db(), version(), today, tuple(sorted(ids)))


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _duty_candidates(db: str, v: int, today: dt.date, plan: PlanInfo, department_id: int
                     ) -> todo_reads.DutyCandidates:
    with read_session() as s:
        return todo_reads.duty_candidates(s, plan.id, department_id, last_due_period(plan, today, rules_for(plan)),
                                          periods.period_of(today), TODO_ROWS)


def duty_candidates(today: dt.date, plan: PlanInfo, department_id: int) -> todo_reads.DutyCandidates:
    """The unit's tasks on its to-do list for its duties: the first :data:`TODO_ROWS`, the count, its shares."""
    return _duty_candidates(db(), version(), today, plan, department_id)


TODO_ROWS = 30  # rows of the cockpit's to-do list (notices first, then duties); the rest are counted, and listed
TODO_NOTICES = TODO_ROWS  # on the 督办 and task list pages


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _todo_notices(db: str, v: int, plan_id: int, actor: Actor) -> tuple[list[notice_reads.NoticeBrief], int]:

    if actor.role == Role.LIAISON:
        where = dict(department_id=actor.department_id, statuses=[x.value for x in AWAITING_DEPARTMENT])
    elif actor.role == Role.OFFICE:
        where = dict(statuses=[NoticeStatus.ANSWERED.value])
    else:
        return [], 0
    with read_session() as s:
        return (notice_reads.notice_briefs(s, actor, limit=TODO_NOTICES, plan_id=plan_id, **where),
                notice_reads.count_notices(s, actor, plan_id=plan_id, **where))


def todo_notices(plan: PlanInfo, actor: Actor) -> tuple[list[notice_reads.NoticeBrief], int]:
    """The newest notices of ``plan`` that can be on ``actor``'s to-do list (awaiting its unit for a liaison,
    answered for the office), at most :data:`TODO_NOTICES`, and how many there are in all."""
    return _todo_notices(db(), version(), plan.id, actor_key(actor))
