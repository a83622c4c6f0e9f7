"""Cached reads for the pages (those of the task pages and the cockpit are in :mod:`ylyx_tasks.ui.cached.tasks`).
Each cache is keyed on the database, the data version (:func:`ylyx_tasks.reads.cache_key.data_version`: the
newest audit event, which every write adds) and today, so any write by anyone — this app, another server, the scheduler, the CLI — invalidates it at once,
and nothing is recomputed while nothing changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from ylyx_tasks.config import get_settings
from ylyx_tasks.db import read_session
from ylyx_tasks.domain import periods
from ylyx_tasks.domain.roles import Actor
from ylyx_tasks.reads import cache_key, history, matrix, plans
from ylyx_tasks.reads import notices as notice_reads
from ylyx_tasks.reads.admin import has_demo_data
from ylyx_tasks.reads.cockpit import todo
from ylyx_tasks.reads.indicators import IndicatorRow, list_indicators
from ylyx_tasks.reads.plans import current_plan
from ylyx_tasks.reads.scorecards import scorecards

ENTRIES = 64


def db() -> str:
    return get_settings().effective_database_url


def version() -> int:
    with read_session() as s:
        return cache_key.data_version(s)


@dataclass(frozen=True)
class PlanInfo:
    code: str
    title: str
    issued_on: dt.date
    period_end: dt.date


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _plan(db: str, v: int) -> PlanInfo | None:
    with read_session() as s:
        p = current_plan(s)
        return PlanInfo(p.code, p.title, p.issued_on, p.period_end) if p else None


def plan() -> PlanInfo | None:
    return _plan(db(), version())


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _notices(db: str, v: int, actor: Actor, open_only: bool) -> list[notice_reads.NoticeBrief]:
    with read_session() as s:
        return notice_reads.notice_briefs(s, actor, open_only=open_only)


def actor_key(actor: Actor) -> Actor:
    """What decides which notices a user sees: the cache is per role, unit and group, never shared across them."""
    return Actor(user_id=None, username="", role=actor.role, department_id=actor.department_id,
                 working_group_id=actor.working_group_id)


def notices(actor: Actor, *, open_only: bool = False) -> list[notice_reads.NoticeBrief]:
    """The notices ``actor`` may see."""
    return _notices(db(), version(), actor_key(actor), open_only)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _task_notices(db: str, v: int, actor: Actor, task_id: int) -> list[notice_reads.NoticeBrief]:
    with read_session() as s:
        return notice_reads.notice_briefs(s, actor, task_id=task_id)


def task_notices(actor: Actor, task_id: int) -> list[notice_reads.NoticeBrief]:
    """The notices about one task that ``actor`` may see (filtered in SQL, not from every notice)."""
    return _task_notices(db(), version(), actor_key(actor), task_id)


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
def _requests(db: str, v: int) -> list[todo.PendingRequest]:
    with read_session() as s:
        return todo.pending_requests(s, get_settings().tz)


def pending_requests() -> list[todo.PendingRequest]:
    return _requests(db(), version())


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _record(db: str, v: int, task_id: int) -> history.TaskRecord:
    with read_session() as s:
        return history.task_record(s, task_id, get_settings().tz)


def task_record(task_id: int) -> history.TaskRecord:
    return _record(db(), version(), task_id)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _full_history(db: str, v: int, task_id: int) -> list[history.HistoryRow]:
    with read_session() as s:
        return history.task_history(s, task_id, get_settings().tz)


def full_history(task_id: int) -> list[history.HistoryRow]:
    """Every audit event of the task (the page shows the newest unless asked for all)."""
    return _full_history(db(), version(), task_id)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _departments(db: str, v: int) -> list[tuple[int, str, str]]:
    with read_session() as s:
        return plans.departments(s)


def departments() -> list[tuple[int, str, str]]:
    """(id, name, kind) of every unit, in the order of departments.csv."""
    return _departments(db(), version())


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _demo(db: str, v: int) -> bool:
    with read_session() as s:
        return has_demo_data(s)


def demo_present() -> bool:
    return _demo(db(), version())
