"""The benchmark's databases: where each size lives on SQLite and on PostgreSQL, how they are created, copied
(a SQLite file copy, a PostgreSQL ``CREATE DATABASE … TEMPLATE``) and dropped, the marker that says what
built them, and the clean environment every benchmark process runs the app in."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from benchmarks import BENCH_PASSWORD, DATA_DIR, REPO

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DBS = ("sqlite", "postgres")


def bench_env(url: str, *, today=None) -> dict[str, str]:
    """The process environment for the app on ``url``: no YLYX_* setting but these (the rules at their
    defaults, whatever the developer's shell says), so every figure is reproducible."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("YLYX_")}
    env.update(YLYX_DATABASE_URL=url, YLYX_DATA_DIR=str(REPO / "data"), YLYX_OUTBOX_DIR=str(DATA_DIR / "outbox"),
               YLYX_ADMIN_PASSWORD=BENCH_PASSWORD)
    if today is not None:
        env["YLYX_TODAY"] = today.isoformat()
    return env


def use_env(env: dict[str, str]) -> None:
    """Switch this process to ``env``'s settings (and forget cached settings and engines)."""
    from ylyx_tasks import config, db

    for key in [k for k in os.environ if k.startswith("YLYX_")]:
        del os.environ[key]
    os.environ.update({k: v for k, v in env.items() if k.startswith("YLYX_")})
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    os.chdir(DATA_DIR)  # no stray .env from a checkout
    config.get_settings.cache_clear()
    db.dispose_engines()


@dataclass(frozen=True)
class Place:
    """One database: a SQLite file or a PostgreSQL database."""

    kind: str  # sqlite / postgres
    name: str  # file stem or database name
    pg_admin: str = DEFAULT_PG

    @property
    def path(self) -> Path:
        return DATA_DIR / f"{self.name}.db"

    @property
    def url(self) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{self.path.as_posix()}"
        return sa.engine.make_url(self.pg_admin).set(database=self.name).render_as_string(hide_password=False)

    def _admin(self) -> sa.Engine:
        return sa.create_engine(self.pg_admin, isolation_level="AUTOCOMMIT")

    def exists(self) -> bool:
        if self.kind == "sqlite":
            return self.path.exists()
        engine = self._admin()
        try:
            with engine.connect() as c:
                return c.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": self.name}).first() \
                    is not None
        finally:
            engine.dispose()

    def drop(self) -> None:
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return
        engine = self._admin()
        try:
            with engine.connect() as c:
                c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        finally:
            engine.dispose()

    def create_empty(self) -> None:
        self.drop()
        if self.kind == "sqlite":
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            return
        engine = self._admin()
        try:
            with engine.connect() as c:
                c.exec_driver_sql(f'CREATE DATABASE "{self.name}"')
        finally:
            engine.dispose()

    def copy_to(self, name: str) -> Place:
        """A fresh copy of this database under ``name`` (no connection may be open on it)."""
        target = Place(self.kind, name, self.pg_admin)
        target.drop()
        if self.kind == "sqlite":
            shutil.copyfile(self.path, target.path)
            for suffix in ("-wal", "-shm"):
                if Path(f"{self.path}{suffix}").exists():
                    shutil.copyfile(f"{self.path}{suffix}", f"{target.path}{suffix}")
            return target
        engine = self._admin()
        try:
            with engine.connect() as c:
                c.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        finally:
            engine.dispose()
        return target

    def settle(self) -> None:
        """Let the machine finish writing what came before a timed run: a copy of a gigabyte-sized database just
        made (dirty pages, and on PostgreSQL its WAL) is otherwise flushed during the measurement and slows it by
        a third on this 2-core machine. ``sync``, and a PostgreSQL ``CHECKPOINT`` when the admin URL may."""
        os.sync()
        if self.kind != "postgres":
            return
        engine = self._admin()
        try:
            with engine.connect() as c:
                c.exec_driver_sql("CHECKPOINT")
        except sa.exc.DBAPIError:  # not a superuser (nor pg_checkpoint): the figures are then a little noisier
            pass
        finally:
            engine.dispose()

    def scratch(self) -> Place:
        return self.copy_to(f"{self.name}_tmp_{uuid.uuid4().hex[:8]}")

    # --- what built it --------------------------------------------------------------------------------------

    @property
    def marker_path(self) -> Path:
        return DATA_DIR / f"{self.name}.{self.kind}.json"

    def read_marker(self) -> dict | None:
        if not self.marker_path.exists() or not self.exists():
            return None
        try:
            return json.loads(self.marker_path.read_text(encoding="utf-8"))
        except ValueError:
            return None

    def write_marker(self, marker: dict) -> None:
        self.marker_path.write_text(json.dumps(marker, ensure_ascii=False, indent=1, default=str), encoding="utf-8")

    def forget_marker(self) -> None:
        self.marker_path.unlink(missing_ok=True)


def place_name(size_label: str, suffix: str = "") -> str:
    """``ylyx_bench_stress`` (and ``ylyx_bench_stress_scanned``); a scaled size gets its scale in the name."""
    safe = size_label.replace("×", "_x").replace(".", "_")
    return f"ylyx_bench_{safe}{suffix}"
