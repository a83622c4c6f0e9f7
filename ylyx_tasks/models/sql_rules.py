"""The SQL forms of domain rules, each beside the name of the Python rule it mirrors.

Some rules must be asked of thousands of rows at once (the cockpit's lights, the scan's "is there a notice for
this yet?"), so they are also written as SQL expressions. The Python rule in :mod:`ylyx_tasks.domain` is the
definition; the expression here must give the same answer on SQLite and PostgreSQL, and
``tests/test_sql_rules.py`` compares the two on random data on both databases (a fast test, run by
``make test-fast`` too). Change a rule in both places, or the test fails.

| SQL form here                 | the rule it mirrors                                   |
|-------------------------------|-------------------------------------------------------|
| :func:`days_between`          | ``(later - earlier).days`` (``domain.lights.days_overdue``, the scan's k) |
| :func:`report_late`           | :func:`ylyx_tasks.domain.periods.report_late`         |
| :func:`light_level`           | :func:`ylyx_tasks.domain.lights.milestone_light`      |
| :func:`reminder_key`          | :func:`ylyx_tasks.domain.notices.reminder_key`        |
| :func:`on_time` / :func:`due_or_done` / :func:`overdue` | ``domain.scoring`` (a scorecard's counts) |
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import ColumnElement

from ylyx_tasks.domain import notices as notice_rules
from ylyx_tasks.domain.lights import Light, LightRules
from ylyx_tasks.domain.status import Status
from ylyx_tasks.models.plan import Milestone, Task

DONE = Status.DONE.value
# a light as 0–3, so that SQL can take the worst of a task's milestones with max() (domain.lights.SEVERITY)
SEVERITY = {0: Light.DONE, 1: Light.GREEN, 2: Light.YELLOW, 3: Light.RED}
LEVEL = {light: n for n, light in SEVERITY.items()}  # Light → 0–3


# --- building blocks --------------------------------------------------------------------------------------------


def literal_in(column, *values: str) -> ColumnElement:
    """``column IN ('a', 'b')`` (or ``= 'a'``) with the values written into the SQL: the very condition of a
    partial index (models/types.py ``partial``), which a bound parameter would hide from the planner. The values
    are the code's own enum values, never user input."""
    assert all("'" not in v for v in values)
    quoted = [sa.literal_column(f"'{v}'", sa.String) for v in values]
    return column == quoted[0] if len(quoted) == 1 else column.in_(quoted)


def among(dialect: str, column, values: list) -> ColumnElement:
    """``column`` is one of ``values``: on PostgreSQL one array parameter (it plans a list of thousands of
    parameters slowly), elsewhere an IN list (callers keep lists under SQLite's limit of parameters)."""
    if dialect == "postgresql":
        return column == sa.any_(sa.bindparam("values", values, type_=postgresql.ARRAY(column.type)))
    return column.in_(values)


def days_between(dialect: str, later, earlier) -> ColumnElement:
    """Whole days from ``earlier`` to ``later`` (two dates), as an integer: ``(later - earlier).days``."""
    if dialect == "postgresql":
        return sa.cast(later - earlier, sa.Integer)
    return sa.cast(sa.func.julianday(later) - sa.func.julianday(earlier), sa.Integer)


def iso_date(dialect: str, column) -> ColumnElement:
    """A date as text, YYYY-MM-DD (``date.isoformat``; SQLite stores dates so)."""
    return sa.func.to_char(column, "YYYY-MM-DD") if dialect == "postgresql" else sa.cast(column, sa.String)


def concat(*parts) -> ColumnElement:
    """Text formed in SQL from literal strings and expressions (numbers and dates as text)."""
    terms = [sa.literal(p, sa.String) if isinstance(p, str) else sa.cast(p, sa.String) for p in parts]
    out = terms[0]
    for term in terms[1:]:
        out = out + term
    return out


# --- reports and lights -------------------------------------------------------------------------------------------


def report_late(last_due: str | ColumnElement | None) -> ColumnElement:
    """:func:`ylyx_tasks.domain.periods.report_late` of a task: unfinished, and its lead unit's latest report
    is older than the last due period ``last_due`` (a value or a bound parameter; false before the first period
    is due)."""
    if last_due is None:
        return sa.false()
    return sa.and_(Task.status != DONE,
                   sa.or_(Task.last_report_period.is_(None), Task.last_report_period < last_due))


def light_level(dialect: str, today: dt.date, rules: LightRules, last_due: str | None) -> ColumnElement:
    """A milestone's light as 0–3 (done, green, yellow, red), over ``task LEFT JOIN milestone`` (no milestone =
    green): :func:`ylyx_tasks.domain.lights.milestone_light`, with the task's :func:`report_late` for the last
    due period ``last_due``. The cheap comparisons come first: "due within N days" is a date comparison, and
    the elapsed share of the period is computed only for what is left."""
    day = sa.literal(today, sa.Date)
    soon = sa.literal(today + dt.timedelta(days=rules.yellow_within_days), sa.Date)
    reported = sa.case((Task.last_report_period.is_(None), 0), else_=Task.progress)
    elapsed = sa.case((day <= Milestone.start_date, 0.0), (Milestone.due_date <= Milestone.start_date, 100.0),
                      else_=100.0 * days_between(dialect, day, Milestone.start_date)
                      / days_between(dialect, Milestone.due_date, Milestone.start_date))
    whens = [(Milestone.id.is_(None), 1), (Milestone.status == DONE, 0), (Milestone.due_date < day, 3),
             (Milestone.due_date <= soon, 2)]
    if last_due is not None:  # the lead unit has not reported for the last due period
        whens.append((report_late(last_due), 2))
    whens.append((elapsed - reported > rules.behind_points, 2))
    return sa.case(*whens, else_=1)


# --- notice keys ------------------------------------------------------------------------------------------------


def reminder_key(dialect: str, window, milestone_id, due) -> ColumnElement:
    """:func:`ylyx_tasks.domain.notices.reminder_key` (``提醒30:m12:2026-12-31``)."""
    return concat(notice_rules.REMINDER_PREFIX, window, ":m", milestone_id, ":", iso_date(dialect, due))


# --- scorecards ---------------------------------------------------------------------------------------------------


def due_or_done(today: dt.date) -> ColumnElement:
    """A lead milestone that counts in the on-time rate (``domain.scoring.Scorecard.milestones_due``): done, or
    past its working due date."""
    return sa.or_(Milestone.status == DONE, Milestone.due_date < today)


def on_time() -> ColumnElement:
    """Done by its working due date (``Scorecard.completed_on_time``): an approved extension counts, an overrun
    without one does not."""
    return sa.and_(Milestone.status == DONE, Milestone.completed_on <= Milestone.due_date)


def overdue(today: dt.date) -> ColumnElement:
    """Unfinished past its working due date (``Scorecard.overdue``; the red light)."""
    return sa.and_(Milestone.status != DONE, Milestone.due_date < today)
