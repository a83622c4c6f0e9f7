"""The benchmark's synthetic data are what the app would have written, and the benchmark's floors return what the
services compute. Built at small scales (``plan``; ``province`` × 0.1: one city; ``stress`` × 0.01: 100 tasks) on
SQLite and on PostgreSQL. Timing decides nothing here.

The strongest check is the boundary: the generator also works out which notices the first scan on TODAY must
make, from the notice rules; the real scan must make exactly those, close nothing, and then have nothing left
to do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from conftest import Database, _teardown, copy_of_template, point_settings_at, require_postgres

from benchmarks import LAST, TODAY
from benchmarks.sizes import size as size_named

BUILDS = [("plan", 1.0), ("province", 0.1), ("stress", 0.01)]
NUMBER = re.compile(r"^运养托([提催督通])〔(\d{4})〕(\d+)号$")
MARK_LEVEL = {"提": "提醒", "催": "催报", "督": "督办", "通": "通报"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Iterator:
    """Build each (size, database) once per module; hand out copies. Returns get(name, scale, kind)."""
    cache: dict[tuple, tuple[str, dict]] = {}
    cleanups = []

    def get(name: str, scale: float, kind: str) -> tuple[str, dict]:
        key = (name, scale, kind)
        if key in cache:
            return cache[key]
        folder = tmp_path_factory.mktemp(f"bench-{name}-{kind}")
        if kind == "sqlite":
            url = f"sqlite:///{(folder / 'bench.db').as_posix()}"
        else:
            base = sa.engine.make_url(require_postgres())
            db_name = f"ylyx_bench_test_{uuid.uuid4().hex[:10]}"
            admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{db_name}"')

            def drop(db_name=db_name, admin=admin) -> None:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
                admin.dispose()

            cleanups.append(drop)
            url = base.set(database=db_name).render_as_string(hide_password=False)
        with pytest.MonkeyPatch.context() as mp:
            point_settings_at(mp, url, folder)
            from benchmarks.generate import build

            summary = build(size_named(name, scale))
            _teardown(Database(kind, url))  # no connection may stay open on a PostgreSQL template
        cache[key] = (url, summary)
        return cache[key]

    yield get
    for cleanup in cleanups:
        cleanup()


@pytest.fixture(params=["sqlite", "postgres"])
def kind(request) -> str:
    return request.param


def open_copy(built, name: str, scale: float, kind: str, tmp_path, monkeypatch) -> tuple[Database, dict]:
    url, summary = built(name, scale, kind)
    database = copy_of_template(kind, url, tmp_path)
    point_settings_at(monkeypatch, database.url, tmp_path)
    return database, summary


@pytest.fixture(params=BUILDS, ids=[f"{n}x{s:g}" for n, s in BUILDS])
def bench_db(request, built, kind, tmp_path, monkeypatch) -> Iterator[tuple[str, dict]]:
    """A copy of a built size, the app's settings pointed at it: (size name, generator summary)."""
    name, scale = request.param
    database, summary = open_copy(built, name, scale, kind, tmp_path, monkeypatch)
    yield name, summary
    _teardown(database)


def rows(sql: str, **params) -> list:
    from ylyx_tasks.db import get_engine

    with get_engine().connect() as conn:
        return conn.execute(sa.text(sql), params).all()


def as_date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


# --- the data are consistent ---------------------------------------------------------------------------------


def test_every_foreign_key_points_at_a_row(bench_db):
    from ylyx_tasks.db import get_engine

    engine = get_engine()
    if engine.dialect.name == "sqlite":
        assert rows("PRAGMA foreign_key_check") == []
    # PostgreSQL checks every key as COPY writes it; on both, the seeds of the model hold:
    assert rows("SELECT COUNT(*) FROM task WHERE plan_id NOT IN (SELECT id FROM plan)")[0][0] == 0


def test_every_task_has_exactly_one_lead_department(bench_db):
    assert rows("SELECT t.id FROM task t LEFT JOIN responsibility r ON r.task_id = t.id AND r.duty = '牵头' "
                "GROUP BY t.id HAVING COUNT(r.id) <> 1") == []


def test_task_status_follows_from_the_milestones(bench_db):
    from ylyx_tasks.domain.status import task_status

    statuses = defaultdict(list)
    for task_id, status in rows("SELECT task_id, status FROM milestone"):
        statuses[task_id].append(status)
    for task_id, status in rows("SELECT id, status FROM task"):
        assert status == task_status(statuses[task_id]).value, task_id
    for m_id, status, completed_on in rows("SELECT id, status, completed_on FROM milestone"):
        assert (completed_on is not None) == (status == "已完成"), m_id


def test_task_progress_and_last_period_are_the_lead_departments_latest_report(bench_db):
    latest = {}
    for task_id, period, reported_on, percent in rows(
            "SELECT p.task_id, p.period, p.reported_on, p.percent FROM progress_report p "
            "JOIN responsibility r ON r.task_id = p.task_id AND r.department_id = p.department_id AND r.duty = '牵头' "
            "ORDER BY p.task_id, p.period, p.reported_on, p.id"):
        latest[task_id] = (period, as_date(reported_on), percent)
    for task_id, status, progress, period, reported_on in rows(
            "SELECT id, status, progress, last_report_period, last_report_on FROM task"):
        if task_id not in latest:
            assert (progress, period, reported_on) == (0, None, None), task_id
            continue
        last_period, last_on, percent = latest[task_id]
        assert (period, as_date(reported_on)) == (last_period, last_on), task_id
        assert progress == (100 if status == "已完成" else percent), task_id
    # reports are made for the month they are made in, never after the history ends
    for period, reported_on in rows("SELECT period, reported_on FROM progress_report"):
        assert as_date(reported_on).strftime("%Y-%m") == period and as_date(reported_on) <= LAST


def test_a_working_due_date_differs_only_by_an_approved_extension(bench_db):
    approved = {(m, as_date(d)) for m, d in rows(
        "SELECT milestone_id, new_due_date FROM review_request WHERE kind = '延期' AND status = '已通过'")}
    for m_id, original, due in rows("SELECT id, original_due, due_date FROM milestone"):
        if as_date(original) != as_date(due):
            assert (m_id, as_date(due)) in approved


def test_notice_keys_are_in_the_rules_formats_and_match_their_fields(bench_db):
    from ylyx_tasks.domain import notices as rules

    notices = {r[0]: r for r in rows(
        "SELECT id, dedup_key, level, task_id, milestone_id, parent_id, period, milestone_due, created_on "
        "FROM notice")}
    for n_id, key, level, task_id, m_id, parent_id, period, due, created_on in notices.values():
        due, created_on = as_date(due), as_date(created_on)
        assert created_on <= LAST
        if level == "提醒":
            days = int(key[2:key.index(":")])
            assert key == rules.reminder_key(days, m_id, due) and days in (30, 7)
            assert 0 <= (due - created_on).days <= days
        elif level == "督办":
            assert key == rules.supervise_key(m_id, due) and created_on == due + dt.timedelta(days=1)
        elif level == "催报":
            assert key == rules.chase_key(task_id, period)
            assert created_on == dt.date.fromisoformat(f"{period}-26")
        else:  # no per-milestone 通报: matters behind schedule go into the periodic bulletin
            raise AssertionError(f"unexpected notice level {level}: {key}")


def test_numbers_run_from_one_per_level_and_year_and_the_counters_match(bench_db):
    from ylyx_tasks.services.supervision.issue import counter_name

    seqs = defaultdict(list)
    for number, level, created_on in rows("SELECT number, level, created_on FROM notice ORDER BY id"):
        mark, year, seq = NUMBER.match(number).groups()
        assert MARK_LEVEL[mark] == level and int(year) == as_date(created_on).year
        seqs[counter_name("运养托", level, int(year))].append(int(seq))
    assert all(s == list(range(1, len(s) + 1)) for s in seqs.values())
    assert dict(rows("SELECT name, value FROM counter")) == {k: len(s) for k, s in seqs.items()}


def test_deliveries_are_keyed_like_the_apps(bench_db):
    contacts = {email for (email,) in rows("SELECT email FROM contact")}
    notices = {i for (i,) in rows("SELECT id FROM notice")}
    for key, kind, notice_id, email in rows("SELECT dedup_key, kind, notice_id, recipient_email FROM delivery"):
        assert email in contacts
        if kind == "notice":
            assert key == f"notice:{notice_id}" and notice_id in notices
        else:
            m = re.fullmatch(r"digest:(\d{4}-\d{2}-\d{2}):(leadership|group:\d+|department:\d+)", key)
            assert m and dt.date.fromisoformat(m.group(1)).weekday() == 0


def test_every_unit_group_and_the_leading_group_has_a_contact(bench_db):
    keys = {k for (k,) in rows("SELECT unit_key FROM contact")}
    assert "leadership" in keys
    assert {f"group:{i}" for (i,) in rows("SELECT id FROM working_group")} <= keys
    assert {f"department:{i}" for (i,) in rows("SELECT id FROM department")} <= keys


def test_the_generated_accounts_sign_in(bench_db):
    from benchmarks import BENCH_PASSWORD
    from ylyx_tasks.config import get_settings
    from ylyx_tasks.services.users import sign_in

    name, _ = bench_db
    password = get_settings().admin_password if name == "plan" else BENCH_PASSWORD
    assert sign_in("admin", password).role == "专班办公室"


# --- the first scan on TODAY makes exactly what the rules call for --------------------------------------------


def test_the_first_scan_makes_exactly_the_expected_notices_and_a_rescan_nothing(bench_db):
    from ylyx_tasks.services.supervision.scan import run_scan

    name, summary = bench_db
    before = {k for (k,) in rows("SELECT dedup_key FROM notice")}
    result = run_scan(TODAY)
    made = {k for (k,) in rows("SELECT dedup_key FROM notice")} - before
    assert result.closed == 0  # everything settled was closed when it was settled
    if summary["expected_first_scan"] is not None:
        assert sorted(made) == summary["expected_first_scan"]["keys"]
    assert made, "the first scan must have work to do"
    again = run_scan(TODAY)
    assert not again.created and again.closed == 0


# --- the floors return what the services compute --------------------------------------------------------------


def _conn():
    from ylyx_tasks.db import get_engine

    return get_engine().connect()


def test_the_scan_floor_is_every_milestone_the_supervise_rule_applies_to(bench_db):
    from benchmarks import floors
    from ylyx_tasks.services.supervision.scan import run_scan

    run_scan(TODAY)
    with _conn() as conn:
        floor = {r[0] for r in floors.scan_rows(conn, TODAY)}
    supervised = {m for (m,) in rows(
        "SELECT m.id FROM milestone m JOIN notice n ON n.milestone_id = m.id AND n.level = '督办' "
        "AND n.milestone_due = m.due_date WHERE m.status NOT IN ('已完成', '待审核')")}
    assert floor == supervised and floor


def test_the_cockpit_floor_counts_what_the_task_views_show(bench_db):
    from benchmarks import floors
    from ylyx_tasks.db import read_session
    from ylyx_tasks.reads.plans import rules_from_settings
    from ylyx_tasks.reads.tasks import load_task_views

    with read_session() as s:
        views = load_task_views(s, TODAY)
    with _conn() as conn:
        counts = floors.cockpit_counts(conn, TODAY, rules_from_settings())
    assert counts == dict(Counter((v.status, v.light.value) for v in views))


def test_the_digest_floor_is_the_open_notices_and_the_overdue_milestones(bench_db):
    from benchmarks import floors
    from ylyx_tasks.db import read_session
    from ylyx_tasks.domain.notices import OPEN_STATUSES
    from ylyx_tasks.reads.digest import load_facts

    with read_session() as s:
        facts = load_facts(s, TODAY)
    with _conn() as conn:
        floor = floors.digest_rows(conn, TODAY)
    assert {r[1] for r in floor if r[0] == "notice"} == {n.id for n in facts.notices if n.status in OPEN_STATUSES}
    overdue = {(m.id, v.lead.id) for v in facts.views for m in v.milestones if m.days_overdue > 0}
    assert {(r[1], r[3]) for r in floor if r[0] == "milestone"} == overdue


def test_the_task_list_floor_is_the_filtered_list(bench_db):
    from benchmarks import floors
    from ylyx_tasks.db import read_session
    from ylyx_tasks.reads import tasklist
    from ylyx_tasks.reads.tasks import load_task_views

    with _conn() as conn:
        department_id, _ = floors.busiest_department(conn)
        floor = [r[0] for r in floors.tasklist_rows(conn, department_id)]
    with read_session() as s:
        views = load_task_views(s, TODAY)
    assert floor == [v.id for v in tasklist.filter_tasks(views, tasklist.TaskFilter(department_id=department_id))]


def test_the_task_page_floor_is_the_tasks_history(bench_db):
    from benchmarks import floors
    from ylyx_tasks.config import get_settings
    from ylyx_tasks.db import read_session
    from ylyx_tasks.reads.history import task_history

    with _conn() as conn:
        task_id, _ = floors.busiest_task(conn)
        floor = floors.taskpage_rows(conn, task_id)
    with read_session() as s:
        history = task_history(s, task_id, get_settings().tz)
    assert [r[3] for r in floor] == [h.action for h in history] and floor


# --- the generator is deterministic ------------------------------------------------------------------------------


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for table, order in (("task", "id"), ("milestone", "id"), ("notice", "id"), ("progress_report", "id"),
                         ("delivery", "id"), ("counter", "name")):
        cols = "*" if table != "delivery" else "id, dedup_key, recipient_email, subject"
        for row in rows(f"SELECT {cols} FROM {table} ORDER BY {order}"):
            digest.update(repr(tuple(as_date(v) if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)
                                     else v for v in row)).encode())
    return digest.hexdigest()


def test_the_same_seed_makes_the_same_data_on_both_databases(built, tmp_path, monkeypatch):
    prints = {}
    for kind in ("sqlite", "postgres"):
        (tmp_path / kind).mkdir()
        database, _ = open_copy(built, "stress", 0.01, kind, tmp_path / kind, monkeypatch)
        try:
            prints[kind] = (rows("SELECT COUNT(*), MAX(dedup_key) FROM notice")[0],
                            rows("SELECT COUNT(*) FROM audit_event")[0], _fingerprint_light())
        finally:
            _teardown(database)
    assert prints["sqlite"] == prints["postgres"]


def _fingerprint_light() -> list:
    return [tuple(map(str, r)) for r in rows(
        "SELECT id, dedup_key, number, status, version FROM notice ORDER BY id")]


def test_building_twice_makes_the_same_data(tmp_path, monkeypatch):
    from benchmarks.generate import build

    prints = []
    for attempt in ("a", "b"):
        folder = tmp_path / attempt
        folder.mkdir()
        point_settings_at(monkeypatch, f"sqlite:///{(folder / 'bench.db').as_posix()}", folder)
        build(size_named("province", 0.05))
        prints.append(_fingerprint())
        _teardown(Database("sqlite", ""))
    assert prints[0] == prints[1]


# --- sizes ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name,field,minimum", [
    ("stress", "tasks", 10_000), ("stress", "users", 500), ("province", "cities", 11)])
def test_the_full_sizes_are_as_large_as_the_issue_asks(name, field, minimum):
    assert getattr(size_named(name), field) >= minimum
    assert size_named("stress").extra_departments + 46 >= 150
    assert size_named("stress").milestones_per_task * size_named("stress").tasks >= 30_000
