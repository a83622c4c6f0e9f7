"""Column types shared by the tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import DateTime, text
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

# Deterministic constraint names, so that migrations can refer to them on every backend.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def sql_in(column: str, values: Iterable[str]) -> str:
    """``column IN ('a', 'b')`` with the values as literals (they are the code's own enum values)."""
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def partial(where: str) -> dict:
    """The keyword arguments of an index on the rows ``where`` holds, on either database. A query it serves must
    state the same condition with the same literal values, not bound parameters (see ``services/scan.py``), or
    the planner cannot prove that the index holds the rows it wants."""
    return {"postgresql_where": text(where), "sqlite_where": text(where)}


class TZDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware timestamp on every backend.

    PostgreSQL keeps ``timestamptz``; SQLite has no zone type, so the value is stored as naive UTC and read back
    as aware UTC. Writing a naive datetime is a bug (whose local time would it be?) and raises.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime written to a timezone-aware column")
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)
