"""Fixtures shared by every test: a real database (a SQLite file, or a PostgreSQL schema of its own), settings
pointed at it, the plan loaded, and named personas.

PostgreSQL: set ``YLYX_TEST_POSTGRES_URL`` (``.ci/run`` does). In CI (``CI=true``) the PostgreSQL tests are
mandatory: without the URL they fail instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("YLYX_TEST_POSTGRES_URL", "")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_report_header(config) -> list[str]:
    if PG_URL:
        return [f"PostgreSQL tests: {PG_URL}"]
    if IN_CI:
        return ["PostgreSQL tests: YLYX_TEST_POSTGRES_URL is not set — they will FAIL (CI=true)"]
    return ["PostgreSQL tests: SKIPPED — no PostgreSQL configured; "
            "set YLYX_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test to run them"]


def require_postgres() -> str:
    if PG_URL:
        return PG_URL
    if IN_CI:
        pytest.fail("YLYX_TEST_POSTGRES_URL is not set, and PostgreSQL tests are mandatory in CI")
    pytest.skip("no PostgreSQL configured (set YLYX_TEST_POSTGRES_URL to run these)")


def _with_search_path(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


class Database:
    """A throw-away database: ``url`` for the app, ``kind`` 'sqlite' or 'postgres'."""

    def __init__(self, kind: str, url: str, cleanup=None) -> None:
        self.kind, self.url, self._cleanup = kind, url, cleanup

    def close(self) -> None:
        if self._cleanup:
            self._cleanup()


def make_database(kind: str, tmp_path: Path) -> Database:
    if kind == "sqlite":
        return Database("sqlite", f"sqlite:///{(tmp_path / 'ylyx-test.db').as_posix()}")
    base = require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')

    def drop() -> None:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()

    return Database("postgres", _with_search_path(base, schema), drop)


def point_settings_at(monkeypatch: pytest.MonkeyPatch, url: str, tmp_path: Path, **extra: str) -> None:
    """Point the app's settings at ``url`` and a private outbox, and forget cached settings and engines."""
    from ylyx_tasks import config, db

    for name in [k for k in os.environ if k.startswith("YLYX_") and not k.startswith("YLYX_TEST_")]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("YLYX_DATABASE_URL", url)
    monkeypatch.setenv("YLYX_DATA_DIR", str(REPO / "data"))
    monkeypatch.setenv("YLYX_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("YLYX_ADMIN_PASSWORD", "Office-Test-Pass-42")
    # Argon2id as in production, with less memory and one pass: the suite hashes hundreds of passwords.
    monkeypatch.setenv("YLYX_ARGON2_MEMORY_KIB", "1024")
    monkeypatch.setenv("YLYX_ARGON2_TIME_COST", "1")
    for key, value in extra.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout
    config.get_settings.cache_clear()
    db.dispose_engines()


@pytest.fixture(params=["sqlite", "postgres"])
def any_db(request, tmp_path, monkeypatch) -> Iterator[Database]:
    """The app configured on an empty database — once on SQLite and once on PostgreSQL."""
    database = make_database(request.param, tmp_path)
    point_settings_at(monkeypatch, database.url, tmp_path)
    yield database
    _teardown(database)


@pytest.fixture
def sqlite_db(tmp_path, monkeypatch) -> Iterator[Database]:
    """The app configured on an empty SQLite file."""
    database = make_database("sqlite", tmp_path)
    point_settings_at(monkeypatch, database.url, tmp_path)
    yield database
    _teardown(database)


@pytest.fixture
def pg_db(tmp_path, monkeypatch) -> Iterator[Database]:
    """The app configured on an empty PostgreSQL schema."""
    database = make_database("postgres", tmp_path)
    point_settings_at(monkeypatch, database.url, tmp_path)
    yield database
    _teardown(database)


def _teardown(database: Database) -> None:
    from ylyx_tasks import config, db

    db.dispose_engines()
    config.get_settings.cache_clear()
    database.close()


# --- databases with the plan loaded, copied from a template built once per session ------------------------------


@pytest.fixture(scope="session")
def _templates(tmp_path_factory):
    """Build the loaded-plan databases once (migrate + load + admin: seconds) and copy them per test."""
    built: dict[str, str] = {}
    cleanups = []

    def get(kind: str) -> str:
        if kind in built:
            return built[kind]
        folder = tmp_path_factory.mktemp(f"template-{kind}")
        if kind == "sqlite":
            url = f"sqlite:///{(folder / 'template.db').as_posix()}"
        else:
            base = sa.engine.make_url(require_postgres())
            name = f"ylyx_tmpl_{uuid.uuid4().hex[:10]}"
            admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

            def drop(name=name, admin=admin) -> None:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.dispose()

            cleanups.append(drop)
            url = base.set(database=name).render_as_string(hide_password=False)
        with pytest.MonkeyPatch.context() as mp:
            point_settings_at(mp, url, folder)
            from ylyx_tasks.services.setup import initialize

            initialize()
            _teardown(Database(kind, url))  # no connection may stay open on a PostgreSQL template
        built[kind] = url
        return url

    yield get
    for cleanup in cleanups:
        cleanup()


def copy_of_template(kind: str, template_url: str, tmp_path: Path) -> Database:
    if kind == "sqlite":
        target = tmp_path / "ylyx-test.db"
        source = template_url.split("///", 1)[1]
        shutil.copyfile(source, target)
        for suffix in ("-wal", "-shm"):  # normally gone once the template's connections closed; copy if not
            if Path(source + suffix).exists():
                shutil.copyfile(source + suffix, str(target) + suffix)
        return Database("sqlite", f"sqlite:///{target.as_posix()}")
    base = sa.engine.make_url(template_url)
    name = f"ylyx_t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{base.database}"')

    def drop() -> None:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return Database("postgres", base.set(database=name).render_as_string(hide_password=False), drop)


@pytest.fixture(params=["sqlite", "postgres"])
def plan_db(request, _templates, tmp_path, monkeypatch) -> Iterator[Database]:
    """The plan loaded (migrated, seeded, admin account) — once on SQLite and once on PostgreSQL."""
    database = copy_of_template(request.param, _templates(request.param), tmp_path)
    point_settings_at(monkeypatch, database.url, tmp_path)
    yield database
    _teardown(database)


@pytest.fixture
def plan_sqlite(_templates, tmp_path, monkeypatch) -> Iterator[Database]:
    """The plan loaded on a SQLite file."""
    database = copy_of_template("sqlite", _templates("sqlite"), tmp_path)
    point_settings_at(monkeypatch, database.url, tmp_path)
    yield database
    _teardown(database)
