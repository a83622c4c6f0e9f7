"""Cached reads for the pages (those of the task pages and the cockpit are in :mod:`ylyx_tasks.ui.cached.tasks`).
Each cache is keyed on the database, the data version (:func:`ylyx_tasks.reads.cache_key.data_version`: the
newest audit event, which every write adds) and today, so any write by anyone — this app, another server, the scheduler, the CLI — invalidates it at once,
and nothing is recomputed while nothing changes."""

from __future__ import annotations

import datetime as dt
import threading

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ylyx_tasks.config import get_settings
from ylyx_tasks.db import read_session
from ylyx_tasks.domain import periods
from ylyx_tasks.domain.bulletins import BulletinStatus
from ylyx_tasks.domain.roles import Actor
from ylyx_tasks.reads import cache_key, history, matrix, plans
from ylyx_tasks.reads import notices as notice_reads
from ylyx_tasks.reads.admin import has_demo_data
from ylyx_tasks.reads.cockpit import todo
from ylyx_tasks.reads.holidays import unknown_years
from ylyx_tasks.reads.indicators import IndicatorRow, list_indicators
from ylyx_tasks.reads.plans import PlanInfo
from ylyx_tasks.reads.scorecards import scorecards
from ylyx_tasks.reads.supervision import bulletins as bulletin_reads

ENTRIES = 64


def db() -> str:
    return get_settings().effective_database_url


_run_memo = threading.local()  # the version read in this script thread's current run


def _once_per_run(name: str, read) -> int:
    """``read(session)``, once per script run: every cached read of one run is keyed on the same value (one query
    per run rather than one per cached call). A run is told apart by the cursor table Streamlit makes afresh at the
    start of each run; outside a run (or should Streamlit change) it is read every time."""
    run = getattr(get_script_run_ctx(suppress_warning=True), "cursors", None)
    memo = _run_memo.__dict__
    if run is not None and memo.get(f"{name}_run") is run:
        return memo[name]
    with read_session() as s:
        value = read(s)
    if run is not None:
        memo[f"{name}_run"], memo[name] = run, value
    return value


def version() -> int:
    """The data version (:func:`ylyx_tasks.reads.cache_key.data_version`), read once per run."""
    return _once_per_run("data", cache_key.data_version)


def indicator_version() -> int:
    """The indicators' own version (:func:`ylyx_tasks.reads.cache_key.indicator_version`), read once per run."""
    return _once_per_run("indicator", cache_key.indicator_version)


def forget_version() -> None:
    """After a write in this run: the next cached read reads the versions again."""
    _run_memo.__dict__.clear()


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _plans(db: str, v: int, today: dt.date, see_all: bool) -> list[PlanInfo]:
    with read_session() as s:
        return plans.plans_visible(s, today, see_all=see_all)


def visible_plans(today: dt.date, *, see_all: bool) -> list[PlanInfo]:
    """The plans a user may choose (every plan for the office; in force or closing for the others)."""
    return _plans(db(), version(), today, see_all)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _unknown_years(db: str, v: int, today: dt.date) -> list[int]:
    with read_session() as s:
        return unknown_years(s, today)


def unknown_calendar_years(today: dt.date) -> list[int]:
    """The years whose holiday notice the office should enter now (deadlines fall back to Mon–Fri)."""
    return _unknown_years(db(), version(), today)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _notices(db: str, v: int, actor: Actor, open_only: bool, plan_id: int | None) -> list[notice_reads.NoticeBrief]:
    with read_session() as s:
        return notice_reads.notice_briefs(s, actor, open_only=open_only, plan_id=plan_id)


def actor_key(actor: Actor) -> Actor:
    """What decides which notices a user sees: the cache is per role, unit and group, never shared across them."""
    return Actor(user_id=None, username="", role=actor.role, department_id=actor.department_id,
                 working_group_id=actor.working_group_id)


def notices(actor: Actor, *, plan_id: int | None = None, open_only: bool = False) -> list[notice_reads.NoticeBrief]:
    """The notices ``actor`` may see (about ``plan_id``'s tasks)."""
    return _notices(db(), version(), actor_key(actor), open_only, plan_id)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _task_notices(db: str, v: int, actor: Actor, task_id: int) -> list[notice_reads.NoticeBrief]:
    with read_session() as s:
        return notice_reads.notice_briefs(s, actor, task_id=task_id)


def task_notices(actor: Actor, task_id: int) -> list[notice_reads.NoticeBrief]:
    """The notices about one task that ``actor`` may see (filtered in SQL, not from every notice)."""
    return _task_notices(db(), version(), actor_key(actor), task_id)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _indicators(db: str, v: int, plan_id: int) -> list[IndicatorRow]:
    with read_session() as s:
        rows = list_indicators(s, plan_id)
        s.expunge_all()
        return rows


def indicator_rows(plan_id: int) -> list[IndicatorRow]:
    """Keyed on the indicators' own version: a progress report leaves them cached."""
    return _indicators(db(), indicator_version(), plan_id)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _scorecards(db: str, v: int, today: dt.date, plan: PlanInfo) -> list:
    with read_session() as s:
        return scorecards(s, today, report_due_day=get_settings().report_due_day, plan=plan)


def unit_scorecards(today: dt.date, plan: PlanInfo) -> list:
    return _scorecards(db(), version(), today, plan)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _latest_bulletin(db: str, v: int, plan_id: int) -> bulletin_reads.BulletinView | None:
    with read_session() as s:
        issued = bulletin_reads.bulletins(s, plan_id, status=BulletinStatus.ISSUED)
    return issued[0] if issued else None


def latest_bulletin(plan_id: int) -> bulletin_reads.BulletinView | None:
    """The plan's last issued 通报（第N期）, with its matters; None before the first."""
    return _latest_bulletin(db(), version(), plan_id)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _matrix(db: str, v: int, plan_id: int) -> matrix.CountyMatrix:
    with read_session() as s:
        return matrix.county_matrix(s, plan_id)


def county_matrix(plan_id: int) -> matrix.CountyMatrix:
    return _matrix(db(), version(), plan_id)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _shares(db: str, v: int, period: str) -> set[tuple[int, int]]:
    with read_session() as s:
        return matrix.shares_reported(s, period)


def shares_reported(today: dt.date) -> set[tuple[int, int]]:
    return _shares(db(), version(), periods.period_of(today))


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _requests(db: str, v: int, plan_id: int) -> list[todo.PendingRequest]:
    with read_session() as s:
        return todo.pending_requests(s, get_settings().tz, plan_id)


def pending_requests(plan_id: int) -> list[todo.PendingRequest]:
    return _requests(db(), version(), plan_id)


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
def _departments(db: str, v: int, plan_id: int | None) -> list[tuple[int, str, str]]:
    with read_session() as s:
        return plans.departments(s, plan_id)


def departments(plan_id: int | None = None) -> list[tuple[int, str, str]]:
    """(id, name, kind) of the units ``plan_id`` uses (every unit when None), in the plan's order."""
    return _departments(db(), version(), plan_id)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _demo(db: str, v: int) -> bool:
    with read_session() as s:
        return has_demo_data(s)


def demo_present() -> bool:
    return _demo(db(), version())
