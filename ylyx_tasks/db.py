"""Engines, sessions and migrations.

SQLite (the default, ``data/ylyx.db``) runs in WAL mode with foreign keys on and a busy timeout. Writes open their
transaction with ``BEGIN IMMEDIATE`` so that two writers queue on the busy timeout instead of failing when one
upgrades a read snapshot that the other has since changed. PostgreSQL is any ``postgresql+psycopg://`` URL.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, text
from sqlmodel import Session

from ylyx_tasks.config import get_settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# An arbitrary constant: the PostgreSQL advisory lock that serialises concurrent migrations (app + scheduler).
_MIGRATION_LOCK_ID = 0x5917_7A5C


_ENGINES: dict[tuple[str, int], Engine] = {}


def _engine_for(url: str, busy_timeout_ms: int) -> Engine:
    key = (url, busy_timeout_ms)
    if key not in _ENGINES:
        _ENGINES[key] = _create_engine(url, busy_timeout_ms)
    return _ENGINES[key]


def _create_engine(url: str, busy_timeout_ms: int) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # hide_parameters: an error never carries the values it was writing (a password hash, a person's text)
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
                               hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_on_connect(dbapi_conn, _record) -> None:
            # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite's own handling defers it badly).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_on_begin(conn) -> None:
            immediate = conn.get_execution_options().get("ylyx_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True)


def get_engine() -> Engine:
    """The engine for the configured database (one per URL per process)."""
    settings = get_settings()
    return _engine_for(settings.effective_database_url, settings.sqlite_busy_timeout_ms)


def dispose_engines() -> None:
    """Close every pooled connection (tests switch databases; forked processes must not share sockets)."""
    while _ENGINES:
        _, engine = _ENGINES.popitem()
        engine.dispose()


def read_session() -> Session:
    """A session for reading. Use as ``with read_session() as s:``."""
    return Session(get_engine(), expire_on_commit=False)


@contextlib.contextmanager
def write_session() -> Iterator[Session]:
    """A unit of work: commits when the block ends normally, rolls back on any exception."""
    engine = get_engine().execution_options(ylyx_write=True)
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def serialize_setup(session: Session) -> None:
    """Make concurrent first-time set-ups (app and scheduler starting together) take turns.

    PostgreSQL: a transaction-scoped advisory lock; SQLite: the write transaction's BEGIN IMMEDIATE already does.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_ID + 1})


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", (url or get_settings().effective_database_url).replace("%", "%%"))
    return cfg


def migrate() -> str | None:
    """Bring the schema to the newest migration; return the revision it was at before (None = empty database).

    Safe to call from several processes at once: PostgreSQL serialises on an advisory lock, SQLite on its write
    lock (the whole upgrade is one ``BEGIN IMMEDIATE`` transaction).
    """
    engine = get_engine().execution_options(ylyx_write=True)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_ID})
        before = current_revision(conn)
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return before


def current_revision(conn=None) -> str | None:
    """The schema revision of the database (None when it has never been migrated)."""

    if conn is None:
        with get_engine().connect() as c:
            return MigrationContext.configure(c).get_current_revision()
    return MigrationContext.configure(conn).get_current_revision()
