"""A cheap "has anything changed?" number for caches: every write records an audit event in its transaction,
so the newest audit event id moves whenever data change (and only then)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from ylyx_tasks.models import AuditEvent


def data_version(session: Session) -> int:
    return session.execute(select(func.max(AuditEvent.id))).scalar_one() or 0
