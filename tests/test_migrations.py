"""The schema is made only by the Alembic migrations: from empty, again (a no-op), down and up, on SQLite and on
PostgreSQL; it matches the models; the audit log is append-only in the database itself."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from conftest import point_settings_at
from sqlmodel import SQLModel, select

import ylyx_tasks.models  # noqa: F401  (registers every table on the metadata)
from ylyx_tasks import db
from ylyx_tasks.config import get_settings
from ylyx_tasks.domain.roles import SYSTEM
from ylyx_tasks.models import AuditEvent
from ylyx_tasks.services import audit

SCHEDULER_TABLE = "apscheduler_jobs"  # created by the migration for APScheduler's job store; not a model


def head_revision() -> str:
    return ScriptDirectory.from_config(db.alembic_config()).get_current_head()


def table_names() -> set[str]:
    return set(sa.inspect(db.get_engine()).get_table_names())


def model_tables() -> set[str]:
    return set(SQLModel.metadata.tables)


def schema_snapshot() -> dict:
    """Tables with their columns, indexes, unique and foreign keys, and the triggers."""
    engine = db.get_engine()
    inspector = sa.inspect(engine)
    snapshot = {}
    for table in sorted(inspector.get_table_names()):
        snapshot[table] = (
            [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                   for i in inspector.get_indexes(table)),
            sorted((u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(table)),
            sorted((f["name"] or "", tuple(f["constrained_columns"]), f["referred_table"])
                   for f in inspector.get_foreign_keys(table)),
        )
    snapshot["(triggers)"] = triggers()
    return snapshot


def triggers() -> list[str]:
    with db.get_engine().connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        else:
            rows = conn.exec_driver_sql(
                "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal ORDER BY tgname")
        return [r[0] for r in rows]


def schema_differences() -> list:
    """What ``alembic revision --autogenerate`` would write now (the scheduler's own table set aside)."""

    def include_object(obj, name, type_, reflected, compare_to) -> bool:
        table = obj if type_ == "table" else getattr(obj, "table", None)
        return getattr(table, "name", name) != SCHEDULER_TABLE

    def compare_type(context, inspected_column, metadata_column, inspected_type, metadata_type):
        # SQLite does not enforce VARCHAR lengths, so a migration widens a column on PostgreSQL only (0008:
        # task.section): the same type with another length is no difference there
        metadata_type = getattr(metadata_type, "impl", metadata_type)  # SQLModel's AutoString decorates String
        if context.dialect.name == "sqlite" and isinstance(inspected_type, sa.String) \
                and isinstance(metadata_type, sa.String) and not isinstance(inspected_type, sa.Text) \
                and not isinstance(metadata_type, sa.Text):
            return False
        return None  # the default comparison

    def compare_server_default(context, inspected_column, metadata_column, inspected_default, metadata_default,
                               rendered_metadata_default):
        # SQLite reflects DEFAULT '' as the text "''", which Alembic does not recognise as the model's ""
        if context.dialect.name == "sqlite" and inspected_default is not None \
                and rendered_metadata_default is not None:
            return inspected_default.strip("'\"()") != rendered_metadata_default.strip("'\"()")
        return None

    with db.get_engine().connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": compare_type, "compare_server_default": compare_server_default,
            "include_object": include_object})
        return compare_metadata(context, SQLModel.metadata)


def flatten(diffs: list) -> list[tuple]:
    # compare_metadata nests column modifications in lists: [[('modify_type', …)], ('add_index', …)]
    out = []
    for diff in diffs:
        out.extend(diff if isinstance(diff, list) else [diff])
    return out


def add_audit_event(note: str) -> int:
    with db.write_session() as session:
        event = audit.record(session, SYSTEM, "测试", "test", None, note=note)
        session.flush()
        return event.id


# --- from empty, and again ------------------------------------------------------------------------------------


def test_it_creates_every_table_on_an_empty_database(any_db):
    assert db.current_revision() is None
    assert table_names() == set()

    before = db.migrate()

    assert before is None
    assert table_names() == model_tables() | {SCHEDULER_TABLE, "alembic_version"}
    assert db.current_revision() == head_revision()


def test_running_it_again_is_a_no_op(any_db):
    db.migrate()
    snapshot = schema_snapshot()

    before = db.migrate()

    assert before == head_revision()
    assert db.current_revision() == head_revision()
    assert schema_snapshot() == snapshot


def test_it_keeps_the_data_when_run_again(any_db):
    db.migrate()
    event_id = add_audit_event("Alice was here")

    db.migrate()

    with db.read_session() as session:
        assert session.get(AuditEvent, event_id).note == "Alice was here"


# --- the schema matches the models ----------------------------------------------------------------------------

# The migration declares the long free-text columns as TEXT while the models declare them as plain ``str``
# (SQLModel's AutoString = VARCHAR): autogenerate reports one modify_type per such column.


def test_autogenerate_finds_no_difference_between_schema_and_models(any_db):
    db.migrate()
    assert flatten(schema_differences()) == []


# --- the audit log is append-only -----------------------------------------------------------------------------


@pytest.mark.parametrize("statement", [
    "UPDATE audit_event SET note = 'rewritten by Mallory'",
    "DELETE FROM audit_event",
])
def test_the_database_refuses_to_change_the_audit_log(any_db, statement):
    db.migrate()
    event_id = add_audit_event("Alice was here")

    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with db.get_engine().begin() as conn:
            conn.exec_driver_sql(statement)

    with db.read_session() as session:
        events = session.exec(select(AuditEvent)).all()
    assert [(e.id, e.note) for e in events] == [(event_id, "Alice was here")]


def test_the_orm_cannot_delete_an_audit_event_either(any_db):
    db.migrate()
    event_id = add_audit_event("Alice was here")

    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with db.write_session() as session:
            session.delete(session.get(AuditEvent, event_id))

    with db.read_session() as session:
        assert session.get(AuditEvent, event_id) is not None


def test_audit_events_can_still_be_added(any_db):
    db.migrate()
    add_audit_event("one")
    add_audit_event("two")
    with db.read_session() as session:
        assert [e.note for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))] == ["one", "two"]


# --- down and up again ----------------------------------------------------------------------------------------


def test_downgrade_to_base_then_upgrade_again(any_db):
    db.migrate()
    full = schema_snapshot()

    command.downgrade(db.alembic_config(), "base")

    assert table_names() <= {"alembic_version"}
    assert triggers() == []
    assert db.current_revision() is None

    assert db.migrate() is None
    assert schema_snapshot() == full
    add_audit_event("after the round trip")
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with db.get_engine().begin() as conn:
            conn.exec_driver_sql("DELETE FROM audit_event")


def test_the_scheduler_job_store_uses_the_migrated_table(any_db):
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    db.migrate()
    store = SQLAlchemyJobStore(engine=db.get_engine(), tablename=SCHEDULER_TABLE)
    expected = {c.name: type(c.type).__name__ for c in store.jobs_t.columns}
    actual = {c["name"] for c in sa.inspect(db.get_engine()).get_columns(SCHEDULER_TABLE)}
    assert actual == set(expected)
    store.start(None, "default")  # creates the table only when missing
    assert store.get_all_jobs() == []
    store.shutdown()


# --- SQLite settings ------------------------------------------------------------------------------------------


def pragma(conn, name: str):
    return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(sqlite_db):
    db.migrate()
    with db.get_engine().connect() as conn:
        assert pragma(conn, "journal_mode") == "wal"
        assert pragma(conn, "foreign_keys") == 1
        assert pragma(conn, "busy_timeout") == get_settings().sqlite_busy_timeout_ms > 0


def test_sqlite_wal_mode_is_kept_in_the_file(sqlite_db):
    db.migrate()
    db.dispose_engines()
    path = sqlite_db.url.split("///", 1)[1]
    with sqlite3.connect(path) as plain:  # a connection the app did not configure
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sqlite_busy_timeout_follows_the_setting(tmp_path, monkeypatch, sqlite_db):
    point_settings_at(monkeypatch, sqlite_db.url, tmp_path, YLYX_SQLITE_BUSY_TIMEOUT_MS="2500")
    with db.get_engine().connect() as conn:
        assert pragma(conn, "busy_timeout") == 2500


def test_sqlite_enforces_foreign_keys(sqlite_db):
    db.migrate()
    now = dt.datetime.now(dt.timezone.utc)
    with pytest.raises(sa.exc.IntegrityError):
        with db.write_session() as session:
            session.add(ylyx_tasks.models.Task(plan_id=999, code="9.9", section="主要任务", title="孤儿任务",
                                               clause_text="没有方案的任务", working_group_id=999, created_at=now,
                                               updated_at=now))
