"""The floors: for each measurement, the one SQL statement any implementation must at least run, fetching its
rows. A measurement's time divided by its floor's says how much of it is more than the database's own work.

- scan: the milestones past due and unfinished (what the 督办 rule looks at);
- cockpit: the tasks counted by status and traffic light, the lights computed in SQL by the rules of
  ``ylyx_tasks.domain.lights``;
- digest: the open notices plus the overdue milestones with their lead department;
- task list: the tasks of one department;
- task page: the task's history (its audit events, oldest first).

The tests check that each floor returns what the services compute from the same database.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy import Connection

from ylyx_tasks.domain import periods
from ylyx_tasks.domain.lights import Light
from ylyx_tasks.domain.notices import OPEN_STATUSES
from ylyx_tasks.domain.rules import SupervisionRules

SEVERITY_LIGHT = {0: Light.DONE, 1: Light.GREEN, 2: Light.YELLOW, 3: Light.RED}
_OPEN = ", ".join(f"'{s.value}'" for s in OPEN_STATUSES)


def _days(conn: Connection, later: str, earlier: str) -> str:
    """Whole days from ``earlier`` to ``later`` (two date expressions), in this database's dialect."""
    if conn.dialect.name == "postgresql":
        return f"({later} - {earlier})"
    return f"(julianday({later}) - julianday({earlier}))"


def _today(sql: str) -> sa.TextClause:
    return sa.text(sql).bindparams(sa.bindparam("today", type_=sa.Date))


def scan_rows(conn: Connection, today: dt.date) -> list:
    return conn.execute(_today(
        "SELECT id, task_id, due_date FROM milestone "
        "WHERE due_date < :today AND status NOT IN ('已完成', '待审核')"), {"today": today}).all()


def _due_period(conn: Connection, today: dt.date, rules: SupervisionRules) -> str | None:
    issued_on = conn.execute(sa.text("SELECT issued_on FROM plan ORDER BY id LIMIT 1")).scalar_one()
    if isinstance(issued_on, str):
        issued_on = dt.date.fromisoformat(issued_on)
    return periods.last_due_period(today, rules.report_due_day, periods.first_period(issued_on))


def cockpit_sql(conn: Connection, due_period: str | None) -> sa.TextClause:
    today = "CAST(:today AS DATE)" if conn.dialect.name == "postgresql" else ":today"
    late = ("WHEN t.status <> '已完成' AND (t.last_report_period IS NULL OR t.last_report_period < :due_period) "
            "THEN 2 " if due_period is not None else "")
    elapsed = (f"CASE WHEN {today} <= m.start_date THEN 0.0 "
               f"ELSE 100.0 * {_days(conn, today, 'm.start_date')} / {_days(conn, 'm.due_date', 'm.start_date')} END")
    severity = (
        "CASE WHEN m.id IS NULL THEN 1 "
        "WHEN m.status = '已完成' THEN 0 "
        f"WHEN m.due_date < {today} THEN 3 "
        f"WHEN {_days(conn, 'm.due_date', today)} <= :yellow THEN 2 "
        f"WHEN ({elapsed}) - (CASE WHEN t.last_report_period IS NULL THEN 0 ELSE t.progress END) > :behind THEN 2 "
        f"{late}ELSE 1 END")
    return _today(
        f"SELECT status, severity, COUNT(*) FROM ("
        f"SELECT t.id, t.status AS status, MAX({severity}) AS severity "
        f"FROM task t LEFT JOIN milestone m ON m.task_id = t.id "
        f"WHERE t.plan_id = (SELECT MIN(id) FROM plan) GROUP BY t.id, t.status) AS per_task "
        f"GROUP BY status, severity")


def cockpit_counts(conn: Connection, today: dt.date, rules: SupervisionRules, due_period: str | None = None,
                   *, prepared: bool = False) -> dict[tuple[str, str], int]:
    """{(status, light): tasks}. ``due_period`` is looked up unless ``prepared`` (the timed run passes it)."""
    if not prepared:
        due_period = _due_period(conn, today, rules)
    rows = conn.execute(cockpit_sql(conn, due_period), {
        "today": today, "yellow": rules.lights.yellow_within_days, "behind": rules.lights.behind_points,
        "due_period": due_period}).all()
    return {(status, SEVERITY_LIGHT[int(sev)].value): n for status, sev, n in rows}


def digest_rows(conn: Connection, today: dt.date) -> list:
    """('notice', id, task, addressee, level, created_on) and ('milestone', id, task, lead, status, due_date)."""
    return conn.execute(_today(
        f"SELECT 'notice', n.id, n.task_id, n.department_id, n.level, n.created_on FROM notice n "
        f"WHERE n.status IN ({_OPEN}) "
        f"UNION ALL "
        f"SELECT 'milestone', m.id, m.task_id, r.department_id, m.status, m.due_date FROM milestone m "
        f"JOIN responsibility r ON r.task_id = m.task_id AND r.duty = '牵头' "
        f"WHERE m.due_date < :today AND m.status <> '已完成'"), {"today": today}).all()


def tasklist_rows(conn: Connection, department_id: int) -> list:
    return conn.execute(sa.text(
        "SELECT t.id, t.code, t.title, t.status, t.progress, r.duty FROM task t "
        "JOIN responsibility r ON r.task_id = t.id WHERE r.department_id = :d ORDER BY t.position, t.code"),
        {"d": department_id}).all()


def taskpage_rows(conn: Connection, task_id: int) -> list:
    return conn.execute(sa.text(
        "SELECT id, at, actor, action, entity, before, after, note FROM audit_event "
        "WHERE task_id = :t ORDER BY at, id"), {"t": task_id}).all()


# --- what the page measurements look at ---------------------------------------------------------------------


def busiest_department(conn: Connection) -> tuple[int, str]:
    """The unit with the most duties (the longest filtered task list)."""
    return tuple(conn.execute(sa.text(
        "SELECT d.id, d.name FROM responsibility r JOIN department d ON d.id = r.department_id "
        "GROUP BY d.id, d.name ORDER BY COUNT(*) DESC, d.id LIMIT 1")).one())


def busiest_task(conn: Connection) -> tuple[int, str]:
    """The task with the longest history (the heaviest task page)."""
    return tuple(conn.execute(sa.text(
        "SELECT t.id, t.code FROM task t JOIN (SELECT task_id, COUNT(*) AS n FROM audit_event "
        "WHERE task_id IS NOT NULL GROUP BY task_id) a ON a.task_id = t.id ORDER BY a.n DESC, t.id LIMIT 1"
    )).one())


def floor_call(name: str, conn: Connection, today: dt.date, rules: SupervisionRules, *, department_id: int = 0,
               task_id: int = 0) -> Callable[[], object]:
    """The floor ``name`` as a function of no arguments, with everything it needs looked up beforehand."""
    if name == "scan":
        return lambda: scan_rows(conn, today)
    if name == "cockpit":
        due_period = _due_period(conn, today, rules)
        return lambda: cockpit_counts(conn, today, rules, due_period, prepared=True)
    if name == "digest":
        return lambda: digest_rows(conn, today)
    if name == "tasks":
        return lambda: tasklist_rows(conn, department_id)
    if name == "task_detail":
        return lambda: taskpage_rows(conn, task_id)
    raise ValueError(f"no floor called {name!r}")


def time_call(fn: Callable[[], object], repeat: int) -> list[float]:
    """Seconds of each of ``repeat`` calls (after one untimed call that warms the caches)."""
    fn()
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out
