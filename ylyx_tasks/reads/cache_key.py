"""A cheap "has anything changed?" number for caches: every write records an audit event in its transaction,
so the newest audit event id moves whenever data change.

Signing in is the exception: it records an audit event too (``登录`` / ``登录失败``, by
:func:`ylyx_tasks.services.users.authenticate`) but changes only the account's own bookkeeping (last sign-in,
failed attempts, lock-out), which no cached read shows. Counting it would make every sign-in throw away every
page's cache — on a report day, dozens of times a minute — so those events do not move the number."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from ylyx_tasks.models import AuditEvent

SIGN_IN_ACTIONS = ("登录", "登录失败")


def data_version(session: Session) -> int:
    """The id of the newest audit event that is not a sign-in (0 when there is none). Read backwards along the
    primary key: it stops at the first such event, however long the audit log."""
    newest = (select(AuditEvent.id).where(AuditEvent.action.not_in(SIGN_IN_ACTIONS))
              .order_by(AuditEvent.id.desc()).limit(1))
    return session.execute(newest).scalar() or 0
