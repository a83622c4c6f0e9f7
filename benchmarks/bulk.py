"""Fast inserts for the generator: PostgreSQL ``COPY … FROM STDIN`` through psycopg, SQLite ``executemany`` on the
driver's cursor, both fed in chunks from iterators so that memory stays bounded.

Rows are tuples in the order of ``columns``; ids are given explicitly (the generator numbers everything itself,
so that the same seed makes the same ids on both databases), and :meth:`BulkWriter.finish` moves PostgreSQL's
sequences past them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import Engine, text

CHUNK = 20_000


def _sqlite_datetime(value: dt.datetime) -> str:
    """A timestamp as SQLAlchemy (and so ``TZDateTime``) stores it on SQLite: naive UTC with microseconds."""
    if value.tzinfo is dt.timezone.utc:  # what the generator makes: skip the conversion
        return value.isoformat(" ", "microseconds")[:26]
    if value.tzinfo is None:
        raise ValueError("naive datetime in generated data")
    return value.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat(" ", "microseconds")


def _sqlite_converters(table: str, columns: Sequence[str]) -> list[tuple[int, Callable]]:
    """(position, converter) for the columns whose Python values SQLite cannot store as they are."""
    from sqlmodel import SQLModel

    import ylyx_tasks.models  # noqa: F401  (registers the tables)

    out = []
    for i, name in enumerate(columns):
        kind = SQLModel.metadata.tables[table].c[name].type
        python_type = getattr(getattr(kind, "impl", kind), "python_type", None)
        if python_type is dt.datetime:
            out.append((i, _sqlite_datetime))
        elif python_type is dt.date:
            out.append((i, dt.date.isoformat))
        elif python_type is bool:
            out.append((i, int))
    return out


class BulkWriter:
    """Inserts into one database, one transaction per chunk (the load is resumable only from scratch)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.counts: dict[str, int] = {}
        self._tables: set[str] = set()
        if self.dialect == "sqlite":
            engine.dispose()  # this connection must be the only one: the journal mode changes below
        self._raw = engine.raw_connection()
        if self.dialect == "sqlite":
            cur = self._raw.driver_connection.cursor()
            # Loading a throw-away database: a crash midway means building it again anyway. Without a journal
            # the load runs about twice as fast as in WAL mode; finish() puts WAL back.
            cur.execute("PRAGMA journal_mode=OFF")
            cur.execute("PRAGMA synchronous=OFF")
            # The generator's keys are valid by construction (the tests check with PRAGMA foreign_key_check).
            cur.execute("PRAGMA foreign_keys=OFF")
            cur.execute("PRAGMA cache_size=-200000")
            cur.close()
        else:
            with self._raw.driver_connection.cursor() as cur:
                cur.execute("SET synchronous_commit = off")

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        """Insert every row of ``rows``; returns how many."""
        self._tables.add(table)
        total = 0
        it = iter(rows)
        while True:
            chunk = list(itertools.islice(it, CHUNK))
            if not chunk:
                break
            self._write(table, columns, chunk)
            total += len(chunk)
        self.counts[table] = self.counts.get(table, 0) + total
        return total

    def _write(self, table: str, columns: Sequence[str], chunk: list[tuple]) -> None:
        conn = self._raw.driver_connection
        cols = ", ".join(f'"{c}"' for c in columns)
        if self.dialect == "postgresql":
            with conn.cursor() as cur:
                with cur.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                    for row in chunk:
                        copy.write_row(row)
            conn.commit()
            return
        marks = ", ".join("?" for _ in columns)
        converters = _sqlite_converters(table, columns)
        rows = []
        for row in chunk:
            row = list(row)
            for i, convert in converters:
                if row[i] is not None:
                    row[i] = convert(row[i])
            rows.append(row)
        cur = conn.cursor()
        cur.execute("BEGIN")
        cur.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', rows)
        cur.execute("COMMIT")
        cur.close()

    def update_many(self, sql: str, rows: list[tuple]) -> None:
        """An UPDATE with ``?`` placeholders (``%s`` on PostgreSQL), once per row."""
        conn = self._raw.driver_connection
        if self.dialect == "postgresql":
            with conn.cursor() as cur:
                cur.executemany(sql.replace("?", "%s"), rows)
            conn.commit()
            return
        cur = conn.cursor()
        cur.execute("BEGIN")
        cur.executemany(sql, [[_sqlite_datetime(v) if isinstance(v, dt.datetime) else v for v in row] for row in rows])
        cur.execute("COMMIT")
        cur.close()

    def finish(self) -> None:
        """Sequences past the explicit ids (PostgreSQL), fresh planner statistics (both), and close."""
        conn = self._raw.driver_connection
        if self.dialect == "postgresql":
            from sqlmodel import SQLModel

            with conn.cursor() as cur:
                for table in sorted(t for t in self._tables if "id" in SQLModel.metadata.tables[t].c):
                    cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", (f'"{table}"',))
                    seq = cur.fetchone()[0]
                    if seq:
                        cur.execute(f'SELECT setval(%s, COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)',
                                    (seq,))
            conn.commit()
            self._raw.close()
            # What autovacuum would do by itself before long: statistics, and the visibility map that lets
            # index-only scans skip the heap. VACUUM cannot run inside a transaction block.
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                for table in sorted(self._tables):
                    c.execute(text(f'VACUUM (ANALYZE) "{table}"'))
            return
        cur = conn.cursor()
        cur.execute("ANALYZE")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.close()
        self._raw.close()
        self.engine.dispose()
