"""The generator's own vocabulary: what a task is planned as, the context every task is simulated in, the id
counters, and small helpers for timestamps and the audit log's JSON."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from ylyx_tasks.domain.rules import SupervisionRules

TZ = ZoneInfo("Asia/Shanghai")
UTC = dt.timezone.utc
_EIGHT_HOURS = dt.timedelta(hours=8)  # Asia/Shanghai has kept UTC+8 without summer time since 1991


def at(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    """An instant on ``day`` at local (Asia/Shanghai) time, as aware UTC."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=UTC) - _EIGHT_HOURS


def randint(rng, lo: int, hi: int) -> int:
    """``rng.randint`` without its overhead (the generator draws millions of these)."""
    return lo + int(rng.random() * (hi - lo + 1))


def office_hours(day: dt.date, rng) -> dt.datetime:
    """A random instant between 09:00 and 18:00 local time on ``day``."""
    return at(day, 9) + dt.timedelta(seconds=int(rng.random() * 32_400))


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True,
                            default=lambda v: v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else str(v))


def audit_json(value: Any) -> str | None:
    """The audit log's JSON, exactly as ``ylyx_tasks.services.audit`` writes it (one encoder, reused: building
    one per call is most of ``json.dumps``'s cost)."""
    if value is None:
        return None
    return _ENCODER.encode(value)


@dataclass
class MilestonePlan:
    id: int
    key: str
    commitment: str
    original_due: dt.date


@dataclass
class TaskPlan:
    """A task before its history is simulated: the clause and who is responsible for it."""

    id: int
    code: str
    position: int
    section: str
    title: str
    clause_text: str
    working_group_id: int
    county_responsible: bool
    lead: int
    supports: list[int]
    counties: list[int]
    milestones: list[MilestonePlan]


@dataclass(frozen=True)
class Person:
    id: int
    username: str


@dataclass
class Context:
    """What every task's simulation needs to know."""

    seed: int
    plan_id: int
    issued_on: dt.date
    first_period: str  # the first reporting period (the month after the plan was issued)
    first_scan: dt.date  # the daily scan ran every day from this one …
    last: dt.date  # … to this one (the day before today)
    today: dt.date
    rules: SupervisionRules
    office: Person
    liaisons: dict[int, Person]  # department id → its (first) liaison
    county_fraction: float = 1.0
    county_every: int = 1
    overrides: dict[dt.date, bool] = field(default_factory=dict)

    def liaison(self, department_id: int) -> Person:
        return self.liaisons.get(department_id, self.office)


class Ids:
    """Sequential ids, handed out in generation order (the same on every database)."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def take(self, table: str) -> int:
        value = self._next.get(table, 1)
        self._next[table] = value + 1
        return value

    def peek(self, table: str) -> int:
        return self._next.get(table, 1)

    def skip_to(self, table: str, next_id: int) -> None:
        self._next[table] = max(self._next.get(table, 1), next_id)
