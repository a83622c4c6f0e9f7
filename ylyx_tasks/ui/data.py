"""Cached reads for the pages. Each cache is keyed on the database, the data version
(:func:`ylyx_tasks.services.cache_key.data_version`: the newest audit event, which every write adds) and
today, so any write by anyone — this app, another server, the scheduler, the CLI — invalidates it at once,
and nothing is recomputed while nothing changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
import streamlit as st
from sqlmodel import select

from ylyx_tasks.config import get_settings
from ylyx_tasks.db import read_session
from ylyx_tasks.domain import periods
from ylyx_tasks.domain.roles import Actor
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models import Department, Responsibility, Task
from ylyx_tasks.services import cache_key, dashboard, history, matrix, notice_desk, tasklist
from ylyx_tasks.services.demo import has_demo_data
from ylyx_tasks.services.indicators import IndicatorRow, list_indicators
from ylyx_tasks.services.overview import TaskView, load_task_views, plan_or_none
from ylyx_tasks.services.scorecards import scorecards

ENTRIES = 64


def db() -> str:
    return get_settings().effective_database_url


def version() -> int:
    with read_session() as s:
        return cache_key.data_version(s)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _task_views(db: str, v: int, today: dt.date) -> list[TaskView]:
    with read_session() as s:
        return load_task_views(s, today)


def task_views(today: dt.date) -> list[TaskView]:
    return _task_views(db(), version(), today)


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


@dataclass(frozen=True)
class PlanInfo:
    code: str
    title: str
    issued_on: dt.date
    period_end: dt.date


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _plan(db: str, v: int) -> PlanInfo | None:
    with read_session() as s:
        p = plan_or_none(s)
        return PlanInfo(p.code, p.title, p.issued_on, p.period_end) if p else None


def plan() -> PlanInfo | None:
    return _plan(db(), version())


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _notices(db: str, v: int, actor: Actor, open_only: bool) -> list[notice_desk.NoticeBrief]:
    with read_session() as s:
        return notice_desk.notice_briefs(s, actor, open_only=open_only)


def _actor_key(actor: Actor) -> Actor:
    """What decides which notices a user sees: the cache is per role, unit and group, never shared across them."""
    return Actor(user_id=None, username="", role=actor.role, department_id=actor.department_id,
                 working_group_id=actor.working_group_id)


def notices(actor: Actor, *, open_only: bool = False) -> list[notice_desk.NoticeBrief]:
    """The notices ``actor`` may see."""
    return _notices(db(), version(), _actor_key(actor), open_only)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _task_notices(db: str, v: int, actor: Actor, task_id: int) -> list[notice_desk.NoticeBrief]:
    with read_session() as s:
        return notice_desk.notice_briefs(s, actor, task_id=task_id)


def task_notices(actor: Actor, task_id: int) -> list[notice_desk.NoticeBrief]:
    """The notices about one task that ``actor`` may see (filtered in SQL, not from every notice)."""
    return _task_notices(db(), version(), _actor_key(actor), task_id)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _indicators(db: str, v: int) -> list[IndicatorRow]:
    with read_session() as s:
        rows = list_indicators(s)
        s.expunge_all()
        return rows


def indicator_rows() -> list[IndicatorRow]:
    return _indicators(db(), version())


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _scorecards(db: str, v: int, today: dt.date) -> list:
    with read_session() as s:
        return scorecards(s, today, report_due_day=get_settings().report_due_day)


def unit_scorecards(today: dt.date) -> list:
    return _scorecards(db(), version(), today)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _matrix(db: str, v: int) -> matrix.CountyMatrix:
    with read_session() as s:
        return matrix.county_matrix(s)


def county_matrix() -> matrix.CountyMatrix:
    return _matrix(db(), version())


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _shares(db: str, v: int, period: str) -> set[tuple[int, int]]:
    with read_session() as s:
        return matrix.shares_reported(s, period)


def shares_reported(today: dt.date) -> set[tuple[int, int]]:
    return _shares(db(), version(), periods.period_of(today))


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _requests(db: str, v: int) -> list[dashboard.PendingRequest]:
    with read_session() as s:
        return dashboard.pending_requests(s, get_settings().tz)


def pending_requests() -> list[dashboard.PendingRequest]:
    return _requests(db(), version())


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _record(db: str, v: int, task_id: int) -> history.TaskRecord:
    with read_session() as s:
        return history.task_record(s, task_id, get_settings().tz)


def task_record(task_id: int) -> history.TaskRecord:
    return _record(db(), version(), task_id)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _departments(db: str, v: int) -> list[tuple[int, str, str]]:
    with read_session() as s:
        return [(d.id, d.name, d.kind) for d in s.exec(select(Department).order_by(Department.id))]


def departments() -> list[tuple[int, str, str]]:
    """(id, name, kind) of every unit, in the order of departments.csv."""
    return _departments(db(), version())


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _demo(db: str, v: int) -> bool:
    with read_session() as s:
        return has_demo_data(s)


def demo_present() -> bool:
    return _demo(db(), version())
