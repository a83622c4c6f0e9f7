"""The audit log: one append-only row per change, written in the same transaction as the change."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlmodel import Session

from ylyx_tasks import clock
from ylyx_tasks.domain.roles import Actor
from ylyx_tasks.models import AuditEvent


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=_plain, sort_keys=True)


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def record(session: Session, actor: Actor, action: str, entity: str, entity_id: int | None, *,
           task_id: int | None = None, before: Any = None, after: Any = None, note: str = "",
           at: dt.datetime | None = None) -> AuditEvent:
    """Add an audit event to ``session`` (it commits with the change it describes)."""
    event = AuditEvent(
        at=at or clock.utcnow(), actor_id=actor.user_id, actor=actor.username, action=action, entity=entity,
        entity_id=entity_id, task_id=task_id, before=_json(before), after=_json(after), note=note,
    )
    session.add(event)
    return event


def changes(obj: Any, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set ``values`` on ``obj``; return (before, after) for the fields that actually changed."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            before[name], after[name] = old, new
            setattr(obj, name, new)
    return before, after
