"""Cached reads for the task pages and the cockpit: the task selector, one task, the task list a page at a
time, and the cockpit's aggregates. Keyed like :mod:`ylyx_tasks.ui.data` (database, data version, today)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
import streamlit as st
from sqlmodel import select

from ylyx_tasks.db import read_session
from ylyx_tasks.domain.roles import Actor, Role
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Responsibility, Task
from ylyx_tasks.services import dashboard, notice_desk, tasklist
from ylyx_tasks.services.overview import TaskView, load_task_views, plan_or_none
from ylyx_tasks.services.plan_loader import current_plan
from ylyx_tasks.ui.data import ENTRIES, actor_key, db, version


@dataclass(frozen=True)
class TaskEntry:
    """A line of the task selector: enough to find and order a task, not the task itself."""
    id: int
    code: str
    title: str
    done: bool
    working_group_id: int


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _task_index(db: str, v: int) -> list[TaskEntry]:
    with read_session() as s:
        plan = plan_or_none(s)
        if plan is None:
            return []
        rows = s.connection().execute(select(Task.id, Task.code, Task.title, Task.status, Task.working_group_id)
                      .where(Task.plan_id == plan.id).order_by(Task.position, Task.code))
        return [TaskEntry(i, c, t, st_ == Status.DONE, g) for i, c, t, st_, g in rows]


def task_index() -> list[TaskEntry]:
    """Every task of the plan (id, code, title) in document order: what the task page's selector searches."""
    return _task_index(db(), version())


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _task_count(db: str, v: int) -> int:
    with read_session() as s:
        plan = plan_or_none(s)
        return s.exec(select(sa.func.count()).select_from(Task).where(Task.plan_id == plan.id)).one() if plan else 0


def task_count() -> int:
    return _task_count(db(), version())


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _duties(db: str, v: int, department_id: int) -> dict[int, str]:
    with read_session() as s:
        return dict(s.exec(select(Responsibility.task_id, Responsibility.duty)
                           .where(Responsibility.department_id == department_id)).all())


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
def _filter_options(db: str, v: int) -> tasklist.FilterOptions:
    with read_session() as s:
        plan = plan_or_none(s)
        return tasklist.options_from_db(s, plan.id) if plan else tasklist.FilterOptions()


def filter_options() -> tasklist.FilterOptions:
    """The task list's choices (groups, units, due years that occur), by aggregate queries."""
    return _filter_options(db(), version())


PAGE_ROWS = 200


@dataclass(frozen=True)
class TaskListPage:
    matching: int  # tasks that pass the filter
    pages: int
    frame: pd.DataFrame  # the rows of this page


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _task_list(db: str, v: int, today: dt.date, f: tasklist.TaskFilter, page: int) -> TaskListPage:
    with read_session() as s:
        plan = plan_or_none(s)
        if plan is None:
            return TaskListPage(0, 1, tasklist.list_frame([]))
        ids = tasklist.candidate_ids(s, plan.id, f)
        if f.light:  # a light is computed, not stored: decide it on the candidates, then page
            chosen = tasklist.filter_tasks(load_task_views(s, today, task_ids=ids), f)
            pages = max(1, -(-len(chosen) // PAGE_ROWS))
            return TaskListPage(len(chosen), pages, tasklist.list_frame(chosen[page * PAGE_ROWS:(page + 1) * PAGE_ROWS]))
        pages = max(1, -(-len(ids) // PAGE_ROWS))
        shown = load_task_views(s, today, task_ids=ids[page * PAGE_ROWS:(page + 1) * PAGE_ROWS])
        return TaskListPage(len(ids), pages, tasklist.list_frame(shown))


def task_list(today: dt.date, f: tasklist.TaskFilter, page: int = 0) -> TaskListPage:
    """One page of the task list for filter ``f``: selected in SQL, only the page's tasks read in full."""
    return _task_list(db(), version(), today, f, page)


def task_list_all(today: dt.date, f: tasklist.TaskFilter) -> pd.DataFrame:
    """Every row of the task list for filter ``f``: what the downloads contain."""
    with read_session() as s:
        plan = plan_or_none(s)
        if plan is None:
            return tasklist.list_frame([])
        views = load_task_views(s, today, task_ids=tasklist.candidate_ids(s, plan.id, f))
        return tasklist.list_frame(tasklist.filter_tasks(views, f))


OVERDUE_ROWS = 200  # overdue milestones listed on the cockpit (longest overdue first)
TIMELINE_ROWS = 60  # beyond this many tasks the time line counts milestones per month instead of a row each


@dataclass(frozen=True)
class Cockpit:
    rows: pd.DataFrame  # one row per task in scope (cockpit_data.ROW_COLUMNS)
    notices: list  # cockpit_data.NoticeFact: open notices in scope this user may see
    figures: list  # dashboard.Figure
    overdue: pd.DataFrame  # the first OVERDUE_ROWS overdue milestones
    overdue_total: int
    months: pd.DataFrame | None  # milestones by month and light, when there are too many tasks for a row each


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _cockpit(db: str, v: int, today: dt.date, actor: Actor, f: dashboard.CockpitFilter) -> Cockpit | None:
    from ylyx_tasks.services import cockpit_data
    from ylyx_tasks.services.overview import rules_from_settings

    rules = rules_from_settings()
    with read_session() as s:
        plan = current_plan(s)
        if plan is None:
            return None
        rows = cockpit_data.task_rows(s, plan, today, rules, f)
        notices = cockpit_data.open_notices(s, actor, plan, f)
        page = cockpit_data.overdue_milestones(s, plan, today, f, limit=OVERDUE_ROWS)
        months = cockpit_data.milestones_by_month(s, plan, today, rules, f) if len(rows) > TIMELINE_ROWS else None
        return Cockpit(rows, notices, cockpit_data.figures(rows, notices),
                       cockpit_data.overdue_frame(page, notices, today), page.total, months)


def cockpit(today: dt.date, actor: Actor, f: dashboard.CockpitFilter) -> Cockpit | None:
    """Everything the cockpit shows for filter ``f``, by aggregate queries (cached per role, unit and group)."""
    return _cockpit(db(), version(), today, actor_key(actor), f)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _notices_by_id(db: str, v: int, actor: Actor, ids: tuple[int, ...]) -> list[notice_desk.NoticeBrief]:
    with read_session() as s:
        return notice_desk.notice_briefs(s, actor, ids=list(ids))


def notices_by_id(actor: Actor, ids: list[int]) -> list[notice_desk.NoticeBrief]:
    return _notices_by_id(db(), version(), actor_key(actor), tuple(ids))


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _views_of(db: str, v: int, today: dt.date, ids: tuple[int, ...]) -> list[TaskView]:
    with read_session() as s:
        return load_task_views(s, today, task_ids=list(ids))


def views_of(today: dt.date, ids: list[int]) -> list[TaskView]:
    """The full views of a few tasks (a small time line, a to-do list)."""
    return _views_of(db(), version(), today, tuple(sorted(ids)))


TODO_NOTICES = 200  # notices read for a to-do list; the rest are counted


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _todo_notices(db: str, v: int, actor: Actor) -> tuple[list[notice_desk.NoticeBrief], int]:
    from ylyx_tasks.domain.notices import AWAITING_DEPARTMENT, NoticeStatus

    if actor.role == Role.LIAISON:
        where = dict(department_id=actor.department_id, statuses=[x.value for x in AWAITING_DEPARTMENT])
    elif actor.role == Role.OFFICE:
        where = dict(statuses=[NoticeStatus.ANSWERED.value])
    else:
        return [], 0
    with read_session() as s:
        return (notice_desk.notice_briefs(s, actor, limit=TODO_NOTICES, **where),
                notice_desk.count_notices(s, actor, **where))


def todo_notices(actor: Actor) -> tuple[list[notice_desk.NoticeBrief], int]:
    """The newest notices that can be on ``actor``'s to-do list (awaiting its unit for a liaison, answered for
    the office), at most :data:`TODO_NOTICES`, and how many there are in all."""
    return _todo_notices(db(), version(), actor_key(actor))
